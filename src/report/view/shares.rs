//! Balance, sides and outlet shares.

use super::*;

impl View<'_> {
    /// Each topic and the latest period it has, by topic.
    pub fn latest_periods(&self) -> anyhow::Result<Vec<TopicPeriod>> {
        let latest = self
            .table(table::PERSPECTIVE_BALANCE)?
            .clone()
            .lazy()
            .group_by([col(c::TOPIC)])
            .agg([col(a::PERIOD).sort(SortOptions::default()).last()])
            .sort([c::TOPIC], SortMultipleOptions::default())
            .collect()?;
        let periods = strings(&latest, a::PERIOD)?;
        Ok(strings(&latest, c::TOPIC)?
            .into_iter()
            .zip(periods)
            .map(|(topic, period)| TopicPeriod { topic, period })
            .collect())
    }

    /// Every declared side of a topic-period with its articles and share, and the index.
    pub fn balance(&self, topic: &str, period: &str) -> anyhow::Result<Balance> {
        let df = self.rows(table::PERSPECTIVE_BALANCE, topic, Some(period))?;
        let sides = strings(&df, c::PERSPECTIVE_ID)?
            .into_iter()
            .zip(strings(&df, c::PERSPECTIVE_NAME)?)
            .zip(ints(&df, a::ARTICLES)?.into_iter().zip(floats(&df, a::SHARE)?))
            .map(|((id, name), (articles, share))| SideShare { id, name, articles, share })
            .collect();
        Ok(Balance { sides, index: floats(&df, a::BALANCE_INDEX)?.into_iter().next().flatten() })
    }

    /// A topic's sides: those of `period` in table order, then any other side the topic had
    /// in the analysed periods.
    pub fn sides(&self, topic: &str, period: &str) -> anyhow::Result<Vec<Side>> {
        let all = self.rows(table::PERSPECTIVE_BALANCE, topic, None)?;
        let now = slice(&all, topic, Some(period))?;
        let mut out: Vec<Side> = Vec::new();
        for df in [&now, &all] {
            for (id, name) in
                strings(df, c::PERSPECTIVE_ID)?.into_iter().zip(strings(df, c::PERSPECTIVE_NAME)?)
            {
                if !out.iter().any(|s| s.id == id) {
                    out.push(Side { id, name });
                }
            }
        }
        Ok(out)
    }

    /// The balance index of each period, `None` for periods without digests.
    pub fn balance_history(&self, topic: &str, periods: &[String]) -> anyhow::Result<Vec<Option<f64>>> {
        let df = self.rows(table::PERSPECTIVE_BALANCE, topic, None)?;
        let index: BTreeMap<String, Option<f64>> =
            strings(&df, a::PERIOD)?.into_iter().zip(floats(&df, a::BALANCE_INDEX)?).rev().collect();
        Ok(periods.iter().map(|p| index.get(p).copied().flatten()).collect())
    }

    /// The topic-period's outlets by side, most articles first (the source_shares order).
    pub fn outlets(&self, topic: &str, period: &str) -> anyhow::Result<Vec<OutletShare>> {
        let df = self.rows(table::SOURCE_SHARES, topic, Some(period))?;
        Ok(strings(&df, c::OUTLET_ID)?
            .into_iter()
            .zip(strings(&df, c::PERSPECTIVE_ID)?)
            .zip(ints(&df, a::ARTICLES)?.into_iter().zip(floats(&df, a::SHARE)?))
            .map(|((id, side), (articles, share))| OutletShare {
                id,
                side,
                articles,
                share: share.unwrap_or(0.0),
            })
            .collect())
    }
}
