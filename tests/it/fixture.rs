//! Tiny hand-made corpora for analytics tests: a few digests written out as real Markdown,
//! parsed by the real extractor, turned into the real tables.

use biaslens::analytics::Inputs;
use biaslens::extract::{self, digest, Corpus};
use biaslens::tables;

use crate::registry;

/// One digest: topic, day, sides with their (outlet, title) articles, and bullets.
#[derive(Clone, Debug, Default)]
pub struct Day {
    pub topic: &'static str,
    pub date: &'static str,
    /// `HH:MM` of generation, UTC (default 04:00).
    pub time: &'static str,
    pub sides: Vec<(&'static str, Vec<(&'static str, &'static str)>)>,
    pub overall: Vec<&'static str>,
    pub bullets: Vec<(&'static str, Vec<&'static str>)>,
    pub draft: bool,
    /// Language tag per article (default `en-US`).
    pub lang: Option<&'static str>,
    /// Article date as M/D/YYYY (default none).
    pub article_date: Option<&'static str>,
    /// Distinguishes two files of the same topic and day.
    pub suffix: &'static str,
}

/// A day with sides given as article counts, titles `story N` from outlet `<side>-outlet`.
pub fn counts(topic: &'static str, date: &'static str, sides: &[(&'static str, usize)]) -> Day {
    Day {
        topic,
        date,
        sides: sides
            .iter()
            .map(|&(side, n)| {
                let outlet: &'static str = Box::leak(format!("{side} outlet").into_boxed_str());
                (side, (0..n).map(|_| (outlet, "story")).collect())
            })
            .collect(),
        ..Day::default()
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The digest as Markdown.
pub fn markdown(d: &Day) -> String {
    let total: usize = d.sides.iter().map(|(_, a)| a.len()).sum();
    let time = if d.time.is_empty() { "04:00" } else { d.time };
    let mut md = format!(
        "---\ntitle: \"{t} - {date}\"\ndate: {date}T{time}:00Z\ntopic: {t}\ntopicName: \"{t}\"\narticleCount: {total}\nperspectives:\n",
        t = d.topic,
        date = d.date
    );
    for (side, arts) in &d.sides {
        md += &format!("  - id: \"{side}\"\n    name: \"{}\"\n    count: {}\n", capitalise(side), arts.len());
    }
    md += &format!("draft: {}\n---\n\n## Overall Highlights\n\n", d.draft);
    for b in &d.overall {
        md += &format!("- {b}\n");
    }
    for (side, _) in &d.sides {
        let name = capitalise(side);
        md += &format!("\n## {name} Perspective ({name} Sources)\n\n");
        for (s, bullets) in &d.bullets {
            if s == side {
                for b in bullets {
                    md += &format!("- {b}\n");
                }
            }
        }
    }
    md += "\n## Sources\n\n";
    let mut n = 0;
    for (_, arts) in &d.sides {
        for (outlet, title) in arts {
            n += 1;
            let lang = d.lang.unwrap_or("en-US");
            let date = d.article_date.map(|x| format!(" ({x})")).unwrap_or_default();
            md += &format!("{n}. [{lang}] [{title}](https://example.com/{n}) - {outlet}{date}\n");
        }
    }
    md
}

/// The corpus of these days, as the extractor would read it.
pub fn corpus(days: &[Day]) -> Corpus {
    let registry = registry();
    let mut corpus = Corpus::default();
    for (i, d) in days.iter().enumerate() {
        let path = format!("{}/{}{}-{i}.md", d.topic, d.date, d.suffix);
        let out = digest::parse(&path, &markdown(d), &registry);
        assert!(
            out.problems.iter().all(|p| p.severity != biaslens::problems::Severity::Error),
            "{:?}",
            out.problems
        );
        corpus.digests.extend(out.digest);
    }
    extract::finish(&mut corpus, &registry, &Default::default());
    corpus
}

/// The analytics inputs of these days.
pub fn inputs(days: &[Day]) -> Inputs {
    let c = corpus(days);
    let t = tables::extracted(c.digests, &c.problems, &registry()).unwrap();
    let get = |name: &str| t.tables.iter().find(|(n, _)| *n == name).unwrap().1.clone().lazy();
    use polars::prelude::IntoLazy;
    Inputs {
        digests: get("digests"),
        perspectives: get("perspectives"),
        articles: get("articles"),
        highlights: get("highlights"),
        summaries: get("summaries"),
    }
}
