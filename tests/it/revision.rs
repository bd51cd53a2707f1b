//! A change of what extract writes for the same input must bump `tables::REVISION`, or the
//! states of earlier runs keep their old rows for every file that did not change (it
//! happened: the first layout's file stayed an error after an upgrade). This test pins the
//! extract of every fixture to the revision it was written with.

use biaslens::tables::REVISION;

/// `REVISION` and the SHA-256 of the extract of `tests/fixtures`' CSV tables it goes with.
const PINNED: (u32, &str) = (5, "f77ad6c63141c00e47b0594b37685805f9ee9058cff50aac4f136607f5bf44ce");

#[test]
fn a_change_of_extract_output_comes_with_a_new_revision() {
    let dir = crate::tempdir();
    let out = dir.path().join("tables");
    biaslens::extract::run(&crate::extract_config(&crate::root().join("tests/fixtures"), out.clone()))
        .unwrap();
    let mut all = Vec::new();
    for table in biaslens::tables::name::ALL {
        all.extend_from_slice(table.as_bytes());
        all.extend(std::fs::read(out.join(format!("{table}.csv"))).unwrap());
    }
    let hash = biaslens::hash::sha256_hex(&all);
    assert!(
        PINNED == (REVISION, hash.as_str()),
        "extract's tables of tests/fixtures hash to {hash} at REVISION {REVISION}, pinned as {PINNED:?}: when extract's output for the same input changed, bump tables::REVISION and pin the new pair here; when REVISION changed, pin its hash"
    );
}
