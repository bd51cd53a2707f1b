//! Tone by side, the words behind it, and what each highlight rests on.

use super::*;
use crate::analytics::grounding::status;

/// A side's tone of one kind (titles or highlights) in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct SideToneRow {
    pub period: String,
    /// Perspective id.
    pub side: String,
    /// `title` or `highlight`.
    pub kind: String,
    /// Items scored.
    pub covered: i64,
    /// Mean item tone, −1…1.
    pub mean: Option<f64>,
    /// Its bootstrap 95% interval.
    pub interval: Option<(f64, f64)>,
    /// Share of scored items with a negative tone.
    pub share_negative: Option<f64>,
    /// Fewer scored items than the run's minimum.
    pub few: bool,
    /// On highlight rows: the highlights' mean minus the titles'.
    pub drift: Option<f64>,
    /// The list that scored most of its items (`en`, `es`; empty when none covers them).
    pub lexicon: String,
}

/// A word that moved a side's tone.
#[derive(Debug, Clone, PartialEq)]
pub struct ToneWord {
    pub side: String,
    pub kind: String,
    pub word: String,
    pub occurrences: i64,
    pub contribution: f64,
}

/// What one highlight bullet rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct BulletGrounding {
    pub digest_id: String,
    /// Its section: a perspective id, `overall` or `differences`.
    pub section: String,
    /// Its position in the section.
    pub position: i64,
    pub status: String,
    /// Supporting article positions, best first.
    pub support: Vec<i64>,
    /// `high`, or `low` where the titles it rests on are in another language.
    pub confidence: String,
}

/// Per section, its bullets counted by status in [`status::ASSESSED`] order (bullets not
/// assessed are left out).
pub fn count_statuses<'s>(rows: impl Iterator<Item = (&'s str, &'s str)>) -> BTreeMap<String, [i64; 4]> {
    let mut out: BTreeMap<String, [i64; 4]> = BTreeMap::new();
    for (section, s) in rows {
        if let Some(k) = status::ASSESSED.iter().position(|x| *x == s) {
            out.entry(section.to_string()).or_default()[k] += 1;
        }
    }
    out
}

impl View<'_> {
    /// A topic's side tone rows of these periods, in table order.
    pub fn side_tone(&self, topic: &str, periods: &[String]) -> anyhow::Result<Vec<SideToneRow>> {
        let t = self.rows(table::SIDE_TONE, topic, None)?;
        let (period, side, kind) =
            (strings(&t, a::PERIOD)?, strings(&t, c::PERSPECTIVE_ID)?, strings(&t, a::KIND)?);
        let (covered, mean, low, high) = (
            ints(&t, a::COVERED_ITEMS)?,
            floats(&t, a::MEAN_ITEM_TONE)?,
            floats(&t, a::CI_LOW)?,
            floats(&t, a::CI_HIGH)?,
        );
        let (negative, few, drift) =
            (floats(&t, a::SHARE_NEGATIVE)?, bools(&t, a::FEW_ITEMS)?, floats(&t, a::DRIFT)?);
        let lexicon = strings(&t, a::LEXICON)?;
        Ok((0..t.height())
            .filter(|&i| periods.contains(&period[i]))
            .map(|i| SideToneRow {
                period: period[i].clone(),
                side: side[i].clone(),
                kind: kind[i].clone(),
                covered: covered[i],
                mean: mean[i],
                interval: low[i].zip(high[i]),
                share_negative: negative[i],
                few: few[i],
                drift: drift[i],
                lexicon: lexicon[i].clone(),
            })
            .collect())
    }

    /// The words that moved a topic's sides in a period, largest first per side and kind.
    pub fn tone_words(&self, topic: &str, period: &str) -> anyhow::Result<Vec<ToneWord>> {
        let t = self.rows(table::TONE_WORDS, topic, Some(period))?;
        let (side, kind, word) =
            (strings(&t, c::PERSPECTIVE_ID)?, strings(&t, a::KIND)?, strings(&t, a::WORD)?);
        let (n, contribution) = (ints(&t, a::OCCURRENCES)?, floats(&t, a::CONTRIBUTION)?);
        Ok((0..t.height())
            .map(|i| ToneWord {
                side: side[i].clone(),
                kind: kind[i].clone(),
                word: word[i].clone(),
                occurrences: n[i],
                contribution: contribution[i].unwrap_or(0.0),
            })
            .collect())
    }

    /// The statuses of a topic's bullets dated `from`–`to`, by side: grounded, both,
    /// cross-attributed and ungrounded counts.
    pub fn grounding_counts(
        &self,
        topic: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> anyhow::Result<BTreeMap<String, [i64; 4]>> {
        let g = self.rows(table::HIGHLIGHT_GROUNDING, topic, None)?;
        // The period's rows first: a topic has years of bullets, a period a few hundred.
        let day = dates(&g, c::DIGEST_DATE)?;
        let g = g.filter(&day.iter().map(|d| d.is_some_and(|d| d >= from && d <= to)).collect())?;
        let (section, status) = (strings(&g, c::SECTION)?, strings(&g, a::STATUS)?);
        Ok(count_statuses((0..g.height()).map(|i| (section[i].as_str(), status[i].as_str()))))
    }

    /// The grounding of the bullets of these digests, in table order.
    pub fn grounding(&self, topic: &str, digests: &[String]) -> anyhow::Result<Vec<BulletGrounding>> {
        let g = self.rows(table::HIGHLIGHT_GROUNDING, topic, None)?;
        // These digests' rows first: a topic has years of bullets, a week a few hundred.
        let of_digests = g.column(c::DIGEST_ID)?.str()?.iter();
        let g =
            g.filter(&of_digests.map(|id| id.is_some_and(|id| digests.iter().any(|d| d == id))).collect())?;
        let (ids, section, position) =
            (strings(&g, c::DIGEST_ID)?, strings(&g, c::SECTION)?, ints(&g, c::POSITION)?);
        let (status, support, confidence) =
            (strings(&g, a::STATUS)?, strings(&g, a::SUPPORT)?, strings(&g, a::CONFIDENCE)?);
        Ok((0..g.height())
            .map(|i| BulletGrounding {
                digest_id: ids[i].clone(),
                section: section[i].clone(),
                position: position[i],
                status: status[i].clone(),
                support: support[i].split(';').filter_map(|p| p.parse().ok()).collect(),
                confidence: confidence[i].clone(),
            })
            .collect())
    }
}
