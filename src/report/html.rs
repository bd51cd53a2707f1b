//! The report as one self-contained HTML page: inline CSS and SVG charts, no scripts, no
//! external requests; all digest text escaped.

use std::fmt::Write as _;

use super::escape as e;
use super::model::{Change, Figure, ProfileRow, Report, TopicReport};
use crate::charts::style;

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
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  section.topic { break-before: page; }
  figure { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"#;

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

/// A figure: the inline SVG, its caption and a link to its data.
pub fn figure(out: &mut String, f: &Figure, svgs: &dyn Fn(&str) -> Option<String>) {
    let svg = svgs(&f.chart.name).unwrap_or_default();
    let _ = writeln!(
        out,
        "<figure id=\"fig-{name}\">{svg}<figcaption>{cap} <a href=\"tables/{name}.csv\">Data (CSV)</a></figcaption></figure>",
        name = e(&f.chart.name),
        svg = inline_svg(&svg, &f.chart.title),
        cap = e(&f.caption)
    );
}

/// A bulleted list, or `empty` in grey when there are no items.
pub fn list(out: &mut String, items: &[String], empty: &str) {
    if items.is_empty() {
        let _ = writeln!(out, "<p class=\"muted\">{}</p>", e(empty));
    } else {
        out.push_str("<ul class=\"notes\">");
        for i in items {
            let _ = write!(out, "<li>{}</li>", e(i));
        }
        out.push_str("</ul>\n");
    }
}

fn topic(out: &mut String, t: &TopicReport, svgs: &dyn Fn(&str) -> Option<String>) {
    let _ = writeln!(out, "<section class=\"topic\" id=\"topic-{}\"><h2>{}</h2>", e(&t.topic), e(&t.name));
    out.push_str("<div class=\"cards\">");
    for c in &t.headline {
        change_card(out, c);
    }
    out.push_str("</div>\n<h3>Perspective balance</h3>\n");
    for f in &t.balance {
        figure(out, f, svgs);
    }
    out.push_str("<h3>Source shares</h3>\n");
    for f in &t.sources {
        figure(out, f, svgs);
    }
    out.push_str("<h3>Themes</h3>\n");
    for f in &t.themes {
        figure(out, f, svgs);
    }
    list(out, &t.theme_notes, "No theme rose or faded markedly this week.");
    out.push_str("<h3>One-sided coverage</h3>\n");
    list(out, &t.blindspots, "No one-sided stretch or theme silence this week.");
    out.push_str("<h3>Coverage profile</h3>\n<table><thead><tr>");
    for (h, right) in ProfileRow::HEADERS {
        let _ = write!(out, "<th{}>{}</th>", if right { " class=\"n\"" } else { "" }, e(h));
    }
    out.push_str("</tr></thead><tbody>");
    for p in &t.profile {
        out.push_str("<tr>");
        for ((_, right), cell) in ProfileRow::HEADERS.iter().zip(p.cells()) {
            let _ = write!(out, "<td{}>{}</td>", if *right { " class=\"n\"" } else { "" }, e(&cell));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n<h3>Highlights</h3>\n");
    if let Some(from) = &t.highlights_from {
        let _ = writeln!(
            out,
            "<p class=\"muted\">From the latest digest of the week, <a href=\"{}\">{}</a>.</p>",
            e(&from.href),
            e(&from.label)
        );
    }
    for h in &t.highlights {
        let _ = write!(out, "<h4>{}</h4>", e(&h.section));
        list(out, &h.bullets, "No highlights.");
    }
    let links: Vec<String> =
        t.digests.iter().map(|d| format!("<a href=\"{}\">{}</a>", e(&d.href), e(&d.label))).collect();
    let _ = writeln!(out, "<p>Digests this week: {}</p>", links.join(" · "));
    let _ = writeln!(
        out,
        "<h3>Data quality</h3>\n<p>The week's live digests declare {} articles and list {}.</p>",
        t.declared_listed.0, t.declared_listed.1
    );
    if t.problems.is_empty() {
        out.push_str(
            "<p class=\"muted\">No problems were found in this topic's digest files for the week.</p>\n",
        );
    } else {
        out.push_str("<table><thead><tr><th>where</th><th>severity</th><th>kind</th><th>message</th></tr></thead><tbody>");
        for p in &t.problems {
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=\"sev-{}\">{}</td><td>{}</td><td>{}</td></tr>",
                e(&p.location),
                e(&p.severity),
                e(&p.severity),
                e(&p.kind),
                e(&p.message)
            );
        }
        out.push_str("</tbody></table>\n");
    }
    out.push_str("</section>\n");
}

/// The page up to the opening of `<body>`: doctype, metadata, inline CSS.
pub fn page_start(title: &str, version: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"generator\" content=\"biaslens {}\"><title>{}</title><style>{}</style></head><body>\n",
        e(version),
        e(title),
        CSS.replace("FONTS", style::CSS_FONTS)
    )
}

/// Renders the report; `svgs` gives each chart's SVG by name.
pub fn render(r: &Report, svgs: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = page_start(&r.title(), &r.version);
    let _ = writeln!(
        out,
        "<header><h1>Media bias report</h1><p class=\"sub\">{} · {} · {} topic{}</p></header>",
        e(&r.week),
        e(&r.dates),
        r.topics.len(),
        if r.topics.len() == 1 { "" } else { "s" }
    );
    out.push_str("<nav>");
    for t in &r.topics {
        let _ = write!(out, "<a href=\"#topic-{}\">{}</a>", e(&t.topic), e(&t.name));
    }
    out.push_str("</nav>\n");
    if !r.overview.is_empty() {
        out.push_str("<section id=\"overview\"><h2>Overview</h2><table><thead><tr><th>topic</th><th class=\"n\">digests</th><th class=\"n\">articles</th><th class=\"n\">balance index</th><th class=\"n\">change</th><th>largest side</th><th class=\"n\">one-sided findings</th></tr></thead><tbody>");
        for o in &r.overview {
            let _ = write!(
                out,
                "<tr><td><a href=\"#topic-{}\">{}</a></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                e(&o.topic),
                e(&o.name),
                o.digests,
                o.articles,
                e(&o.balance.fmt(o.balance.now)),
                e(&o.balance.delta()),
                e(&o.leading),
                o.blindspots
            );
        }
        out.push_str("</tbody></table>");
        if r.unreadable_files > 0 {
            let _ = write!(out, "<p class=\"muted\">{} input files could not be read at all this run; they are listed in problems.csv.</p>", r.unreadable_files);
        }
        out.push_str("</section>\n");
    }
    for t in &r.topics {
        topic(&mut out, t, svgs);
    }
    let _ = write!(
        out,
        "<footer><p>Generated {} by biaslens {}. Drafts and superseded re-runs are left out; every number traces to the tables in <code>data/tables</code> and the CSV under each chart. Methods: balance index = normalised Shannon entropy of the sides' shares; themes from the lexicon <code>data/themes.yaml</code>.</p></footer>\n</body></html>\n",
        r.generated_at.format("%Y-%m-%d %H:%M UTC"),
        e(&r.version)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::inline_svg;

    #[test]
    fn svg_gets_a_view_box_once_and_an_accessible_name() {
        let plain =
            inline_svg("<?xml version=\"1.0\"?>\n<svg width=\"10\" height=\"5\" xmlns=\"x\"></svg>", "A & B");
        assert_eq!(plain, "<svg viewBox=\"0 0 10 5\" role=\"img\" aria-label=\"A &amp; B\" width=\"10\" height=\"5\" xmlns=\"x\"></svg>");
        let boxed = inline_svg("<svg width=\"10\" height=\"5\" viewBox=\"0 0 10 5\"></svg>", "t");
        assert_eq!(boxed.matches("viewBox").count(), 1);
    }
}
