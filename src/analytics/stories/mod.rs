//! Stories: articles of one topic that tell the same event, as tables. The clustering itself
//! is in [`cluster`]; this module sorts the articles, clusters each topic in parallel and
//! writes `stories`, `story_articles`, `story_sides` and `story_periods`.

mod blocking;
pub mod bridge;
pub mod cluster;
mod clusterer;
mod columns;
pub mod eval;
mod facts;
mod item;
mod join;
mod link;
mod merge;
pub mod months;
mod normalise;
mod numbers;
pub mod resume;
mod rows;
mod shingles;

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::NaiveDate;
use polars::prelude::*;
use rayon::prelude::*;

pub use cluster::Settings;

pub use super::base::CROSS_LANGUAGE_PAIR_RECALL;

use super::base::col;
use crate::tables::col as c;
use rows::{article_columns, in_story_order, Rows, Story};

/// The story tables of one analysis.
pub struct Tables {
    /// One row per story.
    pub stories: DataFrame,
    /// One row per article: its story and its similarity to the story's representative.
    pub story_articles: DataFrame,
    /// One row per story and side that covers it: the side's lifetime and pickup lag.
    pub story_sides: DataFrame,
    /// Per topic and period: stories, one-sided stories and the coverage they hold.
    pub story_periods: DataFrame,
}

/// A previous run's story tables, which an incremental run resumes the clustering of its
/// restarted topics from ([`resume`]): `restart` names each such topic's first changed day.
pub struct Earlier<'a> {
    pub restart: &'a BTreeMap<String, NaiveDate>,
    pub stories: &'a DataFrame,
    pub story_articles: &'a DataFrame,
}

/// Clusters every topic and builds the story tables; a topic `earlier` restarts is clustered
/// again from a quiet day before its restart ([`resume`]), which gives the same tables.
pub fn stories(
    articles: LazyFrame,
    settings: &Settings,
    earlier: Option<&Earlier<'_>>,
) -> PolarsResult<Tables> {
    let mut laps = crate::timing::Laps::new("stories");
    let mut df = in_story_order(article_columns(articles)?)?;
    df.rechunk_mut_par();
    let rows = Rows::of(&df)?;
    laps.lap("read and sort");
    let previous = match earlier {
        Some(e) => Some(Previous::of(e)?),
        None => None,
    };
    let clustered = cluster_topics(&rows, settings, previous.as_ref());
    let resumed = clustered.iter().filter(|(_, _, resumed)| *resumed).count();
    let clustered: Vec<_> = clustered.into_iter().map(|(r, c, _)| (r, c)).collect();
    laps.lap(&format!("cluster ({resumed} of {} topics resumed from a quiet day)", clustered.len()));
    let numbered = Numbered::of(&rows, &clustered);
    // The story ids once, as a column; every other table takes its ids from it by index.
    let ids =
        StringChunked::from_iter_values(col::STORY_ID.into(), numbered.stories.iter().map(|s| s.id.as_str()));
    let story_index = IdxCa::from_vec("story".into(), numbered.story_of);
    let story_articles =
        story_articles(&df, &ids, &story_index, numbered.similarity, &clustered, &numbered.title_ids)?;
    drop(clustered);
    laps.lap("story_articles");
    let n = rows.n;
    let outlet = cluster::intern((0..n).map(|i| rows.outlet_id.get(i)));
    let no_outlet = (0..n).find(|&i| rows.outlet_id.get(i).is_empty()).map(|i| outlet[i]);
    let titles = facts::TitleIds { title: numbered.title_ids, outlet, no_outlet };
    let languages = facts::SideLanguages::of(&rows);
    let (stories_df, sides_df) =
        columns::story_rows(&rows, &numbered.stories, &ids, &titles, &languages, settings)?;
    laps.lap("stories, story_sides");
    let story_periods = columns::periods_table(&rows, &story_index, &stories_df)?;
    laps.lap("story_periods");
    Ok(Tables { stories: stories_df, story_articles, story_sides: sides_df, story_periods })
}

/// Each topic's rows clustered, in parallel: the topic's range of rows, its clusters, and
/// whether it was resumed: a topic with a quiet day to resume from in `previous` keeps its
/// stories before it.
fn cluster_topics(
    rows: &Rows<'_>,
    settings: &Settings,
    previous: Option<&Previous<'_>>,
) -> Vec<(Range<usize>, cluster::Clusters, bool)> {
    rows.topics()
        .into_par_iter()
        .map(|r| {
            let items: Vec<cluster::Item<'_>> = r
                .clone()
                .map(|i| cluster::Item {
                    date: rows.date[i],
                    title: rows.title.get(i),
                    outlet: rows.outlet.get(i),
                    outlet_id: rows.outlet_id.get(i),
                    language: rows.language.opt(i),
                })
                .collect();
            let before = previous.and_then(|p| p.before(rows, r.clone(), settings));
            let clusters = match &before {
                Some(b) => cluster::cluster_after(&items, settings, b),
                None => cluster::cluster(&items, settings),
            };
            (r, clusters, before.is_some())
        })
        .collect()
}

/// The previous story tables of the restarted topics, by topic: what [`resume::kept`]
/// reads.
struct Previous<'a> {
    restart: &'a BTreeMap<String, NaiveDate>,
    /// Per topic, its rows of `story_articles` and of `stories`, as slices of them.
    topics: BTreeMap<String, (DataFrame, DataFrame)>,
}

impl<'a> Previous<'a> {
    fn of(earlier: &Earlier<'a>) -> PolarsResult<Previous<'a>> {
        // Each topic's block of rows (a topic's rows are one block in the tables written).
        let by_topic = |df: &DataFrame| -> PolarsResult<BTreeMap<String, DataFrame>> {
            let groups = crate::store::layout::keyed_groups(df, &[c::TOPIC])?;
            Ok(groups.into_iter().filter_map(|(mut key, block)| Some((key.pop()?, block))).collect())
        };
        let restarted = |t: &String| earlier.restart.contains_key(t);
        let mut articles = by_topic(earlier.story_articles)?;
        articles.retain(|t, _| restarted(t));
        let mut stories = by_topic(earlier.stories)?;
        let topics =
            articles.into_iter().filter_map(|(t, a)| Some((t.clone(), (a, stories.remove(&t)?)))).collect();
        Ok(Previous { restart: earlier.restart, topics })
    }

    /// The [`resume::Before`] of the topic of `rows[range]`, when it was restarted and has a
    /// quiet day to resume from; `None` when anything of it cannot be read.
    fn before(&self, rows: &Rows<'_>, range: Range<usize>, settings: &Settings) -> Option<resume::Before> {
        use chrono::Datelike;
        let topic = rows.topic.get(range.start);
        let restart = *self.restart.get(topic)?;
        let (articles, stories) = self.topics.get(topic)?;
        let day = |d: NaiveDate| i64::from(d.num_days_from_ce());
        let dates = |df: &DataFrame, name: &str| -> Option<Vec<i64>> {
            crate::frames::dates(df, name).ok()?.into_iter().map(|d| d.map(day)).collect()
        };
        let ints = |df: &DataFrame, name: &str| -> Option<Vec<i64>> {
            let c = df.column(name).ok()?.cast(&DataType::Int64).ok()?;
            c.i64().ok()?.iter().collect()
        };
        fn texts<'d>(df: &'d DataFrame, name: &str) -> Option<Vec<&'d str>> {
            df.column(name).ok()?.str().ok()?.iter().collect()
        }
        // Where to resume, from the stories' spans alone: most restarted topics have a
        // quiet day, and a topic without one costs no more reading.
        let days: Vec<i64> = range.clone().map(|i| day(rows.date[i])).collect();
        let first = dates(stories, col::FIRST_DATE)?;
        let spans: Vec<(i64, i64)> = first.iter().copied().zip(dates(stories, col::LAST_DATE)?).collect();
        let start = resume::start(&days, &spans, day(restart), i64::from(settings.window_days))?;
        let previous = resume::Previous {
            articles: texts(articles, c::DIGEST_ID)?
                .into_iter()
                .zip(ints(articles, c::POSITION)?)
                .zip(texts(articles, col::STORY_ID)?)
                .zip(
                    articles
                        .column(col::SIMILARITY)
                        .ok()?
                        .f64()
                        .ok()?
                        .iter()
                        .collect::<Option<Vec<f64>>>()?,
                )
                .map(|(((d, p), s), sim)| (d, p, s, sim))
                .collect(),
            stories: texts(stories, col::STORY_ID)?
                .into_iter()
                .zip(first)
                .zip(spans.iter().map(|s| s.1))
                .zip(texts(stories, col::REPRESENTATIVE_DIGEST_ID)?)
                .zip(ints(stories, col::REPRESENTATIVE_POSITION)?)
                .map(|((((id, first), last), d), p)| (id, first, last, d, p))
                .collect(),
        };
        let keys: Vec<(&str, i64)> = range.map(|i| (rows.digest_id.get(i), rows.position[i])).collect();
        resume::kept(&keys, &days, start, &previous)
    }
}

/// The stories of every topic numbered as one list, and each article's story, similarity
/// and normalised title number in it.
struct Numbered<'a> {
    stories: Vec<Story<'a>>,
    /// Per article, its story's index in `stories`.
    story_of: Vec<IdxSize>,
    similarity: Vec<f64>,
    /// Per article, its normalised title's number among all topics' distinct titles.
    title_ids: Vec<u32>,
}

impl<'a> Numbered<'a> {
    fn of(rows: &Rows<'a>, clustered: &[(Range<usize>, cluster::Clusters)]) -> Numbered<'a> {
        let n = rows.n;
        let mut out = Numbered {
            stories: Vec::new(),
            story_of: vec![0; n],
            similarity: vec![0f64; n],
            title_ids: Vec::with_capacity(n),
        };
        // Per topic, where its normalised titles' numbers start among all topics'.
        let mut title_base = 0u32;
        for (range, cl) in clustered {
            let base = out.stories.len();
            let mut per_date: BTreeMap<NaiveDate, u32> = BTreeMap::new();
            // Stories are numbered by first appearance: one pass finds each one's first article.
            let firsts = cluster::first_appearances(&cl.story);
            for (rep, first) in cl.representative.iter().zip(firsts.iter().map(|off| range.start + off)) {
                let seq = per_date.entry(rows.date[first]).or_default();
                *seq += 1;
                out.stories.push(Story {
                    id: format!("{}:{}:{}", rows.topic.get(first), rows.date[first], seq),
                    topic: rows.topic.get(first),
                    members: Vec::new(),
                    representative: range.start + rep,
                });
            }
            for (off, s) in cl.story.iter().enumerate() {
                let i = range.start + off;
                out.story_of[i] = (base + *s as usize) as IdxSize;
                out.stories[base + *s as usize].members.push(i);
            }
            out.similarity[range.clone()].copy_from_slice(&cl.similarity);
            out.title_ids.extend(cl.titles.of.iter().map(|t| title_base + t));
            title_base += cl.titles.texts.len() as u32;
        }
        out
    }
}

/// **story_articles**: each article's keys, story, similarity and normalised title. The keys
/// come from the sorted frame as they are (no copy of 2 million strings); missing text reads
/// as empty, as the clustering read it. Only the keys: the article's date, side and outlet
/// are one join away in `articles`, and writing them again for every article cost more than
/// the clustering's table-building.
fn story_articles(
    df: &DataFrame,
    ids: &StringChunked,
    story_index: &IdxCa,
    similarity: Vec<f64>,
    clustered: &[(Range<usize>, cluster::Clusters)],
    title_ids: &[u32],
) -> PolarsResult<DataFrame> {
    let or_empty = |name: &str| col(name).fill_null(lit(""));
    let mut story_articles = df
        .clone()
        .lazy()
        .select([
            or_empty(c::DIGEST_ID),
            or_empty(c::TOPIC),
            col(c::POSITION).cast(DataType::Int64).fill_null(lit(0i64)),
        ])
        .collect()?;
    story_articles.with_column(ids.take(story_index)?.into_column())?;
    story_articles.with_column(Column::new(col::SIMILARITY.into(), similarity))?;
    // Each distinct normalised title once, taken by number: the column shares their bytes.
    let texts = StringChunked::from_iter_values(
        col::NORMALISED_TITLE.into(),
        clustered.iter().flat_map(|(_, cl)| cl.titles.texts.iter().map(String::as_str)),
    );
    let title_index = IdxCa::from_vec("title".into(), title_ids.iter().map(|t| *t as IdxSize).collect());
    story_articles.with_column(texts.take(&title_index)?.into_column())?;
    Ok(story_articles)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, day).unwrap()
    }

    /// One week (2026-W02). Story T, one title five times: sides a a a a b, outlets
    /// o1 o3 o1 o4 o2, on 5, 6, 7, 7, 7 Jan. Story E, one article of side b on 5 Jan, its
    /// title in `quake_language`; every other title English.
    fn week(quake_language: &str) -> DataFrame {
        let steel = "Tariff row deepens over steel imports";
        let quake = "Earthquake hits northern coast towns";
        df!(
            c::TOPIC => ["t"; 6],
            c::DIGEST_DATE => [d(5), d(5), d(6), d(7), d(7), d(7)],
            c::DIGEST_ID => ["d1", "d1", "d2", "d3", "d3", "d3"],
            c::POSITION => [1u32, 2, 1, 1, 2, 3],
            c::PERSPECTIVE_ID => ["a", "b", "a", "a", "a", "b"],
            c::OUTLET => ["O1", "O2", "O3", "O1", "O4", "O2"],
            c::OUTLET_ID => ["o1", "o2", "o3", "o1", "o4", "o2"],
            c::TITLE => [steel, quake, steel, steel, steel, steel],
            c::LANGUAGE => ["en", quake_language, "en", "en", "en", "en"],
            col::PERIOD => ["2026-W02"; 6],
            col::PERIOD_START => [d(5); 6],
            col::PERIOD_END => [d(11); 6],
            col::PERIOD_INDEX => [2i64; 6],
        )
        .unwrap()
    }

    #[test]
    fn story_tables_worked_by_hand() {
        let t = stories(week("en").lazy(), &Settings::default(), None).unwrap();
        let s = &t.stories;
        assert_eq!(crate::frames::strings(s, col::STORY_ID).unwrap(), ["t:2026-01-05:1", "t:2026-01-05:2"]);
        // T: 5 articles over 3 days, 4 outlets; a has 4 of the 5 known = 0.8 ≥ 0.8 and
        // 5 ≥ 3 articles: one-sided. a starts 5 Jan, b 7 Jan: lag 2. One title from 4 outlets.
        // E: 1 article, under the 3 a one-sided story needs.
        assert_eq!(crate::frames::ints(s, col::ARTICLES).unwrap(), [5, 1]);
        assert_eq!(crate::frames::ints(s, col::DAYS).unwrap(), [3, 1]);
        assert_eq!(crate::frames::ints(s, col::OUTLETS).unwrap(), [4, 1]);
        assert_eq!(crate::frames::strings(s, col::SIDE_ARTICLES).unwrap(), ["a=4; b=1", "b=1"]);
        assert_eq!(crate::frames::floats(s, col::TOP_SHARE).unwrap(), [Some(0.8), Some(1.0)]);
        assert_eq!(crate::frames::bools(s, col::ONE_SIDED).unwrap(), [true, false]);
        assert_eq!(crate::frames::strings(s, col::FIRST_PERSPECTIVE_ID).unwrap(), ["a", "b"]);
        assert_eq!(crate::frames::ints(s, col::PICKUP_LAG_DAYS).unwrap(), [2, 0]);
        assert_eq!(crate::frames::ints(s, col::REPRINT_OUTLETS).unwrap(), [4, 1]);
        // Sides of T: a 4 articles 5–7 Jan (3 days, lag 0); b 1 on 7 Jan (lag 2).
        let sides = &t.story_sides;
        assert_eq!(crate::frames::strings(sides, c::PERSPECTIVE_ID).unwrap(), ["a", "b", "b"]);
        assert_eq!(crate::frames::ints(sides, col::LIFETIME_DAYS).unwrap(), [3, 1, 1]);
        assert_eq!(crate::frames::ints(sides, col::LAG_DAYS).unwrap(), [0, 2, 0]);
        // The week: 2 stories, 1 one-sided holding 5 of the 6 articles.
        let p = &t.story_periods;
        assert_eq!(crate::frames::ints(p, col::STORIES).unwrap(), [2]);
        assert_eq!(crate::frames::ints(p, col::ONE_SIDED_STORIES).unwrap(), [1]);
        assert_eq!(crate::frames::floats(p, col::ONE_SIDED_ARTICLE_SHARE).unwrap(), [Some(5.0 / 6.0)]);
        // Every article has its story; identical titles are at similarity 1.
        let a = &t.story_articles;
        assert_eq!(crate::frames::floats(a, col::SIMILARITY).unwrap(), vec![Some(1.0); 6]);
        assert_eq!(crate::frames::strings(s, col::LANGUAGES).unwrap(), ["en=5", "en=1"]);
        // b, the other side of T, writes only English: all linkable. E's top side is b, and
        // a's titles are English like E's.
        assert_eq!(crate::frames::floats(s, col::LINKABLE_SHARE).unwrap(), [Some(1.0), Some(1.0)]);
    }

    #[test]
    fn a_story_is_one_sided_only_where_the_other_side_could_have_been_linked() {
        // Story T of the test above: sides a a a a b, all English, one-sided. Side b's other
        // title (the quake, E) is now in another language. Spanish is read by the bridge, so
        // b's titles stay linkable to English ones: 2 of 2, T still one-sided. Japanese is
        // not: only b's English title counts, 1 of 2 = 0.5 < 0.9, so T's one-sidedness
        // could be the clustering's blindness and is not claimed. Through the bridge only:
        // with Spanish, b's Spanish title, 1 of 2 = 0.5, so T's claim rests on links across
        // the two languages and its row quotes their recall; with Japanese, none (0).
        for (quake_language, linkable, one_sided, bridged) in
            [("es", 1.0, true, 0.5), ("ja", 0.5, false, 0.0)]
        {
            let t = stories(week(quake_language).lazy(), &Settings::default(), None).unwrap();
            let s = &t.stories;
            assert_eq!(
                crate::frames::floats(s, col::LINKABLE_SHARE).unwrap()[0],
                Some(linkable),
                "{quake_language}"
            );
            assert_eq!(crate::frames::bools(s, col::ONE_SIDED).unwrap()[0], one_sided, "{quake_language}");
            assert_eq!(crate::frames::floats(s, col::ONE_SIDED_MIN_LINKABLE).unwrap()[0], Some(0.9));
            assert_eq!(
                crate::frames::floats(s, col::BRIDGED_SHARE).unwrap()[0],
                Some(bridged),
                "{quake_language}"
            );
            let recall = (bridged > 0.0).then_some(CROSS_LANGUAGE_PAIR_RECALL);
            assert_eq!(crate::frames::floats(s, col::CROSS_LANGUAGE_PAIR_RECALL).unwrap()[0], recall);
        }
        // All English: nothing rests on the bridge (story_tables_worked_by_hand's week).
        let t = stories(week("en").lazy(), &Settings::default(), None).unwrap();
        assert_eq!(crate::frames::floats(&t.stories, col::BRIDGED_SHARE).unwrap(), [Some(0.0), Some(0.0)]);
        assert_eq!(crate::frames::floats(&t.stories, col::CROSS_LANGUAGE_PAIR_RECALL).unwrap(), [None, None]);
    }
}
