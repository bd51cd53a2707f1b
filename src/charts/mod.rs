//! Charts: plain data in, pictures out. Each chart kind is one pure drawing function,
//! generic over the plotters backend, so the same code renders the report's SVG, its PNG,
//! and the in-memory SVG tests snapshot. Every chart also turns into the CSV of exactly the
//! numbers it shows.

pub mod raster;
pub mod style;

use plotters::coord::Shift;
use plotters::prelude::*;

use style::{family, INK};

/// One named, coloured series of values, one per category.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend name (a side's display name, a topic).
    pub name: String,
    /// Column name in the CSV (a side or topic id).
    pub key: String,
    /// Fill or line colour.
    pub color: RGBColor,
    /// One value per category; `None` where there is no data (lines break there).
    pub values: Vec<Option<f64>>,
}

/// One bar of a horizontal bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Row label (an outlet name).
    pub label: String,
    /// Value (a share, 0–1).
    pub value: f64,
    /// Fill colour (its side's).
    pub color: RGBColor,
    /// Text after the value label (ownership).
    pub note: String,
    /// Extra CSV columns: `(name, value)`.
    pub extra: Vec<(String, String)>,
}

/// The kinds of chart the reports draw.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Vertical bars stacked by series (articles per day per side).
    StackedBars,
    /// Lines over the categories (balance index per week).
    Lines {
        /// Fixed y range.
        y_range: (f64, f64),
    },
    /// Horizontal bars, one per row (outlets by share).
    HBars(Vec<Bar>),
    /// Horizontal bars grouped by category, one per series (theme share per side).
    GroupedHBars,
    /// Series as rows, categories as columns, colour = value in [0, 1] (themes × weeks).
    Heatmap,
}

/// A chart: what it shows and how.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// File stem (`balance-daily-china-japan`).
    pub name: String,
    /// Title drawn at the top.
    pub title: String,
    /// Category axis labels (days, weeks, themes).
    pub categories: Vec<String>,
    /// Values axis description, with its unit.
    pub value_label: String,
    /// Category axis description.
    pub category_label: String,
    /// Values are shares shown as percentages.
    pub percent: bool,
    /// The series (empty for `HBars`).
    pub series: Vec<Series>,
    /// How to draw it.
    pub kind: Kind,
}

type RowChart<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<
        plotters::coord::types::RangedCoordf64,
        plotters::coord::ranged1d::SegmentedCoord<plotters::coord::types::RangedCoordi32>,
    >,
>;

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn font(size: f64) -> TextStyle<'static> {
    (family(), size).into_font().color(&INK)
}

impl Chart {
    /// Pixel size: bar charts grow with their rows so labels never overlap.
    pub fn size(&self) -> (u32, u32) {
        let rows = match &self.kind {
            Kind::HBars(bars) => return (style::WIDTH, 110 + 30 * bars.len().max(1) as u32),
            Kind::GroupedHBars => self.categories.len() * (self.series.len() * 12 + 14),
            Kind::Heatmap => return (style::WIDTH, 140 + 30 * self.series.len().max(1) as u32),
            _ => return (style::WIDTH, 420),
        };
        (style::WIDTH, 150 + rows.max(60) as u32)
    }

    fn fmt_value(&self, v: f64) -> String {
        if self.percent {
            format!("{:.0}%", v * 100.0)
        } else if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            format!("{v:.2}")
        }
    }

    /// Draws the chart on any backend.
    pub fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        style::register_fonts();
        area.fill(&WHITE)?;
        let area = area.titled(&self.title, font(style::TITLE))?;
        match &self.kind {
            Kind::StackedBars => self.draw_stacked(&area),
            Kind::Lines { y_range } => self.draw_lines(&area, *y_range),
            Kind::HBars(bars) => self.draw_hbars(&area, bars),
            Kind::GroupedHBars => self.draw_grouped(&area),
            Kind::Heatmap => self.draw_heatmap(&area),
        }
    }

    /// The widest of `labels` in pixels, plus padding: label areas fit their longest label.
    fn label_width<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        labels: impl Iterator<Item = String>,
    ) -> u32 {
        labels
            .filter_map(|l| area.estimate_text_size(&l, &font(style::LABEL)).ok())
            .map(|(w, _)| w)
            .max()
            .unwrap_or(0)
            + 16
    }

    fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
        &self,
        chart: &mut ChartContext<'a, DB, CT>,
        position: SeriesLabelPosition,
    ) -> DrawResult<DB> {
        chart
            .configure_series_labels()
            .position(position)
            .label_font(font(style::LABEL))
            .background_style(WHITE.mix(0.9))
            .border_style(style::GRID)
            .draw()
    }

    fn draw_stacked<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let n = self.categories.len();
        let totals: Vec<f64> = (0..n)
            .map(|i| self.series.iter().map(|s| s.values.get(i).copied().flatten().unwrap_or(0.0)).sum())
            .collect();
        let ymax = totals.iter().copied().fold(0.0, f64::max).max(1.0) * 1.25;
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d((0..n as i32 - 1).into_segmented(), 0.0..ymax)?;
        let cats = &self.categories;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(style::GRID)
            .x_labels(n)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => cats.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_label_formatter(&|v| format!("{v:.0}"))
            .x_desc(&self.category_label)
            .y_desc(&self.value_label)
            .label_style(font(style::LABEL))
            .axis_desc_style(font(style::AXIS))
            .draw()?;
        let mut base = vec![0.0; n];
        for s in &self.series {
            let color = s.color;
            let rects: Vec<_> = (0..n)
                .map(|i| {
                    let v = s.values.get(i).copied().flatten().unwrap_or(0.0);
                    let mut r = Rectangle::new(
                        [
                            (SegmentValue::Exact(i as i32), base[i]),
                            (SegmentValue::Exact(i as i32 + 1), base[i] + v),
                        ],
                        color.filled(),
                    );
                    r.set_margin(0, 0, 10, 10);
                    base[i] += v;
                    r
                })
                .collect();
            chart
                .draw_series(rects)?
                .label(&s.name)
                .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 12, y + 6)], color.filled()));
        }
        // Totals above the bars.
        chart.draw_series((0..n).filter(|&i| totals[i] > 0.0).map(|i| {
            Text::new(
                format!("{:.0}", totals[i]),
                (SegmentValue::CenterOf(i as i32), totals[i] + ymax * 0.02),
                font(style::LABEL).pos(plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Center,
                    plotters::style::text_anchor::VPos::Bottom,
                )),
            )
        }))?;
        self.legend(&mut chart, SeriesLabelPosition::UpperRight)
    }

    fn draw_lines<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        (y0, y1): (f64, f64),
    ) -> DrawResult<DB> {
        let n = self.categories.len().max(1);
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(-0.5..(n as f64 - 0.5), y0..y1)?;
        let cats = &self.categories;
        let percent = self.percent;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(style::GRID)
            .x_labels(n)
            .x_label_formatter(&|v| {
                let i = v.round();
                if (v - i).abs() < 1e-6 && i >= 0.0 {
                    cats.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|v| if percent { format!("{:.0}%", v * 100.0) } else { format!("{v:.1}") })
            .x_desc(&self.category_label)
            .y_desc(&self.value_label)
            .label_style(font(style::LABEL))
            .axis_desc_style(font(style::AXIS))
            .draw()?;
        for s in &self.series {
            let color = s.color;
            let points: Vec<(f64, Option<f64>)> =
                s.values.iter().enumerate().map(|(i, v)| (i as f64, *v)).collect();
            // A missing value breaks the line rather than bridging the gap.
            for run in points.split(|(_, v)| v.is_none()).filter(|r| !r.is_empty()) {
                chart.draw_series(LineSeries::new(
                    run.iter().map(|&(x, v)| (x, v.unwrap_or(0.0))),
                    color.stroke_width(3),
                ))?;
            }
            chart
                .draw_series(
                    points.iter().filter_map(|&(x, v)| v.map(|v| Circle::new((x, v), 4, color.filled()))),
                )?
                .label(&s.name)
                .legend(move |(x, y)| Rectangle::new([(x, y - 2), (x + 14, y + 2)], color.filled()));
        }
        self.legend(&mut chart, SeriesLabelPosition::LowerLeft)
    }

    /// A chart of horizontal rows, `labels[0]` at the top, values on a shared x axis.
    fn row_chart<'a, DB: DrawingBackend>(
        &self,
        area: &'a DrawingArea<DB, Shift>,
        labels: &[String],
        xmax: f64,
    ) -> Result<RowChart<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
        let n = labels.len().max(1);
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(Self::label_width(area, labels.iter().cloned()))
            .build_cartesian_2d(0.0..xmax, (0..n as i32 - 1).into_segmented())?;
        let percent = self.percent;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(style::GRID)
            .y_labels(n)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => labels.get(n - 1 - *i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .x_label_formatter(&|v| if percent { format!("{:.0}%", v * 100.0) } else { format!("{v:.1}") })
            .x_desc(&self.value_label)
            .label_style(font(style::LABEL))
            .axis_desc_style(font(style::AXIS))
            .draw()?;
        Ok(chart)
    }

    fn draw_hbars<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, bars: &[Bar]) -> DrawResult<DB> {
        let n = bars.len().max(1);
        let xmax = bars.iter().map(|b| b.value).fold(0.0, f64::max).max(0.01) * 1.35;
        let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
        let mut chart = self.row_chart(area, &labels, xmax)?;
        chart.draw_series(bars.iter().enumerate().map(|(i, b)| {
            let row = (n - 1 - i) as i32;
            let mut r = Rectangle::new(
                [(0.0, SegmentValue::Exact(row)), (b.value, SegmentValue::Exact(row + 1))],
                b.color.filled(),
            );
            r.set_margin(4, 4, 0, 0);
            r
        }))?;
        chart.draw_series(bars.iter().enumerate().map(|(i, b)| {
            let row = (n - 1 - i) as i32;
            let text = if b.note.is_empty() {
                self.fmt_value(b.value)
            } else {
                format!("{} · {}", self.fmt_value(b.value), b.note)
            };
            Text::new(
                text,
                (b.value + xmax * 0.01, SegmentValue::CenterOf(row)),
                font(style::LABEL).pos(plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Left,
                    plotters::style::text_anchor::VPos::Center,
                )),
            )
        }))?;
        // One legend entry per side colour, in order of first appearance.
        let mut seen: Vec<(String, RGBColor)> = Vec::new();
        for s in &self.series {
            if !seen.iter().any(|(n, _)| n == &s.name) {
                seen.push((s.name.clone(), s.color));
            }
        }
        for (name, color) in seen {
            chart
                .draw_series(std::iter::empty::<Rectangle<(f64, SegmentValue<i32>)>>())?
                .label(name)
                .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 12, y + 6)], color.filled()));
        }
        self.legend(&mut chart, SeriesLabelPosition::LowerRight)
    }

    fn draw_grouped<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        if self.series.is_empty() || self.categories.is_empty() {
            // Nothing to compare (no side has items): say so, not empty axes.
            let (w, h) = area.dim_in_pixel();
            let centre = plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Center,
                plotters::style::text_anchor::VPos::Center,
            );
            let note =
                if self.series.is_empty() { "No side has items this week." } else { "No data this week." };
            return area.draw(&Text::new(note, (w as i32 / 2, h as i32 / 2), font(style::LABEL).pos(centre)));
        }
        let n = self.categories.len().max(1);
        let k = self.series.len().max(1);
        let vmax =
            self.series.iter().flat_map(|s| s.values.iter().flatten()).copied().fold(0.0, f64::max).max(0.01);
        let xmax = vmax * 1.25;
        let mut chart = self.row_chart(area, &self.categories, xmax)?;
        // Each category's band is split into k bars by pixel margins.
        let (_, plot_h) = chart.plotting_area().dim_in_pixel();
        let band = f64::from(plot_h) / n as f64;
        let bar = band * 0.8 / k as f64;
        for (j, s) in self.series.iter().enumerate() {
            let color = s.color;
            let top = (band * 0.1 + bar * j as f64).round() as u32;
            let bottom = (band - band * 0.1 - bar * (j + 1) as f64).max(0.0).round() as u32;
            let rects: Vec<_> = (0..n)
                .map(|i| {
                    let row = (n - 1 - i) as i32;
                    let v = s.values.get(i).copied().flatten().unwrap_or(0.0);
                    let mut r = Rectangle::new(
                        [(0.0, SegmentValue::Exact(row)), (v, SegmentValue::Exact(row + 1))],
                        color.filled(),
                    );
                    r.set_margin(top, bottom, 0, 0);
                    r
                })
                .collect();
            chart
                .draw_series(rects)?
                .label(&s.name)
                .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 12, y + 6)], color.filled()));
        }
        self.legend(&mut chart, SeriesLabelPosition::LowerRight)
    }

    fn draw_heatmap<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let cols = self.categories.len().max(1);
        let rows = self.series.len().max(1);
        let label_w = Self::label_width(area, self.series.iter().map(|s| s.name.clone()));
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(label_w)
            .build_cartesian_2d(
                (0..cols as i32 - 1).into_segmented(),
                (0..rows as i32 - 1).into_segmented(),
            )?;
        let cats = &self.categories;
        let names: Vec<&str> = self.series.iter().map(|s| s.name.as_str()).collect();
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(cols)
            .y_labels(rows)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => cats.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => {
                    names.get(rows - 1 - *i as usize).map(|s| s.to_string()).unwrap_or_default()
                }
                _ => String::new(),
            })
            .x_desc(&self.category_label)
            .label_style(font(style::LABEL))
            .axis_desc_style(font(style::AXIS))
            .draw()?;
        // Colours span the chart's own range, so a topic whose themes never pass 30% still
        // shows its contrasts.
        let vmax =
            self.series.iter().flat_map(|s| s.values.iter().flatten()).copied().fold(0.0, f64::max).max(1e-9);
        for (r, s) in self.series.iter().enumerate() {
            let row = (rows - 1 - r) as i32;
            chart.draw_series(s.values.iter().enumerate().map(|(c, v)| {
                let fill = v.map_or(style::GRID, |v| style::heat(v / vmax));
                let mut rect = Rectangle::new(
                    [
                        (SegmentValue::Exact(c as i32), SegmentValue::Exact(row)),
                        (SegmentValue::Exact(c as i32 + 1), SegmentValue::Exact(row + 1)),
                    ],
                    fill.filled(),
                );
                rect.set_margin(1, 1, 1, 1);
                rect
            }))?;
            chart.draw_series(s.values.iter().enumerate().filter_map(|(c, v)| {
                let v = (*v)?;
                let ink = if v / vmax > 0.45 { WHITE } else { INK };
                Some(Text::new(
                    self.fmt_value(v),
                    (SegmentValue::CenterOf(c as i32), SegmentValue::CenterOf(row)),
                    (family(), style::LABEL - 2.0).into_font().color(&ink).pos(
                        plotters::style::text_anchor::Pos::new(
                            plotters::style::text_anchor::HPos::Center,
                            plotters::style::text_anchor::VPos::Center,
                        ),
                    ),
                ))
            }))?;
        }
        Ok(())
    }

    /// The chart as an SVG document.
    pub fn svg(&self) -> anyhow::Result<String> {
        let mut out = String::new();
        {
            let backend = SVGBackend::with_string(&mut out, self.size());
            let area = backend.into_drawing_area();
            self.draw(&area).map_err(|e| anyhow::anyhow!("cannot draw {}: {e}", self.name))?;
            area.present().map_err(|e| anyhow::anyhow!("cannot finish {}: {e}", self.name))?;
        }
        Ok(out)
    }

    /// The chart as PNG bytes: its SVG rasterised at twice the size, for sharp text.
    pub fn png(&self) -> anyhow::Result<Vec<u8>> {
        raster::png(&self.svg()?, 2.0)
    }

    /// The numbers the chart shows, as CSV: one row per category and series.
    pub fn csv(&self) -> anyhow::Result<Vec<u8>> {
        let mut w = csv::Writer::from_writer(Vec::new());
        match &self.kind {
            Kind::HBars(bars) => {
                let mut header = vec!["label".to_string(), "value".to_string(), "note".to_string()];
                header.extend(
                    bars.first()
                        .map(|b| b.extra.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>())
                        .unwrap_or_default(),
                );
                w.write_record(&header)?;
                for b in bars {
                    let mut row = vec![b.label.clone(), b.value.to_string(), b.note.clone()];
                    row.extend(b.extra.iter().map(|(_, v)| v.clone()));
                    w.write_record(&row)?;
                }
            }
            _ => {
                w.write_record(["category", "series", "value"])?;
                for s in &self.series {
                    for (c, v) in self.categories.iter().zip(&s.values) {
                        w.write_record([
                            c.as_str(),
                            s.key.as_str(),
                            &v.map(|v| v.to_string()).unwrap_or_default(),
                        ])?;
                    }
                }
            }
        }
        w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
    }
}
