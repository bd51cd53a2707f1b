//! Build script: a hash of the sources and built-in data the analysis is made of, so that a
//! stored analysis (`.biaslens-analysis.json`) made by another build is never merged with
//! rows this build computes (`analytics::incremental::version`). The crate's version alone
//! does not change when the code or `data/tone.yaml` does.

use std::path::{Path, PathBuf};

/// The inputs hashed: the library's sources and the data compiled into it.
const HASHED: [&str; 5] = ["src", "data/tone", "data/tone.yaml", "data/themes.yaml", "data/glossary.yaml"];

fn main() {
    let mut files = Vec::new();
    for root in HASHED {
        println!("cargo:rerun-if-changed={root}");
        collect(Path::new(root), &mut files);
    }
    files.sort();
    // FNV-1a, 64 bits, over each file's path and length-prefixed contents.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in (bytes.len() as u64).to_le_bytes().iter().chain(bytes) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for f in &files {
        eat(f.to_string_lossy().replace('\\', "/").as_bytes());
        eat(&std::fs::read(f).unwrap_or_else(|e| panic!("reading {}: {e}", f.display())));
    }
    println!("cargo:rustc-env=BIASLENS_SOURCE_HASH={h:016x}");
}

/// Every file under `path` (or `path` itself when it is a file).
fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let entries = std::fs::read_dir(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        for entry in entries {
            collect(&entry.expect("a directory entry").path(), out);
        }
    } else if path.is_file() {
        out.push(path.to_path_buf());
    }
}
