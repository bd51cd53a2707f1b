//! The stories of a topic and week.

use super::*;

impl View<'_> {
    /// Stories with an article in a topic-period, and how many are one-sided (0, 0 without).
    pub fn story_counts(&self, topic: &str, period: &str) -> anyhow::Result<(i64, i64)> {
        let df = self.rows(table::STORY_PERIODS, topic, Some(period))?;
        let (n, one) = (ints(&df, a::STORIES)?, ints(&df, a::ONE_SIDED_STORIES)?);
        Ok((n.first().copied().unwrap_or(0), one.first().copied().unwrap_or(0)))
    }

    /// The stories of `articles` (a topic's articles of the week, from
    /// [`WeekView::articles`]) from `from` to `to`, most articles in the range first (then
    /// earliest, then id).
    pub fn week_stories(
        &self,
        topic: &str,
        articles: &DataFrame,
        (from, to): (NaiveDate, NaiveDate),
    ) -> anyhow::Result<Vec<WeekStory>> {
        // story_articles holds each article's keys and story; its date, side and outlet
        // come from the articles themselves.
        let keys = [col(c::DIGEST_ID), col(c::POSITION).cast(DataType::Int64)];
        let arts = self
            .rows(table::STORY_ARTICLES, topic, None)?
            .lazy()
            .select([col(c::DIGEST_ID), col(c::POSITION), col(a::STORY_ID)])
            .join(
                articles.clone().lazy().filter(dated(from, to)),
                keys.clone(),
                keys,
                JoinArgs::new(JoinType::Inner),
            )
            .sort([c::DIGEST_DATE, c::DIGEST_ID, c::POSITION], SortMultipleOptions::default())
            .collect()?;
        let ids = strings(&arts, a::STORY_ID)?;
        let week = WeekArticles::of(&arts)?;
        let mut by_story: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, id) in ids.iter().enumerate() {
            by_story.entry(id.as_str()).or_default().push(i);
        }
        let stories = self.rows(table::STORIES, topic, None)?;
        // The week's stories first: a topic has years of stories.
        let of_week = stories.column(a::STORY_ID)?.str()?.iter();
        let stories =
            stories.filter(&of_week.map(|id| id.is_some_and(|id| by_story.contains_key(id))).collect())?;
        let s_ids = strings(&stories, a::STORY_ID)?;
        let index: BTreeMap<&str, usize> = s_ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
        let (titles, firsts, lasts, s_days, s_articles, flags, tops, mins, shares) = (
            strings(&stories, a::REPRESENTATIVE_TITLE)?,
            dates(&stories, a::FIRST_DATE)?,
            dates(&stories, a::LAST_DATE)?,
            ints(&stories, a::DAYS)?,
            ints(&stories, a::ARTICLES)?,
            bools(&stories, a::ONE_SIDED)?,
            strings(&stories, a::TOP_PERSPECTIVE_ID)?,
            ints(&stories, a::MIN_ARTICLES)?,
            floats(&stories, a::ONE_SIDED_SHARE)?,
        );
        let linkable = floats(&stories, a::ONE_SIDED_MIN_LINKABLE)?;
        let mut out = Vec::new();
        for (id, rows) in by_story {
            let k = *index.get(id).with_context(|| format!("story {id} is not in the stories table"))?;
            let t = week.tally(&rows);
            out.push(WeekStory {
                id: id.to_string(),
                title: titles[k].clone(),
                sides: t.sides,
                articles: rows.len() as u32,
                days: t.days,
                span: (firsts[k].unwrap_or(from), lasts[k].unwrap_or(to)),
                total_days: s_days[k],
                total_articles: s_articles[k],
                outlets: t.outlets,
                digests: t.digests,
                one_sided: flags[k],
                top_side: tops[k].clone(),
                thresholds: OneSidedRule { min_articles: mins[k], share: shares[k].unwrap_or(0.0) },
                min_linkable: linkable[k].unwrap_or(0.0),
                languages: t.languages,
            });
        }
        out.sort_by(|x, y| y.articles.cmp(&x.articles).then(x.span.0.cmp(&y.span.0)).then(x.id.cmp(&y.id)));
        Ok(out)
    }
}

/// The week's articles of a topic with their story, as columns read once.
struct WeekArticles {
    sides: Vec<String>,
    outlets: Vec<String>,
    digests: Vec<String>,
    days: Vec<Option<NaiveDate>>,
    languages: Vec<String>,
}

/// What one story's articles of the week add up to.
struct Tally {
    /// Articles per side id (`""`: side unknown), in id order.
    sides: Vec<Count>,
    /// Articles per title language (primary subtag), in order.
    languages: Vec<Count>,
    /// Outlet ids and digest ids, in order of first appearance.
    outlets: Vec<String>,
    digests: Vec<String>,
    /// Distinct digest days.
    days: u32,
}

impl WeekArticles {
    fn of(arts: &DataFrame) -> anyhow::Result<WeekArticles> {
        Ok(WeekArticles {
            sides: strings(arts, c::PERSPECTIVE_ID)?,
            outlets: strings(arts, c::OUTLET_ID)?,
            digests: strings(arts, c::DIGEST_ID)?,
            days: dates(arts, c::DIGEST_DATE)?,
            languages: strings(arts, c::LANGUAGE)?,
        })
    }

    /// The tally of the articles at `rows`.
    fn tally(&self, rows: &[usize]) -> Tally {
        let mut per_side: BTreeMap<String, u32> = BTreeMap::new();
        let mut per_language: BTreeMap<String, u32> = BTreeMap::new();
        let (mut outlets, mut digests, mut days) =
            (Vec::new(), Vec::new(), std::collections::BTreeSet::new());
        for &i in rows {
            *per_side.entry(self.sides[i].clone()).or_default() += 1;
            let language = crate::lang::primary_subtag(&self.languages[i]);
            *per_language.entry(language.to_string()).or_default() += 1;
            if !outlets.contains(&self.outlets[i]) {
                outlets.push(self.outlets[i].clone());
            }
            if !digests.contains(&self.digests[i]) {
                digests.push(self.digests[i].clone());
            }
            days.insert(self.days[i]);
        }
        Tally {
            sides: per_side.into_iter().map(|(key, articles)| Count { key, articles }).collect(),
            languages: per_language.into_iter().map(|(key, articles)| Count { key, articles }).collect(),
            outlets,
            digests,
            days: days.len() as u32,
        }
    }
}
