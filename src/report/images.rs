//! The chart files of a report folder: SVG always, PNG when asked, and each chart's data.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use rayon::prelude::*;

use super::model;
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
