//! How the reports write numbers, and the sentences they say: one place for `48%`, `+3 pts`,
//! `1 article` and every finding in words, shared by the weekly report and the comparison,
//! by HTML and Markdown.

use chrono::NaiveDate;

use super::model::{Change, GroundingRow, MonthChange, Pair, ProfileRow, ToneRow};
use super::view::SideToneRow;

/// A share as a whole percentage: `48%`.
pub fn pct(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

/// "1 article", "3 articles".
pub fn count(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {}", unit.trim_end_matches('s'))
    } else {
        format!("{n} {unit}")
    }
}

/// A value that may be missing: `–` then.
pub fn or_dash(v: Option<String>) -> String {
    v.unwrap_or_else(|| "–".to_string())
}

/// A number of days to one decimal, `–` when missing.
pub fn days(v: Option<f64>) -> String {
    or_dash(v.map(|v| format!("{v:.1}")))
}

/// A balance index to two decimals, `–` when missing.
pub fn index(v: Option<f64>) -> String {
    or_dash(v.map(|v| format!("{v:.2}")))
}

/// A signed change with a real minus sign: `+12`, `−0.05`; `±0.00` when no change shows.
pub fn signed(d: f64, decimals: usize, unit: &str) -> String {
    let shown = format!("{:.*}", decimals, d.abs());
    if d.abs() < 0.5 * 10f64.powi(-(decimals as i32)) {
        format!("±{shown}{unit}")
    } else {
        format!("{}{shown}{unit}", if d > 0.0 { "+" } else { "−" })
    }
}

/// A long date: `22 January 2026`.
pub fn long_date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

impl Change {
    /// `1,234`, `48%` or `0.81`.
    pub fn fmt(&self, v: Option<f64>) -> String {
        match v {
            None => "–".to_string(),
            Some(v) if self.percent => pct(v),
            Some(v) if v.fract() == 0.0 => format!("{v:.0}"),
            Some(v) => format!("{v:.2}"),
        }
    }

    /// "+12", "−3 pts", "±0", or empty without a previous week.
    pub fn delta(&self) -> String {
        let (Some(a), Some(b)) = (self.now, self.before) else { return String::new() };
        let d = if self.percent { (a - b) * 100.0 } else { a - b };
        let unit = if self.percent { " pts" } else { "" };
        if d.abs() < 0.005 {
            "±0".to_string()
        } else if d.fract() == 0.0 || self.percent {
            format!("{}{:.0}{unit}", if d > 0.0 { "+" } else { "−" }, d.abs())
        } else {
            format!("{}{:.2}", if d > 0.0 { "+" } else { "−" }, d.abs())
        }
    }
}

impl ProfileRow {
    /// Column headers of the profile table, right-aligned ones marked.
    pub const HEADERS: [(&'static str, bool); 8] = [
        ("side", false),
        ("articles", true),
        ("languages", false),
        ("median age (days)", true),
        ("max age", true),
        ("titles naming the other side", true),
        ("naming itself", true),
        ("neither", true),
    ];

    /// The row's cells as text, in `HEADERS` order (not escaped).
    pub fn cells(&self) -> [String; 8] {
        [
            self.side.clone(),
            self.articles.to_string(),
            self.languages.clone(),
            days(self.age_median),
            days(self.age_max),
            pct(self.names_other),
            pct(self.names_self),
            pct(self.names_neither),
        ]
    }
}

impl ToneRow {
    /// Column headers of the tone table, right-aligned ones marked.
    pub const HEADERS: [(&'static str, bool); 6] = [
        ("week", false),
        ("side", false),
        ("titles: mean tone (95% interval), items", true),
        ("negative titles", true),
        ("highlights: mean tone", true),
        ("highlights − titles", true),
    ];

    /// The row's cells, in `HEADERS` order.
    pub fn cells(&self) -> [String; 6] {
        [
            self.week.clone(),
            self.side.clone(),
            self.titles.clone(),
            self.negative.clone(),
            self.highlights.clone(),
            self.drift.clone(),
        ]
    }
}

impl GroundingRow {
    /// Column headers of the grounding table.
    pub const HEADERS: [(&'static str, bool); 6] = [
        ("side", false),
        ("bullets", true),
        ("on its own side's titles", true),
        ("on both sides'", true),
        ("only on the other side's", true),
        ("no supporting title found", true),
    ];

    /// The row's cells, in `HEADERS` order.
    pub fn cells(&self) -> [String; 6] {
        [
            self.side.clone(),
            self.bullets.to_string(),
            pct(self.grounded),
            pct(self.both),
            pct(self.cross),
            pct(self.ungrounded),
        ]
    }
}

/// A side's row of the tone table: its titles' tone `t` and its highlights' `h` in `period`.
pub fn tone_row(period: &str, side: &str, t: &SideToneRow, h: Option<&SideToneRow>) -> ToneRow {
    ToneRow {
        week: period.to_string(),
        side: side.to_string(),
        titles: tone_cell(t.mean, t.interval, t.covered, t.few),
        negative: t.share_negative.map_or("–".into(), pct),
        highlights: tone(h.and_then(|h| h.mean)),
        drift: tone(h.and_then(|h| h.drift)),
    }
}

/// A tone score to two decimals with a sign: `+0.12`, `−0.30`, `–` when missing.
pub fn tone(v: Option<f64>) -> String {
    or_dash(v.map(|v| signed(v, 2, "")))
}

/// A side's mean tone with its interval and items; `*` marks too few items to read alone.
pub fn tone_cell(mean: Option<f64>, interval: Option<(f64, f64)>, items: i64, few: bool) -> String {
    let range = interval.map_or(String::new(), |(a, b)| format!(" ({} to {})", tone(Some(a)), tone(Some(b))));
    format!("{}{range}, {items}{}", tone(mean), if few { "*" } else { "" })
}

/// The words that moved a side's titles most: "the China side's titles: war (−8.70, 3×), …".
pub fn tone_words_sentence(side: &str, words: &[(String, i64, f64)]) -> String {
    let w: Vec<String> = words.iter().map(|(w, n, c)| format!("{w} ({}, {n}×)", signed(*c, 2, ""))).collect();
    format!("Words that moved the {side} side's titles most this week: {}.", w.join(", "))
}

/// Where a topic's sides' titles are scored with different lists (`sides`: side name and
/// the list of its titles, `en`, `es` or empty for none), the sentence that says so, with
/// each list's agreement with hand ratings ([`crate::analytics::tone::held_out_rho`]): a
/// difference between such sides may be the lists', not the coverage's. `None` when every
/// side is scored with one list.
pub fn lists_caveat(sides: &[(&str, &str)]) -> Option<String> {
    let first = sides.first()?.1;
    if sides.iter().all(|(_, l)| *l == first) {
        return None;
    }
    let name = |l: &str| match l {
        "en" => "the English list",
        "es" => "the Spanish list",
        _ => "no list (their language has none)",
    };
    let each: Vec<String> = sides.iter().map(|(s, l)| format!("the {s} side's with {}", name(l))).collect();
    let mut used: Vec<&str> = sides.iter().map(|(_, l)| *l).filter(|l| !l.is_empty()).collect();
    used.sort_unstable();
    used.dedup();
    let quality: Vec<String> = used
        .iter()
        .filter_map(|l| {
            crate::analytics::tone::held_out_rho(crate::analytics::col::KIND_TITLE, l)
                .map(|r| format!("{} {r:.2}", name(l)))
        })
        .collect();
    let quality = match quality.is_empty() {
        true => String::new(),
        false => format!(
            " Against hand ratings of held-out titles, Spearman ρ: {} (docs/analysis.md, Tone).",
            quality.join(", ")
        ),
    };
    Some(format!(
        "The sides' titles are scored in different languages: {}.{quality} A difference in tone between these sides may be the lists', not the coverage's.",
        each.join(", ")
    ))
}

/// A bullet the word match found resting on the other side's titles, or on none.
pub fn flagged_sentence(
    side: &str,
    bullet: &str,
    status: &str,
    titles: &[(String, String)],
    low: bool,
) -> String {
    let rest = match status {
        "cross-attributed" => {
            let t: Vec<String> = titles.iter().map(|(t, s)| format!("“{t}” ({s})")).collect();
            format!("rests only on the other side's titles: {}", t.join("; "))
        }
        _ => "no supporting title found by word match".to_string(),
    };
    let note = if low { " (matched across languages: less sure)" } else { "" };
    format!("{side} side: “{bullet}” — {rest}{note}.")
}

/// A theme rising or fading on one side, with its counts.
pub fn trend_sentence(
    theme: &str,
    rising: bool,
    side: &str,
    counts: (i64, i64, f64, f64),
    recurring: bool,
) -> String {
    let (mentions, items, share, mean) = counts;
    format!(
        "{theme} {} on the {side} side: {mentions} of {items} items ({}) against {} on average over the previous weeks{}.",
        if rising { "is rising" } else { "is fading" },
        pct(share),
        pct(mean),
        if recurring { "; a recurring theme" } else { "" }
    )
}

/// Words no theme covers yet, with the items they are in.
pub fn terms_sentence(terms: &[(String, i64)]) -> String {
    let words: Vec<String> = terms.iter().map(|(t, n)| format!("“{t}” ({n} items)")).collect();
    format!("Emerging terms no theme covers yet: {}.", words.join(", "))
}

/// The week's digests that compare no sides: `days` labels them, of `all` digests, with
/// `articles` listed between them.
pub fn unsided_sentence(days: &[String], all: usize, articles: i64) -> String {
    let which = if days.len() == all && all == 1 {
        format!("The week's only digest ({}) compares no sides", days[0])
    } else if days.len() == all {
        format!("None of the week's {all} digests ({}) compares sides", days.join(", "))
    } else {
        format!(
            "{} of the week's {all} digests ({}) compare{} no sides",
            days.len(),
            days.join(", "),
            if days.len() == 1 { "s" } else { "" }
        )
    };
    format!(
        "{which}: the generator's first layout, with no perspectives. Its {} count in the week's article total and source shares, not in any side's balance, themes or profile.",
        count(articles, "articles")
    )
}

/// A side under the low-share threshold for a stretch of digests.
pub fn low_share_sentence(
    side: &str,
    threshold: f64,
    digests: i64,
    days: (NaiveDate, NaiveDate),
    mean: f64,
) -> String {
    format!(
        "The {side} side had under {} of the articles in {digests} consecutive digests, {} to {} (mean share {}).",
        pct(threshold),
        long_date(days.0),
        long_date(days.1),
        pct(mean)
    )
}

/// A story's days: "3 of 7 days, since Tue 20 Jan (9 days in all)".
pub fn story_days(in_week: u32, first: NaiveDate, total_days: i64) -> String {
    format!("{in_week} of 7 days, since {} ({total_days} in all)", first.format("%a %-d %b"))
}

/// The rule a one-sided story meets, for the report: thresholds as the run used them.
pub fn one_sided_rule(min_articles: i64, share: f64, min_linkable: f64) -> String {
    format!(
        "A story is one-sided when it has at least {min_articles} articles, one side carries at least {} of those of known side, and at least {} of each other side's titles are in a language the story's titles could be linked to (the same, or Spanish and English, which the glossary bridges): a side writing in a language the clustering cannot link is not counted as absent.",
        pct(share),
        pct(min_linkable)
    )
}

/// The rule a theme silence meets, for the report.
pub fn silence_rule(min_mentions: i64, min_coverage: f64) -> String {
    format!(
        "A theme silence needs the raising side to name the theme in at least {min_mentions} items and the silent side in none, with at least {} of the silent side's items in languages the theme has keywords for; a theme that names either side itself (Relations with the US, where the US is a side) is no silence between them.",
        pct(min_coverage)
    )
}

/// A language's name for the report, from its primary subtag; the tag itself when unknown.
pub fn language_name(tag: &str) -> String {
    let name = match tag {
        "en" => "English",
        "es" => "Spanish",
        "pt" => "Portuguese",
        "fr" => "French",
        "de" => "German",
        "it" => "Italian",
        "zh" => "Chinese",
        "ja" => "Japanese",
        "ko" => "Korean",
        "ru" => "Russian",
        "uk" => "Ukrainian",
        "vi" => "Vietnamese",
        "ar" => "Arabic",
        "hi" => "Hindi",
        "ur" => "Urdu",
        "" => "undetected",
        other => return other.to_string(),
    };
    name.to_string()
}

/// A side's titles by language.
pub struct LanguageMix {
    /// Side display name.
    pub side: String,
    /// `(language name, share)`, largest first.
    pub languages: Vec<(String, f64)>,
}

/// How sides in different languages were compared, for a topic whose sides' titles are not
/// all in one language.
pub struct LanguageNote {
    /// Each side's name and language mix (language names), largest first.
    pub mixes: Vec<LanguageMix>,
    /// The sides' main languages the lexicon has no theme keywords in (names).
    pub uncovered: Vec<String>,
    /// The sides' main languages the story bridge does not read (names); empty when every
    /// one is bridged (Spanish and English).
    pub unbridged: Vec<String>,
    /// Stories of more than one article this week holding titles in two languages, and all
    /// stories of more than one article.
    pub linked: (usize, usize),
}

/// [`LanguageNote`] in words: each side's mix, how themes and stories saw each language,
/// and which findings rest on links across languages.
pub fn languages_sentence(note: &LanguageNote) -> String {
    let mix: Vec<String> = note
        .mixes
        .iter()
        .map(|m| {
            let l: Vec<String> = m.languages.iter().map(|(l, v)| format!("{l} {}", pct(*v))).collect();
            format!("the {} side {}", m.side, l.join(", "))
        })
        .collect();
    let mut out = format!("The sides' titles are in different languages this week: {}. ", mix.join("; "));
    out.push_str("Themes are counted with the lexicon's keywords in each title's own language (highlights are English)");
    if note.uncovered.is_empty() {
        out.push_str(". ");
    } else {
        out.push_str(&format!(
            "; the lexicon has no keywords in {}, so those titles name no theme and no theme silence is claimed for a side that writes them. ",
            note.uncovered.join(" or ")
        ));
    }
    if note.unbridged.is_empty() {
        let (linked, stories) = note.linked;
        out.push_str(&format!(
            "Stories link Spanish and English titles through shared names, numbers, dates and the project's glossary: {linked} of the week's {stories} {} with more than one article {} titles in both. Such links are less sure than links within one language: on hand-labelled weeks kept back from tuning, {} of the Spanish–English pairs of one story were linked (docs/analysis.md, Stories), so one event may stand as two stories, one in each language.",
            if stories == 1 { "story" } else { "stories" },
            if linked == 1 { "holds" } else { "hold" },
            pct(crate::analytics::stories::CROSS_LANGUAGE_PAIR_RECALL),
        ));
    } else {
        out.push_str(&format!(
            "Stories are compared within each language: the glossary bridges Spanish and English only, so {} titles are never linked to titles in another language, and no story is called one side's only where the other side writes them.",
            note.unbridged.join(" and ")
        ));
    }
    out.push_str(" The rules of one-sided stories and theme silences are below each list.");
    out
}

/// What the one-sided stories of a topic whose sides write Spanish and English rest on: the
/// clustering's recall of pairs across the two ([`crate::analytics::stories::CROSS_LANGUAGE_PAIR_RECALL`]).
pub fn cross_language_caveat() -> String {
    format!(
        "The sides write in different languages, and the clustering links only about {} of the Spanish–English pairs of one story (hand-labelled weeks kept back from tuning): a story counted as one side's may also have been told by the other side in its own language.",
        pct(crate::analytics::stories::CROSS_LANGUAGE_PAIR_RECALL)
    )
}

/// For `compare`: [`cross_language_caveat`] when the sides' titles are scored by the Spanish
/// and the English list (`lists`: each side and its list), so written in the two languages
/// the clustering links only in part.
pub fn stories_caveat(lists: &[(&str, &str)]) -> Option<String> {
    let has = |language: &str| lists.iter().any(|(_, l)| *l == language);
    (has("en") && has("es")).then(cross_language_caveat)
}

/// One side's one-sided stories of the week: how many, the week's articles they hold, and
/// the largest.
pub fn one_sided_sentence(
    side: &str,
    stories: usize,
    articles: u32,
    week_articles: u32,
    largest: (&str, i64, i64),
) -> String {
    let (title, n, days) = largest;
    format!(
        "Only the {side} side covered {stories} {} this week, holding {articles} of the week's {week_articles} articles ({}); the largest: “{title}” ({n} {} over {days} {} in all).",
        if stories == 1 { "story" } else { "stories" },
        pct(f64::from(articles) / f64::from(week_articles.max(1))),
        if n == 1 { "article" } else { "articles" },
        if days == 1 { "day" } else { "days" },
    )
}

/// A side raising a theme another side never mentions.
pub fn silence_sentence(
    side: &str,
    theme: &str,
    counts: (i64, i64),
    other: &str,
    other_items: i64,
) -> String {
    format!(
        "The {side} side raised {theme} in {} of its {} items; the {other} side, with {other_items} items, never mentioned it.",
        counts.0, counts.1
    )
}

/// "Xinhua 12% → 18% (20 → 31 articles)".
pub fn move_text(p: &Pair, unit: &str) -> String {
    let (b, a) = (p.before, p.after);
    format!("{} {} → {} ({} → {} {unit})", p.name, pct(b.share), pct(a.share), b.count, a.count)
}

/// What changed between two months of a topic, in sentences with counts.
pub fn change_sentences(c: &MonthChange) -> Vec<String> {
    let mut out = Vec::new();
    if let Some((x, y)) = c.balance {
        let sides: Vec<String> = c.sides.iter().map(|p| move_text(p, "articles")).collect();
        let shift = signed(y - x, 2, "");
        out.push(format!("Balance index {x:.2} → {y:.2} ({shift}); {}.", sides.join(", ")));
    }
    let o = &c.outlets;
    if !o.appeared.is_empty() {
        let v: Vec<String> =
            o.appeared.iter().map(|p| format!("{} ({})", p.name, count(p.after.count, "articles"))).collect();
        out.push(format!("Outlets that appeared: {}.", v.join(", ")));
    }
    if !o.vanished.is_empty() {
        let v: Vec<String> = o
            .vanished
            .iter()
            .map(|p| format!("{} (had {})", p.name, count(p.before.count, "articles")))
            .collect();
        out.push(format!("Outlets that vanished: {}.", v.join(", ")));
    }
    if !o.moved.is_empty() {
        let v: Vec<String> = o.moved.iter().map(|p| move_text(p, "articles")).collect();
        out.push(format!("Biggest moves in outlet share: {}.", v.join("; ")));
    }
    if !c.themes.moved.is_empty() {
        let v: Vec<String> = c.themes.moved.iter().map(|p| move_text(p, "items")).collect();
        out.push(format!("Biggest moves in theme share: {}.", v.join("; ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_scored_with_different_lists_are_said_to_be() {
        // The lists' held-out ρ: English 0.533, Spanish 0.336 (analytics::tone::HELD_OUT_RHO).
        assert_eq!(lists_caveat(&[("US", "en"), ("China", "en")]), None);
        assert_eq!(lists_caveat(&[]), None);
        assert_eq!(
            lists_caveat(&[("US", "en"), ("Venezuelan", "es")]).unwrap(),
            "The sides' titles are scored in different languages: the US side's with the English list, \
             the Venezuelan side's with the Spanish list. Against hand ratings of held-out titles, \
             Spearman ρ: the English list 0.53, the Spanish list 0.34 (docs/analysis.md, Tone). A \
             difference in tone between these sides may be the lists', not the coverage's."
        );
        // A side no list covers is named, and has no score to quote.
        let s = lists_caveat(&[("China", "en"), ("Japan", "")]).unwrap();
        assert!(s.contains("the Japan side's with no list (their language has none)"), "{s}");
        assert!(s.contains("Spearman ρ: the English list 0.53 ("), "{s}");
    }

    #[test]
    fn one_sided_stories_of_sides_in_spanish_and_english_say_what_they_rest_on() {
        // The held-out recall of Spanish–English pairs, 0.534, as the reports round it: 53%.
        let s = stories_caveat(&[("US", "en"), ("Venezuelan", "es")]).unwrap();
        assert!(s.contains("links only about 53% of the Spanish–English pairs of one story"), "{s}");
        assert_eq!(stories_caveat(&[("Venezuelan", "es"), ("US", "en"), ("Other", "en")]), Some(s));
        // Sides of one language, or of languages the clustering does not bridge: no caveat
        // (the rule already keeps unbridged sides from being counted absent).
        assert_eq!(stories_caveat(&[("US", "en"), ("China", "en")]), None);
        assert_eq!(stories_caveat(&[("China", "en"), ("Japan", "")]), None);
        assert_eq!(stories_caveat(&[]), None);
    }

    #[test]
    fn numbers() {
        assert_eq!(pct(0.4849), "48%");
        assert_eq!(count(1, "articles"), "1 article");
        assert_eq!(count(3, "articles"), "3 articles");
        let labels = |d: &[&str]| d.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            unsided_sentence(&labels(&["Sat 11 Oct"]), 1, 10),
            "The week's only digest (Sat 11 Oct) compares no sides: the generator's first layout, with no perspectives. Its 10 articles count in the week's article total and source shares, not in any side's balance, themes or profile."
        );
        assert!(unsided_sentence(&labels(&["Sat 11 Oct"]), 2, 1)
            .starts_with("1 of the week's 2 digests (Sat 11 Oct) compares no sides: "));
        assert!(unsided_sentence(&labels(&["Sat", "Sun"]), 2, 2)
            .starts_with("None of the week's 2 digests (Sat, Sun) compares sides: "));
        assert_eq!(signed(0.004, 2, ""), "±0.00");
        assert_eq!(signed(-0.05, 2, ""), "−0.05");
        assert_eq!(signed(12.0, 0, " pts"), "+12 pts");
        assert_eq!(days(None), "–");
    }
}
