//! Splits the YAML frontmatter from the body and deserializes it into a typed struct.
//!
//! Line numbers matter here: a YAML error at YAML line 3 is file line 4, because the
//! opening `---` is line 1. Everything this module reports is in file lines.

use std::collections::BTreeMap;

use serde::Deserialize;

pub mod quick;

/// A file split at its frontmatter fences.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences.
    pub yaml: &'a str,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// File line of the first YAML line (2 when the file starts with `---`).
    pub yaml_first_line: u32,
    /// File line of the first body line.
    pub body_first_line: u32,
}

/// Why a file has no usable frontmatter block.
#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with `---`: plain Markdown, not a digest.
    NoFrontmatter,
    /// The opening `---` is never closed.
    Unterminated,
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Splits `text` (BOM already removed) into frontmatter and body.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().ok_or(SplitError::NoFrontmatter)?;
    if !is_fence(first) {
        return Err(SplitError::NoFrontmatter);
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (line_no, line) in (2u32..).zip(lines) {
        if is_fence(line) {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                body: &text[offset + line.len()..],
                yaml_first_line: 2,
                body_first_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(SplitError::Unterminated)
}

/// One entry of `perspectives`.
#[derive(Debug, Deserialize, PartialEq, Eq)]
pub struct RawPerspective {
    /// Perspective id (`china`); numbers and booleans are accepted and turned into text.
    #[serde(deserialize_with = "scalar_string")]
    pub id: String,
    /// Display name (`China`); defaults to the id.
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub name: Option<String>,
    /// Articles of the Sources list that belong to this side.
    #[serde(default)]
    pub count: Option<u32>,
}

/// The digest frontmatter. All keys are optional here so that business rules, checked
/// afterwards, can say precisely which key is missing instead of a bare serde error.
#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct RawFrontMatter {
    /// Display title.
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub title: Option<String>,
    /// RFC 3339 timestamp, kept as text so a bad one gets our own message.
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub date: Option<String>,
    /// Topic slug.
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub topic: Option<String>,
    /// Topic display name.
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub topic_name: Option<String>,
    /// Distinct outlets, in order of first appearance.
    #[serde(default)]
    pub sources: Option<Vec<String>>,
    /// Number of articles the digest says it is based on.
    #[serde(default)]
    pub article_count: Option<u32>,
    /// The sides compared.
    #[serde(default)]
    pub perspectives: Option<Vec<RawPerspective>>,
    /// Hugo draft flag.
    #[serde(default)]
    pub draft: Option<bool>,
    /// Everything else, including the `<id>Sources` counts.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_yaml::Value>,
}

impl RawFrontMatter {
    /// Whether this frontmatter claims to be a digest at all (as opposed to a Hugo section page).
    pub fn looks_like_digest(&self) -> bool {
        self.topic.is_some() || self.perspectives.is_some() || self.article_count.is_some()
    }

    /// The `<id>Sources` count for a perspective id, if present and a whole number.
    pub fn per_side_count(&self, id: &str) -> Option<Option<u64>> {
        self.other.get(&format!("{id}Sources")).map(serde_yaml::Value::as_u64)
    }

    /// Every `<id>Sources: N` key with a whole number, as `(id, N)`, sorted by id: the sides
    /// of the older layout, which has no `perspectives` list.
    pub fn side_count_keys(&self) -> Vec<(String, u64)> {
        self.other
            .iter()
            .filter_map(|(k, v)| {
                let id = k.strip_suffix("Sources").filter(|id| !id.is_empty())?;
                Some((id.to_string(), v.as_u64()?))
            })
            .collect()
    }
}

/// The deepest nesting of flow collections (`[…]`, `{…}`) a frontmatter may have. Digests
/// nest two levels (`perspectives: [{…}]`); YAML parsers get slow long before they refuse a
/// hostile depth (100,000 levels took 30 s), so deeper text is refused before parsing.
pub const MAX_NESTING: usize = 32;

/// How deep the flow collections of `yaml` nest, quoted text and comments aside.
pub fn nesting(yaml: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut prev = ' ';
    for c in yaml.chars() {
        match (quote, c) {
            _ if comment => comment = c != '\n',
            (Some('"'), '"') if prev != '\\' => quote = None,
            (Some('\''), '\'') => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') if prev.is_whitespace() => comment = true,
            (None, '[' | '{') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        // An escaped backslash does not escape the quote after it.
        prev = if prev == '\\' && c == '\\' { ' ' } else { c };
    }
    deepest
}

/// A parsed frontmatter, and the file lines whose control characters were removed first.
pub type Parsed = (RawFrontMatter, Vec<u32>);

/// Parses the YAML block. On error, returns the file line (if serde_yaml knows it) and
/// message. YAML refuses control characters (C0 but tab and line breaks, DEL, C1), which
/// some generated digests carry inside an unimportant value (a mangled emoji): when only
/// they stand in the way, they are removed from a copy, and the lines that held them are
/// returned so the caller can say so. The shape generated digests have is read without a
/// YAML parser ([`quick`]), to the same value.
pub fn parse(split: &Split<'_>) -> Result<Parsed, (Option<u32>, String)> {
    if split.yaml.trim().is_empty() {
        return Ok((RawFrontMatter::default(), Vec::new()));
    }
    let strict = read(split.yaml, split.yaml_first_line);
    match strict {
        Err(e) if split.yaml.chars().any(is_control) => {
            let lines: Vec<u32> = (split.yaml_first_line..)
                .zip(split.yaml.lines())
                .filter(|(_, l)| l.chars().any(is_control))
                .map(|(n, _)| n)
                .collect();
            let cleaned: String = split.yaml.chars().filter(|&c| !is_control(c)).collect();
            read(&cleaned, split.yaml_first_line).map(|fm| (fm, lines)).map_err(|_| e)
        }
        other => other.map(|fm| (fm, Vec::new())),
    }
}

/// A character YAML does not allow in a document: C0 controls other than tab, line feed and
/// carriage return, DEL, and C1 controls (U+0085, the next-line character, included).
pub fn is_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// The frontmatter of `yaml`: by [`quick::parse`] when it can, else by serde_yaml.
fn read(yaml: &str, first_line: u32) -> Result<RawFrontMatter, (Option<u32>, String)> {
    quick::parse(yaml).map_or_else(|| from_yaml(yaml, first_line), Ok)
}

fn from_yaml(yaml: &str, first_line: u32) -> Result<RawFrontMatter, (Option<u32>, String)> {
    serde_yaml::from_str(yaml).map_err(|e| {
        let line = e.location().map(|loc| first_line + loc.line() as u32 - 1);
        // serde_yaml appends "at line X column Y" in YAML lines; drop it, we give file lines.
        let msg = e.to_string();
        let msg = match msg.find(" at line ") {
            Some(i) => msg[..i].to_string(),
            None => msg,
        };
        (line, msg)
    })
}

fn scalar_to_string(v: serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::String(s) => Some(s),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn scalar_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let v = serde_yaml::Value::deserialize(d)?;
    scalar_to_string(v).ok_or_else(|| serde::de::Error::custom("expected text"))
}

fn opt_scalar_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match serde_yaml::Value::deserialize(d)? {
        serde_yaml::Value::Null => Ok(None),
        v => scalar_to_string(v).map(Some).ok_or_else(|| serde::de::Error::custom("expected text")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_counts_file_lines() {
        let s = split("---\ntitle: x\ntopic: t\n---\n\nbody\n").unwrap();
        assert_eq!(s.yaml, "title: x\ntopic: t\n");
        assert_eq!(s.body, "\nbody\n");
        assert_eq!(s.body_first_line, 5);
    }

    #[test]
    fn split_without_fences() {
        assert_eq!(split("# Hello\n"), Err(SplitError::NoFrontmatter));
        assert_eq!(split("---\ntitle: x\n"), Err(SplitError::Unterminated));
    }

    #[test]
    fn control_characters_in_a_value_are_removed_and_their_line_named() {
        // A flag emoji decoded as Latin-1: C1 controls (U+0087, U+009F) inside a value.
        let text = "---\ntitle: x\nicon: \"\u{f0}\u{9f}\u{87}\u{bb}\"\ntopic: t\n---\n";
        let s = split(text).unwrap();
        let (fm, lines) = parse(&s).unwrap();
        assert_eq!(fm.topic.as_deref(), Some("t"));
        assert_eq!(lines, [3]);
        // Truly broken YAML stays an error, control characters or not.
        let broken = "---\ntitle: [x\u{85}\ntopic: t\n---\n";
        assert!(parse(&split(broken).unwrap()).is_err());
    }

    #[test]
    fn nesting_counts_flow_collections_outside_quotes() {
        assert_eq!(nesting("perspectives:\n  - {id: a, name: \"[x]\"}\n"), 1);
        assert_eq!(nesting("a: [[1, {b: [2]}]]  # [[[[\n"), 4);
        assert_eq!(nesting("a: 'it''s [ fine'\n"), 0);
        assert_eq!(nesting(&format!("x: {}", "[".repeat(100_000))), 100_000);
    }

    #[test]
    fn yaml_error_line_is_a_file_line() {
        let text = "---\ntitle: ok\ntopic: [unclosed\nfoo: bar\n---\n";
        let s = split(text).unwrap();
        let (line, _) = parse(&s).unwrap_err();
        // The error is reported somewhere in the YAML block, i.e. file lines 2..=4, never line 1.
        assert!(matches!(line, Some(2..=5)), "{line:?}");
    }
}
