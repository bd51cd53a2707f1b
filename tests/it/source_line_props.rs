//! Property test: any source line written by the grammar parses back to its fields.

use biaslens::extract::source_line;
use proptest::prelude::*;

/// Titles with brackets, ` - `, quotes, pipes, emoji, CJK and Cyrillic.
fn title() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[A-Za-z0-9 ,.:;!?']{1,12}",
        Just("[Update]".to_string()),
        Just(" - ".to_string()),
        Just("(analysis)".to_string()),
        Just("\"quoted\"".to_string()),
        Just(" | ".to_string()),
        Just("日本の貿易赤字".to_string()),
        Just("新华网".to_string()),
        Just("Москва".to_string()),
        Just("🚀".to_string()),
        Just("]".to_string()),
        Just("[".to_string()),
        Just(")".to_string()),
    ];
    proptest::collection::vec(piece, 1..6)
        .prop_map(|v| v.concat())
        .prop_filter("titles are not blank", |t| !t.trim().is_empty())
}

/// URLs without spaces, sometimes with balanced parentheses.
fn url() -> impl Strategy<Value = String> {
    ("[a-z]{3,10}", "[A-Za-z0-9_?=&%.-]{0,30}", proptest::option::of("[A-Za-z0-9_]{1,8}")).prop_map(
        |(host, path, paren)| match paren {
            Some(p) => format!("https://{host}.org/wiki/{path}_({p})"),
            None => format!("https://{host}.com/{path}"),
        },
    )
}

/// Outlets with spaces, dots, hyphens and non-Latin script.
fn outlet() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z][A-Za-z .-]{0,20}[A-Za-z]",
        Just("news.cgtn.com".to_string()),
        Just("NHK WORLD-JAPAN".to_string()),
        Just("新华网".to_string()),
        Just("РИА Новости".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn written_lines_parse_back(
        n in 1u32..500,
        lang in proptest::option::of(prop_oneof![Just("en-US"), Just("zh-CN"), Just("ja-JP"), Just("ru-RU"), Just("uk")]),
        title in title(),
        url in url(),
        outlet in outlet(),
        date in proptest::option::of((1u32..=12, 1u32..=28, 2000u32..2100)),
    ) {
        // A title that itself begins like a language tag would be ambiguous without one.
        prop_assume!(lang.is_some() || !title.starts_with('['));
        prop_assume!(lang.is_some() || !title.split_once("] [").is_some_and(|(t, _)| source_line::is_language_tag(t)));
        let lang_part = lang.map(|l| format!("[{l}] ")).unwrap_or_default();
        let date_text = date.map(|(m, d, y)| format!("{m}/{d}/{y}"));
        let date_part = date_text.as_ref().map(|d| format!(" ({d})")).unwrap_or_default();
        let line = format!("{n}. {lang_part}[{title}]({url}) - {outlet}{date_part}");

        let parsed = source_line::parse(&line).map_err(|e| TestCaseError::fail(format!("{line}: {e}")))?;
        prop_assert_eq!(parsed.position, n);
        prop_assert_eq!(parsed.feed, lang);
        prop_assert_eq!(parsed.title, title.as_str());
        prop_assert_eq!(parsed.url, url.as_str());
        prop_assert_eq!(parsed.outlet, outlet.trim());
        prop_assert_eq!(parsed.date, date_text.as_deref());
    }
}
