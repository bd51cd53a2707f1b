"""Runs tests/sql/perspective_balance.spark.sql with PySpark in local mode over the
hive-partitioned tables of `biaslens extract --partitioned`, and checks that it reproduces
the perspective_balance table `biaslens analyze` wrote from the same tables.

Usage: python3 tests/python/check_spark.py TABLES_DIR ANALYSIS_DIR
"""

import sys
from pathlib import Path

from pyspark.sql import SparkSession

SQL = Path(__file__).resolve().parent.parent / "sql" / "perspective_balance.spark.sql"


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
    # Partition discovery reads topic and year from articles/topic=…/year=…/ (Parquet only).
    spark.read.option("basePath", str(tables / "articles")).parquet(
        str(tables / "articles" / "*" / "*" / "*.parquet")
    ).createOrReplaceTempView("articles")
    spark.read.parquet(str(tables / "digests.parquet")).createOrReplaceTempView("digests")
    spark.read.parquet(str(tables / "perspectives.parquet")).createOrReplaceTempView("perspectives")
    got = [tuple(r) for r in spark.sql(SQL.read_text()).collect()]
    want = [
        tuple(r)
        for r in spark.read.parquet(str(analysis / "perspective_balance.parquet"))
        .select("topic", "period", "period_start", "period_end", "perspective_id", "articles", "share", "balance_index")
        .orderBy("topic", "period_start", "perspective_id")
        .collect()
    ]
    parts = spark.sql("SELECT count(*) FROM (SELECT DISTINCT topic, year FROM articles)").collect()[0][0]
    spark.stop()
    failed = 0
    if len(got) != len(want):
        print(f"FAIL: Spark gives {len(got)} rows, biaslens {len(want)}")
        failed += 1
    for g, w in zip(got, want):
        same = g[:6] == w[:6] and abs(g[6] - w[6]) < 1e-12
        same = same and (g[7] is None) == (w[7] is None) and (g[7] is None or abs(g[7] - w[7]) < 1e-12)
        if not same:
            print(f"FAIL: {g} != {w}")
            failed += 1
            break
    print(f"{len(got)} perspective_balance rows from {parts} article partitions, by Spark SQL, match biaslens")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()))
