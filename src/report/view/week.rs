//! The digests, articles, highlights and problems of one report week.

use super::*;

/// Each outlet id's spelling as the feeds write it, first seen among the articles of
/// `digests` (of every digest when `None`).
pub fn spellings(inputs: &Inputs, digests: Option<LazyFrame>) -> anyhow::Result<BTreeMap<String, String>> {
    let articles = match digests {
        Some(d) => inputs.articles.clone().join(
            d.select([col(c::DIGEST_ID)]),
            [col(c::DIGEST_ID)],
            [col(c::DIGEST_ID)],
            JoinArgs::new(JoinType::Semi),
        ),
        None => inputs.articles.clone(),
    };
    let written = articles
        .select([col(c::OUTLET_ID), col(c::OUTLET)])
        .unique_stable(Some(by_name([c::OUTLET_ID], true, false)), UniqueKeepStrategy::First)
        .collect()?;
    Ok(strings(&written, c::OUTLET_ID)?.into_iter().zip(strings(&written, c::OUTLET)?).collect())
}

/// A digest of the report week.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekDigest {
    /// Its id.
    pub id: String,
    /// Its file, relative to the input folder.
    pub path: String,
    /// Its day.
    pub date: Option<NaiveDate>,
    /// The topic's display name.
    pub topic_name: String,
    /// Articles it declares.
    pub declared: i64,
    /// Articles it lists.
    pub listed: i64,
    /// Whether it compares sides (every layout but the generator's first).
    pub compares_sides: bool,
}

/// A topic's articles of one day and side.
#[derive(Debug, Clone, PartialEq)]
pub struct DayCount {
    /// The digest date.
    pub day: Option<NaiveDate>,
    /// Perspective id (`""`: side unknown).
    pub side: String,
    /// Articles.
    pub articles: i64,
}

/// A highlight bullet of a digest.
#[derive(Debug, Clone, PartialEq)]
pub struct Highlight {
    /// `overall`, `differences` or a perspective id.
    pub section: String,
    /// The bullet.
    pub text: String,
}

/// A topic's live digests in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodDigests {
    /// Topic slug.
    pub topic: String,
    /// Topic display name.
    pub topic_name: String,
    /// Period label.
    pub period: String,
    /// Live digests.
    pub digests: i64,
}

/// A problem row of a digest file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileProblem {
    /// The file.
    pub path: String,
    /// Its line, 0 for the whole file.
    pub line: i64,
    /// error / warning / notice.
    pub severity: String,
    /// Kind code.
    pub kind: String,
    /// Message.
    pub message: String,
}

/// The digests of one report week, read once for all topics (a scan of the tables per topic
/// cost more than the rest of a topic's page: BENCHMARKS.md, "Figures behind the code").
pub struct WeekView {
    /// Live digests of the week, sorted by topic, date, time.
    live: DataFrame,
    /// Every digest file of the week (drafts and re-runs too), for data quality.
    all: DataFrame,
    /// The problems table.
    problems: DataFrame,
    /// Articles of the week's live digests per topic, day and side.
    per_day: DataFrame,
    /// The week's live digests' articles: keys, date, side, outlet and language.
    articles: DataFrame,
    /// Highlights of the week's live digests, in file order.
    highlights: DataFrame,
    /// Live digests of this week and the one before, for the headline counts.
    two_weeks: DataFrame,
    /// Files with error rows that gave no digest at all.
    pub unreadable: usize,
}

/// Digests dated from `from` to `to`.
pub(super) fn dated(from: NaiveDate, to: NaiveDate) -> Expr {
    col(c::DIGEST_DATE).gt_eq(lit(from)).and(col(c::DIGEST_DATE).lt_eq(lit(to)))
}

impl WeekView {
    /// Reads the week `from`–`to` (and the week before, for changes): `live` is the week's
    /// live digests (already filtered), `before` those of both weeks.
    pub fn load(
        inputs: &Inputs,
        problems: LazyFrame,
        live: LazyFrame,
        before: LazyFrame,
        days: (NaiveDate, NaiveDate),
    ) -> anyhow::Result<Self> {
        let live = live
            .sort([c::TOPIC, c::DIGEST_DATE, c::PUBLISHED_AT], SortMultipleOptions::default())
            .collect()?;
        let all = inputs.digests.clone().filter(dated(days.0, days.1)).collect()?;
        let problems = problems.collect()?;
        let known: std::collections::HashSet<String> =
            strings(&inputs.digests.clone().select([col(c::SOURCE_PATH)]).collect()?, c::SOURCE_PATH)?
                .into_iter()
                .collect();
        let unreadable = strings(&problems, c::SOURCE_PATH)?
            .into_iter()
            .zip(strings(&problems, c::SEVERITY)?)
            .filter(|(p, s)| s == "error" && !known.contains(p))
            .map(|(p, _)| p)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let ids = lit(Series::new("ids".into(), strings(&live, c::DIGEST_ID)?));
        let articles = inputs
            .articles
            .clone()
            .filter(one_of(col(c::DIGEST_ID), ids.clone()))
            .select(
                [
                    c::TOPIC,
                    c::DIGEST_ID,
                    c::DIGEST_DATE,
                    c::POSITION,
                    c::PERSPECTIVE_ID,
                    c::OUTLET_ID,
                    c::LANGUAGE,
                    c::TITLE,
                ]
                .map(col),
            )
            .collect()?;
        let per_day = articles
            .clone()
            .lazy()
            .group_by([col(c::TOPIC), col(c::DIGEST_DATE), col(c::PERSPECTIVE_ID)])
            .agg([len().cast(DataType::Int64).alias(a::ARTICLES)])
            .collect()?;
        let highlights = inputs
            .highlights
            .clone()
            .filter(one_of(col(c::DIGEST_ID), ids))
            .sort([c::DIGEST_ID, c::SOURCE_LINE], SortMultipleOptions::default())
            .collect()?;
        let two_weeks = before.select([col(c::TOPIC), col(c::DIGEST_DATE)]).collect()?;
        Ok(WeekView { live, all, problems, per_day, articles, highlights, two_weeks, unreadable })
    }

    /// Whether the week has no live digest.
    pub fn is_empty(&self) -> bool {
        self.live.height() == 0
    }

    /// Topics with live digests this week, in order.
    pub fn topics(&self) -> anyhow::Result<Vec<String>> {
        let mut topics = strings(&self.live, c::TOPIC)?;
        topics.dedup();
        Ok(topics)
    }

    /// The topic's live digests of the week, in date order.
    pub fn digests(&self, topic: &str) -> anyhow::Result<Vec<WeekDigest>> {
        let d = slice(&self.live, topic, None)?;
        let (ids, paths, days) =
            (strings(&d, c::DIGEST_ID)?, strings(&d, c::SOURCE_PATH)?, dates(&d, c::DIGEST_DATE)?);
        let (names, layouts) = (strings(&d, c::TOPIC_NAME)?, strings(&d, c::LAYOUT)?);
        let (declared, listed) = (ints(&d, c::ARTICLE_COUNT_DECLARED)?, ints(&d, c::ARTICLE_COUNT_LISTED)?);
        Ok((0..d.height())
            .map(|i| WeekDigest {
                id: ids[i].clone(),
                path: paths[i].clone(),
                date: days[i],
                topic_name: names[i].clone(),
                declared: declared[i],
                listed: listed[i],
                compares_sides: layouts[i] != Layout::First.as_str(),
            })
            .collect())
    }

    /// Live digests of the topic dated `from`–`to`, this week or the one before.
    pub fn digest_count(&self, topic: &str, from: NaiveDate, to: NaiveDate) -> anyhow::Result<usize> {
        let keep = col(c::TOPIC).eq(lit(topic)).and(dated(from, to));
        Ok(self.two_weeks.clone().lazy().filter(keep).collect()?.height())
    }

    /// The topic's articles of the week's live digests (for [`View::week_stories`]).
    pub fn articles(&self, topic: &str) -> anyhow::Result<DataFrame> {
        Ok(slice(&self.articles, topic, None)?)
    }

    /// The topic's articles per day and side.
    pub fn daily(&self, topic: &str) -> anyhow::Result<Vec<DayCount>> {
        let d = slice(&self.per_day, topic, None)?;
        let (days, sides, n) =
            (dates(&d, c::DIGEST_DATE)?, strings(&d, c::PERSPECTIVE_ID)?, ints(&d, a::ARTICLES)?);
        Ok(days
            .into_iter()
            .zip(sides)
            .zip(n)
            .map(|((day, side), articles)| DayCount { day, side, articles })
            .collect())
    }

    /// A digest's titles by their position in its Sources list: the title and its side
    /// (`""`: unknown).
    pub fn titles(&self, digest: &str) -> anyhow::Result<std::collections::BTreeMap<i64, (String, String)>> {
        let t = self.articles.clone().lazy().filter(col(c::DIGEST_ID).eq(lit(digest))).collect()?;
        let (positions, titles, sides) =
            (ints(&t, c::POSITION)?, strings(&t, c::TITLE)?, strings(&t, c::PERSPECTIVE_ID)?);
        Ok(positions.into_iter().zip(titles.into_iter().zip(sides)).collect())
    }

    /// A digest's highlights in file order.
    pub fn highlights(&self, digest: &str) -> anyhow::Result<Vec<Highlight>> {
        let h = self.highlights.clone().lazy().filter(col(c::DIGEST_ID).eq(lit(digest))).collect()?;
        Ok(strings(&h, c::SECTION)?
            .into_iter()
            .zip(strings(&h, c::TEXT)?)
            .map(|(section, text)| Highlight { section, text })
            .collect())
    }

    /// Problems of the topic's digest files of the week (every version of a day).
    pub fn problems(&self, topic: &str) -> anyhow::Result<Vec<FileProblem>> {
        let paths = Series::new("paths".into(), strings(&slice(&self.all, topic, None)?, c::SOURCE_PATH)?);
        let p = self.problems.clone().lazy().filter(one_of(col(c::SOURCE_PATH), lit(paths))).collect()?;
        Ok(strings(&p, c::SOURCE_PATH)?
            .into_iter()
            .zip(ints(&p, c::LINE)?)
            .zip(strings(&p, c::SEVERITY)?.into_iter().zip(strings(&p, c::KIND)?))
            .zip(strings(&p, c::MESSAGE)?)
            .map(|(((path, line), (severity, kind)), message)| FileProblem {
                path,
                line,
                severity,
                kind,
                message,
            })
            .collect())
    }
}

/// Live digests per topic and period of `options` (drafts and re-runs left out), by topic
/// and period.
pub fn digests_per_period(inputs: &Inputs, options: &Options) -> anyhow::Result<Vec<PeriodDigests>> {
    let live = crate::analytics::live_digests(inputs.digests.clone(), options)
        .group_by([col(c::TOPIC), col(a::PERIOD)])
        .agg([len().cast(DataType::Int64).alias("digests"), col(c::TOPIC_NAME).first()])
        .sort([c::TOPIC, a::PERIOD], SortMultipleOptions::default())
        .collect()?;
    Ok(strings(&live, c::TOPIC)?
        .into_iter()
        .zip(strings(&live, c::TOPIC_NAME)?)
        .zip(strings(&live, a::PERIOD)?.into_iter().zip(ints(&live, "digests")?))
        .map(|((topic, topic_name), (period, digests))| PeriodDigests { topic, topic_name, period, digests })
        .collect())
}
