//! Hostile input and a flaky machine: values from a digest never become paths outside the
//! output folder, the walk never aborts, limits end in error rows, one writer at a time.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::cli::{extract, write};
use crate::{root, SMALL};

/// `(source_path, line, severity, kind)` of every problem row.
fn problems(out: &Path) -> Vec<(String, String, String, String)> {
    csv::Reader::from_path(out.join("problems.csv"))
        .unwrap()
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[1].to_string(), r[2].to_string(), r[3].to_string())
        })
        .collect()
}

/// Every file under `dir`, relative.
fn files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect()
}

#[test]
fn unsafe_topics_are_error_rows_and_nothing_is_written_outside() {
    let dir = crate::tempdir();
    let (input, out, outside) = (dir.path().join("in"), dir.path().join("out"), dir.path().join("outside"));
    std::fs::create_dir_all(&outside).unwrap();
    let escape = format!("../../../../../../../../../../../..{}/x", outside.display());
    let long = "a".repeat(300);
    // YAML double-quoted strings carry the control characters and NUL.
    let topics = [
        escape.as_str(),
        "..",
        "/etc/passwd",
        "a/b",
        "a\\\\b",
        "a\\0b",
        "a\\x1b[31mred",
        "con",
        "LPT1",
        long.as_str(),
        "chinа-japan", // a Cyrillic а
    ];
    for (i, t) in topics.iter().enumerate() {
        let text = SMALL.replace("topic: china-japan", &format!("topic: \"{t}\""));
        write(&input, &format!("bad-{i:02}.md"), text.as_bytes());
    }
    write(&input, "good.md", SMALL.as_bytes());
    let (code, stderr) = extract(&input, &out, &["--partitioned"]);
    assert_eq!(code, 2, "{stderr}");
    // Each bad file is one error row at its topic line (file line 4), and gave no digest.
    let rows = problems(&out);
    for i in 0..topics.len() {
        let row =
            (format!("bad-{i:02}.md"), "4".to_string(), "error".to_string(), "invalid-topic".to_string());
        assert!(rows.contains(&row), "{i}: {rows:?}");
    }
    let digests = std::fs::read_to_string(out.join("digests.csv")).unwrap();
    assert_eq!(digests.lines().count(), 2, "only good.md is a digest: {digests}");
    // The partitions hold only the good topic, and nothing landed outside.
    assert!(out.join("articles/topic=china-japan/year=2026/part-0.parquet").is_file());
    assert!(files(&outside).is_empty());
    assert!(files(&out).iter().all(|f| !f.to_string_lossy().contains("..")));
    // The escape sequence is shown, not sent to the terminal.
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
}

#[test]
fn confined_paths_refuse_to_leave_the_output_folder() {
    use biaslens::write::confined;
    let dir = crate::tempdir();
    let root = dir.path().join("out");
    std::fs::create_dir_all(&root).unwrap();
    for bad in ["../x", "/etc/x", "a/../../x", "nul", "a\u{0}b", "a\u{7}b"] {
        assert!(confined(&root, Path::new(bad)).is_err(), "{bad:?}");
    }
    assert_eq!(confined(&root, Path::new("charts/x.svg")).unwrap(), root.join("charts/x.svg"));
    // A symbolic link inside the output folder that points outside it is refused too.
    let outside = dir.path().join("elsewhere");
    std::fs::create_dir_all(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("charts")).unwrap();
    assert!(confined(&root, Path::new("charts/x.svg")).is_err());
}

#[test]
fn hostile_topics_in_tables_made_elsewhere_still_write_inside_the_report_folder() {
    // Tables written by another tool could hold any topic: the report names its charts by
    // a hash then, and writes nothing outside --out.
    use biaslens::names::file_stem;
    assert_eq!(file_stem("china-japan"), "china-japan");
    let stem = file_stem("../../x");
    assert!(stem.starts_with("x-") && stem.len() == 14, "{stem}");
    assert!(biaslens::write::confined(Path::new("/tmp/r"), Path::new(&format!("charts/outlets-{stem}.svg")))
        .is_ok());
}

#[test]
fn the_walk_reports_loops_dangling_links_and_odd_names_and_reads_the_rest() {
    use std::os::unix::ffi::OsStrExt;
    let dir = crate::tempdir();
    let (input, out) = (dir.path().join("in"), dir.path().join("out"));
    write(&input, "a/one.md", SMALL.as_bytes());
    std::os::unix::fs::symlink(&input, input.join("a/loop")).unwrap();
    std::os::unix::fs::symlink(input.join("gone.md"), input.join("dangling.md")).unwrap();
    let odd = std::ffi::OsStr::from_bytes(b"b/caf\xe9.md");
    let two = SMALL.replace("2026-01-20", "2026-01-21");
    std::fs::create_dir_all(input.join("b")).unwrap();
    std::fs::write(input.join(odd), two.as_bytes()).unwrap();
    let (code, stderr) = extract(&input, &out, &[]);
    // Warnings only: the run goes on and succeeds.
    assert_eq!(code, 0, "{stderr}");
    let kinds: Vec<(String, String)> = problems(&out).into_iter().map(|r| (r.0, r.3)).collect();
    assert!(kinds.contains(&("a/loop".to_string(), "symlink-loop".to_string())), "{kinds:?}");
    assert!(kinds.contains(&("dangling.md".to_string(), "dangling-link".to_string())), "{kinds:?}");
    assert!(kinds.contains(&("b/caf\u{fffd}.md".to_string(), "non-utf8-name".to_string())), "{kinds:?}");
    let digests = std::fs::read_to_string(out.join("digests.csv")).unwrap();
    assert_eq!(digests.lines().count(), 3, "both digests read: {digests}");
    // An unchanged second run keeps the walk's rows; a fixed loop takes its row away.
    assert_eq!(extract(&input, &out, &[]).0, 0);
    assert!(problems(&out).iter().any(|r| r.3 == "symlink-loop"));
    std::fs::remove_file(input.join("a/loop")).unwrap();
    assert_eq!(extract(&input, &out, &[]).0, 0);
    assert!(!problems(&out).iter().any(|r| r.3 == "symlink-loop"));
}

#[test]
fn an_unreadable_folder_is_an_error_row() {
    use std::os::unix::fs::PermissionsExt;
    let dir = crate::tempdir();
    let (input, out) = (dir.path().join("in"), dir.path().join("out"));
    write(&input, "ok/a.md", SMALL.as_bytes());
    write(&input, "locked/b.md", SMALL.as_bytes());
    std::fs::set_permissions(input.join("locked"), std::fs::Permissions::from_mode(0o000)).unwrap();
    // Permissions do not bind root: as root (CI), the extract runs as `nobody` (setpriv,
    // util-linux), in a folder it may write.
    let (code, stderr) = if unsafe { libc::geteuid() } == 0 {
        for p in [dir.path(), input.as_path(), input.join("ok").as_path()] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o777)).unwrap();
        }
        let o = std::process::Command::new("setpriv")
            .args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                env!("CARGO_BIN_EXE_biaslens"),
                "extract",
            ])
            .arg("--input")
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .current_dir(dir.path())
            .output()
            .expect("setpriv runs (util-linux); as root, the test needs it to drop to nobody");
        (o.status.code().unwrap(), String::from_utf8_lossy(&o.stderr).into_owned())
    } else {
        extract(&input, &out, &[])
    };
    std::fs::set_permissions(input.join("locked"), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(code, 2, "{stderr}");
    assert!(problems(&out).iter().any(|r| r.0 == "locked" && r.3 == "unreadable-folder"));
}

#[test]
fn limits_end_in_error_rows_that_name_them() {
    let dir = crate::tempdir();
    let (input, out) = (dir.path().join("in"), dir.path().join("out"));
    // A 65 MiB file (sparse: it is never read).
    std::fs::create_dir_all(&input).unwrap();
    let big = std::fs::File::create(input.join("big.md")).unwrap();
    big.set_len(65 << 20).unwrap();
    // 300 KiB of frontmatter.
    let fm = format!("---\ntopic: t\nfiller: \"{}\"\n---\n", "x".repeat(300 << 10));
    write(&input, "fat.md", fm.as_bytes());
    // A billion laughs and deep nesting.
    let mut bomb = String::from("---\ntopic: t\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        bomb += &format!("a{i}: &a{i} [{}]\n", [prev.as_str(); 10].join(", "));
    }
    bomb += "---\n";
    write(&input, "bomb.md", bomb.as_bytes());
    let deep = format!("---\ntopic: t\nx: {}{}\n---\n", "[".repeat(100_000), "]".repeat(100_000));
    write(&input, "deep.md", deep.as_bytes());
    write(&input, "good.md", SMALL.as_bytes());
    let start = Instant::now();
    let (code, stderr) = extract(&input, &out, &[]);
    assert_eq!(code, 2, "{stderr}");
    // Not a timing assertion: a hang would stop the test, this only reports.
    eprintln!("limits run took {:?}", start.elapsed());
    let rows = problems(&out);
    let kind_of = |f: &str| rows.iter().find(|r| r.0 == f).map(|r| (r.2.clone(), r.3.clone()));
    assert_eq!(kind_of("big.md"), Some(("error".into(), "file-too-large".into())));
    assert_eq!(kind_of("fat.md"), Some(("error".into(), "frontmatter-too-large".into())));
    assert_eq!(kind_of("bomb.md").map(|k| k.0), Some("error".into()));
    assert_eq!(kind_of("deep.md"), Some(("error".into(), "frontmatter-too-deep".into())));
    let messages = std::fs::read_to_string(out.join("problems.csv")).unwrap();
    assert!(messages.contains("over the limit of 67108864 bytes (64 MiB)"), "{messages}");
    assert!(messages.contains("over the limit of 262144 bytes (256 KiB)"), "{messages}");
    assert_eq!(std::fs::read_to_string(out.join("digests.csv")).unwrap().lines().count(), 2);
}

#[test]
fn a_second_writer_waits_for_the_first_and_a_killed_one_blocks_nobody() {
    let dir = crate::tempdir();
    let (input, out) = (dir.path().join("in"), dir.path().join("out"));
    write(&input, "a.md", SMALL.as_bytes());
    // This test holds the lock, as a running extract would.
    let held = biaslens::write::lock(&out).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_biaslens"))
        .args(["extract", "--input", input.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .current_dir(root())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    // Still waiting: no table yet.
    assert!(!out.join("digests.csv").exists());
    drop(held);
    let o = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("is being written by another run (pid {}); waiting", std::process::id())),
        "{stderr}"
    );
    assert!(out.join("digests.csv").is_file());

    // A run killed while it holds the lock: the next one does not wait for it.
    let mut victim = Command::new(env!("CARGO_BIN_EXE_biaslens"))
        .args(["extract", "--input", input.to_str().unwrap(), "--out", out.to_str().unwrap(), "--full"])
        .current_dir(root())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    victim.kill().unwrap();
    victim.wait().unwrap();
    let (code, stderr) = extract(&input, &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("waiting"), "{stderr}");
}
