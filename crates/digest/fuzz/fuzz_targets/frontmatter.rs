//! Splitting the frontmatter from the body, and parsing it, on arbitrary text: the split
//! pieces are the text's own, parsing ends in a value or an error, never a panic, and
//! where the quick path reads a frontmatter it reads what serde_yaml reads.
#![no_main]

use biaslens_digest::frontmatter::{self, RawFrontMatter};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(split) = frontmatter::split(text) {
        assert!(text.contains(split.yaml) && text.ends_with(split.body));
        assert!(split.body_first_line > split.yaml_first_line);
        if split.yaml.len() <= biaslens_digest::MAX_FRONTMATTER_BYTES
            && frontmatter::nesting(split.yaml) <= frontmatter::MAX_NESTING
        {
            let _ = frontmatter::parse(&split);
            if let Some(quick) = frontmatter::quick::parse(split.yaml) {
                let serde: RawFrontMatter = serde_yaml::from_str(split.yaml).expect("serde_yaml reads it too");
                assert_eq!(format!("{quick:?}"), format!("{serde:?}"));
            }
        }
    }
});
