//! `biaslens generate`: writes the deterministic sample corpus, or a large one for benchmarks.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::write;
use biaslens_generate::{generate, Options};

/// Arguments of `generate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to write the digests to.
    #[arg(long, default_value = super::args::paths::DIGESTS)]
    pub out: PathBuf,
    /// Seed of every random choice; the same seed gives the same files.
    #[arg(long, default_value_t = Options::default().seed)]
    pub seed: u64,
    /// First day of the corpus.
    #[arg(long, default_value_t = Options::default().start)]
    pub start: NaiveDate,
    /// Number of days.
    #[arg(long, default_value_t = Options::default().days)]
    pub days: u32,
    /// Copies of each topic (suffixed -2, -3, …), to reach benchmark sizes.
    #[arg(long, default_value_t = 1)]
    pub copies: u32,
    /// Fewest articles per digest.
    #[arg(long, default_value_t = Options::default().articles.0)]
    pub min_articles: u32,
    /// Most articles per digest.
    #[arg(long, default_value_t = Options::default().articles.1)]
    pub max_articles: u32,
    /// Leave out drafts, re-runs, broken files and the other real-world variants.
    #[arg(long)]
    pub clean: bool,
}

/// Runs `generate`.
pub fn run(args: Args) -> anyhow::Result<u8> {
    anyhow::ensure!(
        (4..=args.max_articles).contains(&args.min_articles),
        "--min-articles must be at least 4 and at most --max-articles"
    );
    let opts = Options {
        seed: args.seed,
        start: args.start,
        days: args.days,
        copies: args.copies,
        variants: !args.clean,
        articles: (args.min_articles, args.max_articles),
    };
    let n = generate(&opts, |f| write::plain(&args.out.join(&f.path), &f.bytes))?;
    eprintln!("generate: wrote {n} files to {}", args.out.display());
    Ok(0)
}
