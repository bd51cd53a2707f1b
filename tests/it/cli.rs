//! Running the built binary as a user does, for the tests that check exit statuses and
//! messages (hostile input, policy).

use std::path::Path;
use std::process::Command;

use crate::root;

/// Writes `bytes` to `dir/rel`, creating its folders.
pub fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

/// Runs `biaslens` with `args` from the repository root.
pub fn biaslens(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_biaslens"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("biaslens runs")
}

/// `(status, stderr)` of an extract of `input` into `out`.
pub fn extract(input: &Path, out: &Path, extra: &[&str]) -> (i32, String) {
    let mut args = vec!["extract", "--input", input.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = biaslens(&args);
    (o.status.code().unwrap(), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// Copies the folder `from` to `to`, replacing whatever `to` held.
pub fn copy_dir(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    for e in walkdir::WalkDir::new(from).into_iter().filter_map(Result::ok) {
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}
