//! The theme lexicon (`data/themes.yaml`) and the keyword matcher built from it.
//!
//! Matching rules (documented for users in the YAML file itself): Latin-script keywords
//! match whole words case-insensitively with plurals and without accents (`sanción` matches
//! "SANCIONES"); a keyword ending in `*` is a stem matched at the start of a word
//! (`económic*`); keywords in capitals match only in capitals; Cyrillic keywords are stems
//! matched at the start of a word; CJK keywords match as substrings. All keywords of all labels go into one Aho-Corasick automaton, so a text
//! is scanned once whatever the size of the lexicon.

use std::collections::BTreeMap;
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use anyhow::Context;
use serde::Deserialize;

/// Most themes a lexicon may hold: an item's themes are counted as bits of one `u64`.
pub const MAX_THEMES: usize = 64;

/// One theme of the lexicon.
#[derive(Debug, Clone, Deserialize)]
pub struct Theme {
    /// Stable id written to tables (`rare-earths`).
    pub id: String,
    /// Display name (`Rare earths and critical minerals`).
    pub name: String,
    /// Keywords by language code. Matching ignores the language; the codes say which
    /// languages the theme can see ([`Lexicon::covered`]).
    pub keywords: BTreeMap<String, Vec<String>>,
    /// The sides (perspective ids) the theme names by definition ([`Lexicon::names_side`]).
    #[serde(default)]
    pub sides: Vec<String>,
}

/// The whole lexicon file.
#[derive(Debug, Clone, Deserialize)]
pub struct Lexicon {
    /// Themes, in display order.
    pub themes: Vec<Theme>,
    /// Words naming each side (country), by perspective id.
    #[serde(default)]
    pub sides: BTreeMap<String, Vec<String>>,
    /// Words never proposed as emerging terms.
    #[serde(default)]
    pub stopwords: Vec<String>,
}

impl Lexicon {
    /// A theme's display name, or its id when the lexicon has no such theme.
    pub fn theme_name(&self, id: &str) -> String {
        self.themes.iter().find(|t| t.id == id).map_or(id.to_string(), |t| t.name.clone())
    }

    /// Parses lexicon YAML; `origin` names it in errors.
    pub fn from_yaml(text: &str, origin: &str) -> anyhow::Result<Self> {
        let lex: Lexicon = serde_yaml::from_str(text)
            .with_context(|| format!("{origin}: the theme lexicon is not valid; fix the YAML"))?;
        anyhow::ensure!(
            lex.themes.len() <= MAX_THEMES,
            "{origin}: the lexicon has {} themes and biaslens counts at most {MAX_THEMES}; merge some",
            lex.themes.len()
        );
        for (i, t) in lex.themes.iter().enumerate() {
            anyhow::ensure!(
                !lex.themes[..i].iter().any(|u| u.id == t.id),
                "{origin}: theme id `{}` is used twice; give each theme its own id",
                t.id
            );
            anyhow::ensure!(
                t.keywords.values().flatten().any(|k| !k.trim().is_empty()),
                "{origin}: theme `{}` has no keywords; add some under `keywords:`",
                t.id
            );
        }
        Ok(lex)
    }

    /// Reads the lexicon file.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the theme lexicon {}", path.display()))?;
        Self::from_yaml(&text, &path.display().to_string())
    }

    /// The themes with keywords in `language` (a BCP 47 tag; its first subtag counts, so
    /// `es-VE` is `es`), as a bit set, bit `i` for theme `i`: what the lexicon can see in a
    /// text of that language. An unknown language is covered by no theme.
    pub fn covered(&self, language: Option<&str>) -> u64 {
        let Some(primary) = language.map(crate::lang::primary_subtag).filter(|l| !l.is_empty()) else {
            return 0;
        };
        self.themes
            .iter()
            .enumerate()
            .filter(|(_, t)| {
                t.keywords
                    .iter()
                    .any(|(l, k)| l.eq_ignore_ascii_case(primary) && k.iter().any(|k| !k.trim().is_empty()))
            })
            .fold(0, |bits, (i, _)| bits | 1 << i)
    }

    /// Whether theme `theme` names side `side` itself (its `sides:` list: `us-relations`
    /// names the `us` side). A side's titles name such a theme when they speak of the side
    /// at all, so its absence there is no silence.
    pub fn names_side(&self, theme: &Theme, side: &str) -> bool {
        theme.sides.iter().any(|s| s == side)
    }

    /// A matcher whose labels are the theme ids.
    pub fn theme_matcher(&self) -> Matcher {
        Matcher::new(
            self.themes.iter().map(|t| (t.id.clone(), t.keywords.values().flatten().cloned().collect())),
        )
    }

    /// A matcher whose labels are side ids: the lexicon's words plus the extra names given
    /// (perspective names from the data), so a side the lexicon does not list still matches.
    pub fn side_matcher(&self, extra: &[(String, String)]) -> Matcher {
        let mut sides = self.sides.clone();
        for (id, name) in extra {
            let words = sides.entry(id.clone()).or_default();
            for w in [id, name] {
                if !words.iter().any(|x| x.eq_ignore_ascii_case(w)) {
                    words.push(w.clone());
                }
            }
        }
        Matcher::new(sides.into_iter())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// Whole word, with `s`/`es` plurals.
    Word,
    /// Start of a word, any ending (Cyrillic stems, and keywords written with a final `*`).
    Stem,
    /// Anywhere (CJK).
    Substring,
}

/// Whether `c` is in a script written without spaces between words (Chinese characters,
/// kana, half-width kana, Hangul): keywords in them match anywhere, and emerging terms do not
/// split them into words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xAC00..=0xD7AF | 0x1100..=0x11FF | 0xFF66..=0xFF9F)
}

fn is_cyrillic(c: char) -> bool {
    matches!(c as u32, 0x0400..=0x04FF)
}

/// Text as the case-insensitive automaton sees it: lowercase, hyphens as spaces.
fn fold(text: &str) -> String {
    let mut out = String::new();
    fold_into(text, &mut out);
    out
}

/// [`fold`] into a buffer (cleared first): lowercase, hyphens as spaces, and the accents of
/// Latin letters folded ([`push_folded`]).
fn fold_into(text: &str, out: &mut String) {
    out.clear();
    if text.is_ascii() {
        // Most titles and bullets: a byte-wise pass, no Unicode case tables.
        out.extend(text.bytes().map(|b| if b == b'-' { ' ' } else { char::from(b.to_ascii_lowercase()) }));
    } else {
        for c in text.chars().flat_map(char::to_lowercase) {
            push_folded(if c == '-' { ' ' } else { c }, out);
        }
    }
}

/// `text` lower-cased, with the accents of its Latin letters folded ([`push_folded`]).
pub fn fold_lower(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        push_folded(c, &mut out);
    }
    out
}

/// Pushes `c` with the accents of a Latin letter folded: `é` → `e`, `ñ` → `n`, `ç` → `c`,
/// `ß` → `ss`, `œ` → `oe`, Vietnamese `ả` → `a`. Other scripts are pushed as they are
/// (Cyrillic `й` is a letter of its own, not `и` with a mark). Headlines drop accents at
/// will ("Rodriguez", "Rodríguez"; capitals often lose theirs), so matching without them
/// is what a reader does.
pub fn push_folded(c: char, out: &mut String) {
    use unicode_normalization::char::{decompose_canonical, is_combining_mark};
    match c {
        'ß' => out.push_str("ss"),
        'æ' => out.push_str("ae"),
        'œ' => out.push_str("oe"),
        'ø' => out.push('o'),
        'đ' => out.push('d'),
        'ł' => out.push('l'),
        // Latin-1 Supplement, Latin Extended-A and -B, Latin Extended Additional.
        '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}' => {
            decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    out.push(d);
                }
            });
        }
        _ => out.push(c),
    }
}

/// Where [`Matcher::scan`] collects labels: a list, or a bit set.
trait Found {
    fn has(&self, label: usize) -> bool;
    /// Adds `label`, found by keyword number `keyword` (see [`Matcher::keyword`]).
    fn add(&mut self, label: usize, keyword: u32);
}

impl Found for Vec<usize> {
    fn has(&self, label: usize) -> bool {
        self.contains(&label)
    }
    fn add(&mut self, label: usize, _: u32) {
        self.push(label);
    }
}

impl Found for u64 {
    fn has(&self, label: usize) -> bool {
        *self & (1 << label) != 0
    }
    fn add(&mut self, label: usize, _: u32) {
        *self |= 1 << label;
    }
}

/// Labels with the keyword that found each.
impl Found for Vec<(usize, u32)> {
    fn has(&self, label: usize) -> bool {
        self.iter().any(|(l, _)| *l == label)
    }
    fn add(&mut self, label: usize, keyword: u32) {
        self.push((label, keyword));
    }
}

/// The hits of one text at the end of a longer list: labels found are those after `from`.
struct Tail<'a> {
    hits: &'a mut Vec<(usize, u32)>,
    from: usize,
}

impl Found for Tail<'_> {
    fn has(&self, label: usize) -> bool {
        self.hits[self.from..].iter().any(|(l, _)| *l == label)
    }
    fn add(&mut self, label: usize, keyword: u32) {
        self.hits.push((label, keyword));
    }
}

/// Text as the case-sensitive automaton sees it: hyphens as spaces.
fn fold_hyphens(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('-') {
        text.replace('-', " ").into()
    } else {
        text.into()
    }
}

/// Finds which labels (themes or sides) a text names.
#[derive(Debug, Clone)]
pub struct Matcher {
    labels: Vec<String>,
    insensitive: Option<AhoCorasick>,
    insensitive_meta: Vec<(usize, Rule, u32)>,
    sensitive: Option<AhoCorasick>,
    sensitive_meta: Vec<(usize, Rule, u32)>,
    /// Every keyword as the lexicon spells it; the metas' third field indexes it.
    keywords: Vec<String>,
}

impl Matcher {
    /// Builds a matcher from `(label, keywords)` pairs.
    pub fn new(groups: impl Iterator<Item = (String, Vec<String>)>) -> Self {
        let mut labels = Vec::new();
        let (mut ci, mut ci_meta, mut cs, mut cs_meta) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut words: Vec<String> = Vec::new();
        for (label, keywords) in groups {
            let li = labels.len();
            labels.push(label);
            for kw in keywords.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
                let word = words.len() as u32;
                words.push(kw.to_string());
                let (kw, starred) = match kw.strip_suffix('*') {
                    Some(stem) if !stem.trim().is_empty() => (stem.trim_end(), true),
                    _ => (kw, false),
                };
                let rule = if kw.chars().any(is_cjk) {
                    Rule::Substring
                } else if starred || kw.chars().any(is_cyrillic) && kw.chars().any(char::is_lowercase) {
                    Rule::Stem
                } else {
                    Rule::Word
                };
                let letters = kw.chars().filter(|c| c.is_alphabetic()).count();
                let capitals =
                    letters >= 2 && kw.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
                let (patterns, meta, folded) = if capitals {
                    (&mut cs, &mut cs_meta, fold_hyphens(kw).into_owned())
                } else {
                    (&mut ci, &mut ci_meta, fold(kw))
                };
                // `city` → `cities`: the one plural a suffix check cannot see.
                if rule == Rule::Word {
                    if let Some(stem) = folded.strip_suffix('y') {
                        if !stem.ends_with(['a', 'e', 'i', 'o', 'u']) {
                            patterns.push(format!("{stem}ies"));
                            meta.push((li, rule, word));
                        }
                    }
                }
                patterns.push(folded);
                meta.push((li, rule, word));
            }
        }
        let build = |p: &Vec<String>| {
            (!p.is_empty()).then(|| {
                // A full DFA: more memory for the automaton (a few hundred keywords), the
                // fastest scan over millions of texts.
                AhoCorasick::builder()
                    .kind(Some(AhoCorasickKind::DFA))
                    .match_kind(MatchKind::Standard)
                    .build(p)
                    .expect("keywords build an automaton")
            })
        };
        Matcher {
            labels,
            insensitive: build(&ci),
            insensitive_meta: ci_meta,
            sensitive: build(&cs),
            sensitive_meta: cs_meta,
            keywords: words,
        }
    }

    /// The labels, in the order they were given.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Indices of the labels `text` names, sorted, each once.
    pub fn find(&self, text: &str) -> Vec<usize> {
        let mut hits = Vec::new();
        self.scan(text, &mut hits);
        hits.sort_unstable();
        hits
    }

    /// Each label `text` names, sorted, with the first keyword (as the lexicon spells it)
    /// that matched it.
    pub fn find_keywords(&self, text: &str) -> Vec<(usize, &str)> {
        let mut hits = Vec::new();
        self.find_keyword_ids(text, &mut hits);
        hits.into_iter().map(|(l, k)| (l, self.keyword(k))).collect()
    }

    /// [`Matcher::find_keywords`] with keywords by number (see [`Matcher::keyword`]),
    /// appended to `hits`, sorted by label.
    pub fn find_keyword_ids(&self, text: &str, hits: &mut Vec<(usize, u32)>) {
        let from = hits.len();
        self.scan(text, &mut Tail { hits: &mut *hits, from });
        hits[from..].sort_unstable();
    }

    /// Keyword number `k` of [`Matcher::find_keyword_ids`], as the lexicon spells it.
    pub fn keyword(&self, k: u32) -> &str {
        &self.keywords[k as usize]
    }

    /// How many keywords [`Matcher::keyword`] numbers.
    pub fn keyword_count(&self) -> usize {
        self.keywords.len()
    }

    /// The labels `text` names as a bit set, bit `i` for label `i`; at most 64 labels
    /// (the lexicon refuses more themes).
    pub fn mask(&self, text: &str) -> u64 {
        debug_assert!(self.labels.len() <= 64, "a mask holds 64 labels");
        let mut bits = 0u64;
        self.scan(text, &mut bits);
        bits
    }

    /// Adds to `found` every label whose keyword matches `text` by its rule. The folded text
    /// goes into a buffer reused per thread: millions of texts, no allocation each.
    fn scan(&self, text: &str, found: &mut impl Found) {
        thread_local! {
            static FOLDED: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        let mut visit = |ac: &AhoCorasick, meta: &[(usize, Rule, u32)], hay: &str| {
            for m in ac.find_overlapping_iter(hay) {
                let (label, rule, keyword) = meta[m.pattern().as_usize()];
                if !found.has(label) && accept(hay, m.start(), m.end(), rule) {
                    found.add(label, keyword);
                }
            }
        };
        if let Some(ac) = &self.insensitive {
            FOLDED.with_borrow_mut(|buf| {
                fold_into(text, buf);
                visit(ac, &self.insensitive_meta, buf);
            });
        }
        if let Some(ac) = &self.sensitive {
            visit(ac, &self.sensitive_meta, &fold_hyphens(text));
        }
    }

    /// The label names `text` names (tests read names better than indices).
    #[cfg(test)]
    fn find_labels(&self, text: &str) -> Vec<&str> {
        self.find(text).into_iter().map(|i| self.labels[i].as_str()).collect()
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Whether a raw automaton hit at `start..end` of `hay` satisfies its keyword's rule.
fn accept(hay: &str, start: usize, end: usize, rule: Rule) -> bool {
    if rule == Rule::Substring {
        return true;
    }
    let before_ok = !hay[..start].chars().next_back().is_some_and(is_word_char);
    if !before_ok {
        return false;
    }
    if rule == Rule::Stem {
        return true;
    }
    let rest = &hay[end..];
    ["", "s", "es"].iter().any(|suffix| {
        rest.strip_prefix(suffix).is_some_and(|after| !after.chars().next().is_some_and(is_word_char))
    })
}

impl crate::resources::Args {
    /// The lexicon to use, and where it came from.
    pub fn lexicon(&self) -> anyhow::Result<(Lexicon, crate::resources::Resource)> {
        let r = self.lexicon_resource()?;
        Ok((Lexicon::from_yaml(&r.text, &r.name())?, r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(groups: &[(&str, &[&str])]) -> Matcher {
        Matcher::new(groups.iter().map(|(l, k)| (l.to_string(), k.iter().map(|s| s.to_string()).collect())))
    }

    #[test]
    fn latin_whole_words_with_plurals() {
        let t = m(&[("trade", &["tariff", "rare earth", "city"]), ("tech", &["AI", "chip"])]);
        assert_eq!(t.find_labels("New Tariffs hit"), ["trade"]);
        assert_eq!(t.find_labels("rare-earths curbs"), ["trade"]);
        assert_eq!(t.find_labels("Chinese cities"), ["trade"]);
        assert!(t.find_labels("tariffication chipset").is_empty());
        assert_eq!(t.find_labels("AI chips"), ["tech"]);
        assert!(t.find_labels("said: ai will").is_empty(), "capitals match only in capitals");
    }

    #[test]
    fn cyrillic_stems_and_cjk_substrings() {
        let t = m(&[("trade", &["торгов", "关税"]), ("us", &["США"])]);
        assert_eq!(t.find_labels("Торговля растёт"), ["trade"]);
        assert!(t.find_labels("Вторговля").is_empty(), "a stem starts a word");
        assert_eq!(t.find_labels("对日本商品加征关税"), ["trade"]);
        assert_eq!(t.find_labels("санкции США"), ["us"]);
    }

    #[test]
    fn accents_fold_both_ways_and_a_star_is_a_stem() {
        let t = m(&[
            ("rights", &["juicio", "tribunal"]),
            ("trade", &["sanción", "arancel"]),
            ("eco", &["económic*"]),
        ]);
        assert_eq!(t.find_labels("Nuevas SANCIONES"), ["trade"], "accents folded, plural -es");
        assert_eq!(t.find_labels("sancion"), ["trade"], "a title without the accent");
        assert_eq!(t.find_labels("Aranceles"), ["trade"]);
        assert_eq!(t.find_labels("Juicio contra Maduro"), ["rights"]);
        assert_eq!(t.find_labels("crisis economica"), ["eco"]);
        assert_eq!(t.find_labels("medidas económicas"), ["eco"]);
        assert!(t.find_labels("socioeconómico").is_empty(), "a stem starts a word");
        assert!(t.find_labels("juiciosos").is_empty(), "a word keyword is not a stem");
        // The keyword as the lexicon spells it, star included.
        assert_eq!(t.find_keywords("recesión económica"), [(2, "económic*")]);
    }

    #[test]
    fn folding_keeps_other_scripts_and_splits_ligatures() {
        assert_eq!(
            fold("Rodríguez, NIÑOS, Ça, Straße, Œuvre, hải quân"),
            "rodriguez, ninos, ca, strasse, oeuvre, hai quan"
        );
        assert_eq!(fold("Йемен ёлка"), "йемен ёлка", "Cyrillic letters are letters of their own");
        assert_eq!(fold("日本の関税"), "日本の関税");
    }

    #[test]
    fn coverage_is_per_theme_and_language_and_a_theme_names_the_sides_it_lists() {
        let lex = Lexicon::from_yaml(
            "themes:\n  - id: trade\n    name: T\n    keywords: {en: [tariff], es: [arancel]}\n  - id: us\n    name: U\n    keywords: {en: [Washington, Trump]}\n    sides: [us]\nsides:\n  us: [US, washington]\n  venezuelan: [Venezuela]\n",
            "t",
        )
        .unwrap();
        // Theme 0 has English and Spanish, theme 1 English only: 0b11 and 0b01.
        assert_eq!(lex.covered(Some("en")), 0b11);
        assert_eq!(lex.covered(Some("es-VE")), 0b01);
        assert_eq!(lex.covered(Some("it")), 0);
        assert_eq!(lex.covered(None), 0);
        let (trade, us) = (&lex.themes[0], &lex.themes[1]);
        assert!(lex.names_side(us, "us"));
        assert!(!lex.names_side(trade, "us") && !lex.names_side(us, "venezuelan"));
        assert!(!lex.names_side(us, "nobody"));
    }

    #[test]
    fn mask_sets_one_bit_per_label_named() {
        let t = m(&[("trade", &["tariff"]), ("tech", &["chip"]), ("war", &["missile"])]);
        // Labels 0 (trade) and 2 (war): 0b101.
        assert_eq!(t.mask("Tariffs and missiles"), 0b101);
        assert_eq!(t.mask("nothing here"), 0);
    }

    #[test]
    fn the_ascii_fast_path_folds_like_the_unicode_one() {
        for text in ["Rare-Earth CHIPS", "US-China", "a--b", "", "MiXeD 123 !?"] {
            let slow: String =
                text.chars().flat_map(char::to_lowercase).map(|c| if c == '-' { ' ' } else { c }).collect();
            assert_eq!(fold(text), slow, "{text}");
        }
        assert_eq!(fold("ТОРГОВЛЯ-США"), "торговля сша");
    }

    #[test]
    fn more_themes_than_a_mask_holds_are_refused() {
        let themes: String = (0..=MAX_THEMES)
            .map(|i| format!("  - id: t{i}\n    name: T{i}\n    keywords: {{en: [w{i}]}}\n"))
            .collect();
        let err = Lexicon::from_yaml(&format!("themes:\n{themes}"), "big.yaml").unwrap_err();
        assert!(err.to_string().contains("at most 64"), "{err}");
    }

    #[test]
    fn a_label_counts_once() {
        let t = m(&[("trade", &["tariff", "trade"])]);
        assert_eq!(t.find("trade, tariffs and more tariffs"), [0]);
    }
}
