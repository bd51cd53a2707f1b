"""Reads a biaslens export back with pandas, Python Polars and DuckDB and checks that every
table has the row count the export's manifest records, in CSV and in Parquet.

Usage: python3 tests/python/check_export.py EXPORT_DIR
"""

import json
import re
import sys
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl


def manifest_rows(folder: Path) -> dict:
    """Rows per output file, from the manifest table of the export's README.md."""
    rows = {}
    for line in (folder / "README.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\| (\S+\.(?:csv|parquet)) \| (\d+) \|", line)
        if m:
            rows[m.group(1)] = int(m.group(2))
    return rows


def main(folder: Path) -> int:
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    expected = manifest_rows(folder)
    con = duckdb.connect()
    passed, failed = 0, 0
    for res in package["resources"]:
        csv = folder / res["path"]
        stem = csv.stem
        want = expected[csv.name]
        counts = {
            "pandas csv": len(pd.read_csv(csv, dtype=str, keep_default_na=False, encoding="utf-8")),
            "polars csv": pl.read_csv(csv, infer_schema_length=0).height,
            "duckdb csv": con.execute(f"select count(*) from read_csv('{csv}', header=true, all_varchar=true)").fetchone()[0],
        }
        parquet = folder / f"{stem}.parquet"
        if parquet.exists():
            counts["pandas parquet"] = len(pd.read_parquet(parquet))
            counts["polars parquet"] = pl.read_parquet(parquet).height
            counts["duckdb parquet"] = con.execute(f"select count(*) from read_parquet('{parquet}')").fetchone()[0]
        bad = {k: v for k, v in counts.items() if v != want}
        if bad:
            failed += 1
            print(f"FAIL {stem}: manifest says {want} rows, got {bad}")
        else:
            passed += 1
            print(f"{stem:20} {want:7} rows in {len(counts)} readers")
    # CJK text survives the round trip byte for byte.
    arts = pd.read_csv(folder / "articles.csv", dtype=str, keep_default_na=False)
    cjk = arts["outlet"].str.contains("新华网|読売新聞|人民网").sum()
    if cjk == 0:
        failed += 1
        print("FAIL articles: no CJK outlet names read back")
    else:
        passed += 1
        print(f"CJK outlet names read back intact in {cjk} rows")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
