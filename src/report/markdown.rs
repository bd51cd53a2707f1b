//! The report as Markdown with Hugo frontmatter and PNG charts, for the digests' own site.

use std::fmt::Write as _;

use super::escape_md as e;
use super::model::{Figure, ProfileRow, Report};

/// A YAML double-quoted string.
pub fn yaml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A figure as a PNG image with its caption and data link. The image goes through Hugo's
/// built-in `figure` shortcode with `width="100%"`: an explicit width scales the 2× PNG to
/// the content column in any theme, even one without image CSS (a plain `![]()` shows 1,920
/// pixels wide, and 1× PNGs would still be 960, wider than most columns, and blurry).
pub fn figure(out: &mut String, f: &Figure) {
    let _ = write!(
        out,
        "{{{{< figure src=\"charts/{}.png\" alt=\"{}\" width=\"100%\" >}}}}\n\n*{}* [Data (CSV)](tables/{}.csv)\n\n",
        f.chart.name,
        shortcode_str(&f.chart.title),
        e(&f.caption),
        f.chart.name
    );
}

/// Text safe inside a quoted shortcode parameter: no quotes, braces or angle brackets.
fn shortcode_str(text: &str) -> String {
    text.chars().map(|c| if matches!(c, '"' | '{' | '}' | '<' | '>' | '\\') { '\'' } else { c }).collect()
}

/// A bulleted list, or `empty` when there are no items.
pub fn bullets(out: &mut String, items: &[String], empty: &str) {
    if items.is_empty() {
        let _ = writeln!(out, "{}\n", e(empty));
    } else {
        for i in items {
            let _ = writeln!(out, "- {}", e(i));
        }
        out.push('\n');
    }
}

/// Renders the report.
pub fn render(r: &Report) -> String {
    let mut out = String::new();
    let topics: Vec<String> = r.topics.iter().map(|t| yaml_str(&t.topic)).collect();
    let _ = write!(
        out,
        "---\ntitle: {}\ndate: {}\nlastmod: {}\nweek: {}\ntopics: [{}]\ndraft: false\n---\n\n",
        yaml_str(&r.title()),
        r.week_start,
        r.generated_at.format("%Y-%m-%dT%H:%M:%SZ"),
        yaml_str(&r.week),
        topics.join(", ")
    );
    let _ = writeln!(out, "# Media bias report {}\n\n{} · {} topic(s)\n", r.week, r.dates, r.topics.len());
    if !r.overview.is_empty() {
        out.push_str("## Overview\n\n| topic | digests | articles | balance index | change | largest side | one-sided findings |\n|---|---:|---:|---:|---:|---|---:|\n");
        for o in &r.overview {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                e(&o.name),
                o.digests,
                o.articles,
                o.balance.fmt(o.balance.now),
                o.balance.delta(),
                e(&o.leading),
                o.blindspots
            );
        }
        out.push('\n');
        if r.unreadable_files > 0 {
            let _ = writeln!(
                out,
                "{} input files could not be read at all this run; they are listed in problems.csv.\n",
                r.unreadable_files
            );
        }
    }
    for t in &r.topics {
        let _ = writeln!(out, "## {}\n\n| | this week | change |\n|---|---:|---:|", e(&t.name));
        for c in &t.headline {
            let _ = writeln!(out, "| {} | {} | {} |", e(&c.label), c.fmt(c.now), c.delta());
        }
        out.push_str("\n### Perspective balance\n\n");
        t.balance.iter().for_each(|f| figure(&mut out, f));
        out.push_str("### Source shares\n\n");
        t.sources.iter().for_each(|f| figure(&mut out, f));
        out.push_str("### Themes\n\n");
        t.themes.iter().for_each(|f| figure(&mut out, f));
        bullets(&mut out, &t.theme_notes, "No theme rose or faded markedly this week.");
        out.push_str("### One-sided coverage\n\n");
        bullets(&mut out, &t.blindspots, "No one-sided stretch or theme silence this week.");
        out.push_str("### Coverage profile\n\n|");
        for (h, _) in ProfileRow::HEADERS {
            let _ = write!(out, " {h} |");
        }
        out.push_str("\n|");
        for (_, right) in ProfileRow::HEADERS {
            out.push_str(if right { "---:|" } else { "---|" });
        }
        out.push('\n');
        for p in &t.profile {
            let cells: Vec<String> = p.cells().iter().map(|c| e(c)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out.push_str("\n### Highlights\n\n");
        if let Some(from) = &t.highlights_from {
            let _ =
                writeln!(out, "From the latest digest of the week, [{}]({}).\n", e(&from.label), from.href);
        }
        for h in &t.highlights {
            let _ = writeln!(out, "**{}**\n", e(&h.section));
            bullets(&mut out, &h.bullets, "No highlights.");
        }
        let links: Vec<String> = t.digests.iter().map(|d| format!("[{}]({})", e(&d.label), d.href)).collect();
        let _ = writeln!(out, "Digests this week: {}\n", links.join(" · "));
        let _ = writeln!(
            out,
            "### Data quality\n\nThe week's live digests declare {} articles and list {}.\n",
            t.declared_listed.0, t.declared_listed.1
        );
        if t.problems.is_empty() {
            out.push_str("No problems were found in this topic's digest files for the week.\n\n");
        } else {
            out.push_str("| where | severity | kind | message |\n|---|---|---|---|\n");
            for p in &t.problems {
                let _ =
                    writeln!(out, "| {} | {} | {} | {} |", e(&p.location), p.severity, p.kind, e(&p.message));
            }
            out.push('\n');
        }
    }
    let _ = writeln!(
        out,
        "---\n\nGenerated {} by biaslens {}.",
        r.generated_at.format("%Y-%m-%d %H:%M UTC"),
        r.version
    );
    out
}
