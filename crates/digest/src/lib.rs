//! biaslens-digest: one news digest (Hugo Markdown) → a typed model, and a corpus of them →
//! the sides and re-runs a single file cannot tell.
//!
//! Parsing is pure: [`digest::parse`] takes a path (for ids and messages) and the text.
//! [`decode`] is the thin step from bytes (BOM, UTF-8) to text. Nothing here touches the disk
//! or knows about tables: the `biaslens` crate reads folders and writes tables around it.
//! Everything a file cannot say about itself is a [`problems::Problem`] with file and line.

pub mod body;
pub mod corpus;
pub mod digest;
pub mod frontmatter;
pub mod hash;
pub mod lang;
pub mod markdown;
pub mod model;
pub mod names;
pub mod outlets;
pub mod problems;
pub mod sides;
pub mod source_line;

use outlets::Registry;
use problems::{kind, Problem, Severity};

pub use corpus::Corpus;
pub use digest::FileOutcome;

/// The largest digest file read, in bytes (64 MiB). Real digests are about 10 KB; the cap
/// only keeps a hostile or corrupt file from exhausting memory. A larger file is an error
/// row (`file-too-large`) and is not read.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// The largest frontmatter parsed, in bytes (256 KiB; real ones are about 1 KB). YAML is
/// where the expensive features live (aliases, nesting); past this it is not parsed.
pub const MAX_FRONTMATTER_BYTES: usize = 256 << 10;

/// The error row of a file over [`MAX_FILE_BYTES`].
pub fn too_large(source_path: &str, bytes: u64) -> FileOutcome {
    FileOutcome {
        digest: None,
        problems: vec![Problem::new(
            source_path,
            None,
            Severity::Error,
            kind::FILE_TOO_LARGE,
            format!(
                "the file has {bytes} bytes, over the limit of {MAX_FILE_BYTES} bytes (64 MiB) for one digest; it was not read: split or regenerate it"
            ),
        )],
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

/// The outcome of a file that could not be read from disk.
pub fn unreadable(source_path: &str, e: &std::io::Error) -> FileOutcome {
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
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return too_large(source_path, bytes.len() as u64);
    }
    match decode(source_path, bytes) {
        Ok(text) => digest::parse(source_path, text, registry),
        Err(p) => FileOutcome { digest: None, problems: vec![p] },
    }
}
