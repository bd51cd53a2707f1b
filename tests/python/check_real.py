"""Checks an extract of real published digests (../shared/real) against the files themselves.

    python3 tests/python/check_real.py DIGESTS_DIR TABLES_DIR

Independent of biaslens's own parser: it counts the numbered source lines of every file with
a regular expression and compares them with the `articles` rows. It fails on
- any `error` row in the problems table;
- a digest file (one with a `topic:` line) that gave no row in `digests`;
- a file whose numbered source lines and article rows differ in number or line;
- an article whose side contradicts a distinct feed tag: within a digest, one tag must name
  one side, and two tags of a topic whose sides have distinct feeds must name two sides.
"""

import pathlib
import re
import sys

import polars as pl

SOURCE = re.compile(r"^\d+\. (\[[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\] )?\[")


def main(digests_dir: str, tables_dir: str) -> int:
    root = pathlib.Path(digests_dir)
    tables = pathlib.Path(tables_dir)
    failures = []

    problems = pl.read_parquet(tables / "problems.parquet")
    errors = problems.filter(pl.col("severity") == "error")
    for r in errors.iter_rows(named=True):
        failures.append(f"error row: {r['source_path']}:{r['line']}: {r['kind']}: {r['message']}")

    digests = pl.read_parquet(tables / "digests.parquet")
    articles = pl.read_parquet(tables / "articles.parquet").join(
        digests.select("digest_id", "source_path"), on="digest_id"
    )
    read = set(digests["source_path"].to_list())
    by_file = {
        path: sorted(group["source_line"].to_list())
        for (path,), group in articles.group_by("source_path")
    }
    files = 0
    for f in sorted(root.rglob("*.md")):
        rel = f.relative_to(root).as_posix()
        text = f.read_text(encoding="utf-8-sig")
        if not re.search(r"^topic:", text, re.M):
            continue
        files += 1
        if rel not in read:
            failures.append(f"{rel}: a digest file with no row in digests")
            continue
        in_sources = False
        lines = []
        # Lines end at \n only, as in the file (and biaslens): str.splitlines() would also
        # split at U+2028/U+2029, which real titles carry, and count lines that are not.
        for n, line in enumerate(text.split("\n"), 1):
            line = line.removesuffix("\r")
            if line.strip().lower() == "## sources":
                in_sources = True
            elif line.startswith("## "):
                in_sources = False
            elif in_sources and SOURCE.match(line.strip()):
                lines.append(n)
        if by_file.get(rel, []) != lines:
            failures.append(f"{rel}: source lines {lines} but article rows at {by_file.get(rel, [])}")

    # The real generator pulls one feed per side. Where a topic's sides have distinct feed
    # tags (the topic carries more than one tag), each tag names one side in every digest,
    # and two tags name two sides. Where both feeds share a tag (en-US), it names nothing.
    tagged = articles.filter(pl.col("feed").is_not_null() & pl.col("perspective_id").is_not_null())
    for (topic,), group in tagged.group_by("topic"):
        if group["feed"].n_unique() < 2:
            continue
        for (digest_id,), d in group.group_by("digest_id"):
            pairs = d.select("feed", "perspective_id").unique()
            for (feed,), p in pairs.group_by("feed"):
                if p.height > 1:
                    failures.append(f"{digest_id}: feed [{feed}] is on sides {sorted(p['perspective_id'].to_list())}")
            if pairs["perspective_id"].n_unique() != pairs["feed"].n_unique():
                failures.append(f"{digest_id}: its feeds {sorted(pairs['feed'].unique().to_list())} do not name distinct sides")

    for f in failures[:50]:
        print(f"FAIL {f}")
    if len(failures) > 50:
        print(f"… and {len(failures) - 50} more")
    print(
        f"checked {files} digest files, {articles.height} articles, {problems.height} problems: "
        f"{len(failures)} failures"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
