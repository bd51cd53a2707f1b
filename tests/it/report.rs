//! Weekly reports end to end on tiny corpora: snapshots of what people read, byte-identical
//! re-runs, the empty-week message, three sides and a silent side, escaping, and (where
//! Chromium is installed) the page as a browser renders it.

use std::path::{Path, PathBuf};

use biaslens::report::job;
use biaslens::report::{ChartImages, Week};
use chrono::{DateTime, Utc};

use crate::fixture::{markdown, Day};
use crate::root;

fn day(date: &'static str, sides: Vec<(&'static str, Vec<(&'static str, &'static str)>)>) -> Day {
    Day {
        topic: "china-japan",
        date,
        sides,
        overall: vec!["Tariffs and **trade** talks dominate.", "Tourists stay away."],
        bullets: vec![("china", vec!["China stresses trade."]), ("japan", vec!["Japan weighs tariffs."])],
        article_date: Some("1/19/2026"),
        ..Day::default()
    }
}

/// A two-week corpus: W03 one digest, W04 two, with CJK outlets and a hostile title.
fn corpus() -> Vec<Day> {
    vec![
        day(
            "2026-01-14",
            vec![
                ("china", vec![("新华网", "Trade row")]),
                ("japan", vec![("Nikkei Asia", "Tokyo responds")]),
            ],
        ),
        day(
            "2026-01-20",
            vec![
                (
                    "china",
                    vec![("新华网", "<script>alert('x')</script> & tariffs"), ("Global Times", "关税 news")],
                ),
                ("japan", vec![("読売新聞", "観光客が減少")]),
            ],
        ),
        day("2026-01-22", vec![("china", vec![("Xinhua", "Tariff talks")]), ("japan", vec![])]),
    ]
}

/// Writes the corpus, extracts it, and returns the tables folder.
fn tables(dir: &Path, days: &[Day]) -> PathBuf {
    let input = dir.join("digests");
    for (i, d) in days.iter().enumerate() {
        let p = input.join(format!("{}/{}-{i}.md", d.topic, d.date));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, markdown(d)).unwrap();
    }
    let out = dir.join("tables");
    biaslens::extract::run(&crate::extract_config(&input, out.clone())).unwrap();
    out
}

fn config(tables: PathBuf, out: PathBuf, week: Option<&str>) -> job::Config {
    job::Config {
        week: week.map(|w| Week::parse(w).unwrap()),
        topics: vec![],
        tables,
        out,
        analysis: None,
        resources: biaslens::resources::Args {
            outlets: Some(root().join("data/outlets.yaml")),
            lexicon: Some(root().join("data/themes.yaml")),
        },
        generated_at: DateTime::parse_from_rfc3339("2026-01-26T06:00:00Z").unwrap().with_timezone(&Utc),
        digest_link_base: "../../data/digests/".into(),
        chart_images: Default::default(),
    }
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (e.path().strip_prefix(dir).unwrap().display().to_string(), std::fs::read(e.path()).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn report_markdown_snapshot() {
    let dir = crate::tempdir();
    let t = tables(dir.path(), &corpus());
    let (index, r, _) = job::run(&config(t, dir.path().join("reports"), Some("2026-W04")), None).unwrap();
    assert!(index.ends_with("2026-W04/index.html"));
    assert_eq!(r.dates, "19–25 January 2026");
    let md = std::fs::read_to_string(dir.path().join("reports/2026-W04/report.md")).unwrap();
    insta::assert_snapshot!("report_md", md);
}

#[test]
fn chart_svg_snapshot() {
    use biaslens::charts::{style, Chart, Kind, Series};
    let chart = Chart {
        name: "tiny".into(),
        title: "Articles per day and side".into(),
        categories: vec!["Mon 19".into(), "Tue 20".into()],
        value_label: "articles".into(),
        category_label: "day".into(),
        percent: false,
        series: vec![
            Series {
                name: "China".into(),
                key: "china".into(),
                color: style::side_color("china"),
                values: vec![Some(3.0), Some(1.0)],
            },
            Series {
                name: "Japan & <Co>".into(),
                key: "japan".into(),
                color: style::side_color("japan"),
                values: vec![Some(1.0), None],
            },
        ],
        kind: Kind::StackedBars,
    };
    let svg = chart.svg().unwrap();
    assert!(svg.contains("Japan &amp; &lt;Co&gt;"), "legend text is escaped");
    insta::assert_snapshot!("chart_svg", svg);
    // The CSV holds exactly the numbers drawn: 2 categories × 2 series.
    let csv = String::from_utf8(chart.csv().unwrap()).unwrap();
    assert_eq!(csv, "category,series,value\nMon 19,china,3\nTue 20,china,1\nMon 19,japan,1\nTue 20,japan,\n");
}

#[test]
fn a_chart_is_drawn_again_only_when_its_svg_or_the_png_maker_changed() {
    let dir = crate::tempdir();
    let t = tables(dir.path(), &corpus());
    let out = dir.path().join("r");
    job::run(&config(t.clone(), out.clone(), Some("2026-W04")), None).unwrap();
    let charts = out.join("2026-W04/charts");
    let pngs: Vec<PathBuf> = std::fs::read_dir(&charts)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    assert!(pngs.len() >= 3, "{pngs:?}");
    let (kept, edited, foreign) = (&pngs[0], &pngs[1], &pngs[2]);
    let mtime = |p: &Path| std::fs::metadata(p).unwrap().modified().unwrap();
    let before = mtime(kept);
    // The second chart's SVG was touched by hand; the third PNG has no `Software` text (an
    // older biaslens, or another tool): both are drawn again.
    let svg = edited.with_extension("svg");
    std::fs::write(&svg, std::fs::read_to_string(&svg).unwrap().replace("</svg>", "<!-- x --></svg>"))
        .unwrap();
    let bytes = std::fs::read(foreign).unwrap();
    std::fs::write(foreign, b"not the PNG biaslens drew").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    job::run(&config(t, out.clone(), Some("2026-W04")), None).unwrap();
    assert_eq!(mtime(kept), before, "an unchanged chart keeps its files");
    assert!(
        !std::fs::read_to_string(&svg).unwrap().contains("<!-- x -->"),
        "the edited SVG is written again"
    );
    assert_eq!(std::fs::read(foreign).unwrap(), bytes, "the foreign PNG is drawn again");
}

#[test]
fn svg_chart_images_draw_no_png_and_remove_those_of_an_earlier_report() {
    let dir = crate::tempdir();
    let t = tables(dir.path(), &corpus());
    let (switched, fresh) = (dir.path().join("switched"), dir.path().join("fresh"));
    let week = |out: &Path| out.join("2026-W04");
    let with = |out: &Path, images| job::Config {
        chart_images: images,
        ..config(t.clone(), out.into(), Some("2026-W04"))
    };
    let ext = |out: &Path, e: &str| {
        files(&week(out)).into_iter().filter(|(name, _)| name.ends_with(&format!(".{e}"))).count()
    };
    job::run(&with(&switched, ChartImages::Png), None).unwrap();
    let png_html = std::fs::read(week(&switched).join("index.html")).unwrap();
    let charts = ext(&switched, "png");
    assert!(charts >= 3, "{charts} PNGs");
    assert_eq!(ext(&switched, "svg"), charts);

    // The same week again with SVG images: the earlier PNGs go, every SVG stays, the Markdown
    // links the SVGs, and the HTML page (which inlines SVG either way) is the same.
    job::run(&with(&switched, ChartImages::Svg), None).unwrap();
    assert_eq!(ext(&switched, "png"), 0);
    assert_eq!(ext(&switched, "svg"), charts);
    let md = std::fs::read_to_string(week(&switched).join("report.md")).unwrap();
    assert_eq!(md.matches(".svg\" alt=").count(), charts, "{md}");
    assert!(!md.contains(".png"), "{md}");
    assert_eq!(std::fs::read(week(&switched).join("index.html")).unwrap(), png_html);
    // Nothing of the PNG report is left over: the folder is what an SVG report writes.
    job::run(&with(&fresh, ChartImages::Svg), None).unwrap();
    assert_eq!(files(&week(&switched)), files(&week(&fresh)));
}

/// A story told every other day since September, and a Japan side under 20 % of every digest
/// since then, began long before the 15 weeks a report analyses for its charts; the report
/// still gives their whole length, as `run` (which hands the report its analysis of every
/// week) and the `stories` and `blindspots` tables do.
#[test]
fn a_story_and_a_run_older_than_the_report_window_read_as_in_run() {
    let dir = crate::tempdir();
    let first = chrono::NaiveDate::from_ymd_opt(2025, 9, 1).unwrap();
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let days: Vec<Day> = (0..74)
        .map(|i| {
            let date = first + chrono::Days::new(2 * i);
            let japan =
                leak(format!("Tokyo weighs {} options", ["bond", "yen", "port", "rail"][i as usize % 4]));
            day(
                leak(date.to_string()),
                vec![
                    (
                        "china",
                        vec![
                            ("Xinhua", "Rare earth export curbs tighten again"),
                            ("Global Times", "Beijing opens new high speed line"),
                            ("China Daily", "Harvest festival draws crowds"),
                            ("CGTN", "Shanghai hosts robotics fair"),
                            ("People's Daily", "Village schools get new libraries"),
                        ],
                    ),
                    ("japan", vec![("Nikkei Asia", japan)]),
                ],
            )
        })
        .collect();
    assert_eq!(days.last().unwrap().date, "2026-01-25");
    let t = tables(dir.path(), &days);
    let inputs = biaslens::store::Store::open(&t).inputs().unwrap();
    let resources = config(t.clone(), dir.path().into(), None).resources;
    let analysis =
        biaslens::analytics::analyze(&inputs, &resources.lexicon().unwrap().0, &Default::default()).unwrap();
    let (run_way, alone) = (dir.path().join("run"), dir.path().join("alone"));
    job::run(&config(t.clone(), run_way.clone(), Some("2026-W04")), Some(&analysis)).unwrap();
    job::run(&config(t, alone.clone(), Some("2026-W04")), None).unwrap();
    let md = |out: &Path| std::fs::read_to_string(out.join("2026-W04/report.md")).unwrap();
    assert!(md(&run_way).contains("since Mon 1 Sep (74 in all)"), "{}", md(&run_way));
    assert!(md(&run_way).contains("in 74 consecutive digests, 1 September 2025 to"), "{}", md(&run_way));
    let (a, r) = (md(&alone), md(&run_way));
    let differ: Vec<(&str, &str)> = a.lines().zip(r.lines()).filter(|(x, y)| x != y).collect();
    assert!(a == r, "the report alone differs from run's: {differ:#?}");
}

#[test]
fn two_runs_give_identical_files() {
    let dir = crate::tempdir();
    let t = tables(dir.path(), &corpus());
    job::run(&config(t.clone(), dir.path().join("a"), Some("2026-W04")), None).unwrap();
    job::run(&config(t, dir.path().join("b"), Some("2026-W04")), None).unwrap();
    let (a, b) = (files(&dir.path().join("a")), files(&dir.path().join("b")));
    assert!(a.len() > 10, "{} files", a.len());
    assert_eq!(a.iter().map(|f| &f.0).collect::<Vec<_>>(), b.iter().map(|f| &f.0).collect::<Vec<_>>());
    for (x, y) in a.iter().zip(&b) {
        assert!(x.1 == y.1, "{} differs between runs", x.0);
    }
}

#[test]
fn a_week_without_digests_is_a_clear_error_and_writes_nothing() {
    let dir = crate::tempdir();
    let t = tables(dir.path(), &corpus());
    let err =
        job::run(&config(t, dir.path().join("reports"), Some("2026-W10")), None).unwrap_err().to_string();
    assert_eq!(
        err,
        "no digests in 2026-W10 (2–8 March 2026); the data covers 2026-W03 to 2026-W04. Pick another --week."
    );
    assert!(!dir.path().join("reports").exists());
}

#[test]
fn default_week_is_the_last_complete_one() {
    // The latest digest is Thursday 22 January (W04), so W04 is not complete: W03.
    let dir = crate::tempdir();
    let t = tables(dir.path(), &corpus());
    let (_, r, _) = job::run(&config(t, dir.path().join("reports"), None), None).unwrap();
    assert_eq!(r.week, "2026-W03");
}

#[test]
fn three_sides_and_a_silent_side() {
    let d = |date: &'static str| Day {
        topic: "south-china-sea",
        date,
        sides: vec![
            ("china", vec![("Xinhua", "Coast guard patrol"), ("CGTN", "Reef standoff")]),
            ("philippines", vec![("Rappler", "Manila protests")]),
            ("vietnam", vec![]),
        ],
        ..Day::default()
    };
    let dir = crate::tempdir();
    let t = tables(dir.path(), &[d("2026-01-19"), d("2026-01-21")]);
    let (_, r, _) = job::run(&config(t, dir.path().join("reports"), Some("2026-W04")), None).unwrap();
    let topic = &r.topics[0];
    // Shares over 6 articles: China 4/6, Philippines 2/6, Vietnam 0/6.
    let shares: Vec<_> =
        topic.headline.iter().filter(|h| h.percent).map(|h| (h.label.clone(), h.fmt(h.now))).collect();
    assert_eq!(
        shares,
        [
            ("China share".to_string(), "67%".to_string()),
            ("Philippines share".into(), "33%".into()),
            ("Vietnam share".into(), "0%".into())
        ]
    );
    // −(⅔ ln ⅔ + ⅓ ln ⅓) / ln 3 = 0.636514 / 1.098612 = 0.579380
    let balance = topic.headline.iter().find(|h| h.label == "balance index").unwrap();
    assert!((balance.now.unwrap() - 0.579380).abs() < 1e-6, "{:?}", balance.now);
    // The daily chart has a series for every side, Vietnam's all zeros.
    let daily = &topic.balance[0].chart;
    assert_eq!(
        daily.series.iter().map(|s| s.key.as_str()).collect::<Vec<_>>(),
        ["china", "philippines", "vietnam"]
    );
    assert!(daily.series[2].values.iter().all(|v| *v == Some(0.0)));
}

#[test]
fn digest_text_is_escaped_in_html_and_svg() {
    let mut days = corpus();
    days[1].sides[0].1[0].0 = "Evil <b>Outlet</b> & Co";
    let dir = crate::tempdir();
    let t = tables(dir.path(), &days);
    job::run(&config(t, dir.path().join("reports"), Some("2026-W04")), None).unwrap();
    let html = std::fs::read_to_string(dir.path().join("reports/2026-W04/index.html")).unwrap();
    assert!(!html.contains("<b>Outlet</b>"), "raw markup from a digest reached the page");
    assert!(html.contains("Evil &lt;b&gt;Outlet&lt;/b&gt; &amp; Co"));
    assert!(!html.contains("<script"), "no script tag, escaped or from us");
    let svg =
        std::fs::read_to_string(dir.path().join("reports/2026-W04/charts/outlets-china-japan.svg")).unwrap();
    assert!(svg.contains("Evil &lt;b&gt;Outlet&lt;/b&gt; &amp; Co"));
}

/// Chromium's own background traffic, which is not the page's.
fn chromium_service(url: &str) -> bool {
    let host = url.split("://").nth(1).unwrap_or("").split(['/', ':']).next().unwrap_or("");
    ["google.com", "googleapis.com", "gvt1.com", "gstatic.com"]
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")))
}

#[test]
#[ignore = "needs chromium: .ci/run installs it and runs the ignored tests"]
fn the_page_renders_in_chromium_without_errors_or_requests() {
    let chromium = chromium();
    let dir = crate::tempdir();
    let t = tables(dir.path(), &corpus());
    let (index, r, _) = job::run(&config(t, dir.path().join("reports"), Some("2026-W04")), None).unwrap();
    let netlog = dir.path().join("netlog.json");
    let out = std::process::Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"])
        .args([
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
        ])
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg(format!("--log-net-log={}", netlog.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", index.display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "chromium failed: {}", String::from_utf8_lossy(&out.stderr));
    let dom = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("CONSOLE"), "console messages: {stderr}");
    for section in [
        "Perspective balance",
        "Source shares",
        "Themes",
        "One-sided coverage",
        "Coverage profile",
        "Highlights",
        "Data quality",
    ] {
        assert!(dom.contains(&format!("<h3>{section}</h3>")), "section {section} missing");
    }
    let figures = r.figures().count();
    assert_eq!(figures, 5);
    assert_eq!(dom.matches("<svg").count(), figures, "one inline SVG per chart");
    assert!(dom.contains("新华网") || dom.contains("Xinhua News Agency"));
    let log = std::fs::read_to_string(&netlog).unwrap_or_default();
    let requests: Vec<&str> = log
        .split("\"url\":\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|u| (u.starts_with("http://") || u.starts_with("https://")) && !chromium_service(u))
        .collect();
    assert!(requests.is_empty(), "the page made external requests: {requests:?}");
}

/// Chromium's path, if installed.
/// The Chromium binary. The tests that need it are ignored by default (`cargo test` shows them
/// as ignored); `.ci/run` installs Chromium and runs them with `--include-ignored`, where a
/// missing browser is a failure.
fn chromium() -> &'static str {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("chromium is not installed (apt-get install chromium); .ci/run installs it")
}

/// A headless Chromium screenshot of an HTML document, decoded: (width, gray pixels).
fn screenshot(chromium: &str, dir: &Path, name: &str, html: &str) -> (u32, Vec<u8>) {
    let page = dir.join(format!("{name}.html"));
    std::fs::write(&page, html).unwrap();
    let shot = dir.join(format!("{name}.png"));
    let out = std::process::Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"])
        .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=400,300")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "chromium failed: {}", String::from_utf8_lossy(&out.stderr));
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    let channels = info.color_type.samples();
    (info.width, buf.chunks(channels).map(|p| p[0]).collect())
}

/// Two three-character labels, 新华网 and 人民网, on `page(label, fixed)`: drawn as tofu both
/// would be the same three boxes; with the fix (`fixed`), their pixels must differ. Without
/// it, for the record, whether this browser has CJK fonts at all (CI's has none).
fn glyphs_differ(what: &str, page: impl Fn(&str, bool) -> String) {
    let chromium = chromium();
    let dir = crate::tempdir();
    let shot =
        |name: &str, label: &str, fixed: bool| screenshot(chromium, dir.path(), name, &page(label, fixed));
    let ink = |(_, px): &(u32, Vec<u8>)| px.iter().filter(|&&v| v < 128).count();
    let xinhua = shot("xinhua", "新华网", true);
    let people = shot("people", "人民网", true);
    assert!(ink(&xinhua) > 200, "the {what} drew nothing");
    assert_ne!(xinhua.1, people.1, "two different {what}s look the same: tofu, not glyphs");
    let tofu = shot("tofu-a", "新华网", false).1 == shot("tofu-b", "人民网", false).1;
    eprintln!("without the fix, {what}s {} in this browser", if tofu { "are tofu" } else { "have glyphs" });
}

#[test]
#[ignore = "needs chromium: .ci/run installs it and runs the ignored tests"]
fn cjk_labels_show_their_glyphs_in_a_browser_without_cjk_fonts() {
    use biaslens::charts::raster;
    // Chart labels, drawn as outlines of the embedded font.
    glyphs_differ("chart label", |label, outlined| {
        let svg = format!(
            r##"<svg width="300" height="60" viewBox="0 0 300 60" xmlns="http://www.w3.org/2000/svg"><text x="10" y="40" font-family="sans-serif" font-size="30" fill="#000000">{label}</text></svg>"##
        );
        let svg = if outlined { raster::render(&svg, 1.0).unwrap().page_svg } else { svg };
        format!("<!doctype html><meta charset=utf-8><body style=\"margin:0;background:#fff\">{svg}</body>")
    });
}

#[test]
#[ignore = "needs chromium: .ci/run installs it and runs the ignored tests"]
fn cjk_text_of_the_page_shows_its_glyphs_in_a_browser_without_cjk_fonts() {
    use biaslens::charts::style::CSS_FONTS;
    use biaslens::report::html::with_embedded_font;
    // The real report embeds a face for its CJK outlets (新华网 in the fixture corpus).
    let dir = crate::tempdir();
    let days = corpus();
    let (index, _, _) =
        job::run(&config(tables(dir.path(), &days), dir.path().join("r"), Some("2026-W04")), None).unwrap();
    let html = std::fs::read_to_string(index).unwrap();
    assert!(html.contains("@font-face{font-family:\"biaslens embedded\""), "no embedded face");
    // A table cell, as the report writes one, with the page's font stack and its face.
    glyphs_differ("table cell", |label, embedded| {
        let page = format!(
            "<!doctype html><html><head><meta charset=utf-8><style>body {{ font-family: {CSS_FONTS}; margin:0; background:#fff; font-size:30px; }}</style></head><body><table><tr><td>{label}</td></tr></table></body></html>"
        );
        if embedded {
            with_embedded_font(page)
        } else {
            page
        }
    });
}

/// `report` on its own reads the analysis `analyze` left when it is current for the tables
/// (and writes exactly what analysing its weeks writes); an analysis that is out of date, or
/// made with other settings, is not read.
#[test]
fn a_report_reads_the_analysis_when_it_is_current_and_only_then() {
    let dir = crate::tempdir();
    let p = |rel: &str| dir.path().join(rel).to_str().unwrap().to_string();
    let biaslens = |args: &[&str]| {
        let o = crate::cli::biaslens(args);
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {stderr}");
        stderr
    };
    let input = dir.path().join("digests");
    crate::cli::copy_dir(&root().join("data/digests/china-japan"), &input);
    biaslens(&["extract", "--input", &p("digests"), "--out", &p("tables")]);
    biaslens(&["analyze", "--tables", &p("tables"), "--out", &p("analysis")]);
    biaslens(&["analyze", "--tables", &p("tables"), "--out", &p("monthly"), "--period", "month"]);
    let report_of = |analysis: &str, out: &str, week: &str| {
        biaslens(&[
            "report",
            "--tables",
            &p("tables"),
            "--analysis",
            &p(analysis),
            "--out",
            &p(out),
            "--week",
            week,
            "--generated-at",
            "2026-01-26T00:00:00Z",
        ])
    };
    let report = |analysis: &str, out: &str| report_of(analysis, out, "2026-W03");
    let read = report("analysis", "read");
    assert!(read.contains(&format!("the analysis in {}", p("analysis"))), "{read}");
    let own = report("none", "own");
    assert!(own.contains("its weeks analysed"), "{own}");
    // The lock file holds each run's process id.
    let report_files = |d: &str| {
        let mut f = files(&dir.path().join(d));
        f.retain(|(name, _)| name != ".biaslens.lock");
        f
    };
    let (a, b) = (report_files("read"), report_files("own"));
    assert!(a.len() > 10, "{} files", a.len());
    assert_eq!(a.iter().map(|f| &f.0).collect::<Vec<_>>(), b.iter().map(|f| &f.0).collect::<Vec<_>>());
    for (x, y) in a.iter().zip(&b) {
        assert!(
            x.1 == y.1,
            "{} differs between the report that read the analysis and the one that made its own",
            x.0
        );
    }
    // Emerging terms are listed for the latest 12 weeks of the data only: an older week is
    // analysed afresh.
    let old = report_of("analysis", "old", "2025-W40");
    assert!(old.contains("its weeks analysed"), "{old}");
    // By month: not the weekly analysis a report needs.
    let monthly = report("monthly", "m");
    assert!(monthly.contains("its weeks analysed"), "{monthly}");
    // A digest removed and the tables extracted again: the analysis is out of date.
    let first = walkdir::WalkDir::new(&input).sort_by_file_name().into_iter().map(Result::unwrap);
    let first = first.filter(|e| e.path().extension().is_some_and(|x| x == "md")).nth(1).unwrap();
    std::fs::remove_file(first.path()).unwrap();
    biaslens(&["extract", "--input", &p("digests"), "--out", &p("tables")]);
    let stale = report("analysis", "stale");
    assert!(stale.contains("its weeks analysed"), "{stale}");
}
