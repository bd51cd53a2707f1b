//! A run killed with SIGKILL at any point: the tables it leaves are each whole (the previous
//! run's or the new one's, never half a file), and the next run recovers to exactly the
//! bytes of a full extract.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use biaslens_generate::{generate, Options};
use chrono::NaiveDate;

use crate::cli::copy_dir;
use crate::root;

fn corpus(dir: &Path, start: &str, days: u32, copies: u32) {
    let start = NaiveDate::parse_from_str(start, "%Y-%m-%d").unwrap();
    let opts = Options { start, days, copies, ..Options::default() };
    generate(&opts, |f| {
        let p = dir.join(&f.path);
        std::fs::create_dir_all(p.parent().unwrap())?;
        Ok(std::fs::write(p, &f.bytes)?)
    })
    .unwrap();
}

/// Every file under `dir` but the run state and the lock, by relative path, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect()
}

fn extract_cmd(input: &Path, out: &Path, full: bool) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_biaslens"));
    c.args(["extract", "--input", input.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    if full {
        c.arg("--full");
    }
    c.current_dir(root()).stdout(Stdio::null()).stderr(Stdio::null());
    c
}

#[test]
fn a_killed_extract_leaves_whole_tables_and_the_next_run_recovers() {
    let dir = crate::tempdir();
    let input = dir.path().join("digests");
    // About 10,000 digests: 4 topics × 2 copies × 1,400 days (one topic skips some days).
    corpus(&input, "2022-01-01", 1_400, 2);
    let before = dir.path().join("before");
    extract_cmd(&input, &before, true).status().unwrap();
    let old = snapshot(&before);
    assert!(old.contains_key(Path::new("articles.parquet")));

    // A month more of digests, then the full extract they should give.
    corpus(&input, "2025-11-01", 30, 2);
    let full = dir.path().join("full");
    extract_cmd(&input, &full, true).status().unwrap();
    let new = snapshot(&full);
    assert_ne!(old.get(Path::new("articles.csv")), new.get(Path::new("articles.csv")));

    // How long the incremental run takes uncut, to kill it at points spread over its life.
    let out = dir.path().join("out");
    copy_dir(&before, &out);
    let start = std::time::Instant::now();
    extract_cmd(&input, &out, false).status().unwrap();
    let whole_run = start.elapsed().as_millis() as u64;
    for delay_ms in [5, 20, 40, 55, 70, 85, 95].map(|percent| whole_run * percent / 100) {
        copy_dir(&before, &out);
        let mut child = extract_cmd(&input, &out, false).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        child.wait().unwrap();
        // Every file is whole: the previous run's or the new one's, byte for byte.
        let left = snapshot(&out);
        for (path, bytes) in &left {
            let whole = old.get(path) == Some(bytes) || new.get(path) == Some(bytes);
            assert!(
                whole,
                "killed after {delay_ms} ms: {} is neither the old nor the new file",
                path.display()
            );
        }
        let renewed = left.iter().filter(|(p, b)| old.get(*p) != Some(*b)).count();
        eprintln!("killed after {delay_ms} ms: {renewed} of {} files already new", left.len());
        // The next run, incremental, recovers to the full extract's bytes.
        extract_cmd(&input, &out, false).status().unwrap();
        assert_eq!(snapshot(&out), new, "killed after {delay_ms} ms: the next run did not recover");
    }
}

/// `run` on the sample into `out/{tables,analysis,reports}`, with a fixed report time.
fn run_cmd(out: &Path, force: bool) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_biaslens"));
    c.arg("run").arg("--input").arg(root().join("data/digests"));
    for (flag, dir) in [("--tables", "tables"), ("--analysis", "analysis"), ("--reports", "reports")] {
        c.arg(flag).arg(out.join(dir));
    }
    c.args(["--generated-at", "2026-01-26T06:00:00Z"]);
    if force {
        c.arg("--force");
    }
    c.current_dir(root()).stdout(Stdio::null()).stderr(Stdio::null());
    c
}

/// Every file under `dir` by relative path, with its bytes; the run state and the lock by
/// name only (they hold stamps and a process id).
fn files_left(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e.file_name().to_string_lossy();
            let state = name.starts_with(".biaslens");
            let bytes = if state { Vec::new() } else { std::fs::read(e.path()).unwrap() };
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), bytes)
        })
        .collect()
}

#[test]
fn a_run_killed_anywhere_leaves_nothing_the_next_run_does_not_clean() {
    let dir = crate::tempdir();
    let clean = dir.path().join("clean");
    assert!(run_cmd(&clean, false).status().unwrap().success());
    let want = files_left(&clean);
    assert!(want.keys().any(|p| p.ends_with("index.html")), "the clean run wrote a report");
    let start = std::time::Instant::now();
    assert!(run_cmd(&dir.path().join("timed"), false).status().unwrap().success());
    let whole_run = start.elapsed().as_millis() as u64;
    let mut left_behind = 0;
    for percent in [3, 10, 20, 30, 40, 50, 60, 70, 80, 90, 97] {
        let delay_ms = whole_run * percent / 100;
        let out = dir.path().join(format!("killed-{percent}"));
        let mut child = run_cmd(&out, false).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        child.wait().unwrap();
        let temporary = |files: &BTreeMap<PathBuf, Vec<u8>>| {
            files.keys().filter(|p| p.to_string_lossy().contains(".tmp-")).count()
        };
        left_behind += temporary(&files_left(&out));
        // A temporary file of a run killed earlier still, in each folder and deeper, so every
        // kill point also proves the sweep.
        for stale in [
            "tables/.digests.csv.tmp-1",
            "analysis/.stories.csv.tmp-2",
            "reports/2026-W04/charts/.x.png.tmp-3",
        ] {
            let p = out.join(stale);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "half a file").unwrap();
        }
        let status = run_cmd(&out, false).status().unwrap();
        assert!(status.success(), "killed at {percent}%: the next run exited {status}");
        let got = files_left(&out);
        assert_eq!(temporary(&got), 0, "killed at {percent}% ({delay_ms} ms): temporary files left");
        let names = |m: &BTreeMap<PathBuf, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
        assert_eq!(
            names(&got),
            names(&want),
            "killed at {percent}% ({delay_ms} ms): other files than a clean run's"
        );
        for (path, bytes) in &want {
            assert!(
                got[path] == *bytes,
                "killed at {percent}% ({delay_ms} ms): {} differs from a clean run's",
                path.display()
            );
        }
    }
    eprintln!("a run of {whole_run} ms killed at 11 points left {left_behind} temporary files, all removed by the next run");
}
