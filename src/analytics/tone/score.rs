//! The tone of one text, as VADER scores it (Hutto & Gilbert 2014): each word's valence
//! from a lexicon (−4…+4), raised or lowered by a degree adverb before it ("very"), turned
//! by a negation among the three words before it ("not", "sin"), weighted after "but" /
//! "pero", summed and squashed into −1…1 (`compound`). English reads VADER's own lexicon
//! (`data/tone/vader_lexicon.txt`, MIT) with the project's overrides for news words VADER
//! mis-scores; Spanish reads the project's list (`data/tone.yaml`), a checked translation
//! of the VADER words the feeds use. Words are matched accent-folded and lower-cased.
//!
//! Left out of VADER on purpose: emphasis by capitals (headlines capitalise every word),
//! exclamation marks and emoticons (news titles have none worth scoring).

use serde::Deserialize;

use crate::analytics::lexicon::fold_lower;
use crate::fxhash::{FxMap, FxSet};

/// VADER's increment for a degree adverb (`B_INCR`).
const BOOST: f64 = 0.293;
/// VADER's factor for a negated word (`N_SCALAR`).
const NEGATION: f64 = -0.74;
/// VADER's normalisation constant (`alpha`).
const ALPHA: f64 = 15.0;

/// English negations, as VADER lists them (words ending in "n't" count too).
const EN_NEGATORS: &[&str] = &[
    "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt", "dont", "hadnt", "hasnt",
    "havent", "isnt", "mightnt", "mustnt", "neither", "neednt", "never", "none", "nope", "nor", "not",
    "nothing", "nowhere", "oughtnt", "shant", "shouldnt", "wasnt", "werent", "without", "wont", "wouldnt",
    "rarely", "seldom", "despite",
];

/// English degree adverbs as VADER lists them: `+` raise, `-` lower the next word's valence.
const EN_BOOSTERS: &[(&str, f64)] = &[
    ("absolutely", BOOST),
    ("completely", BOOST),
    ("considerably", BOOST),
    ("deeply", BOOST),
    ("enormously", BOOST),
    ("entirely", BOOST),
    ("especially", BOOST),
    ("exceptionally", BOOST),
    ("extremely", BOOST),
    ("fully", BOOST),
    ("greatly", BOOST),
    ("highly", BOOST),
    ("hugely", BOOST),
    ("incredibly", BOOST),
    ("intensely", BOOST),
    ("major", BOOST),
    ("more", BOOST),
    ("most", BOOST),
    ("particularly", BOOST),
    ("really", BOOST),
    ("remarkably", BOOST),
    ("so", BOOST),
    ("substantially", BOOST),
    ("thoroughly", BOOST),
    ("totally", BOOST),
    ("tremendously", BOOST),
    ("utterly", BOOST),
    ("very", BOOST),
    ("almost", -BOOST),
    ("barely", -BOOST),
    ("hardly", -BOOST),
    ("less", -BOOST),
    ("marginally", -BOOST),
    ("partly", -BOOST),
    ("scarcely", -BOOST),
    ("slightly", -BOOST),
    ("somewhat", -BOOST),
];

/// The project's part of the tone lexicon (`data/tone.yaml`).
#[derive(Debug, Deserialize)]
struct ToneFile {
    /// English words whose VADER valence is wrong in news, with the valence used instead.
    overrides: std::collections::BTreeMap<String, f64>,
    /// The Spanish list.
    es: SpanishFile,
}

#[derive(Debug, Deserialize)]
struct SpanishFile {
    words: std::collections::BTreeMap<String, f64>,
    #[serde(default)]
    neutral_in_news: Vec<String>,
    negators: Vec<String>,
    boosters: Vec<String>,
}

/// One language's words.
#[derive(Debug, Default)]
struct Words {
    /// Word → its valence and its number in [`ToneLexicon::word`].
    valence: FxMap<String, (f64, u32)>,
    negators: FxSet<String>,
    boosters: FxMap<String, f64>,
    /// The word after which the rest of a sentence weighs more ("but", "pero").
    but: &'static str,
}

/// Which lexicon scores a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Es,
}

impl Lang {
    /// The lexicon's name in the tables: `en` or `es`.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The lexicon for a BCP 47 tag, if any covers it.
    pub fn of(language: Option<&str>) -> Option<Lang> {
        let primary = crate::lang::primary_subtag(language?);
        if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else if primary.eq_ignore_ascii_case("es") {
            Some(Lang::Es)
        } else {
            None
        }
    }
}

/// The English and Spanish tone lexicons.
#[derive(Debug, Default)]
pub struct ToneLexicon {
    en: Words,
    es: Words,
    /// Every word of both, by number.
    words: Vec<String>,
}

/// A text's tone without its words: what the bulk path keeps per item.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Summary {
    /// VADER's compound score, −1…1.
    pub tone: f64,
    /// Words with a positive valence after negation.
    pub positive: u32,
    /// Words with a negative valence after negation.
    pub negative: u32,
    /// Words of the text.
    pub words: u32,
}

/// Buffers one thread reuses from text to text.
#[derive(Default)]
pub struct Scratch {
    folded: String,
    ranges: Vec<(usize, usize)>,
}

/// A word's part in a text's tone.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// The word as the lexicon spells it: lower case, with its accents in the Spanish list
    /// ("tensión"); the text's word matched it accent-folded.
    pub word: String,
    /// Its valence after degree adverbs, negation and "but".
    pub valence: f64,
}

/// The tone of one text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scored {
    /// VADER's compound score, −1…1.
    pub tone: f64,
    /// Words with a positive valence after negation.
    pub positive: u32,
    /// Words with a negative valence after negation.
    pub negative: u32,
    /// Words of the text.
    pub words: u32,
    /// The words that moved it.
    pub contributions: Vec<Contribution>,
}

/// The words of a text, lower-cased and accent-folded (letters, digits and apostrophes;
/// ’ read as '), as byte ranges of `scratch.folded`.
fn tokens(text: &str, scratch: &mut Scratch) {
    let Scratch { folded, ranges } = scratch;
    folded.clear();
    ranges.clear();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c == '’' {
            folded.push('\'');
        } else {
            crate::analytics::lexicon::push_folded(c, folded);
        }
    }
    let mut start = None;
    for (i, c) in folded.char_indices().chain(std::iter::once((folded.len(), ' '))) {
        let word = c.is_alphanumeric() || c == '\'';
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let w = &folded[s..i];
                let trimmed = w.trim_matches('\'');
                if !trimmed.is_empty() {
                    let lead = w.len() - w.trim_start_matches('\'').len();
                    ranges.push((s + lead, s + lead + trimmed.len()));
                }
                start = None;
            }
            _ => {}
        }
    }
}

impl ToneLexicon {
    /// From VADER's lexicon file and the project's `tone.yaml`.
    pub fn from_texts(vader: &str, tone_yaml: &str) -> anyhow::Result<ToneLexicon> {
        let file: ToneFile = serde_yaml::from_str(tone_yaml)?;
        let fold = fold_lower;
        let mut lexicon = ToneLexicon::default();
        let mut en: FxMap<String, f64> = FxMap::default();
        for line in vader.lines() {
            let mut parts = line.split('\t');
            if let (Some(word), Some(value)) = (parts.next(), parts.next()) {
                if word.chars().any(char::is_alphabetic) {
                    en.insert(fold(word), value.parse()?);
                }
            }
        }
        for (word, value) in file.overrides {
            en.insert(fold(&word), value);
        }
        let mut es: FxMap<String, f64> = file.es.words.iter().map(|(w, v)| (fold(w), *v)).collect();
        for w in &file.es.neutral_in_news {
            es.remove(&fold(w));
        }
        // How `tone_words` names a Spanish word: as the list spells it ("tensión"), where
        // one spelling of the list folds to it; else folded, as it is matched (the list
        // has "bloqueo" and "bloqueó", whose folded form takes the later one's value).
        let mut spelled: FxMap<String, Option<&str>> = FxMap::default();
        for w in file.es.words.keys() {
            spelled.entry(fold(w)).and_modify(|s| *s = None).or_insert(Some(w));
        }
        let spelled: FxMap<String, &str> = spelled.into_iter().filter_map(|(k, s)| Some((k, s?))).collect();
        let mut numbered = |words: FxMap<String, f64>, spelled: &FxMap<String, &str>| {
            let mut sorted: Vec<(String, f64)> = words.into_iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            sorted
                .into_iter()
                .map(|(w, v)| {
                    lexicon.words.push(spelled.get(&w).map_or_else(|| w.clone(), |s| (*s).to_string()));
                    (w, (v, (lexicon.words.len() - 1) as u32))
                })
                .collect::<FxMap<String, (f64, u32)>>()
        };
        let (en_valence, es_valence) = (numbered(en, &FxMap::default()), numbered(es, &spelled));
        let mut en = Words { but: "but", valence: en_valence, ..Words::default() };
        en.negators = EN_NEGATORS.iter().map(|w| (*w).to_string()).collect();
        en.boosters = EN_BOOSTERS.iter().map(|(w, v)| ((*w).to_string(), *v)).collect();
        let mut es = Words { but: "pero", valence: es_valence, ..Words::default() };
        es.negators = file.es.negators.iter().map(|w| fold(w)).collect();
        es.boosters = file.es.boosters.iter().map(|w| (fold(w), BOOST)).collect();
        (lexicon.en, lexicon.es) = (en, es);
        Ok(lexicon)
    }

    /// The lexicon compiled into the binary.
    pub fn builtin() -> &'static ToneLexicon {
        static BUILTIN: std::sync::OnceLock<ToneLexicon> = std::sync::OnceLock::new();
        BUILTIN.get_or_init(|| {
            ToneLexicon::from_texts(crate::resources::BUILTIN_VADER, crate::resources::BUILTIN_TONE)
                .expect("the built-in tone lexicon parses")
        })
    }

    /// The word numbered `id` (the numbers of [`ToneLexicon::score_into`]).
    pub fn word(&self, id: u32) -> &str {
        &self.words[id as usize]
    }

    /// The tone of `text` in `lang`, with the words that moved it.
    pub fn score(&self, text: &str, lang: Lang) -> Scored {
        let mut moved = Vec::new();
        let s = self.score_into(text, lang, &mut Scratch::default(), &mut moved);
        let contributions = moved
            .into_iter()
            .map(|(w, v)| Contribution { word: self.word(w).to_string(), valence: v })
            .collect();
        Scored { tone: s.tone, positive: s.positive, negative: s.negative, words: s.words, contributions }
    }

    /// The tone of `text` in `lang`; the words that moved it are appended to `moved` as
    /// (word number, valence after negation and degree adverbs).
    pub fn score_into(
        &self,
        text: &str,
        lang: Lang,
        scratch: &mut Scratch,
        moved: &mut Vec<(u32, f64)>,
    ) -> Summary {
        let words = match lang {
            Lang::En => &self.en,
            Lang::Es => &self.es,
        };
        tokens(text, scratch);
        let toks: Vec<&str> = scratch.ranges.iter().map(|&(a, b)| &scratch.folded[a..b]).collect();
        let but = toks.iter().position(|t| *t == words.but);
        let mut out = Summary { words: toks.len() as u32, ..Summary::default() };
        let mut sum = 0.0;
        for (i, t) in toks.iter().enumerate() {
            if words.boosters.contains_key(*t) {
                continue;
            }
            let Some(&(v0, id)) = words.valence.get(*t) else { continue };
            let v = adjusted(words, &toks, i, v0, but);
            if v == 0.0 {
                continue;
            }
            if v > 0.0 {
                out.positive += 1;
            } else {
                out.negative += 1;
            }
            sum += v;
            moved.push((id, v));
        }
        out.tone = normalise(sum);
        out
    }
}

/// Word `i`'s valence `v` after the degree adverbs and negations among the three words
/// before it, and the weight of its place before or after "but".
fn adjusted(words: &Words, toks: &[&str], i: usize, v: f64, but: Option<usize>) -> f64 {
    let mut v = v;
    for back in 1..=3usize.min(i) {
        let prev = toks[i - back];
        if words.valence.contains_key(prev) && !words.boosters.contains_key(prev) {
            continue;
        }
        if let Some(b) = words.boosters.get(prev) {
            // Farther adverbs count less, as VADER's 0.95 and 0.9.
            let scale = [1.0, 0.95, 0.9][back - 1];
            v += b.copysign(v) * scale;
        }
        if words.negators.contains(prev) || prev.ends_with("n't") {
            v *= NEGATION;
        }
    }
    match but {
        Some(b) if i < b => v * 0.5,
        Some(b) if i > b => v * 1.5,
        _ => v,
    }
}

/// VADER's squashing of a sum of valences into −1…1.
fn normalise(sum: f64) -> f64 {
    (sum / (sum * sum + ALPHA).sqrt()).clamp(-1.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> ToneLexicon {
        let vader = "good\t1.9\t0.9\t[]\nbad\t-2.5\t0.6\t[]\nsecurity\t1.4\t0.8\t[]\n";
        let yaml = "overrides: {security: 0}\nes:\n  words: {bueno: 1.9, malo: -2.5}\n  negators: [no, sin]\n  boosters: [muy]\n";
        ToneLexicon::from_texts(vader, yaml).unwrap()
    }

    #[test]
    fn valences_sum_and_squash_as_vader_does() {
        let l = lexicon();
        // "good": 1.9 / sqrt(1.9² + 15) = 1.9 / sqrt(18.61) = 1.9 / 4.313931 = 0.440434.
        let s = l.score("A good day", Lang::En);
        assert!((s.tone - 0.440434).abs() < 1e-6, "{}", s.tone);
        assert_eq!((s.positive, s.negative, s.words), (1, 0, 3));
        // "good" and "bad": (1.9 − 2.5) / sqrt(0.36 + 15) = −0.6 / 3.919184 = −0.153093.
        let s = l.score("good news, bad news", Lang::En);
        assert!((s.tone + 0.153093).abs() < 1e-6, "{}", s.tone);
    }

    #[test]
    fn negation_boosters_but_and_overrides() {
        let l = lexicon();
        // "not good": 1.9 × −0.74 = −1.406 → −1.406 / sqrt(1.976836 + 15) = −1.406 / 4.120296
        // = −0.341238.
        let s = l.score("not good", Lang::En);
        assert!((s.tone + 0.341238).abs() < 1e-6, "{}", s.tone);
        assert_eq!((s.positive, s.negative), (0, 1));
        // "very good": 1.9 + 0.293 = 2.193 → 2.193 / sqrt(4.809249 + 15) = 2.193 / 4.450758
        // = 0.492725.
        assert!((l.score("very good", Lang::En).tone - 0.492725).abs() < 1e-6);
        // "good but bad": 1.9 × 0.5 − 2.5 × 1.5 = −2.8 → −2.8 / sqrt(7.84 + 15) = −2.8 / 4.779121
        // = −0.585882.
        assert!((l.score("good but bad", Lang::En).tone + 0.585882).abs() < 1e-6);
        // The override makes "security" neutral.
        assert_eq!(l.score("Security council meets", Lang::En).tone, 0.0);
    }

    #[test]
    fn spanish_reads_its_own_list_accent_folded() {
        let l = lexicon();
        // "muy malo": −(2.5 + 0.293) = −2.793 → −2.793 / sqrt(7.800849 + 15) = −2.793 / 4.775024
        // = −0.584919.
        let s = l.score("Un día MUY malo", Lang::Es);
        assert!((s.tone + 0.584919).abs() < 1e-6, "{}", s.tone);
        // "sin" negates: 1.9 × −0.74.
        assert!(l.score("sin bueno", Lang::Es).tone < 0.0);
        // English words mean nothing to the Spanish list.
        assert_eq!(l.score("good", Lang::Es).tone, 0.0);
        // A word is matched accent-folded and named as the list spells it.
        let yaml = "overrides: {}\nes:\n  words: {tensión: -1.3, bloqueo: -1.9, bloqueó: -1.1}\n  negators: []\n  boosters: []\n";
        let accents = ToneLexicon::from_texts("", yaml).unwrap();
        for text in ["TENSION", "tensión"] {
            assert_eq!(accents.score(text, Lang::Es).contributions[0].word, "tensión", "{text}");
        }
        // Two spellings that fold together: the later one's value, named folded.
        let s = accents.score("bloqueo", Lang::Es);
        assert_eq!((s.contributions[0].word.as_str(), s.contributions[0].valence), ("bloqueo", -1.1));
        // Each form as the list spells it: no stem joins "malos" to "malo" (Snowball's
        // Spanish stems also join "para" to "pare", "medio" to "mediar": docs/analysis.md).
        assert_eq!(l.score("malos", Lang::Es).tone, 0.0);
        assert_eq!(Lang::of(Some("es-VE")), Some(Lang::Es));
        assert_eq!(Lang::of(Some("fr")), None);
    }
}
