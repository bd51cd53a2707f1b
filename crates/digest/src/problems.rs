//! Problems: everything the run could not understand, kept as data so nothing is lost silently.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// How bad a problem is; decides the exit status of `extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    /// Something skipped or recognised by design: a Markdown file that is not a digest, a
    /// placeholder bullet, the older layout (never changes the exit status).
    Notice,
    /// Used, but something is off (exit status 2 only with `--strict`).
    Warning,
    /// A file or line that should have been data was not used (exit status 2).
    Error,
}

impl Severity {
    /// The value written to the `severity` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Notice => "notice",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of the `problems` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Path of the file, relative to the input folder.
    pub source_path: String,
    /// 1-based line in the file; `None` for a whole-file problem.
    pub line: Option<u32>,
    /// How bad it is.
    pub severity: Severity,
    /// Short machine-readable code such as `count-mismatch`.
    pub kind: &'static str,
    /// One sentence a person can act on.
    pub message: String,
}

impl Problem {
    /// A problem at `line` of `source_path` (or the whole file when `line` is `None`).
    pub fn new(
        source_path: &str,
        line: Option<u32>,
        severity: Severity,
        kind: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Problem { source_path: source_path.to_string(), line, severity, kind, message: message.into() }
    }
}

/// Problems are read back from the extraction cache with their kind mapped onto its constant.
impl<'de> Deserialize<'de> for Problem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            source_path: String,
            line: Option<u32>,
            severity: Severity,
            kind: String,
            message: String,
        }
        let r = Raw::deserialize(d)?;
        let kind = kind::ALL
            .iter()
            .copied()
            .find(|k| *k == r.kind)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown problem kind {}", r.kind)))?;
        Ok(Problem {
            source_path: r.source_path,
            line: r.line,
            severity: r.severity,
            kind,
            message: r.message,
        })
    }
}

impl fmt::Display for Problem {
    /// `path:line: severity[kind]: message`, the shape compilers use so editors can jump to it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Paths and messages quote digest values: control characters are shown, not sent.
        use crate::names::printable;
        match self.line {
            Some(line) => write!(f, "{}:{}: ", printable(&self.source_path), line)?,
            None => write!(f, "{}: ", printable(&self.source_path))?,
        }
        write!(f, "{}[{}]: {}", self.severity, self.kind, printable(&self.message))
    }
}

/// Problem kinds, one constant each, so tests and documentation share the spelling.
pub mod kind {
    /// The file is empty or holds only white space.
    pub const EMPTY_FILE: &str = "empty-file";
    /// The file is not valid UTF-8.
    pub const NOT_UTF8: &str = "not-utf8";
    /// The file could not be read from disk.
    pub const UNREADABLE: &str = "unreadable-file";
    /// Markdown without digest frontmatter (Hugo's `_index.md` and the like).
    pub const NOT_A_DIGEST: &str = "not-a-digest";
    /// The YAML frontmatter is broken, unterminated or misses a required key.
    pub const INVALID_FRONTMATTER: &str = "invalid-frontmatter";
    /// Declared counts disagree with each other or with the Sources list.
    pub const COUNT_MISMATCH: &str = "count-mismatch";
    /// A line in the Sources section that does not follow the source-line grammar.
    pub const UNPARSED_SOURCE_LINE: &str = "unparsed-source-line";
    /// A source line whose date is not a real M/D/YYYY date.
    pub const INVALID_ARTICLE_DATE: &str = "invalid-article-date";
    /// An article whose side could not be told from position, corpus or registry.
    pub const UNKNOWN_SIDE: &str = "unknown-side";
    /// A `##` section that matches no perspective of the frontmatter.
    pub const UNKNOWN_SECTION: &str = "unknown-section";
    /// Text in a highlight section that is not part of any bullet.
    pub const UNPARSED_LINE: &str = "unparsed-line";
    /// A perspective declared twice, or a perspective section missing.
    pub const PERSPECTIVE_MISMATCH: &str = "perspective-mismatch";
    /// The Sources list numbers its lines out of order or twice.
    pub const POSITION_GAP: &str = "position-gap";
    /// A digest of the generator's older layout, read as such (a notice).
    pub const OLDER_LAYOUT: &str = "older-layout";
    /// A digest of the generator's first layout, which compares no sides (a notice).
    pub const FIRST_LAYOUT: &str = "first-layout";
    /// The generator's placeholder bullet for a side without articles, left out (a notice).
    pub const PLACEHOLDER: &str = "placeholder-bullet";
    /// Control characters YAML refuses, removed from the frontmatter so the file could be read.
    pub const CONTROL_CHARACTERS: &str = "control-characters";
    /// A distinct feed tag names another side than the list order: the tag is used.
    pub const SIDE_CONFLICT: &str = "side-conflict";
    /// The feed tags and outlets fit another list order than the configured cap's.
    pub const SIDE_ORDER: &str = "side-order";
    /// A file over the size limit for one digest, not read.
    pub const FILE_TOO_LARGE: &str = "file-too-large";
    /// A frontmatter over the size limit, not parsed.
    pub const FRONTMATTER_TOO_LARGE: &str = "frontmatter-too-large";
    /// A frontmatter nested deeper than the limit, not parsed.
    pub const FRONTMATTER_TOO_DEEP: &str = "frontmatter-too-deep";
    /// A topic that cannot name a folder or file safely; the file is skipped.
    pub const INVALID_TOPIC: &str = "invalid-topic";
    /// A symbolic link that leads back into a folder being read; not followed again.
    pub const SYMLINK_LOOP: &str = "symlink-loop";
    /// A symbolic link whose target does not exist.
    pub const DANGLING_LINK: &str = "dangling-link";
    /// A folder that cannot be listed.
    pub const UNREADABLE_FOLDER: &str = "unreadable-folder";
    /// A file name that is not valid UTF-8: read, with the name shown lossily.
    pub const NON_UTF8_NAME: &str = "non-utf8-name";
    /// The kinds of problem the walk of an input folder finds, rather than a file's content.
    pub const WALK: [&str; 3] = [SYMLINK_LOOP, DANGLING_LINK, UNREADABLE_FOLDER];

    /// Every kind, for reading kinds back from the extraction cache.
    pub const ALL: &[&str] = &[
        EMPTY_FILE,
        NOT_UTF8,
        UNREADABLE,
        NOT_A_DIGEST,
        INVALID_FRONTMATTER,
        COUNT_MISMATCH,
        UNPARSED_SOURCE_LINE,
        INVALID_ARTICLE_DATE,
        UNKNOWN_SIDE,
        UNKNOWN_SECTION,
        UNPARSED_LINE,
        PERSPECTIVE_MISMATCH,
        POSITION_GAP,
        OLDER_LAYOUT,
        FIRST_LAYOUT,
        PLACEHOLDER,
        CONTROL_CHARACTERS,
        SIDE_CONFLICT,
        SIDE_ORDER,
        FILE_TOO_LARGE,
        FRONTMATTER_TOO_LARGE,
        FRONTMATTER_TOO_DEEP,
        INVALID_TOPIC,
        SYMLINK_LOOP,
        DANGLING_LINK,
        UNREADABLE_FOLDER,
        NON_UTF8_NAME,
    ];
}
