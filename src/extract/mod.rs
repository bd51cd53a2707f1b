//! Extract: a folder of Markdown digests → the digest model plus problems.
//!
//! Reading a file (bytes, BOM, UTF-8) is a thin step here; parsing is pure and lives in
//! [`biaslens_digest::digest::parse`]. After all files are parsed in parallel, one corpus pass decides what a
//! single file cannot: the sides its order does not tell (`biaslens_digest::sides`), and
//! which re-run of a day supersedes which.

pub mod incremental;
mod pipeline;

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::problems::{kind, Problem, Severity};

pub use biaslens_digest::corpus::{finish, finish_with, relative_path};
pub use biaslens_digest::{
    body, decode, digest, frontmatter, markdown, parse_bytes, source_line, unreadable,
};
pub use biaslens_digest::{Corpus, FileOutcome};
pub use incremental::Reuse;
pub use pipeline::{run, Config, Outcome};

/// The kinds of problem the walk itself finds, rather than a file's content.
pub use crate::problems::kind::WALK as WALK_KINDS;

/// The Markdown files of an input folder, and what could not be walked.
#[derive(Debug, Default)]
pub struct Walk {
    /// Every `.md` file, in path order (each folder's entries by name), so runs are
    /// deterministic.
    pub files: Vec<PathBuf>,
    /// Symbolic-link loops, dangling links and folders that cannot be listed: each a row of
    /// the problems table, and the rest of the folder is read.
    pub problems: Vec<Problem>,
}

/// Walks `input` for `.md` files. Symbolic links are followed, to folders and to files, so a
/// corpus can be assembled from links; a link back into a folder being walked is reported
/// (`symlink-loop`) and not followed again, a link to nothing is reported (`dangling-link`),
/// and a folder that cannot be listed is an error row (`unreadable-folder`). Only an input
/// folder that cannot be read at all stops the run.
pub fn markdown_files(input: &Path) -> anyhow::Result<Walk> {
    anyhow::ensure!(
        input.is_dir(),
        "the input folder {} does not exist; pass --input with a folder of digests",
        input.display()
    );
    std::fs::read_dir(input).with_context(|| format!("cannot list the input folder {}", input.display()))?;
    let mut walk = Walk::default();
    for entry in walkdir::WalkDir::new(input).follow_links(true).sort_by_file_name() {
        match entry {
            Ok(entry) => {
                let is_md = entry.path().extension().is_some_and(|e| e.eq_ignore_ascii_case("md"));
                if entry.file_type().is_file() && is_md {
                    walk.files.push(entry.into_path());
                }
            }
            Err(e) => walk.problems.push(walk_problem(input, &e)),
        }
    }
    Ok(walk)
}

/// The problem row of an entry the walk could not follow.
fn walk_problem(input: &Path, e: &walkdir::Error) -> Problem {
    let path = e.path().map(|p| relative_path(input, p)).unwrap_or_default();
    let (severity, kind, message) = if let Some(ancestor) = e.loop_ancestor() {
        (
            Severity::Warning,
            kind::SYMLINK_LOOP,
            format!(
                "a symbolic link back to {} (a folder being read), not followed again; remove the link if it is a mistake",
                relative_path(input, ancestor)
            ),
        )
    } else if e.io_error().is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) {
        (
            Severity::Warning,
            kind::DANGLING_LINK,
            "a symbolic link to nothing (its target is gone); skipped: remove the link or restore its target"
                .to_string(),
        )
    } else {
        (
            Severity::Error,
            kind::UNREADABLE_FOLDER,
            format!(
                "cannot read this entry ({}); digests under it were not read: check its permissions",
                e.io_error().map_or_else(|| e.to_string(), ToString::to_string)
            ),
        )
    };
    Problem::new(&path, None, severity, kind, message)
}

/// The problems every file can have, whatever it holds: a name that is not UTF-8.
pub fn path_problems(file: &Path, source_path: &str) -> Vec<Problem> {
    if file.to_str().is_some() {
        return Vec::new();
    }
    vec![Problem::new(
        source_path,
        None,
        Severity::Warning,
        kind::NON_UTF8_NAME,
        "the file name is not valid UTF-8; it was read, and is shown here with \u{fffd} for the bytes that are not: rename it in UTF-8",
    )]
}
