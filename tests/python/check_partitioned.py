"""Reads the hive-partitioned tables of `biaslens extract --partitioned` with DuckDB,
reproduces perspective_balance with one SQL query (tests/sql/perspective_balance.duckdb.sql)
and checks it against what `biaslens analyze` wrote from the same tables (in either layout).

Usage: python3 tests/python/check_partitioned.py TABLES_DIR ANALYSIS_DIR
"""

import os
import sys
from pathlib import Path

import duckdb

SQL = Path(__file__).resolve().parent.parent / "sql" / "perspective_balance.duckdb.sql"


def main(tables: Path, analysis: Path) -> int:
    os.chdir(tables)
    con = duckdb.connect()
    got = con.execute(SQL.read_text()).fetchall()
    # The analysis in either layout: partitions (`analyze --partitioned`, topic and year from
    # the folder names) or one file.
    parts = analysis.resolve() / "perspective_balance"
    source = (
        f"read_parquet('{parts}/*/*/*.parquet', hive_partitioning = true)"
        if parts.is_dir()
        else f"read_parquet('{analysis.resolve()}/perspective_balance.parquet')"
    )
    want = con.execute(
        f"SELECT topic, period, period_start, period_end, perspective_id, articles, share, balance_index "
        f"FROM {source} ORDER BY topic, period_start, perspective_id"
    ).fetchall()
    failed = 0
    if len(got) != len(want):
        print(f"FAIL: DuckDB gives {len(got)} rows, biaslens {len(want)}")
        failed += 1
    for g, w in zip(got, want):
        same_keys = g[:6] == w[:6]
        close = abs(g[6] - w[6]) < 1e-12 and (g[7] is None) == (w[7] is None) and (g[7] is None or abs(g[7] - w[7]) < 1e-12)
        if not (same_keys and close):
            print(f"FAIL: {g} != {w}")
            failed += 1
            break
    n_parts = con.execute("SELECT count(DISTINCT filename) FROM read_parquet('articles/*/*/*.parquet', filename = true)").fetchone()[0]
    print(f"{len(got)} perspective_balance rows from {n_parts} article partitions match biaslens")
    print(f"{1 - min(failed, 1)} passed, {min(failed, 1)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
