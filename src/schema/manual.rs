//! The table contract as Markdown: `docs/tables.md`, written from [`super::TABLES`].

use super::{Table, TABLES};

impl Table {
    /// The columns as a Markdown table: column, type, unit, meaning.
    pub fn markdown_columns(&self) -> String {
        let mut s = String::from("| column | type | unit | meaning |\n|---|---|---|---|\n");
        for f in self.fields {
            s.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                f.name,
                f.kind.as_str(),
                f.unit,
                f.description.replace('|', "\\|")
            ));
        }
        s
    }
}

/// `docs/tables.md`: every table of the contract and its columns, written from this module
/// (a test fails when the file differs, so the manual cannot drift from the code).
pub fn manual() -> String {
    let mut s = String::from(
        "# Tables\n\n<!-- Written by `BIASLENS_WRITE_DOCS=1 cargo test --release --test it docs`\n     from src/schema.rs; do not edit by hand. -->\n\nThe table contract: every table biaslens writes (extract's in `data/tables/`, the\nanalysis's in `data/analysis/`, both as CSV and Parquet; the analysis's five per-item detail\ntables are Parquet only there and CSV in `export`) and its columns in file order.\nColumns are added over time and never renamed or dropped. How each table is computed:\n[analysis.md](analysis.md); the input it comes from: [input.md](input.md).\n",
    );
    for t in TABLES {
        let mut description = t.description.to_string();
        if let Some(first) = description.get(..1) {
            description.replace_range(..1, &first.to_uppercase());
        }
        s.push_str(&format!("\n## {}\n\n{description}.\n\n", t.name));
        s.push_str(&t.markdown_columns());
    }
    s
}
