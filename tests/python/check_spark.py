"""Runs the Spark SQL of tests/sql/*.spark.sql with PySpark in local mode over the
hive-partitioned tables of `biaslens extract --partitioned` (and, for themes, the
item_themes partitions of `biaslens analyze --partitioned`), and checks that they reproduce
the perspective_balance, source_shares and themes tables biaslens wrote, read back from
their partitions by Spark's partition discovery (topic and year from the folder names).

Usage: python3 tests/python/check_spark.py TABLES_DIR ANALYSIS_DIR
"""

import sys
from pathlib import Path

from pyspark.sql import SparkSession

SQL = Path(__file__).resolve().parent.parent / "sql"


def register(spark, folder: Path, name: str):
    """A table of either layout as a view: `<name>/topic=…/year=…/part-0.parquet` (the
    partition columns come from the folder names) or `<name>.parquet`."""
    parts = folder / name
    if parts.is_dir():
        df = spark.read.option("basePath", str(parts)).parquet(str(parts / "*" / "*" / "*.parquet"))
    else:
        df = spark.read.parquet(str(folder / f"{name}.parquet"))
    df.createOrReplaceTempView(name)
    return df


def close(a, b, tol):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) or isinstance(b, float):
        return abs(a - b) <= tol
    return a == b


def compare(what, got, want, tol):
    """Row by row, in order; floats within `tol`. Returns the number of failures (0 or 1)."""
    if len(got) != len(want):
        print(f"FAIL: {what}: Spark gives {len(got)} rows, biaslens {len(want)}")
        return 1
    for g, w in zip(got, want):
        if len(g) != len(w) or not all(close(x, y, tol) for x, y in zip(g, w)):
            print(f"FAIL: {what}: {g} != {w}")
            return 1
    print(f"{len(got)} {what} rows, by Spark SQL, match biaslens")
    return 0


def main(tables: Path, analysis: Path) -> int:
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("biaslens-check")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    for name in ["articles", "highlights", "digests", "perspectives"]:
        register(spark, tables, name)
    for name in ["perspective_balance", "source_shares", "themes", "item_themes"]:
        register(spark, analysis, name)
    query = lambda name: [tuple(r) for r in spark.sql((SQL / f"{name}.spark.sql").read_text()).collect()]
    rows = lambda sql: [tuple(r) for r in spark.sql(sql).collect()]
    failed = 0
    failed += compare(
        "perspective_balance",
        query("perspective_balance"),
        rows("SELECT topic, period, period_start, period_end, perspective_id, articles, share, balance_index "
             "FROM perspective_balance ORDER BY topic, period_start, perspective_id"),
        1e-12,
    )
    failed += compare(
        "source_shares",
        query("source_shares"),
        rows("SELECT topic, period, period_start, period_end, perspective_id, outlet_id, articles, share "
             "FROM source_shares ORDER BY topic, period_start, perspective_id, outlet_id"),
        5e-7,
    )
    themes = query("themes")
    # Every topic-period-section's items, and every (theme, mentions, share) with a mention.
    failed += compare(
        "themes (items per topic-period-section)",
        sorted({t[:4] + (t[6],) for t in themes}),
        rows("SELECT DISTINCT topic, period, period_start, section, items FROM themes "
             "ORDER BY topic, period, period_start, section"),
        0,
    )
    failed += compare(
        "themes (mentions)",
        sorted(t for t in themes if t[4] is not None),
        rows("SELECT topic, period, period_start, section, theme, mentions, items, share FROM themes "
             "WHERE mentions > 0 ORDER BY topic, period, period_start, section, theme"),
        5e-7,
    )
    parts = rows("SELECT count(*) FROM (SELECT DISTINCT topic, year FROM articles)")[0][0]
    analysis_parts = rows("SELECT count(*) FROM (SELECT DISTINCT topic, year FROM themes)")[0][0]
    spark.stop()
    print(f"read from {parts} article partitions and {analysis_parts} themes partitions")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()))
