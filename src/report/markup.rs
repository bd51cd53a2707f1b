//! One writer for both markups (as hyperfine's `export/markup.rs` has one table writer for
//! every markup language): a report is written once, as headings, paragraphs, lists, tables
//! and figures, and [`super::html::Html`] and [`super::markdown::Markdown`] supply the syntax.

use super::model::{Change, DigestLink, Figure, SplitPart};

/// A piece of running text.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Plain text (escaped by the markup).
    Text(String),
    /// A link.
    Link {
        /// Its text.
        label: String,
        /// Its target.
        href: String,
    },
    /// A path or a name, set in code type.
    Code(String),
}

/// Plain text, as an inline.
pub fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}

/// A table cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// Text that links to an anchor of the page (HTML); plain text where anchors do not exist.
    Anchor {
        /// Its text.
        label: String,
        /// The anchor, without `#`.
        anchor: String,
    },
    /// Text with a style class (HTML); plain text elsewhere.
    Styled {
        /// Its text.
        text: String,
        /// The class.
        class: String,
    },
    /// A bar split by side (HTML); the counts in words elsewhere.
    Split(Vec<SplitPart>),
    /// Links, separated by ` · `.
    Links(Vec<DigestLink>),
}

impl Cell {
    /// The split's counts in words: `China 5 · Japan 2`.
    pub fn split_words(parts: &[SplitPart]) -> String {
        parts.iter().map(|p| format!("{} {}", p.name, p.count)).collect::<Vec<_>>().join(" · ")
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

/// A table column: its header, and whether it is numeric (right-aligned).
pub type Column = (&'static str, bool);

/// What a page is, for its head (HTML) or frontmatter (Markdown).
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The document title.
    pub title: String,
    /// biaslens's version.
    pub version: String,
    /// Frontmatter `key: value` lines (values already YAML), for Markdown.
    pub frontmatter: Vec<(&'static str, String)>,
}

/// The syntax of one markup. Every method appends to the document; `finish` returns it.
pub trait Markup {
    /// Starts the document.
    fn start(&mut self, page: &Page);
    /// The page header: a title and one line under it.
    fn header(&mut self, title: &str, sub: &str);
    /// Links to the sections of the page, where a page has them.
    fn nav(&mut self, links: &[(String, String)]);
    /// Opens a section with its level-2 heading; `anchor` names it for links.
    fn open_section(&mut self, anchor: &str, class: Option<&str>, heading: &str);
    /// Closes the section opened last.
    fn close_section(&mut self);
    /// A level-3 heading.
    fn heading(&mut self, text: &str);
    /// A heading inside a subsection (a highlight section's name).
    fn subheading(&mut self, text: &str);
    /// A paragraph; `muted` for a secondary remark.
    fn paragraph(&mut self, inlines: &[Inline], muted: bool);
    /// A bulleted list, or `empty` as a secondary remark when there are no items.
    fn list(&mut self, items: &[String], empty: &str);
    /// A table.
    fn table(&mut self, columns: &[Column], rows: &[Vec<Cell>]);
    /// Headline numbers, now and their change.
    fn cards(&mut self, changes: &[Change]);
    /// A chart with its caption and a link to its data.
    fn figure(&mut self, f: &Figure);
    /// The closing lines.
    fn footer(&mut self, inlines: &[Inline]);
    /// The document.
    fn finish(self) -> String;
}
