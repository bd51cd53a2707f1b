//! Tone and grounding on tiny hand-made digests, every number worked out by hand (the
//! valences are VADER's: peace +2.5, war −2.9).

use biaslens::analytics::lexicon::Lexicon;
use biaslens::analytics::{self, Analysis, Options, Table};
use polars::prelude::*;

use crate::fixture::{inputs, Day};
use crate::root;

fn analyse(days: &[Day]) -> Analysis {
    let lexicon = Lexicon::load(&root().join("data/themes.yaml")).unwrap();
    analytics::analyze(&inputs(days), &lexicon, &Options::default()).unwrap()
}

/// Column `name` of a table as strings (`∅` for null; floats to six decimals).
fn column(a: &Analysis, t: Table, name: &str) -> Vec<String> {
    let df = a.get(t).unwrap();
    let c = df.column(name).unwrap();
    (0..df.height())
        .map(|i| match c.get(i).unwrap() {
            AnyValue::Null => "∅".to_string(),
            AnyValue::Float64(f) => format!("{f:.6}"),
            AnyValue::String(s) => s.to_string(),
            v => v.to_string(),
        })
        .collect()
}

#[test]
fn side_tone_by_hand() {
    let day = Day {
        topic: "t",
        date: "2026-01-20",
        sides: vec![
            ("china", vec![("china outlet", "Peace talks resume"), ("china outlet", "War in the north")]),
            ("japan", vec![("japan outlet", "Ministers meet in Tokyo")]),
        ],
        bullets: vec![("china", vec!["Peace is near"])],
        ..Day::default()
    };
    let a = analyse(&[day]);
    // item_tone: "Peace talks resume" = 2.5 / sqrt(2.5² + 15) = 2.5 / 4.609772 = 0.542326;
    // "War in the north" = −2.9 / sqrt(8.41 + 15) = −2.9 / 4.838388 = −0.599373;
    // "Ministers meet in Tokyo" has no word of the lexicon: 0. Highlights first, then titles.
    assert_eq!(column(&a, Table::ItemTone, "tone"), ["0.542326", "0.542326", "-0.599373", "0.000000"]);
    assert_eq!(column(&a, Table::ItemTone, "kind"), ["highlight", "title", "title", "title"]);
    assert_eq!(column(&a, Table::ItemTone, "words"), ["3", "3", "4", "4"]);
    assert_eq!(column(&a, Table::ItemTone, "lexicon"), ["en", "en", "en", "en"]);
    // side_tone, by side then kind:
    // china highlights: 1 item, 3 words, 1 positive → positive_pct 33.333333, tone 33.333333,
    //   mean 0.542326, drift 0.542326 − (−0.028524) = 0.570850;
    // china titles: 2 items, 7 words, 1 positive and 1 negative → 14.285714 each, tone 0,
    //   polarity 28.571429, mean (0.542326 − 0.599373) / 2 = −0.028524, share negative 1/2;
    // japan titles: 1 item, 4 words, no tonal word → 0 %, mean 0.
    assert_eq!(column(&a, Table::SideTone, "perspective_id"), ["china", "china", "japan"]);
    assert_eq!(column(&a, Table::SideTone, "kind"), ["highlight", "title", "title"]);
    assert_eq!(column(&a, Table::SideTone, "words"), ["3", "7", "4"]);
    assert_eq!(column(&a, Table::SideTone, "positive_pct"), ["33.333333", "14.285714", "0.000000"]);
    assert_eq!(column(&a, Table::SideTone, "tone"), ["33.333333", "0.000000", "0.000000"]);
    assert_eq!(column(&a, Table::SideTone, "polarity"), ["33.333333", "28.571429", "0.000000"]);
    assert_eq!(column(&a, Table::SideTone, "mean_item_tone"), ["0.542326", "-0.028524", "0.000000"]);
    assert_eq!(column(&a, Table::SideTone, "share_negative"), ["0.000000", "0.500000", "0.000000"]);
    assert_eq!(column(&a, Table::SideTone, "drift"), ["0.570850", "∅", "∅"]);
    // Each row's lexicon and how well it ranked held-out rated items (highlights, titles).
    assert_eq!(column(&a, Table::SideTone, "lexicon"), ["en", "en", "en"]);
    assert_eq!(column(&a, Table::SideTone, "lexicon_rho"), ["0.642000", "0.533000", "0.533000"]);
    // Under 10 scored items every cell is marked, not hidden.
    assert_eq!(column(&a, Table::SideTone, "few_items"), ["true", "true", "true"]);
    // The bootstrap of two values: a resample's mean is one of −0.599373, −0.028524 and
    // 0.542326 (probabilities ¼, ½, ¼), so of 200 resamples the 2.5% and 97.5% quantiles are
    // the two extremes; one item has no interval.
    assert_eq!(column(&a, Table::SideTone, "ci_low"), ["∅", "-0.599373", "∅"]);
    assert_eq!(column(&a, Table::SideTone, "ci_high"), ["∅", "0.542326", "∅"]);
    // tone_words: china's titles moved by war (−2.9) then peace (+2.5); the highlight by peace.
    assert_eq!(column(&a, Table::ToneWords, "word"), ["peace", "war", "peace"]);
    assert_eq!(column(&a, Table::ToneWords, "contribution"), ["2.500000", "-2.900000", "2.500000"]);
}

#[test]
fn spanish_titles_are_scored_with_the_spanish_list_and_others_are_not_scored() {
    let es = Day {
        topic: "v",
        date: "2026-01-20",
        sides: vec![("venezuelan", vec![("el outlet", "Guerra en el norte")])],
        lang: Some("es-VE"),
        ..Day::default()
    };
    let fr = Day {
        topic: "w",
        lang: Some("fr-FR"),
        sides: vec![("france", vec![("le outlet", "La guerre au nord")])],
        ..es.clone()
    };
    let a = analyse(&[es, fr]);
    // "guerra" is war in the Spanish list: −2.9 → −0.599373, as the English title above.
    assert_eq!(column(&a, Table::ItemTone, "tone"), ["-0.599373", "∅"]);
    assert_eq!(column(&a, Table::ItemTone, "lexicon"), ["es", ""]);
    // The French side: one item, none covered.
    assert_eq!(column(&a, Table::SideTone, "coverage"), ["1.000000", "0.000000"]);
    assert_eq!(column(&a, Table::SideTone, "mean_item_tone"), ["-0.599373", "∅"]);
    // Spanish titles carry the Spanish list's held-out ρ; the unscored side none.
    assert_eq!(column(&a, Table::SideTone, "lexicon_rho"), ["0.336000", "∅"]);
}

#[test]
fn grounding_by_hand() {
    let day = Day {
        topic: "g",
        date: "2026-01-20",
        sides: vec![
            ("china", vec![("china outlet", "Radar lock-on protest filed")]),
            ("japan", vec![("japan outlet", "Fishing ban extended")]),
        ],
        overall: vec!["Stock markets close higher"],
        bullets: vec![
            ("china", vec!["Fishing ban extended", "Radar lock-on protest"]),
            ("japan", vec!["Fishing ban extended", "Currency reserves hit record"]),
        ],
        ..Day::default()
    };
    let a = analyse(&[day]);
    // Each bullet's words are all in one title (score 1: the whole of its weight) and none
    // in the other (0), so with support_min 0.12:
    // - overall: no side → not-assessed (no title shares a word: no support);
    // - china "Fishing ban extended": only Japan's title 2 → cross-attributed;
    // - china "Radar lock-on protest": its own title 1 → grounded;
    // - japan "Fishing ban extended": its own title 2 → grounded;
    // - japan "Currency reserves hit record": no title → ungrounded.
    assert_eq!(
        column(&a, Table::HighlightGrounding, "status"),
        ["not-assessed", "cross-attributed", "grounded", "grounded", "ungrounded"]
    );
    assert_eq!(column(&a, Table::HighlightGrounding, "support"), ["", "2", "1", "2", ""]);
    assert_eq!(
        column(&a, Table::HighlightGrounding, "best_own"),
        ["∅", "0.000000", "1.000000", "1.000000", "0.000000"]
    );
    assert_eq!(
        column(&a, Table::HighlightGrounding, "best_other"),
        ["∅", "1.000000", "0.000000", "0.000000", "0.000000"]
    );
    assert_eq!(
        column(&a, Table::HighlightGrounding, "margin"),
        ["∅", "-1.000000", "1.000000", "1.000000", "0.000000"]
    );
    // highlight_support: one row per supporting title, with its side.
    assert_eq!(column(&a, Table::HighlightSupport, "article_position"), ["2", "1", "2"]);
    assert_eq!(column(&a, Table::HighlightSupport, "same_side"), ["false", "true", "true"]);
    assert_eq!(column(&a, Table::HighlightSupport, "score"), ["1.000000", "1.000000", "1.000000"]);
}

/// A report analyses only its weeks (`analyze_window`), but a bullet's support is scored with
/// the rarity of the twelve months up to its digest's: the report's grounding rows are the
/// full analysis's rows of its digests, score for score. Here "Tokyo" is in every title of
/// the autumn, so in the full analysis it is a common word and the winter bullet's support
/// rests on "yen"; counted over the winter weeks alone (five digests, where "Tokyo" is as
/// rare as "yen") the scores differ, as they did before the grounding was read over all.
#[test]
fn a_reports_grounding_is_the_full_analysis_s_for_its_weeks() {
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let first = chrono::NaiveDate::from_ymd_opt(2025, 9, 1).unwrap();
    let days: Vec<Day> = (0..30u64)
        .map(|i| {
            let date = first + chrono::Days::new(7 * i);
            let autumn = i < 25;
            let china =
                if autumn { "Tokyo port reopens after storm" } else { "Tokyo yen slides on rate fears" };
            Day {
                topic: "t",
                date: leak(date.to_string()),
                sides: vec![
                    ("china", vec![("Xinhua", china), ("CGTN", "Beijing hosts trade fair")]),
                    ("japan", vec![("Nikkei Asia", leak(format!("Tokyo markets close week {i}")))]),
                ],
                bullets: vec![("china", vec!["The Tokyo yen slides again"])],
                ..Day::default()
            }
        })
        .collect();
    let lexicon = Lexicon::load(&root().join("data/themes.yaml")).unwrap();
    let inputs = inputs(&days);
    let full = analytics::analyze(&inputs, &lexicon, &Options::default()).unwrap();
    // The report of the last week, as `biaslens report` analyses it alone.
    let week = biaslens::report::Week::of(first + chrono::Days::new(7 * 29));
    let options = biaslens::report::weekly::analysis_options(week, &[]);
    let window = analytics::analyze_window(&inputs, &lexicon, &options).unwrap();
    let from = options.filter.from.unwrap();
    for table in [Table::HighlightSupport, Table::HighlightGrounding] {
        let w = window.get(table).unwrap();
        assert!(w.height() > 0, "{table}");
        // The full analysis's rows of the window's digests (dates from `from` on).
        let dates = full.get(Table::HighlightGrounding).unwrap().clone().lazy();
        let window_ids = dates
            .filter(col("digest_date").gt_eq(lit(from)))
            .select([col("digest_id")])
            .collect()
            .unwrap()
            .column("digest_id")
            .unwrap()
            .as_materialized_series()
            .clone();
        let want = full
            .get(table)
            .unwrap()
            .clone()
            .lazy()
            .filter(col("digest_id").is_in(lit(window_ids).implode(false), false))
            .collect()
            .unwrap();
        assert!(w.equals_missing(&want), "{table}: the window's\n{w}\nthe full analysis's\n{want}");
    }
}

/// A full `analyze` writes the per-item tables nothing reads afterwards as soon as their
/// jobs make them (`plan::Sink`): the sink gets exactly those tables, with the rows a run
/// without a sink holds, and the analysis keeps every other table and lists the written
/// ones' row counts.
#[test]
fn a_sink_takes_the_tables_let_go_and_they_are_the_tables_a_run_without_one_makes() {
    let day = Day {
        topic: "g",
        date: "2026-01-20",
        sides: vec![
            ("china", vec![("china outlet", "Peace talks resume")]),
            ("japan", vec![("japan outlet", "War fears grow over tariffs")]),
        ],
        overall: vec!["Peace talks resume amid war fears"],
        bullets: vec![("china", vec!["Peace talks resume"]), ("japan", vec!["War fears grow"])],
        ..Day::default()
    };
    let lexicon = Lexicon::load(&root().join("data/themes.yaml")).unwrap();
    let inputs = inputs(&[day]);
    let held = analytics::analyze(&inputs, &lexicon, &Options::default()).unwrap();
    let sunk = std::sync::Mutex::new(Vec::new());
    let sink = |t: Table, df: DataFrame| -> PolarsResult<usize> {
        let rows = df.height();
        sunk.lock().unwrap().push((t, df));
        Ok(rows)
    };
    let a = analytics::analyze_topics(
        inputs.clone(),
        &lexicon,
        &Options::default(),
        Default::default(),
        Default::default(),
        Some(&sink),
    )
    .unwrap();
    let mut sunk = sunk.into_inner().unwrap();
    sunk.sort_by_key(|(t, _)| *t);
    let names: Vec<Table> = sunk.iter().map(|(t, _)| *t).collect();
    assert_eq!(
        names,
        [Table::ItemThemes, Table::StorySides, Table::StoryPeriods, Table::ItemTone, Table::HighlightSupport]
    );
    for (t, df) in &sunk {
        // Two titles and four bullets: every table let go has rows to lose (two stories,
        // each with its sides; one period).
        assert!(df.height() > 0, "{t}");
        assert!(df.equals_missing(held.get(*t).unwrap()), "{t}");
        assert!(a.find(*t).is_none(), "{t} is still held");
        assert!(a.get(*t).unwrap_err().to_string().contains("written to the analysis folder"));
    }
    assert_eq!(a.rows(), held.rows());
    assert_eq!(a.rows().len(), Table::ALL.len());
    for (t, df) in &held.tables {
        if !t.let_go() {
            assert!(df.equals_missing(a.get(*t).unwrap()), "{t}");
        }
    }
}
