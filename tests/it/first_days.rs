//! The first days of a site, as a daily cron job meets them: nothing readable yet, then only
//! the generator's first file, whose digest compares no sides.

use std::path::Path;

use crate::cli::{biaslens, write};
use crate::root;

/// `run` of `input` into `out/{tables,analysis,reports}`: (status, stderr).
fn run(input: &Path, out: &Path) -> (i32, String) {
    let dir = |d: &str| out.join(d).to_str().unwrap().to_string();
    let (tables, analysis, reports) = (dir("tables"), dir("analysis"), dir("reports"));
    let o = biaslens(&[
        "run",
        "--input",
        input.to_str().unwrap(),
        "--tables",
        &tables,
        "--analysis",
        &analysis,
        "--reports",
        &reports,
        "--generated-at",
        "2025-10-13T06:00:00Z",
    ]);
    (o.status.code().unwrap(), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// The rows of a CSV file, header first.
fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_path(path).unwrap();
    r.records().map(|rec| rec.unwrap().iter().map(str::to_string).collect()).collect()
}

#[test]
fn before_any_digest_can_be_read_run_writes_the_tables_and_waits() {
    let dir = crate::tempdir();
    // Only files that cannot be read: exit 2 for their error rows, not 1.
    let broken = dir.path().join("broken");
    crate::cli::copy_dir(&root().join("tests/fixtures/broken"), &broken);
    let out = dir.path().join("out");
    let (status, stderr) = run(&broken, &out);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("no digest could be read yet"), "{stderr}");
    assert!(stderr.contains("wait for the first digest"), "{stderr}");
    assert!(!stderr.contains("run `biaslens extract` first"), "{stderr}");
    // The tables are written, empty, with the four files' error rows.
    assert_eq!(csv_rows(&out.join("tables/digests.csv")).len(), 1);
    let problems = csv_rows(&out.join("tables/problems.csv"));
    assert_eq!(problems.len(), 1 + 4);
    assert!(problems[1..].iter().all(|r| r[2] == "error"));
    // No report for a week that has no digest.
    let weeks = std::fs::read_dir(out.join("reports")).unwrap().filter_map(Result::ok);
    assert_eq!(weeks.filter(|e| e.path().is_dir()).count(), 0);

    // An empty folder: nothing to read, nothing wrong, exit 0.
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let (status, stderr) = run(&empty, &dir.path().join("out-empty"));
    assert_eq!(status, 0, "{stderr}");
    assert!(stderr.contains("no digest could be read yet"), "{stderr}");
}

#[test]
fn a_topic_period_whose_only_digest_compares_no_sides() {
    let dir = crate::tempdir();
    let input = dir.path().join("digests");
    let first = std::fs::read(root().join("tests/fixtures/sides/venezuela/2025-10-11.md")).unwrap();
    write(&input, "venezuela/2025-10-11.md", &first);
    let out = dir.path().join("out");
    let (status, stderr) = run(&input, &out);
    assert_eq!(status, 0, "{stderr}");

    // Source shares count its three articles, one per outlet, of no side: 1/3 each.
    let shares = csv_rows(&out.join("analysis/source_shares.csv"));
    let at = |name: &str| shares[0].iter().position(|h| h == name).unwrap();
    let rows: Vec<(&str, &str, &str, f64)> = shares[1..]
        .iter()
        .map(|r| {
            (
                r[at("period")].as_str(),
                r[at("perspective_id")].as_str(),
                r[at("articles")].as_str(),
                r[at("share")].parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(rows.len(), 3);
    for (period, side, articles, share) in rows {
        assert_eq!((period, side, articles), ("2025-W41", "", "1"));
        assert!((share - 1.0 / 3.0).abs() < 1e-12, "{share}");
    }
    // Balance has no row for a topic-period without sides.
    assert_eq!(csv_rows(&out.join("analysis/perspective_balance.csv")).len(), 1);
    // Themes: the overall section only (its three bullets), no side section.
    let themes = csv_rows(&out.join("analysis/themes.csv"));
    let section = themes[0].iter().position(|h| h == "section").unwrap();
    let items = themes[0].iter().position(|h| h == "items").unwrap();
    assert!(themes.len() > 1);
    assert!(themes[1..].iter().all(|r| r[section] == "overall" && r[items] == "3"));
    // No NaN or infinity anywhere in the analysis.
    for entry in std::fs::read_dir(out.join("analysis")).unwrap().filter_map(Result::ok) {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "csv") {
            for row in csv_rows(&path) {
                for cell in row {
                    let v = cell.to_lowercase();
                    assert!(
                        !["nan", "inf", "-inf", "infinity", "-infinity"].contains(&v.as_str()),
                        "{}: {cell}",
                        path.display()
                    );
                }
            }
        }
    }
    // The report says so.
    let md = std::fs::read_to_string(out.join("reports/2025-W41/report.md")).unwrap();
    assert!(md.contains("The week's only digest (Sat 11 Oct) compares no sides"), "{md}");
    assert!(md.contains("| articles | 3 |"), "{md}");
    // The outlets chart's legend names the articles' missing side (it had an empty label).
    let outlets = std::fs::read_to_string(out.join("reports/2025-W41/charts/outlets-venezuela.svg")).unwrap();
    assert!(outlets.contains("side unknown"), "{outlets}");
}
