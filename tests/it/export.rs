//! Research exports: consistent filtering, Excel-safe CSV, the empty-range refusal, and the
//! table contract of `schema.rs` against what the code really writes.

use std::path::{Path, PathBuf};

use biaslens::analytics::Period;
use biaslens::export::{excel_csv, export, ExportConfig};
use biaslens::schema;
use biaslens::write::Format;
use chrono::{NaiveDate, TimeZone, Utc};
use polars::prelude::*;

use crate::fixture::counts;
use crate::root;

fn tables(dir: &Path) -> PathBuf {
    // W03: Mon 12 (t1), Wed 14 (t2); W04: Tue 20 (t1, plus a draft), Thu 22 (t2).
    let days = [
        counts("t1", "2026-01-12", &[("china", 2), ("japan", 1)]),
        counts("t2", "2026-01-14", &[("us", 1), ("china", 1)]),
        counts("t1", "2026-01-20", &[("china", 1), ("japan", 3)]),
        crate::fixture::Day {
            draft: true,
            suffix: "-draft",
            ..counts("t1", "2026-01-21", &[("china", 4), ("japan", 4)])
        },
        counts("t2", "2026-01-22", &[("us", 2), ("china", 2)]),
    ];
    let input = dir.join("digests");
    for (i, d) in days.iter().enumerate() {
        let p = input.join(format!("{}/{}{}-{i}.md", d.topic, d.date, d.suffix));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, crate::fixture::markdown(d)).unwrap();
    }
    std::fs::write(input.join("broken.md"), b"").unwrap();
    let out = dir.join("tables");
    biaslens::extract::run(&crate::extract_config(&input, out.clone())).unwrap();
    out
}

fn config(tables: PathBuf, out: PathBuf) -> ExportConfig {
    ExportConfig {
        tables,
        out,
        from: None,
        to: None,
        topics: vec![],
        format: Format::Both,
        excel: false,
        period: Period::Week,
        resources: biaslens::resources::Args {
            outlets: Some(root().join("data/outlets.yaml")),
            lexicon: Some(root().join("data/themes.yaml")),
        },
        created: Utc.with_ymd_and_hms(2026, 1, 26, 0, 0, 0).unwrap(),
    }
}

fn read(dir: &Path, table: &str) -> DataFrame {
    let file = std::fs::File::open(dir.join(format!("{table}.parquet"))).unwrap();
    ParquetReader::new(file).finish().unwrap()
}

fn rows(ex: &biaslens::export::Exported, table: &str) -> usize {
    ex.rows.iter().find(|(t, _)| *t == table).unwrap().1
}

#[test]
fn an_unfiltered_export_keeps_every_row() {
    let dir = crate::tempdir();
    let t = tables(dir.path());
    let ex = export(&config(t.clone(), dir.path().join("out"))).unwrap();
    for table in ["digests", "perspectives", "articles", "highlights", "problems"] {
        assert_eq!(rows(&ex, table), read(&t, table).height(), "{table}");
    }
    // 5 digests (the draft included); articles 3 + 2 + 4 + 8 + 4 = 21; the empty file's problem.
    assert_eq!((rows(&ex, "digests"), rows(&ex, "articles"), rows(&ex, "problems")), (5, 21, 1));
}

#[test]
fn a_filtered_export_keeps_children_with_their_digest() {
    let dir = crate::tempdir();
    let t = tables(dir.path());
    let mut cfg = config(t, dir.path().join("out"));
    cfg.from = NaiveDate::from_ymd_opt(2026, 1, 19);
    cfg.topics = vec!["t1".into()];
    let ex = export(&cfg).unwrap();
    // t1 in W04: the 20th (1 + 3 articles) and the draft of the 21st (4 + 4): 2 digests, 12 articles.
    assert_eq!((rows(&ex, "digests"), rows(&ex, "articles"), rows(&ex, "perspectives")), (2, 12, 4));
    // The unreadable file has no date or topic, so a filtered export leaves it out.
    assert_eq!(rows(&ex, "problems"), 0);
    // Analysis leaves the draft out: balance over china 1, japan 3.
    let bal = read(&cfg.out, "perspective_balance");
    assert_eq!(
        bal.column("articles").unwrap().i64().unwrap().into_no_null_iter().collect::<Vec<_>>(),
        [1, 3]
    );
    let readme = std::fs::read_to_string(cfg.out.join("README.md")).unwrap();
    assert!(readme.contains("**Filters:** digests dated 2026-01-19 or later, topics t1."), "{readme}");
    assert!(readme.contains("| articles.csv | 12 |"));
    let package: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(cfg.out.join("datapackage.json")).unwrap()).unwrap();
    let names: Vec<_> = package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names.len(), schema::TABLES.len());
    assert_eq!(names[0], "digests.csv");
    // The analysis folder keeps its detail tables in Parquet only; the export has their CSV.
    for t in biaslens::analytics::table::ALL.into_iter().filter(|t| t.is_detail()) {
        assert!(names.contains(&format!("{t}.csv")) && cfg.out.join(format!("{t}.csv")).is_file(), "{t}.csv");
    }
}

#[test]
fn a_range_without_digests_writes_nothing() {
    let dir = crate::tempdir();
    let t = tables(dir.path());
    let mut cfg = config(t, dir.path().join("out"));
    cfg.from = NaiveDate::from_ymd_opt(2027, 1, 1);
    let err = export(&cfg).unwrap_err().to_string();
    assert_eq!(err, "no digests match (digests dated 2027-01-01 or later, all topics); nothing was written");
    assert!(!cfg.out.exists());
}

#[test]
fn excel_csv_neutralises_formulas_and_keeps_numbers() {
    let plain = "title,share,note\n=HYPERLINK(\"x\"),-0.5,@sum\n+cmd,1e3,新华网\n-- dash,-2,ok\n".as_bytes();
    let out = String::from_utf8(excel_csv(plain).unwrap()).unwrap();
    assert_eq!(
        out,
        "\u{feff}title,share,note\n\"'=HYPERLINK(\"\"x\"\")\",-0.5,'@sum\n'+cmd,1e3,新华网\n'-- dash,-2,ok\n"
    );
}

#[test]
fn written_tables_match_the_contract_in_schema_rs() {
    let dir = crate::tempdir();
    let t = tables(dir.path());
    let cfg = config(t, dir.path().join("out"));
    export(&cfg).unwrap();
    for table in schema::TABLES {
        let df = read(&cfg.out, table.name);
        let got: Vec<String> = df.get_column_names().iter().map(|s| s.to_string()).collect();
        let want: Vec<&str> = table.fields.iter().map(|f| f.name).collect();
        assert_eq!(got, want, "columns of {}", table.name);
        for f in table.fields {
            let dtype = df.column(f.name).unwrap().dtype().clone();
            let ok = match f.kind {
                schema::Type::String => dtype == DataType::String || dtype == DataType::Null,
                schema::Type::Integer => dtype.is_integer() || dtype == DataType::Null,
                schema::Type::Number => dtype.is_float() || dtype == DataType::Null,
                schema::Type::Boolean => dtype == DataType::Boolean,
                schema::Type::Date => dtype == DataType::Date || dtype == DataType::Null,
                schema::Type::Datetime => matches!(dtype, DataType::Datetime(_, _)),
            };
            assert!(
                ok,
                "{}.{} is {dtype} in Parquet, the contract says {}",
                table.name,
                f.name,
                f.kind.as_str()
            );
        }
    }
}

#[test]
fn the_partitioned_layout_exports_the_same_tables() {
    let dir = crate::tempdir();
    let flat = tables(dir.path());
    let parts = dir.path().join("parts");
    let mut cfg = crate::extract_config(&dir.path().join("digests"), parts.clone());
    cfg.layout.partitioned = true;
    biaslens::extract::run(&cfg).unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    export(&config(flat, a.clone())).unwrap();
    let ex = export(&config(parts, b.clone())).unwrap();
    for t in ["digests", "perspectives", "articles", "highlights", "problems"] {
        let (x, y) = (
            std::fs::read(a.join(format!("{t}.csv"))).unwrap(),
            std::fs::read(b.join(format!("{t}.csv"))).unwrap(),
        );
        assert!(x == y, "{t}.csv differs between layouts");
    }
    // The manifest of inputs names every partition file: t1 has 3 + 4 + 8 articles in 2026
    // (the draft's 8 included) and t2 has 2 + 4, so 21 in all, as from single files.
    let readme = std::fs::read_to_string(b.join("README.md")).unwrap();
    assert!(readme.contains("articles/topic=t1/year=2026/part-0.parquet"), "{readme}");
    assert!(readme.contains("articles/topic=t2/year=2026/part-0.parquet"), "{readme}");
    assert_eq!(rows(&ex, "articles"), 21);
}
