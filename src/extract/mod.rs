//! Extract: a folder of Markdown digests → the digest model plus problems.
//!
//! Reading a file (bytes, BOM, UTF-8) is a thin step here; parsing is pure and lives in
//! [`digest::parse`]. After all files are parsed in parallel, one corpus pass decides what a
//! single file cannot: sides of articles in digests whose counts do not add up, and which
//! re-run of a day supersedes which.

pub mod body;
pub mod cache;
pub mod digest;
pub mod frontmatter;
pub mod incremental;
pub mod markdown;
pub mod source_line;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::model::{Digest, SideMethod};
use crate::outlets::Registry;
use crate::problems::{kind, Problem, Severity};

pub use digest::FileOutcome;
pub use incremental::Reuse;

/// Everything read from one input folder.
#[derive(Debug, Default)]
pub struct Corpus {
    /// Markdown files seen.
    pub files: usize,
    /// Digests read, sorted by topic, date, publication time and path.
    pub digests: Vec<Digest>,
    /// Problems, sorted by file and line.
    pub problems: Vec<Problem>,
}

/// All `.md` files under `input`, in path order (each folder's entries by name), so runs are
/// deterministic.
pub fn markdown_files(input: &Path) -> anyhow::Result<Vec<PathBuf>> {
    use anyhow::Context;
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(input).follow_links(true).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot walk the input folder {}", input.display()))?;
        let is_md = entry.path().extension().is_some_and(|e| e.eq_ignore_ascii_case("md"));
        if entry.file_type().is_file() && is_md {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

/// The path of `file` relative to `input`, with `/` separators on every platform.
pub fn relative_path(input: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(input).unwrap_or(file).to_string_lossy();
    match std::path::MAIN_SEPARATOR {
        '/' => rel.into_owned(),
        sep => rel.replace(sep, "/"),
    }
}

/// Decodes file bytes: strips a UTF-8 BOM and refuses invalid UTF-8, naming the line.
pub fn decode<'a>(source_path: &str, bytes: &'a [u8]) -> Result<&'a str, Problem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        Problem::new(
            source_path,
            Some(line),
            Severity::Error,
            kind::NOT_UTF8,
            format!("the file is not valid UTF-8 (byte {} is not); re-save it as UTF-8", e.valid_up_to() + 1),
        )
    })
}

pub(crate) fn unreadable(source_path: &str, e: &std::io::Error) -> FileOutcome {
    FileOutcome {
        digest: None,
        problems: vec![Problem::new(
            source_path,
            None,
            Severity::Error,
            kind::UNREADABLE,
            format!("cannot read the file ({e}); check its permissions"),
        )],
    }
}

/// Parses one file's bytes.
pub fn parse_bytes(source_path: &str, bytes: &[u8], registry: &Registry) -> FileOutcome {
    match decode(source_path, bytes) {
        Ok(text) => digest::parse(source_path, text, registry),
        Err(p) => FileOutcome { digest: None, problems: vec![p] },
    }
}

/// The corpus pass: infer unknown sides, mark superseded re-runs, sort.
pub fn finish(corpus: &mut Corpus, registry: &Registry) {
    let majority = majority(&position_votes(&corpus.digests));
    finish_with(corpus, registry, &majority);
}

/// Articles placed by position: topic → outlet id → side → count.
pub type Votes = BTreeMap<String, BTreeMap<String, BTreeMap<String, u32>>>;

/// The corpus side of each outlet in each topic: topic → outlet id → side.
pub type Majority = HashMap<String, HashMap<String, String>>;

/// Counts the articles of `digests` placed by position, per topic, outlet and side.
pub fn position_votes<'a>(digests: impl IntoIterator<Item = &'a Digest>) -> Votes {
    let mut votes = Votes::new();
    for d in digests {
        for a in &d.articles {
            if let (SideMethod::Position, Some(side)) = (a.side_method, &a.perspective_id) {
                add_vote(&mut votes, &d.topic, &a.outlet_id, side, 1);
            }
        }
    }
    votes
}

/// Adds `n` votes for `side` of `outlet` in `topic`, allocating keys only when new.
pub fn add_vote(votes: &mut Votes, topic: &str, outlet: &str, side: &str, n: u32) {
    let by_outlet = match votes.get_mut(topic) {
        Some(m) => m,
        None => votes.entry(topic.to_string()).or_default(),
    };
    add_side_vote(by_outlet, outlet, side, n);
}

/// Adds `n` votes for `side` of `outlet` (outlet id → side → count), allocating keys only
/// when new.
pub fn add_side_vote(
    by_outlet: &mut BTreeMap<String, BTreeMap<String, u32>>,
    outlet: &str,
    side: &str,
    n: u32,
) {
    let sides = match by_outlet.get_mut(outlet) {
        Some(m) => m,
        None => by_outlet.entry(outlet.to_string()).or_default(),
    };
    match sides.get_mut(side) {
        Some(c) => *c += n,
        None => {
            sides.insert(side.to_string(), n);
        }
    }
}

/// The side each outlet has most often per topic; ties go to the side that sorts first, so
/// the outcome never depends on reading order.
pub fn majority(votes: &Votes) -> Majority {
    votes
        .iter()
        .map(|(topic, outlets)| {
            let best = outlets
                .iter()
                .filter_map(|(o, sides)| {
                    let side = sides.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?.0;
                    Some((o.clone(), side.clone()))
                })
                .collect();
            (topic.clone(), best)
        })
        .collect()
}

/// The corpus pass with the corpus sides given: used when `corpus` is only part of the
/// input and the sides were decided from all of it.
pub fn finish_with(corpus: &mut Corpus, registry: &Registry, majority: &Majority) {
    infer_sides(corpus, registry, majority);
    mark_superseded(&mut corpus.digests);
    corpus.digests.sort_by(|a, b| {
        (&a.topic, a.digest_date, a.published_at, &a.source_path).cmp(&(
            &b.topic,
            b.digest_date,
            b.published_at,
            &b.source_path,
        ))
    });
    corpus.problems.sort_by(|a, b| (&a.source_path, a.line).cmp(&(&b.source_path, b.line)));
}

/// For digests whose counts do not add up: an outlet's side is the side it has most often,
/// by position, in the digests of the same topic (`majority`); failing that, the perspective
/// that matches the registry's country for it; failing that, unknown (with a warning).
fn infer_sides(corpus: &mut Corpus, registry: &Registry, majority: &Majority) {
    for d in &mut corpus.digests {
        let sides = majority.get(&d.topic);
        for a in d.articles.iter_mut().filter(|a| a.perspective_id.is_none()) {
            let declared = |id: &str| d.perspectives.iter().any(|p| p.id == id);
            let from_corpus = sides.and_then(|m| m.get(&a.outlet_id)).filter(|s| declared(s));
            let from_registry = || {
                let country = &registry.get(&a.outlet)?.country;
                d.perspectives
                    .iter()
                    .find(|p| p.id.eq_ignore_ascii_case(country) || p.name.eq_ignore_ascii_case(country))
            };
            if let Some(side) = from_corpus {
                a.perspective_id = Some(side.clone());
                a.side_method = SideMethod::Corpus;
            } else if let Some(p) = from_registry() {
                a.perspective_id = Some(p.id.clone());
                a.side_method = SideMethod::Registry;
            } else {
                corpus.problems.push(Problem::new(
                    &d.source_path,
                    Some(a.line),
                    Severity::Warning,
                    kind::UNKNOWN_SIDE,
                    format!(
                        "the side of `{}` cannot be told (counts do not add up and neither the corpus nor data/outlets.yaml places it); add the outlet to the registry or fix the counts",
                        a.outlet
                    ),
                ));
            }
        }
    }
}

/// A digest is superseded when a later non-draft digest (by `published_at`, then path)
/// exists for the same topic and day. Drafts never supersede.
fn mark_superseded(digests: &mut [Digest]) {
    let mut latest: HashMap<(&str, chrono::NaiveDate), (chrono::DateTime<chrono::Utc>, &str)> =
        HashMap::new();
    for d in digests.iter().filter(|d| !d.draft) {
        let candidate = (d.published_at, d.source_path.as_str());
        latest
            .entry((d.topic.as_str(), d.digest_date))
            .and_modify(|best| *best = (*best).max(candidate))
            .or_insert(candidate);
    }
    let flags: Vec<bool> = digests
        .iter()
        .map(|d| {
            latest
                .get(&(d.topic.as_str(), d.digest_date))
                .is_some_and(|&best| best > (d.published_at, d.source_path.as_str()))
        })
        .collect();
    for (d, f) in digests.iter_mut().zip(flags) {
        d.superseded = f;
    }
}
