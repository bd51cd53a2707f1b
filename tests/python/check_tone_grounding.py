"""Scores tone and grounding against the hand labels (issue 29), on the analysis of
../shared/real, and holds the held-out levels minus a margin.

    python3 tests/python/check_tone_grounding.py ANALYSIS_DIR FIXTURES_DIR [--half tuned|held-out|both] [--show]

ANALYSIS_DIR is `biaslens analyze` run on the tables of ../shared/real (default options);
FIXTURES_DIR is tests/fixtures (grounding/ and tone/, rules in their LABELLING.txt).
Decisions were made on the tuned half only; the held-out half is what LEVELS holds.

Grounding, on the labelled side bullets:
- status agreement: share of bullets whose status equals the label;
- per-status precision and recall;
- support precision@1: of the bullets with a supporting title listed, the share whose best
  title is among the labelled supporting titles;
- the two labellers' agreement on the 80 bullets labelled twice (status, and Cohen's kappa).
Tone, on the rated items (-2..+2):
- Spearman rho of item tone with the ratings: English titles, Spanish titles, highlights;
- whether the side-vs-side difference of mean tone has the ratings' sign (per topic and
  half, titles).
"""

import math
import pathlib
import re
import sys

import polars as pl

# Held-out levels reached on 2026-12-07 (docs/analysis.md, Tone and Grounding; the tone ones
# as measured after the eighth session's news words); CI holds them minus MARGIN.
LEVELS = {
    "status_agreement": 0.744,
    "cross_attributed_precision": 0.778,
    "status_agreement_second_set": 0.760,
    "cross_attributed_precision_second_set": 0.815,
    "status_agreement_all_held_out": 0.752,
    "cross_attributed_precision_all_held_out": 0.796,
    "rho_en_titles": 0.533,
    "rho_es_titles": 0.226,
    "rho_es_titles_second_set": 0.347,
    "rho_es_titles_third_set": 0.422,
    "rho_es_titles_fourth_set": 0.298,
    "rho_es_titles_all_held_out": 0.336,
    "rho_highlights": 0.642,
}
MARGIN = 0.03
# The grounding goals are read on all held-out bullets (314), the Spanish one on all held-out
# Spanish titles (543): the least noisy measures.
GOALS = {
    "status_agreement_all_held_out": 0.75,
    "cross_attributed_precision_all_held_out": 0.6,
    "rho_en_titles": 0.5,
    "rho_es_titles_all_held_out": 0.4,
}
STATUSES = ["grounded", "cross-attributed", "both", "ungrounded"]


def spearman(x, y):
    df = pl.DataFrame({"x": x, "y": y}).drop_nulls()
    if df.height < 3:
        return float("nan")
    rx = df["x"].rank("average")
    ry = df["y"].rank("average")
    return float(pl.DataFrame({"a": rx, "b": ry}).select(pl.corr("a", "b")).item())


def kappa(a, b):
    n = len(a)
    po = sum(x == y for x, y in zip(a, b)) / n
    pe = sum((a.count(s) / n) * (b.count(s) / n) for s in set(a) | set(b))
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def grounding(analysis, fixtures, half, show):
    """Scores of the bullets of `half` (a list of halves, or "both": every labelled bullet)."""
    labels = pl.read_csv(fixtures / "grounding/bullets.csv", infer_schema_length=0)
    if half != "both":
        halves = [half] if isinstance(half, str) else half
        labels = labels.filter(pl.col("half").is_in(halves))
    g = pl.read_parquet(analysis / "highlight_grounding.parquet").with_columns(pl.col("position").cast(pl.Utf8))
    m = labels.join(g, on=["digest_id", "section", "position"], how="left", suffix="_tool")
    missing = m.filter(pl.col("status_tool").is_null()).height
    assert missing == 0, f"{missing} labelled bullets have no row in highlight_grounding"
    agree = m.filter(pl.col("status") == pl.col("status_tool")).height / m.height
    out = {"bullets": m.height, "status_agreement": agree}
    for s in STATUSES:
        pred = m.filter(pl.col("status_tool") == s)
        gold = m.filter(pl.col("status") == s)
        tp = m.filter((pl.col("status_tool") == s) & (pl.col("status") == s)).height
        out[f"{s}_precision"] = tp / pred.height if pred.height else float("nan")
        out[f"{s}_recall"] = tp / gold.height if gold.height else float("nan")
        out[f"{s}_n"] = (pred.height, gold.height)
    listed = m.filter(pl.col("support_tool").fill_null("") != "")
    hits = sum(
        1
        for gold, tool in zip(listed["support"].fill_null(""), listed["support_tool"])
        if tool.split(";")[0] in [p for p in gold.split(";") if p]
    )
    out["support_precision_at_1"] = hits / listed.height if listed.height else float("nan")
    out["cross_attributed_precision"] = out["cross-attributed_precision"]
    if show:
        wrong = m.filter(pl.col("status") != pl.col("status_tool")).select(
            "topic", "section", "status", "status_tool", "support", "support_tool", "best_own", "best_other", "text"
        )
        with pl.Config(tbl_rows=60, fmt_str_lengths=70, tbl_width_chars=250):
            print(wrong.head(60))
    return out


def extra_grounding(analysis, fixtures):
    """Status agreement and cross-attributed precision on `held-out-2`, 154 bullets of the
    held-out dates (one per digest not in the first set, drawn with a fixed seed on the third
    2026-12-07 session and labelled blind by four helper sessions, one per topic), measured
    once with nothing changed; and on all 314 held-out bullets."""
    out = {}
    for name, halves in [("second_set", ["held-out-2"]), ("all_held_out", ["held-out", "held-out-2"])]:
        r = grounding(analysis, fixtures, halves, False)
        out[f"bullets_{name}"] = r["bullets"]
        out[f"status_agreement_{name}"] = r["status_agreement"]
        out[f"cross_attributed_precision_{name}"] = r["cross_attributed_precision"]
    return out


def agreement(fixtures):
    a = pl.read_csv(fixtures / "grounding/bullets.csv", infer_schema_length=0)
    b = pl.read_csv(fixtures / "grounding/bullets-second-labeller.csv", infer_schema_length=0)
    m = a.join(b, on="bullet_id", suffix="_2")
    x, y = m["status"].to_list(), m["status_2"].to_list()
    return {"double_labelled": m.height, "labeller_agreement": sum(p == q for p, q in zip(x, y)) / m.height, "labeller_kappa": kappa(x, y)}


def tone(analysis, fixtures, half):
    items = pl.read_csv(fixtures / "tone/items.csv", infer_schema_length=0).with_columns(pl.col("rating").cast(pl.Int64))
    if half != "both":
        items = items.filter(pl.col("half") == half)
    t = pl.read_parquet(analysis / "item_tone.parquet").with_columns(pl.col("position").cast(pl.Utf8))
    m = items.join(t, on=["digest_id", "section", "position", "kind"], how="left")
    missing = m.filter(pl.col("lexicon").is_null()).height
    assert missing == 0, f"{missing} rated items have no row in item_tone"
    lang = pl.col("language").fill_null("").str.slice(0, 2)
    out = {}
    for name, f in [
        ("rho_en_titles", (pl.col("kind") == "title") & (lang == "en")),
        ("rho_es_titles", (pl.col("kind") == "title") & (lang == "es")),
        ("rho_highlights", pl.col("kind") == "highlight"),
    ]:
        s = m.filter(f)
        out[name] = spearman(s["tone"].to_list(), s["rating"].to_list())
        out[name.replace("rho", "n")] = s.height
    # Side vs side: per topic (and half), the two sides' mean rating and mean tone of titles.
    titles = m.filter(pl.col("kind") == "title")
    agree, pairs = 0, 0
    for (topic, h), grp in titles.group_by(["topic", "half"]):
        by = grp.group_by("section").agg(pl.col("rating").mean().alias("r"), pl.col("tone").mean().alias("t"), pl.len()).filter(pl.col("len") >= 5).sort("section")
        if by.height < 2:
            continue
        r = by["r"][0] - by["r"][1]
        tt = by["t"][0] - by["t"][1]
        pairs += 1
        agree += int(math.copysign(1, r) == math.copysign(1, tt))
    out["side_difference_sign"] = (agree, pairs)
    return out


def extra_spanish(analysis, fixtures):
    """Spearman rho on the later Spanish sets, each rated after the levels before it were set
    and measured once (docs/analysis.md, Tone): `held-out-2`, 150 more titles of the held-out
    dates; `held-out-3`, 143 titles of those dates drawn at random on 2026-12-07 (beside 157 of
    the tuned dates, `tuned-2`); `held-out-4`, 200 more drawn at random on the second
    2026-12-07 session (beside 200 of the tuned dates, `tuned-3`, reported as a check of the
    tuned level); and all 543 held-out Spanish titles together. Also the second labeller's
    ratings of the first 200 held-out Spanish titles: the labels' own agreement."""
    items = pl.read_csv(fixtures / "tone/items.csv", infer_schema_length=0).with_columns(pl.col("rating").cast(pl.Int64))
    t = pl.read_parquet(analysis / "item_tone.parquet").with_columns(pl.col("position").cast(pl.Utf8))
    m = items.join(t, on=["digest_id", "section", "position", "kind"], how="left")
    spanish = m.filter((pl.col("language").fill_null("").str.slice(0, 2) == "es") & (pl.col("kind") == "title"))
    out = {}
    sets = [
        ("second_set", ["held-out-2"]),
        ("third_set", ["held-out-3"]),
        ("fourth_set", ["held-out-4"]),
        ("all_held_out", ["held-out", "held-out-2", "held-out-3", "held-out-4"]),
        ("all_tuned", ["tuned", "tuned-2", "tuned-3"]),
    ]
    for name, halves in sets:
        s = spanish.filter(pl.col("half").is_in(halves))
        out[f"rho_es_titles_{name}"] = spearman(s["tone"].to_list(), s["rating"].to_list())
        out[f"n_es_{name}"] = s.height
    second = pl.read_csv(fixtures / "tone/items-second-labeller.csv", infer_schema_length=0).with_columns(pl.col("rating").cast(pl.Int64))
    d = spanish.join(second, on="item_id", suffix="_2")
    out["es_labeller_rho"] = spearman(d["rating"].to_list(), d["rating_2"].to_list())
    out["es_labeller_exact"] = (d["rating"] == d["rating_2"]).mean()
    out["rho_es_titles_mean_of_two_labellers"] = spearman(d["tone"].to_list(), ((d["rating"] + d["rating_2"]) / 2).to_list())
    out["n_es_double_rated"] = d.height
    return out


def main(argv):
    analysis, fixtures = pathlib.Path(argv[0]), pathlib.Path(argv[1])
    half = "held-out"
    if "--half" in argv:
        half = argv[argv.index("--half") + 1]
    show = "--show" in argv
    results = {**grounding(analysis, fixtures, half, show), **tone(analysis, fixtures, half), **agreement(fixtures)}
    if half == "held-out":
        results.update(extra_grounding(analysis, fixtures))
        results.update(extra_spanish(analysis, fixtures))
    for k, v in results.items():
        print(f"{k}: {v:.3f}" if isinstance(v, float) else f"{k}: {v}")
    failed = []
    if half == "held-out":
        for k, level in LEVELS.items():
            if level is not None and results[k] < level - MARGIN:
                failed.append(f"{k} {results[k]:.3f} fell below its level {level} - {MARGIN}")
        for k, goal in GOALS.items():
            print(f"goal {k} >= {goal}: {'met' if results[k] >= goal else 'NOT met'} ({results[k]:.3f})")
    failed += quoted_levels()
    for f in failed:
        print("FAIL:", f)
    return 1 if failed else 0


def quoted_levels():
    """The report and `side_tone.lexicon_rho` quote each tone list's held-out rho
    (`HELD_OUT_RHO` and `HELD_OUT_RHO_HIGHLIGHTS` in src/analytics/tone/side.rs): they must be
    the levels above."""
    source = (pathlib.Path(__file__).resolve().parents[2] / "src/analytics/tone/side.rs").read_text()
    titles = re.search(r"HELD_OUT_RHO: \[\(&str, f64\); 2\] = \[(.*?)\];", source)
    quoted = dict(re.findall(r'\("(en|es)", ([0-9.]+)\)', titles.group(1) if titles else ""))
    highlights = re.search(r"HELD_OUT_RHO_HIGHLIGHTS: f64 = ([0-9.]+);", source)
    if highlights:
        quoted["highlights"] = highlights.group(1)
    want = {"en": LEVELS["rho_en_titles"], "es": LEVELS["rho_es_titles_all_held_out"], "highlights": LEVELS["rho_highlights"]}
    return [
        f"the held-out rho quoted for {k} in src/analytics/tone/side.rs is {quoted.get(k)}, the level is {v}"
        for k, v in want.items()
        if quoted.get(k) is None or float(quoted[k]) != v
    ]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
