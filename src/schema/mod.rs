//! The table contract as data: every exported table and column with its type, unit and
//! meaning. Export writes `datapackage.json` and the data dictionary from it, so the
//! description researchers cite is the one the code writes.

/// A column's type in Frictionless Table Schema terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// Text.
    String,
    /// Whole number.
    Integer,
    /// Real number.
    Number,
    /// `true` / `false`.
    Boolean,
    /// `2026-01-22`.
    Date,
    /// RFC 3339 UTC, `2026-01-22T04:00:56.766Z`.
    Datetime,
}

impl Type {
    /// The Frictionless type name.
    pub fn as_str(self) -> &'static str {
        match self {
            Type::String => "string",
            Type::Integer => "integer",
            Type::Number => "number",
            Type::Boolean => "boolean",
            Type::Date => "date",
            Type::Datetime => "datetime",
        }
    }
}

/// One column.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// Column name.
    pub name: &'static str,
    /// Type.
    pub kind: Type,
    /// Unit, where one applies (`articles`, `share 0–1`, `days`).
    pub unit: &'static str,
    /// Meaning.
    pub description: &'static str,
}

/// One table.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    /// Table (and file stem) name.
    pub name: &'static str,
    /// What a row is.
    pub description: &'static str,
    /// Its columns, in file order.
    pub fields: &'static [Field],
}

const fn f(name: &'static str, kind: Type, unit: &'static str, description: &'static str) -> Field {
    Field { name, kind, unit, description }
}

use Type::{Boolean as B, Date as D, Datetime as T, Integer as I, Number as N, String as S};

const KEYS: [Field; 3] = [
    f("digest_id", S, "", "stable id of the digest (topic, date and a hash of its path)"),
    f("topic", S, "", "topic slug, the key every analysis groups by"),
    f("digest_date", D, "", "calendar date of the digest's `date`, in its own offset"),
];

const PERIOD: [Field; 4] = [
    f("topic", S, "", "topic slug"),
    f("period", S, "", "ISO week (2026-W04) or month (2026-01)"),
    f("period_start", D, "", "first day of the period"),
    f("period_end", D, "", "last day of the period"),
];

macro_rules! fields {
    ($($part:expr),* $(,)?) => {{
        const LEN: usize = 0 $(+ $part.len())*;
        const OUT: [Field; LEN] = {
            let mut out = [f("", S, "", ""); LEN];
            let mut k = 0;
            $(
                let part: &[Field] = &$part;
                let mut i = 0;
                while i < part.len() {
                    out[k] = part[i];
                    k += 1;
                    i += 1;
                }
            )*
            out
        };
        &OUT
    }};
}

/// Every table biaslens writes, extracted then analysis, in export order.
pub const TABLES: &[Table] = &[
    Table {
        name: "digests",
        description: "one row per digest file that could be read",
        fields: &[
            KEYS[0],
            f("source_path", S, "", "path of the digest file, relative to the input folder"),
            KEYS[1],
            f("topic_name", S, "", "display name of the topic"),
            f("title", S, "", "display title"),
            f("published_at", T, "", "when the digest was generated, UTC"),
            KEYS[2],
            f("iso_week", S, "", "ISO week of digest_date"),
            f("draft", B, "", "Hugo draft flag"),
            f("superseded", B, "", "a later non-draft digest exists for the same topic and day"),
            f("article_count_declared", I, "articles", "articleCount of the frontmatter"),
            f("article_count_listed", I, "articles", "source lines parsed"),
            f("highlight_count", I, "bullets", "highlight bullets parsed"),
            f("layout", S, "", "current (a perspectives list), older (the generator's first weeks: sides from <id>Sources keys and headings) or first (its very first file: no sides at all)"),
        ],
    },
    Table {
        name: "perspectives",
        description: "one row per perspective (side) a digest declares",
        fields: fields![
            KEYS,
            [
                f("perspective_id", S, "", "id of the side"),
                f("perspective_name", S, "", "display name of the side"),
                f("perspective_order", I, "", "1-based position in the frontmatter"),
                f("declared_count", I, "articles", "count declared for the side"),
                f("listed_count", I, "articles", "articles of the Sources list assigned to the side"),
            ]
        ],
    },
    Table {
        name: "articles",
        description: "one row per source line of a digest",
        fields: fields![
            KEYS,
            [
                f("position", I, "", "the number as written in the Sources list"),
                f("perspective_id", S, "", "the side the article belongs to; empty if it cannot be told"),
                f("outlet", S, "", "outlet name exactly as written"),
                f("outlet_id", S, "", "canonical outlet id (registry data/outlets.yaml, or a slug)"),
                f("language", S, "", "ISO 639-1 language of the title, detected from its text with the feed's language as the prior (see language_method); empty when too short to tell and without a feed tag"),
                f("title", S, "", "article title as written"),
                f("url", S, "", "article link"),
                f("published_date", D, "", "the article's date, or empty"),
                f("source_line", I, "", "line of the digest file the article comes from"),
                f("side_method", S, "", "the rule that placed the article: position, generator-order, feed-tag, corpus, registry, unknown, or no-sides (the digest compares no sides)"),
                f("ownership", S, "", "state, public or private (registry); empty if unknown"),
                f("outlet_country", S, "", "country of the outlet (registry); empty if unknown"),
                f("feed", S, "", "the source line's bracketed tag, language-REGION of the feed the article came from (en-IN); empty if none"),
                f("language_method", S, "", "how language was decided: detected (the detector, agreeing with the feed or without one), feed (the feed's language: the title too short, or the detector's other answer not backed by the title's words or script), detected-over-feed (the detector against the feed, backed by them), too-short (no language)"),
            ]
        ],
    },
    Table {
        name: "highlights",
        description: "one row per highlight bullet",
        fields: fields![
            KEYS,
            [
                f("section", S, "", "overall, the perspective id of its section, or differences (the older layout's Key Differences in Coverage)"),
                f("position", I, "", "1-based within its section, nested bullets in reading order"),
                f("text", S, "", "plain text, inline Markdown removed, wrapped lines joined"),
                f("source_line", I, "", "line of the digest file where the bullet starts"),
                f("depth", I, "", "nesting depth, 0 for a top-level bullet"),
            ]
        ],
    },
    Table {
        name: "summaries",
        description: "one row per prose paragraph of a digest (the summaries of the older and first layouts)",
        fields: fields![
            KEYS,
            [
                f("section", S, "", "overall, or the perspective id of its section"),
                f("position", I, "", "1-based within its section"),
                f("text", S, "", "plain text, inline Markdown removed, lines joined"),
                f("source_line", I, "", "line of the digest file where the paragraph starts"),
            ]
        ],
    },
    Table {
        name: "problems",
        description: "one row per thing in the digest files that could not be understood",
        fields: &[
            f("source_path", S, "", "the file"),
            f("line", I, "", "1-based line in the file; empty for a whole-file problem"),
            f(
                "severity",
                S,
                "",
                "error (not used), warning (used, something off), notice (skipped by design)",
            ),
            f("kind", S, "", "machine-readable problem code"),
            f("message", S, "", "what is wrong and what to do"),
        ],
    },
    Table {
        name: "source_shares",
        description: "articles per outlet and side in each topic-period",
        fields: fields![
            PERIOD,
            [
                f("perspective_id", S, "", "side; empty for articles of unknown side"),
                f("outlet_id", S, "", "canonical outlet id"),
                f("articles", I, "articles", "articles of the outlet and side"),
                f("share", N, "share 0–1", "articles ÷ all articles of the topic in the period"),
            ]
        ],
    },
    Table {
        name: "perspective_balance",
        description: "one row per declared side in each topic-period with articles of known side",
        fields: fields![
            PERIOD,
            [
                f("perspective_id", S, "", "side"),
                f("articles", I, "articles", "articles of the side"),
                f("share", N, "share 0–1", "articles ÷ articles of known side in the topic-period"),
                f(
                    "balance_index",
                    N,
                    "0–1",
                    "normalised Shannon entropy H / ln k of the shares of the k declared sides"
                ),
                f("perspective_name", S, "", "display name of the side"),
                f("perspective_order", I, "", "position of the side in the frontmatter"),
                f("perspectives_declared", I, "sides", "k, the sides declared for the topic in the period"),
            ]
        ],
    },
    Table {
        name: "themes",
        description: "one row per lexicon theme for every topic-period-section with items",
        fields: fields![
            PERIOD,
            [
                f("section", S, "", "overall, or a perspective id"),
                f("theme", S, "", "theme id of the lexicon data/themes.yaml"),
                f("mentions", I, "items", "items naming the theme (once per item)"),
                f("items", I, "items", "highlights of the section, plus titles of the side's articles"),
                f("share", N, "share 0–1", "mentions ÷ items"),
                f("theme_name", S, "", "display name of the theme"),
                f("period_index", I, "periods", "calendar index of the period, for windows"),
                f(
                    "covered_items",
                    I,
                    "items",
                    "items in a language the theme has keywords for (titles by their language, highlights English)"
                ),
                f("names_section", B, "", "the theme's keywords name the section's side itself (us-relations for us)"),
            ]
        ],
    },
    Table {
        name: "theme_trends",
        description: "the themes rows with their trailing statistics and trend labels",
        fields: fields![
            PERIOD,
            [
                f("section", S, "", "overall, or a perspective id"),
                f("theme", S, "", "theme id"),
                f("mentions", I, "items", "items naming the theme"),
                f("items", I, "items", "items of the section"),
                f("share", N, "share 0–1", "mentions ÷ items"),
                f(
                    "trailing_mean",
                    N,
                    "share 0–1",
                    "mean share over the previous periods of the window that had items"
                ),
                f("trailing_periods", I, "periods", "periods of the window that had items"),
                f(
                    "periods_present",
                    I,
                    "periods",
                    "periods of the last four (this one included) naming the theme"
                ),
                f("recurring", B, "", "present in at least three of the last four periods"),
                f("trend", S, "", "rising, fading, steady, or empty without history"),
                f("covered_items", I, "items", "items in a language the theme has keywords for"),
            ]
        ],
    },
    Table {
        name: "emerging_terms",
        description: "words and phrases no theme covers yet, ranked against the trailing periods, for the latest 12 periods",
        fields: fields![
            PERIOD,
            [
                f("rank", I, "", "rank within the topic-period"),
                f("term", S, "", "word or two-word phrase, lowercase"),
                f("items", I, "items", "items of the period containing the term"),
                f("trailing_mean", N, "items", "mean items per period over the trailing window"),
                f("score", N, "", "items ÷ (trailing_mean + 1)"),
            ]
        ],
    },
    Table {
        name: "blindspots",
        description:
            "one-sided coverage: low-share runs of a side, and themes one side raises while another is silent",
        fields: &[
            f("kind", S, "", "low-share-run or theme-silence"),
            f("topic", S, "", "topic slug"),
            f("perspective_id", S, "", "the side that is low, or that raises the theme"),
            f("start_date", D, "", "low-share-run: first digest date of the run"),
            f("end_date", D, "", "low-share-run: last digest date of the run"),
            f("digests", I, "digests", "low-share-run: consecutive digests in the run"),
            f("mean_share", N, "share 0–1", "low-share-run: mean share of the side"),
            f("max_share", N, "share 0–1", "low-share-run: highest share of the side"),
            f("articles", I, "articles", "low-share-run: articles of the side in the run"),
            f("all_articles", I, "articles", "low-share-run: all articles of known side in the run"),
            f("period", S, "", "theme-silence: the period"),
            f("period_start", D, "", "theme-silence: first day"),
            f("period_end", D, "", "theme-silence: last day"),
            f("theme", S, "", "theme-silence: theme id"),
            f("mentions", I, "items", "theme-silence: items of the raising side naming the theme"),
            f("items", I, "items", "theme-silence: items of the raising side"),
            f("share", N, "share 0–1", "theme-silence: mentions ÷ items"),
            f("other_perspective_id", S, "", "theme-silence: the silent side"),
            f("other_mentions", I, "items", "theme-silence: its mentions (0)"),
            f("other_items", I, "items", "theme-silence: its items"),
            f("threshold", N, "share 0–1", "low-share threshold used"),
            f("min_run", I, "digests", "minimum run length used"),
            f("silence_min_mentions", I, "items", "mentions needed to count as raising a theme"),
            f("other_covered_items", I, "items", "theme-silence: the silent side's items in languages the theme covers"),
            f("silence_rule", S, "", "theme-silence: how the silence was decided, in words"),
            f(
                "silence_min_coverage",
                N,
                "share 0–1",
                "share of the silent side's items the theme's languages must cover"
            ),
        ],
    },
    Table {
        name: "coverage_profile",
        description: "per side and period: articles, their age, and which sides their titles name",
        fields: fields![
            PERIOD,
            [
                f("perspective_id", S, "", "side"),
                f("articles", I, "articles", "articles of the side"),
                f("dated_articles", I, "articles", "articles with a date"),
                f("age_median_days", N, "days", "median of digest date − article date"),
                f("age_max_days", N, "days", "maximum of digest date − article date"),
                f("names_other", I, "articles", "titles naming another side of the digest"),
                f("names_self", I, "articles", "titles naming the side itself"),
                f("names_neither", I, "articles", "titles naming neither"),
                f("share_names_other", N, "share 0–1", "names_other ÷ articles"),
                f("share_names_self", N, "share 0–1", "names_self ÷ articles"),
                f("share_names_neither", N, "share 0–1", "names_neither ÷ articles"),
            ]
        ],
    },
    Table {
        name: "coverage_languages",
        description: "per side and period: articles per language",
        fields: fields![
            PERIOD,
            [
                f("perspective_id", S, "", "side"),
                f("language", S, "", "BCP 47 tag, empty when not given"),
                f("articles", I, "articles", "articles in the language"),
                f("share", N, "share 0–1", "of the side's articles in the period"),
            ]
        ],
    },
    Table {
        name: "item_themes",
        description: "one row per item (highlight or title) and theme it counts for in themes: the lines behind every theme share",
        fields: &[
            KEYS[0],
            KEYS[1],
            f("section", S, "", "overall, differences, or the perspective id of a side's highlights or article"),
            f("position", I, "", "the bullet's position in its section, or the article's number in the Sources list"),
            f("kind", S, "", "highlight or title"),
            f("theme", S, "", "theme id of the lexicon"),
            f("keyword", S, "", "the lexicon keyword that matched (the first, as the lexicon spells it)"),
        ],
    },
    Table {
        name: "stories",
        description: "one row per story: the articles of a topic that tell the same event (docs/analysis.md, Stories)",
        fields: &[
            f("story_id", S, "", "topic:first_date:n, n numbering the stories that start that day"),
            KEYS[1],
            f("first_date", D, "", "digest date of its first article"),
            f("last_date", D, "", "digest date of its last article"),
            f("days", I, "days", "distinct digest dates with an article of the story"),
            f("articles", I, "articles", "articles in the story"),
            f("outlets", I, "outlets", "distinct outlets"),
            f("sides", I, "sides", "sides with at least one article"),
            f("side_articles", S, "", "articles per side, id=count; in id order"),
            f("unknown_side_articles", I, "articles", "articles whose side is unknown"),
            f("top_perspective_id", S, "", "the side with most articles (ties: first id)"),
            f("top_share", N, "share 0–1", "its articles ÷ articles of known side"),
            f(
                "one_sided",
                B,
                "",
                "articles ≥ min_articles, top_share ≥ one_sided_share and linkable_share ≥ one_sided_min_linkable"
            ),
            f("min_articles", I, "articles", "threshold of this run (--one-sided-min)"),
            f("one_sided_share", N, "share 0–1", "threshold of this run (--one-sided-share)"),
            f("first_perspective_id", S, "", "the side that carried it first; empty when sides start the same day"),
            f("pickup_lag_days", I, "days", "days from the first side's first article to the second side's; empty with one side"),
            f("reprint_outlets", I, "outlets", "most outlets carrying one same normalised title (1: no reprint)"),
            f("representative_title", S, "", "the most central title, as written"),
            f("representative_digest_id", S, "", "digest of the representative article"),
            f("representative_position", I, "", "its number in that digest's Sources list"),
            f("languages", S, "", "articles per title language (primary subtag), lang=count; in language order"),
            f(
                "linkable_share",
                N,
                "share 0–1",
                "lowest, over the topic's other sides, share of a side's titles in languages this story's titles could be linked to (the same, or both bridged: es, en); empty with no other side"
            ),
            f(
                "one_sided_min_linkable",
                N,
                "share 0–1",
                "one_sided also needs linkable_share at least this (a side in a language the clustering cannot link is not absent)"
            ),
            f(
                "bridged_share",
                N,
                "share 0–1",
                "highest, over the topic's other sides, share of a side's titles linkable to this story's only across Spanish and English (a language none of its titles has); empty with no other side"
            ),
            f(
                "cross_language_pair_recall",
                N,
                "share 0–1",
                "where bridged_share > 0: the share of Spanish–English pairs of one story the clustering links (hand-labelled held-out weeks), so how far another side's absence can rest on such links; empty otherwise"
            ),
        ],
    },
    Table {
        name: "story_articles",
        description: "one row per article of the analysed digests: its story",
        fields: &[
            KEYS[0],
            KEYS[1],
            f("position", I, "", "the article's number in the Sources list (with digest_id, the article in `articles`)"),
            f("story_id", S, "", "its story (stories.story_id)"),
            f("similarity", N, "cosine 0–1", "similarity of its title to the story's representative title"),
            f("normalised_title", S, "", "the title as compared: outlet suffix removed, lower case, letters only"),
        ],
    },
    Table {
        name: "story_sides",
        description: "one row per story and side covering it: the side's lifetime and pickup lag",
        fields: &[
            f("story_id", S, "", "the story"),
            KEYS[1],
            f("perspective_id", S, "", "side"),
            f("articles", I, "articles", "the side's articles in the story"),
            f("first_date", D, "", "the side's first digest date in the story"),
            f("last_date", D, "", "its last"),
            f("days", I, "days", "distinct digest dates with an article of the side"),
            f("lifetime_days", I, "days", "last_date − first_date + 1"),
            f("lag_days", I, "days", "first_date − the story's first_date (0: the side was there first)"),
        ],
    },
    Table {
        name: "story_periods",
        description: "per topic and period: stories and the coverage one-sided stories hold",
        fields: fields![
            PERIOD,
            [
                f("stories", I, "stories", "stories with an article in the period"),
                f("one_sided_stories", I, "stories", "of which one-sided (stories.one_sided)"),
                f("articles", I, "articles", "articles in the period"),
                f("one_sided_articles", I, "articles", "articles in one-sided stories"),
                f("one_sided_article_share", N, "share 0–1", "one_sided_articles ÷ articles"),
            ]
        ],
    },    Table {
        name: "item_tone",
        description: "one row per item (highlight or title) themes are counted over: its tone in its own language (docs/analysis.md, Tone); one title says little, read side_tone",
        fields: &[
            KEYS[0],
            KEYS[1],
            f("section", S, "", "overall, differences, or the perspective id of a side's highlights or article"),
            f("position", I, "", "the bullet's position in its section, or the article's number in the Sources list"),
            f("kind", S, "", "highlight or title"),
            f("tone", N, "score −1–1", "VADER's compound score of the text; empty when no lexicon covers its language"),
            f("positive", I, "words", "words of positive valence (after negation)"),
            f("negative", I, "words", "words of negative valence (after negation)"),
            f("words", I, "words", "words of the text; empty when no lexicon covers its language"),
            f("lexicon", S, "", "en (VADER with the project's overrides), es (the project's list), or empty"),
        ],
    },
    Table {
        name: "side_tone",
        description: "per topic, period, side and kind (highlights or titles): the side's tone, GDELT's way and as a mean of item scores with a bootstrap interval (docs/analysis.md, Tone)",
        fields: fields![
            PERIOD,
            [
                f("perspective_id", S, "", "side"),
                f("kind", S, "", "highlight or title"),
                f("items", I, "items", "the side's items of that kind in the period"),
                f("covered_items", I, "items", "of which in a language a tone lexicon covers (scored)"),
                f("words", I, "words", "words of the scored items"),
                f("positive_pct", N, "% of words", "positive words ÷ words × 100"),
                f("negative_pct", N, "% of words", "negative words ÷ words × 100"),
                f("tone", N, "percentage points", "positive_pct − negative_pct (GDELT's tone)"),
                f("polarity", N, "% of words", "positive_pct + negative_pct: how much of the wording is tonal"),
                f("coverage", N, "share 0–1", "covered_items ÷ items"),
                f("mean_item_tone", N, "score −1–1", "mean of the scored items' tone"),
                f("share_negative", N, "share 0–1", "scored items with tone ≤ −0.05"),
                f("ci_low", N, "score −1–1", "bootstrap 95% interval of mean_item_tone, low end; empty under 2 items"),
                f("ci_high", N, "score −1–1", "its high end"),
                f("few_items", B, "", "covered_items < min_items: read with care (marked, not hidden)"),
                f("min_items", I, "items", "threshold of this run"),
                f("lexicon", S, "", "the lexicon that scored most of the items (en, es)"),
                f("lexicon_rho", N, "Spearman ρ", "how well that lexicon's scores of items of this kind ranked held-out hand-rated items as a reader did (docs/analysis.md, Tone; titles: en 0.533, es 0.336; highlights: 0.642); two sides whose lexicons differ in it are not scored equally well; empty when no lexicon scored the items"),
                f("drift", N, "score −1–1", "on highlight rows: the highlights' mean_item_tone − the titles' of the same side and period"),
            ]
        ],
    },
    Table {
        name: "tone_words",
        description: "per topic, period, side and kind: the 10 words that moved the side's tone most (either sign), so a reader can audit side_tone",
        fields: &[
            f("topic", S, "", "topic slug"),
            f("period", S, "", "ISO week (2026-W04) or month (2026-01)"),
            f("perspective_id", S, "", "side"),
            f("kind", S, "", "highlight or title"),
            f("word", S, "", "the word as the lexicon spells it (lower case; a Spanish word with its accents as the list writes it, tensión, unless two spellings of the list fold together: then folded); matched in the texts accent-folded"),
            f("lexicon", S, "", "en or es"),
            f("occurrences", I, "words", "times it was scored in the side's items"),
            f("contribution", N, "valence", "sum of its valences after negation and degree adverbs"),
        ],
    },
    Table {
        name: "highlight_support",
        description: "per highlight bullet, the titles of its digest that support it by word match, best first (docs/analysis.md, Grounding)",
        fields: &[
            KEYS[0],
            KEYS[1],
            f("section", S, "", "the bullet's section: overall, differences, or a perspective id"),
            f("position", I, "", "the bullet's position in its section"),
            f("article_position", I, "", "the supporting article's number in the Sources list"),
            f("perspective_id", S, "", "the supporting article's side; empty when unknown"),
            f("score", N, "share 0–1", "share of the bullet's rarity-weighted words (and names) the title has"),
            f("same_side", B, "", "the title is of the bullet's own side; empty for overall and differences bullets"),
            f("rank", I, "", "1 = best supporting title"),
        ],
    },
    Table {
        name: "highlight_grounding",
        description: "one row per highlight bullet: whether it rests on its own side's titles, by word match (docs/analysis.md, Grounding)",
        fields: &[
            KEYS[0],
            KEYS[1],
            KEYS[2],
            f("section", S, "", "the bullet's section: overall, differences, or a perspective id"),
            f("position", I, "", "the bullet's position in its section"),
            f(
                "status",
                S,
                "",
                "grounded (only its own side's titles support it), cross-attributed (only another side's), both, ungrounded (no supporting title found by word match), not-assessed (no side, or no titles)"
            ),
            f("support", S, "", "supporting article positions, best first, ;-separated"),
            f("best", N, "share 0–1", "the best title's score, any side"),
            f("best_own", N, "share 0–1", "the best score among its own side's titles; empty without a side"),
            f("best_other", N, "share 0–1", "the best score among the other sides' titles"),
            f("margin", N, "share 0–1", "best_own − best_other"),
            f("confidence", S, "", "high, or low where the titles it rests on are not in the bullet's language (English)"),
            f("support_min", N, "share 0–1", "threshold of this run: the score from which a title supports"),
            f("names_weight", N, "share 0–1", "setting of this run: weight of names and numbers in the score"),
            f("comparable", N, "share 0–1", "setting of this run: a side's best score counts when ≥ this share of the other side's best"),
        ],
    },
];

/// A table of the contract by name.
pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

mod manual;
pub use manual::manual;
