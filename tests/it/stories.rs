//! Story clustering against hand labels (tests/fixtures/stories; the rules used are in
//! LABELLING.md there):
//! - two weeks of the real China–Japan digests (2026-01-19 to 02-01, 280 articles, English,
//!   Chinese and Japanese titles): the clustering must keep its level and beat the
//!   exact-title baseline;
//! - five weeks of the real Venezuela digests, whose sides speak Spanish and English: the
//!   tuned half (2025-12-29 to 2026-01-18, 420 articles) the bridge between languages was
//!   tuned on, and the held-out half (2026-03-23 to 04-19, 420 articles) whose scores the
//!   README reports. The same event told in Spanish and English must be one story.

use biaslens::analytics::stories::cluster::{self, Item, Settings};
use biaslens::analytics::stories::eval::{bcubed, cross_pair_recall, mixed_share, pairwise, Score};
use chrono::NaiveDate;

struct Labelled {
    date: NaiveDate,
    title: String,
    outlet: String,
    outlet_id: String,
    language: Option<String>,
    story: String,
}

/// The labelled articles of `files`, in the order the analysis clusters in: date, digest,
/// position. The China–Japan file has no language column (its titles' languages are not
/// bridged, so none is needed); the Venezuela files do.
fn labelled(files: &[&str]) -> Vec<Labelled> {
    let mut rows: Vec<(String, u32, Labelled)> = Vec::new();
    for file in files {
        let path = crate::root().join("tests/fixtures/stories").join(file);
        let mut reader = csv::Reader::from_path(path).unwrap();
        let header = reader.headers().unwrap().clone();
        let at = |name: &str| header.iter().position(|h| h == name);
        let (lang, story, title) = (at("language"), at("story").unwrap(), at("title").unwrap());
        for r in reader.records() {
            let r = r.unwrap();
            let l = Labelled {
                date: r[2].parse().unwrap(),
                outlet: r[4].to_string(),
                outlet_id: r[5].to_string(),
                language: lang.map(|k| r[k].to_string()),
                story: r[story].to_string(),
                title: r[title].to_string(),
            };
            rows.push((r[0].to_string(), r[1].parse().unwrap(), l));
        }
    }
    rows.sort_by(|a, b| (a.2.date, &a.0, a.1).cmp(&(b.2.date, &b.0, b.1)));
    rows.into_iter().map(|r| r.2).collect()
}

/// The scores of one method on one labelled set.
#[derive(Debug)]
struct Scores {
    pairwise: Score,
    bcubed: Score,
    /// Recall of the true Spanish–English pairs, and how many there are.
    cross_pairs: (f64, u64),
    /// Share of its stories of 3+ articles that hold both languages, and how many there are.
    mixed: (f64, usize),
}

struct Methods {
    bridged: Scores,
    monolingual: Scores,
    exact: Scores,
}

fn evaluate(rows: &[Labelled]) -> Methods {
    let items: Vec<Item<'_>> = rows
        .iter()
        .map(|r| Item {
            date: r.date,
            title: &r.title,
            outlet: &r.outlet,
            outlet_id: &r.outlet_id,
            language: r.language.as_deref(),
        })
        .collect();
    let gold: Vec<&str> = rows.iter().map(|r| r.story.as_str()).collect();
    // Spanish or not: the pairs that need the bridge.
    let spanish: Vec<bool> =
        rows.iter().map(|r| r.language.as_deref().is_some_and(|l| l.starts_with("es"))).collect();
    let settings = Settings::default();
    let score = |pred: &[u32]| Scores {
        pairwise: pairwise(pred, &gold),
        bcubed: bcubed(pred, &gold),
        cross_pairs: cross_pair_recall(pred, &gold, &spanish),
        mixed: mixed_share(pred, &spanish, 3),
    };
    Methods {
        bridged: score(&cluster::cluster(&items, &settings).story),
        monolingual: score(&cluster::cluster_monolingual(&items, &settings).story),
        exact: score(&cluster::exact_titles(&items)),
    }
}

fn show(name: &str, m: &Methods) {
    for (method, s) in
        [("stories", &m.bridged), ("without the bridge", &m.monolingual), ("exact title", &m.exact)]
    {
        eprintln!(
            "{name:>24} {method:>20}: pairwise P {:.3} R {:.3} F1 {:.3} | B-cubed P {:.3} R {:.3} F1 {:.3} | es-en pairs {:.3} of {} | stories of 3+ in both languages {:.3} of {}",
            s.pairwise.precision,
            s.pairwise.recall,
            s.pairwise.f1,
            s.bcubed.precision,
            s.bcubed.recall,
            s.bcubed.f1,
            s.cross_pairs.0,
            s.cross_pairs.1,
            s.mixed.0,
            s.mixed.1
        );
    }
}

#[test]
fn stories_keep_their_level_on_the_labelled_weeks_and_beat_exact_titles() {
    let rows = labelled(&["china-japan-2026-01-19--02-01.csv"]);
    assert_eq!(rows.len(), 280);
    let m = evaluate(&rows);
    show("china-japan", &m);
    let (b, p) = (m.bridged.bcubed, m.bridged.pairwise);
    assert!(b.f1 > m.exact.bcubed.f1 && p.f1 > m.exact.pairwise.f1, "the clustering must beat exact titles");
    // The levels reached when the labels were made (BENCHMARKS.md), minus a small margin.
    assert!(b.f1 >= LEVEL_BCUBED_F1 - 0.01, "B-cubed F1 {} fell below {LEVEL_BCUBED_F1}", b.f1);
    assert!(p.f1 >= LEVEL_PAIRWISE_F1 - 0.03, "pairwise F1 {} fell below {LEVEL_PAIRWISE_F1}", p.f1);
}

/// Reached on 2026-11-29 with the default settings: B-cubed F1 0.931, pairwise F1 0.596.
const LEVEL_BCUBED_F1: f64 = 0.931;
const LEVEL_PAIRWISE_F1: f64 = 0.596;

const VENEZUELA_TUNED: [&str; 2] =
    ["venezuela-2025-12-29--2026-01-11.csv", "venezuela-2026-01-12--2026-01-18.csv"];
const VENEZUELA_HELD_OUT: [&str; 2] =
    ["venezuela-2026-03-23--2026-04-04.csv", "venezuela-2026-04-08--2026-04-19.csv"];

#[test]
fn the_same_event_in_spanish_and_english_is_one_story() {
    let tuned = labelled(&VENEZUELA_TUNED);
    let held = labelled(&VENEZUELA_HELD_OUT);
    assert_eq!((tuned.len(), held.len()), (420, 420));
    let (t, h) = (evaluate(&tuned), evaluate(&held));
    show("venezuela, tuned half", &t);
    show("venezuela, held-out half", &h);
    let s = &h.bridged;
    // The bridge must link what the monolingual clustering cannot, and keep the rest.
    assert!(
        s.cross_pairs.0 > h.monolingual.cross_pairs.0 + 0.1,
        "the bridge links too few Spanish–English pairs"
    );
    assert!(s.bcubed.f1 > h.exact.bcubed.f1 && s.bcubed.f1 > h.monolingual.bcubed.f1);
    // The held-out levels of docs/analysis.md (2026-12-06), minus a margin.
    assert!(s.bcubed.f1 >= HELD_OUT_BCUBED_F1 - 0.02, "B-cubed F1 {:.3}", s.bcubed.f1);
    assert!(s.cross_pairs.0 >= HELD_OUT_CROSS_PAIRS - 0.05, "es-en pair recall {:.3}", s.cross_pairs.0);
    // The reports quote this recall: it must still describe the clustering.
    assert!(
        (s.cross_pairs.0 - biaslens::analytics::stories::CROSS_LANGUAGE_PAIR_RECALL).abs() <= 0.02,
        "es-en pair recall {:.3}: update CROSS_LANGUAGE_PAIR_RECALL, the figure the reports quote",
        s.cross_pairs.0
    );
    assert!(s.mixed.0 >= HELD_OUT_MIXED - 0.05, "bilingual share {:.3}", s.mixed.0);
}

/// Reached on 2026-12-07 with the default settings (cross_threshold 0.2, chosen on the tuned
/// half; rarity counted over the trailing months, issue 30): B-cubed F1 0.785, Spanish–English
/// pair recall 0.534 of 464, 11 of 33 stories of 3+ in both languages (0.333). With rarity
/// counted over the whole set they were 0.795, 0.412 and 0.389 (2026-12-06); here the set is
/// clustered alone, so its March titles are weighted by nine days of items (the whole topic,
/// tests/python/check_parity.py, has its months whole). The goals are 0.85, 0.60 and
/// 0.10.
const HELD_OUT_BCUBED_F1: f64 = 0.785;
const HELD_OUT_CROSS_PAIRS: f64 = biaslens::analytics::stories::CROSS_LANGUAGE_PAIR_RECALL;
const HELD_OUT_MIXED: f64 = 0.333;
