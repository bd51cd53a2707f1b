//! Month-over-month comparison of topics: per month, each topic's articles, digests, side
//! shares, balance index, top outlets and themes; between consecutive months, what changed,
//! in sentences with counts.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::Context;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use polars::prelude::*;

use super::model::Figure;
use super::{escape as e, escape_md as em, html, markdown};
use crate::analytics::{self, col as a, lexicon::Lexicon, table, Filter, Inputs, Options, Period};
use crate::charts::{style, Chart, Kind, Series};
use crate::frames::{floats, ints, strings, where_eq};
use crate::model::is_side_section;
use crate::names::file_stem;
use crate::outlets::Registry;
use crate::tables::col as c;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    /// Its first day.
    pub first: NaiveDate,
}

impl Month {
    /// Parses `2026-01`.
    pub fn parse(text: &str) -> Option<Self> {
        let (y, m) = text.trim().split_once('-')?;
        Some(Month { first: NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)? })
    }
    /// `2026-01`.
    pub fn label(self) -> String {
        self.first.format("%Y-%m").to_string()
    }
    /// The next month.
    pub fn next(self) -> Self {
        let (y, m) = if self.first.month() == 12 {
            (self.first.year() + 1, 1)
        } else {
            (self.first.year(), self.first.month() + 1)
        };
        Month { first: NaiveDate::from_ymd_opt(y, m, 1).expect("valid month") }
    }
    /// Its last day.
    pub fn last(self) -> NaiveDate {
        self.next().first.pred_opt().expect("valid date")
    }
    /// Every month from `self` to `to`, inclusive.
    pub fn through(self, to: Month) -> Vec<Month> {
        let mut v = vec![self];
        while *v.last().expect("non-empty") < to {
            let n = v.last().expect("non-empty").next();
            v.push(n);
        }
        v
    }
}

/// Counts of one item (an outlet, a theme) in two months, with its share of the month.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// Display name.
    pub name: String,
    /// Count and share in the earlier month (0 when absent).
    pub before: (i64, f64),
    /// Count and share in the later month (0 when absent).
    pub after: (i64, f64),
}

/// What changed for a set of items between two months.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Movers {
    /// Items present only in the later month.
    pub appeared: Vec<Pair>,
    /// Items present only in the earlier month.
    pub vanished: Vec<Pair>,
    /// Items in both, by absolute change of share, largest first.
    pub moved: Vec<Pair>,
}

/// Compares `(name, count, share)` lists of two months: appeared, vanished, and the `top`
/// biggest movers in share among items present in both (ties by name).
pub fn movers(before: &[(String, i64, f64)], after: &[(String, i64, f64)], top: usize) -> Movers {
    let find = |list: &[(String, i64, f64)], n: &str| list.iter().find(|x| x.0 == n).map(|x| (x.1, x.2));
    let mut m = Movers::default();
    for (n, count, share) in after {
        if *count > 0 && find(before, n).is_none_or(|b| b.0 == 0) {
            m.appeared.push(Pair { name: n.clone(), before: (0, 0.0), after: (*count, *share) });
        }
    }
    for (n, count, share) in before.iter().filter(|x| x.1 > 0) {
        match find(after, n) {
            Some(a) if a.0 > 0 => m.moved.push(Pair { name: n.clone(), before: (*count, *share), after: a }),
            _ => m.vanished.push(Pair { name: n.clone(), before: (*count, *share), after: (0, 0.0) }),
        }
    }
    let delta = |p: &Pair| (p.after.1 - p.before.1).abs();
    m.moved.sort_by(|x, y| delta(y).total_cmp(&delta(x)).then(x.name.cmp(&y.name)));
    m.moved.truncate(top);
    m.appeared.sort_by(|x, y| y.after.0.cmp(&x.after.0).then(x.name.cmp(&y.name)));
    m.vanished.sort_by(|x, y| y.before.0.cmp(&x.before.0).then(x.name.cmp(&y.name)));
    m
}

fn pct(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

/// "1 article", "3 articles".
fn count(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {}", unit.trim_end_matches('s'))
    } else {
        format!("{n} {unit}")
    }
}

/// "Xinhua 12% → 18% (20 → 31 articles)".
pub fn move_text(p: &Pair, unit: &str) -> String {
    format!("{} {} → {} ({} → {} {unit})", p.name, pct(p.before.1), pct(p.after.1), p.before.0, p.after.0)
}

/// One topic in one month.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthRow {
    /// `2026-01`.
    pub month: String,
    /// Live digests.
    pub digests: i64,
    /// Articles of known side.
    pub articles: i64,
    /// `(side name, articles, share)` in perspective order.
    pub sides: Vec<(String, i64, f64)>,
    /// Balance index.
    pub balance: Option<f64>,
    /// `(outlet, articles, share)`, largest first.
    pub outlets: Vec<(String, i64, f64)>,
    /// `(side name, theme name, mentions, items)` for the top themes per side.
    pub themes: Vec<(String, String, i64, i64)>,
}

/// One topic across the months.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicCompare {
    /// Slug.
    pub topic: String,
    /// Display name.
    pub name: String,
    /// Per month, in order (months without digests are absent).
    pub months: Vec<MonthRow>,
    /// Per consecutive pair of months: `("2025-12 → 2026-01", sentences)`.
    pub changes: Vec<(String, Vec<String>)>,
    /// Side articles per month and themes per month.
    pub figures: Vec<Figure>,
    /// Side display name → perspective id, for colours.
    pub side_ids: BTreeMap<String, String>,
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Month labels, in order.
    pub months: Vec<String>,
    /// Folder name, `compare-2025-11_2026-01`.
    pub slug: String,
    /// Generation time.
    pub generated_at: DateTime<Utc>,
    /// Balance index per topic over the months (several topics on one chart).
    pub overview: Vec<Figure>,
    /// Per topic.
    pub topics: Vec<TopicCompare>,
    /// biaslens version.
    pub version: String,
}

impl Comparison {
    /// "Coverage compared: 2025-11 to 2026-01".
    pub fn title(&self) -> String {
        format!("Coverage compared: {} to {}", self.months[0], self.months[self.months.len() - 1])
    }
    /// Every figure, in order.
    pub fn figures(&self) -> Vec<&Figure> {
        self.overview.iter().chain(self.topics.iter().flat_map(|t| &t.figures)).collect()
    }
}

/// Changes between two months of a topic, in sentences with counts.
pub fn change_sentences(a: &MonthRow, b: &MonthRow) -> Vec<String> {
    let mut out = Vec::new();
    if let (Some(x), Some(y)) = (a.balance, b.balance) {
        let sides: Vec<String> = b
            .sides
            .iter()
            .map(|(n, count, share)| {
                let before = a.sides.iter().find(|s| s.0 == *n).map_or((0, 0.0), |s| (s.1, s.2));
                format!("{n} {} → {} ({} → {count} articles)", pct(before.1), pct(*share), before.0)
            })
            .collect();
        let shift = if (y - x).abs() < 0.005 {
            "±0.00".to_string()
        } else {
            format!("{}{:.2}", if y > x { "+" } else { "−" }, (y - x).abs())
        };
        out.push(format!("Balance index {x:.2} → {y:.2} ({shift}); {}.", sides.join(", ")));
    }
    let o = movers(&a.outlets, &b.outlets, 3);
    if !o.appeared.is_empty() {
        let v: Vec<String> =
            o.appeared.iter().map(|p| format!("{} ({})", p.name, count(p.after.0, "articles"))).collect();
        out.push(format!("Outlets that appeared: {}.", v.join(", ")));
    }
    if !o.vanished.is_empty() {
        let v: Vec<String> = o
            .vanished
            .iter()
            .map(|p| format!("{} (had {})", p.name, count(p.before.0, "articles")))
            .collect();
        out.push(format!("Outlets that vanished: {}.", v.join(", ")));
    }
    if !o.moved.is_empty() {
        let v: Vec<String> = o.moved.iter().map(|p| move_text(p, "articles")).collect();
        out.push(format!("Biggest moves in outlet share: {}.", v.join("; ")));
    }
    // Theme shares per side: each (side, theme) as one item.
    let themes = |r: &MonthRow| -> Vec<(String, i64, f64)> {
        r.themes
            .iter()
            .map(|(side, theme, m, n)| {
                (format!("{theme} ({side})"), *m, if *n > 0 { *m as f64 / *n as f64 } else { 0.0 })
            })
            .collect()
    };
    let t = movers(&themes(a), &themes(b), 3);
    if !t.moved.is_empty() {
        let v: Vec<String> = t.moved.iter().map(|p| move_text(p, "items")).collect();
        out.push(format!("Biggest moves in theme share: {}.", v.join("; ")));
    }
    out
}

/// Builds the comparison of `months` from the extracted tables.
pub fn build(
    inputs: &Inputs,
    registry: &Registry,
    lexicon: &Lexicon,
    months: &[Month],
    topics: &[String],
    generated_at: DateTime<Utc>,
) -> anyhow::Result<Comparison> {
    anyhow::ensure!(!months.is_empty(), "no months to compare");
    let (first, last) = (months[0], months[months.len() - 1]);
    let options = Options {
        period: Period::Month,
        filter: Filter {
            topics: topics.to_vec(),
            from: Some(first.first),
            to: Some(last.last()),
            ..Filter::default()
        },
        ..Options::default()
    };
    let labels: Vec<String> = months.iter().map(|m| m.label()).collect();
    let keep = |df: &DataFrame| -> PolarsResult<DataFrame> {
        df.clone()
            .lazy()
            .filter(col(a::PERIOD).is_in(lit(polars::prelude::Series::new("m".into(), labels.clone()))))
            .collect()
    };
    let analysis =
        analytics::analyze(inputs, lexicon, &options).context("the analysis for the comparison failed")?;
    let get = |t: &str| analysis.get(t).with_context(|| format!("{t} table")).and_then(|df| Ok(keep(df)?));
    let (balance, shares, themes) =
        (get(table::PERSPECTIVE_BALANCE)?, get(table::SOURCE_SHARES)?, get(table::THEMES)?);
    let live = analytics::live_digests(inputs.digests.clone(), &options)
        .group_by([col(c::TOPIC), col(a::PERIOD)])
        .agg([len().cast(DataType::Int64).alias("digests"), col(c::TOPIC_NAME).first()])
        .sort([c::TOPIC, a::PERIOD], SortMultipleOptions::default())
        .collect()?;
    if live.height() == 0 {
        anyhow::bail!("no digests in {} to {}; nothing was written", first.label(), last.label());
    }
    let theme_name =
        |id: &str| lexicon.themes.iter().find(|t| t.id == id).map_or(id.to_string(), |t| t.name.clone());
    // Registry display names; an outlet the registry does not know keeps its name as written.
    let written = inputs
        .articles
        .clone()
        .select([col(c::OUTLET_ID), col(c::OUTLET)])
        .unique_stable(Some(vec![c::OUTLET_ID.into()]), UniqueKeepStrategy::First)
        .collect()?;
    let written: BTreeMap<String, String> =
        strings(&written, c::OUTLET_ID)?.into_iter().zip(strings(&written, c::OUTLET)?).collect();
    let outlet_name = |id: &str| {
        registry
            .by_id(id)
            .map(|o| o.name.clone())
            .or_else(|| written.get(id).cloned())
            .unwrap_or_else(|| id.to_string())
    };

    let mut topic_ids = strings(&live, c::TOPIC)?;
    topic_ids.dedup();
    let mut out_topics = Vec::new();
    for topic in &topic_ids {
        let bt = where_eq(&balance, c::TOPIC, topic)?;
        let side_ids: BTreeMap<String, String> =
            strings(&bt, c::PERSPECTIVE_NAME)?.into_iter().zip(strings(&bt, c::PERSPECTIVE_ID)?).collect();
        let l = where_eq(&live, c::TOPIC, topic)?;
        let name = strings(&l, c::TOPIC_NAME)?.into_iter().next().unwrap_or_default();
        let digests: BTreeMap<String, i64> =
            strings(&l, a::PERIOD)?.into_iter().zip(ints(&l, "digests")?).collect();
        let mut rows = Vec::new();
        for m in &labels {
            let Some(&n_digests) = digests.get(m) else { continue };
            let b = where_eq(&where_eq(&balance, c::TOPIC, topic)?, a::PERIOD, m)?;
            let sides: Vec<(String, i64, f64)> = strings(&b, c::PERSPECTIVE_NAME)?
                .into_iter()
                .zip(ints(&b, a::ARTICLES)?)
                .zip(floats(&b, a::SHARE)?)
                .map(|((n, c), s)| (n, c, s.unwrap_or(0.0)))
                .collect();
            let s = where_eq(&where_eq(&shares, c::TOPIC, topic)?, a::PERIOD, m)?;
            // Outlet counts over sides (an outlet seldom has two, but the sum is exact).
            let mut outlets: Vec<(String, i64, f64)> = Vec::new();
            for ((id, n), sh) in
                strings(&s, c::OUTLET_ID)?.into_iter().zip(ints(&s, a::ARTICLES)?).zip(floats(&s, a::SHARE)?)
            {
                let nm = outlet_name(&id);
                match outlets.iter_mut().find(|o| o.0 == nm) {
                    Some(o) => {
                        o.1 += n;
                        o.2 += sh.unwrap_or(0.0);
                    }
                    None => outlets.push((nm, n, sh.unwrap_or(0.0))),
                }
            }
            outlets.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
            let t = where_eq(&where_eq(&themes, c::TOPIC, topic)?, a::PERIOD, m)?;
            let side_names: BTreeMap<String, String> =
                strings(&b, c::PERSPECTIVE_ID)?.into_iter().zip(strings(&b, c::PERSPECTIVE_NAME)?).collect();
            let theme_rows: Vec<(String, String, i64, i64)> = strings(&t, c::SECTION)?
                .into_iter()
                .zip(strings(&t, a::THEME)?)
                .zip(ints(&t, a::MENTIONS)?)
                .zip(ints(&t, a::ITEMS)?)
                .filter(|(((sec, _), _), _)| is_side_section(sec))
                .map(|(((sec, th), m), n)| {
                    (side_names.get(&sec).cloned().unwrap_or(sec), theme_name(&th), m, n)
                })
                .collect();
            rows.push(MonthRow {
                month: m.clone(),
                digests: n_digests,
                articles: ints(&b, a::ARTICLES)?.iter().sum(),
                balance: floats(&b, a::BALANCE_INDEX)?.into_iter().next().flatten(),
                sides,
                outlets,
                themes: theme_rows,
            });
        }
        let changes = rows
            .windows(2)
            .map(|w| (format!("{} → {}", w[0].month, w[1].month), change_sentences(&w[0], &w[1])))
            .collect();
        let figures = topic_figures(topic, &rows, &labels, &side_ids);
        out_topics.push(TopicCompare {
            topic: topic.clone(),
            name,
            months: rows,
            changes,
            figures,
            side_ids,
        });
    }
    let overview = vec![Figure {
        chart: Chart {
            name: "balance-by-topic".into(),
            title: "Balance index per topic and month".into(),
            categories: labels.clone(),
            value_label: "balance index (1 = even, 0 = one side)".into(),
            category_label: "month".into(),
            percent: false,
            series: out_topics
                .iter()
                .enumerate()
                .map(|(i, t)| Series {
                    name: t.name.clone(),
                    key: t.topic.clone(),
                    color: style::series_color(i),
                    values: labels
                        .iter()
                        .map(|m| t.months.iter().find(|r| r.month == *m).and_then(|r| r.balance))
                        .collect(),
                })
                .collect(),
            kind: Kind::Lines { y_range: (0.0, 1.05) },
        },
        caption: "Normalised Shannon entropy of the sides' article shares, per topic and month.".into(),
    }];
    Ok(Comparison {
        slug: format!("compare-{}_{}", first.label(), last.label()),
        months: labels,
        generated_at,
        overview,
        topics: out_topics,
        version: env!("CARGO_PKG_VERSION").to_string(),
    })
}

fn topic_figures(
    topic: &str,
    rows: &[MonthRow],
    labels: &[String],
    side_ids: &BTreeMap<String, String>,
) -> Vec<Figure> {
    let mut sides: Vec<String> = Vec::new();
    for r in rows {
        for s in &r.sides {
            if !sides.contains(&s.0) {
                sides.push(s.0.clone());
            }
        }
    }
    let row = |m: &str| rows.iter().find(|r| r.month == m);
    let side_series = sides
        .iter()
        .map(|s| Series {
            name: s.clone(),
            key: side_ids.get(s).cloned().unwrap_or_else(|| s.clone()),
            color: style::side_color(side_ids.get(s).map_or(s.as_str(), String::as_str)),
            values: labels
                .iter()
                .map(|m| row(m).map(|r| r.sides.iter().find(|x| x.0 == *s).map_or(0.0, |x| x.1 as f64)))
                .collect(),
        })
        .collect();
    // Themes over all sides: mentions ÷ items summed over the sides.
    let mut totals: BTreeMap<String, i64> = BTreeMap::new();
    for r in rows {
        for t in &r.themes {
            *totals.entry(t.1.clone()).or_default() += t.2;
        }
    }
    let mut top: Vec<(String, i64)> = totals.into_iter().filter(|t| t.1 > 0).collect();
    top.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    top.truncate(10);
    let theme_series = top
        .iter()
        .map(|(theme, _)| Series {
            name: theme.clone(),
            key: theme.clone(),
            color: style::INK,
            values: labels
                .iter()
                .map(|m| {
                    let r = row(m)?;
                    let (mm, nn) = r
                        .themes
                        .iter()
                        .filter(|t| t.1 == *theme)
                        .fold((0, 0), |acc, t| (acc.0 + t.2, acc.1 + t.3));
                    (nn > 0).then(|| mm as f64 / nn as f64)
                })
                .collect(),
        })
        .collect();
    vec![
        Figure {
            chart: Chart {
                name: format!("sides-by-month-{}", file_stem(topic)),
                title: "Articles per side and month".into(),
                categories: labels.to_vec(),
                value_label: "articles".into(),
                category_label: "month".into(),
                percent: false,
                series: side_series,
                kind: Kind::StackedBars,
            },
            caption: "Articles of known side in each month's live digests, stacked by side.".into(),
        },
        Figure {
            chart: Chart {
                name: format!("themes-by-month-{}", file_stem(topic)),
                title: "Themes per month (all sides)".into(),
                categories: labels.to_vec(),
                value_label: "share of items".into(),
                category_label: "month".into(),
                percent: true,
                series: theme_series,
                kind: Kind::Heatmap,
            },
            caption: "Share of the sides' items (highlights and titles) naming each theme.".into(),
        },
    ]
}

fn sides_text(r: &MonthRow) -> String {
    r.sides.iter().map(|(n, c, s)| format!("{n} {} ({c})", pct(*s))).collect::<Vec<_>>().join(", ")
}

fn outlets_text(r: &MonthRow) -> String {
    r.outlets.iter().take(3).map(|(n, c, s)| format!("{n} {} ({c})", pct(*s))).collect::<Vec<_>>().join(", ")
}

/// The comparison as a self-contained HTML page.
pub fn render_html(cmp: &Comparison, svgs: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = html::page_start(&cmp.title(), &cmp.version);
    let _ = writeln!(
        out,
        "<header><h1>Coverage compared</h1><p class=\"sub\">{} · {} topic{}</p></header>",
        e(&cmp.months.join(", ")),
        cmp.topics.len(),
        if cmp.topics.len() == 1 { "" } else { "s" }
    );
    for f in &cmp.overview {
        html::figure(&mut out, f, svgs);
    }
    for t in &cmp.topics {
        let _ =
            writeln!(out, "<section class=\"topic\" id=\"topic-{}\"><h2>{}</h2>", e(&t.topic), e(&t.name));
        out.push_str("<table><thead><tr><th>month</th><th class=\"n\">digests</th><th class=\"n\">articles</th><th>sides (share, articles)</th><th class=\"n\">balance index</th><th>top outlets</th></tr></thead><tbody>");
        for r in &t.months {
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                e(&r.month),
                r.digests,
                r.articles,
                e(&sides_text(r)),
                r.balance.map_or("–".into(), |b| format!("{b:.2}")),
                e(&outlets_text(r))
            );
        }
        out.push_str("</tbody></table>\n");
        for (span, sentences) in &t.changes {
            let _ = writeln!(out, "<h3>{}</h3>", e(span));
            html::list(&mut out, sentences, "No change worth reporting.");
        }
        for f in &t.figures {
            html::figure(&mut out, f, svgs);
        }
        out.push_str("</section>\n");
    }
    let _ = write!(
        out,
        "<footer><p>Generated {} by biaslens {}. Months without digests for a topic are left out of its rows. Drafts and superseded re-runs are left out.</p></footer>\n</body></html>\n",
        cmp.generated_at.format("%Y-%m-%d %H:%M UTC"),
        e(&cmp.version)
    );
    out
}

/// The comparison as Markdown with Hugo frontmatter.
pub fn render_markdown(cmp: &Comparison) -> String {
    let mut out = String::new();
    let topics: Vec<String> = cmp.topics.iter().map(|t| markdown::yaml_str(&t.topic)).collect();
    let _ = write!(
        out,
        "---\ntitle: {}\ndate: {}-01\nlastmod: {}\nmonths: [{}]\ntopics: [{}]\ndraft: false\n---\n\n# {}\n\n",
        markdown::yaml_str(&cmp.title()),
        // Filed under the last month compared; the generation time is the last change.
        cmp.months.last().map_or("1970-01", String::as_str),
        cmp.generated_at.format("%Y-%m-%dT%H:%M:%SZ"),
        cmp.months.iter().map(|m| markdown::yaml_str(m)).collect::<Vec<_>>().join(", "),
        topics.join(", "),
        em(&cmp.title())
    );
    cmp.overview.iter().for_each(|f| markdown::figure(&mut out, f));
    for t in &cmp.topics {
        let _ = writeln!(
            out,
            "## {}\n\n| month | digests | articles | sides (share, articles) | balance index | top outlets |\n|---|---:|---:|---|---:|---|",
            em(&t.name)
        );
        for r in &t.months {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                r.month,
                r.digests,
                r.articles,
                em(&sides_text(r)),
                r.balance.map_or("–".into(), |b| format!("{b:.2}")),
                em(&outlets_text(r))
            );
        }
        out.push('\n');
        for (span, sentences) in &t.changes {
            let _ = writeln!(out, "### {span}\n");
            markdown::bullets(&mut out, sentences, "No change worth reporting.");
        }
        t.figures.iter().for_each(|f| markdown::figure(&mut out, f));
    }
    let _ = writeln!(
        out,
        "---\n\nGenerated {} by biaslens {}.",
        cmp.generated_at.format("%Y-%m-%d %H:%M UTC"),
        cmp.version
    );
    out
}

/// The per-topic, per-month numbers as CSV (`tables/months.csv`).
pub fn months_csv(cmp: &Comparison) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "topic",
        "month",
        "digests",
        "articles",
        "balance_index",
        "side",
        "side_articles",
        "side_share",
    ])?;
    for t in &cmp.topics {
        for r in &t.months {
            for (side, n, share) in &r.sides {
                w.write_record([
                    t.topic.as_str(),
                    &r.month,
                    &r.digests.to_string(),
                    &r.articles.to_string(),
                    &r.balance.map(|b| b.to_string()).unwrap_or_default(),
                    side,
                    &n.to_string(),
                    &share.to_string(),
                ])?;
            }
        }
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_ranges() {
        let a = Month::parse("2025-11").unwrap();
        assert_eq!(a.last(), NaiveDate::from_ymd_opt(2025, 11, 30).unwrap());
        let r: Vec<String> = a.through(Month::parse("2026-02").unwrap()).iter().map(|m| m.label()).collect();
        assert_eq!(r, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert_eq!(Month::parse("2026-13"), None);
    }
}
