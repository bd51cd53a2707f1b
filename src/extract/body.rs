//! The Markdown body: highlight sections with their bullets, and the Sources list.
//!
//! Works line by line with file line numbers, so every problem points at a real line.

use crate::model::{Highlight, Perspective, OVERALL};
use crate::problems::{kind, Problem, Severity};

use super::markdown::plain_text;
use super::source_line;

/// A source line that parsed, with owned fields and its file line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawSource {
    /// File line.
    pub line: u32,
    /// Number as written.
    pub position: u32,
    /// Language tag, if any.
    pub language: Option<String>,
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
    /// All highlight bullets, in reading order.
    pub highlights: Vec<Highlight>,
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
    /// A highlight section: `overall` or a perspective id.
    Highlights(String),
    /// A heading that matches nothing; bullets under it are counted and reported.
    Unknown { heading: String, line: u32, bullets: u32 },
    /// The Sources list.
    Sources,
}

/// Which perspective a heading such as `China Perspective (China Sources)` names.
fn perspective_for_heading<'p>(heading: &str, perspectives: &'p [Perspective]) -> Option<&'p Perspective> {
    let lower = heading.to_lowercase();
    let name = match lower.find(" perspective") {
        Some(i) => lower[..i].trim(),
        None => lower.trim(),
    };
    perspectives.iter().find(|p| p.name.to_lowercase() == name || p.id.to_lowercase() == name)
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

struct Open {
    line: u32,
    section: String,
    depth: u32,
    raw: String,
}

/// Parses the body. `first_line` is the file line of the body's first line.
pub fn parse(source_path: &str, body: &str, first_line: u32, perspectives: &[Perspective]) -> Body {
    let mut out = Body::default();
    let mut section = Section::Preamble;
    let mut open: Option<Open> = None;
    let mut indents: Vec<usize> = Vec::new();
    let mut after_blank = false;
    let mut positions: std::collections::HashMap<String, u32> = Default::default();

    let mut flush = |open: &mut Option<Open>, out: &mut Body| {
        if let Some(b) = open.take() {
            let pos = positions.entry(b.section.clone()).or_insert(0);
            *pos += 1;
            out.highlights.push(Highlight {
                line: b.line,
                section: b.section,
                position: *pos,
                depth: b.depth,
                text: plain_text(&b.raw),
            });
        }
    };
    let problem =
        |line: u32, severity, kind, msg: String| Problem::new(source_path, Some(line), severity, kind, msg);

    for (i, line) in body.lines().enumerate() {
        let line_no = first_line + i as u32;
        let trimmed = line.trim();

        if let Some(heading) = trimmed.strip_prefix('#').map(|h| h.trim_start_matches('#')) {
            if heading.starts_with(' ') || heading.is_empty() {
                flush(&mut open, &mut out);
                close_unknown(&section, source_path, &mut out.problems);
                indents.clear();
                let heading = heading.trim();
                let lower = heading.to_lowercase();
                section = if lower == "overall highlights" || lower == "overall" {
                    Section::Highlights(OVERALL.to_string())
                } else if lower == "sources" {
                    out.sources_heading = Some(line_no);
                    Section::Sources
                } else if let Some(p) = perspective_for_heading(heading, perspectives) {
                    Section::Highlights(p.id.clone())
                } else {
                    Section::Unknown { heading: heading.to_string(), line: line_no, bullets: 0 }
                };
                after_blank = false;
                continue;
            }
        }
        if trimmed.is_empty() || trimmed == "<!--more-->" {
            after_blank = true;
            continue;
        }

        match &mut section {
            Section::Sources => {
                if source_line::is_numbered(trimmed) {
                    match source_line::parse(trimmed) {
                        Ok(s) => out.sources.push(RawSource {
                            line: line_no,
                            position: s.position,
                            language: s.language.map(str::to_string),
                            title: s.title.to_string(),
                            url: s.url.to_string(),
                            outlet: s.outlet.to_string(),
                            date: s.date.map(str::to_string),
                        }),
                        Err(e) => out.problems.push(problem(
                            line_no,
                            Severity::Error,
                            kind::UNPARSED_SOURCE_LINE,
                            format!(
                                "source line not used: {e}; write it as `N. [LANG] [TITLE](URL) - OUTLET (M/D/YYYY)`"
                            ),
                        )),
                    }
                } else if !trimmed.starts_with("This summary is based on") {
                    out.problems.push(problem(
                        line_no,
                        Severity::Warning,
                        kind::UNPARSED_LINE,
                        "text in the Sources section that is not a numbered source line was ignored; remove it or number it as a source".to_string(),
                    ));
                }
            }
            Section::Unknown { bullets, .. } => {
                if bullet(line).is_some() {
                    *bullets += 1;
                }
            }
            Section::Preamble => out.problems.push(problem(
                line_no,
                Severity::Warning,
                kind::UNPARSED_LINE,
                "text before the first `##` heading was ignored; put highlights under `## Overall Highlights`".to_string(),
            )),
            Section::Highlights(id) => {
                if let Some((indent, text)) = bullet(line) {
                    flush(&mut open, &mut out);
                    while indents.last().is_some_and(|&top| top >= indent) {
                        indents.pop();
                    }
                    indents.push(indent);
                    open = Some(Open {
                        line: line_no,
                        section: id.clone(),
                        depth: indents.len() as u32 - 1,
                        raw: text.to_string(),
                    });
                } else if let Some(b) = open.as_mut().filter(|_| !after_blank || line.starts_with(' ')) {
                    // A wrapped bullet: the continuation joins its bullet.
                    b.raw.push(' ');
                    b.raw.push_str(trimmed);
                } else {
                    out.problems.push(problem(
                        line_no,
                        Severity::Warning,
                        kind::UNPARSED_LINE,
                        "text outside any bullet was ignored; start it with `- ` if it is a highlight".to_string(),
                    ));
                }
            }
        }
        after_blank = false;
    }
    flush(&mut open, &mut out);
    close_unknown(&section, source_path, &mut out.problems);
    out
}

fn close_unknown(section: &Section, source_path: &str, problems: &mut Vec<Problem>) {
    if let Section::Unknown { heading, line, bullets } = section {
        if *bullets > 0 {
            problems.push(Problem::new(
                source_path,
                Some(*line),
                Severity::Error,
                kind::UNKNOWN_SECTION,
                format!(
                    "section `{heading}` names no perspective of the frontmatter, so its {bullets} bullet(s) were not used; head it `<Name> Perspective (<Name> Sources)` with a declared name"
                ),
            ));
        }
    }
}
