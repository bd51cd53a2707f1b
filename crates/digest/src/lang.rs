//! The language of a title, detected from its text, with no I/O.
//!
//! The bracketed tag of a source line names the feed an article came from (`[en-US]` is the
//! US English feed), so a Spanish title in an English feed is still Spanish. Titles too short
//! to tell get no language rather than a guess.
//!
//! Two maintained detectors, each where it is good. Titles in the Latin script go to
//! whichlang (Quickwit's linear model over 16 major languages): on the 7,020 English titles
//! of `../shared/real` it is right 97.5% of the time, in 3 µs, where whatlang's trigrams call
//! a quarter of them French, Catalan or Tagalog (and lingua, right 99.6%, takes 0.5 ms). Every other script goes to whatlang, which
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
    fn too_short_to_tell() {
        assert_eq!(detect("Maduro"), None);
        assert_eq!(detect("Trump, Xi"), None);
        assert_eq!(detect(""), None);
        assert_eq!(detect("2025 — 12/3"), None);
    }
}
