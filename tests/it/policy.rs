//! The problems and exit-code policy: bad files never stop the run, errors give status 2,
//! warnings only with `--strict`, notices never; and the tables are still written.

use std::path::Path;
use std::process::Command;

use crate::{root, SMALL};

fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

fn biaslens(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_biaslens"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("biaslens runs")
}

fn extract(input: &Path, out: &Path, extra: &[&str]) -> (i32, String) {
    let mut args = vec!["extract", "--input", input.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = biaslens(&args);
    (o.status.code().unwrap(), String::from_utf8_lossy(&o.stderr).into_owned())
}

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
        row.ends_with(",x/a.md,china-japan,China vs Japan,\"Quote \"\"this\"\", and, that\",2026-01-20T04:00:00.000Z,2026-01-20,2026-W04,false,false,3,3,5,current"),
        "{row}"
    );
    let articles = std::fs::read_to_string(out.join("articles.csv")).unwrap();
    assert!(articles.starts_with(
        "digest_id,topic,digest_date,position,perspective_id,outlet,outlet_id,language,title,url,published_date,"
    ));
    // `language` is the title's (Chinese), `feed` the tag as written, last.
    assert!(articles.contains(",2,china,Xinhua,xinhua,zh,贸易摩擦升级,https://example.com/b,2026-01-19,41,position,state,china,zh-CN\n"), "{articles}");
}

#[test]
fn missing_input_folder_is_a_clear_error() {
    let o = biaslens(&["extract", "--input", "/nonexistent/digests", "--out", "/tmp/biaslens-never"]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("the input folder /nonexistent/digests does not exist"), "{stderr}");
}
