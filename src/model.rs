//! The digest model: what one digest file says, typed, before it becomes tables.
//!
//! Pitfalls the types document: `digest_date` is the calendar date in the digest's own
//! offset (not UTC); `position` is the number as written, not the index in the list; an
//! article's side can be unknown.

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

/// How an article's side was decided, most to least reliable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SideMethod {
    /// The declared counts add up to the listed articles: side by position in the list.
    Position,
    /// Counts do not add up: the side this outlet has elsewhere in the corpus for this topic.
    Corpus,
    /// Counts do not add up and the corpus is silent: the outlet registry's country.
    Registry,
    /// No way to tell; `perspective_id` is empty.
    Unknown,
}

impl SideMethod {
    /// The value written to the `side_method` column.
    pub fn as_str(self) -> &'static str {
        match self {
            SideMethod::Position => "position",
            SideMethod::Corpus => "corpus",
            SideMethod::Registry => "registry",
            SideMethod::Unknown => "unknown",
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
    /// BCP 47 language tag, if given.
    pub language: Option<String>,
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

/// The section name used for the overall highlights.
pub const OVERALL: &str = "overall";
