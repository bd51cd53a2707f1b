//! Values from a digest that become names on disk (a topic names partition folders and
//! chart files): which are safe. Nothing a digest says is trusted; the writer checks the
//! final paths again.

/// The longest name accepted.
pub const MAX_NAME_LEN: usize = 64;

/// Names Windows reserves for devices, with or without an extension.
const RESERVED: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
    "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Why `name` cannot name a file or folder, if it cannot: it must be 1 to 64 ASCII letters,
/// digits, `-` or `_`, start with a letter or digit, and not be a Windows device name. That
/// rules out `..`, `/` and `\`, absolute paths, NUL and control characters, and look-alike
/// letters of other scripts.
pub fn unsafe_name(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".into());
    }
    if name.len() > MAX_NAME_LEN {
        return Some(format!("it has {} bytes, more than {MAX_NAME_LEN}", name.len()));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        return Some(format!("it holds {}", describe(c)));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Some("it does not start with a letter or digit".into());
    }
    reserved(name).then(|| format!("`{name}` is a device name on Windows"))
}

/// A file-name stem for `value`: the value itself when it is safe ([`unsafe_name`]), else
/// `x-` and a hash of it, so a hostile value from tables made elsewhere still gets a file
/// of its own and never a path.
pub fn file_stem(value: &str) -> String {
    match unsafe_name(value) {
        None => value.to_string(),
        Some(_) => format!("x-{}", crate::hash::sha256_prefix_hex(value.as_bytes(), 6)),
    }
}

/// Whether a file name is one Windows reserves for a device (`nul`, `COM1.txt`, …).
pub fn reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end().to_ascii_lowercase();
    RESERVED.contains(&stem.as_str())
}

/// `value` as one safe file-name component, encoded the way Hive and Spark encode partition
/// values: every byte outside ASCII letters, digits, `-` and `_` becomes `%XX`, so `a/b` is
/// `a%2Fb`, and a name Windows reserves gets its first letter encoded too. Safe values
/// (every topic `extract` accepts) come out unchanged.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for (i, b) in value.bytes().enumerate() {
        let plain = b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        if plain && !(i == 0 && reserved(value)) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if out.is_empty() {
        out.push_str("%00");
    }
    out
}

/// The value [`encode`] made `encoded` from (`%XX` back to its byte; `%00` alone is the
/// empty value). Bytes that do not form UTF-8 are replaced, as a reader of the folder name
/// would see them.
pub fn decode(encoded: &str) -> String {
    if encoded == "%00" {
        return String::new();
    }
    let bytes = encoded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A character named so that a message shows it whatever it is.
fn describe(c: char) -> String {
    match c {
        '/' | '\\' => format!("`{c}`, a path separator"),
        '.' => "`.`, which makes `..` and hidden names possible".into(),
        c if c.is_control() => format!("the control character U+{:04X}", c as u32),
        c if !c.is_ascii() => format!("`{c}` (U+{:04X}), which is not ASCII", c as u32),
        c => format!("`{c}`"),
    }
}

/// `text` with control characters (ANSI escapes included) shown as `\u{…}`, so printing a
/// value from a digest cannot drive a terminal.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_control) {
        text.chars()
            .map(|c| if c.is_control() { c.escape_unicode().to_string() } else { c.to_string() })
            .collect()
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::unsafe_name;

    #[test]
    fn encoding_makes_any_value_one_plain_component() {
        use super::encode;
        assert_eq!(encode("china-japan"), "china-japan");
        assert_eq!(encode("../x/y"), "%2E%2E%2Fx%2Fy");
        assert_eq!(encode("a\\b\0"), "a%5Cb%00");
        assert_eq!(encode("con"), "%63on");
        assert_eq!(encode(""), "%00");
        assert_eq!(encode("日"), "%E6%97%A5");
    }

    #[test]
    fn decoding_gives_back_what_was_encoded() {
        use super::{decode, encode};
        for v in ["china-japan", "../x/y", "a\\b\0", "con", "", "日本", "100%", "a%zz"] {
            assert_eq!(decode(&encode(v)), v, "{v}");
        }
        // A folder written by another tool: a stray `%` stays as it is.
        assert_eq!(decode("a%zz%2"), "a%zz%2");
    }

    #[test]
    fn slugs_pass_and_paths_do_not() {
        for ok in ["china-japan", "us_china", "topic2", "a"] {
            assert_eq!(unsafe_name(ok), None, "{ok}");
        }
        let long = "a".repeat(65);
        let bad = [
            "..",
            "../../etc/x",
            "/abs/path",
            "a/b",
            "a\\b",
            "a\0b",
            "a\u{1b}[31mb",
            "con",
            "NUL",
            "com1",
            "lpt9",
            "",
            long.as_str(),
            "chinа-japan", // Cyrillic а
            "-leading",
            ".hidden",
            "日本",
        ];
        for b in bad {
            assert!(unsafe_name(b).is_some(), "{b:?}");
        }
    }
}
