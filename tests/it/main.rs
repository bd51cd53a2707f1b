//! The one integration-test binary: each module tests one part of the pipeline end to end.

mod analytics;
mod analytics_props;
mod cli;
mod compare;
mod docs;
mod export;
mod first_days;
mod fixture;
mod hostile;
mod incremental;
mod incremental_analysis;
mod killed;
mod parity;
mod policy;
mod reference;
mod report;
mod revision;
mod sides;
mod source_line_props;
mod stories;
mod tables_built;
mod tone_grounding;
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
pub fn extract_config(input: &std::path::Path, out: PathBuf) -> biaslens::extract::Config {
    biaslens::extract::Config {
        input: input.to_path_buf(),
        out,
        outlets: Some(root().join("data/outlets.yaml")),
        layout: biaslens::store::Layout { format: biaslens::write::Format::Both, partitioned: false },
        strict: false,
        verbose: false,
        progress: false,
        full: false,
        rules: Default::default(),
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

/// A fresh folder under the system's temporary folder, removed when dropped. (A dev-dependency
/// such as `tempfile` would change the features of crates Polars shares and make the test
/// build compile Polars a second time.)
pub struct TempDir(PathBuf);

impl TempDir {
    /// The folder.
    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A new empty [`TempDir`].
pub fn tempdir() -> TempDir {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("biaslens-test-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the temporary folder can be created");
    TempDir(dir)
}

/// Writes the generated corpus from `start` (YYYY-MM-DD) for `days` days into `dir`;
/// returns the number of files.
pub fn generated(dir: &std::path::Path, start: &str, days: u32) -> usize {
    let opts = biaslens_generate::Options {
        start: chrono::NaiveDate::parse_from_str(start, "%Y-%m-%d").unwrap(),
        days,
        ..Default::default()
    };
    biaslens_generate::generate(&opts, |f| {
        let p = dir.join(&f.path);
        std::fs::create_dir_all(p.parent().unwrap())?;
        Ok(std::fs::write(p, &f.bytes)?)
    })
    .unwrap()
}

/// Asserts that each table of `names` is the same in folders `a` and `b`: its CSV byte for
/// byte (naming the first line that differs; both folders hold it or neither does), its
/// Parquet value for value.
pub fn same_tables(a: &std::path::Path, b: &std::path::Path, names: &[&str]) {
    for t in names {
        let csv = format!("{t}.csv");
        let held = (a.join(&csv).is_file(), b.join(&csv).is_file());
        assert!(held.0 == held.1, "{csv} is in only one of the two folders: {held:?}");
        let (x, y) = match held.0 {
            true => (std::fs::read(a.join(&csv)).unwrap(), std::fs::read(b.join(&csv)).unwrap()),
            // Parquet only (the analysis's detail tables): compared below.
            false => (Vec::new(), Vec::new()),
        };
        if x != y {
            let (x, y) = (String::from_utf8_lossy(&x), String::from_utf8_lossy(&y));
            let first = x.lines().zip(y.lines()).position(|(p, q)| p != q);
            let line = |s: &str| first.and_then(|i| s.lines().nth(i)).unwrap_or("").to_string();
            panic!("{t}.csv differs at line {first:?}:\n{}\n{}", line(&x), line(&y));
        }
        let read = |d: &std::path::Path| {
            use polars::prelude::SerReader;
            let file = std::fs::File::open(d.join(format!("{t}.parquet"))).unwrap();
            polars::prelude::ParquetReader::new(file).finish().unwrap()
        };
        assert!(read(a).equals_missing(&read(b)), "{t}.parquet differs");
    }
}
