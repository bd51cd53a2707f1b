//! The floor of the analysis: the names of its columns and tables, its inputs and options,
//! which digests it covers, the period keys, and the small expression helpers every table
//! family uses. Nothing here runs an analysis ([`super::analyze`] does).

use chrono::NaiveDate;
use polars::prelude::*;

pub use super::table::{self, Table};
use crate::tables::col as c;
use crate::write::Format;

/// Column names of the analysis tables (the extracted ones are in [`crate::tables::col`]).
pub mod col {
    pub const PERIOD: &str = "period";
    pub const PERIOD_START: &str = "period_start";
    pub const PERIOD_END: &str = "period_end";
    /// Calendar index of a period (weeks or months since 1970), for trailing windows.
    pub const PERIOD_INDEX: &str = "period_index";
    pub const ARTICLES: &str = "articles";
    pub const SHARE: &str = "share";
    pub const BALANCE_INDEX: &str = "balance_index";
    pub const PERSPECTIVES_DECLARED: &str = "perspectives_declared";
    pub const THEME: &str = "theme";
    pub const THEME_NAME: &str = "theme_name";
    pub const MENTIONS: &str = "mentions";
    pub const ITEMS: &str = "items";
    pub const TRAILING_MEAN: &str = "trailing_mean";
    pub const TRAILING_PERIODS: &str = "trailing_periods";
    pub const PERIODS_PRESENT: &str = "periods_present";
    pub const RECURRING: &str = "recurring";
    pub const TREND: &str = "trend";
    pub const TERM: &str = "term";
    pub const SCORE: &str = "score";
    pub const RANK: &str = "rank";
    pub const KIND: &str = "kind";
    pub const START_DATE: &str = "start_date";
    pub const END_DATE: &str = "end_date";
    pub const DIGESTS: &str = "digests";
    pub const MEAN_SHARE: &str = "mean_share";
    pub const MAX_SHARE: &str = "max_share";
    pub const THRESHOLD: &str = "threshold";
    pub const MIN_RUN: &str = "min_run";
    pub const OTHER_PERSPECTIVE_ID: &str = "other_perspective_id";
    pub const OTHER_MENTIONS: &str = "other_mentions";
    pub const OTHER_ITEMS: &str = "other_items";
    pub const COVERED_ITEMS: &str = "covered_items";
    pub const NAMES_SECTION: &str = "names_section";
    pub const OTHER_COVERED_ITEMS: &str = "other_covered_items";
    pub const SILENCE_MIN_COVERAGE: &str = "silence_min_coverage";
    pub const SILENCE_RULE: &str = "silence_rule";
    pub const LANGUAGE_ARTICLES: &str = "articles";
    pub const DATED_ARTICLES: &str = "dated_articles";
    pub const AGE_MEDIAN_DAYS: &str = "age_median_days";
    pub const AGE_MAX_DAYS: &str = "age_max_days";
    pub const NAMES_OTHER: &str = "names_other";
    pub const NAMES_SELF: &str = "names_self";
    pub const NAMES_NEITHER: &str = "names_neither";
    pub const SHARE_NAMES_OTHER: &str = "share_names_other";
    pub const SHARE_NAMES_SELF: &str = "share_names_self";
    pub const SHARE_NAMES_NEITHER: &str = "share_names_neither";
    pub const STORY_ID: &str = "story_id";
    pub const SIMILARITY: &str = "similarity";
    pub const NORMALISED_TITLE: &str = "normalised_title";
    pub const FIRST_DATE: &str = "first_date";
    pub const LAST_DATE: &str = "last_date";
    pub const DAYS: &str = "days";
    pub const OUTLETS: &str = "outlets";
    pub const SIDES: &str = "sides";
    pub const SIDE_ARTICLES: &str = "side_articles";
    pub const UNKNOWN_SIDE_ARTICLES: &str = "unknown_side_articles";
    pub const TOP_PERSPECTIVE_ID: &str = "top_perspective_id";
    pub const TOP_SHARE: &str = "top_share";
    pub const ONE_SIDED: &str = "one_sided";
    pub const MIN_ARTICLES: &str = "min_articles";
    pub const ONE_SIDED_SHARE: &str = "one_sided_share";
    pub const LANGUAGES: &str = "languages";
    pub const LINKABLE_SHARE: &str = "linkable_share";
    pub const ONE_SIDED_MIN_LINKABLE: &str = "one_sided_min_linkable";
    pub const BRIDGED_SHARE: &str = "bridged_share";
    pub const CROSS_LANGUAGE_PAIR_RECALL: &str = "cross_language_pair_recall";
    pub const FIRST_PERSPECTIVE_ID: &str = "first_perspective_id";
    pub const PICKUP_LAG_DAYS: &str = "pickup_lag_days";
    pub const REPRINT_OUTLETS: &str = "reprint_outlets";
    pub const REPRESENTATIVE_TITLE: &str = "representative_title";
    pub const REPRESENTATIVE_DIGEST_ID: &str = "representative_digest_id";
    pub const REPRESENTATIVE_POSITION: &str = "representative_position";
    pub const LIFETIME_DAYS: &str = "lifetime_days";
    pub const LAG_DAYS: &str = "lag_days";
    pub const STORIES: &str = "stories";
    pub const ONE_SIDED_STORIES: &str = "one_sided_stories";
    pub const ONE_SIDED_ARTICLES: &str = "one_sided_articles";
    pub const ONE_SIDED_ARTICLE_SHARE: &str = "one_sided_article_share";
    pub const KIND_HIGHLIGHT: &str = "highlight";
    pub const KIND_TITLE: &str = "title";
    pub const KEYWORD: &str = "keyword";
    pub const TONE: &str = "tone";
    pub const POSITIVE: &str = "positive";
    pub const NEGATIVE: &str = "negative";
    pub const WORDS: &str = "words";
    pub const LEXICON: &str = "lexicon";
    pub const LEXICON_RHO: &str = "lexicon_rho";
    pub const POSITIVE_PCT: &str = "positive_pct";
    pub const NEGATIVE_PCT: &str = "negative_pct";
    pub const POLARITY: &str = "polarity";
    pub const COVERAGE: &str = "coverage";
    pub const MEAN_ITEM_TONE: &str = "mean_item_tone";
    pub const SHARE_NEGATIVE: &str = "share_negative";
    pub const CI_LOW: &str = "ci_low";
    pub const CI_HIGH: &str = "ci_high";
    pub const FEW_ITEMS: &str = "few_items";
    pub const MIN_ITEMS: &str = "min_items";
    pub const DRIFT: &str = "drift";
    pub const WORD: &str = "word";
    pub const OCCURRENCES: &str = "occurrences";
    pub const CONTRIBUTION: &str = "contribution";
    pub const ARTICLE_POSITION: &str = "article_position";
    pub const SAME_SIDE: &str = "same_side";
    pub const STATUS: &str = "status";
    pub const SUPPORT: &str = "support";
    pub const BEST: &str = "best";
    pub const BEST_OWN: &str = "best_own";
    pub const BEST_OTHER: &str = "best_other";
    pub const MARGIN: &str = "margin";
    pub const CONFIDENCE: &str = "confidence";
    pub const SUPPORT_MIN: &str = "support_min";
    pub const NAMES_WEIGHT: &str = "names_weight";
    pub const COMPARABLE: &str = "comparable";
}

/// The extracted tables every analysis reads ([`crate::store::Store::inputs`]).
pub use crate::store::Inputs;

/// The unit analyses group by (its keys are computed in [`super::periods`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Period {
    /// ISO weeks, Monday to Sunday, labelled `2026-W04`.
    Week,
    /// Calendar months, labelled `2026-01`.
    Month,
}

/// The published knobs of story clustering (command-line flags of `analyze`).
#[derive(Debug, Clone, PartialEq)]
pub struct StorySettings {
    /// Articles further apart than this many days are not compared (3).
    pub window_days: u32,
    /// Cosine similarity of weighted shingles from which two titles are linked (0.3).
    pub threshold: f64,
    /// Share of a story's articles in the window an article must link to, to join it (0.5).
    pub join_fraction: f64,
    /// The `threshold` of two titles in different languages, both read into the shared
    /// vocabulary by the [`super::stories::bridge`] (Spanish and English): a translation shares fewer
    /// words than a paraphrase in one language does (0.2, tuned on labelled weeks of the
    /// Venezuela digests: docs/analysis.md, Stories).
    pub cross_threshold: f64,
    /// A story is one-sided from this many articles (3) ...
    pub one_sided_min_articles: u32,
    /// ... when one side has at least this share of its articles of known side (0.8), and
    /// every other side of the topic has at least `one_sided_min_linkable` of its titles in
    /// languages the story's titles could have been linked to (0.9): its own language, or
    /// one the [`super::stories::bridge`] reads with it. Otherwise the other side's absence may be the
    /// clustering's blindness to its language, not a choice of coverage.
    pub one_sided_share: f64,
    /// See `one_sided_share` (0.9).
    pub one_sided_min_linkable: f64,
    /// Rarest shingles per title that open candidates (8).
    pub block_shingles: usize,
    /// Postings each of them walks back, most recent first (200).
    pub block_cap: usize,
    /// Calendar months over which a title's words are counted for their rarity: the month
    /// the title is first seen and the months before it (12). Rarity never reads a later
    /// month, so a day added to a topic leaves the stories of earlier months as they were.
    pub rarity_months: u32,
}

impl Default for StorySettings {
    fn default() -> Self {
        StorySettings {
            window_days: 3,
            threshold: 0.3,
            join_fraction: 0.5,
            cross_threshold: CROSS_THRESHOLD,
            one_sided_min_articles: 3,
            one_sided_share: 0.8,
            one_sided_min_linkable: 0.9,
            block_shingles: 8,
            block_cap: 200,
            rarity_months: 12,
        }
    }
}

/// The parts of an analysis that run. All of them in normal use; the benchmark suite leaves
/// one out to measure what it costs (`analyze` with `BIASLENS_BENCH_NO_STORIES=1` or
/// `BIASLENS_BENCH_NO_TONE_GROUNDING=1`), and its tables are then made empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts {
    /// Story clustering (the four story tables).
    pub stories: bool,
    /// Tone and grounding (`item_tone`, `side_tone`, `tone_words`, `highlight_support`,
    /// `highlight_grounding`).
    pub tone_grounding: bool,
}

impl Default for Parts {
    fn default() -> Self {
        Parts { stories: true, tone_grounding: true }
    }
}

impl Parts {
    /// From the benchmark suite's switches in the environment (a switch set to anything but
    /// `0` leaves its part out).
    pub fn from_env() -> Parts {
        let on = |k: &str| std::env::var_os(k).is_none_or(|v| v == "0");
        Parts {
            stories: on("BIASLENS_BENCH_NO_STORIES"),
            tone_grounding: on("BIASLENS_BENCH_NO_TONE_GROUNDING"),
        }
    }
}

/// The default [`StorySettings::cross_threshold`].
pub const CROSS_THRESHOLD: f64 = 0.2;

/// How many of the Spanish–English pairs of one story the clustering links: the recall on the
/// hand-labelled Venezuela weeks kept back from tuning (`tests/fixtures/stories`, 464 pairs;
/// docs/analysis.md), which the reports quote wherever a finding rests on such links.
/// `tests/it/stories.rs` fails when the measured recall moves away from it.
pub const CROSS_LANGUAGE_PAIR_RECALL: f64 = 0.534;

/// Which digests an analysis covers.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Topics to keep; empty keeps all.
    pub topics: Vec<String>,
    /// First digest date kept.
    pub from: Option<NaiveDate>,
    /// Last digest date kept.
    pub to: Option<NaiveDate>,
    /// Keep drafts (left out by default).
    pub include_drafts: bool,
    /// Keep superseded re-runs (left out by default).
    pub include_superseded: bool,
}

/// Every knob of an analysis, with the defaults documented in docs/analysis.md.
#[derive(Debug, Clone)]
pub struct Options {
    /// Week or month.
    pub period: Period,
    /// Which digests.
    pub filter: Filter,
    /// A side is "low" in a digest when its share is under this (default 0.2).
    pub low_share: f64,
    /// A low stretch is reported from this many consecutive digests (default 3).
    pub min_run: u32,
    /// A theme is rising/fading when its share moves by more than this factor against its
    /// trailing mean (default 2).
    pub trend_factor: f64,
    /// Trailing periods the mean is taken over (default 4).
    pub trend_window: u32,
    /// Mentions a move needs to count as rising (this period) or fading (expected from the
    /// trailing mean), so one stray mention is not a trend (default 3).
    pub trend_min_mentions: u32,
    /// A theme is recurring when present in at least this many of the last `recurring_window` periods (3).
    pub recurring_min: u32,
    /// See `recurring_min` (4).
    pub recurring_window: u32,
    /// Mentions a side needs before its theme counts as "raised" against another side's silence (2).
    pub silence_min_mentions: u32,
    /// Share of the silent side's items that must be in languages the theme has keywords
    /// for, so that its silence is a finding and not the lexicon's blindness (0.9).
    pub silence_min_coverage: f64,
    /// Emerging terms listed per topic and period (10).
    pub emerging_top: u32,
    /// Items a term must appear in, in the period, to be listed (3).
    pub emerging_min_items: u32,
    /// Emerging terms are listed for the latest this many periods of the data (12; 0 for
    /// all): they serve to grow the lexicon now, and over years of digests the full
    /// history would cost more than the rest of the analysis together.
    pub emerging_periods: u32,
    /// Story clustering and one-sided stories.
    pub stories: StorySettings,
    /// A side's tone in a period is marked `few_items` under this many scored items (10).
    pub tone_min_items: u32,
    /// Resamples of the bootstrap interval of a side's mean item tone (200; 0: none).
    pub tone_bootstrap: u32,
    /// Which titles a highlight rests on.
    pub grounding: GroundingSettings,
}

/// The knobs of grounding (`analytics::grounding`), chosen on the tuned half of the
/// labelled bullets (tests/fixtures/grounding; docs/analysis.md, Grounding).
#[derive(Debug, Clone, PartialEq)]
pub struct GroundingSettings {
    /// The score from which a title supports a bullet.
    pub support_min: f64,
    /// A side's best title counts for the status only when its score is at least this
    /// share of the other side's best: a bullet whose own titles score 0.5 and the other
    /// side's 0.13 rests on its own side, not on both.
    pub comparable: f64,
    /// The weight of the names-and-numbers channel in the score (0: words only).
    pub names_weight: f64,
    /// Supporting titles listed per bullet in `highlight_support`.
    pub top: usize,
    /// Calendar months whose bullets and titles a word's rarity is counted over: the
    /// bullet's month and the months before it (12, as the stories'). A later month never
    /// changes a bullet's scores.
    pub rarity_months: u32,
}

impl Default for GroundingSettings {
    fn default() -> Self {
        // Chosen on the tuned half of tests/fixtures/grounding: support_min from 0.08 to
        // 0.4, comparable from 0 to 0.8, names_weight 0 to 0.3 (docs/analysis.md).
        GroundingSettings { support_min: 0.12, comparable: 0.5, names_weight: 0.0, top: 5, rarity_months: 12 }
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            period: Period::Week,
            filter: Filter::default(),
            low_share: 0.2,
            min_run: 3,
            trend_factor: 2.0,
            trend_window: 4,
            trend_min_mentions: 3,
            recurring_min: 3,
            recurring_window: 4,
            silence_min_mentions: 2,
            silence_min_coverage: 0.9,
            emerging_top: 10,
            emerging_min_items: 3,
            emerging_periods: 12,
            stories: StorySettings::default(),
            tone_min_items: 10,
            tone_bootstrap: 200,
            grounding: GroundingSettings::default(),
        }
    }
}

/// Every day with a live digest (drafts and superseded re-runs left out), in order.
pub fn live_days(digests: LazyFrame) -> PolarsResult<Vec<NaiveDate>> {
    let days = live_digests(digests, &Options::default())
        .select([col(c::DIGEST_DATE).unique().sort(SortOptions::default())])
        .collect()?;
    Ok(crate::frames::dates(&days, c::DIGEST_DATE)?.into_iter().flatten().collect())
}

/// The digests an analysis covers, with period columns: drafts and superseded re-runs
/// left out unless asked for, then topic and date filters.
pub fn live_digests(digests: LazyFrame, options: &Options) -> LazyFrame {
    let f = &options.filter;
    let mut keep = lit(true);
    if !f.include_drafts {
        keep = keep.and(col(c::DRAFT).not());
    }
    if !f.include_superseded {
        keep = keep.and(col(c::SUPERSEDED).not());
    }
    if !f.topics.is_empty() {
        let topics = Series::new("topics".into(), f.topics.clone());
        keep = keep.and(one_of(col(c::TOPIC), lit(topics)));
    }
    if let Some(from) = f.from {
        keep = keep.and(col(c::DIGEST_DATE).gt_eq(lit(from)));
    }
    if let Some(to) = f.to {
        keep = keep.and(col(c::DIGEST_DATE).lt_eq(lit(to)));
    }
    digests.filter(keep).with_columns(options.period.columns(col(c::DIGEST_DATE)))
}

/// The period columns of a live digest, to join onto child tables.
pub fn period_keys(live: LazyFrame) -> LazyFrame {
    live.select([
        col(c::DIGEST_ID),
        col(col::PERIOD),
        col(col::PERIOD_START),
        col(col::PERIOD_END),
        col(col::PERIOD_INDEX),
    ])
}

/// Inner join on `digest_id`: keeps rows of live digests and adds their period columns.
/// Rows keep the child's order, so a topic's rows are in the same order whichever digests
/// `live` holds (the incremental run relies on it).
pub fn in_periods(child: LazyFrame, live: LazyFrame) -> LazyFrame {
    let mut args = JoinArgs::new(JoinType::Inner);
    args.maintain_order = MaintainOrderJoin::Left;
    child.join(period_keys(live), [col(c::DIGEST_ID)], [col(c::DIGEST_ID)], args)
}

/// `col(name)` for each name.
pub fn cols(names: &[&str]) -> Vec<Expr> {
    names.iter().map(|n| col(*n)).collect()
}

/// The topic-period key with its calendar index, then `extra` columns.
pub fn period_keys_and(extra: &[&str]) -> Vec<Expr> {
    let mut v = cols(&[c::TOPIC, col::PERIOD, col::PERIOD_START, col::PERIOD_END, col::PERIOD_INDEX]);
    v.extend(cols(extra));
    v
}

/// The columns that identify a topic-period, in output order.
pub fn topic_period() -> [Expr; 4] {
    [col(c::TOPIC), col(col::PERIOD), col(col::PERIOD_START), col(col::PERIOD_END)]
}

/// True for rows of one side's section (a perspective id), false for `overall` and
/// `differences`.
pub fn side_section() -> Expr {
    let shared = Series::new("shared".into(), crate::model::SHARED_SECTIONS.map(String::from).to_vec());
    one_of(col(c::SECTION), lit(shared)).not()
}

/// `numerator / denominator` as a float.
pub fn ratio(numerator: Expr, denominator: Expr) -> Expr {
    numerator.cast(DataType::Float64) / denominator.cast(DataType::Float64)
}

/// Whether `expr` is one of `values`, a literal list of values of its own type. Polars 0.55
/// wants such a list imploded (the plain form is deprecated and warns on stderr), and a null
/// is one of nothing.
pub fn one_of(expr: Expr, values: Expr) -> Expr {
    expr.is_in(values.implode(false), false)
}

/// `expr` in a window over the groups of `by`. Polars refuses only a window with no partition
/// and no order, which the array's non-zero length rules out when this compiles.
pub fn over<const N: usize>(expr: Expr, by: [Expr; N]) -> Expr {
    const { assert!(N > 0, "a window needs at least one partition column") };
    expr.over(by).expect("a window over at least one column")
}

/// Stacks frames with different columns; a column missing from a frame is null there.
pub fn concat_diagonal<L: AsRef<[LazyFrame]>>(frames: L) -> LazyFrame {
    concat_lf_diagonal(frames, UnionArgs::default()).expect("at least one frame")
}

/// Six decimals, the precision of every score and share the Rust-computed tables write
/// (and no negative zero: an empty sum of floats is −0, which would print as `-0.0`).
pub fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6 + 0.0
}

/// Sort by these columns ascending.
pub fn sorted(lf: LazyFrame, by: &[&str]) -> LazyFrame {
    lf.sort(
        by.iter().map(|s| PlSmallStr::from(*s)).collect::<Vec<_>>(),
        SortMultipleOptions::default().with_maintain_order(true),
    )
}

/// Analysis tables, collected, in the order they are written.
#[derive(Default)]
pub struct Analysis {
    /// `(table, frame)` pairs.
    pub tables: Vec<(Table, DataFrame)>,
    /// The tables already written to the analysis folder and let go, with their rows: a
    /// full `analyze` writes the large per-item tables no later step reads as soon as they
    /// are made ([`super::plan::Sink`], [`Table::let_go`]).
    pub written: Vec<(Table, usize)>,
}

impl Analysis {
    /// Tables held in memory, none written yet.
    pub fn of(tables: Vec<(Table, DataFrame)>) -> Analysis {
        Analysis { tables, written: Vec::new() }
    }

    /// A table; an analysis without it is an error that names it (a missing table is never
    /// read as an empty one, nor is one already written and let go).
    pub fn get(&self, table: Table) -> PolarsResult<&DataFrame> {
        self.find(table).ok_or_else(|| match self.written.iter().any(|(t, _)| *t == table) {
            true => polars_err!(ComputeError: "the {table} table was written to the analysis folder and let go: read it from there"),
            false => polars_err!(ComputeError: "the analysis has no {table} table"),
        })
    }

    /// Every table's rows, held or written, in [`Table::ALL`] order.
    pub fn rows(&self) -> Vec<(Table, usize)> {
        let mut rows: Vec<(Table, usize)> =
            self.tables.iter().map(|(t, df)| (*t, df.height())).chain(self.written.iter().copied()).collect();
        rows.sort_by_key(|(t, _)| *t);
        rows
    }

    /// A table, when the analysis has it.
    pub fn find(&self, table: Table) -> Option<&DataFrame> {
        self.tables.iter().find(|(n, _)| *n == table).map(|(_, df)| df)
    }

    /// The tables by file stem with the formats the analysis folder holds each in
    /// ([`Table::formats`]).
    pub fn files(&self, format: Format) -> Vec<(&'static str, &DataFrame, Format)> {
        self.tables.iter().map(|(t, df)| (t.name(), df, t.formats(format))).collect()
    }

    /// The tables of `other` replace those of the same name (and are added when new).
    pub fn replace(&mut self, other: Vec<(Table, DataFrame)>) {
        for (name, df) in other {
            match self.tables.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = df,
                None => self.tables.push((name, df)),
            }
        }
    }
}

/// The columns of `articles` some analysis reads.
pub const ARTICLE_COLUMNS: [&str; 10] = [
    c::DIGEST_ID,
    c::TOPIC,
    c::DIGEST_DATE,
    c::POSITION,
    c::PERSPECTIVE_ID,
    c::OUTLET,
    c::OUTLET_ID,
    c::LANGUAGE,
    c::TITLE,
    c::PUBLISHED_DATE,
];

/// The columns of `highlights` some analysis reads.
pub const HIGHLIGHT_COLUMNS: [&str; 5] = [c::DIGEST_ID, c::TOPIC, c::SECTION, c::POSITION, c::TEXT];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_table_is_an_error_that_names_it_not_an_empty_frame() {
        let mut a = Analysis::of(vec![(table::THEMES, DataFrame::empty())]);
        assert!(a.get(table::THEMES).is_ok());
        let err = a.get(table::STORIES).unwrap_err().to_string();
        assert!(err.contains("has no stories table"), "{err}");
        assert!(a.find(table::STORIES).is_none() && a.find(table::THEMES).is_some());
        // A table written and let go is not read as empty either, and says where it is.
        a.written.push((table::ITEM_TONE, 7));
        let err = a.get(table::ITEM_TONE).unwrap_err().to_string();
        assert!(err.contains("item_tone table was written to the analysis folder"), "{err}");
        assert_eq!(a.rows(), vec![(table::THEMES, 0), (table::ITEM_TONE, 7)]);
    }
}
