//! Research exports: the extracted and analysis tables, filtered consistently to a date
//! range and topics, with a Frictionless `datapackage.json` and a citable data dictionary
//! (`README.md`) that carries a manifest of inputs and outputs with SHA-256 hashes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use polars::prelude::*;

use crate::analytics::service::{analysis_for, Over, Request};
use crate::analytics::{one_of, Filter, Options, Period};
use crate::schema;
use crate::tables::{col as c, name};
use crate::write::{self, Format};

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportConfig {
    /// Folder of extracted tables.
    pub tables: PathBuf,
    /// Folder to write.
    pub out: PathBuf,
    /// First digest date.
    pub from: Option<NaiveDate>,
    /// Last digest date.
    pub to: Option<NaiveDate>,
    /// Topics; empty for all.
    pub topics: Vec<String>,
    /// Formats.
    pub format: Format,
    /// Excel-friendly CSV: BOM, formula-like text cells neutralised.
    pub excel: bool,
    /// Period of the analysis tables.
    pub period: Period,
    /// The theme lexicon and the outlet registry (both hashed into the manifest).
    pub resources: crate::resources::Args,
    /// Timestamp recorded in the package.
    pub created: DateTime<Utc>,
}

/// One file of the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path as recorded (relative to the export for outputs).
    pub path: String,
    /// Rows, for tables.
    pub rows: Option<usize>,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: usize,
}

/// What an export wrote.
#[derive(Debug, Clone)]
pub struct Exported {
    /// Output files (tables, then `datapackage.json` and `README.md` are not listed).
    pub outputs: Vec<Entry>,
    /// Input files read.
    pub inputs: Vec<Entry>,
    /// Rows per table name.
    pub rows: Vec<(&'static str, usize)>,
    /// The lexicon and the registry used, described (built-in or a path, with a hash).
    pub sources: Vec<String>,
}

fn entry(path: String, rows: Option<usize>, bytes: &[u8]) -> Entry {
    Entry { path, rows, sha256: crate::hash::sha256_hex(bytes), bytes: bytes.len() }
}

/// CSV for Excel: a UTF-8 BOM (so Excel detects the encoding) and every text cell that Excel
/// would run as a formula (starting `=`, `+`, `-`, `@`, tab or CR) prefixed with `'`.
/// Numbers are left alone, so `-0.5` stays a number.
pub fn excel_csv(plain: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(plain);
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    for record in reader.records() {
        let record = record?;
        let fields: Vec<String> = record
            .iter()
            .map(|f| {
                let risky = f.starts_with(['=', '+', '-', '@', '\t', '\r']);
                if risky && f.parse::<f64>().is_err() {
                    format!("'{f}")
                } else {
                    f.to_string()
                }
            })
            .collect();
        out.write_record(&fields)?;
    }
    out.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}

/// The filter as a sentence, for messages and the dictionary.
pub fn describe(cfg: &ExportConfig) -> String {
    let range = match (cfg.from, cfg.to) {
        (Some(a), Some(b)) => format!("digests dated {a} to {b}"),
        (Some(a), None) => format!("digests dated {a} or later"),
        (None, Some(b)) => format!("digests dated {b} or earlier"),
        (None, None) => "digests of any date".to_string(),
    };
    let topics = if cfg.topics.is_empty() {
        "all topics".to_string()
    } else {
        format!("topics {}", cfg.topics.join(", "))
    };
    format!("{range}, {topics}")
}

/// Runs the export.
pub fn export(cfg: &ExportConfig) -> anyhow::Result<Exported> {
    let store = crate::store::Store::open(&cfg.tables);
    let inputs = store.inputs()?;
    let problems = store.scan(name::PROBLEMS)?;
    let (lexicon, lexicon_source) = cfg.resources.lexicon()?;
    let (_, registry_source) = cfg.resources.registry()?;

    // Every digest in range, drafts and re-runs included (their flags say what they are);
    // children follow their digest, so an article is exported iff its digest is.
    let mut keep = lit(true);
    if !cfg.topics.is_empty() {
        keep = keep.and(one_of(col(c::TOPIC), lit(Series::new("t".into(), cfg.topics.clone()))));
    }
    if let Some(from) = cfg.from {
        keep = keep.and(col(c::DIGEST_DATE).gt_eq(lit(from)));
    }
    if let Some(to) = cfg.to {
        keep = keep.and(col(c::DIGEST_DATE).lt_eq(lit(to)));
    }
    let digests = inputs.digests.clone().filter(keep).collect()?;
    if digests.height() == 0 {
        anyhow::bail!("no digests match ({}); nothing was written", describe(cfg));
    }
    let ids = lit(digests.column(c::DIGEST_ID)?.as_materialized_series().clone());
    let child = |lf: LazyFrame| lf.filter(one_of(col(c::DIGEST_ID), ids.clone())).collect();
    let filtered = cfg.from.is_some() || cfg.to.is_some() || !cfg.topics.is_empty();
    // Problems of exported digests' files; problems of files that gave no digest have no
    // date or topic, so they come along only in an unfiltered export.
    let problems = if filtered {
        let paths = lit(digests.column(c::SOURCE_PATH)?.as_materialized_series().clone());
        problems.filter(one_of(col(c::SOURCE_PATH), paths)).collect()?
    } else {
        problems.collect()?
    };
    let mut tables: Vec<(&'static str, DataFrame)> = vec![
        (name::DIGESTS, digests.clone()),
        (name::PERSPECTIVES, child(inputs.perspectives.clone())?),
        (name::ARTICLES, child(inputs.articles.clone())?),
        (name::HIGHLIGHTS, child(inputs.highlights.clone())?),
        (name::SUMMARIES, child(inputs.summaries.clone())?),
        (name::PROBLEMS, problems),
    ];
    let options = Options {
        period: cfg.period,
        filter: Filter { topics: cfg.topics.clone(), from: cfg.from, to: cfg.to, ..Filter::default() },
        ..Options::default()
    };
    let over = Over { inputs: &inputs, lexicon: &lexicon, options: &options };
    let (analysis, _) = analysis_for(&store, &Request::Periods(over))?;
    tables.extend(analysis.tables.into_iter().map(|(t, df)| (t.name(), df)));

    let (outputs, rows) = write_tables(cfg, &mut tables)?;
    let mut inputs_read = input_entries(cfg)?;
    for r in [&lexicon_source, &registry_source] {
        inputs_read.push(entry(r.name(), None, r.text.as_bytes()));
    }
    let sources = vec![lexicon_source.describe(), registry_source.describe()];
    let exported = Exported { outputs, inputs: inputs_read, rows, sources };
    write::atomic(&cfg.out.join("datapackage.json"), datapackage(cfg, &exported)?.as_bytes())?;
    write::atomic(&cfg.out.join("README.md"), dictionary(cfg, &exported).as_bytes())?;
    Ok(exported)
}

/// A table and its rows.
type TableRows = (&'static str, usize);

/// Writes every table in each format asked for; the manifest entries of the files written,
/// and each table's rows.
fn write_tables(
    cfg: &ExportConfig,
    tables: &mut [(&'static str, DataFrame)],
) -> anyhow::Result<(Vec<Entry>, Vec<TableRows>)> {
    let mut outputs = Vec::new();
    let mut rows = Vec::new();
    for (table, df) in tables.iter_mut() {
        rows.push((*table, df.height()));
        for ext in cfg.format.extensions() {
            let bytes = match *ext {
                "csv" if cfg.excel => excel_csv(&write::csv_bytes(df)?)?,
                "csv" => write::csv_bytes(df)?,
                _ => write::parquet_bytes(df)?,
            };
            let file = format!("{table}.{ext}");
            write::atomic(&cfg.out.join(&file), &bytes)?;
            outputs.push(entry(file, Some(df.height()), &bytes));
        }
    }
    Ok((outputs, rows))
}

/// The manifest entries of every input table file, partitions one by one in the
/// partitioned layout.
fn input_entries(cfg: &ExportConfig) -> anyhow::Result<Vec<Entry>> {
    let mut input_files = Vec::new();
    for t in name::ALL {
        input_files.extend(crate::store::Store::open(&cfg.tables).files(t)?);
    }
    let mut out = Vec::new();
    for path in input_files {
        let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let n = crate::store::Store::rows_in(&path)?;
        out.push(entry(path.display().to_string(), Some(n), &bytes));
    }
    Ok(out)
}

/// The Frictionless Data Package: one resource per CSV file (Parquet twins are named in
/// each resource's `parquet` property), with a full table schema.
pub fn datapackage(cfg: &ExportConfig, ex: &Exported) -> anyhow::Result<String> {
    use serde_json::{json, Value};
    let csv = cfg.format != Format::Parquet;
    let mut resources = Vec::new();
    for out in ex.outputs.iter().filter(|o| o.path.ends_with(if csv { ".csv" } else { ".parquet" })) {
        let stem = out.path.rsplit_once('.').map_or(out.path.as_str(), |(s, _)| s);
        let table = schema::table(stem).with_context(|| format!("no schema for {stem}"))?;
        let fields: Vec<Value> = table
            .fields
            .iter()
            .map(|f| {
                let mut field =
                    json!({ "name": f.name, "type": f.kind.as_str(), "description": f.description });
                if f.kind == schema::Type::Datetime {
                    // RFC 3339 with milliseconds and Z, which the default ISO format rejects.
                    field["format"] = json!("any");
                }
                if f.kind == schema::Type::Boolean {
                    field["trueValues"] = json!(["TRUE"]);
                    field["falseValues"] = json!(["FALSE"]);
                }
                if !f.unit.is_empty() {
                    field["unit"] = json!(f.unit);
                }
                field
            })
            .collect();
        let mut resource = json!({
            "name": stem.replace('_', "-"),
            "path": out.path,
            "title": stem,
            "description": table.description,
            "profile": "tabular-data-resource",
            "format": if csv { "csv" } else { "parquet" },
            "mediatype": if csv { "text/csv" } else { "application/vnd.apache.parquet" },
            "encoding": if cfg.excel { "utf-8-sig" } else { "utf-8" },
            "bytes": out.bytes,
            "hash": format!("sha256:{}", out.sha256),
            "schema": { "fields": fields, "missingValues": [""] },
        });
        if csv && cfg.format == Format::Both {
            resource["parquet"] = json!(format!("{stem}.parquet"));
        }
        resources.push(resource);
    }
    let package = json!({
        "profile": "tabular-data-package",
        "name": "biaslens-export",
        "title": "biaslens export: media-bias tables from multi-perspective news digests",
        "description": format!("Extracted and analysis tables of biaslens {}, {}.", env!("CARGO_PKG_VERSION"), describe(cfg)),
        "version": env!("CARGO_PKG_VERSION"),
        "created": cfg.created.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "licenses": [{ "name": "other-at", "title": "Terms of the source digests apply" }],
        "resources": resources,
    });
    Ok(serde_json::to_string_pretty(&package)? + "\n")
}

/// The data dictionary a researcher can cite.
pub fn dictionary(cfg: &ExportConfig, ex: &Exported) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# biaslens export\n");
    let _ = writeln!(
        s,
        "Made by biaslens {} on {} from the tables in `{}`.\n\n**Filters:** {}. Extracted tables hold every digest in range (drafts and superseded re-runs included, flagged in `digests`); rows of the other extracted tables follow their digest, so an article is exported iff its digest is. `problems` holds the problems of the exported digests' files{}. Analysis tables are by {} and leave out drafts and superseded re-runs.\n",
        env!("CARGO_PKG_VERSION"),
        cfg.created.format("%Y-%m-%d %H:%M UTC"),
        cfg.tables.display(),
        describe(cfg),
        if cfg.from.is_some() || cfg.to.is_some() || !cfg.topics.is_empty() {
            " (files that could not be read at all have no date or topic and are left out of a filtered export)"
        } else {
            ", including files that could not be read at all"
        },
        match cfg.period {
            Period::Week => "ISO week",
            Period::Month => "calendar month",
        }
    );
    let _ = writeln!(s, "**Reference data:** {}.\n", ex.sources.join("; "));
    s.push_str("## Opening the files\n\n");
    s.push_str("CSV files are UTF-8 with a header row and RFC 4180 quoting; dates are `2026-01-22`, timestamps RFC 3339 in UTC (`2026-01-22T04:00:56.766Z`), booleans `TRUE`/`FALSE` (logical in R, booleans in pandas, Polars and DuckDB), and an empty cell is a missing value. In R: `read.csv(\"articles.csv\", encoding = \"UTF-8\")`; pandas: `pd.read_csv(\"articles.csv\")`; DuckDB: `SELECT * FROM 'articles.csv'`. ");
    if cfg.excel {
        s.push_str("These CSVs were written with `--excel`: they start with a byte-order mark so Excel reads them as UTF-8, and text cells starting with `=`, `+`, `-` or `@` carry a leading `'` so Excel does not run them as formulas. Use the Parquet files (or an export without `--excel`) for exact text.\n\n");
    } else {
        s.push_str("In Excel, use Data → From Text/CSV and choose UTF-8 (65001), or make the export with `--excel` (byte-order mark, formula-like cells neutralised). Parquet files carry the same rows with proper types.\n\n");
    }
    s.push_str("## How sides and themes are assigned\n\n");
    s.push_str("- **Side of an article:** the Sources list is written side by side in frontmatter order, so when the declared counts add up to the listed articles, by position. Otherwise the side the outlet has (by position) in the other digests of the topic, else the outlet registry's country, else empty. `articles.side_method` records which.\n");
    s.push_str("- **Outlets:** `outlet_id` folds the spellings of one outlet (`新华网`, `Xinhua`, `xinhuanet.com`) via the registry (hashed below); unknown outlets get a slug of their name.\n");
    s.push_str("- **Themes:** keywords of the lexicon (hashed below), written for each feed language, matched over highlights (by section) and article titles (by side): Latin-script keywords as whole words with plurals and without accents (a keyword ending in `*` as a word-start stem), capitalised keywords only in capitals, Cyrillic keywords as word-start stems, CJK keywords as substrings; an item naming a theme twice counts once. `themes.covered_items` counts the items in languages a theme has keywords for; a theme silence needs 90% of the silent side's items covered.\n");
    s.push_str("- **Balance index:** H / ln k, the Shannon entropy of the shares of the k sides declared for the topic in the period, normalised to 0 (one side only) … 1 (even).\n\n");
    s.push_str("## Tables\n\n");
    for (table, n) in &ex.rows {
        let Some(t) = schema::table(table) else { continue };
        let _ = writeln!(s, "### {table}\n\n{} — {n} rows.\n\n{}", t.description, t.markdown_columns());
    }
    s.push_str("## Manifest\n");
    for (title, entries) in [("Outputs", &ex.outputs), ("Inputs", &ex.inputs)] {
        let _ = writeln!(s, "\n{title}:\n\n| file | rows | bytes | SHA-256 |\n|---|---:|---:|---|");
        for e in entries {
            let rows = e.rows.map_or(String::new(), |r| r.to_string());
            let _ = writeln!(s, "| {} | {rows} | {} | `{}` |", e.path, e.bytes, e.sha256);
        }
    }
    let _ = writeln!(
        s,
        "\nTo reproduce: biaslens {} with the inputs above, `biaslens export --tables {}{}{}{} --period {}`.",
        env!("CARGO_PKG_VERSION"),
        cfg.tables.display(),
        cfg.from.map_or(String::new(), |d| format!(" --from {d}")),
        cfg.to.map_or(String::new(), |d| format!(" --to {d}")),
        cfg.topics.iter().map(|t| format!(" --topic {t}")).collect::<String>(),
        match cfg.period {
            Period::Week => "week",
            Period::Month => "month",
        }
    );
    s
}

/// Paths of every file an export writes, for tests and messages.
pub fn written_files(dir: &Path, ex: &Exported) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = ex.outputs.iter().map(|e| dir.join(&e.path)).collect();
    v.push(dir.join("datapackage.json"));
    v.push(dir.join("README.md"));
    v
}
