//! The benchmark suite: each stage of biaslens run as a whole process on a generated corpus.
//!
//! `cargo bench --bench pipeline` (10,000 digests); `BENCH_DIGESTS=100000` for the large
//! corpus; `BENCH_RUNS` runs per stage (default 5); `BENCH_STORIES=1` only the cost of story
//! clustering. Prints median wall time, throughput and the child's peak resident memory per
//! stage, plus a floor: a plain read of every file.
//! Nothing here asserts a time.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use biaslens::write;
use biaslens_generate::{generate, Options};

/// Runs `cmd`, returning wall time and the child's peak RSS in MiB (from `wait4`).
// The child is reaped by `wait4` (which also gives its peak RSS), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn timed(cmd: &mut Command) -> (Duration, f64, i32) {
    let start = Instant::now();
    let child =
        cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().expect("spawn");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our child, not yet waited for; pointers are to live locals.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert!(pid > 0, "wait4 failed");
    let code = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { -1 };
    (start.elapsed(), usage.ru_maxrss as f64 / 1024.0, code)
}

struct Stage {
    name: String,
    times: Vec<f64>,
    rss: f64,
    units: Option<(f64, &'static str)>,
}

impl Stage {
    fn print(&self) {
        let mut t = self.times.clone();
        t.sort_by(f64::total_cmp);
        let median = t[t.len() / 2];
        let rate = self.units.map(|(n, unit)| format!("{:>9.0} {unit}/s", n / median)).unwrap_or_default();
        println!(
            "| {:<34} | {:>8.3} s | {:>7.3} – {:<7.3} | {:>8.0} MiB | {rate} |",
            self.name,
            median,
            t[0],
            t[t.len() - 1],
            self.rss
        );
    }
}

fn bench(
    name: &str,
    runs: usize,
    units: Option<(f64, &'static str)>,
    mut make: impl FnMut() -> Command,
) -> Stage {
    let mut times = Vec::new();
    let mut rss: f64 = 0.0;
    for _ in 0..runs {
        let (d, r, code) = timed(&mut make());
        assert!(code == 0 || code == 2, "{name} exited {code}");
        times.push(d.as_secs_f64());
        rss = rss.max(r);
    }
    let s = Stage { name: name.to_string(), times, rss, units };
    s.print();
    s
}

/// Copies of the sample topics and days for a corpus of about `digests` digests: 4 topics a
/// copy, minus the 20% of South China Sea days without a digest, make 3.8 digests a day.
fn shape(digests: usize) -> (u32, u32) {
    let copies = digests.div_ceil(10_000).max(1) as u32;
    let days = (digests as f64 / (3.8 * f64::from(copies))).ceil() as u32;
    (copies, days)
}

/// Generates (once) a corpus of about `digests` digests under `target/bench/`: copies of the
/// four sample topics over as many days as needed (100,000 digests: 40 topics × 7 years),
/// 16–24 articles a digest (≈ 20, so ≈ 2 million articles at 100,000 digests).
fn corpus(digests: usize) -> anyhow::Result<(PathBuf, usize, u64)> {
    let (copies, days) = shape(digests);
    let dir = PathBuf::from(format!("target/bench/corpus-{digests}-a16-24"));
    if !dir.join(".complete").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let opts = Options { days, copies, articles: (16, 24), ..Options::default() };
        generate(&opts, |f| write::plain(&dir.join(&f.path), &f.bytes))?;
        write::plain(&dir.join(".complete"), b"")?;
    }
    let (mut files, mut bytes) = (0, 0);
    for e in
        walkdir::WalkDir::new(&dir).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file())
    {
        files += 1;
        bytes += e.metadata()?.len();
    }
    Ok((dir, files, bytes))
}

/// What one part of the analysis adds to `analyze --full`: `runs` alternating pairs with the
/// part left out (`switch`, one of the benchmark switches of `analytics::Parts`) and in, on
/// the suite's tables; the median of the pairwise differences of time and of peak RSS.
fn part_cost(bin: &str, tables: &Path, work: &Path, runs: usize, part: &str, switch: &str) {
    let stage = |on: &str| Stage {
        name: format!("analyze --full, {part} {on}"),
        times: vec![],
        rss: 0.0,
        units: None,
    };
    let (mut on, mut off) = (stage("on"), stage("off"));
    let (mut added, mut rss_on, mut rss_off) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        for (stage, left_out) in [(&mut off, true), (&mut on, false)] {
            let mut c = Command::new(bin);
            c.args(["analyze", "--full", "--tables"])
                .arg(tables)
                .arg("--out")
                .arg(work.join("analysis-parts"));
            if left_out {
                c.env(switch, "1");
            }
            let (d, r, code) = timed(&mut c);
            assert_eq!(code, 0, "analyze exited {code}");
            stage.times.push(d.as_secs_f64());
            stage.rss = stage.rss.max(r);
            if left_out { &mut rss_off } else { &mut rss_on }.push(r);
        }
        added.push(on.times[on.times.len() - 1] - off.times[off.times.len() - 1]);
    }
    off.print();
    on.print();
    added.sort_by(f64::total_cmp);
    let mut rss: Vec<f64> = rss_on.iter().zip(&rss_off).map(|(a, b)| a - b).collect();
    rss.sort_by(f64::total_cmp);
    // A row of the stage table: the median of the pairwise differences, their range, and
    // the median difference of peak RSS.
    println!(
        "| {:<34} | {:>+8.3} s | {:>+7.3} – {:<+7.3} | {:>+8.0} MiB | |",
        format!("  added by {part}"),
        added[added.len() / 2],
        added[0],
        added[added.len() - 1],
        rss[rss.len() / 2],
    );
}

/// Story clustering's cost (issue 14), then tone and grounding's (issue 29).
fn parts_cost(bin: &str, tables: &Path, work: &Path, runs: usize) {
    part_cost(bin, tables, work, runs, "stories", "BIASLENS_BENCH_NO_STORIES");
    part_cost(bin, tables, work, runs, "tone and grounding", "BIASLENS_BENCH_NO_TONE_GROUNDING");
}

/// The floor: read every file of the corpus once, in one thread.
fn read_floor(dir: &Path) -> f64 {
    let start = Instant::now();
    let mut total = 0usize;
    for e in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file())
    {
        total += std::fs::read(e.path()).map(|b| b.len()).unwrap_or(0);
    }
    std::hint::black_box(total);
    start.elapsed().as_secs_f64()
}

/// Side by side with the peer pipelines (`BENCH_PEERS=1`): on 730 days × 20 topics, in one
/// run of alternating triples, biaslens `extract --full` + `analyze --period week` + `report`
/// against the Python Polars and pandas scripts of `BENCH_PEER_DIR` (default
/// `../shared/bench/peer`). Medians of `runs`, and the ratios.
fn peers(runs: usize) -> anyhow::Result<()> {
    let bin = env!("CARGO_BIN_EXE_biaslens");
    let dir =
        PathBuf::from(std::env::var("BENCH_PEER_DIR").unwrap_or_else(|_| "../shared/bench/peer".into()));
    let ready = Command::new("python3")
        .args(["-c", "import yaml, pandas, polars, matplotlib"])
        .status()
        .is_ok_and(|s| s.success());
    if !dir.join("peer_polars.py").exists() || !ready {
        println!(
            "peers: skipped (needs {} and python3 with pyyaml, pandas, polars, matplotlib)",
            dir.display()
        );
        return Ok(());
    }
    let input = PathBuf::from("target/bench/corpus-peers-730x20");
    if !input.join(".complete").exists() {
        let _ = std::fs::remove_dir_all(&input);
        let opts = Options { days: 730, copies: 5, ..Options::default() };
        generate(&opts, |f| write::plain(&input.join(&f.path), &f.bytes))?;
        write::plain(&input.join(".complete"), b"")?;
    }
    let work = PathBuf::from("target/bench/work-peers");
    read_floor(&input);
    let mut walls: [Vec<f64>; 3] = Default::default();
    let mut rss = [0f64; 3];
    for _ in 0..runs {
        // A cold pipeline like the peers': no report of an earlier run to keep charts from
        // (the tables and analysis are rebuilt by `--full`).
        let _ = std::fs::remove_dir_all(work.join("reports"));
        let mut ours = (0.0, 0.0);
        for args in [
            vec![
                "extract",
                "--full",
                "--input",
                input.to_str().unwrap_or_default(),
                "--out",
                "target/bench/work-peers/tables",
            ],
            vec![
                "analyze",
                "--full",
                "--period",
                "week",
                "--tables",
                "target/bench/work-peers/tables",
                "--out",
                "target/bench/work-peers/analysis",
            ],
            vec![
                "report",
                "--tables",
                "target/bench/work-peers/tables",
                "--analysis",
                "target/bench/work-peers/analysis",
                "--out",
                "target/bench/work-peers/reports",
            ],
        ] {
            let (d, r, code) = timed(Command::new(bin).args(&args));
            assert!(code == 0 || code == 2, "biaslens {} exited {code}", args[0]);
            ours = (ours.0 + d.as_secs_f64(), f64::max(ours.1, r));
        }
        walls[0].push(ours.0);
        rss[0] = rss[0].max(ours.1);
        for (i, script) in [(1, "peer_polars.py"), (2, "peer_pandas.py")] {
            let mut c = Command::new("python3");
            c.arg(dir.join(script)).arg(&input).arg(work.join(script)).stdout(std::process::Stdio::null());
            let (d, r, code) = timed(&mut c);
            assert_eq!(code, 0, "{script} exited {code}");
            walls[i].push(d.as_secs_f64());
            rss[i] = rss[i].max(r);
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let m: Vec<f64> = walls.iter_mut().map(median).collect();
    println!("| pipeline (730 days × 20 topics) | median wall | peak RSS | biaslens is |\n|---|---|---|---|");
    for (i, name) in
        ["biaslens extract + analyze + report", "Python Polars peer", "pandas peer"].iter().enumerate()
    {
        let ratio = if i == 0 { String::new() } else { format!("{:.1}× faster", m[i] / m[0]) };
        println!("| {name} | {:.2} s | {:.0} MiB | {ratio} |", m[i], rss[i]);
    }
    Ok(())
}

/// Times `command` after each of `runs` changes: the files of `new` are written, the command
/// timed, then the files removed and the command run again untimed, so every run starts
/// from the same state.
fn after_change(
    name: &str,
    new: &[(PathBuf, Vec<u8>)],
    input: &std::path::Path,
    runs: usize,
    command: impl Fn() -> Command,
) -> anyhow::Result<()> {
    let (mut times, mut rss) = (Vec::new(), 0f64);
    for _ in 0..runs {
        for (p, b) in new {
            write::plain(p, b)?;
        }
        let (d, r, code) = timed(&mut command());
        assert!(code == 0 || code == 2, "{name} exited {code}");
        times.push(d.as_secs_f64());
        rss = rss.max(r);
        std::fs::remove_dir_all(input.join("zz-bench-new"))?;
        timed(&mut command());
    }
    Stage { name: name.to_string(), times, rss, units: None }.print();
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let env = |k: &str, d: usize| std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d);
    if std::env::var_os("BENCH_PEERS").is_some() {
        return peers(env("BENCH_RUNS", 3));
    }
    let (digests, runs) = (env("BENCH_DIGESTS", 10_000), env("BENCH_RUNS", 5));
    let bin = env!("CARGO_BIN_EXE_biaslens");
    let (input, files, bytes) = corpus(digests)?;
    let work = PathBuf::from(format!("target/bench/work-{digests}"));
    let tables = work.join("tables");
    let analysis = work.join("analysis");

    println!(
        "corpus: {files} files, {:.0} MiB, {} cores; {runs} runs per stage",
        bytes as f64 / 1_048_576.0,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    // Warm the page cache, then time the floor.
    read_floor(&input);
    let floor: Vec<f64> = (0..runs).map(|_| read_floor(&input)).collect();
    let mut sorted = floor.clone();
    sorted.sort_by(f64::total_cmp);
    let floor_median = sorted[sorted.len() / 2];
    println!("| stage | median | min – max | peak RSS | throughput |\n|---|---|---|---|---|");
    println!(
        "| {:<34} | {:>8.3} s | {:>17} | {:>12} | {:>9.0} MiB/s |",
        "floor: read every file",
        floor_median,
        "",
        "",
        bytes as f64 / 1_048_576.0 / floor_median
    );

    // `BENCH_PARTS=1` (or the older `BENCH_STORIES=1`): only what story clustering, and
    // tone and grounding, add to `analyze --full` (issues 14 and 29), in `BENCH_RUNS`
    // alternating pairs, on the suite's tables (extracted first if absent).
    if std::env::var_os("BENCH_PARTS").is_some() || std::env::var_os("BENCH_STORIES").is_some() {
        if !tables.join("articles.parquet").is_file() {
            timed(
                Command::new(bin)
                    .args(["extract", "--full", "--input"])
                    .arg(&input)
                    .arg("--out")
                    .arg(&tables),
            );
        }
        parts_cost(bin, &tables, &work, runs);
        return Ok(());
    }
    let extract = bench("extract --full (CSV + Parquet)", runs, Some((files as f64, "files")), || {
        let mut c = Command::new(bin);
        c.args(["extract", "--full", "--input"]).arg(&input).arg("--out").arg(&tables);
        c
    });
    // Two kinds of change: the 40 digests of a new year in four topics (few shards, the
    // suite's original case), and one new digest for every topic the day after the corpus
    // ends (the daily cron case: one month of every topic is read again).
    let mut new_year: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let later = Options {
        start: chrono::NaiveDate::from_ymd_opt(2040, 1, 1).expect("valid"),
        days: 12,
        variants: false,
        articles: (16, 24),
        ..Options::default()
    };
    generate(&later, |f| {
        if new_year.len() < 40 {
            new_year.push((input.join("zz-bench-new").join(&f.path), f.bytes));
        }
        Ok(())
    })?;
    let mut next_day: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let (copies, days) = shape(digests);
    let tomorrow = Options {
        start: Options::default().start + chrono::Duration::days(i64::from(days)),
        days: 1,
        copies,
        variants: false,
        articles: (16, 24),
        ..Options::default()
    };
    generate(&tomorrow, |f| {
        next_day.push((input.join("zz-bench-new").join(&f.path), f.bytes));
        Ok(())
    })?;
    // Partitioned first, then single files, so analyze and report below read single files.
    for (layout, extra) in [(", partitioned", &["--partitioned"][..]), ("", &[][..])] {
        let args = |c: &mut Command| {
            c.args(["extract", "--input"]).arg(&input).arg("--out").arg(&tables).args(extra);
        };
        // The first run after a change of layout is a full one, timed above.
        let mut c = Command::new(bin);
        args(&mut c);
        timed(&mut c);
        bench(&format!("extract, nothing changed{layout}"), runs, Some((files as f64, "files")), || {
            let mut c = Command::new(bin);
            args(&mut c);
            c
        });
        for (what, new) in [("40 digests of a new year", &new_year), ("1 new digest per topic", &next_day)] {
            after_change(&format!("extract + {what} ({}){layout}", new.len()), new, &input, runs, || {
                let mut c = Command::new(bin);
                args(&mut c);
                c
            })?;
        }
    }
    bench("analyze --full --period week", runs, None, || {
        let mut c = Command::new(bin);
        c.args(["analyze", "--full", "--tables"]).arg(&tables).arg("--out").arg(&analysis);
        c
    });
    parts_cost(bin, &tables, &work, runs);
    bench("analyze, nothing changed", runs, None, || {
        let mut c = Command::new(bin);
        c.args(["analyze", "--tables"]).arg(&tables).arg("--out").arg(&analysis);
        c
    });
    bench("report (last complete week, all topics)", runs, None, || {
        let mut c = Command::new(bin);
        c.args(["report", "--tables"]).arg(&tables).arg("--analysis").arg(&analysis);
        c.arg("--out").arg(work.join("reports"));
        c
    });
    // The whole daily job after each kind of change: extract, analyze (incremental: only
    // the topics that changed) and the weekly report, single-file tables.
    let run = |c: &mut Command| {
        c.args(["run", "--input"]).arg(&input).arg("--tables").arg(&tables).arg("--analysis").arg(&analysis);
        c.arg("--reports").arg(work.join("reports"));
    };
    let mut c = Command::new(bin);
    run(&mut c);
    timed(&mut c);
    for (what, new) in [("40 digests of a new year", &new_year), ("1 new digest per topic", &next_day)] {
        after_change(&format!("run + {what} ({})", new.len()), new, &input, runs, || {
            let mut c = Command::new(bin);
            run(&mut c);
            c
        })?;
    }
    // The main job on the shipped sample, tables already current (the cron case).
    let sample = work.join("sample");
    bench("run on the shipped sample", runs, None, || {
        let mut c = Command::new(bin);
        c.args(["run", "--tables"]).arg(sample.join("tables")).arg("--analysis").arg(sample.join("analysis"));
        c.arg("--reports").arg(sample.join("reports"));
        c
    });
    let mut t = extract.times.clone();
    t.sort_by(f64::total_cmp);
    println!("\nextract takes {:.1}× the plain read of the corpus.", t[t.len() / 2] / floor_median);
    Ok(())
}
