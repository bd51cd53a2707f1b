//! The problems and exit-code policy: bad files never stop the run, errors give status 2,
//! warnings only with `--strict`, notices never; and the tables are still written.

use std::path::Path;
use std::process::Command;

use crate::cli::{biaslens, copy_dir, extract, write};
use crate::{root, SMALL};

fn csv_rows(path: &Path) -> Vec<csv::StringRecord> {
    csv::Reader::from_path(path).unwrap().records().map(Result::unwrap).collect()
}

#[test]
fn notices_only_exit_zero() {
    let dir = crate::tempdir();
    let input = dir.path().join("in");
    write(&input, "t/a.md", SMALL.as_bytes());
    write(&input, "t/_index.md", b"---\ntitle: T\n---\n");
    let (code, stderr) = extract(&input, &dir.path().join("out"), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "2 files (2 parsed, 2 new or changed, 0 kept, 0 removed), 1 digests, 3 articles, 5 highlights, 1 problems (0 errors, 0 warnings, 1 notices)"
        ),
        "{stderr}"
    );
}

#[test]
fn warnings_fail_only_when_strict() {
    let dir = crate::tempdir();
    let input = dir.path().join("in");
    write(&input, "a.md", SMALL.replace("(1/19/2026)", "(2/30/2026)").as_bytes());
    let out = dir.path().join("out");
    assert_eq!(extract(&input, &out, &[]).0, 0);
    assert_eq!(extract(&input, &out, &["--strict"]).0, 2);
}

#[test]
fn bad_files_are_reported_and_the_rest_is_written() {
    let dir = crate::tempdir();
    let input = dir.path().join("in");
    write(&input, "good.md", SMALL.as_bytes());
    write(&input, "empty.md", b"");
    write(&input, "latin1.md", b"---\ntitle: caf\xe9\n---\n");
    write(&input, "broken.md", SMALL.replace("    name: \"China\"", "    name: \"China").as_bytes());
    write(&input, "notes.txt", b"not markdown, not read");
    let out = dir.path().join("out");
    let (code, stderr) = extract(&input, &out, &[]);
    assert_eq!(code, 2, "{stderr}");
    // Problems are printed compiler-style so editors can jump to them.
    assert!(stderr.contains("empty.md: error[empty-file]: the file is empty"), "{stderr}");
    assert!(stderr.contains("latin1.md:2: error[not-utf8]"), "{stderr}");
    assert!(stderr.contains("broken.md:") && stderr.contains("error[invalid-frontmatter]"), "{stderr}");

    for name in ["digests", "perspectives", "articles", "highlights", "problems"] {
        for ext in ["csv", "parquet"] {
            assert!(out.join(format!("{name}.{ext}")).is_file(), "{name}.{ext} missing");
        }
    }
    let digests = csv_rows(&out.join("digests.csv"));
    assert_eq!(digests.len(), 1);
    assert_eq!(&digests[0][1], "good.md");
    let problems = csv_rows(&out.join("problems.csv"));
    let got: Vec<_> = problems
        .iter()
        .map(|r| (r[0].to_string(), r[1].to_string(), r[2].to_string(), r[3].to_string()))
        .collect();
    let s = |a: &str, b: &str, c: &str, d: &str| (a.to_string(), b.to_string(), c.to_string(), d.to_string());
    assert_eq!(got[0], s("broken.md", &got[0].1, "error", "invalid-frontmatter"));
    assert!(!got[0].1.is_empty(), "a YAML error has a line");
    assert_eq!(
        got[1..],
        [s("empty.md", "", "error", "empty-file"), s("latin1.md", "2", "error", "not-utf8")]
    );
}

#[test]
fn csv_follows_the_table_dialect() {
    let dir = crate::tempdir();
    let input = dir.path().join("in");
    write(
        &input,
        "x/a.md",
        SMALL.replace("\"China vs Japan News - 2026-01-20\"", "\"Quote \\\"this\\\", and, that\"").as_bytes(),
    );
    let out = dir.path().join("out");
    assert_eq!(extract(&input, &out, &[]).0, 0);
    let text = std::fs::read_to_string(out.join("digests.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "digest_id,source_path,topic,topic_name,title,published_at,digest_date,iso_week,draft,superseded,article_count_declared,article_count_listed,highlight_count,layout"
    );
    let row = lines.next().unwrap();
    assert!(row.starts_with("china-japan-2026-01-20-"), "{row}");
    assert!(
        row.ends_with(",x/a.md,china-japan,China vs Japan,\"Quote \"\"this\"\", and, that\",2026-01-20T04:00:00.000Z,2026-01-20,2026-W04,FALSE,FALSE,3,3,5,current"),
        "{row}"
    );
    let articles = std::fs::read_to_string(out.join("articles.csv")).unwrap();
    assert!(articles.starts_with(
        "digest_id,topic,digest_date,position,perspective_id,outlet,outlet_id,language,title,url,published_date,"
    ));
    // `language` is the title's (Chinese), `feed` the tag as written, then how the language
    // was decided (the detector, agreeing with the feed).
    assert!(articles.contains(",2,china,Xinhua,xinhua,zh,贸易摩擦升级,https://example.com/b,2026-01-19,41,position,state,china,zh-CN,detected\n"), "{articles}");
}

#[test]
fn missing_input_folder_is_a_clear_error() {
    let o = biaslens(&["extract", "--input", "/nonexistent/digests", "--out", "/tmp/biaslens-never"]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("the input folder /nonexistent/digests does not exist"), "{stderr}");
}

#[test]
fn the_broken_fixtures_are_one_error_row_each_and_status_2() {
    let dir = crate::tempdir();
    let out = dir.path().join("out");
    let (code, stderr) = extract(&root().join("tests/fixtures/broken"), &out, &[]);
    assert_eq!(code, 2, "{stderr}");
    let got: Vec<_> = csv_rows(&out.join("problems.csv"))
        .iter()
        .map(|r| (r[0].to_string(), r[1].to_string(), r[3].to_string()))
        .collect();
    let s = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        got,
        [
            // The quote opened by `name: "US` on line 7 is never closed: the YAML parser
            // runs to the end of the frontmatter, line 9, and stops there.
            s("2025-08-19-us-china-broken.md", "9", "invalid-frontmatter"),
            s("2025-09-30-russia-ukraine-empty.md", "", "empty-file"),
            // Byte 0xE9 (Latin-1 é) on line 6.
            s("2025-10-14-china-japan-latin1.md", "6", "not-utf8"),
            s("2025-11-03-south-china-sea-unclosed.md", "1", "invalid-frontmatter"),
        ]
    );
}

#[test]
fn help_and_version_succeed_and_a_wrong_argument_is_status_1() {
    let help = biaslens(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("Usage: biaslens"));
    let version = biaslens(&["--version"]);
    assert_eq!(version.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("biaslens {}", env!("CARGO_PKG_VERSION"))
    );
    // Status 2 means "the digests hold errors"; a wrong argument is the run not starting.
    let wrong = biaslens(&["extract", "--no-such-flag"]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("unexpected argument '--no-such-flag'"));
}

#[test]
fn run_works_from_any_folder_with_the_built_in_registry_and_lexicon() {
    let dir = crate::tempdir();
    let input = dir.path().join("digests");
    write(&input, "a.md", SMALL.as_bytes());
    let o = Command::new(env!("CARGO_BIN_EXE_biaslens"))
        .args(["run", "--input", input.to_str().unwrap()])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("the built-in registry (sha256 "), "{stderr}");
    assert!(stderr.contains("the built-in lexicon (sha256 "), "{stderr}");
    // Everything is written under the current folder.
    assert!(dir.path().join("data/tables/articles.csv").is_file());
    assert!(dir.path().join("data/analysis/themes.csv").is_file());
    assert!(dir.path().join("reports/2026-W04/index.html").is_file());
}

/// Polars prints its own warnings (deprecations above all, which each Polars upgrade brings)
/// on stderr, where a cron job mails them to its owner. Every command of a week's routine,
/// full and incremental, says only biaslens's own lines.
#[test]
fn no_polars_warning_reaches_the_terminal() {
    let dir = crate::tempdir();
    let input = dir.path().join("digests");
    copy_dir(&root().join("data/digests"), &input);
    let p = |rel: &str| dir.path().join(rel).to_str().unwrap().to_string();
    let run = |args: &[&str]| {
        let o =
            Command::new(env!("CARGO_BIN_EXE_biaslens")).args(args).current_dir(dir.path()).output().unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {stderr}");
        for warning in
            ["Deprecation", "UserWarning", "CategoricalRemappingWarning", "MapWithoutReturnDtypeWarning"]
        {
            assert!(!stderr.contains(&format!("{warning}:")), "{args:?} printed a Polars warning: {stderr}");
        }
    };
    run(&["run", "--input", &p("digests")]);
    // One topic changed: the analysis keeps the other topics' rows and recomputes this one.
    let digest = walkdir::WalkDir::new(input.join("china-japan")).sort_by_file_name().into_iter();
    let first = digest.map(Result::unwrap).find(|e| e.path().extension().is_some_and(|x| x == "md")).unwrap();
    std::fs::remove_file(first.path()).unwrap();
    run(&["run", "--input", &p("digests")]);
    run(&["report", "--week", "2026-W03", "--topic", "china-japan"]);
    run(&["compare", "--months", "2025-12,2026-01"]);
    run(&["export", "--topic", "china-japan", "--out", &p("export")]);
}
