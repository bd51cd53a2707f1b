//! The weekly report and the month comparison, each written once through a [`Markup`]:
//! [`Html`] for the self-contained page, [`Markdown`] for the Hugo page.

use super::format::{self, pct};
use super::html::Html;
use super::images::ChartImages;
use super::markdown::{yaml_str, Markdown};
use super::markup::{text, Cell, Column, Inline, Markup, Page};
use super::model::{
    ChangeNote, Comparison, GroundingRow, ProfileRow, Report, StoryRow, ToneRow, TopicReport,
};

/// The weekly report as one self-contained HTML page; `svgs` gives each chart's SVG by name.
pub fn weekly_html(r: &Report, svgs: &dyn Fn(&str) -> Option<String>) -> String {
    let mut m = Html::new(svgs);
    weekly(&mut m, r);
    m.finish()
}

/// The weekly report as Markdown with Hugo frontmatter, its charts as `images`.
pub fn weekly_markdown(r: &Report, images: ChartImages) -> String {
    let mut m = Markdown::new(images);
    weekly(&mut m, r);
    m.finish()
}

/// The month comparison as one self-contained HTML page.
pub fn compare_html(cmp: &Comparison, svgs: &dyn Fn(&str) -> Option<String>) -> String {
    let mut m = Html::new(svgs);
    compare(&mut m, cmp);
    m.finish()
}

/// The month comparison as Markdown with Hugo frontmatter, its charts as `images`.
pub fn compare_markdown(cmp: &Comparison, images: ChartImages) -> String {
    let mut m = Markdown::new(images);
    compare(&mut m, cmp);
    m.finish()
}

fn topics_line(n: usize) -> String {
    format!("{n} topic{}", if n == 1 { "" } else { "s" })
}

fn yaml_list(items: impl Iterator<Item = String>) -> String {
    format!("[{}]", items.map(|i| yaml_str(&i)).collect::<Vec<_>>().join(", "))
}

const OVERVIEW: [Column; 7] = [
    ("topic", false),
    ("digests", true),
    ("articles", true),
    ("balance index", true),
    ("change", true),
    ("largest side", false),
    ("one-sided findings", true),
];

/// The weekly report, in any markup.
pub fn weekly(m: &mut impl Markup, r: &Report) {
    m.start(&Page {
        title: r.title(),
        version: r.version.clone(),
        frontmatter: vec![
            ("title", yaml_str(&r.title())),
            ("date", r.week_start.to_string()),
            ("lastmod", r.generated_at.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
            ("week", yaml_str(&r.week)),
            ("topics", yaml_list(r.topics.iter().map(|t| t.topic.clone()))),
            ("draft", "false".into()),
        ],
    });
    m.header("Media bias report", &format!("{} · {} · {}", r.week, r.dates, topics_line(r.topics.len())));
    m.nav(&r.topics.iter().map(|t| (format!("topic-{}", t.topic), t.name.clone())).collect::<Vec<_>>());
    if !r.overview.is_empty() {
        m.open_section("overview", None, "Overview");
        let rows: Vec<Vec<Cell>> = r
            .overview
            .iter()
            .map(|o| {
                vec![
                    Cell::Anchor { label: o.name.clone(), anchor: format!("topic-{}", o.topic) },
                    o.digests.to_string().into(),
                    o.articles.to_string().into(),
                    o.balance.fmt(o.balance.now).into(),
                    o.balance.delta().into(),
                    o.leading.clone().into(),
                    o.blindspots.to_string().into(),
                ]
            })
            .collect();
        m.table(&OVERVIEW, &rows);
        if r.unreadable_files > 0 {
            let note = format!(
                "{} input files could not be read at all this run; they are listed in problems.csv.",
                r.unreadable_files
            );
            m.paragraph(&[text(note)], true);
        }
        m.close_section();
    }
    for t in &r.topics {
        topic(m, t);
    }
    m.footer(&[
        text(format!(
            "Generated {} by biaslens {}. Drafts and superseded re-runs are left out; every number traces to the tables in ",
            r.generated_at.format("%Y-%m-%d %H:%M UTC"),
            r.version
        )),
        Inline::Code("data/tables".into()),
        text(" and the CSV under each chart. Methods: balance index = normalised Shannon entropy of the sides' shares; themes from the lexicon "),
        Inline::Code("data/themes.yaml".into()),
        text(", with keywords in each feed language, matched in each item's own language; stories from title similarity, Spanish and English titles compared through the glossary "),
        Inline::Code("data/glossary.yaml".into()),
        text("; one-sided stories and theme silences only where the other side's language could be linked or seen."),
    ]);
}

fn topic(m: &mut impl Markup, t: &TopicReport) {
    m.open_section(&format!("topic-{}", t.topic), Some("topic"), &t.name);
    m.cards(&t.headline);
    if let Some(note) = &t.languages {
        m.heading("Sides in different languages");
        m.paragraph(&[text(note.clone())], false);
    }
    m.heading("Perspective balance");
    if let Some(note) = &t.unsided {
        m.paragraph(&[text(note.clone())], false);
    }
    t.balance.iter().for_each(|f| m.figure(f));
    m.heading("Source shares");
    t.sources.iter().for_each(|f| m.figure(f));
    m.heading("Themes");
    t.themes.iter().for_each(|f| m.figure(f));
    m.list(&t.theme_notes, "No theme rose or faded markedly this week.");
    m.heading("Stories of the week");
    let rows: Vec<Vec<Cell>> = t
        .stories
        .iter()
        .map(|s| {
            vec![
                Cell::Styled { text: s.title.clone(), class: "story".into() },
                Cell::Split(s.split.clone()),
                s.days.clone().into(),
                s.outlets.clone().into(),
                Cell::Links(s.links.clone()),
            ]
        })
        .collect();
    if rows.is_empty() {
        m.paragraph(&[text("No story had more than one article this week.")], true);
    } else {
        m.table(&StoryRow::HEADERS, &rows);
    }
    m.heading("Covered by one side only");
    m.list(&t.one_sided_stories, "No story this week.");
    m.heading("One-sided coverage");
    m.list(&t.blindspots, "No one-sided stretch or theme silence this week.");
    m.heading("Coverage profile");
    let rows: Vec<Vec<Cell>> =
        t.profile.iter().map(|p| p.cells().into_iter().map(Cell::Text).collect()).collect();
    if rows.is_empty() {
        m.paragraph(&[text("No article of the week has a known side.")], true);
    } else {
        m.table(&ProfileRow::HEADERS, &rows);
    }
    tone(m, t);
    m.heading("Highlights");
    if let Some(from) = &t.highlights_from {
        m.paragraph(
            &[
                text("From the latest digest of the week, "),
                Inline::Link { label: from.label.clone(), href: from.href.clone() },
                text("."),
            ],
            true,
        );
    }
    for h in &t.highlights {
        m.subheading(&h.section);
        m.list(&h.bullets, "No highlights.");
    }
    let mut links = vec![text("Digests this week: ")];
    for (i, d) in t.digests.iter().enumerate() {
        if i > 0 {
            links.push(text(" · "));
        }
        links.push(Inline::Link { label: d.label.clone(), href: d.href.clone() });
    }
    m.paragraph(&links, false);
    quality(m, t);
    m.close_section();
}

/// "Tone by side" and "Do the highlights rest on their sources?".
fn tone(m: &mut impl Markup, t: &TopicReport) {
    m.heading("Tone by side");
    if t.tone.is_empty() {
        m.paragraph(&[text("No title of a known side could be scored in the last weeks.")], true);
    } else {
        m.paragraph(
            &[text("Each title and highlight is scored in its own language (−1 to +1: English with VADER's word list and the project's corrections for news words, Spanish with the project's list); a side's tone is the mean over its items, with a bootstrap 95% interval. One title says little; * marks fewer than 10 items. Highlights − titles: how much warmer (+) or colder (−) the digest's summaries of a side read than the side's own titles.")],
            true,
        );
        let rows: Vec<Vec<Cell>> =
            t.tone.iter().map(|r| r.cells().into_iter().map(Cell::Text).collect()).collect();
        m.table(&ToneRow::HEADERS, &rows);
        m.list(&t.tone_notes, "No word of a tone list in this week's titles.");
    }
    m.heading("Do the highlights rest on their sources?");
    if t.grounding.is_empty() {
        m.paragraph(&[text("No side highlight this week could be matched to titles.")], true);
        return;
    }
    m.paragraph(
        &[text("Each side's highlight bullets were matched to the titles of their digest by shared rare words (Spanish titles through the project's glossary). A bullet resting only on the other side's titles, or on none found by word match, is listed below with the titles it rests on; no match does not mean the bullet is false (the generator also read a description of each article). Against hand labels the status agrees 75% of the time (docs/analysis.md, Grounding).")],
        true,
    );
    let rows: Vec<Vec<Cell>> =
        t.grounding.iter().map(|r| r.cells().into_iter().map(Cell::Text).collect()).collect();
    m.table(&GroundingRow::HEADERS, &rows);
    m.list(
        &t.flagged,
        "No bullet rests on the other side's titles alone, and every one has a supporting title.",
    );
}

fn quality(m: &mut impl Markup, t: &TopicReport) {
    m.heading("Data quality");
    let (declared, listed) = (t.declared, t.listed);
    m.paragraph(
        &[text(format!("The week's live digests declare {declared} articles and list {listed}."))],
        false,
    );
    if t.problems.is_empty() {
        m.paragraph(&[text("No problems were found in this topic's digest files for the week.")], true);
        return;
    }
    let rows: Vec<Vec<Cell>> = t
        .problems
        .iter()
        .map(|p| {
            vec![
                p.location.clone().into(),
                Cell::Styled { text: p.severity.clone(), class: format!("sev-{}", p.severity) },
                p.kind.clone().into(),
                p.message.clone().into(),
            ]
        })
        .collect();
    m.table(&[("where", false), ("severity", false), ("kind", false), ("message", false)], &rows);
}

const MONTHS: [Column; 7] = [
    ("month", false),
    ("digests", true),
    ("articles", true),
    ("sides (share, articles)", false),
    ("balance index", true),
    ("one-sided stories", true),
    ("top outlets", false),
];

/// The month comparison, in any markup.
pub fn compare(m: &mut impl Markup, cmp: &Comparison) {
    m.start(&Page {
        title: cmp.title(),
        version: cmp.version.clone(),
        frontmatter: vec![
            ("title", yaml_str(&cmp.title())),
            // Filed under the last month compared; the generation time is the last change.
            ("date", format!("{}-01", cmp.months.last().map_or("1970-01", String::as_str))),
            ("lastmod", cmp.generated_at.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
            ("months", yaml_list(cmp.months.iter().cloned())),
            ("topics", yaml_list(cmp.topics.iter().map(|t| t.topic.clone()))),
            ("draft", "false".into()),
        ],
    });
    m.header("Coverage compared", &format!("{} · {}", cmp.months.join(", "), topics_line(cmp.topics.len())));
    cmp.overview.iter().for_each(|f| m.figure(f));
    for t in &cmp.topics {
        m.open_section(&format!("topic-{}", t.topic), Some("topic"), &t.name);
        let rows: Vec<Vec<Cell>> = t
            .months
            .iter()
            .map(|r| {
                let sides: Vec<String> =
                    r.sides.iter().map(|s| format!("{} {} ({})", s.name, pct(s.share), s.count)).collect();
                let outlets: Vec<String> = r
                    .outlets
                    .iter()
                    .take(3)
                    .map(|s| format!("{} {} ({})", s.name, pct(s.share), s.count))
                    .collect();
                vec![
                    r.month.clone().into(),
                    r.digests.to_string().into(),
                    r.articles.to_string().into(),
                    sides.join(", ").into(),
                    format::index(r.balance).into(),
                    format!("{} of {}", r.one_sided_stories, r.stories).into(),
                    outlets.join(", ").into(),
                ]
            })
            .collect();
        m.table(&MONTHS, &rows);
        if let Some(note) = &t.story_note {
            m.paragraph(&[text(note)], true);
        }
        for ChangeNote { span, sentences } in &t.changes {
            m.heading(span);
            m.list(sentences, "No change worth reporting.");
        }
        if !t.tone.is_empty() {
            m.heading("Tone by side and month");
            let mut headers = ToneRow::HEADERS;
            headers[0] = ("month", false);
            let rows: Vec<Vec<Cell>> =
                t.tone.iter().map(|r| r.cells().into_iter().map(Cell::Text).collect()).collect();
            m.table(&headers, &rows);
            if let Some(note) = &t.tone_note {
                m.paragraph(&[text(note)], true);
            }
        }
        if !t.grounding.is_empty() {
            m.heading("What the highlights rest on, by month");
            let mut headers: Vec<Column> = vec![("month", false)];
            headers.extend(GroundingRow::HEADERS);
            let rows: Vec<Vec<Cell>> = t
                .grounding
                .iter()
                .map(|g| std::iter::once(g.month.clone()).chain(g.row.cells()).map(Cell::Text).collect())
                .collect();
            m.table(&headers, &rows);
        }
        t.figures.iter().for_each(|f| m.figure(f));
        m.close_section();
    }
    m.footer(&[text(format!(
        "Generated {} by biaslens {}. Months without digests for a topic are left out of its rows. Drafts and superseded re-runs are left out.",
        cmp.generated_at.format("%Y-%m-%d %H:%M UTC"),
        cmp.version
    ))]);
}
