//! Incremental extraction: a manifest of every input file (path, size, mtime, SHA-256) and
//! the parse outcome of each, kept next to the tables. A run stats every file, reparses only
//! files whose content changed, drops files that are gone, and then runs the same corpus
//! pass as a full extract, so the tables come out identical.

use std::collections::HashMap;
use std::path::Path;
use std::time::UNIX_EPOCH;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::digest::FileOutcome;

/// File name of the cache, inside the tables folder.
pub const CACHE: &str = ".biaslens-cache.bin";
/// File name of the human-readable manifest, inside the tables folder.
pub const MANIFEST: &str = "manifest.csv";

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
    /// The parse outcome (before the corpus pass).
    pub outcome: FileOutcome,
}

/// The whole cache. A change of biaslens version or of the outlet registry invalidates it.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    /// biaslens version that wrote it.
    pub version: String,
    /// SHA-256 of the registry it was parsed with.
    pub registry: String,
    /// One entry per input file.
    pub entries: Vec<Entry>,
}

/// Hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Size and mtime of a file.
pub fn stat(path: &Path) -> std::io::Result<(u64, u128)> {
    let meta = std::fs::metadata(path)?;
    let mtime = meta.modified()?.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    Ok((meta.len(), mtime))
}

impl Cache {
    /// Loads the cache if it exists and was written by this version with this registry;
    /// otherwise an empty cache (everything is parsed).
    pub fn load(dir: &Path, registry_hash: &str) -> Cache {
        let Ok(bytes) = std::fs::read(dir.join(CACHE)) else { return Cache::default() };
        match bincode::deserialize::<Cache>(&bytes) {
            Ok(c) if c.version == env!("CARGO_PKG_VERSION") && c.registry == registry_hash => c,
            _ => Cache::default(),
        }
    }

    /// Entries by path.
    pub fn by_path(self) -> HashMap<String, Entry> {
        self.entries.into_iter().map(|e| (e.path.clone(), e)).collect()
    }

    /// Writes the cache and the manifest, each replaced in one rename. Not synced to disk:
    /// a cache lost to a power cut only costs a full parse on the next run.
    pub fn save(&self, dir: &Path) -> anyhow::Result<()> {
        let bytes = bincode::serialize(self).context("cannot encode the extraction cache")?;
        crate::write::replace(&dir.join(CACHE), &bytes)?;
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["path", "size", "mtime_ns", "sha256"])?;
        for e in &self.entries {
            w.write_record([e.path.as_str(), &e.size.to_string(), &e.mtime_ns.to_string(), &e.sha256])?;
        }
        crate::write::replace(&dir.join(MANIFEST), &w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?)
    }
}
