//! The source-line grammar: `N. [LANG] [TITLE](URL) - OUTLET (M/D/YYYY)`.
//!
//! Titles may hold brackets, parentheses, quotes and ` - `; URLs may hold balanced
//! parentheses. So the line is read from both ends: the number and feed tag from the left,
//! the date and outlet from the right, and the URL by matching its parentheses backwards
//! from the last `) - `, which can only be the URL's closing parenthesis because an outlet
//! name never contains `) - `.

use chrono::NaiveDate;

/// A source line split into its fields, exactly as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine<'a> {
    /// The list number.
    pub position: u32,
    /// The BCP 47 tag in the leading brackets, if any: `language-REGION` of the feed the
    /// article came from (`en-IN`), not the title's language.
    pub feed: Option<&'a str>,
    /// The link text.
    pub title: &'a str,
    /// The link target.
    pub url: &'a str,
    /// The outlet name after ` - `.
    pub outlet: &'a str,
    /// The `M/D/YYYY` text in the trailing parentheses, if any (not yet validated as a date).
    pub date: Option<&'a str>,
}

/// Why a line is not a source line; the message says what the line should look like.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceLineError {
    /// No leading `N. `.
    #[error("it does not start with a list number such as `1. `")]
    NoNumber,
    /// No `[TITLE](URL)` link.
    #[error("it has no `[title](url)` link after the number")]
    NoLink,
    /// No ` - OUTLET` after the link.
    #[error("it has no ` - OUTLET` after the link")]
    NoOutlet,
}

/// Whether `line` looks like an item of a numbered list (`12. …`), grammar aside.
pub fn is_numbered(line: &str) -> bool {
    split_number(line.trim_start()).is_some()
}

fn split_number(line: &str) -> Option<(u32, &str)> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let rest = line[digits..].strip_prefix(". ")?;
    Some((line[..digits].parse().ok()?, rest.trim_start()))
}

/// A BCP 47-looking tag: a 2–3 letter language subtag, then `-`-separated alphanumeric subtags.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let lang = parts.next().unwrap_or("");
    (2..=3).contains(&lang.len())
        && lang.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Splits a trailing ` (M/D/YYYY)` off `text`, returning the rest and the date text.
fn split_date(text: &str) -> (&str, Option<&str>) {
    if let Some(inner_end) = text.strip_suffix(')') {
        if let Some(open) = inner_end.rfind(" (") {
            let inner = &inner_end[open + 2..];
            let looks_like_date = inner.split('/').count() == 3
                && inner.split('/').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
            if looks_like_date {
                return (&text[..open], Some(inner));
            }
        }
    }
    (text, None)
}

/// Parses one source line (without its line ending).
pub fn parse(line: &str) -> Result<SourceLine<'_>, SourceLineError> {
    let (position, rest) = split_number(line.trim()).ok_or(SourceLineError::NoNumber)?;

    let (feed, rest) = match rest.strip_prefix('[').and_then(|r| r.split_once("] [")) {
        // Skip `[` + tag + `] ` so that `rest` starts at the title's `[`.
        Some((tag, _)) if is_language_tag(tag) => (Some(tag), &rest[tag.len() + 3..]),
        _ => (None, rest),
    };
    let link = rest.strip_prefix('[').ok_or(SourceLineError::NoLink)?;

    let (link_and_outlet, date) = split_date(link);
    let close = link_and_outlet.rfind(") - ").ok_or(if link_and_outlet.contains("](") {
        SourceLineError::NoOutlet
    } else {
        SourceLineError::NoLink
    })?;
    let outlet = link_and_outlet[close + 4..].trim();
    if outlet.is_empty() {
        return Err(SourceLineError::NoOutlet);
    }

    // Walk back from the URL's closing parenthesis to its opening one, counting nesting.
    let bytes = link_and_outlet.as_bytes();
    let mut depth = 0usize;
    let mut open = None;
    for i in (0..=close).rev() {
        match bytes[i] {
            b')' => depth += 1,
            b'(' => {
                depth -= 1;
                if depth == 0 {
                    open = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let open = open.filter(|&i| i > 0 && bytes[i - 1] == b']').ok_or(SourceLineError::NoLink)?;
    Ok(SourceLine {
        position,
        feed,
        title: &link_and_outlet[..open - 1],
        url: &link_and_outlet[open + 1..close],
        outlet,
        date,
    })
}

/// Parses `M/D/YYYY` (no zero padding required) into a date.
pub fn parse_us_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.split('/').map(|p| p.parse::<u32>().ok());
    let (m, d, y) = (parts.next()??, parts.next()??, parts.next()??);
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_line_with_cjk_outlet() {
        let line = "1. [en-US] [Japan posts trade deficit for 5th straight year in 2025-Xinhua](https://news.google.com/rss/articles/CBMi?oc=5) - 新华网 (1/22/2026)";
        let s = parse(line).unwrap();
        assert_eq!(s.position, 1);
        assert_eq!(s.feed, Some("en-US"));
        assert_eq!(s.title, "Japan posts trade deficit for 5th straight year in 2025-Xinhua");
        assert_eq!(s.url, "https://news.google.com/rss/articles/CBMi?oc=5");
        assert_eq!(s.outlet, "新华网");
        assert_eq!(s.date, Some("1/22/2026"));
    }

    #[test]
    fn title_with_brackets_and_dashes_url_with_parentheses() {
        let line =
            "7. [[Update] War (again) - what now?](https://en.wikipedia.org/wiki/X_(Y)) - NHK WORLD-JAPAN";
        let s = parse(line).unwrap();
        assert_eq!(s.feed, None);
        assert_eq!(s.title, "[Update] War (again) - what now?");
        assert_eq!(s.url, "https://en.wikipedia.org/wiki/X_(Y)");
        assert_eq!(s.outlet, "NHK WORLD-JAPAN");
        assert_eq!(s.date, None);
    }

    #[test]
    fn lines_that_are_not_sources() {
        assert_eq!(parse("See also the archive."), Err(SourceLineError::NoNumber));
        assert_eq!(parse("3. plain text"), Err(SourceLineError::NoLink));
        assert_eq!(parse("3. [t](u)"), Err(SourceLineError::NoOutlet));
    }

    #[test]
    fn us_dates() {
        assert_eq!(parse_us_date("1/2/2026"), NaiveDate::from_ymd_opt(2026, 1, 2));
        assert_eq!(parse_us_date("12/31/2025"), NaiveDate::from_ymd_opt(2025, 12, 31));
        assert_eq!(parse_us_date("2/30/2026"), None);
        assert_eq!(parse_us_date("13/1/2026"), None);
    }
}
