//! Theme shares, totals, trends and emerging terms.

use super::*;

impl View<'_> {
    /// Every theme of every section of a topic-period (zeros included).
    pub fn themes(&self, topic: &str, period: &str) -> anyhow::Result<Vec<ThemeShare>> {
        theme_rows(&self.rows(table::THEMES, topic, Some(period))?)
    }

    /// Per period and theme, mentions and items summed over the topic's sections.
    pub fn theme_totals(&self, topic: &str, periods: &[String]) -> anyhow::Result<Vec<ThemeShare>> {
        let keep = Series::new("periods".into(), periods.to_vec());
        let df = self
            .rows(table::THEMES, topic, None)?
            .lazy()
            .filter(one_of(col(a::PERIOD), lit(keep)))
            .group_by([col(a::PERIOD), col(a::THEME)])
            .agg([col(a::MENTIONS).sum(), col(a::ITEMS).sum()])
            .collect()?;
        Ok(strings(&df, a::PERIOD)?
            .into_iter()
            .zip(strings(&df, a::THEME)?)
            .zip(ints(&df, a::MENTIONS)?.into_iter().zip(ints(&df, a::ITEMS)?))
            .map(|((period, theme), (mentions, items))| ThemeShare {
                section: period,
                theme,
                mentions,
                items,
                share: (items > 0).then(|| mentions as f64 / items as f64),
            })
            .collect())
    }

    /// Themes rising or fading on one side, rising first, biggest moves (in mentions) first.
    pub fn trends(&self, topic: &str, period: &str, n: usize) -> anyhow::Result<Vec<Trend>> {
        let df = self
            .rows(table::THEME_TRENDS, topic, Some(period))?
            .lazy()
            .filter(
                crate::analytics::side_section()
                    .and(one_of(col(a::TREND), lit(Series::new("t".into(), ["rising", "fading"])))),
            )
            .with_column(col(a::TREND).neq(lit("rising")).alias("fading"))
            .sort_by_exprs(
                [col("fading"), col(a::MENTIONS), col(a::THEME)],
                SortMultipleOptions::default()
                    .with_order_descending_multi([false, true, false])
                    .with_maintain_order(true),
            )
            .limit(n as IdxSize)
            .collect()?;
        let mean = floats(&df, a::TRAILING_MEAN)?;
        let fading = bools(&df, "fading")?;
        let recurring = bools(&df, a::RECURRING)?;
        Ok(theme_rows(&df)?
            .into_iter()
            .zip(mean)
            .zip(fading.into_iter().zip(recurring))
            .map(|((theme, trailing_mean), (fading, recurring))| Trend {
                theme,
                trailing_mean,
                rising: !fading,
                recurring,
            })
            .collect())
    }

    /// The topic-period's emerging terms, best first.
    pub fn terms(&self, topic: &str, period: &str, n: usize) -> anyhow::Result<Vec<Term>> {
        let df = self.rows(table::EMERGING_TERMS, topic, Some(period))?;
        Ok(strings(&df, a::TERM)?
            .into_iter()
            .zip(ints(&df, a::ITEMS)?)
            .take(n)
            .map(|(term, items)| Term { term, items })
            .collect())
    }
}

fn theme_rows(df: &DataFrame) -> anyhow::Result<Vec<ThemeShare>> {
    Ok(strings(df, c::SECTION)?
        .into_iter()
        .zip(strings(df, a::THEME)?)
        .zip(ints(df, a::MENTIONS)?.into_iter().zip(ints(df, a::ITEMS)?))
        .zip(floats(df, a::SHARE)?)
        .map(|(((section, theme), (mentions, items)), share)| ThemeShare {
            section,
            theme,
            mentions,
            items,
            share,
        })
        .collect())
}
