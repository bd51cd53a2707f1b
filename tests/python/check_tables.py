"""Reads the extracted tables with two other tools (DuckDB and Python Polars) and checks
that the Parquet files carry proper types and the CSV files the same rows.

Usage: python3 tests/python/check_tables.py data/tables
"""

import sys
from pathlib import Path

import duckdb
import polars as pl

TABLES = ["digests", "perspectives", "articles", "highlights", "problems"]

# Contract columns and the Polars type each must have in Parquet (tables spec).
EXPECTED = {
    "digests": {
        "digest_id": pl.String, "source_path": pl.String, "topic": pl.String, "topic_name": pl.String,
        "title": pl.String, "published_at": pl.Datetime("ms", "UTC"), "digest_date": pl.Date,
        "iso_week": pl.String, "draft": pl.Boolean, "superseded": pl.Boolean,
        "article_count_declared": pl.Int64, "article_count_listed": pl.Int64, "highlight_count": pl.Int64,
    },
    "perspectives": {
        "digest_id": pl.String, "topic": pl.String, "digest_date": pl.Date, "perspective_id": pl.String,
        "perspective_name": pl.String, "perspective_order": pl.Int64, "declared_count": pl.Int64,
        "listed_count": pl.Int64,
    },
    "articles": {
        "digest_id": pl.String, "topic": pl.String, "digest_date": pl.Date, "position": pl.Int64,
        "perspective_id": pl.String, "outlet": pl.String, "outlet_id": pl.String, "language": pl.String,
        "title": pl.String, "url": pl.String, "published_date": pl.Date,
    },
    "highlights": {
        "digest_id": pl.String, "topic": pl.String, "digest_date": pl.Date, "section": pl.String,
        "position": pl.Int64, "text": pl.String,
    },
    "problems": {
        "source_path": pl.String, "line": pl.Int64, "severity": pl.String, "kind": pl.String,
        "message": pl.String,
    },
}


def main(folder: Path) -> int:
    con = duckdb.connect()
    failures = []
    for name in TABLES:
        pq, csv = folder / f"{name}.parquet", folder / f"{name}.csv"
        df = pl.read_parquet(pq)
        for col, dtype in EXPECTED[name].items():
            if col not in df.columns:
                failures.append(f"{name}: column {col} missing")
            elif df.schema[col] != dtype:
                failures.append(f"{name}.{col}: {df.schema[col]} in Parquet, expected {dtype}")
        n_duck_pq = con.execute(f"select count(*) from read_parquet('{pq}')").fetchone()[0]
        n_duck_csv = con.execute(f"select count(*) from read_csv('{csv}', header=true)").fetchone()[0]
        n_pl_csv = pl.read_csv(csv, infer_schema_length=0).height
        if not df.height == n_duck_pq == n_duck_csv == n_pl_csv:
            failures.append(f"{name}: rows differ (polars parquet {df.height}, duckdb parquet {n_duck_pq}, "
                            f"duckdb csv {n_duck_csv}, polars csv {n_pl_csv})")
        print(f"{name:13} {df.height:7} rows, {len(df.columns):2} columns: Parquet and CSV agree")

    # The CSV timestamps read back as the same instants as the Parquet ones.
    same = con.execute(
        f"select count(*) from read_parquet('{folder}/digests.parquet') p "
        f"join read_csv('{folder}/digests.csv', header=true) c using (digest_id) "
        f"where p.published_at = c.published_at::timestamptz and p.digest_date = c.digest_date"
    ).fetchone()[0]
    total = con.execute(f"select count(*) from read_parquet('{folder}/digests.parquet')").fetchone()[0]
    if same != total:
        failures.append(f"digests: {total - same} rows whose CSV timestamp or date differs from Parquet")
    for f in failures:
        print("FAIL:", f)
    checks = TABLES + ["timestamps"]
    failed = {c for c in checks for f in failures if f.startswith(c) or (c == "timestamps" and "timestamp" in f)}
    print(f"{len(checks) - len(failed)} passed, {len(failed)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "data/tables")))
