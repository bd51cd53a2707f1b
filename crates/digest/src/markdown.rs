//! Inline Markdown to plain text, for highlight bullets.

/// Removes inline Markdown (`**bold**`, `_em_`, `` `code` ``, `[links](…)`, `![img](…)`) and
/// collapses white space. Underscores inside words (`snake_case`) are kept. Linear in the
/// text's length: brackets are matched once, up front, so a bullet of a million `[` takes
/// no longer than any other of its size.
pub fn plain_text(md: &str) -> String {
    // Most bullets hold no markup: then only their white space is collapsed.
    if !md.bytes().any(|b| matches!(b, b'!' | b'[' | b'*' | b'`' | b'~' | b'_' | b'\\')) {
        return collapsed(md);
    }
    let chars: Vec<char> = md.chars().collect();
    let pairs = Pairs::of(&chars);
    let mut out = String::with_capacity(md.len());
    strip(&chars, 0, chars.len(), &pairs, &mut out);
    collapsed(&out)
}

/// `text` with runs of white space made one space and none at either end; copied as it is
/// when that is already so (most text), without splitting it into words.
fn collapsed(text: &str) -> String {
    let mut after_space = true;
    let single = text.chars().all(|c| {
        let space = c.is_whitespace();
        let fine = !space || (c == ' ' && !after_space);
        after_space = space;
        fine
    });
    if single && !after_space {
        text.to_string()
    } else {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// The matching closer of every `[` and `(`, found with one stack pass.
struct Pairs {
    close: Vec<Option<usize>>,
}

impl Pairs {
    fn of(chars: &[char]) -> Self {
        let mut close = vec![None; chars.len()];
        let (mut squares, mut rounds) = (Vec::new(), Vec::new());
        for (i, &c) in chars.iter().enumerate() {
            match c {
                '[' => squares.push(i),
                ']' => {
                    if let Some(open) = squares.pop() {
                        close[open] = Some(i);
                    }
                }
                '(' => rounds.push(i),
                ')' => {
                    if let Some(open) = rounds.pop() {
                        close[open] = Some(i);
                    }
                }
                _ => {}
            }
        }
        Pairs { close }
    }

    /// For a `[` at `start`, the index of its `]` and of the `)` closing `(url)` right after.
    fn link_at(&self, chars: &[char], start: usize) -> Option<(usize, usize)> {
        let text_end = self.close[start]?;
        if chars.get(text_end + 1) != Some(&'(') {
            return None;
        }
        Some((text_end, self.close[text_end + 1]?))
    }
}

/// Appends the plain text of `chars[from..to]` to `out`.
fn strip(chars: &[char], from: usize, to: usize, pairs: &Pairs, out: &mut String) {
    let mut i = from;
    while i < to {
        let c = chars[i];
        match c {
            '!' if chars.get(i + 1) == Some(&'[') => i += 1,
            '[' => match pairs.link_at(chars, i).filter(|&(_, end)| end < to) {
                Some((text_end, link_end)) => {
                    strip(chars, i + 1, text_end, pairs, out);
                    i = link_end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            },
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
        assert_eq!(plain_text("[outer [inner](u) text](v) after"), "outer inner text after");
        assert_eq!(plain_text("unclosed [link](x and [more"), "unclosed [link](x and [more");
    }

    proptest::proptest! {
        #[test]
        fn the_shortcuts_give_what_stripping_and_splitting_give(
            md in proptest::prop_oneof![
                // Markup, and white space of every kind.
                "[a-z _*`~!\\[\\]()\\\\\t\n\u{a0}\u{2003}é新]{0,40}",
                // No markup (the first shortcut), mostly single spaces (the second).
                "[a-z é新]{0,40}",
                "( ?[a-zé新]{1,6}){0,8}",
            ]
        ) {
            // The full way, as plain_text was before its shortcuts for text without markup
            // and text already spaced once.
            let chars: Vec<char> = md.chars().collect();
            let mut out = String::new();
            super::strip(&chars, 0, chars.len(), &super::Pairs::of(&chars), &mut out);
            let full = out.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(plain_text(&md), full);
        }
    }

    #[test]
    fn many_open_brackets_stay_linear() {
        // Quadratic matching would take minutes here.
        let text = "[(".repeat(200_000);
        assert_eq!(plain_text(&text).len(), text.len());
    }
}
