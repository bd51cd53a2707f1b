//! What an extract run remembers for the next one, kept next to the tables: a manifest of
//! every input file (path, size, mtime, SHA-256, and the shard its digest fell in), a small
//! summary per shard, and the size and mtime of every table file written.
//!
//! A shard is one topic's digests of one calendar month (a partition of the partitioned
//! layout holds a year: twelve shards); files that yield no digest form a shard of their own. Nothing a file says can
//! change rows outside its shard except through the corpus-wide side of an outlet, so each
//! shard keeps the votes that side is decided by. The parses themselves are not cached: a
//! shard that changed is parsed again whole (about 30 files), and the rows of every other
//! shard are taken from the tables already written.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::UNIX_EPOCH;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::sides::Evidence;

/// File name of the state, inside the tables folder.
pub const CACHE: &str = ".biaslens-state.bin";
/// File name of the human-readable manifest, inside the tables folder.
pub const MANIFEST: &str = "manifest.csv";
/// The cache file of earlier versions (a full parse of every file), removed on sight.
const OLD_CACHE: &str = ".biaslens-cache.bin";

pub use super::shard::Shard;

/// What is known of one input file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// Path relative to the input folder.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: u128,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// The shard the file's rows are in.
    pub shard: Shard,
}

/// What the rest of the corpus needs to know about one shard without reading it.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// What the shard's digests of certain order say about outlets' and feed tags' sides
    /// (the evidence the corpus decisions are taken from).
    pub evidence: Evidence,
    /// Outlets whose corpus side some of the shard's articles depend on.
    pub inferred: BTreeSet<String>,
    /// Feed tags whose meaning in the topic some of the shard's articles depend on.
    pub inferred_feeds: BTreeSet<String>,
    /// Outlets not in the registry: id → (name as first seen, articles).
    pub unknown: BTreeMap<String, (String, usize)>,
    /// Input files in the shard.
    pub files: usize,
    /// Digests, articles and highlights.
    pub digests: usize,
    /// Articles.
    pub articles: usize,
    /// Highlights.
    pub highlights: usize,
}

/// The whole state. A change of biaslens version, outlet registry, side rules or table
/// layout voids it.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct State {
    /// biaslens version that wrote it.
    pub version: String,
    /// SHA-256 of the registry the files were parsed with.
    pub registry: String,
    /// Formats and layout of the tables and the side rules, e.g. `both,cap=20` or
    /// `both,partitioned,cap=20`.
    pub layout: String,
    /// One entry per input file, sorted by path.
    pub files: Vec<Entry>,
    /// One summary per non-empty shard.
    pub shards: BTreeMap<Shard, Summary>,
    /// Every table file written (path relative to the tables folder) → (size, mtime).
    pub outputs: BTreeMap<String, (u64, u128)>,
    /// The problems of the walk itself (links, unreadable folders), as last written.
    pub walk: Vec<crate::problems::Problem>,
}

pub use crate::hash::sha256_hex;

/// The version a state is written and read with: biaslens's, and the tables' revision.
pub fn version() -> String {
    format!("{}+tables.{}", env!("CARGO_PKG_VERSION"), crate::tables::REVISION)
}

/// Size and mtime of a file.
pub fn stat(path: &Path) -> std::io::Result<(u64, u128)> {
    let meta = std::fs::metadata(path)?;
    let mtime = meta.modified()?.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    Ok((meta.len(), mtime))
}

impl State {
    /// The state of the previous run, if it was written by this version with this registry
    /// and layout, and every table file it wrote is still there untouched. Otherwise `None`:
    /// the next run is a full one.
    pub fn load(dir: &Path, registry_hash: &str, layout: &str) -> Option<State> {
        let bytes = std::fs::read(dir.join(CACHE)).ok()?;
        let s: State = postcard::from_bytes(&bytes).ok()?;
        let current = s.version == version() && s.registry == registry_hash && s.layout == layout;
        let intact = || s.outputs.iter().all(|(p, stamp)| stat(&dir.join(p)).ok().as_ref() == Some(stamp));
        (current && intact()).then_some(s)
    }

    /// Writes the state and the manifest, each replaced in one rename. A state lost to a
    /// power cut only costs a full parse on the next run.
    pub fn save(&self, dir: &Path) -> anyhow::Result<()> {
        self.save_manifest(dir)?;
        self.save_state(dir)
    }

    /// Writes the binary state (with the output stamps, so after the tables).
    pub fn save_state(&self, dir: &Path) -> anyhow::Result<()> {
        let bytes = postcard::to_stdvec(self).context("cannot encode the extraction state")?;
        crate::write::atomic(&dir.join(CACHE), &bytes)
    }

    /// Writes `manifest.csv`, which does not depend on the tables (so it can be written
    /// while they are).
    pub fn save_manifest(&self, dir: &Path) -> anyhow::Result<()> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["path", "size", "mtime_ns", "sha256", "topic", "year", "month"])?;
        for e in &self.files {
            let (topic, year, month) = match e.shard.month() {
                Some(m) => (m.topic.as_str(), m.year.to_string(), m.month.to_string()),
                None => ("", String::new(), String::new()),
            };
            w.write_record([
                e.path.as_str(),
                &e.size.to_string(),
                &e.mtime_ns.to_string(),
                &e.sha256,
                topic,
                &year,
                &month,
            ])?;
        }
        crate::write::atomic(&dir.join(MANIFEST), &w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?)?;
        // The cache of earlier versions (a full parse of every file) is not needed any more.
        let old = dir.join(OLD_CACHE);
        if old.exists() {
            std::fs::remove_file(&old).with_context(|| format!("cannot remove {}", old.display()))?;
        }
        Ok(())
    }

    /// Stamps every table file under `dir` (single files and partitions), so
    /// the next run can tell its tables were not touched in between.
    pub fn stamp_outputs(&mut self, dir: &Path) -> anyhow::Result<()> {
        self.outputs.clear();
        for entry in walkdir::WalkDir::new(dir).min_depth(1) {
            let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
            let rel = biaslens_digest::corpus::relative_path(dir, entry.path());
            let table = rel.split(['/', '.']).next().unwrap_or_default();
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if !entry.file_type().is_file() || hidden || !crate::tables::name::ALL.contains(&table) {
                continue;
            }
            let stamp =
                stat(entry.path()).with_context(|| format!("cannot stat {}", entry.path().display()))?;
            self.outputs.insert(rel, stamp);
        }
        Ok(())
    }

    /// Sum of the shards' summaries, with unknown outlets named as first seen in shard order.
    pub fn totals(&self) -> Summary {
        let mut t = Summary::default();
        for s in self.shards.values() {
            t.files += s.files;
            t.digests += s.digests;
            t.articles += s.articles;
            t.highlights += s.highlights;
            for (id, (name, n)) in &s.unknown {
                t.unknown.entry(id.clone()).or_insert_with(|| (name.clone(), 0)).1 += n;
            }
        }
        t
    }
}
