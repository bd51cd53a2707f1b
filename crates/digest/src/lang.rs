//! The language of a title, detected from its text, with no I/O.
//!
//! The bracketed tag of a source line names the feed an article came from (`[en-US]` is the
//! US English feed), so a Spanish title in an English feed is still Spanish. Titles too short
//! to tell get no language rather than a guess.
//!
//! Two maintained detectors, each where it is good. Titles in the Latin script go to
//! whichlang (Quickwit's linear model over 16 major languages): on the English titles of
//! `../shared/real` it is right far more often than whatlang's trigrams, which call a quarter
//! of them French, Catalan or Tagalog, at a small fraction of lingua's cost (the measures:
//! BENCHMARKS.md, "Figures behind the code"). Every other script goes to whatlang, which
//! tells Ukrainian from Russian, Urdu from Arabic and Japanese from Chinese (by kana).

use whatlang::{Lang, Script};

/// Fewest letters a title in a spaced script needs before its language is told.
const MIN_LETTERS: usize = 12;
/// Fewest words, for the same reason: two words fit many languages.
const MIN_WORDS: usize = 3;
/// Fewest characters of a script that carries a word or more per character (Chinese
/// characters, kana, Hangul).
const MIN_SCRIPT_CHARS: usize = 4;

/// Titles each thread remembers the language of, at most; past that it forgets them all and
/// starts again (about 6 MB a thread at 60-byte titles).
const REMEMBERED: usize = 1 << 16;

thread_local! {
    static KNOWN: std::cell::RefCell<std::collections::HashMap<Box<str>, Option<&'static str>>> =
        Default::default();
}

/// The ISO 639-1 code (`en`, `es`, `zh`, …) of `title`'s language, or `None` when the title
/// is too short or too mixed to tell.
///
/// A title seen before on this thread is answered from memory: telling a language takes
/// microseconds, finding a title in a hash map a fraction of one, and the same title comes
/// back in the next days' digests and from several outlets (8 % of the real digests'
/// titles; nearly all of a generated corpus's). The answer is the same either way.
pub fn detect(title: &str) -> Option<&'static str> {
    KNOWN.with_borrow_mut(|known| {
        if let Some(&lang) = known.get(title) {
            return lang;
        }
        let lang = detect_afresh(title);
        if known.len() >= REMEMBERED {
            known.clear();
        }
        known.insert(title.into(), lang);
        lang
    })
}

/// The language of `title` with its feed's language (the tag's first subtag: `en` of
/// `[en-US]`) as the prior, and how it was decided.
///
/// A feed is nearly always in its own language, and a short English title full of names
/// ("Trump Confirms Latest Strike on Vessel Near Venezuela") fools the detector (it says
/// French), so a title keeps its feed's language unless the detector names another *and*
/// the title backs it: another script (a Chinese title in an English feed), or at least two
/// of that language's function words, more than of the feed's ("Fijan para junio de 2027 la
/// fecha del juicio" in an English feed is Spanish). A title too short to detect takes its
/// feed's language. Without a feed tag, the detector's answer stands.
pub fn with_feed(title: &str, feed: Option<&str>) -> (Option<String>, LanguageMethod) {
    let detected = detect(title);
    let Some(prior) = feed.and_then(feed_language) else {
        let method = if detected.is_some() { LanguageMethod::Detected } else { LanguageMethod::TooShort };
        return (detected.map(str::to_string), method);
    };
    // The common case, settled without looking at the script again: a Latin-script feed
    // language the detector agrees with (it names a Latin language only for a Latin title).
    if detected == Some(prior.as_str()) && latin_script(&prior) {
        return (Some(prior), LanguageMethod::Detected);
    }
    // A title in another script than its feed's language is not in that language (an
    // English title in a Chinese feed, a Chinese one in an English feed): no prior.
    let latin_title = whatlang::detect_script(title).is_none_or(|s| s == Script::Latin);
    if latin_title != latin_script(&prior) {
        return match detected {
            Some(d) => (Some(d.to_string()), LanguageMethod::DetectedOverFeed),
            None => (None, LanguageMethod::TooShort),
        };
    }
    match detected {
        None => (Some(prior), LanguageMethod::Feed),
        Some(d) if d == prior => (Some(prior), LanguageMethod::Detected),
        Some(d) => {
            let (theirs, ours) = (function_words(title, d), function_words(title, &prior));
            if theirs >= 2 && theirs > ours {
                (Some(d.to_string()), LanguageMethod::DetectedOverFeed)
            } else {
                (Some(prior), LanguageMethod::Feed)
            }
        }
    }
}

/// The primary subtag of a language tag: `es` of `es-VE` (or `es_VE`), the whole tag when
/// it has no subtags.
pub fn primary_subtag(tag: &str) -> &str {
    tag.split(['-', '_']).next().unwrap_or_default()
}

/// The language of a feed tag: its first subtag, lowercased, when it is a two- or
/// three-letter language code (`en` of `en-US`, `es` of `es-VE`).
fn feed_language(feed: &str) -> Option<String> {
    let first = primary_subtag(feed);
    (matches!(first.len(), 2 | 3) && first.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| first.to_ascii_lowercase())
}

/// Whether a language (ISO 639-1) is written in the Latin script: the detector's Latin
/// languages and the other common ones; every other code is taken as another script.
fn latin_script(lang: &str) -> bool {
    const LATIN: &[&str] = &[
        "en", "es", "fr", "de", "pt", "it", "nl", "sv", "tr", "vi", "pl", "ro", "cs", "sk", "da", "no", "nb",
        "nn", "fi", "et", "lv", "lt", "hu", "hr", "sl", "bs", "sq", "ca", "eu", "gl", "ga", "cy", "is", "id",
        "ms", "tl", "sw", "af", "mt", "az", "uz", "ha", "yo", "so", "lb", "la", "eo",
    ];
    LATIN.contains(&lang)
}

/// Function words of the Latin-script languages the detector names: words nearly every
/// sentence of the language has and a headline of another language rarely does.
fn function_word_list(lang: &str) -> &'static [&'static str] {
    match lang {
        "en" => &[
            "the", "of", "and", "to", "in", "on", "for", "with", "at", "by", "from", "is", "are", "was",
            "were", "after", "over", "amid", "its", "his", "her", "their", "says", "will", "has", "have",
            "be", "into", "as", "not", "who", "how", "why", "this", "that", "against",
        ],
        "es" => &[
            "el", "la", "los", "las", "de", "del", "y", "o", "a", "en", "que", "para", "por", "con", "un",
            "una", "se", "su", "sus", "al", "es", "tras", "sobre", "como", "más", "ante", "entre", "contra",
            "desde", "según", "este", "esta", "no", "lo",
        ],
        "fr" => &[
            "le", "la", "les", "des", "du", "de", "et", "un", "une", "pour", "dans", "sur", "est", "avec",
            "au", "aux", "qui", "que", "pas", "par", "ce", "cette", "sont", "plus", "ses", "son", "après",
            "contre", "entre",
        ],
        "de" => &[
            "der", "die", "das", "und", "mit", "von", "für", "ist", "ein", "eine", "nicht", "auf", "den",
            "dem", "zu", "im", "bei", "nach", "des", "sich", "auch", "wird", "über", "gegen",
        ],
        "pt" => &[
            "o", "a", "os", "as", "do", "da", "dos", "das", "e", "em", "para", "com", "um", "uma", "que",
            "no", "na", "por", "ao", "não", "se", "sobre", "após", "contra", "mais",
        ],
        "it" => &[
            "il", "lo", "la", "gli", "le", "di", "del", "della", "e", "per", "con", "un", "una", "che",
            "non", "nel", "nella", "alla", "dei", "sono", "è",
        ],
        "nl" => &[
            "de", "het", "een", "en", "van", "met", "voor", "op", "niet", "is", "naar", "bij", "te", "dat",
            "die", "zijn",
        ],
        "sv" => &[
            "och", "i", "att", "det", "som", "en", "på", "är", "av", "för", "med", "till", "den", "har",
            "inte", "om",
        ],
        "tr" => &["ve", "bir", "bu", "için", "ile", "da", "de", "mi", "olarak", "çok", "daha"],
        _ => &[],
    }
}

/// How many of `title`'s words are function words of `lang` (a French elision, `l'` or
/// `d'`, counts as one).
fn function_words(title: &str, lang: &str) -> usize {
    let list = function_word_list(lang);
    title
        .split_whitespace()
        .map(|w| w.to_lowercase())
        .filter(|w| {
            let elided =
                lang == "fr" && ["l'", "d'", "l’", "d’"].iter().any(|p| w.starts_with(p) && w.len() > 2);
            let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
            elided || list.contains(&bare)
        })
        .count()
}

/// How an article's language was decided (the `language_method` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum LanguageMethod {
    /// The detector's answer, with the feed's language or without a feed tag.
    Detected,
    /// The feed's language: the title was too short to detect, or the detector named
    /// another language that the title's words and script do not back.
    Feed,
    /// The detector's answer against the feed's language, backed by the title's script or
    /// its function words.
    DetectedOverFeed,
    /// No language: the title is too short to tell and has no feed tag.
    TooShort,
}

impl LanguageMethod {
    /// The value written to the `language_method` column.
    pub fn as_str(self) -> &'static str {
        match self {
            LanguageMethod::Detected => "detected",
            LanguageMethod::Feed => "feed",
            LanguageMethod::DetectedOverFeed => "detected-over-feed",
            LanguageMethod::TooShort => "too-short",
        }
    }
}

/// [`detect`], without the memory of titles seen before.
pub fn detect_afresh(title: &str) -> Option<&'static str> {
    let letters = title.chars().filter(|c| c.is_alphabetic()).count();
    let spaced = || letters >= MIN_LETTERS && title.split_whitespace().count() >= MIN_WORDS;
    let script = whatlang::detect_script(title)?;
    match script {
        Script::Latin => spaced().then(|| {
            // Typographic quotes read as French elisions (`l’`, `d’`) to the model: `China’s`
            // is English (7,020 real titles: 144 called French before, 82 after).
            let plain: String = title
                .chars()
                .map(|c| match c {
                    '’' | '‘' => '\'',
                    '“' | '”' => '"',
                    c => c,
                })
                .collect();
            latin(whichlang::detect_language(&plain))
        }),
        Script::Mandarin | Script::Hiragana | Script::Katakana | Script::Hangul => {
            let info = whatlang::detect(title)?;
            (letters >= MIN_SCRIPT_CHARS).then(|| iso639_1(info.lang()))
        }
        // Cyrillic, Arabic, Devanagari, …: a handful of languages share each, and whatlang's
        // trigrams tell them apart even when its confidence, a margin over the runner-up
        // (Russian over Ukrainian, say), is low for a title.
        _ => spaced()
            .then(|| whatlang::detect(title).map(|i| iso639_1(russian_or_ukrainian(title, i.lang()))))
            .flatten(),
    }
}

/// Russian and Ukrainian share most letters and many trigrams, but each has letters of its
/// own: `і ї є ґ` are Ukrainian, `ы э ъ ё` Russian. A title with only one language's letters
/// is that language, whatever the trigrams say.
fn russian_or_ukrainian(title: &str, lang: Lang) -> Lang {
    let has = |letters: &[char]| title.chars().flat_map(char::to_lowercase).any(|c| letters.contains(&c));
    let (ukrainian, russian) = (has(&['і', 'ї', 'є', 'ґ']), has(&['ы', 'э', 'ъ', 'ё']));
    match lang {
        Lang::Ukr if !ukrainian => Lang::Rus,
        Lang::Rus if ukrainian && !russian => Lang::Ukr,
        other => other,
    }
}

/// ISO 639-1 for each language whichlang knows.
fn latin(lang: whichlang::Lang) -> &'static str {
    use whichlang::Lang as W;
    match lang {
        W::Ara => "ar",
        W::Cmn => "zh",
        W::Deu => "de",
        W::Eng => "en",
        W::Fra => "fr",
        W::Hin => "hi",
        W::Ita => "it",
        W::Jpn => "ja",
        W::Kor => "ko",
        W::Nld => "nl",
        W::Por => "pt",
        W::Rus => "ru",
        W::Spa => "es",
        W::Swe => "sv",
        W::Tur => "tr",
        W::Vie => "vi",
    }
}

/// ISO 639-1 for each language whatlang knows (ISO 639-3 where 639-1 has none).
fn iso639_1(lang: Lang) -> &'static str {
    match lang {
        Lang::Epo => "eo",
        Lang::Eng => "en",
        Lang::Rus => "ru",
        Lang::Cmn => "zh",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Ben => "bn",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Ukr => "uk",
        Lang::Kat => "ka",
        Lang::Ara => "ar",
        Lang::Hin => "hi",
        Lang::Jpn => "ja",
        Lang::Heb => "he",
        Lang::Yid => "yi",
        Lang::Pol => "pl",
        Lang::Amh => "am",
        Lang::Jav => "jv",
        Lang::Kor => "ko",
        Lang::Nob => "nb",
        Lang::Dan => "da",
        Lang::Swe => "sv",
        Lang::Fin => "fi",
        Lang::Tur => "tr",
        Lang::Nld => "nl",
        Lang::Hun => "hu",
        Lang::Ces => "cs",
        Lang::Ell => "el",
        Lang::Bul => "bg",
        Lang::Bel => "be",
        Lang::Mar => "mr",
        Lang::Kan => "kn",
        Lang::Ron => "ro",
        Lang::Slv => "sl",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Mkd => "mk",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Tam => "ta",
        Lang::Vie => "vi",
        Lang::Urd => "ur",
        Lang::Tha => "th",
        Lang::Guj => "gu",
        Lang::Uzb => "uz",
        Lang::Pan => "pa",
        Lang::Aze => "az",
        Lang::Ind => "id",
        Lang::Tel => "te",
        Lang::Pes => "fa",
        Lang::Mal => "ml",
        Lang::Ori => "or",
        Lang::Mya => "my",
        Lang::Nep => "ne",
        Lang::Sin => "si",
        Lang::Khm => "km",
        Lang::Tuk => "tk",
        Lang::Aka => "ak",
        Lang::Zul => "zu",
        Lang::Sna => "sn",
        Lang::Afr => "af",
        Lang::Lat => "la",
        Lang::Slk => "sk",
        Lang::Cat => "ca",
        Lang::Tgl => "tl",
        Lang::Hye => "hy",
        Lang::Cym => "cy",
    }
}

#[cfg(test)]
mod tests {
    use super::{detect, detect_afresh, REMEMBERED};

    /// Remembered answers are the fresh ones, for titles met again before and after the
    /// memory fills and is cleared.
    #[test]
    fn remembered_titles_get_the_fresh_answer() {
        let title = |i: usize| match i % 4 {
            0 => format!("Japan posts trade deficit for {i} straight months"),
            1 => format!("El gobierno de Trump pidió {i} veces que la Justicia revise el caso"),
            2 => format!("Минобороны сообщило об ударе номер {i}"),
            _ => format!("Xi {i}"),
        };
        let mut languages = std::collections::BTreeSet::new();
        for round in 0..2 {
            for i in (0..REMEMBERED + 100).step_by(if round == 0 { 1 } else { 97 }) {
                let t = title(i);
                assert_eq!(detect(&t), detect_afresh(&t), "{t}");
                assert_eq!(detect(&t), detect_afresh(&t), "{t}, asked again");
                languages.insert(detect(&t));
            }
        }
        // The titles reach every kind of answer, so a memory mixing them up would show.
        for l in [None, Some("en"), Some("es"), Some("ru")] {
            assert!(languages.contains(&l), "{l:?} in {languages:?}");
        }
    }

    #[test]
    fn titles_of_the_real_feeds() {
        assert_eq!(detect("Japan posts trade deficit for 5th straight year in 2025-Xinhua"), Some("en"));
        assert_eq!(
            detect("El informe que revela qué pasará con Maduro en Venezuela y qué significa la presencia de EE.UU."),
            Some("es")
        );
        assert_eq!(detect("贸易摩擦升级 稀土出口管制影响汽车产业"), Some("zh"));
        assert_eq!(detect("レアアース輸出規制 自動車業界に打撃"), Some("ja"));
        assert_eq!(detect("Минобороны сообщило об ударе по объектам"), Some("ru"));
        assert_eq!(detect("ПВО сбила 12 беспилотников над областью"), Some("ru"));
        assert_eq!(detect("Рубль укрепился на фоне роста цен на нефть"), Some("ru"));
        assert_eq!(detect("Сили оборони відбили атаки на фронті під Покровськом"), Some("uk"));
        assert_eq!(
            detect("Number of visitors from Chinese mainland to Japan plunge 45 pct in December"),
            Some("en")
        );
    }

    #[test]
    fn the_feed_is_the_prior() {
        use super::{with_feed, LanguageMethod as M};
        let lang = |t: &str, f: Option<&str>| {
            let (l, m) = with_feed(t, f);
            (l, m.as_str())
        };
        let s = |x: &str| Some(x.to_string());
        // The detector says French; one English function word, none French: the feed's.
        assert_eq!(detect("Trump Confirms Latest Strike on Vessel Near Venezuela"), Some("fr"));
        assert_eq!(
            lang("Trump Confirms Latest Strike on Vessel Near Venezuela", Some("en-US")),
            (s("en"), M::Feed.as_str())
        );
        // A Spanish title in the English feed, and its words say so.
        let fijan = "Fijan para junio de 2027 la fecha del juicio contra Maduro por narcotráfico en EE.UU.";
        assert_eq!(lang(fijan, Some("en-US")), (s("es"), "detected-over-feed"));
        assert_eq!(lang(fijan, Some("es-VE")), (s("es"), "detected"));
        // Another script than the feed's language is evidence enough, either way; a title
        // too short to detect in another script gets no language.
        assert_eq!(
            lang("贸易摩擦升级 稀土出口管制影响汽车产业", Some("en-US")),
            (s("zh"), "detected-over-feed")
        );
        assert_eq!(lang("Japan and China talk", Some("zh-CN")), (s("en"), "detected-over-feed"));
        assert_eq!(lang("Weather", Some("zh-CN")), (None, "too-short"));
        assert_eq!(lang("贸易摩擦升级 稀土出口管制", Some("zh-CN")), (s("zh"), "detected"));
        // Too short to detect: the feed's language; without a feed, none.
        assert_eq!(lang("Maduro", Some("es-VE")), (s("es"), "feed"));
        assert_eq!(lang("Maduro", None), (None, "too-short"));
        // Without a feed tag the detector stands, whatever it says.
        assert_eq!(
            lang("Trump Confirms Latest Strike on Vessel Near Venezuela", None),
            (s("fr"), "detected")
        );
        // A tag that is no language code is no prior.
        assert_eq!(lang("Maduro", Some("2025")), (None, "too-short"));
    }

    #[test]
    fn too_short_to_tell() {
        assert_eq!(detect("Maduro"), None);
        assert_eq!(detect("Trump, Xi"), None);
        assert_eq!(detect(""), None);
        assert_eq!(detect("2025 — 12/3"), None);
    }
}
