//! Times story clustering alone, three times, on an extracted tables folder: the live
//! digests' articles with their periods, as `analyze` hands them over, through
//! `stories::stories` with the default settings. For profiling (`perf record`) and for
//! one-thread figures in BENCHMARKS.md:
//!
//! `RAYON_NUM_THREADS=1 POLARS_MAX_THREADS=1 BIASLENS_TIMINGS=1 cargo run --release --example stories_alone -- TABLES`
use polars::prelude::*;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "tables".into());
    let inputs = biaslens::store::Store::open(std::path::Path::new(&dir)).inputs()?;
    let options = biaslens::analytics::Options::default();
    let live = biaslens::analytics::live_digests(inputs.digests, &options).collect()?.lazy();
    let articles = biaslens::analytics::in_periods(inputs.articles, live).collect()?;
    for _ in 0..3 {
        let start = Instant::now();
        let tables = biaslens::analytics::stories::stories(articles.clone().lazy(), &options.stories, None)?;
        println!("stories: {:.3} s, {} stories", start.elapsed().as_secs_f64(), tables.stories.height());
    }
    Ok(())
}
