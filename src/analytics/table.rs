//! The analysis tables: [`Table`], the key of [`super::Analysis`] and by [`Table::name`] the
//! file stem, with the formats each is written in; and the tables as constants by their
//! names in `spec/tables.md` (`table::ITEM_TONE`).

use crate::write::Format;

/// An analysis table: the key of [`super::Analysis`], and by [`Table::name`] its file stem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    SourceShares,
    PerspectiveBalance,
    Themes,
    ThemeTrends,
    EmergingTerms,
    Blindspots,
    CoverageProfile,
    CoverageLanguages,
    ItemThemes,
    Stories,
    StoryArticles,
    StorySides,
    StoryPeriods,
    ItemTone,
    SideTone,
    ToneWords,
    HighlightSupport,
    HighlightGrounding,
}

impl Table {
    /// Every analysis table, in the order they are written.
    pub const ALL: [Table; 18] = [
        Table::SourceShares,
        Table::PerspectiveBalance,
        Table::Themes,
        Table::ThemeTrends,
        Table::EmergingTerms,
        Table::Blindspots,
        Table::CoverageProfile,
        Table::CoverageLanguages,
        Table::ItemThemes,
        Table::Stories,
        Table::StoryArticles,
        Table::StorySides,
        Table::StoryPeriods,
        Table::ItemTone,
        Table::SideTone,
        Table::ToneWords,
        Table::HighlightSupport,
        Table::HighlightGrounding,
    ];

    /// The table's name in `spec/tables.md`, and its file stem.
    pub const fn name(self) -> &'static str {
        match self {
            Table::SourceShares => "source_shares",
            Table::PerspectiveBalance => "perspective_balance",
            Table::Themes => "themes",
            Table::ThemeTrends => "theme_trends",
            Table::EmergingTerms => "emerging_terms",
            Table::Blindspots => "blindspots",
            Table::CoverageProfile => "coverage_profile",
            Table::CoverageLanguages => "coverage_languages",
            Table::ItemThemes => "item_themes",
            Table::Stories => "stories",
            Table::StoryArticles => "story_articles",
            Table::StorySides => "story_sides",
            Table::StoryPeriods => "story_periods",
            Table::ItemTone => "item_tone",
            Table::SideTone => "side_tone",
            Table::ToneWords => "tone_words",
            Table::HighlightSupport => "highlight_support",
            Table::HighlightGrounding => "highlight_grounding",
        }
    }

    /// The large per-item tables: a row per title, highlight, story member or supporting
    /// title (millions at 100k digests). The analysis folder keeps them in Parquet only when
    /// it writes both formats ([`Table::formats`]); `export` writes their CSV.
    pub const fn is_detail(self) -> bool {
        matches!(
            self,
            Table::ItemThemes
                | Table::StoryArticles
                | Table::ItemTone
                | Table::HighlightSupport
                | Table::HighlightGrounding
        )
    }

    /// The tables nothing reads from the analysis `analyze` or `run` has just written (no
    /// later job, not the weekly report, which reads `story_articles` and
    /// `highlight_grounding`, nor the summary; `story_periods` is read by `compare`, which
    /// makes its own analysis): a full run writes them as soon as they are made and lets them
    /// go ([`super::plan::Sink`]), so they are not held beside the jobs still running, and an
    /// incremental partitioned run does not read them back (`job::Merge`).
    pub const fn let_go(self) -> bool {
        matches!(
            self,
            Table::ItemThemes
                | Table::ItemTone
                | Table::HighlightSupport
                | Table::StorySides
                | Table::StoryPeriods
        )
    }

    /// The tables an incremental run makes from each changed topic's first changed month
    /// on, taking the topic's earlier rows from the previous run: those of analyses that
    /// read no earlier period and no later month, whose rows of a topic are in date order
    /// (grounding by its digests' months; the items' themes and tone and the period tables by
    /// period). `themes` is made from the restart on too, but later jobs read it whole, so
    /// the plan puts its earlier rows back ([`super::plan::Context`]); it is not listed here.
    pub const fn from_first_changed_month(self) -> bool {
        matches!(
            self,
            Table::HighlightSupport
                | Table::HighlightGrounding
                | Table::ItemThemes
                | Table::ItemTone
                | Table::SideTone
                | Table::ToneWords
                | Table::SourceShares
                | Table::ThemeTrends
                | Table::PerspectiveBalance
                | Table::CoverageProfile
                | Table::CoverageLanguages
        )
    }

    /// The tables whose rows of a restarted topic before its restart are the previous
    /// run's in an incremental run: those [`Self::from_first_changed_month`] lists, and
    /// `themes`, whose earlier rows the plan puts back from the previous table. Partitioned,
    /// their partitions of a year before the restart's can hold no new row, so they are
    /// neither hashed nor written again (`partitions::Scope`).
    pub const fn kept_before_restart(self) -> bool {
        self.from_first_changed_month() || matches!(self, Table::Themes)
    }

    /// The formats the analysis folder holds this table in, when `format` is asked for:
    /// `format`, except that a detail table's CSV is left to `export` when Parquet is
    /// written as well (CSV only, `--format csv`, writes every table as CSV).
    pub fn formats(self, format: Format) -> Format {
        match (self.is_detail(), format) {
            (true, Format::Both) => Format::Parquet,
            _ => format,
        }
    }

    /// The table of that name.
    pub fn from_name(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == name)
    }
}

impl std::fmt::Display for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

// The tables by their names in `spec/tables.md`, as constants.
pub const SOURCE_SHARES: Table = Table::SourceShares;
pub const PERSPECTIVE_BALANCE: Table = Table::PerspectiveBalance;
pub const THEMES: Table = Table::Themes;
pub const THEME_TRENDS: Table = Table::ThemeTrends;
pub const EMERGING_TERMS: Table = Table::EmergingTerms;
pub const BLINDSPOTS: Table = Table::Blindspots;
pub const COVERAGE_PROFILE: Table = Table::CoverageProfile;
pub const COVERAGE_LANGUAGES: Table = Table::CoverageLanguages;
pub const ITEM_THEMES: Table = Table::ItemThemes;
pub const STORIES: Table = Table::Stories;
pub const STORY_ARTICLES: Table = Table::StoryArticles;
pub const STORY_SIDES: Table = Table::StorySides;
pub const STORY_PERIODS: Table = Table::StoryPeriods;
pub const ITEM_TONE: Table = Table::ItemTone;
pub const SIDE_TONE: Table = Table::SideTone;
pub const TONE_WORDS: Table = Table::ToneWords;
pub const HIGHLIGHT_SUPPORT: Table = Table::HighlightSupport;
pub const HIGHLIGHT_GROUNDING: Table = Table::HighlightGrounding;
/// Every analysis table, in the order they are written.
pub const ALL: [Table; 18] = Table::ALL;
