//! Month-over-month comparison on a tiny fixture, every number worked out by hand.

use biaslens::analytics::lexicon::Lexicon;
use biaslens::analytics::Inputs;
use biaslens::report::compare::{analysis_options, build};
use biaslens::report::model::Comparison;
use biaslens::report::model::{Movers, Share};
use biaslens::report::Month;
use chrono::{Datelike, TimeZone, Utc};

use crate::fixture::{inputs, Day};
use crate::{registry, root};

fn day(date: &'static str, china: Vec<&'static str>, japan: Vec<&'static str>) -> Day {
    let arts = |v: Vec<&'static str>| v.into_iter().map(|o| (o, "story")).collect();
    Day { topic: "t", date, sides: vec![("china", arts(china)), ("japan", arts(japan))], ..Day::default() }
}

/// The comparison of `months` over all topics, as `biaslens compare` builds it.
fn compare(
    inputs: &Inputs,
    lexicon: &Lexicon,
    months: &[Month],
    at: chrono::DateTime<Utc>,
) -> anyhow::Result<Comparison> {
    let options = analysis_options(months, &[])?;
    let analysis = biaslens::analytics::analyze_window(inputs, lexicon, &options)?;
    build(inputs, &analysis, (&registry(), lexicon), months, &options, at)
}

#[test]
fn movers_appeared_and_vanished_by_hand() {
    // Nov: Xinhua 2 of 4, SCMP 1, Nikkei 1. Dec: Xinhua 1 of 6, CGTN 2, Nikkei 1, Japan Times 2.
    let nov = [("Xinhua", 2, 0.5), ("SCMP", 1, 0.25), ("Nikkei", 1, 0.25)];
    let dec = [
        ("Xinhua", 1, 1.0 / 6.0),
        ("CGTN", 2, 2.0 / 6.0),
        ("Nikkei", 1, 1.0 / 6.0),
        ("Japan Times", 2, 2.0 / 6.0),
    ];
    let own = |v: &[(&str, i64, f64)]| {
        v.iter().map(|(n, c, s)| Share { name: n.to_string(), count: *c, share: *s }).collect::<Vec<_>>()
    };
    let m = Movers::between(&own(&nov), &own(&dec), 3);
    let names = |v: &[biaslens::report::model::Pair]| v.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
    // Appeared, most articles first, ties by name: CGTN (2), Japan Times (2).
    assert_eq!(names(&m.appeared), ["CGTN", "Japan Times"]);
    assert_eq!(names(&m.vanished), ["SCMP"]);
    // |Δshare|: Xinhua |1/6 − 1/2| = 0.333, Nikkei |1/6 − 1/4| = 0.083.
    assert_eq!(names(&m.moved), ["Xinhua", "Nikkei"]);
    assert_eq!((m.moved[0].before.count, m.moved[0].after.count), (2, 1));
}

#[test]
fn comparison_of_two_months_in_sentences() {
    let days = [
        day("2025-11-10", vec!["Xinhua", "Xinhua", "South China Morning Post"], vec!["Nikkei Asia"]),
        day(
            "2025-12-10",
            vec!["Xinhua", "CGTN", "CGTN"],
            vec!["Nikkei Asia", "The Japan Times", "The Japan Times"],
        ),
    ];
    let lexicon = Lexicon::load(&root().join("data/themes.yaml")).unwrap();
    let months = [Month::parse("2025-11").unwrap(), Month::parse("2025-12").unwrap()];
    let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let cmp = compare(&inputs(&days), &lexicon, &months, at).unwrap();
    assert_eq!(cmp.slug, "compare-2025-11_2025-12");
    let t = &cmp.topics[0];
    // Nov: 4 articles, China 3/4, Japan 1/4 → balance −(¾ ln ¾ + ¼ ln ¼)/ln 2 = 0.811278.
    // Dec: 6 articles, 3/6 each → balance 1.
    let summary: Vec<_> = t
        .months
        .iter()
        .map(|r| (r.month.as_str(), r.digests, r.articles, r.balance.map(|b| (b * 1e6).round() / 1e6)))
        .collect();
    assert_eq!(summary, [("2025-11", 1, 4, Some(0.811278)), ("2025-12", 1, 6, Some(1.0))]);
    let (span, sentences) = (&t.changes[0].span, &t.changes[0].sentences);
    assert_eq!(span, "2025-11 → 2025-12");
    assert_eq!(
        sentences,
        &[
            "Balance index 0.81 → 1.00 (+0.19); China 75% → 50% (3 → 3 articles), Japan 25% → 50% (1 → 3 articles).",
            "Outlets that appeared: CGTN (2 articles), The Japan Times (2 articles).",
            "Outlets that vanished: South China Morning Post (had 1 article).",
            // Xinhua 2/4 = 50% → 1/6 = 17%; Nikkei 1/4 = 25% → 1/6 = 17%.
            "Biggest moves in outlet share: Xinhua News Agency 50% → 17% (2 → 1 articles); Nikkei Asia 25% → 17% (1 → 1 articles).",
        ]
    );
    // The overview chart has the topic's balance per month.
    assert_eq!(
        cmp.overview[0].chart.series[0]
            .values
            .iter()
            .map(|v| v.map(|b| (b * 1e6).round() / 1e6))
            .collect::<Vec<_>>(),
        [Some(0.811278), Some(1.0)]
    );
}

#[test]
fn months_without_digests_are_refused() {
    let days = [day("2025-11-10", vec!["Xinhua"], vec!["Nikkei Asia"])];
    let lexicon = Lexicon::load(&root().join("data/themes.yaml")).unwrap();
    let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let err = compare(&inputs(&days), &lexicon, &[Month::parse("2024-01").unwrap()], at).unwrap_err();
    assert_eq!(err.to_string(), "no digests in 2024-01 to 2024-01; nothing was written");
}

#[test]
fn comparison_figures_match_the_monthly_analysis_tables() {
    use biaslens::analytics::{self, table, Filter, Options, Period};
    let days = [
        day("2025-11-10", vec!["Xinhua", "Xinhua"], vec!["Nikkei Asia"]),
        day("2025-11-20", vec!["CGTN"], vec!["Nikkei Asia", "Kyodo News"]),
        day("2025-12-10", vec!["Xinhua"], vec!["The Japan Times", "The Japan Times", "Kyodo News"]),
    ];
    let lexicon = Lexicon::load(&root().join("data/themes.yaml")).unwrap();
    let months = [Month::parse("2025-11").unwrap(), Month::parse("2025-12").unwrap()];
    let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let input = inputs(&days);
    let cmp = compare(&input, &lexicon, &months, at).unwrap();
    let options = Options { period: Period::Month, filter: Filter::default(), ..Options::default() };
    let a = analytics::analyze(&input, &lexicon, &options).unwrap();
    let bal = a.get(table::PERSPECTIVE_BALANCE).unwrap();
    let index = biaslens::frames::floats(bal, "balance_index").unwrap();
    let periods = biaslens::frames::strings(bal, "period").unwrap();
    for r in &cmp.topics[0].months {
        let i = periods.iter().position(|p| *p == r.month).unwrap();
        assert_eq!(r.balance, index[i], "{}", r.month);
        let articles: i64 = periods
            .iter()
            .zip(biaslens::frames::ints(bal, "articles").unwrap())
            .filter(|(p, _)| **p == r.month)
            .map(|(_, n)| n)
            .sum();
        assert_eq!(r.articles, articles, "{}", r.month);
    }
}

/// A story told since October, by both sides then and by China alone in November and
/// December: over its whole life it is not one-sided (China 46 of 61 articles, 75 %), though
/// its November–December part alone would be. The comparison counts it as the monthly
/// analysis of every month does.
#[test]
fn monthly_story_counts_are_those_of_the_whole_analysis() {
    use biaslens::analytics::{self, table, Options, Period};
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let title = "Rare earth export curbs tighten again";
    let first = chrono::NaiveDate::from_ymd_opt(2025, 10, 1).unwrap();
    let days: Vec<Day> = (0..46)
        .map(|i| {
            let date = first + chrono::Days::new(2 * i);
            let japan = if date.month() == 10 { vec![("Nikkei Asia", title)] } else { vec![] };
            Day {
                topic: "t",
                date: leak(date.to_string()),
                sides: vec![("china", vec![("Xinhua", title)]), ("japan", japan)],
                ..Day::default()
            }
        })
        .collect();
    let input = inputs(&days);
    let lexicon = Lexicon::load(&root().join("data/themes.yaml")).unwrap();
    let months = [Month::parse("2025-11").unwrap(), Month::parse("2025-12").unwrap()];
    let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let cmp = compare(&input, &lexicon, &months, at).unwrap();
    let a = analytics::analyze(&input, &lexicon, &Options { period: Period::Month, ..Options::default() })
        .unwrap();
    let sp = a.get(table::STORY_PERIODS).unwrap();
    let periods = biaslens::frames::strings(sp, "period").unwrap();
    let (stories, one_sided) = (
        biaslens::frames::ints(sp, "stories").unwrap(),
        biaslens::frames::ints(sp, "one_sided_stories").unwrap(),
    );
    let rows = &cmp.topics[0].months;
    assert_eq!(rows.len(), 2);
    for r in rows {
        let i = periods.iter().position(|p| *p == r.month).unwrap();
        assert_eq!((r.stories, r.one_sided_stories), (stories[i], one_sided[i]), "{}", r.month);
        assert_eq!((r.stories, r.one_sided_stories), (1, 0), "{}", r.month);
    }
}
