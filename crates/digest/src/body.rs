//! The Markdown body: highlight sections with their bullets, prose paragraphs, and the
//! Sources list.
//!
//! Works line by line with file line numbers, so every problem points at a real line. Both
//! layouts of the generator are read: the current one (bullets only) and the older one
//! (`### Key Points` bullets under each side, prose summaries, a section of differences).

use std::collections::HashMap;

use crate::model::{Highlight, Paragraph, Perspective, DIFFERENCES, OVERALL};
use crate::problems::{kind, Problem, Severity};

use crate::markdown::plain_text;
use crate::source_line;

/// A source line that parsed, with owned fields and its file line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawSource {
    /// File line.
    pub line: u32,
    /// Number as written.
    pub position: u32,
    /// The bracketed feed tag, if any.
    pub feed: Option<String>,
    /// Title as written.
    pub title: String,
    /// Link target.
    pub url: String,
    /// Outlet as written.
    pub outlet: String,
    /// Date text, if any (validated by the caller).
    pub date: Option<String>,
}

/// What the body holds.
#[derive(Debug, Default)]
pub struct Body {
    /// All highlight bullets, in reading order (placeholders left out).
    pub highlights: Vec<Highlight>,
    /// Prose paragraphs of the older layout, in reading order.
    pub summaries: Vec<Paragraph>,
    /// All source lines that parsed, in list order.
    pub sources: Vec<RawSource>,
    /// File line of the `## Sources` heading.
    pub sources_heading: Option<u32>,
    /// Problems found in the body.
    pub problems: Vec<Problem>,
}

enum Section {
    /// Before the first heading.
    Preamble,
    /// A highlight section: `overall`, a perspective id, or `differences`.
    Highlights(String),
    /// A heading that matches nothing; bullets under it are counted and reported.
    Unknown { heading: String, line: u32, bullets: u32 },
    /// The Sources list.
    Sources,
}

/// A `## …` heading that names a side: `China Perspective (China Sources)`, or in the older
/// layout `Inside Venezuela (Venezuelan Sources)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SideHeading {
    /// File line.
    pub line: u32,
    /// The side's name: the `<Name>` of `(<Name> Sources)`, else the text before
    /// ` Perspective`.
    pub name: String,
    /// The text before ` Perspective` (`International` of `International Perspective
    /// (US/International Sources)`), else the name: what an id would be made of.
    pub label: String,
}

/// The names a side heading gives: the `<Name>` of a trailing `(<Name> Sources)`, and the
/// text before ` Perspective`.
fn heading_names(heading: &str) -> (Option<&str>, Option<&str>) {
    let sources = heading
        .strip_suffix(')')
        .and_then(|h| h.rfind('(').map(|i| &h[i + 1..]))
        .and_then(|inner| inner.strip_suffix(" Sources").or_else(|| inner.strip_suffix(" sources")))
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let lower = heading.to_lowercase();
    let perspective = lower.find(" perspective").map(|i| heading[..i].trim()).filter(|n| !n.is_empty());
    (sources, perspective)
}

/// The side headings of a body, in order: the sides of the older layout, which declares
/// them nowhere else.
pub fn side_headings(body: &str, first_line: u32) -> Vec<SideHeading> {
    (first_line..)
        .zip(body.lines())
        .filter_map(|(line, text)| {
            let heading = text.trim().strip_prefix("## ")?.trim();
            let (sources, perspective) = heading_names(heading);
            let perspective = perspective.filter(|p| !p.eq_ignore_ascii_case(OVERALL));
            let name = sources.or(perspective)?;
            Some(SideHeading { line, name: name.to_string(), label: perspective.unwrap_or(name).to_string() })
        })
        .collect()
}

/// Which perspective a heading such as `China Perspective (China Sources)` names.
fn perspective_for_heading<'p>(heading: &str, perspectives: &'p [Perspective]) -> Option<&'p Perspective> {
    let (sources, perspective) = heading_names(heading);
    let names = [sources, perspective, Some(heading.trim())];
    perspectives.iter().find(|p| {
        names.iter().flatten().any(|n| n.eq_ignore_ascii_case(&p.name) || n.eq_ignore_ascii_case(&p.id))
    })
}

/// The section a heading opens, if it is one the generator writes.
fn known_section(heading: &str, perspectives: &[Perspective]) -> Option<Section> {
    let lower = heading.to_lowercase();
    let highlights = |s: &str| Some(Section::Highlights(s.to_string()));
    match lower.as_str() {
        "overall highlights" | "overall" | "key highlights" | "overall summary" | "summary" => {
            highlights(OVERALL)
        }
        "sources" => Some(Section::Sources),
        _ if lower.starts_with("key differences") => highlights(DIFFERENCES),
        _ => perspective_for_heading(heading, perspectives).and_then(|p| highlights(&p.id)),
    }
}

/// A bullet item: its indentation and its text, for `- `, `* `, `+ ` and `1. ` items.
fn bullet(line: &str) -> Option<(usize, &str)> {
    let trimmed = line.trim_start();
    let indent: usize =
        line[..line.len() - trimmed.len()].chars().map(|c| if c == '\t' { 4 } else { 1 }).sum();
    for marker in ["- ", "* ", "+ "] {
        if let Some(text) = trimmed.strip_prefix(marker) {
            return Some((indent, text));
        }
    }
    if matches!(trimmed, "-" | "*" | "+") {
        return Some((indent, ""));
    }
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        if let Some(text) = trimmed[digits..].strip_prefix(". ") {
            return Some((indent, text));
        }
    }
    None
}

/// The generator's bullet for a side without articles: `No United States sources available
/// for this time period.` It says nothing about the news.
pub fn is_placeholder(text: &str) -> bool {
    let lower = text.trim().trim_end_matches('.').to_lowercase();
    lower.starts_with("no ") && lower.ends_with(" sources available for this time period")
}

/// A bullet or paragraph being read (it may continue on the next lines).
struct Open {
    line: u32,
    section: String,
    depth: u32,
    raw: String,
}

/// The body parser's state while it walks the lines.
struct Parser<'a> {
    source_path: &'a str,
    perspectives: &'a [Perspective],
    /// Whether prose paragraphs are kept (the older layout) or reported as stray text.
    keep_prose: bool,
    out: Body,
    section: Section,
    bullet: Option<Open>,
    paragraph: Option<Open>,
    indents: Vec<usize>,
    after_blank: bool,
    bullet_positions: HashMap<String, u32>,
    paragraph_positions: HashMap<String, u32>,
}

/// Parses the body. `first_line` is the file line of the body's first line; `keep_prose`
/// keeps prose paragraphs as summaries (the older layout) instead of reporting them.
pub fn parse(
    source_path: &str,
    body: &str,
    first_line: u32,
    perspectives: &[Perspective],
    keep_prose: bool,
) -> Body {
    let mut p = Parser {
        source_path,
        perspectives,
        keep_prose,
        out: Body::default(),
        section: Section::Preamble,
        bullet: None,
        paragraph: None,
        indents: Vec::new(),
        after_blank: false,
        bullet_positions: HashMap::new(),
        paragraph_positions: HashMap::new(),
    };
    for (line_no, line) in (first_line..).zip(body.lines()) {
        p.line(line, line_no);
    }
    p.close_section();
    p.out
}

impl Parser<'_> {
    fn problem(&mut self, line: u32, severity: Severity, kind: &'static str, msg: &str) {
        self.out.problems.push(Problem::new(self.source_path, Some(line), severity, kind, msg));
    }

    fn line(&mut self, line: &str, line_no: u32) {
        let trimmed = line.trim();
        if let Some(marks) = trimmed.strip_prefix('#') {
            let heading = marks.trim_start_matches('#');
            if heading.starts_with(' ') || heading.is_empty() {
                let level = trimmed.len() - heading.len();
                self.heading(level, heading.trim(), line_no);
                return;
            }
        }
        if trimmed.is_empty() || trimmed == "<!--more-->" {
            self.flush_paragraph();
            self.after_blank = true;
            return;
        }
        match &mut self.section {
            Section::Sources => self.source(trimmed, line_no),
            Section::Unknown { bullets, .. } => {
                if bullet(line).is_some() {
                    *bullets += 1;
                }
            }
            Section::Preamble => self.problem(
                line_no,
                Severity::Warning,
                kind::UNPARSED_LINE,
                "text before the first `##` heading was ignored; put highlights under `## Overall Highlights`",
            ),
            Section::Highlights(id) => {
                let id = id.clone();
                self.highlight_line(line, trimmed, line_no, id);
            }
        }
        self.after_blank = false;
    }

    fn heading(&mut self, level: usize, heading: &str, line_no: u32) {
        let known = known_section(heading, self.perspectives);
        // A sub-heading the generator writes inside a section (`### Key Points`) keeps it.
        if known.is_none() && level >= 3 && matches!(self.section, Section::Highlights(_)) {
            self.flush_bullet();
            self.flush_paragraph();
            self.after_blank = false;
            return;
        }
        self.close_section();
        self.section =
            known.unwrap_or(Section::Unknown { heading: heading.to_string(), line: line_no, bullets: 0 });
        if let Section::Sources = self.section {
            self.out.sources_heading = Some(line_no);
        }
        self.after_blank = false;
    }

    fn highlight_line(&mut self, line: &str, trimmed: &str, line_no: u32, id: String) {
        if let Some((indent, text)) = bullet(line) {
            self.flush_bullet();
            self.flush_paragraph();
            while self.indents.last().is_some_and(|&top| top >= indent) {
                self.indents.pop();
            }
            self.indents.push(indent);
            let depth = self.indents.len() as u32 - 1;
            self.bullet = Some(Open { line: line_no, section: id, depth, raw: text.to_string() });
        } else if let Some(b) = self.bullet.as_mut().filter(|_| !self.after_blank || line.starts_with(' ')) {
            // A wrapped bullet: the continuation joins its bullet.
            b.raw.push(' ');
            b.raw.push_str(trimmed);
        } else if self.keep_prose {
            self.flush_bullet();
            match self.paragraph.as_mut() {
                Some(p) => {
                    p.raw.push(' ');
                    p.raw.push_str(trimmed);
                }
                None => {
                    self.paragraph =
                        Some(Open { line: line_no, section: id, depth: 0, raw: trimmed.to_string() })
                }
            }
        } else {
            self.problem(
                line_no,
                Severity::Warning,
                kind::UNPARSED_LINE,
                "text outside any bullet was ignored; start it with `- ` if it is a highlight",
            );
        }
    }

    fn source(&mut self, trimmed: &str, line_no: u32) {
        if source_line::is_numbered(trimmed) {
            match source_line::parse(trimmed) {
                Ok(s) => self.out.sources.push(RawSource {
                    line: line_no,
                    position: s.position,
                    feed: s.feed.map(str::to_string),
                    title: s.title.to_string(),
                    url: s.url.to_string(),
                    outlet: s.outlet.to_string(),
                    date: s.date.map(str::to_string),
                }),
                Err(e) => self.problem(
                    line_no,
                    Severity::Error,
                    kind::UNPARSED_SOURCE_LINE,
                    &format!(
                        "source line not used: {e}; write it as `N. [LANG] [TITLE](URL) - OUTLET (M/D/YYYY)`"
                    ),
                ),
            }
        } else if !trimmed.starts_with("This summary is based on") {
            self.problem(
                line_no,
                Severity::Warning,
                kind::UNPARSED_LINE,
                "text in the Sources section that is not a numbered source line was ignored; remove it or number it as a source",
            );
        }
    }

    fn flush_bullet(&mut self) {
        let Some(b) = self.bullet.take() else { return };
        let text = plain_text(&b.raw);
        if is_placeholder(&text) {
            self.problem(
                b.line,
                Severity::Notice,
                kind::PLACEHOLDER,
                &format!("`{text}` is the generator's placeholder for a side without articles, not a highlight; left out"),
            );
            return;
        }
        let pos = self.bullet_positions.entry(b.section.clone()).or_insert(0);
        *pos += 1;
        self.out.highlights.push(Highlight {
            line: b.line,
            section: b.section,
            position: *pos,
            depth: b.depth,
            text,
        });
    }

    fn flush_paragraph(&mut self) {
        let Some(p) = self.paragraph.take() else { return };
        let pos = self.paragraph_positions.entry(p.section.clone()).or_insert(0);
        *pos += 1;
        self.out.summaries.push(Paragraph {
            line: p.line,
            section: p.section,
            position: *pos,
            text: plain_text(&p.raw),
        });
    }

    /// Ends the current section: flushes what is open and reports an unknown section that
    /// held bullets.
    fn close_section(&mut self) {
        self.flush_bullet();
        self.flush_paragraph();
        self.indents.clear();
        if let Section::Unknown { heading, line, bullets } = &self.section {
            if *bullets > 0 {
                let msg = format!(
                    "section `{heading}` names no perspective of the frontmatter, so its {bullets} bullet(s) were not used; head it `<Name> Perspective (<Name> Sources)` with a declared name"
                );
                let line = *line;
                self.problem(line, Severity::Error, kind::UNKNOWN_SECTION, &msg);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        assert!(is_placeholder("No United States sources available for this time period."));
        assert!(is_placeholder("No China sources available for this time period"));
        assert!(!is_placeholder("No sources confirm the strike, officials said."));
    }

    #[test]
    fn side_headings_of_both_layouts() {
        let body = "## Overall Summary\n\n## International Perspective (US/International Sources)\n\n### Key Points\n\n## Inside Venezuela (Venezuelan Sources)\n\n## China Perspective (China Sources)\n## Sources\n";
        let names: Vec<_> = side_headings(body, 10).into_iter().map(|h| (h.line, h.name, h.label)).collect();
        let s = |x: &str| x.to_string();
        assert_eq!(
            names,
            [
                (12, s("US/International"), s("International")),
                (16, s("Venezuelan"), s("Venezuelan")),
                (18, s("China"), s("China"))
            ]
        );
    }
}
