//! The bridge between languages that story clustering compares titles through: the same
//! event told in Spanish and in English must share shingles, or the clustering measures
//! language instead of coverage. Without a model, four plain steps turn a title into words
//! of one shared vocabulary:
//!
//! - **Accents folded** ([`push_folded`]): "Rodríguez" and "Rodriguez" are one name, in any
//!   language.
//! - **Acronym dots dropped**: "U.S." and "EE.UU." are the words `us` and `eeuu`, not
//!   single letters.
//! - **Numbers kept**, thousands separators dropped: "4.700 millones" and "4,700" share
//!   `4700`; with the month names of the glossary "1 de junio de 2027" and "June 1, 2027"
//!   share `1`, `june` and `2027`.
//! - **Spanish words through the glossary** (`data/glossary.yaml`, written for the project):
//!   a word of a Spanish title found there counts as its English word (`juicio` → `trial`);
//!   other words (names, mostly) stay as they are. Then every Latin-script word of every
//!   title is cut to its English Snowball stem, so "sanctions", "sanction" and the
//!   glossary's `sanction` meet.
//!
//! Titles in other scripts keep their words (and Chinese and Japanese their character
//! bigrams, see [`super::cluster::shingles`]); a language the glossary does not cover is
//! compared within itself only, and the tables say so (`one_sided_linkable`).

use std::collections::HashMap;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use crate::analytics::lexicon::{fold_lower, is_cjk, push_folded};
// Lookups of a fixed, project-written glossary: no defence against chosen keys needed.
use crate::fxhash::{FxMap, FxSet};
use crate::resources::BUILTIN_GLOSSARY;

/// The languages (primary subtags) the bridge reads into the shared vocabulary: English
/// natively, and each language the glossary has a section for.
pub fn bridged(language: Option<&str>) -> bool {
    match primary(language) {
        Some("en") => true,
        Some(l) => glossary().sections.get(l).is_some_and(|s| !s.words.is_empty()),
        None => false,
    }
}

/// The primary subtag of a BCP 47 tag, lowercase by the tables' convention (`es` of `es-VE`).
pub fn primary(language: Option<&str>) -> Option<&str> {
    language.map(crate::lang::primary_subtag).filter(|l| !l.is_empty())
}

/// One language's part of the glossary, read for lookups: keys folded, English values
/// stemmed.
#[derive(Default)]
struct Section {
    /// Word → its English words (at most two), stemmed.
    words: FxMap<String, Vec<String>>,
    /// The same by the word's stem in its own language, for forms the glossary does not
    /// list ("atacó" by `atac`, the stem of `ataca`). The first word listed wins a stem.
    stems: FxMap<String, Vec<String>>,
    /// Phrases of two or three words → the word(s) they read as.
    phrases: FxMap<String, String>,
    /// The first words of the phrases: a word that starts none is no phrase's start, and
    /// most words are not (no phrase is built for them).
    phrase_starts: FxSet<String>,
    /// Whether the section's own stemmer is the English one the output uses (then a word's
    /// stem is computed once for both).
    english: bool,
    /// Function words, left out.
    stopwords: FxSet<String>,
    /// The language's Snowball stemmer, when it has one.
    stemmer: Option<Stemmer>,
}

/// The glossary file (`data/glossary.yaml`) as written.
#[derive(serde::Deserialize)]
struct File {
    words: HashMap<String, ordered::Ordered>,
    #[serde(default)]
    phrases: HashMap<String, HashMap<String, String>>,
    #[serde(default)]
    stopwords: HashMap<String, Vec<String>>,
}

/// Entries in file order (the first spelling of a stem wins), without another dependency.
mod ordered {
    use serde::de::{MapAccess, Visitor};

    pub struct Ordered(pub Vec<(String, Vec<String>)>);

    impl<'de> serde::Deserialize<'de> for Ordered {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Ordered;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a map of words to lists of English words")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Ordered, A::Error> {
                    let mut out = Vec::new();
                    while let Some(entry) = m.next_entry()? {
                        out.push(entry);
                    }
                    Ok(Ordered(out))
                }
            }
            d.deserialize_map(V)
        }
    }
}

/// The glossary, per language (`es`, and `en` for its phrases and function words).
struct Glossary {
    sections: HashMap<String, Section>,
}

fn glossary() -> &'static Glossary {
    static GLOSSARY: OnceLock<Glossary> = OnceLock::new();
    GLOSSARY.get_or_init(|| Glossary::from_yaml(BUILTIN_GLOSSARY).expect("the built-in glossary parses"))
}

/// Lowercase, accents folded, letters and digits only.
fn folded(word: &str) -> String {
    let mut out = fold_lower(word.trim());
    out.retain(|c| c.is_alphanumeric() || c == ' ');
    out
}

fn snowball(language: &str) -> Option<Stemmer> {
    Some(Stemmer::create(match language {
        "en" => Algorithm::English,
        "es" => Algorithm::Spanish,
        "pt" => Algorithm::Portuguese,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "it" => Algorithm::Italian,
        _ => return None,
    }))
}

impl Glossary {
    fn from_yaml(text: &str) -> anyhow::Result<Glossary> {
        let file: File = serde_yaml::from_str(text)?;
        let english = Stemmer::create(Algorithm::English);
        // English forms Snowball cannot join to their base ("seizure", "struck"): the
        // glossary's English values go through them too.
        let base: HashMap<String, String> = file
            .words
            .get("en")
            .map(|w| w.0.iter().filter_map(|(k, v)| Some((folded(k), folded(v.first()?)))).collect())
            .unwrap_or_default();
        let mut sections: HashMap<String, Section> = HashMap::new();
        for (language, words) in file.words {
            let section = sections.entry(language.clone()).or_default();
            section.stemmer = snowball(&language);
            section.english = language == "en";
            for (word, values) in words.0 {
                let values: Vec<String> = values
                    .iter()
                    .take(2)
                    .map(|v| {
                        let v = folded(v);
                        let v = if language == "en" { v } else { base.get(&v).cloned().unwrap_or(v) };
                        english.stem(&v).into_owned()
                    })
                    .filter(|v| !v.is_empty())
                    .collect();
                let key = folded(&word);
                if key.is_empty() || values.is_empty() {
                    continue;
                }
                if let Some(stem) = section.stemmer.as_ref().map(|s| s.stem(&key).into_owned()) {
                    section.stems.entry(stem).or_insert_with(|| values.clone());
                }
                section.words.insert(key, values);
            }
        }
        for (language, phrases) in file.phrases {
            let section = sections.entry(language).or_default();
            section.phrases.extend(phrases.into_iter().map(|(k, v)| (folded(&k), folded(&v))));
            section.phrase_starts =
                section.phrases.keys().filter_map(|k| k.split(' ').next()).map(str::to_string).collect();
        }
        for (language, words) in file.stopwords {
            let section = sections.entry(language).or_default();
            section.stopwords.extend(words.iter().map(|w| folded(w)));
        }
        Ok(Glossary { sections })
    }
}

/// A title (its outlet suffix already cut) as space-separated words of the shared
/// vocabulary, in the order written: see the module doc. `language` is the title's own.
pub fn bridge(title: &str, language: Option<&str>) -> String {
    thread_local! {
        static STEM: Stemmer = Stemmer::create(Algorithm::English);
    }
    let section = primary(language).and_then(|l| glossary().sections.get(l));
    let words = words(title);
    let mut out = String::with_capacity(title.len());
    // `stemmed`: `w` is a stem already, pushed as it is.
    let mut push = |w: &str, stem: &Stemmer, stemmed: bool| {
        if !out.is_empty() {
            out.push(' ');
        }
        if !stemmed && w.chars().all(|c| c.is_ascii_alphabetic()) {
            out.push_str(&stem.stem(w));
        } else {
            out.push_str(w);
        }
    };
    STEM.with(|stem| {
        let mut i = 0;
        while i < words.len() {
            if let Some(s) = section {
                // The longest phrase starting here (three words, then two).
                let phrase = s.phrase_starts.contains(&words[i]).then(|| {
                    (2..=3).rev().find_map(|n| {
                        let phrase = words.get(i..i + n)?.join(" ");
                        s.phrases.get(&phrase).map(|r| (n, r))
                    })
                });
                if let Some((n, read)) = phrase.flatten() {
                    read.split(' ').filter(|w| !w.is_empty()).for_each(|w| push(w, stem, false));
                    i += n;
                    continue;
                }
                let w = words[i].as_str();
                i += 1;
                if s.stopwords.contains(w) {
                    continue;
                }
                if let Some(values) = s.words.get(w) {
                    values.iter().for_each(|v| push(v, stem, false));
                    continue;
                }
                let Some(own) = s.stemmer.as_ref().map(|st| st.stem(w)) else {
                    push(w, stem, false);
                    continue;
                };
                match s.stems.get(own.as_ref()) {
                    Some(values) => values.iter().for_each(|v| push(v, stem, false)),
                    // An English word's own stem is what `push` would make of it.
                    None if s.english && w.chars().all(|c| c.is_ascii_alphabetic()) => push(&own, stem, true),
                    None => push(w, stem, false),
                }
            } else {
                push(&words[i], stem, false);
                i += 1;
            }
        }
    });
    out
}

/// The words of a title: lowercase, accents folded, acronym dots dropped, numbers without
/// thousands separators; CJK runs kept whole (the shingles split them).
fn words(title: &str) -> Vec<String> {
    let chars: Vec<char> = title.chars().collect();
    let mut out = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<String>| {
        if !word.is_empty() {
            out.push(std::mem::take(word));
        }
    };
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        if c.is_alphabetic() || c.is_ascii_digit() {
            // A letter after a digit, or a digit after a letter, starts a new word ("G7" stays).
            for l in c.to_lowercase() {
                if is_cjk(l) != word.chars().last().is_some_and(is_cjk) && !word.is_empty() {
                    flush(&mut word, &mut out);
                }
                push_folded(l, &mut word);
            }
        } else if (c == '.' || c == ',')
            && prev.is_some_and(|p| p.is_ascii_digit())
            && chars.get(i + 1..i + 4).is_some_and(|d| d.iter().all(char::is_ascii_digit))
            && chars.get(i + 4).is_none_or(|d| !d.is_ascii_digit())
        {
            // A thousands separator: "4.700", "4,700".
        } else if c == '.' && acronym_dot(&chars, i) {
            // "U.S.", "EE.UU.": the letters stay one word.
        } else {
            flush(&mut word, &mut out);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Whether the dot at `i` belongs to an acronym: it follows a run of one or two capitals
/// that starts the word or follows another dot ("U.S.", "EE.UU.", "U.N.").
fn acronym_dot(chars: &[char], i: usize) -> bool {
    let mut k = i;
    while k > 0 && chars[k - 1].is_uppercase() {
        k -= 1;
    }
    let run = i - k;
    let starts = k == 0 || !chars[k - 1].is_alphanumeric();
    let after_dot = k > 0 && chars[k - 1] == '.';
    (1..=2).contains(&run) && (starts || after_dot) && {
        // Another capital follows (inside the acronym) or the acronym ends here.
        chars.get(i + 1).is_none_or(|n| n.is_uppercase() || !n.is_alphanumeric())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spanish_title_and_its_english_twin_share_their_words() {
        let es = bridge("Estados Unidos levanta las sanciones contra Delcy Rodríguez", Some("es-VE"));
        let en = bridge("US lifts sanctions on Delcy Rodriguez", Some("en-US"));
        let shared: Vec<&str> = en.split(' ').filter(|w| es.split(' ').any(|x| x == *w)).collect();
        for w in ["lift", "sanction", "delci", "rodriguez"] {
            assert!(shared.contains(&w), "{w} not shared: {es} | {en}");
        }
    }

    #[test]
    fn dates_and_numbers_meet_across_languages() {
        let es = bridge("Fijan para el 1 de junio de 2027 el juicio a Maduro; 4.700 millones", Some("es"));
        let en = bridge("Maduro trial set for June 1, 2027; 4,700 million", Some("en"));
        for w in ["1", "june", "2027", "trial", "maduro", "4700", "million"] {
            assert!(es.split(' ').any(|x| x == w), "{w} not in {es}");
            assert!(en.split(' ').any(|x| x == w), "{w} not in {en}");
        }
        // A decimal point is no thousands separator.
        assert_eq!(bridge("4.7 billion", Some("en")), "4 7 billion");
    }

    #[test]
    fn acronyms_keep_their_letters_together() {
        assert_eq!(bridge("U.S. and EE.UU. at the U.N.", None), "us and eeuu at the un");
        // English function words are left out of an English title.
        assert_eq!(bridge("U.S. and EE.UU. at the U.N.", Some("en")), "us eeuu un");
        // A Spanish word reads as its glossary's first two English words (ataca: attack, strike).
        assert_eq!(bridge("EE.UU. ataca", Some("es")), "us attack strike");
        assert_eq!(bridge("Sr. Maduro", None), "sr maduro", "a titled name is no acronym");
    }

    #[test]
    fn english_forms_snowball_cannot_join_meet_through_their_base() {
        // "seizure" and "seized" stem to seizur and seiz; "struck" is no form of "strike" to
        // Snowball. The glossary's English section joins them, for English titles and for
        // the English values of Spanish words (incautación: seizure).
        assert_eq!(
            bridge("Seizure of ship; troops struck", Some("en")),
            bridge("Seized ship; troops strike", Some("en"))
        );
        assert_eq!(bridge("incautación", Some("es")).split(' ').next(), Some("seiz"));
    }

    #[test]
    fn english_is_stemmed_and_other_scripts_are_left_alone() {
        assert_eq!(bridge("Sanctions lifted", None), "sanction lift");
        assert_eq!(bridge("Санкции США", Some("ru")), "санкции сша");
        assert_eq!(bridge("日本の関税", Some("ja")), "日本の関税");
        assert!(bridged(Some("es-VE")) && bridged(Some("en")) && !bridged(Some("zh")) && !bridged(None));
    }
}
