//! The source-line grammar on arbitrary text: never a panic, and every field it returns is
//! a slice of the line in the order written.
#![no_main]

use biaslens_digest::source_line;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|line: &str| {
    let _ = source_line::is_numbered(line);
    if let Ok(s) = source_line::parse(line) {
        assert!(line.contains(s.title));
        assert!(line.contains(s.url));
        assert!(line.contains(s.outlet));
        assert!(!s.outlet.is_empty());
        if let Some(d) = s.date {
            let _ = source_line::parse_us_date(d);
        }
    }
    let _ = biaslens_digest::markdown::plain_text(line);
    let _ = biaslens_digest::lang::detect(line);
});
