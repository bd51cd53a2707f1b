//! The digest model: what one digest file says, typed, before it becomes tables.
//!
//! Pitfalls the types document: `digest_date` is the calendar date in the digest's own
//! offset (not UTC); `position` is the number as written, not the index in the list; an
//! article's side can be unknown; the bracketed tag of a source line names the *feed* the
//! article came from (`[en-IN]`), not its language, which is detected from the title.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// One digest file that could be read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Digest {
    /// Stable id derived from topic, date and path: the same file gives the same id on every run.
    pub digest_id: String,
    /// Path relative to the input folder, with `/` separators.
    pub source_path: String,
    /// Topic slug (`china-japan`), the key every analysis groups by.
    pub topic: String,
    /// Display name of the topic (`China vs Japan`).
    pub topic_name: String,
    /// Display title.
    pub title: String,
    /// When the digest was generated, in UTC.
    pub published_at: DateTime<Utc>,
    /// Calendar date of `date` in its own offset: a digest written at 23:30-05:00 belongs to that day.
    pub digest_date: NaiveDate,
    /// Hugo draft flag.
    pub draft: bool,
    /// Which layout of the generator wrote the file.
    pub layout: Layout,
    /// Set after the whole corpus is read: a later non-draft digest exists for the same topic and day.
    pub superseded: bool,
    /// `articleCount` as declared (0 when the key is missing, with a warning).
    pub article_count_declared: u32,
    /// `sources` of the frontmatter, in order.
    pub declared_sources: Vec<String>,
    /// The sides compared, in frontmatter order.
    pub perspectives: Vec<Perspective>,
    /// One per parsed source line, in list order.
    pub articles: Vec<Article>,
    /// One per bullet, in reading order.
    pub highlights: Vec<Highlight>,
    /// Prose paragraphs (the summaries of the older and first layouts), in reading order.
    pub summaries: Vec<Paragraph>,
}

/// The layouts the real generator has written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Layout {
    /// A `perspectives` list in the frontmatter; highlights as bullets; the Sources list
    /// written side by side in frontmatter order.
    Current,
    /// The first weeks of the generator: sides only in `<id>Sources` keys and headings,
    /// prose summaries, `### Key Points`, and a Sources list interleaved across sides.
    Older,
    /// The generator's very first file: no sides at all (no `perspectives`, no count keys,
    /// no side headings), `## Key Highlights`, a `## Summary` paragraph and one untagged
    /// Sources list. A digest of its topic that compares nothing.
    First,
}

impl Layout {
    /// The value written to the `layout` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Current => "current",
            Layout::Older => "older",
            Layout::First => "first",
        }
    }
}

/// One side compared by a digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Perspective {
    /// `id` (`china`).
    pub id: String,
    /// `name` (`China`).
    pub name: String,
    /// `count`: how many articles of the Sources list the digest says are this side's.
    pub declared_count: u32,
}

/// Which rule placed an article on its side (README, "Which side an article belongs to").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SideMethod {
    /// The declared counts add up and the list is plain blocks in frontmatter order: equal
    /// counts, one side only, or no side over the generator's cap.
    Position,
    /// The declared counts add up and differ: the generator's order, up to `floor(cap / k)`
    /// articles per side in frontmatter order, then the rest round-robin.
    GeneratorOrder,
    /// The feed tag, which names one side's feed in this topic (learned from the digests
    /// whose sides are certain, or from the tag's region matching one side): used where
    /// the list order tells nothing (the older layout, counts that do not add up) and where
    /// it contradicts the order (with a warning).
    FeedTag,
    /// The side this outlet has in the digests of the topic whose sides are certain.
    Corpus,
    /// The outlet registry's country matches one side.
    Registry,
    /// No way to tell; `perspective_id` is empty.
    Unknown,
    /// The digest declares no sides at all (the first layout), so no article has one;
    /// `perspective_id` is empty.
    NoSides,
}

impl SideMethod {
    /// The value written to the `side_method` column.
    pub fn as_str(self) -> &'static str {
        match self {
            SideMethod::Position => "position",
            SideMethod::GeneratorOrder => "generator-order",
            SideMethod::FeedTag => "feed-tag",
            SideMethod::Corpus => "corpus",
            SideMethod::Registry => "registry",
            SideMethod::Unknown => "unknown",
            SideMethod::NoSides => "no-sides",
        }
    }
}

/// One line of the Sources list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// 1-based line in the file, for tracing a number back to its source.
    pub line: u32,
    /// The number as written in the list.
    pub position: u32,
    /// The side it belongs to, `None` if it truly cannot be told.
    pub perspective_id: Option<String>,
    /// How `perspective_id` was decided.
    pub side_method: SideMethod,
    /// Outlet name exactly as written.
    pub outlet: String,
    /// Canonical outlet id from the registry, or a stable slug for unknown outlets.
    pub outlet_id: String,
    /// The bracketed tag of the source line (`en-IN`): `language-REGION` of the feed the
    /// article came from, if given.
    pub feed: Option<String>,
    /// The title's language (ISO 639-1, `es`): detected from the title with the feed's
    /// language as the prior (`lang::with_feed`); `None` when the title is too short to tell
    /// and has no feed tag.
    pub language: Option<String>,
    /// How `language` was decided.
    pub language_method: crate::lang::LanguageMethod,
    /// Title as written.
    pub title: String,
    /// Article link.
    pub url: String,
    /// The article's own date, if given.
    pub published_date: Option<NaiveDate>,
}

/// One highlight bullet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Highlight {
    /// 1-based line where the bullet starts.
    pub line: u32,
    /// `overall` or the perspective id of its section.
    pub section: String,
    /// 1-based within its section, nested bullets numbered in reading order.
    pub position: u32,
    /// Nesting depth: 0 for a top-level bullet.
    pub depth: u32,
    /// Plain text: inline Markdown removed, wrapped lines joined.
    pub text: String,
}

/// One prose paragraph of a digest (the summaries of the older and first layouts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// 1-based line where the paragraph starts.
    pub line: u32,
    /// `overall`, a perspective id, or `differences`.
    pub section: String,
    /// 1-based within its section.
    pub position: u32,
    /// Plain text: inline Markdown removed, lines joined.
    pub text: String,
}

/// The section name used for the overall highlights.
pub const OVERALL: &str = "overall";

/// The section of the older layout's `## Key Differences in Coverage` bullets.
pub const DIFFERENCES: &str = "differences";

/// Sections about every side together rather than one: `overall` and `differences`. Every
/// other section is a perspective id.
pub const SHARED_SECTIONS: [&str; 2] = [OVERALL, DIFFERENCES];

/// Whether a highlight section is one side's (a perspective id).
pub fn is_side_section(section: &str) -> bool {
    !SHARED_SECTIONS.contains(&section)
}
