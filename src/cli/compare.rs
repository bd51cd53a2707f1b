//! `biaslens compare`: how topics' coverage moves across months.

use anyhow::Context;

use crate::report::{compare, Month};
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
    let _lock = write::lock(&a.io.out)?;
    let inputs = crate::store::Store::open(&a.io.tables).inputs()?;
    let cmp = compare::build(
        &inputs,
        &a.io.resources.registry()?.0,
        &a.io.resources.lexicon()?.0,
        &months,
        &a.topic,
        super::args::generation_time(a.io.generated_at)?,
    )?;
    let dir = a.io.out.join(&cmp.slug);
    let svgs = crate::report::write_figures(&dir, &cmp.figures(), a.io.chart_images)?;
    let svg_of = |name: &str| svgs.get(name).cloned();
    write::atomic(&dir.join("index.html"), crate::report::render::compare_html(&cmp, &svg_of).as_bytes())?;
    // `index.md` makes the folder a Hugo page bundle; `report.md` is the same file.
    let md = crate::report::render::compare_markdown(&cmp, a.io.chart_images);
    write::atomic(&dir.join("index.md"), md.as_bytes())?;
    write::atomic(&dir.join("report.md"), md.as_bytes())?;
    write::atomic(&dir.join("tables/months.csv"), &compare::months_csv(&cmp)?)?;
    eprintln!(
        "compare: {} months, {} topics → {}",
        cmp.months.len(),
        cmp.topics.len(),
        dir.join("index.html").display()
    );
    Ok(0)
}
