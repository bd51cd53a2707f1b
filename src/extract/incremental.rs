//! Reading only what changed. Every run stats every input file; files whose size or mtime
//! moved are hashed, and those whose content changed are parsed. The shards (topic × month)
//! they were or now are in are parsed again whole, together with any shard whose inferred
//! sides depend on an outlet whose corpus side the change moved. Everything else stays in
//! the tables already written. With no usable state (first run, `--full`, another version,
//! registry or layout, or tables touched by hand) every shard is read: a full extract.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use chrono::Datelike;
use rayon::prelude::*;

use super::{markdown_files, parse_bytes, relative_path, unreadable, Corpus, FileOutcome};
use crate::model::Digest;
use crate::outlets::Registry;
use crate::sides::{self, Decisions, SideRules, Votes};
use crate::store::shard::{shard_of, Shard};
use crate::store::state::{self as cache, Entry, State, Summary};

/// How much of a run's input was read afresh.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reuse {
    /// Files parsed this run: the changed ones and the rest of their shards.
    pub parsed: usize,
    /// Files new or with changed content since the previous run.
    pub changed: usize,
    /// Files whose rows were kept from the previous tables, unread.
    pub reused: usize,
    /// Files of the previous run that are gone.
    pub removed: usize,
}

/// What a run read.
#[derive(Debug)]
pub struct Reading {
    /// The finished corpus of the shards read (every shard on a full run).
    pub corpus: Corpus,
    /// The shards read this run; the previous tables hold the rows of all others.
    pub shards: BTreeSet<Shard>,
    /// Every input path, old or current, whose rows belong to those shards.
    pub paths: HashSet<String>,
    /// Whether rows of other shards come from the previous tables (false: a full run).
    pub incremental: bool,
    /// Whether any file was looked at again (so the state has new stamps to save).
    pub touched: bool,
    /// Whether the walk's own problems (links, unreadable folders) differ from the previous
    /// run's, so the problems table must be written even if no shard was read.
    pub walk_changed: bool,
    /// The state to save once the tables are written.
    pub state: State,
    /// Counts for the summary.
    pub reuse: Reuse,
}

/// One input file during a run.
struct Seen<'a> {
    file: &'a Path,
    entry: Entry,
    /// The parse, for files read this run.
    outcome: Option<FileOutcome>,
}

/// Reads and parses one file whose size was just looked up (`size`, 0 when unknown), with
/// one open and no further look-up: the size sets the buffer, and at most one byte past the
/// limit is read, so a file grown since is still refused, never read whole.
fn read_file(file: &Path, path: &str, registry: &Registry, size: u64) -> (String, FileOutcome) {
    let read = || -> std::io::Result<Vec<u8>> {
        use std::io::Read;
        let mut bytes = Vec::with_capacity(size.min(biaslens_digest::MAX_FILE_BYTES) as usize + 1);
        std::fs::File::open(file)?.take(biaslens_digest::MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
        Ok(bytes)
    };
    let (sha256, mut outcome) = if size > biaslens_digest::MAX_FILE_BYTES {
        // Not read at all: a file this large could exhaust memory.
        (format!("size:{size}"), biaslens_digest::too_large(path, size))
    } else {
        match read() {
            Ok(bytes) if bytes.len() as u64 > biaslens_digest::MAX_FILE_BYTES => {
                // Grown past the limit since it was looked up: its size now, for the message.
                let now = std::fs::metadata(file).map_or(0, |m| m.len()).max(bytes.len() as u64);
                (format!("size:{now}"), biaslens_digest::too_large(path, now))
            }
            Ok(bytes) => (cache::sha256_hex(&bytes), parse_bytes(path, &bytes, registry)),
            Err(e) => (String::new(), unreadable(path, &e)),
        }
    };
    let mut problems = super::path_problems(file, path);
    if !problems.is_empty() {
        problems.append(&mut outcome.problems);
        outcome.problems = problems;
    }
    (sha256, outcome)
}

/// Reads the input folder against the state kept in `out`. `layout` names the formats and
/// layout of the tables (a state written for another layout is not used); `tick` is
/// called once per file looked at.
pub fn read(
    input: &Path,
    registry: &Registry,
    rules: &SideRules,
    out: &Path,
    layout: &str,
    full: bool,
    tick: &(dyn Fn() + Sync),
) -> anyhow::Result<Reading> {
    let mut laps = crate::timing::Laps::new("read");
    let super::Walk { files, problems: walked } = markdown_files(input)?;
    laps.lap("list files");
    let registry_hash = registry.fingerprint().to_string();
    let previous = if full { None } else { State::load(out, &registry_hash, layout) };
    let incremental = previous.is_some();
    let old = previous.unwrap_or_default();
    let known: HashMap<&str, &Entry> = old.files.iter().map(|e| (e.path.as_str(), e)).collect();

    // Stat everything; hash what moved; parse what changed.
    let mut seen = look(&files, input, &known, registry, tick);
    laps.lap("stat, hash and parse changed files");
    let touched = seen.iter().any(|s| {
        known
            .get(s.entry.path.as_str())
            .is_none_or(|e| (e.size, e.mtime_ns) != (s.entry.size, s.entry.mtime_ns))
    });
    let current: HashSet<&str> = seen.iter().map(|s| s.entry.path.as_str()).collect();
    let removed: Vec<&Entry> = old.files.iter().filter(|e| !current.contains(e.path.as_str())).collect();
    let changed = seen.iter().filter(|s| s.outcome.is_some()).count();

    let mut shards = shards_to_read(&seen, &known, &removed);
    reparse(&mut seen, &shards, registry);
    laps.lap("parse the rest of their shards");

    // Corpus decisions from the evidence of every shard: fresh for the shards read, the
    // summaries for the rest. Shards whose articles lean on a decision (an outlet's side,
    // what a feed tag names) that just moved are read too (their own evidence does not
    // change, so once is enough).
    let decisions = decide(&mut seen, &old, &mut shards, rules, registry, incremental);

    // The corpus pass over what was read, and the new summaries of its shards.
    let mut paths: HashSet<String> =
        removed.iter().filter(|e| shards.contains(&e.shard)).map(|e| e.path.clone()).collect();
    let mut summaries: BTreeMap<Shard, Summary> = BTreeMap::new();
    let mut corpus = Corpus { files: files.len(), ..Corpus::default() };
    let walk_changed = walked != old.walk;
    corpus.problems.extend(walked.iter().cloned());
    let parsed = seen.iter().filter(|s| s.outcome.is_some()).count();
    for s in &mut seen {
        if let Some(o) = s.outcome.take() {
            paths.insert(s.entry.path.clone());
            summaries.entry(s.entry.shard.clone()).or_default().files += 1;
            corpus.problems.extend(o.problems);
            corpus.digests.extend(o.digest);
        }
    }
    laps.lap("side votes");
    // Each digest placed on its sides in parallel (they are independent once the decisions
    // are taken), then the rest of the corpus pass.
    let placed: Vec<Vec<crate::problems::Problem>> =
        corpus.digests.par_iter_mut().map(|d| sides::place(d, &decisions, registry, rules)).collect();
    biaslens_digest::corpus::finish_placed(&mut corpus, placed.into_iter().flatten().collect());
    summarise(&corpus, registry, rules, &mut summaries);
    laps.lap("corpus pass");

    let mut state = State {
        version: cache::version(),
        registry: registry_hash,
        layout: layout.to_string(),
        files: seen.into_iter().map(|s| s.entry).collect(),
        shards: old.shards.into_iter().filter(|(k, _)| !shards.contains(k)).collect(),
        outputs: old.outputs,
        walk: walked,
    };
    state.shards.extend(summaries);
    let reuse = Reuse { parsed, changed, reused: files.len() - parsed, removed: removed.len() };
    let touched = touched || !removed.is_empty() || walk_changed;
    Ok(Reading { corpus, shards, paths, incremental, touched, walk_changed, state, reuse })
}

/// The shards a changed or removed file was in, or is in now.
fn shards_to_read(seen: &[Seen<'_>], known: &HashMap<&str, &Entry>, removed: &[&Entry]) -> BTreeSet<Shard> {
    let mut shards: BTreeSet<Shard> = removed.iter().map(|e| e.shard.clone()).collect();
    for s in seen.iter().filter(|s| s.outcome.is_some()) {
        shards.insert(s.entry.shard.clone());
        if let Some(e) = known.get(s.entry.path.as_str()) {
            shards.insert(e.shard.clone());
        }
    }
    shards
}

/// Stats every file, hashes those whose size or time moved, and parses those whose content
/// changed (`outcome` set); the rest keep their previous entry.
fn look<'a>(
    files: &'a [std::path::PathBuf],
    input: &Path,
    known: &HashMap<&str, &Entry>,
    registry: &Registry,
    tick: &(dyn Fn() + Sync),
) -> Vec<Seen<'a>> {
    files
        .par_iter()
        .map(|f| {
            let path = relative_path(input, f);
            let (size, mtime_ns) = cache::stat(f).unwrap_or((0, 0));
            let prev = known.get(path.as_str()).copied();
            let unchanged = |sha256: String| Seen {
                file: f,
                entry: Entry { size, mtime_ns, sha256, ..prev.expect("a previous entry").clone() },
                outcome: None,
            };
            let r = match prev {
                Some(e) if e.size == size && e.mtime_ns == mtime_ns => unchanged(e.sha256.clone()),
                _ => {
                    let (sha256, outcome) = read_file(f, &path, registry, size);
                    if prev.is_some_and(|e| e.sha256 == sha256 && !sha256.is_empty()) {
                        unchanged(sha256)
                    } else {
                        let shard = outcome.digest.as_ref().map_or(Shard::NoDigest, shard_of);
                        let entry = Entry { path, size, mtime_ns, sha256, shard };
                        Seen { file: f, entry, outcome: Some(outcome) }
                    }
                }
            };
            tick();
            r
        })
        .collect()
}

/// Corpus decisions (an outlet's side, what a feed tag names) from the evidence of every
/// shard: fresh for the shards read, the summaries for the rest. Shards whose articles lean
/// on a decision that just moved are read too, and added to `shards` (their own evidence
/// does not change, so once is enough).
fn decide(
    seen: &mut [Seen<'_>],
    old: &State,
    shards: &mut BTreeSet<Shard>,
    rules: &SideRules,
    registry: &Registry,
    incremental: bool,
) -> Decisions {
    let topics: BTreeSet<&str> = shards.iter().filter_map(Shard::month).map(|m| m.topic.as_str()).collect();
    let mut votes = parallel_votes(seen, rules);
    add_shard_votes(&mut votes, old, &topics, shards);
    let decisions = sides::decide(&votes);
    if incremental {
        let mut before = Votes::new();
        add_shard_votes(&mut before, old, &topics, &BTreeSet::new());
        let before = sides::decide(&before);
        let extra: BTreeSet<Shard> = old
            .shards
            .iter()
            .filter(|(shard, summary)| {
                !shards.contains(*shard)
                    && shard.month().is_some_and(|m| {
                        topics.contains(m.topic.as_str()) && moved(summary, &m.topic, &before, &decisions)
                    })
            })
            .map(|(s, _)| s.clone())
            .collect();
        reparse(seen, &extra, registry);
        shards.extend(extra);
    }
    decisions
}

/// [`sides::votes`] of the digests parsed so far, counted a block of digests at a time in
/// parallel and summed: the votes are counts, so the sum is the same in any order.
fn parallel_votes(seen: &[Seen<'_>], rules: &SideRules) -> Votes {
    let parsed: Vec<&Digest> = digests(seen).collect();
    parsed.par_chunks(2048).map(|block| sides::votes(block.iter().copied(), rules)).reduce(
        Votes::new,
        |mut all, votes| {
            for (topic, evidence) in votes {
                match all.get_mut(&topic) {
                    Some(e) => e.add_all(&evidence),
                    None => {
                        all.insert(topic, evidence);
                    }
                }
            }
            all
        },
    )
}

/// Digests parsed so far.
fn digests<'a>(seen: &'a [Seen<'_>]) -> impl Iterator<Item = &'a Digest> {
    seen.iter().filter_map(|s| s.outcome.as_ref()?.digest.as_ref())
}

/// Parses, in parallel, the files of `shards` not parsed yet.
fn reparse(seen: &mut [Seen<'_>], shards: &BTreeSet<Shard>, registry: &Registry) {
    seen.par_iter_mut().filter(|s| s.outcome.is_none() && shards.contains(&s.entry.shard)).for_each(|s| {
        let (_, outcome) = read_file(s.file, &s.entry.path, registry, s.entry.size);
        s.outcome = Some(outcome);
    });
}

/// Whether a decision a shard's articles depend on differs between two sets of decisions.
fn moved(summary: &Summary, topic: &str, before: &Decisions, after: &Decisions) -> bool {
    summary.inferred.iter().any(|o| before.outlet(topic, o) != after.outlet(topic, o))
        || summary.inferred_feeds.iter().any(|f| before.feed(topic, f) != after.feed(topic, f))
}

/// Adds the evidence the previous run summarised for the shards of `topics`, except `skip`.
fn add_shard_votes(votes: &mut Votes, state: &State, topics: &BTreeSet<&str>, skip: &BTreeSet<Shard>) {
    for (shard, summary) in &state.shards {
        let Some(m) = shard.month() else { continue };
        if topics.contains(m.topic.as_str()) && !skip.contains(shard) {
            votes.entry(m.topic.clone()).or_default().add_all(&summary.evidence);
        }
    }
}

/// Fills the summaries of the shards of a finished corpus.
fn summarise(
    corpus: &Corpus,
    registry: &Registry,
    rules: &SideRules,
    summaries: &mut BTreeMap<Shard, Summary>,
) {
    // The digests are sorted by topic and date: each shard's are one run, summarised apart,
    // in parallel.
    fn month(d: &Digest) -> (&str, i32, u32) {
        (d.topic.as_str(), d.digest_date.year(), d.digest_date.month())
    }
    let runs: Vec<&[Digest]> = corpus.digests.chunk_by(|a, b| month(a) == month(b)).collect();
    let done: Vec<(Shard, Summary)> = runs
        .into_par_iter()
        .map(|run| {
            let mut s = Summary::default();
            let known = registry.memo(run.iter().flat_map(|d| &d.articles).map(|a| a.outlet.as_str()));
            for d in run {
                s.digests += 1;
                s.articles += d.articles.len();
                s.highlights += d.highlights.len();
                s.evidence.add_digest(d, rules);
                let (outlets, feeds) = sides::dependencies(d, rules);
                for (set, keys) in [(&mut s.inferred, outlets), (&mut s.inferred_feeds, feeds)] {
                    for k in keys {
                        if !set.contains(k) {
                            set.insert(k.to_string());
                        }
                    }
                }
                for a in &d.articles {
                    if known[a.outlet.as_str()].is_none() {
                        s.unknown.entry(a.outlet_id.clone()).or_insert_with(|| (a.outlet.clone(), 0)).1 += 1;
                    }
                }
            }
            (shard_of(&run[0]), s)
        })
        .collect();
    for (shard, s) in done {
        // The files were counted as they were read.
        let entry = summaries.entry(shard).or_default();
        *entry = Summary { files: entry.files, ..s };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_grown_past_the_limit_since_it_was_looked_up_is_refused_with_its_size_now() {
        // Looked up at 10 bytes, then grown (sparse) to the limit and 10 bytes more: at
        // most one byte past the limit is read, and the error row gives the size now.
        let dir = std::env::temp_dir().join(format!("biaslens-grown-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("grown.md");
        std::fs::File::create(&file).unwrap().set_len(biaslens_digest::MAX_FILE_BYTES + 10).unwrap();
        let (stamp, outcome) = read_file(&file, "grown.md", &Registry::default(), 10);
        std::fs::remove_dir_all(&dir).unwrap();
        let expected = biaslens_digest::MAX_FILE_BYTES + 10;
        assert_eq!(stamp, format!("size:{expected}"));
        assert!(outcome.digest.is_none());
        let problem = &outcome.problems[0];
        assert_eq!(problem.kind, "file-too-large");
        assert!(problem.message.contains(&format!("has {expected} bytes")), "{}", problem.message);
    }
}
