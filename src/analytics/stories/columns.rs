//! The story tables' columns: each story's facts pushed as a row of `stories` and rows of
//! `story_sides`, and `story_periods` counted from the articles' stories.

use chrono::NaiveDate;
use polars::prelude::*;
use rayon::prelude::*;

use super::facts::{facts, Context, Scratch, SideLanguages, StoryFacts, TitleIds};
use super::rows::{Rows, Story};
use crate::analytics::base::{col, ratio, sorted, StorySettings as Settings, CROSS_LANGUAGE_PAIR_RECALL};
use crate::tables::col as c;

/// Stories whose facts are worked out together, in parallel (their facts are then held).
const FACTS_BLOCK: usize = 4096;

/// Builds `stories` and `story_sides`.
pub(super) fn story_rows<'a>(
    rows: &Rows<'a>,
    stories: &[Story<'a>],
    ids: &StringChunked,
    titles: &TitleIds,
    languages: &SideLanguages<'a>,
    settings: &Settings,
) -> PolarsResult<(DataFrame, DataFrame)> {
    let mut s = StoryColumns::default();
    let mut sides = SideColumns::default();
    let context = Context { titles, languages, settings };
    // A story's facts depend on it alone: worked out a block at a time in parallel, then
    // pushed in story order, so the tables are the same and only a block's facts are held.
    for (b, block) in stories.chunks(FACTS_BLOCK).enumerate() {
        let block_facts: Vec<StoryFacts<'a>> = block
            .par_iter()
            .map_init(Scratch::default, |scratch, story| facts(story, rows, &context, scratch))
            .collect();
        for ((j, story), f) in block.iter().enumerate().zip(&block_facts) {
            s.push(f, rows);
            sides.push((b * FACTS_BLOCK + j) as IdxSize, story.topic, f);
        }
    }
    let n = stories.len();
    // Where another side's absence could rest on links across Spanish and English, the share
    // of such links the clustering makes.
    let recall: Vec<Option<f64>> =
        s.bridged.iter().map(|b| b.filter(|b| *b > 0.0).map(|_| CROSS_LANGUAGE_PAIR_RECALL)).collect();
    let stories_df = df!(
        col::STORY_ID => ids.clone().into_series(),
        c::TOPIC => stories.iter().map(|s| s.topic).collect::<Vec<_>>(),
        col::FIRST_DATE => s.first,
        col::LAST_DATE => s.last,
        col::DAYS => s.days,
        col::ARTICLES => s.articles,
        col::OUTLETS => s.outlets,
        col::SIDES => s.sides,
        col::SIDE_ARTICLES => s.side_articles,
        col::UNKNOWN_SIDE_ARTICLES => s.unknown,
        col::TOP_PERSPECTIVE_ID => s.top_side,
        col::TOP_SHARE => s.top_share,
        col::ONE_SIDED => s.one_sided,
        col::MIN_ARTICLES => vec![settings.one_sided_min_articles; n],
        col::ONE_SIDED_SHARE => vec![settings.one_sided_share; n],
        col::FIRST_PERSPECTIVE_ID => s.first_side,
        col::PICKUP_LAG_DAYS => s.lag,
        col::REPRINT_OUTLETS => s.reprint_outlets,
        col::REPRESENTATIVE_TITLE => s.rep_title,
        col::REPRESENTATIVE_DIGEST_ID => s.rep_digest,
        col::REPRESENTATIVE_POSITION => s.rep_position,
        col::LANGUAGES => s.languages,
        col::LINKABLE_SHARE => s.linkable,
        col::ONE_SIDED_MIN_LINKABLE => vec![settings.one_sided_min_linkable; n],
        col::BRIDGED_SHARE => s.bridged,
        col::CROSS_LANGUAGE_PAIR_RECALL => recall,
    )?;
    let side_story = IdxCa::from_vec("story".into(), sides.story);
    let sides_df = df!(
        col::STORY_ID => ids.take(&side_story)?.into_series(),
        c::TOPIC => sides.topic,
        c::PERSPECTIVE_ID => sides.side,
        col::ARTICLES => sides.articles,
        col::FIRST_DATE => sides.first,
        col::LAST_DATE => sides.last,
        col::DAYS => sides.days,
        col::LIFETIME_DAYS => sides.lifetime,
        col::LAG_DAYS => sides.lag,
    )?;
    Ok((stories_df, sides_df))
}

#[derive(Default)]
struct StoryColumns<'a> {
    first: Vec<NaiveDate>,
    last: Vec<NaiveDate>,
    days: Vec<u32>,
    articles: Vec<u32>,
    outlets: Vec<u32>,
    sides: Vec<u32>,
    side_articles: Vec<String>,
    unknown: Vec<u32>,
    top_side: Vec<Option<&'a str>>,
    top_share: Vec<Option<f64>>,
    one_sided: Vec<bool>,
    first_side: Vec<Option<&'a str>>,
    lag: Vec<Option<i64>>,
    reprint_outlets: Vec<u32>,
    languages: Vec<String>,
    linkable: Vec<Option<f64>>,
    bridged: Vec<Option<f64>>,
    rep_title: Vec<&'a str>,
    rep_digest: Vec<&'a str>,
    rep_position: Vec<i64>,
}

#[derive(Default)]
struct SideColumns<'a> {
    /// Index of the story in the story list.
    story: Vec<IdxSize>,
    topic: Vec<&'a str>,
    side: Vec<&'a str>,
    articles: Vec<u32>,
    first: Vec<NaiveDate>,
    last: Vec<NaiveDate>,
    days: Vec<u32>,
    lifetime: Vec<i64>,
    lag: Vec<i64>,
}

impl<'a> StoryColumns<'a> {
    /// Appends one story's row.
    fn push(&mut self, f: &StoryFacts<'a>, rows: &Rows<'a>) {
        self.first.push(f.first);
        self.last.push(f.last);
        self.days.push(f.days);
        self.articles.push(f.articles);
        self.outlets.push(f.outlets);
        self.sides.push(f.sides.len() as u32);
        self.side_articles.push(pairs(f.sides.iter().map(|p| (p.side, p.articles))));
        self.unknown.push(f.unknown);
        self.top_side.push(f.top_side);
        self.top_share.push(f.top_share);
        self.one_sided.push(f.one_sided);
        self.first_side.push(f.first_side);
        self.lag.push(f.lag);
        self.reprint_outlets.push(f.reprint_outlets);
        self.rep_title.push(rows.title.get(f.representative));
        self.rep_digest.push(rows.digest_id.get(f.representative));
        self.rep_position.push(rows.position[f.representative]);
        self.languages.push(pairs(f.languages.iter().copied()));
        self.linkable.push(f.linkable);
        self.bridged.push(f.bridged);
    }
}

impl<'a> SideColumns<'a> {
    /// Appends a row per side of story `k`.
    fn push(&mut self, k: IdxSize, topic: &'a str, f: &StoryFacts<'a>) {
        for p in &f.sides {
            self.story.push(k);
            self.topic.push(topic);
            self.side.push(p.side);
            self.articles.push(p.articles);
            self.first.push(p.first);
            self.last.push(p.last);
            self.days.push(p.days);
            self.lifetime.push((p.last - p.first).num_days() + 1);
            self.lag.push((p.first - f.first).num_days());
        }
    }
}

/// `id=count; id=count`, as `side_articles` and `languages` write their counts.
fn pairs<'a>(counts: impl Iterator<Item = (&'a str, u32)>) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for (k, (id, n)) in counts.enumerate() {
        let sep = if k == 0 { "" } else { "; " };
        let _ = write!(out, "{sep}{id}={n}");
    }
    out
}

/// `story_periods`: per topic-period, its stories and the coverage one-sided stories hold.
/// `story_index` is each article's story, by its index in `stories`. The rows are in story
/// order (topic, then date), so each topic-period is one run of rows, counted in one pass
/// (a group-by on the period's text keys took three times as long at 2 million articles).
pub(super) fn periods_table(
    rows: &Rows,
    story_index: &IdxCa,
    stories: &DataFrame,
) -> PolarsResult<DataFrame> {
    let one_sided: Vec<bool> =
        stories.column(col::ONE_SIDED)?.bool()?.iter().map(|b| b.unwrap_or(false)).collect();
    let story: Vec<usize> = story_index.into_no_null_iter().map(|k| k as usize).collect();
    let period: Vec<Option<i64>> = rows.periods.column(col::PERIOD_INDEX)?.i64()?.iter().collect();
    let mut firsts: Vec<IdxSize> = Vec::new();
    let mut counts: [Vec<i64>; 4] = Default::default();
    // Per story, the last run that counted it.
    let mut counted = vec![usize::MAX; one_sided.len()];
    for topic in rows.topics() {
        for i in topic.clone() {
            if i == topic.start || period[i] != period[i - 1] {
                firsts.push(i as IdxSize);
                counts.iter_mut().for_each(|c| c.push(0));
            }
            let run = firsts.len() - 1;
            let (k, one) = (story[i], i64::from(one_sided[story[i]]));
            if counted[k] != run {
                counted[k] = run;
                counts[0][run] += 1;
                counts[1][run] += one;
            }
            counts[2][run] += 1;
            counts[3][run] += one;
        }
    }
    let [n_stories, n_one_sided, articles, one_sided_articles] = counts;
    let mut out = rows.periods.take(&IdxCa::from_vec("first".into(), firsts))?;
    out.hstack_mut(&[
        Column::new(col::STORIES.into(), n_stories),
        Column::new(col::ONE_SIDED_STORIES.into(), n_one_sided),
        Column::new(col::ARTICLES.into(), articles),
        Column::new(col::ONE_SIDED_ARTICLES.into(), one_sided_articles),
    ])?;
    let out = out.lazy().with_column(
        ratio(col(col::ONE_SIDED_ARTICLES), col(col::ARTICLES)).alias(col::ONE_SIDED_ARTICLE_SHARE),
    );
    sorted(out, &[c::TOPIC, col::PERIOD_INDEX]).drop(by_name([col::PERIOD_INDEX], true, false)).collect()
}
