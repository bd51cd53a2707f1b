//! Analytics on tiny hand-made corpora, every expected number worked out in a comment.

use biaslens::analytics::{self, lexicon::Lexicon, table, Analysis, Options, Period, Table};
use polars::prelude::*;

use crate::fixture::{counts, inputs, Day};

const LEXICON: &str = "themes:
  - id: trade
    name: Trade
    keywords: {en: [tariff, trade], zh: [关税]}
  - id: tourism
    name: Tourism
    keywords: {en: [tourist, visitor]}
sides:
  china: [China, Beijing]
  japan: [Japan, Tokyo]
stopwords: [the, a, of, in, on]
";

fn lexicon() -> Lexicon {
    Lexicon::from_yaml(LEXICON, "test lexicon").unwrap()
}

fn run(days: &[Day], options: &Options) -> Analysis {
    analytics::analyze(&inputs(days), &lexicon(), options).unwrap()
}

fn week() -> Options {
    Options::default()
}

/// The rows of a table as `(col1, col2, …)` strings, for compact assertions.
fn rows(a: &Analysis, name: Table, cols: &[&str]) -> Vec<Vec<String>> {
    let df = a.get(name).unwrap();
    (0..df.height())
        .map(|i| {
            cols.iter()
                .map(|c| match df.column(c).unwrap().get(i).unwrap() {
                    AnyValue::Null => "∅".to_string(),
                    AnyValue::String(s) => s.to_string(),
                    AnyValue::StringOwned(s) => s.to_string(),
                    AnyValue::Float64(f) => format!("{f:.6}"),
                    v => v.to_string(),
                })
                .collect()
        })
        .collect()
}

fn floats(a: &Analysis, name: Table, col: &str) -> Vec<f64> {
    a.get(name).unwrap().column(col).unwrap().f64().unwrap().iter().map(|v| v.unwrap_or(f64::NAN)).collect()
}

#[test]
fn balance_of_three_to_one() {
    // China 3 articles, Japan 1: shares 3/4 and 1/4.
    // balance = −(¾ ln ¾ + ¼ ln ¼) / ln 2 = (0.215762 + 0.346574) / 0.693147 = 0.811278
    let a = run(&[counts("t", "2026-01-20", &[("china", 3), ("japan", 1)])], &week());
    assert_eq!(
        rows(
            &a,
            table::PERSPECTIVE_BALANCE,
            &[
                "topic",
                "period",
                "period_start",
                "period_end",
                "perspective_id",
                "articles",
                "share",
                "balance_index"
            ]
        ),
        [
            ["t", "2026-W04", "2026-01-19", "2026-01-25", "china", "3", "0.750000", "0.811278"],
            ["t", "2026-W04", "2026-01-19", "2026-01-25", "japan", "1", "0.250000", "0.811278"],
        ]
    );
}

#[test]
fn a_side_with_zero_articles_keeps_its_row() {
    // China 2, Japan 0: shares 1 and 0; H = −(1 ln 1 + 0) = 0, so balance 0 (one side only).
    let a = run(&[counts("t", "2026-01-20", &[("china", 2), ("japan", 0)])], &week());
    assert_eq!(
        rows(&a, table::PERSPECTIVE_BALANCE, &["perspective_id", "articles", "share", "balance_index"]),
        [["china", "2", "1.000000", "0.000000"], ["japan", "0", "0.000000", "0.000000"]]
    );
}

#[test]
fn three_sides_over_two_digests_of_one_week() {
    // Mon: china 1, philippines 1, vietnam 0; Wed: china 1, philippines 0, vietnam 1.
    // Week totals 2, 1, 1 of 4: shares ½, ¼, ¼.
    // H = −(½ ln ½ + 2 · ¼ ln ¼) = 0.346574 + 0.693147 = 1.039721; ÷ ln 3 (1.098612) = 0.946395
    let a = run(
        &[
            counts("scs", "2026-01-19", &[("china", 1), ("philippines", 1), ("vietnam", 0)]),
            counts("scs", "2026-01-21", &[("china", 1), ("philippines", 0), ("vietnam", 1)]),
        ],
        &week(),
    );
    assert_eq!(
        rows(
            &a,
            table::PERSPECTIVE_BALANCE,
            &["perspective_id", "articles", "share", "balance_index", "perspectives_declared"]
        ),
        [
            ["china", "2", "0.500000", "0.946395", "3"],
            ["philippines", "1", "0.250000", "0.946395", "3"],
            ["vietnam", "1", "0.250000", "0.946395", "3"],
        ]
    );
}

#[test]
fn source_shares_are_over_all_articles_of_the_topic_period() {
    // Xinhua 2 (新华网 and Xinhua are one outlet), SCMP 1, Nikkei 1: 2/4, 1/4, 1/4.
    let day = Day {
        topic: "t",
        date: "2026-01-20",
        sides: vec![
            ("china", vec![("新华网", "a"), ("Xinhua", "b"), ("South China Morning Post", "c")]),
            ("japan", vec![("Nikkei Asia", "d")]),
        ],
        ..Day::default()
    };
    let a = run(&[day], &week());
    assert_eq!(
        rows(&a, table::SOURCE_SHARES, &["perspective_id", "outlet_id", "articles", "share"]),
        // Ties on articles are ordered by outlet id.
        [
            ["china", "xinhua", "2", "0.500000"],
            ["japan", "nikkei-asia", "1", "0.250000"],
            ["china", "scmp", "1", "0.250000"]
        ]
    );
}

#[test]
fn drafts_and_superseded_runs_are_left_out_unless_asked() {
    let early = counts("t", "2026-01-20", &[("china", 1), ("japan", 1)]);
    let late =
        Day { time: "13:00", suffix: "-rerun", ..counts("t", "2026-01-20", &[("china", 3), ("japan", 1)]) };
    let draft = Day { draft: true, ..counts("t", "2026-01-21", &[("china", 5), ("japan", 5)]) };
    let days = [early, late, draft];
    // Default: only the later re-run counts: china 3, japan 1.
    let a = run(&days, &week());
    assert_eq!(
        rows(&a, table::PERSPECTIVE_BALANCE, &["perspective_id", "articles"]),
        [["china", "3"], ["japan", "1"]]
    );
    // Everything: china 1 + 3 + 5 = 9, japan 1 + 1 + 5 = 7.
    let mut all = week();
    all.filter.include_drafts = true;
    all.filter.include_superseded = true;
    let a = run(&days, &all);
    assert_eq!(
        rows(&a, table::PERSPECTIVE_BALANCE, &["perspective_id", "articles"]),
        [["china", "9"], ["japan", "7"]]
    );
}

#[test]
fn an_empty_week_has_no_rows_and_months_group_weeks() {
    // Weeks 2026-W02 and W04 have digests, W03 none.
    let days = [
        counts("t", "2026-01-07", &[("china", 1), ("japan", 1)]),
        counts("t", "2026-01-21", &[("china", 2), ("japan", 0)]),
    ];
    let a = run(&days, &week());
    assert_eq!(
        rows(&a, table::PERSPECTIVE_BALANCE, &["period", "perspective_id", "articles"]),
        [
            ["2026-W02", "china", "1"],
            ["2026-W02", "japan", "1"],
            ["2026-W04", "china", "2"],
            ["2026-W04", "japan", "0"]
        ]
    );
    // By month, both fall in 2026-01: china 3, japan 1.
    let a = run(&days, &Options { period: Period::Month, ..week() });
    assert_eq!(
        rows(
            &a,
            table::PERSPECTIVE_BALANCE,
            &["period", "period_start", "period_end", "perspective_id", "articles"]
        ),
        [
            ["2026-01", "2026-01-01", "2026-01-31", "china", "3"],
            ["2026-01", "2026-01-01", "2026-01-31", "japan", "1"]
        ]
    );
}

#[test]
fn iso_weeks_cross_the_year() {
    // 2025-12-29 (Monday) to 2026-01-04 is ISO week 2026-W01.
    let a = run(&[counts("t", "2025-12-30", &[("china", 1), ("japan", 1)])], &week());
    assert_eq!(
        rows(&a, table::PERSPECTIVE_BALANCE, &["period", "period_start", "period_end"])[0],
        ["2026-W01", "2025-12-29", "2026-01-04"]
    );
}

#[test]
fn themes_count_items_once_with_zeros_for_every_theme() {
    // Overall: 3 bullets; 2 name trade ("tariffs", "trade … tariff" counts once), 1 names tourists.
    // China items: 1 bullet + 2 titles = 3; trade in the bullet and in "关税" → 2 of 3.
    // Japan items: 0 bullets + 1 title = 1; nothing → trade 0/1, tourism 0/1.
    let day = Day {
        topic: "t",
        date: "2026-01-20",
        sides: vec![
            ("china", vec![("Xinhua", "加征关税"), ("Xinhua", "Panda diplomacy")]),
            ("japan", vec![("Nikkei Asia", "Markets calm")]),
        ],
        overall: vec!["New tariffs announced.", "Trade and a tariff row.", "Fewer tourists."],
        bullets: vec![("china", vec!["Trade talks resume."])],
        ..Day::default()
    };
    let a = run(&[day], &week());
    assert_eq!(
        rows(&a, table::THEMES, &["section", "theme", "mentions", "items", "share"]),
        [
            ["overall", "trade", "2", "3", "0.666667"],
            ["overall", "tourism", "1", "3", "0.333333"],
            ["china", "trade", "2", "3", "0.666667"],
            ["china", "tourism", "0", "3", "0.000000"],
            ["japan", "trade", "0", "1", "0.000000"],
            ["japan", "tourism", "0", "1", "0.000000"],
        ]
    );
    // The items behind those counts, one row per item and theme, with the keyword that
    // matched first: 2 + 1 overall, 2 China (its bullet, and the first article's title).
    assert_eq!(
        rows(&a, table::ITEM_THEMES, &["section", "position", "kind", "theme", "keyword"]),
        [
            ["overall", "1", "highlight", "trade", "tariff"],
            ["overall", "2", "highlight", "trade", "trade"],
            ["overall", "3", "highlight", "tourism", "tourist"],
            ["china", "1", "highlight", "trade", "trade"],
            ["china", "1", "title", "trade", "关税"],
        ]
    );
    // Japan raises nothing; China raises trade twice while Japan (1 item) never does.
    assert_eq!(
        rows(
            &a,
            table::BLINDSPOTS,
            &[
                "kind",
                "perspective_id",
                "theme",
                "mentions",
                "other_perspective_id",
                "other_mentions",
                "other_items"
            ]
        ),
        [["theme-silence", "china", "trade", "2", "japan", "0", "1"]]
    );
}

#[test]
fn trends_use_calendar_windows() {
    // Overall bullets per week (1 item each): W01 trade, W02 trade, W03 no digest, W04 trade,
    // W05 tourism only.
    let day = |date: &'static str, text: &'static str| Day {
        overall: vec![text],
        ..counts("t", date, &[("china", 1), ("japan", 1)])
    };
    let days = [
        day("2026-01-01", "tariff news"),
        day("2026-01-06", "trade news"),
        day("2026-01-20", "tariffs again"),
        day("2026-01-27", "tourist news"),
    ];
    let mut o = week();
    o.trend_window = 2;
    // One item a week: a single mention is enough to count as a move here.
    o.trend_min_mentions = 1;
    let a = run(&days, &o);
    let df = a.get(table::THEME_TRENDS).unwrap().clone();
    let trade = df
        .lazy()
        .filter(col("section").eq(lit("overall")).and(col("theme").eq(lit("trade"))))
        .collect()
        .unwrap();
    let a2 = Analysis::of(vec![(table::THEME_TRENDS, trade)]);
    // W01: no history → no mean, no trend; present 1 of last 4.
    // W02: mean of W01 (1.0) → share 1.0 steady; present 2 (W01, W02).
    // W04: window W02..W03, only W02 had items → mean 1.0; present W01, W02, W04 = 3 → recurring.
    // W05: window W03..W04, only W04 → mean 1.0; share 0 < 1.0 / 2 → fading; present W02, W04 = 2.
    assert_eq!(
        rows(
            &a2,
            table::THEME_TRENDS,
            &[
                "period",
                "share",
                "trailing_mean",
                "trailing_periods",
                "periods_present",
                "recurring",
                "trend"
            ]
        ),
        [
            ["2026-W01", "1.000000", "∅", "0", "1", "false", "∅"],
            ["2026-W02", "1.000000", "1.000000", "1", "2", "false", "steady"],
            ["2026-W04", "1.000000", "1.000000", "1", "3", "true", "steady"],
            ["2026-W05", "0.000000", "1.000000", "1", "2", "false", "fading"],
        ]
    );
}

#[test]
fn a_low_share_stretch_needs_three_consecutive_digests() {
    // Japan's share per digest: 1/2, 0/4, 1/5, 0/3, 1/2. Under 0.2: digests 2 and 4 only
    // (1/5 = 0.2 is not under), so no run of 3. With threshold 0.25, digests 2–4 form a run
    // of 3: mean share (0 + 0.2 + 0)/3 = 0.066667, max 0.2, japan articles 1 of 12.
    let days = [
        counts("t", "2026-01-19", &[("china", 1), ("japan", 1)]),
        counts("t", "2026-01-20", &[("china", 4), ("japan", 0)]),
        counts("t", "2026-01-21", &[("china", 4), ("japan", 1)]),
        counts("t", "2026-01-22", &[("china", 3), ("japan", 0)]),
        counts("t", "2026-01-23", &[("china", 1), ("japan", 1)]),
    ];
    let a = run(&days, &week());
    assert!(rows(&a, table::BLINDSPOTS, &["kind"]).iter().all(|r| r[0] != "low-share-run"));
    let a = run(&days, &Options { low_share: 0.25, ..week() });
    assert_eq!(
        rows(
            &a,
            table::BLINDSPOTS,
            &[
                "kind",
                "perspective_id",
                "start_date",
                "end_date",
                "digests",
                "mean_share",
                "max_share",
                "articles",
                "all_articles",
                "threshold",
                "min_run"
            ]
        ),
        [[
            "low-share-run",
            "japan",
            "2026-01-20",
            "2026-01-22",
            "3",
            "0.066667",
            "0.200000",
            "1",
            "12",
            "0.250000",
            "3"
        ]]
    );
}

#[test]
fn coverage_profile_languages_ages_and_cross_coverage() {
    // Digest 2026-01-20, articles dated 1/18/2026: age 2 days each.
    // China titles: "Tokyo protests" names Japan (other); "Beijing replies" names China (self);
    // "Weather" names neither. Japan title: "Japan and China talk" names both.
    // Languages are the titles' own, not the [zh-CN] tag: the China titles have fewer than 3
    // words, too short to tell (empty); "Japan and China talk" (4 words, 17 letters) is English.
    let day = Day {
        sides: vec![
            (
                "china",
                vec![("Xinhua", "Tokyo protests"), ("Xinhua", "Beijing replies"), ("Xinhua", "Weather")],
            ),
            ("japan", vec![("Nikkei Asia", "Japan and China talk")]),
        ],
        lang: Some("zh-CN"),
        article_date: Some("1/18/2026"),
        ..counts("t", "2026-01-20", &[])
    };
    let a = run(&[day], &week());
    assert_eq!(
        rows(
            &a,
            table::COVERAGE_PROFILE,
            &[
                "perspective_id",
                "articles",
                "dated_articles",
                "age_median_days",
                "age_max_days",
                "names_other",
                "names_self",
                "names_neither"
            ]
        ),
        [
            ["china", "3", "3", "2.000000", "2.000000", "1", "1", "1"],
            ["japan", "1", "1", "2.000000", "2.000000", "1", "1", "0"]
        ]
    );
    assert_eq!(floats(&a, table::COVERAGE_PROFILE, "share_names_other"), [1.0 / 3.0, 1.0]);
    assert_eq!(
        rows(&a, table::COVERAGE_LANGUAGES, &["perspective_id", "language", "articles", "share"]),
        [["china", "∅", "3", "1.000000"], ["japan", "en", "1", "1.000000"]]
    );
}

#[test]
fn emerging_terms_rank_new_words_against_the_trailing_weeks() {
    // W03: three titles "Panda"; W04: four "Panda" and three "Typhoon".
    // With window 4: panda in W04 has trailing mean 3/4 = 0.75 → score 4 / 1.75 = 2.285714;
    // typhoon is new: 3 / 1 = 3.0, so it ranks first. W03's panda: 3 / 1 = 3.0.
    let titles = |n: usize, t: &'static str| -> Vec<(&'static str, &'static str)> {
        (0..n).map(|_| ("Xinhua", t)).collect()
    };
    let d1 = Day {
        sides: vec![("china", titles(3, "Panda")), ("japan", vec![])],
        ..counts("t", "2026-01-13", &[])
    };
    let mut w4 = titles(4, "Panda");
    w4.extend(titles(3, "Typhoon"));
    let d2 = Day { sides: vec![("china", w4), ("japan", vec![])], ..counts("t", "2026-01-20", &[]) };
    let a = run(&[d1, d2], &week());
    let got = rows(&a, table::EMERGING_TERMS, &["period", "rank", "term", "items", "trailing_mean", "score"]);
    assert_eq!(got[0], ["2026-W03", "1", "panda", "3", "0.000000", "3.000000"]);
    let w04: Vec<_> =
        got.iter().filter(|r| r[0] == "2026-W04").map(|r| (r[2].clone(), r[5].clone())).collect();
    assert_eq!(w04[0], ("typhoon".to_string(), "3.000000".to_string()));
    assert!(w04.contains(&("panda".to_string(), "2.285714".to_string())), "{w04:?}");
}

#[test]
fn a_corpus_where_nothing_names_a_theme_still_analyses() {
    // Regression: with no match anywhere the match lists had no element type and joins failed.
    // Overall: no bullets; china 1 title, japan 1 title, neither naming a theme: 0 of 1 each.
    let a = run(&[counts("t", "2026-01-20", &[("china", 1), ("japan", 1)])], &week());
    assert_eq!(
        rows(&a, table::THEMES, &["section", "theme", "mentions", "items"]),
        [
            ["china", "trade", "0", "1"],
            ["china", "tourism", "0", "1"],
            ["japan", "trade", "0", "1"],
            ["japan", "tourism", "0", "1"]
        ]
    );
    assert_eq!(a.get(table::EMERGING_TERMS).unwrap().height(), 0);
}
