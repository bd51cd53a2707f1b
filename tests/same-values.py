#!/usr/bin/env python3
"""Compares two output trees of tests/same-output.sh by value, for changes that are meant to
keep the data and may change its bytes (a Polars upgrade rewrites Parquet metadata, and may
print a float in another of its exact spellings).

    tests/same-values.py [--ulps N] OUT/base OUT/new

For every file that differs byte for byte:
- CSV: the same header and the same rows, cell by cell; two cells are equal when their text
  is, or when both parse as numbers of the same value (1e-05 and 0.00001), or of values at
  most N units in the last place apart (--ulps, default 0: a sum in another order can move
  the last bit, and the count of such cells is printed);
- Parquet (needs Python Polars): the same schema and the same rows, nulls and NaN included,
  floats within the same N ulps;
- anything else: listed as different.

Exit status 0 when every differing file holds the same values, 1 otherwise.
"""
import csv
import math
import os
import sys

ULPS = 0
NEAR = 0  # cells equal only within ULPS


def near(x, y):
    global NEAR
    if x == y or (math.isnan(x) and math.isnan(y)):
        return True
    if ULPS and math.isfinite(x) and math.isfinite(y) and abs(x - y) <= ULPS * math.ulp(max(abs(x), abs(y))):
        NEAR += 1
        return True
    return False


def same_cell(a, b):
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return near(x, y)


def csv_difference(pa, pb):
    with open(pa, encoding="utf-8", newline="") as fa, open(pb, encoding="utf-8", newline="") as fb:
        ra, rb = list(csv.reader(fa)), list(csv.reader(fb))
    if len(ra) != len(rb):
        return f"{len(ra)} rows against {len(rb)}"
    if ra and ra[0] != rb[0]:
        return f"header {ra[0]} against {rb[0]}"
    for i, (x, y) in enumerate(zip(ra, rb)):
        if len(x) != len(y) or not all(same_cell(a, b) for a, b in zip(x, y)):
            return f"line {i + 1}: {x} against {y}"
    return None


def parquet_difference(pa, pb):
    import polars as pl

    a, b = pl.read_parquet(pa, hive_partitioning=False), pl.read_parquet(pb, hive_partitioning=False)
    if a.schema != b.schema:
        return f"schema {a.schema} against {b.schema}"
    if a.height != b.height:
        return f"{a.height} rows against {b.height}"
    for name, dtype in a.schema.items():
        x, y = a[name], b[name]
        if dtype.is_float():
            for i, (u, v) in enumerate(zip(x.to_list(), y.to_list())):
                if (u is None) != (v is None) or (u is not None and not near(u, v)):
                    return f"row {i + 1}, {name}: {u} against {v}"
        elif not x.equals(y, check_names=True, null_equal=True):
            return f"column {name} differs"
    return None


def main(base, new):
    files = set()
    for root in (base, new):
        for d, _, names in os.walk(root):
            files.update(os.path.relpath(os.path.join(d, n), root) for n in names)
    different, same_values, identical = [], 0, 0
    for f in sorted(files):
        pa, pb = os.path.join(base, f), os.path.join(new, f)
        if not (os.path.isfile(pa) and os.path.isfile(pb)):
            different.append((f, "only in one tree"))
            continue
        with open(pa, "rb") as fa, open(pb, "rb") as fb:
            if fa.read() == fb.read():
                identical += 1
                continue
        if f.endswith(".csv"):
            why = csv_difference(pa, pb)
        elif f.endswith(".parquet"):
            why = parquet_difference(pa, pb)
        else:
            why = "bytes differ"
        if why:
            different.append((f, why))
        else:
            same_values += 1
    for f, why in different:
        print(f"differs: {f}: {why}")
    print(
        f"{identical} identical, {same_values} with the same values in other bytes "
        f"({NEAR} float cells within {ULPS} ulp), {len(different)} different"
    )
    return 1 if different else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--ulps"] and len(args) > 1:
        ULPS, args = int(args[1]), args[2:]
    if len(args) != 2:
        sys.exit(__doc__)
    sys.exit(main(*args))
