//! Incremental extraction gives exactly the tables of a full extract, after adds, edits,
//! deletions and a re-run, while parsing only what changed.

use std::path::{Path, PathBuf};

use biaslens::extract::{run as extract, Config};

use crate::root;

fn config(input: &Path, out: PathBuf, full: bool) -> Config {
    Config { full, ..crate::extract_config(input, out) }
}

fn corpus(dir: &Path, start: &str, days: u32) -> usize {
    crate::generated(dir, start, days)
}

fn same_tables(a: &Path, b: &Path) {
    crate::same_tables(a, b, &["digests", "perspectives", "articles", "highlights", "summaries", "problems"]);
}

/// Adds, edits, deletes and re-runs digests of February 2026 in a corpus generated from
/// 2025-12-15 for 50 days (to 2026-02-02); returns the number of files added. Digests of
/// December and January are left alone, so the 2026 partitions mix kept and new months.
fn change(input: &Path) -> usize {
    // Add: ten more days of every topic (new files only).
    let listing = || -> std::collections::BTreeSet<_> {
        walkdir::WalkDir::new(input)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect()
    };
    let before = listing();
    corpus(input, "2026-02-03", 10);
    let added = listing().difference(&before).count();
    // Edit: one digest loses its last source line (its counts no longer add up, so its
    // sides are inferred from the corpus).
    let edited = input.join("china-japan/2026/02/2026-02-01-china-japan.md");
    let text = std::fs::read_to_string(&edited).unwrap();
    let cut = text.trim_end().rfind('\n').unwrap();
    std::fs::write(&edited, &text[..cut + 1]).unwrap();
    // Delete: one digest.
    std::fs::remove_file(input.join("us-china/2026/02/2026-02-02-us-china.md")).unwrap();
    // Re-run: a later copy of an existing day supersedes it.
    let rerun = std::fs::read_to_string(input.join("russia-ukraine/2026/02/2026-02-01-russia-ukraine.md"))
        .unwrap()
        .replacen("T04:00:", "T18:00:", 1);
    std::fs::write(input.join("russia-ukraine/2026/02/2026-02-01-russia-ukraine-late.md"), rerun).unwrap();
    added
}

/// Files of the manifest outside the February 2026 shards (including files with no digest).
fn outside_february(tables: &Path) -> usize {
    let manifest = std::fs::read_to_string(tables.join("manifest.csv")).unwrap();
    manifest.lines().skip(1).filter(|l| !l.ends_with(",2026,2")).count()
}

#[test]
fn incremental_equals_full_after_adds_edits_and_deletions() {
    let dir = crate::tempdir();
    let input = dir.path().join("digests");
    let n = corpus(&input, "2025-12-15", 50);
    let inc = dir.path().join("incremental");
    let first = extract(&config(&input, inc.clone(), false)).unwrap();
    assert_eq!((first.reuse.parsed, first.reuse.reused), (n, 0));
    let untouched = outside_february(&inc);

    let added = change(&input);
    let second = extract(&config(&input, inc.clone(), false)).unwrap();
    // New or changed: the added files, the edit and the re-run; removed: the deleted file.
    assert_eq!((second.reuse.changed, second.reuse.removed), (added + 2, 1));
    assert_eq!(second.reuse.parsed + second.reuse.reused, second.files);
    // Only the February shards were read again; every other file kept its rows unread.
    assert_eq!(second.reuse.reused, untouched, "{:?}", second.reuse);

    let full = dir.path().join("full");
    extract(&config(&input, full.clone(), true)).unwrap();
    same_tables(&inc, &full);
}

#[test]
fn partitioned_incremental_equals_full_and_rewrites_only_touched_partitions() {
    let dir = crate::tempdir();
    let input = dir.path().join("digests");
    corpus(&input, "2025-12-15", 50);
    let parts = |out: &Path, full| {
        let mut c = config(&input, out.to_path_buf(), full);
        c.layout.partitioned = true;
        c
    };
    let inc = dir.path().join("incremental");
    extract(&parts(&inc, false)).unwrap();
    let untouched = inc.join("articles/topic=china-japan/year=2025/part-0.parquet");
    let stamp = biaslens::store::state::stat(&untouched).unwrap();

    change(&input);
    extract(&parts(&inc, false)).unwrap();
    assert_eq!(biaslens::store::state::stat(&untouched).unwrap(), stamp, "a 2025 partition was rewritten");

    let full = dir.path().join("full");
    extract(&parts(&full, true)).unwrap();
    let files = |d: &Path| -> Vec<String> {
        let mut v: Vec<String> = walkdir::WalkDir::new(d)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
            .filter(|e| e.file_name() != "manifest.csv")
            .map(|e| e.path().strip_prefix(d).unwrap().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(files(&inc), files(&full));
    assert!(files(&inc).contains(&"articles/topic=us-china/year=2026/part-0.csv".to_string()));
    for f in files(&full) {
        if f.ends_with(".csv") {
            assert!(
                std::fs::read(inc.join(&f)).unwrap() == std::fs::read(full.join(&f)).unwrap(),
                "{f} differs"
            );
        } else {
            let read = |d: &Path| {
                use polars::prelude::SerReader;
                let file = std::fs::File::open(d.join(&f)).unwrap();
                polars::prelude::ParquetReader::new(file).finish().unwrap()
            };
            assert!(read(&inc).equals_missing(&read(&full)), "{f} differs");
        }
    }
}

#[test]
fn a_moved_corpus_side_reaches_unchanged_shards() {
    // An outlet the registry does not know, placed by position on Japan's side in 2026.
    let y2026 = crate::SMALL.replace("Nikkei Asia", "Some Blog");
    // A 2025 digest whose counts do not add up: its Some Blog article takes the corpus side.
    let y2025 = crate::SMALL.replace("2026-01-20", "2025-06-01").replace(
        "- Nikkei Asia (1/20/2026)",
        "- Nikkei Asia (1/20/2026)\n4. [en-US] [Blog view](https://example.com/d) - Some Blog (1/20/2026)",
    );
    let dir = crate::tempdir();
    let input = dir.path().join("digests");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("2025.md"), &y2025).unwrap();
    std::fs::write(input.join("2026-a.md"), &y2026).unwrap();
    let out = dir.path().join("tables");
    extract(&config(&input, out.clone(), false)).unwrap();
    let side = |tables: &Path| {
        let csv = std::fs::read_to_string(tables.join("articles.csv")).unwrap();
        let row = csv.lines().find(|l| l.contains("Blog view")).unwrap().to_string();
        row.split(',').nth(4).unwrap().to_string()
    };
    assert_eq!(side(&out), "japan");

    // Two more 2026 digests put Some Blog first, on China's side: 2 votes to 1.
    let china = crate::SMALL.replace("- 新华网 (1/20/2026)", "- Some Blog (1/20/2026)");
    std::fs::write(input.join("2026-b.md"), china.replace("2026-01-20", "2026-01-21")).unwrap();
    std::fs::write(input.join("2026-c.md"), china.replace("2026-01-20", "2026-01-22")).unwrap();
    let second = extract(&config(&input, out.clone(), false)).unwrap();
    // The 2025 file did not change, yet its shard was read again: its side moved.
    assert_eq!((second.reuse.changed, second.reuse.parsed), (2, 4));
    assert_eq!(side(&out), "china");
    let full = dir.path().join("full");
    extract(&config(&input, full.clone(), true)).unwrap();
    same_tables(&out, &full);
}

#[test]
fn a_feed_tag_that_comes_to_name_a_side_reaches_unchanged_shards() {
    // A 2025 digest whose counts do not add up; its fourth line comes from a blog nobody
    // knows, through a feed tagged [en-XB] (no country has the region XB).
    let y2025 = crate::SMALL.replace("2026-01-20", "2025-06-01").replace(
        "- Nikkei Asia (1/20/2026)",
        "- Nikkei Asia (1/20/2026)\n4. [en-XB] [Blog view](https://example.com/d) - Another Blog (1/20/2026)",
    );
    let dir = crate::tempdir();
    let input = dir.path().join("digests");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("2025.md"), &y2025).unwrap();
    let out = dir.path().join("tables");
    extract(&config(&input, out.clone(), false)).unwrap();
    let side = |tables: &Path| {
        let csv = std::fs::read_to_string(tables.join("articles.csv")).unwrap();
        let row = csv.lines().find(|l| l.contains("Blog view")).unwrap().to_string();
        let f: Vec<&str> = row.split(',').collect();
        (f[4].to_string(), f[12].to_string())
    };
    assert_eq!(side(&out), (String::new(), "unknown".to_string()));

    // Three 2026 digests of certain order carry [en-XB] on Japan's line: the tag comes to
    // name Japan (3 of 3 articles), and the 2025 row follows though its file did not change.
    let japan = crate::SMALL.replace("3. [en-US] [Tokyo responds]", "3. [en-XB] [Tokyo responds]");
    for day in ["21", "22", "23"] {
        std::fs::write(
            input.join(format!("2026-{day}.md")),
            japan.replace("2026-01-20", &format!("2026-01-{day}")),
        )
        .unwrap();
    }
    let second = extract(&config(&input, out.clone(), false)).unwrap();
    assert_eq!((second.reuse.changed, second.reuse.parsed), (3, 4));
    assert_eq!(side(&out), ("japan".to_string(), "feed-tag".to_string()));
    let full = dir.path().join("full");
    extract(&config(&input, full.clone(), true)).unwrap();
    same_tables(&out, &full);
}

#[test]
fn a_changed_registry_reparses_everything() {
    let dir = crate::tempdir();
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
    cfg.outlets = Some(registry);
    let changed = extract(&cfg).unwrap();
    assert_eq!(changed.reuse.parsed, n);
    // The manifest lists every input file with its hash.
    let manifest = std::fs::read_to_string(cfg.out.join("manifest.csv")).unwrap();
    assert_eq!(manifest.lines().count(), n + 1);
    assert!(manifest.starts_with("path,size,mtime_ns,sha256,topic,year,month\n"));
}

#[test]
fn the_partitioned_layout_analyses_to_the_same_tables() {
    use biaslens::analytics::{self, lexicon::Lexicon, Options};
    let dir = crate::tempdir();
    let input = dir.path().join("digests");
    corpus(&input, "2025-12-20", 30);
    let (single, parts) = (dir.path().join("single"), dir.path().join("parts"));
    extract(&config(&input, single.clone(), false)).unwrap();
    let mut partitioned = config(&input, parts.clone(), false);
    partitioned.layout.partitioned = true;
    extract(&partitioned).unwrap();
    // Hive layout: one file per topic and year, the keys in the path.
    assert!(parts.join("articles/topic=china-japan/year=2025/part-0.parquet").is_file());
    assert!(parts.join("highlights/topic=us-china/year=2026/part-0.parquet").is_file());
    assert!(!parts.join("articles.parquet").exists());
    let lexicon = Lexicon::load(&root().join("data/themes.yaml")).unwrap();
    let a = analytics::analyze(
        &biaslens::store::Store::open(&single).inputs().unwrap(),
        &lexicon,
        &Options::default(),
    )
    .unwrap();
    let b = analytics::analyze(
        &biaslens::store::Store::open(&parts).inputs().unwrap(),
        &lexicon,
        &Options::default(),
    )
    .unwrap();
    for ((name, x), (_, y)) in a.tables.iter().zip(&b.tables) {
        assert!(x.equals_missing(y), "{name} differs between layouts");
    }
    // Switching back to single files removes the partitions, so one layout stands.
    extract(&config(&input, parts.clone(), false)).unwrap();
    assert!(parts.join("articles.parquet").is_file() && !parts.join("articles").exists());
}
