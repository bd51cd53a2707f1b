//! The HTML markup: one self-contained page, inline CSS and SVG charts, no scripts, no
//! external requests; all digest text escaped.

use std::fmt::Write as _;

use super::markup::{Cell, Column, Inline, Markup, Page};
use super::model::{Change, Figure};
use crate::charts::style;
use escape as e;

const CSS: &str = r#"
:root { --ink:#222; --muted:#666; --rule:#e4e4e4; --bg:#fafafa; }
* { box-sizing: border-box; }
body { font-family: FONTS; color: var(--ink); margin: 0 auto; max-width: 1040px; padding: 24px; line-height: 1.45; }
header h1 { margin: 0 0 4px; font-size: 30px; }
.sub, figcaption, footer, .muted { color: var(--muted); }
nav { margin: 12px 0 24px; display: flex; flex-wrap: wrap; gap: 8px 16px; }
nav a { color: var(--ink); }
h2 { border-top: 3px solid var(--ink); padding-top: 12px; margin-top: 40px; }
h3 { margin-top: 28px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 14px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td:first-child { white-space: nowrap; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; }
.card { background: var(--bg); border: 1px solid var(--rule); border-radius: 6px; padding: 10px 12px; }
.card .v { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .l { font-size: 13px; color: var(--muted); }
.card .d { font-size: 13px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
figure { margin: 16px 0 24px; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 13px; margin-top: 4px; }
.sev-error { color: #b00020; font-weight: 600; }
.sev-warning { color: #8a5a00; }
ul.notes li { margin-bottom: 4px; }
td.story { white-space: normal; min-width: 16em; }
.split { display: inline-flex; width: 72px; height: 10px; vertical-align: middle; background: var(--rule); margin-right: 6px; }
.split span { display: block; height: 100%; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  section.topic { break-before: page; }
  figure { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// Writes a page as HTML; `svgs` gives each chart's SVG by name, for inlining.
pub struct Html<'a> {
    out: String,
    svgs: &'a dyn Fn(&str) -> Option<String>,
}

impl<'a> Html<'a> {
    /// A new page with the charts' SVGs.
    pub fn new(svgs: &'a dyn Fn(&str) -> Option<String>) -> Self {
        Html { out: String::new(), svgs }
    }
}

fn inlines(items: &[Inline]) -> String {
    items
        .iter()
        .map(|i| match i {
            Inline::Text(t) => e(t),
            Inline::Link { label, href } => format!("<a href=\"{}\">{}</a>", e(href), e(label)),
            Inline::Code(c) => format!("<code>{}</code>", e(c)),
        })
        .collect()
}

fn cell(c: &Cell, numeric: bool) -> String {
    let n = if numeric { " class=\"n\"" } else { "" };
    match c {
        Cell::Text(t) => format!("<td{n}>{}</td>", e(t)),
        Cell::Anchor { label, anchor } => format!("<td{n}><a href=\"#{}\">{}</a></td>", e(anchor), e(label)),
        Cell::Styled { text, class } => format!("<td class=\"{}\">{}</td>", e(class), e(text)),
        Cell::Split(parts) => {
            let total: u32 = parts.iter().map(|p| p.count).sum::<u32>().max(1);
            let bars: String = parts
                .iter()
                .filter(|p| p.count > 0)
                .map(|p| {
                    let width = f64::from(p.count) * 100.0 / f64::from(total);
                    format!(
                        "<span style=\"width:{width:.1}%;background:{}\" title=\"{} {}\"></span>",
                        e(&p.color),
                        e(&p.name),
                        p.count
                    )
                })
                .collect();
            format!("<td><span class=\"split\">{bars}</span> {}</td>", e(&Cell::split_words(parts)))
        }
        Cell::Links(links) => {
            let a: Vec<String> =
                links.iter().map(|l| format!("<a href=\"{}\">{}</a>", e(&l.href), e(&l.label))).collect();
            format!("<td>{}</td>", a.join(" · "))
        }
    }
}

impl Markup for Html<'_> {
    fn start(&mut self, page: &Page) {
        let _ = write!(
            self.out,
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"generator\" content=\"biaslens {}\"><title>{}</title><style>{}</style></head><body>\n",
            e(&page.version),
            e(&page.title),
            CSS.replace("FONTS", style::CSS_FONTS)
        );
    }

    fn header(&mut self, title: &str, sub: &str) {
        let _ = writeln!(self.out, "<header><h1>{}</h1><p class=\"sub\">{}</p></header>", e(title), e(sub));
    }

    fn nav(&mut self, links: &[(String, String)]) {
        self.out.push_str("<nav>");
        for (anchor, label) in links {
            let _ = write!(self.out, "<a href=\"#{}\">{}</a>", e(anchor), e(label));
        }
        self.out.push_str("</nav>\n");
    }

    fn open_section(&mut self, anchor: &str, class: Option<&str>, heading: &str) {
        let class = class.map(|c| format!(" class=\"{}\"", e(c))).unwrap_or_default();
        let _ = writeln!(self.out, "<section{class} id=\"{}\"><h2>{}</h2>", e(anchor), e(heading));
    }

    fn close_section(&mut self) {
        self.out.push_str("</section>\n");
    }

    fn heading(&mut self, text: &str) {
        let _ = writeln!(self.out, "<h3>{}</h3>", e(text));
    }

    fn subheading(&mut self, text: &str) {
        let _ = write!(self.out, "<h4>{}</h4>", e(text));
    }

    fn paragraph(&mut self, items: &[Inline], muted: bool) {
        let class = if muted { " class=\"muted\"" } else { "" };
        let _ = writeln!(self.out, "<p{class}>{}</p>", inlines(items));
    }

    fn list(&mut self, items: &[String], empty: &str) {
        if items.is_empty() {
            let _ = writeln!(self.out, "<p class=\"muted\">{}</p>", e(empty));
        } else {
            self.out.push_str("<ul class=\"notes\">");
            for i in items {
                let _ = write!(self.out, "<li>{}</li>", e(i));
            }
            self.out.push_str("</ul>\n");
        }
    }

    fn table(&mut self, columns: &[Column], rows: &[Vec<Cell>]) {
        self.out.push_str("<table><thead><tr>");
        for (h, numeric) in columns {
            let _ = write!(self.out, "<th{}>{}</th>", if *numeric { " class=\"n\"" } else { "" }, e(h));
        }
        self.out.push_str("</tr></thead><tbody>");
        for row in rows {
            self.out.push_str("<tr>");
            for (c, (_, numeric)) in row.iter().zip(columns) {
                self.out.push_str(&cell(c, *numeric));
            }
            self.out.push_str("</tr>");
        }
        self.out.push_str("</tbody></table>\n");
    }

    fn cards(&mut self, changes: &[Change]) {
        self.out.push_str("<div class=\"cards\">");
        for c in changes {
            change_card(&mut self.out, c);
        }
        self.out.push_str("</div>\n");
    }

    fn figure(&mut self, f: &Figure) {
        let svg = (self.svgs)(&f.chart.name).unwrap_or_default();
        let _ = writeln!(
            self.out,
            "<figure id=\"fig-{name}\">{svg}<figcaption>{cap} <a href=\"tables/{name}.csv\">Data (CSV)</a></figcaption></figure>",
            name = e(&f.chart.name),
            svg = inline_svg(&svg, &f.chart.title),
            cap = e(&f.caption)
        );
    }

    fn footer(&mut self, items: &[Inline]) {
        let _ = write!(self.out, "<footer><p>{}</p></footer>\n</body></html>\n", inlines(items));
    }

    fn finish(self) -> String {
        with_embedded_font(self.out)
    }
}

/// The page with a `@font-face` of the embedded font's glyphs for the characters it shows
/// that system fonts may lack, first in its font stack ([`super::font`]); the page as it is
/// when it has none.
pub fn with_embedded_font(page: String) -> String {
    let face = super::font::face_for(style::font(), &page).unwrap_or_else(|e| {
        eprintln!("biaslens: warning: the page's CJK text is left to the reader's fonts: {e:#}");
        None
    });
    let Some(face) = face else { return page };
    let stack = format!("font-family: {}", style::CSS_FONTS);
    page.replacen("<style>", &format!("<style>{face}"), 1).replacen(
        &stack,
        &format!("font-family: \"{}\", {}", super::font::FAMILY, style::CSS_FONTS),
        1,
    )
}

/// Makes a plotters SVG embeddable and scalable: no XML prolog, a viewBox, an accessible name.
pub fn inline_svg(svg: &str, title: &str) -> String {
    let body = svg.trim_start_matches(|c: char| c.is_whitespace());
    let body = match body.strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map_or(body, |(_, r)| r.trim_start()),
        None => body,
    };
    let view_box = match (attr(body, "viewBox"), attr(body, "width"), attr(body, "height")) {
        (None, Some(w), Some(h)) => format!("viewBox=\"0 0 {w} {h}\" "),
        _ => String::new(),
    };
    body.replacen("<svg ", &format!("<svg {view_box}role=\"img\" aria-label=\"{}\" ", e(title)), 1)
}

fn attr<'a>(svg: &'a str, name: &str) -> Option<&'a str> {
    let head = &svg[..svg.find('>')?];
    let start = head.find(&format!(" {name}=\""))? + name.len() + 3;
    head[start..].split('"').next()
}

fn change_card(out: &mut String, c: &Change) {
    let delta = c.delta();
    let _ = write!(
        out,
        "<div class=\"card\"><div class=\"v\">{}</div><div class=\"l\">{}</div><div class=\"d\">{}</div></div>",
        e(&c.fmt(c.now)),
        e(&c.label),
        if delta.is_empty() { String::new() } else { format!("{} vs previous week ({})", e(&delta), e(&c.fmt(c.before))) }
    );
}

/// Escapes text for HTML and XML (element content and attribute values).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::inline_svg;

    #[test]
    fn escaping() {
        assert_eq!(
            super::escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

    #[test]
    fn svg_gets_a_view_box_once_and_an_accessible_name() {
        let plain =
            inline_svg("<?xml version=\"1.0\"?>\n<svg width=\"10\" height=\"5\" xmlns=\"x\"></svg>", "A & B");
        assert_eq!(plain, "<svg viewBox=\"0 0 10 5\" role=\"img\" aria-label=\"A &amp; B\" width=\"10\" height=\"5\" xmlns=\"x\"></svg>");
        let boxed = inline_svg("<svg width=\"10\" height=\"5\" viewBox=\"0 0 10 5\"></svg>", "t");
        assert_eq!(boxed.matches("viewBox").count(), 1);
    }
}
