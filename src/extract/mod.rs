//! Extract: a folder of Markdown digests → the digest model plus problems.
//!
//! Reading a file (bytes, BOM, UTF-8) is a thin step here; parsing is pure and lives in
//! [`biaslens_digest::digest::parse`]. After all files are parsed in parallel, one corpus pass decides what a
//! single file cannot: the sides its order does not tell (`biaslens_digest::sides`), and
//! which re-run of a day supersedes which.

pub mod cache;
pub mod incremental;

use std::path::{Path, PathBuf};

pub use biaslens_digest::corpus::{finish, finish_with};
pub use biaslens_digest::{
    body, decode, digest, frontmatter, markdown, parse_bytes, source_line, unreadable,
};
pub use biaslens_digest::{Corpus, FileOutcome};
pub use incremental::Reuse;

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
