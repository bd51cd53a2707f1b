//! Inline Markdown to plain text, for highlight bullets.

/// Removes inline Markdown (`**bold**`, `_em_`, `` `code` ``, `[links](…)`, `![img](…)`) and
/// collapses white space. Underscores inside words (`snake_case`) are kept.
pub fn plain_text(md: &str) -> String {
    let chars: Vec<char> = md.chars().collect();
    let mut out = String::with_capacity(md.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '!' if chars.get(i + 1) == Some(&'[') => i += 1,
            '[' => {
                if let Some((text_end, link_end)) = link_at(&chars, i) {
                    out.push_str(&plain_text(&chars[i + 1..text_end].iter().collect::<String>()));
                    i = link_end + 1;
                    continue;
                }
                out.push(c);
                i += 1;
            }
            '*' | '`' | '~' => i += 1,
            '_' => {
                let prev_word = i > 0 && chars[i - 1].is_alphanumeric();
                let next_word = chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
                if prev_word && next_word {
                    out.push(c);
                }
                i += 1;
            }
            '\\' if chars.get(i + 1).is_some_and(|n| n.is_ascii_punctuation()) => {
                out.push(chars[i + 1]);
                i += 2;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// For a `[` at `start`, the index of its matching `]` and of the `)` closing `(url)` after it.
fn link_at(chars: &[char], start: usize) -> Option<(usize, usize)> {
    let mut depth = 0;
    let mut text_end = None;
    for (j, &c) in chars.iter().enumerate().skip(start) {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    text_end = Some(j);
                    break;
                }
            }
            _ => {}
        }
    }
    let text_end = text_end?;
    if chars.get(text_end + 1) != Some(&'(') {
        return None;
    }
    let mut depth = 0;
    for (j, &c) in chars.iter().enumerate().skip(text_end + 1) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some((text_end, j));
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::plain_text;

    #[test]
    fn strips_inline_markup() {
        assert_eq!(
            plain_text("**Tokyo** says _no_ to [the plan](https://x.org/a_(b)) `now`"),
            "Tokyo says no to the plan now"
        );
        assert_eq!(plain_text("keeps snake_case and a\\*star"), "keeps snake_case and a*star");
        assert_eq!(plain_text("![chart](c.png) text"), "chart text");
        assert_eq!(plain_text("a [bracket] stays"), "a [bracket] stays");
    }
}
