//! Incremental extraction gives exactly the tables of a full extract, after adds, edits,
//! deletions and a re-run, while parsing only what changed.

use std::path::{Path, PathBuf};

use biaslens::cli::extract::{extract, Config};
use biaslens::generate::{generate, Options};
use chrono::NaiveDate;

use crate::root;

fn config(input: &Path, out: PathBuf, full: bool) -> Config {
    Config { full, ..crate::extract_config(input, out) }
}

fn corpus(dir: &Path, start: &str, days: u32) -> usize {
    let opts =
        Options { start: NaiveDate::parse_from_str(start, "%Y-%m-%d").unwrap(), days, ..Options::default() };
    generate(&opts, |f| {
        let p = dir.join(&f.path);
        std::fs::create_dir_all(p.parent().unwrap())?;
        Ok(std::fs::write(p, &f.bytes)?)
    })
    .unwrap()
}

fn same_tables(a: &Path, b: &Path) {
    for t in ["digests", "perspectives", "articles", "highlights", "problems"] {
        let (x, y) = (
            std::fs::read(a.join(format!("{t}.csv"))).unwrap(),
            std::fs::read(b.join(format!("{t}.csv"))).unwrap(),
        );
        assert!(x == y, "{t}.csv differs between incremental and full extract");
        let read = |d: &Path| {
            polars::prelude::LazyFrame::scan_parquet(d.join(format!("{t}.parquet")), Default::default())
                .unwrap()
                .collect()
                .unwrap()
        };
        assert!(read(a).equals_missing(&read(b)), "{t}.parquet differs");
    }
}

#[test]
fn incremental_equals_full_after_adds_edits_and_deletions() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("digests");
    let n = corpus(&input, "2025-10-01", 20);
    let inc = dir.path().join("incremental");
    let first = extract(&config(&input, inc.clone(), false)).unwrap();
    assert_eq!((first.reuse.parsed, first.reuse.reused), (n, 0));

    // Add: ten more days of every topic (new files only; the variants' broken files are
    // rewritten with the same bytes, so they count as unchanged).
    let before: std::collections::BTreeSet<_> =
        walkdir::WalkDir::new(&input).into_iter().filter_map(Result::ok).map(|e| e.into_path()).collect();
    corpus(&input, "2025-10-21", 10);
    let added = walkdir::WalkDir::new(&input)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !before.contains(e.path()))
        .count();
    // Edit: one digest loses its last source line (its counts no longer add up, so its
    // sides are inferred from the corpus).
    let edited = input.join("china-japan/2025/10/2025-10-05-china-japan.md");
    let text = std::fs::read_to_string(&edited).unwrap();
    let cut = text.trim_end().rfind('\n').unwrap();
    std::fs::write(&edited, &text[..cut + 1]).unwrap();
    // Delete: one digest.
    std::fs::remove_file(input.join("us-china/2025/10/2025-10-06-us-china.md")).unwrap();
    // Re-run: a later copy of an existing day supersedes it.
    let rerun = std::fs::read_to_string(input.join("russia-ukraine/2025/10/2025-10-07-russia-ukraine.md"))
        .unwrap()
        .replacen("T04:00:", "T18:00:", 1);
    std::fs::write(input.join("russia-ukraine/2025/10/2025-10-07-russia-ukraine-late.md"), rerun).unwrap();

    let second = extract(&config(&input, inc.clone(), false)).unwrap();
    // Parsed: the added files, the edit and the re-run; removed: the deleted file.
    assert_eq!((second.reuse.parsed, second.reuse.removed), (added + 2, 1));
    assert_eq!(second.reuse.parsed + second.reuse.reused, second.corpus.files);

    let full = dir.path().join("full");
    extract(&config(&input, full.clone(), true)).unwrap();
    same_tables(&inc, &full);
}

#[test]
fn a_changed_registry_reparses_everything() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("digests");
    let n = corpus(&input, "2025-10-01", 5);
    let out = dir.path().join("tables");
    extract(&config(&input, out.clone(), false)).unwrap();
    let again = extract(&config(&input, out.clone(), false)).unwrap();
    assert_eq!((again.reuse.parsed, again.reuse.reused), (0, n));
    let mut cfg = config(&input, out, false);
    let registry = dir.path().join("outlets.yaml");
    let text = std::fs::read_to_string(root().join("data/outlets.yaml")).unwrap();
    std::fs::write(&registry, text.replace("name: \"Nikkei Asia\"", "name: \"Nikkei Asia Review\"")).unwrap();
    cfg.outlets = registry;
    let changed = extract(&cfg).unwrap();
    assert_eq!(changed.reuse.parsed, n);
    // The manifest lists every input file with its hash.
    let manifest = std::fs::read_to_string(cfg.out.join("manifest.csv")).unwrap();
    assert_eq!(manifest.lines().count(), n + 1);
    assert!(manifest.starts_with("path,size,mtime_ns,sha256\n"));
}

#[test]
fn the_partitioned_layout_analyses_to_the_same_tables() {
    use biaslens::analytics::{self, lexicon::Lexicon, Inputs, Options};
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("digests");
    corpus(&input, "2025-12-20", 30);
    let (single, parts) = (dir.path().join("single"), dir.path().join("parts"));
    extract(&config(&input, single.clone(), false)).unwrap();
    extract(&Config { partitioned: true, ..config(&input, parts.clone(), false) }).unwrap();
    // Hive layout: one file per topic and year, the keys in the path.
    assert!(parts.join("articles/topic=china-japan/year=2025/part-0.parquet").is_file());
    assert!(parts.join("highlights/topic=us-china/year=2026/part-0.parquet").is_file());
    assert!(!parts.join("articles.parquet").exists());
    let lexicon = Lexicon::load(&root().join("data/themes.yaml")).unwrap();
    let a = analytics::analyze(&Inputs::scan(&single).unwrap(), &lexicon, &Options::default()).unwrap();
    let b = analytics::analyze(&Inputs::scan(&parts).unwrap(), &lexicon, &Options::default()).unwrap();
    for ((name, x), (_, y)) in a.tables.iter().zip(&b.tables) {
        assert!(x.equals_missing(y), "{name} differs between layouts");
    }
    // Switching back to single files removes the partitions, so one layout stands.
    extract(&config(&input, parts.clone(), false)).unwrap();
    assert!(parts.join("articles.parquet").is_file() && !parts.join("articles").exists());
}
