//! The one integration-test binary: each module tests one part of the pipeline end to end.

mod analytics;
mod analytics_props;
mod compare;
mod export;
mod fixture;
mod incremental;
mod policy;
mod reference;
mod report;
mod source_line_props;
mod variants;

use std::path::PathBuf;

use biaslens::outlets::Registry;

/// The project's root folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped outlet registry.
pub fn registry() -> Registry {
    Registry::load(&root().join("data/outlets.yaml")).expect("data/outlets.yaml loads")
}

/// An extract configuration with the shipped registry, both formats, no progress bar.
pub fn extract_config(input: &std::path::Path, out: PathBuf) -> biaslens::cli::extract::Config {
    biaslens::cli::extract::Config {
        input: input.to_path_buf(),
        out,
        outlets: root().join("data/outlets.yaml"),
        format: biaslens::write::Format::Both,
        strict: false,
        verbose: false,
        progress: false,
        full: false,
        partitioned: false,
    }
}

/// A small valid digest: China 2 articles, Japan 1, three overall bullets.
pub const SMALL: &str = "---
title: \"China vs Japan News - 2026-01-20\"
date: 2026-01-20T04:00:00.000Z
topic: china-japan
topicName: \"China vs Japan\"
sources: [\"新华网\", \"Nikkei Asia\"]
articleCount: 3
perspectives:
  - id: \"china\"
    name: \"China\"
    count: 2
  - id: \"japan\"
    name: \"Japan\"
    count: 1
chinaSources: 2
japanSources: 1
draft: false
---

## Overall Highlights

- First overall point.
- Second overall point.
- Third overall point.

<!--more-->

## China Perspective (China Sources)

- China point.

## Japan Perspective (Japan Sources)

- Japan point.

## Sources

This summary is based on 3 articles from the following sources:

1. [en-US] [Trade row deepens](https://example.com/a) - 新华网 (1/20/2026)
2. [zh-CN] [贸易摩擦升级](https://example.com/b) - Xinhua (1/19/2026)
3. [en-US] [Tokyo responds](https://example.com/c) - Nikkei Asia (1/20/2026)
";

/// File line of the first source line in [`SMALL`].
pub const SMALL_FIRST_SOURCE_LINE: u32 = 40;
