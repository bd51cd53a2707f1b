//! Times encoding one table (a Parquet file `analyze` wrote) as CSV and as Parquet, three
//! times, as `analyze` encodes it; optionally only some columns. For the write figures in
//! BENCHMARKS.md:
//!
//! `RAYON_NUM_THREADS=1 POLARS_MAX_THREADS=1 cargo run --release --example write_cost -- analysis/story_articles.parquet [col,col,…]`
use polars::prelude::*;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).map(String::as_str).unwrap_or("analysis/story_articles.parquet");
    let mut df = ParquetReader::new(std::fs::File::open(path)?).finish()?;
    if let Some(keep) = args.get(2) {
        df = df.select(keep.split(','))?;
    }
    df.rechunk_mut_par();
    for _ in 0..3 {
        let start = Instant::now();
        let csv = biaslens::write::csv_bytes(&mut df)?;
        let csv_time = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let parquet = biaslens::write::parquet_bytes(&mut df)?;
        println!(
            "CSV {csv_time:.3} s ({} MB), Parquet {:.3} s ({} MB)",
            csv.len() >> 20,
            start.elapsed().as_secs_f64(),
            parquet.len() >> 20
        );
    }
    Ok(())
}
