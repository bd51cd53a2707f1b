//! Benchmark: extract a generated corpus of about 10,000 digests, in process.
//!
//! Run with `cargo bench --bench extract`. Prints digests/s (median of several runs) and the
//! process's peak resident memory. Not a test: nothing here asserts a time.

use std::time::Instant;

use biaslens::cli::extract::{extract, Config};
use biaslens::generate::{generate, Options};
use biaslens::write::{self, Format};

/// Peak resident set size of this process, in MiB (Linux `VmHWM`).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() -> anyhow::Result<()> {
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    let dir = tempfile::tempdir()?;
    let input = dir.path().join("digests");
    let opts = Options { days: 660, copies: 4, ..Options::default() };
    let files = generate(&opts, |f| write::plain(&input.join(&f.path), &f.bytes))?;
    let bytes: u64 = walkdir::WalkDir::new(&input)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    let rss_after_generate = peak_rss_mib().unwrap_or(f64::NAN);

    let config = Config {
        input,
        out: dir.path().join("tables"),
        outlets: "data/outlets.yaml".into(),
        format: Format::Both,
        strict: false,
        verbose: false,
        progress: false,
    };
    let mut times = Vec::new();
    let mut digests = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let outcome = extract(&config)?;
        times.push(start.elapsed().as_secs_f64());
        digests = outcome.corpus.digests.len();
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "extract: {files} files ({:.0} MiB), {digests} digests, {} threads",
        bytes as f64 / 1048576.0,
        rayon::current_num_threads()
    );
    println!(
        "  median {median:.3} s over {runs} runs (min {:.3}, max {:.3}) → {:.0} digests/s",
        times[0],
        times[times.len() - 1],
        digests as f64 / median
    );
    println!(
        "  peak RSS {:.0} MiB (of which {:.0} MiB before extracting)",
        peak_rss_mib().unwrap_or(f64::NAN),
        rss_after_generate
    );
    Ok(())
}
