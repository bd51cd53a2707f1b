//! The corpus pass: what one file cannot tell about itself. An article's side when its
//! digest's order depends on evidence from the rest of the topic ([`crate::sides`]), and
//! which re-run of a day supersedes which.

use std::collections::HashMap;
use std::path::Path;

use crate::model::Digest;
use crate::outlets::Registry;
use crate::problems::Problem;
use crate::sides::{self, Decisions, SideRules};

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

/// The corpus pass: place every article on its side, mark superseded re-runs, sort.
pub fn finish(corpus: &mut Corpus, registry: &Registry, rules: &SideRules) {
    let decisions = sides::decide(&sides::votes(&corpus.digests, rules));
    finish_with(corpus, registry, rules, &decisions);
}

/// The corpus pass with the decisions given: used when `corpus` is only part of the input
/// and the decisions were taken from all of it.
pub fn finish_with(corpus: &mut Corpus, registry: &Registry, rules: &SideRules, decisions: &Decisions) {
    let placed: Vec<Problem> =
        corpus.digests.iter_mut().flat_map(|d| sides::place(d, decisions, registry, rules)).collect();
    finish_placed(corpus, placed);
}

/// The rest of the corpus pass once every article is placed ([`sides::place`], whose
/// problems are `placed`, in digest order): mark superseded re-runs, sort. A caller that
/// places the digests in parallel finishes here.
pub fn finish_placed(corpus: &mut Corpus, placed: Vec<Problem>) {
    corpus.problems.extend(placed);
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

/// The path of `file` relative to `input`, with `/` separators on every platform.
pub fn relative_path(input: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(input).unwrap_or(file).to_string_lossy();
    match std::path::MAIN_SEPARATOR {
        '/' => rel.into_owned(),
        sep => rel.replace(sep, "/"),
    }
}
