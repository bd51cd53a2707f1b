//! Property tests of the analytics invariants on random small corpora.

use biaslens::analytics::{self, lexicon::Lexicon, table, Options};
use polars::prelude::*;
use proptest::prelude::*;

use crate::fixture::{counts, inputs, Day};

const DATES: [&str; 10] = [
    "2026-01-05",
    "2026-01-06",
    "2026-01-08",
    "2026-01-13",
    "2026-01-14",
    "2026-01-19",
    "2026-01-22",
    "2026-01-25",
    "2026-02-02",
    "2026-02-03",
];
const TOPICS: [&str; 2] = ["a", "b"];
const SIDES: [&str; 3] = ["china", "japan", "us"];

/// Random digests: a topic, a date, and 2 or 3 sides with 0–4 articles each.
fn corpus() -> impl Strategy<Value = Vec<Day>> {
    proptest::collection::vec((0..2usize, 0..DATES.len(), proptest::collection::vec(0..5usize, 2..=3)), 1..8)
        .prop_map(|specs| {
            specs
                .into_iter()
                .enumerate()
                .map(|(i, (t, d, n))| {
                    let sides: Vec<(&'static str, usize)> =
                        n.iter().enumerate().map(|(j, &k)| (SIDES[j], k)).collect();
                    // A distinct time per digest keeps re-runs of a day ordered.
                    let time: &'static str = Box::leak(format!("{:02}:00", i % 24).into_boxed_str());
                    Day { time, ..counts(TOPICS[t], DATES[d], &sides) }
                })
                .collect()
        })
}

fn sums_per_topic_period(df: &DataFrame, value: &str) -> Vec<f64> {
    df.clone()
        .lazy()
        .group_by([col("topic"), col("period")])
        .agg([col(value).sum()])
        .collect()
        .unwrap()
        .column(value)
        .unwrap()
        .f64()
        .unwrap()
        .iter()
        .flatten()
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn shares_sum_to_one_and_balance_stays_in_range(days in corpus(), monthly in any::<bool>()) {
        let lexicon = Lexicon::from_yaml("themes:\n  - id: x\n    name: X\n    keywords: {en: [story]}\n", "t").unwrap();
        let options = Options { period: if monthly { analytics::Period::Month } else { analytics::Period::Week }, ..Options::default() };
        let a = analytics::analyze(&inputs(&days), &lexicon, &options).unwrap();
        for table in [table::PERSPECTIVE_BALANCE, table::SOURCE_SHARES] {
            for s in sums_per_topic_period(a.get(table).unwrap(), "share") {
                prop_assert!((s - 1.0).abs() < 1e-9, "{table}: shares sum to {s}");
            }
        }
        let balance = a.get(table::PERSPECTIVE_BALANCE).unwrap();
        for b in balance.column("balance_index").unwrap().f64().unwrap().iter().flatten() {
            prop_assert!((0.0..=1.0).contains(&b), "balance index {b}");
        }
        // Every article of a live digest is counted once: balance articles = source_shares articles.
        let total = |t: biaslens::analytics::Table| a.get(t).unwrap().column("articles").unwrap().i64().unwrap().sum().unwrap_or(0);
        prop_assert_eq!(total(table::PERSPECTIVE_BALANCE), total(table::SOURCE_SHARES));
    }
}
