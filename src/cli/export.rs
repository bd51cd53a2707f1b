//! `biaslens export`: filtered research exports with a data package and data dictionary.

use std::path::PathBuf;

use crate::analytics::Period;
use crate::export::{export, ExportConfig};
use crate::write::Format;

/// Arguments of `export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to write the export to.
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub filters: super::args::Filters,
    /// Table formats.
    #[arg(long, value_enum, default_value = "both")]
    pub format: Format,
    /// Excel-friendly CSV: byte-order mark, formula-like text cells neutralised with a `'`.
    #[arg(long)]
    pub excel: bool,
    /// Period of the analysis tables.
    #[arg(long, value_enum, default_value = "week")]
    pub period: Period,
    /// Folder of extracted tables.
    #[arg(long, default_value = super::args::paths::TABLES)]
    pub tables: PathBuf,
    /// The outlet registry and theme lexicon.
    #[command(flatten)]
    pub resources: crate::resources::Args,
    /// Timestamp recorded in the package (RFC 3339); default SOURCE_DATE_EPOCH, else now.
    #[arg(long)]
    pub created: Option<chrono::DateTime<chrono::Utc>>,
}

/// Runs `export`.
pub fn run(a: Args) -> anyhow::Result<u8> {
    a.filters.filter()?;
    let cfg = ExportConfig {
        tables: a.tables,
        out: a.out,
        from: a.filters.from,
        to: a.filters.to,
        topics: a.filters.topic,
        format: a.format,
        excel: a.excel,
        period: a.period,
        resources: a.resources,
        created: super::args::generation_time(a.created)?,
    };
    let _lock = crate::write::lock(&cfg.out)?;
    let ex = export(&cfg)?;
    let rows: Vec<String> = ex.rows.iter().map(|(t, n)| format!("{t} {n}")).collect();
    eprintln!("export: {} → {} (with datapackage.json and README.md)", rows.join(", "), cfg.out.display());
    Ok(0)
}
