//! Incremental analysis gives exactly the tables of a full analysis, after adds, edits and
//! deletions, while analysing only the topics that changed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use biaslens::analytics::job::{Config, Scope};
use biaslens::analytics::service::{analysis_for, Provenance, Request};
use biaslens::analytics::{table, Options};
use biaslens::extract::run as extract;

fn corpus(dir: &Path, start: &str, days: u32) {
    crate::generated(dir, start, days);
}

fn config(tables: &Path, out: PathBuf, full: bool) -> Config {
    Config {
        tables: tables.to_path_buf(),
        out,
        lexicon: Some(crate::root().join("data/themes.yaml")),
        format: biaslens::write::Format::Both,
        options: Options::default(),
        full,
        parts: Default::default(),
        partitioned: false,
    }
}

/// `analyze`: the analysis written, and which topics were analysed.
fn run_scoped(config: &Config) -> anyhow::Result<(biaslens::analytics::Analysis, Scope)> {
    let store = biaslens::store::Store::open(&config.tables);
    let (analysis, provenance) = analysis_for(&store, &Request::Write(config))?;
    match provenance {
        Provenance::Written(scope) => Ok((analysis, scope)),
        other => panic!("a written analysis, not {other:?}"),
    }
}

/// Every analysis table of `a` and `b`: CSV byte for byte, Parquet value for value.
fn same_analysis(a: &Path, b: &Path) {
    crate::same_tables(a, b, &table::ALL.map(|t| t.name()));
}

fn topics(names: &[&str]) -> Scope {
    Scope::Topics(names.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>())
}

#[test]
fn incremental_analysis_equals_full_after_adds_edits_and_deletions() {
    adds_edits_and_deletions(false);
}

#[test]
fn partitioned_incremental_analysis_writes_the_same_files_as_full_after_adds_edits_and_deletions() {
    adds_edits_and_deletions(true);
}

#[test]
fn incremental_analysis_equals_full_after_random_adds_edits_reruns_and_deletions() {
    // A seeded walk of twelve changes over a generated corpus, each analysed incrementally
    // in both layouts and compared with a full analysis of the same tables. The corpus spans
    // December and January: a change in January restarts its topic there (December's rows of
    // the tables made by month are kept), one in December analyses the topic whole.
    let dir = crate::tempdir();
    let input = dir.path().join("digests");
    corpus(&input, "2025-12-22", 16);
    // Days a change may add, one digest at a time.
    let later = dir.path().join("later");
    corpus(&later, "2026-01-07", 10);
    let mut pending: Vec<PathBuf> = walkdir::WalkDir::new(&later)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(&later).unwrap().to_path_buf())
        .collect();
    let published = |input: &Path| -> Vec<PathBuf> {
        walkdir::WalkDir::new(input)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
            .map(|e| e.into_path())
            .collect()
    };
    let tables = dir.path().join("tables");
    let extract_again = || extract(&crate::extract_config(&input, tables.clone())).unwrap();
    let (single, parts) = (dir.path().join("single"), dir.path().join("parts"));
    extract_again();
    for partitioned in [false, true] {
        let out = if partitioned { &parts } else { &single };
        run_scoped(&layout(config(&tables, out.clone(), false), partitioned)).unwrap();
    }
    let mut seed = 20_261_207u64;
    let mut draw = |n: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) as usize) % n
    };
    let mut kinds = Vec::new();
    for step in 0..12 {
        let files = published(&input);
        let kind = draw(4);
        match kind {
            // Add the next digest of a later day.
            0 if !pending.is_empty() => {
                let rel = pending.remove(draw(pending.len()));
                let to = input.join(&rel);
                std::fs::create_dir_all(to.parent().unwrap()).unwrap();
                std::fs::copy(later.join(&rel), to).unwrap();
            }
            // Edit one: its last line goes.
            1 => {
                let f = &files[draw(files.len())];
                let text = std::fs::read_to_string(f).unwrap();
                let cut = text.trim_end().rfind('\n').unwrap_or(0);
                std::fs::write(f, &text[..cut + 1]).unwrap();
            }
            // Re-run: a digest written again with the same bytes (nothing to analyse).
            2 => {
                let f = &files[draw(files.len())];
                std::fs::write(f, std::fs::read(f).unwrap()).unwrap();
            }
            // Delete one.
            _ => std::fs::remove_file(&files[draw(files.len())]).unwrap(),
        }
        kinds.push(kind);
        extract_again();
        for partitioned in [false, true] {
            let out = if partitioned { &parts } else { &single };
            run_scoped(&layout(config(&tables, out.clone(), false), partitioned)).unwrap();
            let full = dir.path().join(format!("full-{step}-{partitioned}"));
            run_scoped(&layout(config(&tables, full.clone(), true), partitioned)).unwrap();
            same(out, &full, partitioned);
            std::fs::remove_dir_all(&full).unwrap();
        }
    }
    // The walk took every kind of change.
    for k in 0..4 {
        assert!(kinds.contains(&k), "change {k} never drawn: {kinds:?}");
    }
}

/// Copies the files of `from/sub` (all of `from` with "") to the same paths under `to`.
fn copy_into(from: &Path, sub: &str, to: &Path) {
    for e in walkdir::WalkDir::new(from.join(sub)).into_iter().filter_map(Result::ok) {
        if e.file_type().is_file() {
            let dest = to.join(e.path().strip_prefix(from).unwrap());
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

fn layout(mut config: Config, partitioned: bool) -> Config {
    config.partitioned = partitioned;
    config
}

/// Single files: every table the same ([`same_analysis`]); partitions: every file of the
/// folder the same, byte for byte (the state aside, which holds file times).
fn same(a: &Path, b: &Path, partitioned: bool) {
    if !partitioned {
        return same_analysis(a, b);
    }
    let (x, y) = (stamps(a), stamps(b));
    let only = |p: &std::collections::BTreeMap<String, _>, q: &std::collections::BTreeMap<String, _>| {
        p.keys().filter(|f| !q.contains_key(*f)).cloned().collect::<Vec<String>>()
    };
    assert!(
        x.keys().eq(y.keys()),
        "files only in {a:?}: {:?}; only in {b:?}: {:?}",
        only(&x, &y),
        only(&y, &x)
    );
    for f in x.keys() {
        assert!(std::fs::read(a.join(f)).unwrap() == std::fs::read(b.join(f)).unwrap(), "{f} differs");
    }
}

/// Every file of an analysis folder (its state and lock aside): path → (size, mtime).
fn stamps(dir: &Path) -> std::collections::BTreeMap<String, (u64, std::time::SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            let m = e.metadata().unwrap();
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().to_string();
            (rel, (m.len(), m.modified().unwrap()))
        })
        .collect()
}

/// Adds, edits and deletions, each analysed incrementally and in full: the same tables after
/// each, in `layout`.
fn adds_edits_and_deletions(partitioned: bool) {
    let dir = crate::tempdir();
    let input = dir.path().join("digests");
    corpus(&input, "2025-12-15", 50);
    let tables = dir.path().join("tables");
    let extract_again = || extract(&crate::extract_config(&input, tables.clone())).unwrap();
    extract_again();
    let inc = dir.path().join("incremental");
    let (_, scope) = run_scoped(&layout(config(&tables, inc.clone(), false), partitioned)).unwrap();
    assert_eq!(scope, Scope::Full, "the first run has nothing to build on");
    let (_, scope) = run_scoped(&layout(config(&tables, inc.clone(), false), partitioned)).unwrap();
    assert_eq!(scope, topics(&[]), "nothing changed, nothing analysed");

    // Add: ten more days of one topic only (a new week, and new weeks' trailing windows).
    let more = dir.path().join("more");
    corpus(&more, "2026-02-03", 10);
    copy_into(&more, "china-japan", &input);
    extract_again();
    let before = stamps(&inc);
    let (added, scope) = run_scoped(&layout(config(&tables, inc.clone(), false), partitioned)).unwrap();
    assert_eq!(scope, topics(&["china-japan"]));
    if partitioned {
        // Only china-japan's partitions (and emerging_terms, whole on every run) are written
        // again; every other file is left as it was.
        let after = stamps(&inc);
        let rewritten: Vec<&String> =
            after.iter().filter(|(f, s)| before.get(*f) != Some(s)).map(|(f, _)| f).collect();
        assert!(!rewritten.is_empty());
        for f in rewritten {
            assert!(
                f.contains("topic=china-japan/") || f.starts_with("emerging_terms/"),
                "{f} was rewritten"
            );
        }
    }
    let full = dir.path().join("full");
    let (whole, _) = run_scoped(&layout(config(&tables, full.clone(), true), partitioned)).unwrap();
    same(&inc, &full, partitioned);
    // Every table's rows, those an incremental run over partitions leaves on disk unmerged
    // (counted from their files) among them, as the full run counts them.
    assert_eq!(added.rows(), whole.rows());

    // Edit a digest in the middle of another topic (its last source line goes), and
    // delete one of a third.
    let edited = input.join("russia-ukraine/2026/01/2026-01-10-russia-ukraine.md");
    let text = std::fs::read_to_string(&edited).unwrap();
    let cut = text.trim_end().rfind('\n').unwrap();
    std::fs::write(&edited, &text[..cut + 1]).unwrap();
    std::fs::remove_file(input.join("us-china/2026/01/2026-01-20-us-china.md")).unwrap();
    extract_again();
    let (_, scope) = run_scoped(&layout(config(&tables, inc.clone(), false), partitioned)).unwrap();
    let Scope::Topics(changed) = &scope else { panic!("expected an incremental run, got {scope:?}") };
    assert!(changed.contains("russia-ukraine") && changed.contains("us-china"), "{changed:?}");
    assert!(!changed.contains("china-japan"), "{changed:?}");
    run_scoped(&layout(config(&tables, full.clone(), true), partitioned)).unwrap();
    same(&inc, &full, partitioned);

    // Delete a whole topic.
    std::fs::remove_dir_all(input.join("us-china")).unwrap();
    extract_again();
    let (_, scope) = run_scoped(&layout(config(&tables, inc.clone(), false), partitioned)).unwrap();
    assert_eq!(scope, topics(&["us-china"]));
    run_scoped(&layout(config(&tables, full.clone(), true), partitioned)).unwrap();
    same(&inc, &full, partitioned);
}

/// Fifteen days of the generated corpus, extracted and analysed once: the temporary folder,
/// the tables and the analysis.
fn analysed_once() -> (crate::TempDir, PathBuf, PathBuf) {
    let dir = crate::tempdir();
    let input = dir.path().join("digests");
    corpus(&input, "2026-01-01", 15);
    let tables = dir.path().join("tables");
    extract(&crate::extract_config(&input, tables.clone())).unwrap();
    let out = dir.path().join("analysis");
    run_scoped(&config(&tables, out.clone(), false)).unwrap();
    (dir, tables, out)
}

#[test]
fn stories_switched_off_for_the_benchmark_leave_empty_tables_and_switching_back_analyses_all() {
    let (_dir, tables, out) = analysed_once();
    // Rows of a table, from its Parquet (the detail tables have no CSV in the folder).
    let rows = |name: &str| {
        use polars::prelude::SerReader;
        let file = std::fs::File::open(out.join(format!("{name}.parquet"))).unwrap();
        polars::prelude::ParquetReader::new(file).finish().unwrap().height()
    };
    assert!(rows("stories") > 0 && rows("story_articles") > 0);
    let mut off = config(&tables, out.clone(), false);
    off.parts.stories = false;
    assert_eq!(run_scoped(&off).unwrap().1, Scope::Full, "another setting: a full analysis");
    assert_eq!((rows("stories"), rows("story_articles"), rows("story_sides")), (0, 0, 0));
    assert!(rows("themes") > 0, "only the stories are left out");
    // Clustering back on: the kept tables were made without it, so nothing is kept.
    assert_eq!(run_scoped(&config(&tables, out.clone(), false)).unwrap().1, Scope::Full);
    assert!(rows("stories") > 0 && rows("story_articles") > 0);
}

#[test]
fn detail_tables_are_parquet_only_beside_csv_and_parquet_and_csv_when_only_csv_is_asked() {
    let (_dir, tables, out) = analysed_once();
    let has = |file: &str| out.join(file).is_file();
    for t in table::ALL {
        // The default (both formats): every table in Parquet, CSV for all but the detail tables.
        assert!(has(&format!("{t}.parquet")), "{t}.parquet");
        assert_eq!(has(&format!("{t}.csv")), !t.is_detail(), "{t}.csv");
    }
    assert!(table::ITEM_TONE.is_detail() && table::STORY_ARTICLES.is_detail() && !table::STORIES.is_detail());
    // A CSV left by an earlier version is removed by the next run that writes, not kept stale.
    std::fs::write(out.join("item_tone.csv"), "digest_id\nstale\n").unwrap();
    let mut other = config(&tables, out.clone(), false);
    other.options.trend_window = 3;
    assert_eq!(run_scoped(&other).unwrap().1, Scope::Full);
    assert!(!has("item_tone.csv"), "the stale CSV is gone");
    // CSV only: every table as CSV, the detail tables too; no Parquet, none stale.
    other.format = biaslens::write::Format::Csv;
    run_scoped(&other).unwrap();
    for t in table::ALL {
        assert!(has(&format!("{t}.csv")) && !has(&format!("{t}.parquet")), "{t}");
    }
}

#[test]
fn a_day_added_to_every_topic_rewrites_only_the_partitions_whose_rows_change() {
    // The daily cron case: every topic gets a digest, so every topic is analysed again, but
    // a partition whose rows are the same is left as it is. December 2025 and the first half
    // of January 2026, then 16 January.
    let dir = crate::tempdir();
    let input = dir.path().join("digests");
    corpus(&input, "2025-12-01", 46);
    let tables = dir.path().join("tables");
    let extract_again = || extract(&crate::extract_config(&input, tables.clone())).unwrap();
    extract_again();
    let out = dir.path().join("parts");
    run_scoped(&layout(config(&tables, out.clone(), false), true)).unwrap();
    let before = stamps(&out);
    corpus(&input, "2026-01-16", 1);
    extract_again();
    let (_, scope) = run_scoped(&layout(config(&tables, out.clone(), false), true)).unwrap();
    // Every topic changed, but only from January: the run builds on the previous tables
    // (their December rows of grounding are kept, not recomputed), not a full one.
    assert!(matches!(&scope, Scope::Topics(t) if t.len() >= 4), "{scope:?}");
    let after = stamps(&out);
    let kept: Vec<&String> = after.keys().filter(|f| before.get(*f) == after.get(*f)).collect();
    // 2026-W01 began on 2025-12-29: its rows are under year=2025 and the new day does not
    // touch them; the week of the new day is under year=2026 and does change.
    assert!(kept.iter().any(|f| f.starts_with("themes/topic=china-japan/year=2025/")), "{kept:?}");
    assert!(kept.iter().any(|f| f.starts_with("source_shares/topic=us-china/year=2025/")), "{kept:?}");
    assert!(!kept.iter().any(|f| f.starts_with("themes/topic=china-japan/year=2026/")), "{kept:?}");
    // Grounding reads no later month (a word's rarity counts the months up to the digest's
    // own), so December's bullets are not written again; with rarity over a topic's whole
    // history, every year of them was. (A story filed under December can run into January,
    // and then its rows change with January's: the clustering's own test shows a later month
    // changes no earlier reading.)
    for table in ["highlight_grounding", "highlight_support"] {
        assert!(
            kept.iter().any(|f| f.starts_with(&format!("{table}/topic=china-japan/year=2025/"))),
            "{table}"
        );
    }
    let full = dir.path().join("full");
    run_scoped(&layout(config(&tables, full.clone(), true), true)).unwrap();
    same(&out, &full, true);
}

#[test]
fn switching_the_layout_writes_every_table_again_and_leaves_one_layout() {
    let (_dir, tables, out) = analysed_once();
    let single = |t: table::Table| out.join(format!("{t}.parquet")).is_file();
    let parts = |t: table::Table| out.join(t.name()).is_dir();
    assert!(table::ALL.into_iter().all(|t| single(t) && !parts(t)));
    let partitioned = layout(config(&tables, out.clone(), false), true);
    assert_eq!(run_scoped(&partitioned).unwrap().1, Scope::Full, "another layout: every table written");
    assert!(table::ALL.into_iter().all(|t| !single(t) && parts(t)), "partitions only");
    assert_eq!(run_scoped(&partitioned).unwrap().1, topics(&[]), "and built on by the next run");
    assert!(out.join("themes/topic=china-japan/year=2026/part-0.csv").is_file());
    assert!(!out.join("item_tone/topic=china-japan/year=2026/part-0.csv").exists(), "detail: Parquet only");
    assert_eq!(run_scoped(&config(&tables, out.clone(), false)).unwrap().1, Scope::Full);
    assert!(table::ALL.into_iter().all(|t| single(t) && !parts(t)), "single files only");
}

#[test]
fn changed_settings_or_a_touched_table_mean_a_full_analysis() {
    let (_dir, tables, out) = analysed_once();
    // Another threshold: every row may change.
    let mut other = config(&tables, out.clone(), false);
    other.options.trend_window = 3;
    assert_eq!(run_scoped(&other).unwrap().1, Scope::Full);
    assert_eq!(run_scoped(&other).unwrap().1, topics(&[]));
    // A table edited by hand (or lost) is not built on.
    let themes = out.join("themes.parquet");
    let bytes = std::fs::read(&themes).unwrap();
    std::fs::write(&themes, &bytes[..bytes.len() / 2]).unwrap();
    assert_eq!(run_scoped(&other).unwrap().1, Scope::Full);
    std::fs::remove_file(out.join("stories.csv")).unwrap();
    assert_eq!(run_scoped(&other).unwrap().1, Scope::Full);
    // CSV only: no Parquet to read kept rows from, so every run is full.
    let mut csv = other.clone();
    csv.format = biaslens::write::Format::Csv;
    assert_eq!(run_scoped(&csv).unwrap().1, Scope::Full);
    assert_eq!(run_scoped(&csv).unwrap().1, Scope::Full);
}

#[test]
fn an_analysis_of_another_build_is_never_built_on() {
    // The state of a build of the same crate version whose sources or built-in data (the
    // tone lexicon, say) differed: its rows may have been computed another way, so the next
    // run is a full one, not old rows merged with new.
    let (_dir, tables, out) = analysed_once();
    let state_file = out.join(biaslens::analytics::incremental::STATE);
    let read = || -> biaslens::analytics::incremental::State {
        serde_json::from_slice(&std::fs::read(&state_file).unwrap()).unwrap()
    };
    let mut state = read();
    assert_eq!(state.version, biaslens::analytics::incremental::version());
    let crate_version = biaslens::store::state::version();
    let (head, source) = state.version.rsplit_once("+source.").expect("the build's hash");
    assert_eq!((head, source.len()), (crate_version.as_str(), 16));
    // Untouched, nothing changed: nothing analysed.
    assert_eq!(run_scoped(&config(&tables, out.clone(), false)).unwrap().1, topics(&[]));
    state.version = format!("{crate_version}+source.0123456789abcdef");
    std::fs::write(&state_file, serde_json::to_vec(&state).unwrap()).unwrap();
    assert_eq!(run_scoped(&config(&tables, out.clone(), false)).unwrap().1, Scope::Full);
    assert_eq!(read().version, biaslens::analytics::incremental::version());
}

#[test]
fn a_previous_table_that_cannot_be_merged_means_a_full_analysis_not_a_failed_run() {
    let (dir, tables, out) = analysed_once();
    // themes.parquet replaced by a table of another shape, its stamp in the state updated to
    // match (as a build with another schema under the same version would leave it).
    let themes = out.join("themes.parquet");
    let mut other = polars::prelude::df!("topic" => ["china-japan"], "x" => [1i64]).unwrap();
    polars::prelude::ParquetWriter::new(std::fs::File::create(&themes).unwrap()).finish(&mut other).unwrap();
    let state_file = out.join(biaslens::analytics::incremental::STATE);
    let mut state: biaslens::analytics::incremental::State =
        serde_json::from_slice(&std::fs::read(&state_file).unwrap()).unwrap();
    state.outputs.insert("themes.parquet".into(), biaslens::store::state::stat(&themes).unwrap());
    // A changed topic, so the previous tables are merged.
    state.topics.insert("china-japan".into(), "0000000000000000".into());
    std::fs::write(&state_file, serde_json::to_vec(&state).unwrap()).unwrap();
    let (_, scope) = run_scoped(&config(&tables, out.clone(), false)).unwrap();
    assert_eq!(scope, Scope::Full);
    let full = dir.path().join("full");
    run_scoped(&config(&tables, full.clone(), true)).unwrap();
    same_analysis(&out, &full);
}

/// `biaslens run` of `input` into `out/{tables,analysis,reports}`, with `extra` flags.
fn run_cli(input: &Path, out: &Path, extra: &[&str]) {
    let dir = |d: &str| out.join(d).to_str().unwrap().to_string();
    let (tables, analysis, reports) = (dir("tables"), dir("analysis"), dir("reports"));
    let mut args = vec!["run", "--input", input.to_str().unwrap(), "--tables", &tables];
    args.extend(["--analysis", &analysis, "--reports", &reports, "--generated-at", "2026-02-01T06:00:00Z"]);
    args.extend(extra);
    let o = crate::cli::biaslens(&args);
    assert!(matches!(o.status.code(), Some(0 | 2)), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn run_partitioned_writes_partitions_and_the_same_report_day_after_day() {
    let dir = crate::tempdir();
    let input = dir.path().join("digests");
    corpus(&input, "2026-01-05", 14);
    let more = dir.path().join("more");
    corpus(&more, "2026-01-19", 7);
    let (single, parts) = (dir.path().join("single"), dir.path().join("parts"));
    for day in 0..2 {
        if day == 1 {
            // The next week arrives, as a daily cron job meets it.
            copy_into(&more, "", &input);
        }
        run_cli(&input, &single, &[]);
        run_cli(&input, &parts, &["--partitioned"]);
        assert!(parts.join("tables/articles/topic=china-japan").is_dir());
        assert!(parts.join("analysis/themes/topic=china-japan/year=2026/part-0.parquet").is_file());
        assert!(
            !parts.join("analysis/themes.parquet").exists()
                && single.join("analysis/themes.parquet").is_file()
        );
        // The same report, file for file.
        let (a, b) = (stamps(&single.join("reports")), stamps(&parts.join("reports")));
        assert!(!a.is_empty() && a.keys().eq(b.keys()), "{:?} against {:?}", a.keys(), b.keys());
        for f in a.keys() {
            let (x, y) = (single.join("reports").join(f), parts.join("reports").join(f));
            assert!(std::fs::read(&x).unwrap() == std::fs::read(&y).unwrap(), "{f} differs on day {day}");
        }
    }
}
