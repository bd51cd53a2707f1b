//! `biaslens compare`: how topics' coverage moves across months.

use anyhow::Context;

use crate::report::job::{self, CompareConfig};
use crate::report::Month;
use crate::write;

/// Arguments of `compare`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Months to compare, comma-separated: 2025-11,2025-12,2026-01.
    #[arg(long, value_delimiter = ',', conflicts_with_all = ["from_month", "to_month"])]
    pub months: Vec<String>,
    /// First month of a range (with --to-month).
    #[arg(long, requires = "to_month")]
    pub from_month: Option<String>,
    /// Last month of a range (with --from-month).
    #[arg(long, requires = "from_month")]
    pub to_month: Option<String>,
    /// Only these topics (repeat the option or separate with commas).
    #[arg(long, value_delimiter = ',')]
    pub topic: Vec<String>,
    #[command(flatten)]
    pub io: super::report::ReportIo,
}

fn month(text: &str) -> anyhow::Result<Month> {
    Month::parse(text).with_context(|| format!("{text} is not a month; write it like 2026-01"))
}

/// Runs `compare`.
pub fn run(a: Args) -> anyhow::Result<u8> {
    let mut months: Vec<Month> = match (&a.from_month, &a.to_month) {
        (Some(f), Some(t)) => {
            let (f, t) = (month(f)?, month(t)?);
            anyhow::ensure!(f <= t, "--from-month {} is after --to-month {}", f.label(), t.label());
            f.through(t)
        }
        _ => a.months.iter().map(|m| month(m)).collect::<anyhow::Result<_>>()?,
    };
    anyhow::ensure!(
        !months.is_empty(),
        "name the months: --months 2025-11,2025-12 or --from-month/--to-month"
    );
    months.sort();
    months.dedup();
    let config = CompareConfig {
        months,
        topics: a.topic,
        tables: a.io.tables,
        out: a.io.out,
        resources: a.io.resources,
        generated_at: super::args::generation_time(a.io.generated_at)?,
        chart_images: a.io.chart_images,
    };
    let _lock = write::lock(&config.out)?;
    let (index, cmp) = job::compare(&config)?;
    let count = |n: usize, unit: &str| crate::report::format::count(n as i64, unit);
    eprintln!(
        "compare: {}, {} → {}",
        count(cmp.months.len(), "months"),
        count(cmp.topics.len(), "topics"),
        index.display()
    );
    Ok(0)
}
