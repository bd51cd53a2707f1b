//! Splitting the frontmatter from the body, and parsing it, on arbitrary text: the split
//! pieces are the text's own, and parsing ends in a value or an error, never a panic.
#![no_main]

use biaslens_digest::frontmatter;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(split) = frontmatter::split(text) {
        assert!(text.contains(split.yaml) && text.ends_with(split.body));
        assert!(split.body_first_line > split.yaml_first_line);
        if split.yaml.len() <= biaslens_digest::MAX_FRONTMATTER_BYTES
            && frontmatter::nesting(split.yaml) <= frontmatter::MAX_NESTING
        {
            let _ = frontmatter::parse(&split);
        }
    }
});
