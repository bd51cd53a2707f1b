//! Reports: an analysis → a [`view`] of typed rows → a plain [`model`] ([`weekly`],
//! [`compare`]) → one document written through a [`markup`] ([`render`]: [`html`] and
//! [`markdown`] supply the syntax, [`format`] the numbers and sentences) → strings the CLI
//! writes, with the charts [`write_figures`] renders.

pub mod compare;
pub mod font;
pub mod format;
pub mod html;
pub mod job;
pub mod markdown;
pub mod markup;
pub mod model;
pub mod render;
pub mod view;
pub mod weekly;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use chrono::{Datelike, NaiveDate, Weekday};
use rayon::prelude::*;

use crate::charts::raster;
use crate::write;

/// The chart images a report's Markdown page shows. The HTML page inlines each chart's SVG
/// either way, and the SVG files are always written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ChartImages {
    /// PNG at twice the size, which every Markdown viewer and Hugo theme shows.
    #[default]
    Png,
    /// SVG only: no PNG is drawn (rasterising is most of a first report's time), and a PNG
    /// left by an earlier report of the same week is removed. An SVG shown as an image uses
    /// the reader's fonts, so labels in a script they lack show as boxes; the PNGs, drawn
    /// with the bundled fonts, do not.
    Svg,
}

impl ChartImages {
    /// The extension of the image the Markdown links.
    pub fn extension(self) -> &'static str {
        match self {
            ChartImages::Png => "png",
            ChartImages::Svg => "svg",
        }
    }
}

/// Renders figures in parallel and writes `charts/<name>.svg` (and `.png`, with
/// [`ChartImages::Png`]) and `tables/<name>.csv` under `dir`; returns each chart's SVG for the
/// page, by name, for inlining (texts in rare scripts outlined; the files keep all their
/// text, for reuse).
///
/// A chart whose SVG is byte for byte the one already in `dir`, next to a PNG this version
/// of biaslens drew, keeps its files: rasterising is most of a report's time, and a daily
/// run reports the same complete week seven times. Files are only written when they change.
pub fn write_figures(
    dir: &Path,
    figures: &[&model::Figure],
    images: ChartImages,
) -> anyhow::Result<BTreeMap<String, String>> {
    figures
        .par_iter()
        .map(|f| {
            let name = &f.chart.name;
            let svg = f.chart.svg()?;
            // Chart names carry topics from the data: each file is checked to stay in `dir`.
            let file = |folder: &str, ext: &str| {
                write::confined(dir, &Path::new(folder).join(format!("{name}.{ext}")))
            };
            let (svg_file, png_file) = (file("charts", "svg")?, file("charts", "png")?);
            let svg_kept = std::fs::read(&svg_file).is_ok_and(|old| old == svg.as_bytes());
            let page_svg = match images {
                ChartImages::Png
                    if svg_kept
                        && std::fs::read(&png_file).is_ok_and(|png| raster::drawn_by_this_version(&png)) =>
                {
                    raster::page_svg(&svg)?
                }
                ChartImages::Png => {
                    let raster::Rendered { png, page_svg } = raster::render(&svg, 2.0)?;
                    write::atomic(&svg_file, svg.as_bytes())?;
                    write::atomic(&png_file, &png)?;
                    page_svg
                }
                ChartImages::Svg => {
                    if !svg_kept {
                        write::atomic(&svg_file, svg.as_bytes())?;
                    }
                    // A PNG of an earlier report would show this chart as it was then.
                    if png_file.exists() {
                        std::fs::remove_file(&png_file)
                            .with_context(|| format!("cannot remove {}", png_file.display()))?;
                    }
                    raster::page_svg(&svg)?
                }
            };
            let csv = f.chart.csv()?;
            let csv_file = file("tables", "csv")?;
            if std::fs::read(&csv_file).ok().as_deref() != Some(&csv[..]) {
                write::atomic(&csv_file, &csv)?;
            }
            Ok((name.clone(), page_svg))
        })
        .collect()
}

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    /// Its first day.
    pub first: NaiveDate,
}

impl Month {
    /// Parses `2026-01`.
    pub fn parse(text: &str) -> Option<Self> {
        let (y, m) = text.trim().split_once('-')?;
        Some(Month { first: NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)? })
    }
    /// `2026-01`.
    pub fn label(self) -> String {
        self.first.format("%Y-%m").to_string()
    }
    /// The next month.
    pub fn next(self) -> Self {
        let (y, m) = if self.first.month() == 12 {
            (self.first.year() + 1, 1)
        } else {
            (self.first.year(), self.first.month() + 1)
        };
        Month { first: NaiveDate::from_ymd_opt(y, m, 1).expect("valid month") }
    }
    /// Its last day.
    pub fn last(self) -> NaiveDate {
        self.next().first.pred_opt().expect("valid date")
    }
    /// Every month from `self` to `to`, inclusive.
    pub fn through(self, to: Month) -> Vec<Month> {
        let mut v = vec![self];
        while *v.last().expect("non-empty") < to {
            let n = v.last().expect("non-empty").next();
            v.push(n);
        }
        v
    }
}

/// Escapes text for HTML and XML (element content and attribute values).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for Markdown prose: characters that would start markup or HTML.
pub fn escape_md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// An ISO week: its label and its Monday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Week {
    /// Monday of the week.
    pub monday: NaiveDate,
}

impl Week {
    /// The week containing a date.
    pub fn of(date: NaiveDate) -> Self {
        Week { monday: date - chrono::Duration::days(i64::from(date.weekday().num_days_from_monday())) }
    }

    /// Parses `2026-W04`.
    pub fn parse(text: &str) -> Option<Self> {
        let (y, w) = text.trim().split_once("-W")?;
        let monday = NaiveDate::from_isoywd_opt(y.parse().ok()?, w.parse().ok()?, Weekday::Mon)?;
        Some(Week { monday })
    }

    /// Sunday of the week.
    pub fn sunday(self) -> NaiveDate {
        self.monday + chrono::Duration::days(6)
    }

    /// `2026-W04`.
    pub fn label(self) -> String {
        crate::tables::iso_week(self.monday)
    }

    /// The week `n` weeks earlier.
    pub fn minus(self, n: i64) -> Self {
        Week { monday: self.monday - chrono::Duration::weeks(n) }
    }

    /// "19–25 January 2026", "29 December 2025 – 4 January 2026".
    pub fn dates(self) -> String {
        let (a, b) = (self.monday, self.sunday());
        if a.year() != b.year() {
            format!("{} – {}", a.format("%-d %B %Y"), b.format("%-d %B %Y"))
        } else if a.month() != b.month() {
            format!("{} – {}", a.format("%-d %B"), b.format("%-d %B %Y"))
        } else {
            format!("{}–{}", a.format("%-d"), b.format("%-d %B %Y"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_and_their_dates() {
        let w = Week::parse("2026-W04").unwrap();
        assert_eq!(w.monday, NaiveDate::from_ymd_opt(2026, 1, 19).unwrap());
        assert_eq!(w.dates(), "19–25 January 2026");
        assert_eq!(Week::parse("2026-W01").unwrap().dates(), "29 December 2025 – 4 January 2026");
        assert_eq!(
            Week::of(NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()).dates(),
            "26 January – 1 February 2026"
        );
        assert_eq!(Week::of(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()).label(), "2026-W01");
        assert_eq!(Week::parse("2026-W99"), None);
    }

    #[test]
    fn months_and_ranges() {
        let a = Month::parse("2025-11").unwrap();
        assert_eq!(a.last(), NaiveDate::from_ymd_opt(2025, 11, 30).unwrap());
        let r: Vec<String> = a.through(Month::parse("2026-02").unwrap()).iter().map(|m| m.label()).collect();
        assert_eq!(r, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert_eq!(Month::parse("2026-13"), None);
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(escape_md("a_b *c* <d>"), "a\\_b \\*c\\* \\<d\\>");
    }
}
