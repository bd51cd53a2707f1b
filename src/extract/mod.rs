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
pub mod markdown;
pub mod source_line;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use rayon::prelude::*;

use crate::model::{Digest, SideMethod};
use crate::outlets::Registry;
use crate::problems::{kind, Problem, Severity};

pub use digest::FileOutcome;

/// Everything read from one input folder.
#[derive(Debug, Default)]
pub struct Corpus {
    /// Markdown files seen.
    pub files: usize,
    /// Digests read, sorted by topic, date, publication time and path.
    pub digests: Vec<Digest>,
    /// Problems, sorted by file and line.
    pub problems: Vec<Problem>,
    /// Outlets the registry does not know: id → (name as first seen, articles).
    pub unknown_outlets: BTreeMap<String, (String, usize)>,
}

/// All `.md` files under `input`, sorted, so runs are deterministic.
pub fn markdown_files(input: &Path) -> anyhow::Result<Vec<PathBuf>> {
    use anyhow::Context;
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(input).follow_links(true) {
        let entry = entry.with_context(|| format!("cannot walk the input folder {}", input.display()))?;
        let is_md = entry.path().extension().is_some_and(|e| e.eq_ignore_ascii_case("md"));
        if entry.file_type().is_file() && is_md {
            files.push(entry.into_path());
        }
    }
    files.sort();
    Ok(files)
}

/// The path of `file` relative to `input`, with `/` separators on every platform.
pub fn relative_path(input: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(input).unwrap_or(file);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
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

fn unreadable(source_path: &str, e: &std::io::Error) -> FileOutcome {
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

/// How much of a run's input was parsed afresh.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reuse {
    /// Files parsed this run (new or changed).
    pub parsed: usize,
    /// Files whose previous parse was reused (unchanged).
    pub reused: usize,
    /// Files of the previous run that are gone.
    pub removed: usize,
}

/// Reads every Markdown file under `input` in parallel; `tick` is called once per file.
/// With a `cache` folder, files unchanged since the cache was written (same size and
/// mtime, or same content hash) are not parsed again, and the cache is rewritten.
/// `full` ignores what the cache holds (and still rewrites it).
pub fn read_corpus(
    input: &Path,
    registry: &Registry,
    cache_dir: Option<&Path>,
    full: bool,
    tick: &(dyn Fn() + Sync),
) -> anyhow::Result<(Corpus, Reuse)> {
    let files = markdown_files(input)?;
    let registry_hash = registry.fingerprint().to_string();
    let mut previous = match cache_dir {
        Some(d) if !full => cache::Cache::load(d, &registry_hash).by_path(),
        _ => Default::default(),
    };
    // What each file needs: reuse as is (same size and mtime), or a read (and a parse
    // unless its hash is unchanged). Stats are cheap; entries are moved, never cloned.
    enum Todo {
        Reuse,
        Read,
    }
    let todo: Vec<(String, u64, u128, Todo)> = files
        .par_iter()
        .map(|f| {
            let path = relative_path(input, f);
            let (size, mtime_ns) = cache::stat(f).unwrap_or((0, 0));
            let same = previous.get(&path).is_some_and(|e| e.size == size && e.mtime_ns == mtime_ns);
            (path, size, mtime_ns, if same { Todo::Reuse } else { Todo::Read })
        })
        .collect();
    let mut slots: Vec<Option<cache::Entry>> = Vec::with_capacity(todo.len());
    let mut reads = Vec::new();
    for (i, (path, size, mtime_ns, t)) in todo.iter().enumerate() {
        match t {
            Todo::Reuse => slots.push(previous.remove(path)),
            Todo::Read => {
                slots.push(None);
                reads.push((i, files[i].as_path(), path.as_str(), *size, *mtime_ns, previous.remove(path)));
            }
        }
    }
    let fresh: Vec<(usize, cache::Entry, bool)> = reads
        .into_par_iter()
        .map(|(i, file, path, size, mtime_ns, old)| {
            let r = match std::fs::read(file) {
                Ok(bytes) => {
                    let sha256 = cache::sha256_hex(&bytes);
                    match old {
                        Some(e) if e.sha256 == sha256 => (i, cache::Entry { size, mtime_ns, ..e }, false),
                        _ => {
                            let outcome = parse_bytes(path, &bytes, registry);
                            (
                                i,
                                cache::Entry { path: path.to_string(), size, mtime_ns, sha256, outcome },
                                true,
                            )
                        }
                    }
                }
                Err(e) => {
                    let outcome = unreadable(path, &e);
                    (
                        i,
                        cache::Entry {
                            path: path.to_string(),
                            size,
                            mtime_ns,
                            sha256: String::new(),
                            outcome,
                        },
                        true,
                    )
                }
            };
            tick();
            r
        })
        .collect();
    // Every current path was taken out of `previous`; what is left is gone from the input.
    let removed = previous.len();
    let parsed = fresh.iter().filter(|r| r.2).count();
    let changed = !fresh.is_empty() || removed > 0;
    for (i, entry, _) in fresh {
        slots[i] = Some(entry);
    }
    let reuse = Reuse { parsed, reused: files.len() - parsed, removed };
    let cache = cache::Cache {
        version: env!("CARGO_PKG_VERSION").to_string(),
        registry: registry_hash,
        entries: slots.into_iter().flatten().collect(),
    };
    // The cache is rewritten only when a file was read again or is gone.
    if let (Some(dir), true) = (cache_dir, changed || full) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        cache.save(dir)?;
    }
    let mut corpus = Corpus { files: files.len(), ..Corpus::default() };
    for entry in cache.entries {
        corpus.problems.extend(entry.outcome.problems);
        corpus.digests.extend(entry.outcome.digest);
    }
    finish(&mut corpus, registry);
    Ok((corpus, reuse))
}

/// The corpus pass: infer unknown sides, mark superseded re-runs, sort, list unknown outlets.
pub fn finish(corpus: &mut Corpus, registry: &Registry) {
    infer_sides(corpus, registry);
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
    let known = registry.memo(corpus.digests.iter().flat_map(|d| &d.articles).map(|a| a.outlet.as_str()));
    for a in corpus.digests.iter().flat_map(|d| &d.articles) {
        if known[a.outlet.as_str()].is_none() {
            corpus.unknown_outlets.entry(a.outlet_id.clone()).or_insert_with(|| (a.outlet.clone(), 0)).1 += 1;
        }
    }
}

/// For digests whose counts do not add up: an outlet's side is the side it has most often,
/// by position, in the other digests of the same topic; failing that, the perspective that
/// matches the registry's country for it; failing that, unknown (with a warning).
fn infer_sides(corpus: &mut Corpus, registry: &Registry) {
    let mut votes: HashMap<(&str, &str), BTreeMap<&str, usize>> = HashMap::new();
    for d in &corpus.digests {
        for a in &d.articles {
            if let (SideMethod::Position, Some(side)) = (a.side_method, &a.perspective_id) {
                *votes
                    .entry((d.topic.as_str(), a.outlet_id.as_str()))
                    .or_default()
                    .entry(side.as_str())
                    .or_default() += 1;
            }
        }
    }
    // Majority side per (topic, outlet); ties go to the side that sorts first, for determinism.
    let majority: HashMap<(String, String), String> = votes
        .into_iter()
        .filter_map(|((t, o), sides)| {
            let best = sides.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
            Some(((t.to_string(), o.to_string()), best.0.to_string()))
        })
        .collect();

    for d in &mut corpus.digests {
        for a in d.articles.iter_mut().filter(|a| a.perspective_id.is_none()) {
            let declared = |id: &str| d.perspectives.iter().any(|p| p.id == id);
            let from_corpus = majority.get(&(d.topic.clone(), a.outlet_id.clone())).filter(|s| declared(s));
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
