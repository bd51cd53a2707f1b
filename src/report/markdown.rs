//! The Markdown markup, with Hugo frontmatter and PNG (or SVG) charts, for the digests' own
//! site.

use std::fmt::Write as _;

use super::images::ChartImages;
use super::markup::{Cell, Column, Inline, Markup, Page};
use super::model::{Change, Figure};
use escape_md as e;

/// A YAML double-quoted string.
pub fn yaml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Text safe inside a quoted shortcode parameter: no quotes, braces or angle brackets.
fn shortcode_str(text: &str) -> String {
    text.chars().map(|c| if matches!(c, '"' | '{' | '}' | '<' | '>' | '\\') { '\'' } else { c }).collect()
}

/// Writes a page as Markdown.
#[derive(Debug, Default)]
pub struct Markdown {
    out: String,
    /// The chart images the page links.
    images: ChartImages,
}

impl Markdown {
    /// A page whose figures link `images`.
    pub fn new(images: ChartImages) -> Self {
        Markdown { out: String::new(), images }
    }
}

fn inlines(items: &[Inline]) -> String {
    items
        .iter()
        .map(|i| match i {
            Inline::Text(t) => e(t),
            Inline::Link { label, href } => format!("[{}]({href})", e(label)),
            Inline::Code(c) => format!("`{c}`"),
        })
        .collect()
}

fn cell(c: &Cell) -> String {
    match c {
        Cell::Text(t) | Cell::Anchor { label: t, .. } | Cell::Styled { text: t, .. } => e(t),
        Cell::Split(parts) => e(&Cell::split_words(parts)),
        Cell::Links(links) => {
            links.iter().map(|l| format!("[{}]({})", e(&l.label), l.href)).collect::<Vec<_>>().join(" · ")
        }
    }
}

impl Markup for Markdown {
    fn start(&mut self, page: &Page) {
        self.out.push_str("---\n");
        for (k, v) in &page.frontmatter {
            let _ = writeln!(self.out, "{k}: {v}");
        }
        self.out.push_str("---\n\n");
    }

    fn header(&mut self, title: &str, sub: &str) {
        let _ = writeln!(self.out, "# {}\n\n{}\n", e(title), e(sub));
    }

    fn nav(&mut self, _links: &[(String, String)]) {}

    fn open_section(&mut self, _anchor: &str, _class: Option<&str>, heading: &str) {
        let _ = writeln!(self.out, "## {}\n", e(heading));
    }

    fn close_section(&mut self) {}

    fn heading(&mut self, text: &str) {
        let _ = writeln!(self.out, "### {}\n", e(text));
    }

    fn subheading(&mut self, text: &str) {
        let _ = writeln!(self.out, "**{}**\n", e(text));
    }

    fn paragraph(&mut self, items: &[Inline], _muted: bool) {
        let _ = writeln!(self.out, "{}\n", inlines(items));
    }

    fn list(&mut self, items: &[String], empty: &str) {
        if items.is_empty() {
            let _ = writeln!(self.out, "{}\n", e(empty));
        } else {
            for i in items {
                let _ = writeln!(self.out, "- {}", e(i));
            }
            self.out.push('\n');
        }
    }

    fn table(&mut self, columns: &[Column], rows: &[Vec<Cell>]) {
        let head: String = columns
            .iter()
            .map(|(h, _)| if h.is_empty() { " |".to_string() } else { format!(" {h} |") })
            .collect();
        let rule: Vec<&str> = columns.iter().map(|(_, n)| if *n { "---:" } else { "---" }).collect();
        let _ = writeln!(self.out, "|{head}\n|{}|", rule.join("|"));
        for row in rows {
            let cells: Vec<String> = row.iter().map(cell).collect();
            let _ = writeln!(self.out, "| {} |", cells.join(" | "));
        }
        self.out.push('\n');
    }

    fn cards(&mut self, changes: &[Change]) {
        let rows: Vec<Vec<Cell>> = changes
            .iter()
            .map(|c| vec![c.label.as_str().into(), c.fmt(c.now).into(), c.delta().into()])
            .collect();
        self.table(&[("", false), ("this week", true), ("change", true)], &rows);
    }

    /// The image goes through Hugo's built-in `figure` shortcode with `width="100%"`: an
    /// explicit width scales the 2× PNG to the content column in any theme, even one without
    /// image CSS (a plain `![]()` shows 1,920 pixels wide, and 1× PNGs would still be 960,
    /// wider than most columns, and blurry).
    fn figure(&mut self, f: &Figure) {
        let _ = write!(
            self.out,
            "{{{{< figure src=\"charts/{}.{}\" alt=\"{}\" width=\"100%\" >}}}}\n\n*{}* [Data (CSV)](tables/{}.csv)\n\n",
            f.chart.name,
            self.images.extension(),
            shortcode_str(&f.chart.title),
            e(&f.caption),
            f.chart.name
        );
    }

    fn footer(&mut self, items: &[Inline]) {
        let _ = writeln!(self.out, "---\n\n{}", inlines(items));
    }

    fn finish(self) -> String {
        self.out
    }
}
/// Escapes text for Markdown prose: characters that would start markup or HTML.
pub fn escape_md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping() {
        assert_eq!(super::escape_md("a_b *c* <d>"), "a\\_b \\*c\\* \\<d\\>");
    }
}
