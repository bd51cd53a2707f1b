//! The manual's table reference is written from `src/schema.rs`: it cannot drift from the
//! code. `BIASLENS_WRITE_DOCS=1 cargo test --release --test it docs` rewrites it.

#[test]
fn docs_tables_md_is_the_schema() {
    let path = crate::root().join("docs/tables.md");
    let manual = biaslens::schema::manual();
    if std::env::var_os("BIASLENS_WRITE_DOCS").is_some() {
        std::fs::write(&path, &manual).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == manual,
        "docs/tables.md differs from src/schema.rs; run BIASLENS_WRITE_DOCS=1 cargo test --release --test it docs"
    );
    // Every table of the contract has its section.
    for t in biaslens::schema::TABLES {
        assert!(on_disk.contains(&format!("\n## {}\n", t.name)), "{} has no section", t.name);
    }
}
