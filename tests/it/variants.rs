//! Each real-world variant of `spec/digest-format.md` §3, as a fixture.

use biaslens::extract::{self, digest, Corpus};
use biaslens::model::SideMethod;
use biaslens::problems::{kind, Severity};
use chrono::NaiveDate;

use crate::{registry, SMALL, SMALL_FIRST_SOURCE_LINE};

fn parse(text: &str) -> digest::FileOutcome {
    digest::parse("t.md", text, &registry())
}

fn kinds(out: &digest::FileOutcome) -> Vec<(Severity, &'static str, Option<u32>)> {
    out.problems.iter().map(|p| (p.severity, p.kind, p.line)).collect()
}

#[test]
fn small_fixture_is_clean() {
    let out = parse(SMALL);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let d = out.digest.unwrap();
    let sides: Vec<_> = d.articles.iter().map(|a| a.perspective_id.as_deref().unwrap()).collect();
    assert_eq!(sides, ["china", "china", "japan"]);
    // `新华网` and `Xinhua` are one outlet.
    assert_eq!(d.articles[0].outlet_id, "xinhua");
    assert_eq!(d.articles[1].outlet_id, "xinhua");
}

#[test]
fn windows_line_endings_and_bom_parse_like_the_original() {
    let plain = parse(SMALL).digest.unwrap();
    let crlf = SMALL.replace('\n', "\r\n");
    let with_bom = format!("\u{feff}{crlf}");
    let bytes = with_bom.as_bytes();
    let text = extract::decode("t.md", bytes).unwrap();
    let out = parse(text);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let d = out.digest.unwrap();
    assert_eq!(d.articles, plain.articles);
    assert_eq!(d.highlights, plain.highlights);
}

#[test]
fn hugo_section_page_is_a_notice() {
    let out = parse("---\ntitle: \"China vs Japan\"\n---\n\nAll digests.\n");
    assert!(out.digest.is_none());
    assert_eq!(kinds(&out), [(Severity::Notice, kind::NOT_A_DIGEST, None)]);
    let plain = parse("# Just Markdown\n\nNo frontmatter.\n");
    assert_eq!(kinds(&plain), [(Severity::Notice, kind::NOT_A_DIGEST, None)]);
}

#[test]
fn draft_flag_is_read() {
    let d = parse(&SMALL.replace("draft: false", "draft: true")).digest.unwrap();
    assert!(d.draft);
}

fn corpus_of(files: &[(&str, String)]) -> Corpus {
    let registry = registry();
    let mut corpus = Corpus::default();
    for (path, text) in files {
        let out = digest::parse(path, text, &registry);
        corpus.problems.extend(out.problems);
        corpus.digests.extend(out.digest);
    }
    extract::finish(&mut corpus, &registry, &Default::default());
    corpus
}

#[test]
fn rerun_later_the_same_day_supersedes_the_earlier() {
    let later = SMALL.replace("2026-01-20T04:00:00.000Z", "2026-01-20T13:00:00.000Z");
    let draft_latest = SMALL
        .replace("2026-01-20T04:00:00.000Z", "2026-01-20T20:00:00.000Z")
        .replace("draft: false", "draft: true");
    let c = corpus_of(&[("a.md", SMALL.to_string()), ("b.md", later), ("c.md", draft_latest)]);
    let flags: Vec<_> = c.digests.iter().map(|d| (d.source_path.as_str(), d.superseded)).collect();
    // Sorted by published_at: a (04:00) is superseded by b (13:00); c (20:00) is a draft and
    // drafts never supersede, so b stays live.
    assert_eq!(flags, [("a.md", true), ("b.md", false), ("c.md", false)]);
}

#[test]
fn same_timestamp_tie_goes_to_the_path_that_sorts_last() {
    let c = corpus_of(&[("x/2.md", SMALL.to_string()), ("x/1.md", SMALL.to_string())]);
    let flags: Vec<_> = c.digests.iter().map(|d| (d.source_path.as_str(), d.superseded)).collect();
    assert_eq!(flags, [("x/1.md", true), ("x/2.md", false)]);
}

#[test]
fn counts_that_do_not_add_up_infer_sides_from_the_corpus() {
    // The second file lists 4 articles against counts 2 + 1: sides cannot go by position.
    let extra = SMALL.replace("2026-01-20", "2026-01-21").replace(
        "- Nikkei Asia (1/20/2026)",
        "- Nikkei Asia (1/20/2026)\n4. [en-US] [Unknown view](https://example.com/d) - Some Blog (1/20/2026)",
    );
    let c = corpus_of(&[("a.md", SMALL.to_string()), ("b.md", extra)]);
    let b = c.digests.iter().find(|d| d.source_path == "b.md").unwrap();
    let got: Vec<_> =
        b.articles.iter().map(|a| (a.outlet.as_str(), a.perspective_id.as_deref(), a.side_method)).collect();
    assert_eq!(
        got,
        [
            // Xinhua is China's in a.md (by position), so the corpus places it.
            ("新华网", Some("china"), SideMethod::Corpus),
            ("Xinhua", Some("china"), SideMethod::Corpus),
            ("Nikkei Asia", Some("japan"), SideMethod::Corpus),
            // Nowhere else in the corpus and not in the registry: truly unknown.
            ("Some Blog", None, SideMethod::Unknown),
        ]
    );
    let b_problems: Vec<_> =
        c.problems.iter().filter(|p| p.source_path == "b.md").map(|p| (p.kind, p.line)).collect();
    // Line 36 is `## Sources`; line 43 is the fourth source line.
    assert_eq!(b_problems, [(kind::COUNT_MISMATCH, Some(36)), (kind::UNKNOWN_SIDE, Some(43))]);
}

#[test]
fn a_gap_in_the_numbering_is_a_warning() {
    let out = parse(&SMALL.replace("2. [zh-CN]", "5. [zh-CN]"));
    assert_eq!(out.digest.unwrap().articles[1].position, 5);
    assert_eq!(
        out.problems.iter().map(|p| (p.kind, p.line)).collect::<Vec<_>>(),
        [
            (kind::POSITION_GAP, Some(SMALL_FIRST_SOURCE_LINE + 1)),
            (kind::POSITION_GAP, Some(SMALL_FIRST_SOURCE_LINE + 2))
        ]
    );
}

#[test]
fn registry_country_places_an_outlet_the_corpus_never_saw() {
    let text = SMALL.replace("articleCount: 3", "articleCount: 4").replace(
        "3. [en-US] [Tokyo responds](https://example.com/c) - Nikkei Asia (1/20/2026)",
        "3. [en-US] [Tokyo responds](https://example.com/c) - Nikkei Asia (1/20/2026)\n4. [衆院選](https://example.com/e) - 読売新聞 (1/20/2026)",
    );
    let c = corpus_of(&[("only.md", text)]);
    let a = &c.digests[0].articles[3];
    assert_eq!(
        (a.outlet_id.as_str(), a.perspective_id.as_deref(), a.side_method),
        ("yomiuri", Some("japan"), SideMethod::Registry)
    );
}

#[test]
fn bullets_star_plus_wrapped_nested_and_inline_markdown() {
    let body = "## Overall Highlights\n\n* **Bold** start with a [link](https://x.org/a_(b)).\n+ A bullet that wraps\n  onto a second line\nand a lazy third.\n  - nested _one_\n    - nested two\n- back to top\n";
    let text = SMALL.replace(
        "## Overall Highlights\n\n- First overall point.\n- Second overall point.\n- Third overall point.\n",
        body,
    );
    let out = parse(&text);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let got: Vec<_> = out
        .digest
        .unwrap()
        .highlights
        .into_iter()
        .filter(|h| h.section == "overall")
        .map(|h| (h.position, h.depth, h.text))
        .collect();
    assert_eq!(
        got,
        [
            (1, 0, "Bold start with a link.".to_string()),
            (2, 0, "A bullet that wraps onto a second line and a lazy third.".to_string()),
            (3, 1, "nested one".to_string()),
            (4, 2, "nested two".to_string()),
            (5, 0, "back to top".to_string()),
        ]
    );
}

#[test]
fn source_lines_without_language_or_date_and_an_odd_line() {
    let text = SMALL.replace("1. [en-US] [Trade", "1. [Trade").replace(
        "- Nikkei Asia (1/20/2026)",
        "- Nikkei Asia\nRead more on the outlets' sites.\n4. Not a source line at all",
    );
    let out = parse(&text);
    let d = out.digest.as_ref().unwrap();
    assert_eq!(d.articles[0].feed, None);
    assert_eq!(d.articles[0].title, "Trade row deepens");
    assert_eq!(d.articles[2].published_date, None);
    assert_eq!(d.articles[2].outlet, "Nikkei Asia");
    let l = SMALL_FIRST_SOURCE_LINE;
    assert_eq!(
        kinds(&out),
        [
            (Severity::Warning, kind::UNPARSED_LINE, Some(l + 3)),
            (Severity::Error, kind::UNPARSED_SOURCE_LINE, Some(l + 4)),
        ]
    );
}

#[test]
fn impossible_article_date_keeps_the_article() {
    let out = parse(&SMALL.replace("(1/19/2026)", "(2/30/2026)"));
    let d = out.digest.as_ref().unwrap();
    assert_eq!(d.articles.len(), 3);
    assert_eq!(d.articles[1].published_date, None);
    assert_eq!(
        kinds(&out),
        [(Severity::Warning, kind::INVALID_ARTICLE_DATE, Some(SMALL_FIRST_SOURCE_LINE + 1))]
    );
}

#[test]
fn broken_yaml_reports_the_file_line() {
    // Line 7 of the file is `perspectives:`; the unclosed quote breaks line 9.
    let text = SMALL.replace("    name: \"China\"", "    name: \"China");
    let out = parse(&text);
    assert!(out.digest.is_none());
    assert_eq!(out.problems.len(), 1);
    let p = &out.problems[0];
    assert_eq!((p.severity, p.kind), (Severity::Error, kind::INVALID_FRONTMATTER));
    let line = p.line.unwrap();
    assert!((10..=14).contains(&line), "line {line}: {}", p.message);
    assert!(p.message.contains("fix the YAML"), "{}", p.message);
}

#[test]
fn empty_file_and_missing_keys_are_errors() {
    assert_eq!(kinds(&parse("")), [(Severity::Error, kind::EMPTY_FILE, None)]);
    assert_eq!(kinds(&parse(" \n\n")), [(Severity::Error, kind::EMPTY_FILE, None)]);
    let no_date = parse(&SMALL.replace("date: 2026-01-20T04:00:00.000Z\n", ""));
    assert_eq!(kinds(&no_date), [(Severity::Error, kind::INVALID_FRONTMATTER, Some(1))]);
    assert!(no_date.problems[0].message.contains("add e.g. `date:"), "{}", no_date.problems[0].message);
    let bad_date = parse(&SMALL.replace("2026-01-20T04:00:00.000Z", "yesterday"));
    assert_eq!(kinds(&bad_date), [(Severity::Error, kind::INVALID_FRONTMATTER, Some(3))]);
}

#[test]
fn not_utf8_names_the_line() {
    let bytes = b"---\ntitle: x\ntopic: caf\xe9\n---\n";
    let p = extract::decode("latin1.md", bytes).unwrap_err();
    assert_eq!((p.severity, p.kind, p.line), (Severity::Error, kind::NOT_UTF8, Some(3)));
}

#[test]
fn offsets_give_the_local_calendar_date() {
    let d = parse(&SMALL.replace("2026-01-20T04:00:00.000Z", "2026-01-20T23:30:00-05:00")).digest.unwrap();
    assert_eq!(d.digest_date, NaiveDate::from_ymd_opt(2026, 1, 20).unwrap());
    assert_eq!(d.published_at.to_rfc3339(), "2026-01-21T04:30:00+00:00");
    let no_fraction =
        parse(&SMALL.replace("2026-01-20T04:00:00.000Z", "2026-01-20T04:00:00Z")).digest.unwrap();
    assert_eq!(no_fraction.published_at.timestamp(), 1_768_881_600);
}

#[test]
fn declared_counts_that_disagree_are_warnings() {
    let out = parse(
        &SMALL.replace("chinaSources: 2", "chinaSources: 5").replace("articleCount: 3", "articleCount: 4"),
    );
    assert!(out.digest.is_some());
    assert_eq!(
        kinds(&out),
        [
            (Severity::Warning, kind::COUNT_MISMATCH, Some(7)),
            (Severity::Warning, kind::COUNT_MISMATCH, Some(15))
        ]
    );
}

#[test]
fn unknown_section_and_extra_keys() {
    let text = SMALL
        .replace("draft: false", "draft: false\ntags: [a, b]\nsummary: \"x\"")
        .replace("## Japan Perspective (Japan Sources)", "## Korea Perspective (Korea Sources)");
    let out = parse(&text);
    assert_eq!(kinds(&out), [(Severity::Error, kind::UNKNOWN_SECTION, Some(34))]);
    assert!(out.problems[0].message.contains("1 bullet(s) were not used"));
}

#[test]
fn empty_side_with_zero_count() {
    let text = SMALL
        .replace("articleCount: 3", "articleCount: 2")
        .replace("    count: 1", "    count: 0")
        .replace("japanSources: 1", "japanSources: 0")
        .replace("- Japan point.\n", "")
        .replace("3. [en-US] [Tokyo responds](https://example.com/c) - Nikkei Asia (1/20/2026)\n", "");
    let out = parse(&text);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let d = out.digest.unwrap();
    assert!(d.articles.iter().all(|a| a.perspective_id.as_deref() == Some("china")));
    assert_eq!(d.perspectives[1].declared_count, 0);
}
