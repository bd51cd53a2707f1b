//! The side rules and the older layout, on the fixtures of `tests/fixtures/sides`, whose
//! expected side of every line is worked out by hand in `expected.csv`.

use std::collections::BTreeMap;

use biaslens::extract::{self, digest, Corpus};
use biaslens::model::{Digest, DIFFERENCES, OVERALL};
use biaslens::problems::{kind, Severity};

use crate::{registry, root};

fn fixtures() -> std::path::PathBuf {
    root().join("tests/fixtures/sides")
}

/// Every fixture, parsed and put through the corpus pass as `extract` does.
fn corpus() -> Corpus {
    let registry = registry();
    let mut corpus = Corpus::default();
    for file in extract::markdown_files(&fixtures()).unwrap().files {
        let path = extract::relative_path(&fixtures(), &file);
        let out = extract::parse_bytes(&path, &std::fs::read(&file).unwrap(), &registry);
        corpus.problems.extend(out.problems);
        corpus.digests.extend(out.digest);
    }
    extract::finish(&mut corpus, &registry, &Default::default());
    corpus
}

fn digest<'a>(c: &'a Corpus, path: &str) -> &'a Digest {
    c.digests.iter().find(|d| d.source_path == path).unwrap_or_else(|| panic!("{path} was read"))
}

#[test]
fn every_line_is_on_the_side_worked_out_by_hand() {
    let text = std::fs::read_to_string(fixtures().join("expected.csv")).unwrap();
    let expected: BTreeMap<(String, u32), (String, String)> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("file,") && !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            ((f[0].to_string(), f[1].parse().unwrap()), (f[2].to_string(), f[3].to_string()))
        })
        .collect();
    let c = corpus();
    let got: BTreeMap<(String, u32), (String, String)> = c
        .digests
        .iter()
        .flat_map(|d| {
            d.articles.iter().map(move |a| {
                let side = a.perspective_id.clone().unwrap_or_default();
                ((d.source_path.clone(), a.position), (side, a.side_method.as_str().to_string()))
            })
        })
        .collect();
    // Every line of every fixture is a row, and every row is as worked out.
    assert_eq!(got.len(), 139);
    for (key, want) in &expected {
        assert_eq!(got.get(key), Some(want), "{key:?}");
    }
    assert_eq!(got.keys().collect::<Vec<_>>(), expected.keys().collect::<Vec<_>>());
}

#[test]
fn what_the_rules_say_about_the_lines_they_doubt() {
    let c = corpus();
    let rows: Vec<_> = c
        .problems
        .iter()
        .filter(|p| p.severity != Severity::Notice)
        .map(|p| (p.source_path.as_str(), p.line, p.kind))
        .collect();
    // Source line 1 of the India vs Pakistan fixtures is file line 39 (`grep -n '^1\. '`).
    let first = 39;
    assert_eq!(
        rows,
        [
            ("china-japan/2026-03-01.md", Some(16), kind::CONTROL_CHARACTERS),
            // Line 5 of 2026-03-03 carries Pakistan's tag inside India's block.
            ("india-pakistan/2026-03-03.md", Some(first + 4), kind::SIDE_CONFLICT),
            // The plain-block list of 2026-03-05 fits the evidence better than T = 10.
            ("india-pakistan/2026-03-05.md", Some(first), kind::SIDE_ORDER),
            // Some Local Blog: no tag, no side in the topic, not in the registry.
            ("venezuela/2025-10-12.md", Some(37), kind::UNKNOWN_SIDE),
        ]
    );
    let notices: Vec<_> = c
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Notice)
        .map(|p| (p.source_path.as_str(), p.line, p.kind))
        .collect();
    assert_eq!(
        notices,
        [
            ("us-china/2026-03-01.md", Some(29), kind::PLACEHOLDER),
            ("venezuela/2025-10-11.md", None, kind::FIRST_LAYOUT),
            ("venezuela/2025-10-12.md", None, kind::OLDER_LAYOUT),
            ("venezuela/2025-10-20.md", None, kind::OLDER_LAYOUT),
        ]
    );
}

#[test]
fn the_older_layout_is_read_whole() {
    let c = corpus();
    let d = digest(&c, "venezuela/2025-10-20.md");
    // Sides in heading order, ids from the count keys, names from the headings.
    let sides: Vec<_> =
        d.perspectives.iter().map(|p| (p.id.as_str(), p.name.as_str(), p.declared_count)).collect();
    assert_eq!(sides, [("international", "US/International", 3), ("venezuelan", "Venezuelan", 3)]);
    let bullets: Vec<_> = d.highlights.iter().map(|h| (h.section.as_str(), h.position, h.line)).collect();
    assert_eq!(
        bullets,
        // File lines read off the fixture with `grep -n '^- '`.
        [
            ("international", 1, 22),
            ("international", 2, 23),
            ("venezuelan", 1, 31),
            (DIFFERENCES, 1, 37),
            (DIFFERENCES, 2, 38)
        ]
    );
    let prose: Vec<_> =
        d.summaries.iter().map(|p| (p.section.as_str(), p.position, p.line, p.text.as_str())).collect();
    assert_eq!(
        prose,
        [
            (
                OVERALL,
                1,
                15,
                "Venezuelan and international sources read the same week very differently. The second line of the same paragraph."
            ),
            ("international", 1, 25, "International sources stress the security angle."),
            ("venezuelan", 1, 33, "Venezuelan sources frame the deployment as a threat."),
        ]
    );
    // The first file: Key Highlights are overall bullets, Summary is prose, ids from labels.
    let first = digest(&c, "venezuela/2025-10-12.md");
    let ids: Vec<_> = first.perspectives.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["international", "venezuelan"]);
    let overall = first.highlights.iter().filter(|h| h.section == OVERALL).count();
    assert_eq!(overall, 2);
    assert_eq!(first.summaries.len(), 1);
}

#[test]
fn the_first_layout_compares_no_sides() {
    let c = corpus();
    let d = digest(&c, "venezuela/2025-10-11.md");
    assert_eq!(d.layout.as_str(), "first");
    assert!(d.perspectives.is_empty());
    assert_eq!(d.article_count_declared, 3);
    // `## Key Highlights` bullets are overall highlights (file lines 13 to 15), the two
    // paragraphs of `## Summary` are overall summaries (lines 19 and 21).
    let bullets: Vec<_> = d.highlights.iter().map(|h| (h.section.as_str(), h.position, h.line)).collect();
    assert_eq!(bullets, [(OVERALL, 1, 13), (OVERALL, 2, 14), (OVERALL, 3, 15)]);
    let prose: Vec<_> = d.summaries.iter().map(|p| (p.section.as_str(), p.position, p.line)).collect();
    assert_eq!(prose, [(OVERALL, 1, 19), (OVERALL, 2, 21)]);
    // No article has a side, and each says why; no warning about it (the notice says it once).
    let sides: Vec<_> =
        d.articles.iter().map(|a| (a.perspective_id.as_deref(), a.side_method.as_str())).collect();
    assert_eq!(sides, [(None, "no-sides"); 3]);
    let file: Vec<_> =
        c.problems.iter().filter(|p| p.source_path == d.source_path).map(|p| (p.severity, p.kind)).collect();
    assert_eq!(file, [(Severity::Notice, kind::FIRST_LAYOUT)]);
}

#[test]
fn feeds_and_detected_languages() {
    let c = corpus();
    let d = digest(&c, "venezuela/2025-10-20.md");
    let got: Vec<_> = d.articles.iter().map(|a| (a.feed.as_deref(), a.language.as_deref())).collect();
    // The tag names the feed; the language is the title's: line 6 is an English title of
    // the US feed, lines 1, 3 and 5 Spanish titles of the Venezuelan one.
    assert_eq!(
        got,
        [
            (Some("es-VE"), Some("es")),
            (Some("en-US"), Some("en")),
            (Some("es-VE"), Some("es")),
            (Some("en-US"), Some("en")),
            (Some("es-VE"), Some("es")),
            (Some("en-US"), Some("en")),
        ]
    );
}

#[test]
fn a_placeholder_is_not_a_highlight() {
    let out = digest::parse(
        "p.md",
        &std::fs::read_to_string(fixtures().join("us-china/2026-03-01.md")).unwrap(),
        &registry(),
    );
    let d = out.digest.unwrap();
    let sections: Vec<_> = d.highlights.iter().map(|h| h.section.as_str()).collect();
    assert_eq!(sections, ["overall", "overall", "overall", "china", "china"]);
}
