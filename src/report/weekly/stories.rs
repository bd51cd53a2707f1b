//! The weekly report's stories: the top stories of the week with their side split, and the
//! stories only one side covered, in sentences.

use std::collections::BTreeMap;

use super::*;

/// Stories listed in "Stories of the week".
const TOP_STORIES: usize = 8;

/// What the report says of the week's stories.
pub(super) struct WeekStories {
    /// The top stories.
    pub rows: Vec<StoryRow>,
    /// The one-sided ones, in words, and the rule.
    pub one_sided: Vec<String>,
    /// Stories of more than one article whose titles are in two languages or more, and all
    /// stories of more than one article.
    pub linked: (usize, usize),
    /// How many sentences of `one_sided` name one-sided stories (the rule and any note
    /// follow them).
    pub found: usize,
}

impl TopicBuilder<'_> {
    /// The week's top stories, and the one-sided ones in words.
    pub(super) fn stories(
        &self,
        topic: &str,
        sides: &Sides,
        digests: &[WeekDigest],
    ) -> anyhow::Result<WeekStories> {
        let week = self.opts.week;
        let articles = self.data.articles(topic)?;
        let stories = self.view.week_stories(topic, &articles, (week.monday, week.sunday()))?;
        let links: BTreeMap<&str, &WeekDigest> = digests.iter().map(|d| (d.id.as_str(), d)).collect();
        let rows = stories
            .iter()
            .filter(|s| s.articles > 1)
            .take(TOP_STORIES)
            .map(|s| StoryRow {
                title: s.title.clone(),
                split: s
                    .sides
                    .iter()
                    .map(|c| SplitPart {
                        name: sides.name(&c.key),
                        count: c.articles,
                        color: style::hex(style::side_color(&c.key)),
                    })
                    .collect(),
                days: format::story_days(s.days, s.span.0, s.total_days),
                outlets: s.outlets.iter().map(|o| self.outlet_label(o)).collect::<Vec<_>>().join(", "),
                links: s
                    .digests
                    .iter()
                    .filter_map(|id| links.get(id.as_str()))
                    .map(|d| self.digest_link(d))
                    .collect(),
            })
            .collect();
        let week_articles: u32 = stories.iter().map(|s| s.articles).sum();
        let mut one_sided: BTreeMap<&str, Vec<&view::WeekStory>> = BTreeMap::new();
        for s in stories.iter().filter(|s| s.one_sided) {
            one_sided.entry(s.top_side.as_str()).or_default().push(s);
        }
        let mut notes: Vec<String> = one_sided
            .iter()
            .map(|(side, list)| {
                let held = list.iter().map(|s| s.articles).sum();
                let big = list[0];
                format::one_sided_sentence(
                    &sides.name(side),
                    list.len(),
                    held,
                    week_articles,
                    (&big.title, big.total_articles, big.total_days),
                )
            })
            .collect();
        let found = notes.len();
        if notes.is_empty() {
            notes.push("No story of the week was covered by one side only.".to_string());
        }
        if let Some(s) = stories.first() {
            notes.push(format::one_sided_rule(s.thresholds.min_articles, s.thresholds.share, s.min_linkable));
        }
        // Stories of more than one article this week, and those whose titles are in two
        // languages or more.
        let several: Vec<&view::WeekStory> = stories.iter().filter(|s| s.articles > 1).collect();
        let linked = several.iter().filter(|s| s.languages.len() > 1).count();
        Ok(WeekStories { rows, one_sided: notes, linked: (linked, several.len()), found })
    }
}
