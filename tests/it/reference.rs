//! The reference digest (`../shared/seed/`) parses exactly, field by field.

use biaslens::extract::digest;
use biaslens::model::SideMethod;
use chrono::NaiveDate;

use crate::registry;

const SEED: &str = include_str!("../fixtures/2026-01-22-china-japan.md");

/// (position, outlet, outlet_id, date) of all 20 source lines, read off the file by eye.
const ARTICLES: [(u32, &str, &str, (u32, u32)); 20] = [
    (1, "新华网", "xinhua", (1, 22)),
    (2, "新华网", "xinhua", (1, 22)),
    (3, "South China Morning Post", "scmp", (1, 22)),
    (4, "新华网", "xinhua", (1, 22)),
    (5, "South China Morning Post", "scmp", (1, 22)),
    (6, "新华网", "xinhua", (1, 21)),
    (7, "news.cgtn.com", "cgtn", (1, 21)),
    (8, "South China Morning Post", "scmp", (1, 21)),
    (9, "新华网", "xinhua", (1, 21)),
    (10, "news.cgtn.com", "cgtn", (1, 21)),
    (11, "Nikkei Asia", "nikkei-asia", (1, 22)),
    (12, "Nikkei Asia", "nikkei-asia", (1, 21)),
    (13, "Nikkei Asia", "nikkei-asia", (1, 21)),
    (14, "Nikkei Asia", "nikkei-asia", (1, 21)),
    (15, "Nikkei Asia", "nikkei-asia", (1, 21)),
    (16, "Nikkei Asia", "nikkei-asia", (1, 21)),
    (17, "The Japan Times", "japan-times", (1, 21)),
    (18, "The Japan Times", "japan-times", (1, 21)),
    (19, "Nikkei Asia", "nikkei-asia", (1, 21)),
    (20, "The Japan Times", "japan-times", (1, 21)),
];

const TITLES: [&str; 20] = [
    "Japan posts trade deficit for 5th straight year in 2025-Xinhua",
    "Japan posts trade deficit for 5th straight year in 2025",
    "Japan’s conservatives turn sour on Trump as ‘fears of abandonment’ deepen",
    "Number of visitors from Chinese mainland to Japan plunge 45 pct in December",
    "‘I was a victim’: survey reveals surge in men groped on Tokyo transit",
    "5.9-magnitude quake hits Volcano Islands, Japan -- GFZ",
    "Explainer: Will Japan PM Takaichi's election gamble pay off?",
    "Japan restarts first nuclear reactor since Fukushima under close scrutiny",
    "Japan air force to refuel S. Korea military planes for 1st time in Okinawa",
    "Japan's panda fans welcomed to visit China, FM says",
    "Hong Kong security trial of Tiananmen vigil activists opens",
    "South Korea's economy contracts 0.3% in final quarter of 2025",
    "Honda hopes new electric sports motorcycle helps it zip past competition",
    "China's cities boost condo purchase support to fight property slump",
    "Analysis: Repercussions mount from China's Japan strategy",
    "Toyota, other Japan automakers to share chip data as supply risks grow",
    "LDP uses election manifesto to pledge stable rare earths supply amid China row",
    "Japan has a tough road ahead to achieve 60 million visitor goal",
    "Bank of Korea launches 'world-first' in-house AI for central bankers",
    "Japan finds itself in a precarious position, one year into ‘Trump 2.0’",
];

#[test]
fn frontmatter_fields() {
    let out = digest::parse("china-japan/2026-01-22-china-japan.md", SEED, &registry());
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let d = out.digest.unwrap();
    assert_eq!(d.topic, "china-japan");
    assert_eq!(d.topic_name, "China vs Japan");
    assert_eq!(d.title, "China vs Japan News - 2026-01-22");
    assert_eq!(d.published_at.to_rfc3339(), "2026-01-22T04:00:56.766+00:00");
    assert_eq!(d.digest_date, NaiveDate::from_ymd_opt(2026, 1, 22).unwrap());
    assert!(!d.draft);
    assert_eq!(d.article_count_declared, 20);
    assert_eq!(
        d.declared_sources,
        ["新华网", "South China Morning Post", "news.cgtn.com", "Nikkei Asia", "The Japan Times"]
    );
    let sides: Vec<_> =
        d.perspectives.iter().map(|p| (p.id.as_str(), p.name.as_str(), p.declared_count)).collect();
    assert_eq!(sides, [("china", "China", 10), ("japan", "Japan", 10)]);
}

#[test]
fn all_twenty_articles() {
    let d = digest::parse("seed.md", SEED, &registry()).digest.unwrap();
    assert_eq!(d.articles.len(), 20);
    for (i, a) in d.articles.iter().enumerate() {
        let (position, outlet, outlet_id, (m, day)) = ARTICLES[i];
        assert_eq!(a.position, position);
        // Sources item 1 is file line 48 of the seed; one article per line after it.
        assert_eq!(a.line, 48 + i as u32, "article {position}");
        assert_eq!(a.outlet, outlet, "article {position}");
        assert_eq!(a.outlet_id, outlet_id, "article {position}");
        // The tag names the feed (the US English one for both sides); the language is the
        // title's own, detected: every title of the seed is English.
        assert_eq!(a.feed.as_deref(), Some("en-US"));
        assert_eq!(a.language.as_deref(), Some("en"), "article {position}: {}", a.title);
        assert_eq!(a.title, TITLES[i], "article {position}");
        assert!(a.url.starts_with("https://news.google.com/rss/articles/CBMi"), "{}", a.url);
        assert!(a.url.ends_with("?oc=5"), "{}", a.url);
        assert_eq!(a.published_date, NaiveDate::from_ymd_opt(2026, m, day));
        // Articles 1–10 are China's and 11–20 Japan's: counts 10 + 10 add up to the list.
        let side = if position <= 10 { "china" } else { "japan" };
        assert_eq!(a.perspective_id.as_deref(), Some(side), "article {position}");
        assert_eq!(a.side_method, SideMethod::Position);
    }
    // One full URL, checked to the byte.
    assert_eq!(
        d.articles[11].url,
        "https://news.google.com/rss/articles/CBMilwFBVV95cUxOSnRhS3dRamxtc0ZRY3VpWGdvZUFxY1I0Slh4YUhnclg3STdNbjhXRkRFeEdIOVdFVEZmdHBHWDUyWFFNS0IzUFctZW03OFlrY25TUFhrUmhrNUVMa3lFNHp2em1JNEVGdXBydFlrV2V5UjJ0bHhzNF9rM3FReXJlZWdKdERybHRpdmpnNnl5OXpLcDFZTmtj?oc=5"
    );
}

#[test]
fn all_thirteen_highlights() {
    let d = digest::parse("seed.md", SEED, &registry()).digest.unwrap();
    // (section, position, file line), read off the seed with `grep -n '^- '`.
    let got: Vec<_> = d.highlights.iter().map(|h| (h.section.as_str(), h.position, h.line)).collect();
    let want = [
        ("overall", 1, 22),
        ("overall", 2, 23),
        ("overall", 3, 24),
        ("overall", 4, 25),
        ("overall", 5, 26),
        ("china", 1, 32),
        ("china", 2, 33),
        ("china", 3, 34),
        ("china", 4, 35),
        ("japan", 1, 39),
        ("japan", 2, 40),
        ("japan", 3, 41),
        ("japan", 4, 42),
    ];
    assert_eq!(got, want);
    assert!(d.highlights.iter().all(|h| h.depth == 0));
    assert_eq!(
        d.highlights[0].text,
        "Japan is experiencing a prolonged trade deficit, marking the fifth consecutive year of negative trade balance."
    );
    assert_eq!(
        d.highlights[12].text,
        "Japan's media emphasizes the need for stable economic policies and international cooperation to address current challenges."
    );
    assert_eq!(
        d.highlights[6].text,
        "The number of visitors from mainland China to Japan has significantly decreased, with a reported 45% drop in December 2025."
    );
}
