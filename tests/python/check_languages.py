"""Checks the title languages of an extract of real digests against their feeds' languages.

    python3 tests/python/check_languages.py TABLES_DIR

A feed is nearly always in its own language, so the share of a feed language's titles
(four words or more) given that language measures how often the detector, with the feed as
its prior, is right. Goals (issue 27): at least 99.5 % for English feeds and 99 % for
Spanish ones. Prints every feed language's share and how the languages were decided; fails
when a goal is missed.
"""

import pathlib
import sys

import polars as pl

GOALS = {"en": 0.995, "es": 0.99}


def main(tables_dir: str) -> int:
    a = pl.read_parquet(pathlib.Path(tables_dir) / "articles.parquet")
    a = a.filter(pl.col("feed").is_not_null()).with_columns(
        pl.col("feed").str.split("-").list.first().str.to_lowercase().alias("feed_language"),
        pl.col("title").str.split(" ").list.len().alias("words"),
    )
    long = a.filter(pl.col("words") >= 4)
    failures = 0
    for (feed,), g in sorted(long.group_by("feed_language"), key=lambda x: x[0]):
        same = g.filter(pl.col("language") == feed).height
        share = same / g.height
        others = g.filter(pl.col("language") != feed).group_by("language").len().sort("len", descending=True)
        goal = GOALS.get(feed)
        verdict = "" if goal is None else (" ok" if share >= goal else f" FAIL (goal {goal:.1%})")
        print(f"{feed} feeds: {same} of {g.height} titles of 4+ words are {feed} ({share:.2%}){verdict}; others {others.rows()}")
        failures += goal is not None and share < goal
    methods = a.group_by("language_method").len().sort("len", descending=True)
    print(f"language_method over {a.height} tagged titles: {methods.rows()}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
