//! The frontmatter every generated digest has, read without a YAML parser.
//!
//! A YAML parser costs a digest more than the rest of its frontmatter's handling: at 100,000
//! digests it was an eighth of `extract`'s CPU time, a third of that in zeroing the buffers
//! it allocates for each document (BENCHMARKS.md). Digests use a small, regular part of YAML:
//! `key: value` lines whose values are double-quoted text without escapes, whole numbers,
//! `true`/`false`, plain words (`china-japan`, `2026-01-22T04:00:56.766Z`), flow lists of
//! double-quoted text, and the `perspectives:` block list of such maps. [`parse`] reads
//! exactly that part and returns `None` for anything else (a comment, an escape, a quote
//! left open, single quotes, a number where text is expected, a word YAML reads as a number,
//! a boolean or null, a repeated key, control characters, a missing `id`), which is then
//! parsed by serde_yaml as before. Where it returns a value, it is the value serde_yaml
//! gives: a test compares the two on every generated shape, and the fuzz target on
//! arbitrary text.

use std::collections::BTreeMap;

use super::{RawFrontMatter, RawPerspective};

/// One value of the accepted part of YAML.
#[derive(Debug, PartialEq)]
enum Value<'a> {
    /// Double-quoted text without escapes, or a plain word that YAML reads as text.
    Text(&'a str),
    /// A plain whole number that fits a `u32` (YAML reads it as an unsigned integer).
    Number(u32),
    /// `true` or `false`.
    Bool(bool),
    /// `["a", "b"]`: double-quoted texts.
    List(Vec<&'a str>),
    /// Nothing after the colon: a block list follows (only `perspectives` may have one).
    Empty,
}

/// Characters that end the accepted part: YAML refuses some (controls), reads others as
/// line breaks (U+2028, U+2029 in YAML 1.1) or byte-order marks, and a tab changes how
/// lines are indented. A carriage return is accepted only before a line feed (Windows line
/// ends, which [`str::lines`] takes off as YAML does).
fn refused(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r'))
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}

/// Whether every carriage return of `yaml` ends a line, followed by a line feed.
fn line_ends_only(yaml: &str) -> bool {
    let bytes = yaml.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| b != b'\r' || bytes.get(i + 1) == Some(&b'\n'))
}

/// The frontmatter of `yaml` when it lies in the accepted part of YAML, else `None`.
pub fn parse(yaml: &str) -> Option<RawFrontMatter> {
    if yaml.chars().any(refused) || !line_ends_only(yaml) {
        return None;
    }
    let mut fm = RawFrontMatter::default();
    let mut seen: Vec<&str> = Vec::new();
    let mut lines = yaml.lines().peekable();
    while let Some(line) = lines.next() {
        if line.is_empty() {
            continue;
        }
        let (key, value) = key_value(line)?;
        if seen.contains(&key) {
            return None;
        }
        seen.push(key);
        match (key, value) {
            ("perspectives", Value::Empty) => fm.perspectives = Some(block_list(&mut lines)?),
            (_, Value::Empty) => return None,
            ("title", Value::Text(s)) => fm.title = Some(s.to_string()),
            ("date", Value::Text(s)) => fm.date = Some(s.to_string()),
            ("topic", Value::Text(s)) => fm.topic = Some(s.to_string()),
            ("topicName", Value::Text(s)) => fm.topic_name = Some(s.to_string()),
            ("sources", Value::List(items)) => {
                fm.sources = Some(items.iter().map(|s| s.to_string()).collect())
            }
            ("articleCount", Value::Number(n)) => fm.article_count = Some(n),
            ("draft", Value::Bool(b)) => fm.draft = Some(b),
            (
                "title" | "date" | "topic" | "topicName" | "sources" | "articleCount" | "draft"
                | "perspectives",
                _,
            ) => return None,
            (key, value) => {
                fm.other.insert(key.to_string(), to_yaml(value));
            }
        }
    }
    Some(fm)
}

/// The serde_yaml value of an accepted value (`Empty` never reaches here).
fn to_yaml(value: Value<'_>) -> serde_yaml::Value {
    match value {
        Value::Text(s) => serde_yaml::Value::String(s.to_string()),
        Value::Number(n) => serde_yaml::Value::Number(u64::from(n).into()),
        Value::Bool(b) => serde_yaml::Value::Bool(b),
        Value::List(items) => serde_yaml::Value::Sequence(
            items.iter().map(|s| serde_yaml::Value::String(s.to_string())).collect(),
        ),
        Value::Empty => serde_yaml::Value::Null,
    }
}

/// `key: value` at the start of a line: a key of ASCII letters, digits and underscores,
/// then a colon and either the line's end or one space and a value.
fn key_value(line: &str) -> Option<(&str, Value<'_>)> {
    let colon = line.find(':')?;
    let key = &line[..colon];
    let first = key.chars().next()?;
    let ours = (first.is_ascii_alphabetic() || first == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !special(key);
    if !ours {
        return None;
    }
    let rest = &line[colon + 1..];
    if rest.is_empty() {
        return Some((key, Value::Empty));
    }
    Some((key, value(rest.strip_prefix(' ')?)?))
}

/// A value as written after `key: `, with nothing after it.
fn value(text: &str) -> Option<Value<'_>> {
    match text.as_bytes().first()? {
        b'"' => quoted(text).filter(|(_, rest)| rest.is_empty()).map(|(s, _)| Value::Text(s)),
        b'[' => list(text).map(Value::List),
        _ => plain(text),
    }
}

/// Double-quoted text without escapes at the start of `text`, and what follows it.
fn quoted(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_prefix('"')?;
    let end = inner.find(['"', '\\'])?;
    (inner.as_bytes()[end] == b'"').then(|| (&inner[..end], &inner[end + 1..]))
}

/// `["a", "b"]` (also `[]`), items separated by a comma and at most one space.
fn list(text: &str) -> Option<Vec<&str>> {
    let mut rest = text.strip_prefix('[')?;
    let mut items = Vec::new();
    if rest == "]" {
        return Some(items);
    }
    loop {
        let (item, after) = quoted(rest)?;
        items.push(item);
        if after == "]" {
            return Some(items);
        }
        let after = after.strip_prefix(',')?;
        rest = after.strip_prefix(' ').unwrap_or(after);
    }
}

/// A plain scalar: a whole number, `true`/`false`, or a word YAML reads as text. Anything
/// YAML might read otherwise (floats, `null`, `0x1F`, `yes` in YAML 1.1, a leading zero)
/// is refused.
fn plain(text: &str) -> Option<Value<'_>> {
    match text {
        "true" => return Some(Value::Bool(true)),
        "false" => return Some(Value::Bool(false)),
        _ => {}
    }
    let bytes = text.as_bytes();
    if bytes.iter().all(u8::is_ascii_digit) {
        // A leading zero is octal to some YAML readers; past `u32` is left to serde_yaml.
        if bytes.len() > 1 && bytes[0] == b'0' {
            return None;
        }
        return text.parse().ok().map(Value::Number);
    }
    let word = bytes[0].is_ascii_alphanumeric()
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b':'))
        && bytes.iter().any(u8::is_ascii_alphabetic)
        && !text.ends_with(':')
        && !text.contains(":-")
        && text.parse::<f64>().is_err()
        && !matches!(bytes, [b'0', b'x' | b'X' | b'o' | b'O' | b'b' | b'B', ..])
        && !special(text);
    word.then_some(Value::Text(text))
}

/// A word some YAML reader takes for a boolean or null (YAML 1.1 included), in any case.
fn special(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
    )
}

/// The items of the `perspectives:` block list, from the lines after its key: each item
/// `- key: value` at one indentation, its other keys two spaces further in.
fn block_list<'a>(lines: &mut std::iter::Peekable<std::str::Lines<'a>>) -> Option<Vec<RawPerspective>> {
    let mut items = Vec::new();
    let mut indent = None;
    while let Some(line) = lines.peek() {
        let spaces = leading_spaces(line);
        let Some(first) = line[spaces..].strip_prefix("- ") else { break };
        if *indent.get_or_insert(spaces) != spaces {
            return None;
        }
        lines.next();
        let mut fields = vec![key_value(first)?];
        // The item's other keys: exactly two spaces further in than its `- `.
        while let Some(next) = lines.peek().filter(|l| leading_spaces(l) == spaces + 2) {
            fields.push(key_value(&next[spaces + 2..])?);
            lines.next();
        }
        items.push(perspective(fields)?);
    }
    // Under `perspectives:` at the top level, a list at column 0 is allowed; a line that is
    // neither an item nor a top-level key is not ours.
    if items.is_empty() {
        return None;
    }
    Some(items)
}

/// The spaces a line starts with.
fn leading_spaces(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// One perspective from its fields: `id` is required, other keys are ignored as serde
/// ignores them (but must still be accepted values and not repeated).
fn perspective(fields: Vec<(&str, Value<'_>)>) -> Option<RawPerspective> {
    let mut by_key: BTreeMap<&str, Value<'_>> = BTreeMap::new();
    for (key, value) in fields {
        if matches!(value, Value::Empty) || by_key.insert(key, value).is_some() {
            return None;
        }
    }
    let text = |v: Option<&Value<'_>>| match v {
        None => Some(None),
        Some(Value::Text(s)) => Some(Some(s.to_string())),
        Some(_) => None,
    };
    let id = text(by_key.get("id"))??;
    let name = text(by_key.get("name"))?;
    let count = match by_key.get("count") {
        None => None,
        Some(Value::Number(n)) => Some(*n),
        Some(_) => return None,
    };
    Some(RawPerspective { id, name, count })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// serde_yaml's reading of `yaml`, as the parser had it before [`parse`].
    fn by_serde(yaml: &str) -> Result<RawFrontMatter, serde_yaml::Error> {
        serde_yaml::from_str(yaml)
    }

    /// Fails when [`parse`] gives a value that serde_yaml does not give.
    fn agrees(yaml: &str) -> Result<bool, TestCaseError> {
        let Some(quick) = parse(yaml) else { return Ok(false) };
        let serde = by_serde(yaml).map_err(|e| TestCaseError::fail(format!("{yaml:?}: serde fails: {e}")))?;
        prop_assert_eq!(format!("{quick:?}"), format!("{serde:?}"), "{:?}", yaml);
        Ok(true)
    }

    const REFERENCE: &str = "title: \"China vs Japan News - 2026-01-22\"\ndate: 2026-01-22T04:00:56.766Z\ntopic: china-japan\ntopicName: \"China vs Japan\"\nsources: [\"新华网\", \"South China Morning Post\", \"news.cgtn.com\", \"Nikkei Asia\", \"The Japan Times\"]\narticleCount: 20\nperspectives:\n  - id: \"china\"\n    name: \"China\"\n    count: 10\n  - id: \"japan\"\n    name: \"Japan\"\n    count: 10\nchinaSources: 10\njapanSources: 10\ndraft: false\n";

    #[test]
    fn the_reference_digest_is_read_as_serde_yaml_reads_it() {
        // The frontmatter of ../shared/seed/2026-01-22-china-japan.md, as written.
        assert!(agrees(REFERENCE).unwrap(), "the reference shape must take the quick path");
        let fm = parse(REFERENCE).unwrap();
        assert_eq!(fm.topic.as_deref(), Some("china-japan"));
        assert_eq!(fm.sources.as_ref().map(Vec::len), Some(5));
        assert_eq!(fm.perspectives.as_ref().map(|p| p[1].id.as_str()), Some("japan"));
        assert_eq!(fm.per_side_count("china"), Some(Some(10)));
    }

    #[test]
    fn what_yaml_might_read_otherwise_is_left_to_serde_yaml() {
        for yaml in [
            "topic: china-japan # a comment\n",
            "title: 'single quotes'\n",
            "title: \"an \\\"escape\\\"\"\n",
            "title: \"open\n",
            "topic: null\n",
            "topic: yes\n",
            "topic: 1e5\n",
            "topic: 0x1F\n",
            "topic: inf\n",
            "articleCount: 010\n",
            "articleCount: 4294967296\n",
            "articleCount: \"20\"\n",
            "title: 2026\n",
            "draft: True\n",
            "topic: a\ntopic: b\n",
            "true: 1\n",
            "perspectives:\n  - name: \"no id\"\n",
            "perspectives:\n  - id: 7\n",
            "perspectives:\n  - id: \"a\"\n      deeper: 1\n",
            "perspectives: [{\"id\": \"a\"}]\n",
            "sources: [ \"a\" ]\n",
            "icon: \"\u{f0}\u{9f}\u{87}\u{bb}\"\n",
            "title: \"x\" \n",
            "title: \"x\"\r",
            "title: \"x\"\rtopic: y\n",
            "title: \"x\"\r\r\n",
            "\ttitle: x\n",
            "other:\n",
        ] {
            assert!(parse(yaml).is_none(), "{yaml:?} should be left to serde_yaml");
        }
    }

    fn pick(values: &[&'static str]) -> BoxedStrategy<String> {
        prop::sample::select(values.to_vec()).prop_map(str::to_string).boxed()
    }

    const TEXTS: &[&str] = &[
        "\"China vs Japan\"",
        "\"新华网\"",
        "\"\"",
        "\" padded \"",
        "\"a # b\"",
        "\"a: b\"",
        "\"[x]\"",
        "\"it's\"",
        "china-japan",
        "2026-01-22T04:00:56.766Z",
        "x",
        "a:b",
        "e5",
        "x.y",
        "v1.2",
    ];
    const NUMBERS: &[&str] = &["10", "0", "7", "4294967295", "999999999"];
    const BOOLS: &[&str] = &["true", "false"];
    const LISTS: &[&str] =
        &["[\"a\", \"b\"]", "[\"a\",\"b\"]", "[]", "[\"a, b\"]", "[\"a]\"]", "[\"新华网\", \"RT\"]"];
    /// Near misses: what YAML reads otherwise, or what the quick path leaves to serde_yaml.
    const TRICKY: &[&str] = &[
        "\"a\\\"b\"",
        "'x'",
        "2026-01-22",
        "a:",
        "010",
        "4294967296",
        "1000000000",
        "-1",
        "+1",
        "1.5",
        "1e5",
        "1E5",
        "inf",
        "Inf",
        "NaN",
        "nan",
        "infinity",
        "0x1F",
        "0o7",
        "0b1",
        "True",
        "FALSE",
        "yes",
        "No",
        "on",
        "off",
        "y",
        "N",
        "null",
        "Null",
        "~",
        "[ ]",
        "[\"a\" , \"b\"]",
        "[a, b]",
        "[\"a\", 1]",
        "\"x\" # c",
        "x # c",
        "x ",
        "",
        "\"open",
        "a b",
    ];

    /// A value for `key`: mostly of the type the key takes, sometimes any, sometimes a
    /// near miss.
    fn value_for(key: &str) -> BoxedStrategy<String> {
        let typed = match key {
            "title" | "date" | "topic" | "topicName" | "id" | "name" => pick(TEXTS),
            "articleCount" | "count" | "chinaSources" | "japanSources" => pick(NUMBERS),
            "draft" => pick(BOOLS),
            "sources" | "tags" => pick(LISTS),
            _ => prop_oneof![pick(TEXTS), pick(NUMBERS), pick(BOOLS), pick(LISTS)].boxed(),
        };
        let any = prop_oneof![pick(TEXTS), pick(NUMBERS), pick(BOOLS), pick(LISTS)];
        prop_oneof![12 => typed, 2 => any, 1 => pick(TRICKY)].boxed()
    }

    /// `key: value` lines of distinct keys, now and then a key YAML reads otherwise or one
    /// repeated.
    fn lines() -> impl Strategy<Value = Vec<String>> {
        let keys = prop::sample::subsequence(
            vec![
                "title",
                "date",
                "topic",
                "topicName",
                "sources",
                "articleCount",
                "draft",
                "chinaSources",
                "japanSources",
                "tags",
                "topic_name",
                "_x",
            ],
            0..8,
        )
        .prop_shuffle();
        let odd = prop::option::weighted(
            0.1,
            prop::sample::select(vec!["y", "true", "Null", "1a", "a b", "title"]),
        );
        (keys, odd).prop_flat_map(|(mut keys, odd)| {
            keys.extend(odd);
            keys.into_iter()
                .map(|k| {
                    value_for(k).prop_map(move |v| {
                        if v.is_empty() {
                            format!("{k}:\n")
                        } else {
                            format!("{k}: {v}\n")
                        }
                    })
                })
                .collect::<Vec<_>>()
        })
    }

    fn perspective_block() -> impl Strategy<Value = String> {
        let field = prop::sample::select(vec!["id", "name", "count", "icon", "id"])
            .prop_flat_map(|k| value_for(k).prop_map(move |v| (k, v)));
        let item = (value_for("id"), prop::collection::vec(field, 0..3)).prop_map(|(id, mut rest)| {
            rest.insert(0, ("id", id));
            rest
        });
        (prop::sample::select(vec![0usize, 2, 4]), prop::collection::vec(item, 0..3)).prop_map(
            |(indent, items)| {
                let mut text = String::from("perspectives:\n");
                for item in items {
                    for (i, (key, value)) in item.into_iter().enumerate() {
                        let lead = if i == 0 { "- " } else { "  " };
                        let sep = if value.is_empty() { "" } else { " " };
                        text += &format!("{}{lead}{key}:{sep}{value}\n", " ".repeat(indent));
                    }
                }
                text
            },
        )
    }

    /// Frontmatters of up to six `key: value` lines and a perspectives block, in any order.
    fn frontmatters() -> impl Strategy<Value = String> {
        (lines(), prop::option::of(perspective_block()), 0usize..8, prop::bool::weighted(0.2)).prop_map(
            |(mut text, block, at, windows)| {
                if let Some(block) = block {
                    text.insert(at.min(text.len()), block);
                }
                let text = text.concat();
                // Some with Windows line ends (the generator writes a few).
                if windows {
                    text.replace('\n', "\r\n")
                } else {
                    text
                }
            },
        )
    }

    #[test]
    fn where_it_reads_a_frontmatter_it_reads_what_serde_yaml_reads() {
        let mut runner = proptest::test_runner::TestRunner::new_with_rng(
            ProptestConfig { cases: 20_000, failure_persistence: None, ..ProptestConfig::default() },
            proptest::test_runner::TestRng::deterministic_rng(proptest::test_runner::RngAlgorithm::ChaCha),
        );
        // Cases the quick path read: with three lines or more, and with perspectives.
        let (long, with_perspectives) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
        runner
            .run(&frontmatters(), |yaml| {
                if agrees(&yaml)? {
                    long.set(long.get() + u32::from(yaml.lines().count() >= 3));
                    with_perspectives.set(with_perspectives.get() + u32::from(yaml.contains("- id")));
                }
                Ok(())
            })
            .unwrap();
        // Not a vacuous pass: the quick path decided many cases of each kind.
        assert!(long.get() >= 500 && with_perspectives.get() >= 200, "{long:?} {with_perspectives:?}");
    }

    #[test]
    fn the_generated_shapes_mostly_take_the_quick_path() {
        // The property above would pass if `parse` refused everything; this holds it to
        // reading what the generator writes, perspectives and older layouts alike.
        let older = "title: \"x\"\ndate: 2026-01-22T04:00:56.766Z\ntopic: us-china\narticleCount: 20\nusSources: 10\nchinaSources: 10\ntags: [\"news\", \"digest\"]\ncategories: [\"daily\"]\ndraft: false\n";
        for yaml in [REFERENCE, older, &REFERENCE.replace('\n', "\r\n")] {
            assert!(agrees(yaml).unwrap(), "{yaml}");
        }
    }
}
