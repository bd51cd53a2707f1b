//! The weekly report's figures: articles per day, the balance line, outlets and themes.
//! Each is a chart from the [`super::View`]'s typed rows, with its caption.

use super::*;

impl TopicBuilder<'_> {
    pub(super) fn daily_figure(&self, topic: &str, sides: &Sides) -> anyhow::Result<Figure> {
        let week = self.opts.week;
        let daily = self.data.daily(topic)?;
        let mut keys = sides.0.clone();
        if daily.iter().any(|d| d.side.is_empty()) {
            keys.push(Side { id: String::new(), name: super::UNKNOWN_SIDE.to_string() });
        }
        let days: Vec<_> = (0..7).map(|d| week.monday + chrono::Duration::days(d)).collect();
        let series = keys
            .iter()
            .map(|Side { id, name }| Series {
                name: name.clone(),
                key: if id.is_empty() { "unknown".into() } else { id.clone() },
                color: style::side_color(id),
                values: days
                    .iter()
                    .map(|day| {
                        Some(
                            daily
                                .iter()
                                .filter(|d| d.day == Some(*day) && d.side == *id)
                                .map(|d| d.articles as f64)
                                .sum(),
                        )
                    })
                    .collect(),
            })
            .collect();
        Ok(Figure {
            chart: Chart {
                name: format!("articles-per-day-{}", file_stem(topic)),
                title: "Articles per day and side".into(),
                categories: days.iter().map(|d| d.format("%a %-d").to_string()).collect(),
                value_label: "articles".into(),
                category_label: format!("day ({})", week.label()),
                percent: false,
                series,
                kind: Kind::StackedBars,
            },
            caption: "Articles of each day's live digest, stacked by the side they belong to.".into(),
        })
    }

    pub(super) fn balance_line(&self, topic: &str) -> anyhow::Result<Figure> {
        let weeks: Vec<String> = (0..HISTORY_WEEKS).rev().map(|i| self.opts.week.minus(i).label()).collect();
        let values = self.view.balance_history(topic, &weeks)?;
        Ok(Figure {
            chart: Chart {
                name: format!("balance-index-{}", file_stem(topic)),
                title: format!("Balance index, last {HISTORY_WEEKS} weeks"),
                categories: weeks.iter().map(|w| w[5..].to_string()).collect(),
                value_label: "balance index (1 = even, 0 = one side)".into(),
                category_label: "ISO week".into(),
                percent: false,
                series: vec![Series { name: "balance index".into(), key: topic.into(), color: style::INK, values }],
                kind: Kind::Lines { y_range: (0.0, 1.05) },
            },
            caption: "Normalised Shannon entropy of the sides' article shares per week; gaps are weeks without digests.".into(),
        })
    }

    /// An outlet's label: the registry's display name, with the spelling the feeds use when
    /// it is in another script (Xinhua News Agency (新华网)), so readers recognise both.
    pub(super) fn outlet_label(&self, id: &str) -> String {
        match (self.src.registry.by_id(id), self.written.get(id)) {
            (Some(o), Some(w)) if !w.is_ascii() && *w != o.name => format!("{} ({w})", o.name),
            (Some(o), _) => o.name.clone(),
            (None, Some(w)) => w.clone(),
            (None, None) => id.to_string(),
        }
    }

    pub(super) fn outlet_figure(&self, topic: &str, sides: &Sides) -> anyhow::Result<Figure> {
        let outlets = self.view.outlets(topic, &self.opts.week.label())?;
        let shown = &outlets[..outlets.len().min(TOP_OUTLETS)];
        let bars = shown
            .iter()
            .map(|o| Bar {
                label: self.outlet_label(&o.id),
                value: o.share,
                color: style::side_color(&o.side),
                note: self
                    .src
                    .registry
                    .by_id(&o.id)
                    .map_or("not in registry", |r| r.ownership.as_str())
                    .to_string(),
                extra: vec![
                    ("outlet_id".into(), o.id.clone()),
                    ("perspective_id".into(), o.side.clone()),
                    ("articles".into(), o.articles.to_string()),
                ],
            })
            .collect();
        let series = shown
            .iter()
            .map(|o| Series {
                name: sides.name(&o.side),
                key: o.side.clone(),
                color: style::side_color(&o.side),
                values: vec![],
            })
            .collect();
        let rest = outlets.len() - shown.len();
        Ok(Figure {
            chart: Chart {
                name: format!("outlets-{}", file_stem(topic)),
                title: "Outlets by share of the week's articles".into(),
                categories: vec![],
                value_label: "share of articles".into(),
                category_label: String::new(),
                percent: true,
                series,
                kind: Kind::HBars(bars),
            },
            caption: if rest > 0 {
                format!("Top {TOP_OUTLETS} outlets, coloured by side, with ownership; {rest} more outlets are in the table.")
            } else {
                "Every outlet of the week, coloured by side, with ownership (state, public, private).".into()
            },
        })
    }

    pub(super) fn theme_figure(&self, topic: &str, sides: &Sides) -> anyhow::Result<Figure> {
        let rows = self.view.themes(topic, &self.opts.week.label())?;
        let top = top_themes(
            rows.iter().filter(|r| is_side_section(&r.section)).map(|r| (r.theme.clone(), r.mentions)),
            TOP_THEMES,
        );
        let series = sides
            .0
            .iter()
            .map(|Side { id, name }| Series {
                name: name.clone(),
                key: id.clone(),
                color: style::side_color(id),
                values: top
                    .iter()
                    .map(|t| rows.iter().find(|r| r.section == *id && r.theme == *t).and_then(|r| r.share))
                    .collect(),
            })
            .collect();
        Ok(Figure {
            chart: Chart {
                name: format!("themes-{}", file_stem(topic)),
                title: "Themes by side this week".into(),
                categories: top.iter().map(|t| self.src.lexicon.theme_name(t)).collect(),
                value_label: "share of the side's items naming the theme".into(),
                category_label: String::new(),
                percent: true,
                series,
                kind: Kind::GroupedHBars,
            },
            caption: "Share of each side's highlights and article titles that name the theme (lexicon data/themes.yaml).".into(),
        })
    }

    pub(super) fn theme_heatmap(&self, topic: &str) -> anyhow::Result<Figure> {
        let weeks: Vec<String> = (0..HISTORY_WEEKS).rev().map(|i| self.opts.week.minus(i).label()).collect();
        let per = self.view.theme_totals(topic, &weeks)?;
        let top = top_themes(per.iter().map(|r| (r.theme.clone(), r.mentions)), TOP_THEMES);
        let series = top
            .iter()
            .map(|theme| Series {
                name: self.src.lexicon.theme_name(theme),
                key: theme.clone(),
                color: style::INK,
                values: weeks
                    .iter()
                    .map(|w| per.iter().find(|r| r.section == *w && r.theme == *theme).and_then(|r| r.share))
                    .collect(),
            })
            .collect();
        Ok(Figure {
            chart: Chart {
                name: format!("theme-weeks-{}", file_stem(topic)),
                title: format!("Themes over the last {HISTORY_WEEKS} weeks (all sides)"),
                categories: weeks.iter().map(|l| l[5..].to_string()).collect(),
                value_label: "share of items".into(),
                category_label: "ISO week".into(),
                percent: true,
                series,
                kind: Kind::Heatmap,
            },
            caption: "Share of all the topic's items (highlights and titles) naming each theme per week; grey cells are weeks without digests.".into(),
        })
    }
}
