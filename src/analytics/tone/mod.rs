//! Tone: how positive or negative each side's words are, per period (docs/analysis.md,
//! Tone). Every item themes are counted over (highlights, and titles of known side) is
//! scored in its own language ([`score`]); a side's tone is then GDELT's: positive words %
//! minus negative words % of the words of its items, beside the mean item score with a
//! bootstrap interval ([`side`]). A title is eleven words on average, so a single title's
//! score says little; the tables report sides and periods, and publish the words that
//! moved each side so a reader can audit it.
//!
//! Tables: `item_tone` (one row per item), `side_tone` (per topic, period, side and kind,
//! with the drift of the highlights from the titles they summarise) and `tone_words` (the
//! words that moved each side's tone most).

mod items;
pub mod score;
mod side;

use polars::prelude::*;

use super::base::{col, round6, sorted, Options};
use crate::tables::col as c;
pub use score::{Lang, ToneLexicon};

use items::{scored, Items};
pub use side::{held_out_rho, HELD_OUT_RHO, HELD_OUT_RHO_HIGHLIGHTS, TOP_WORDS};

/// The three tone tables.
pub struct Tables {
    /// One row per item.
    pub item_tone: DataFrame,
    /// Per topic, period, side and kind.
    pub side_tone: DataFrame,
    /// The words that moved each side's tone most.
    pub tone_words: DataFrame,
}

/// Scores every item of the live digests, `frame` as `themes::item_frame` gives them (a
/// topic at a time), and builds the tables.
pub fn tone(frame: &DataFrame, lexicon: &ToneLexicon, options: &Options) -> PolarsResult<Tables> {
    let mut laps = crate::timing::Laps::new("tone");
    let frame = frame.clone();
    let items = scored(&frame, lexicon)?;
    laps.lap("scored");
    let item_tone = item_table(&frame, &items)?;
    laps.lap("item_tone");
    let (side_tone, tone_words) = side::tables(&items, lexicon, options)?;
    laps.lap("side_tone, tone_words");
    Ok(Tables {
        item_tone,
        side_tone: sorted(side_tone.lazy(), &[c::TOPIC, col::PERIOD_START, c::PERSPECTIVE_ID, col::KIND])
            .collect()?,
        tone_words,
    })
}

/// **item_tone**: the items' keys (as `item_themes`'s) and scores.
fn item_table(frame: &DataFrame, items: &Items) -> PolarsResult<DataFrame> {
    let n = items.lang.len();
    let scored = |f: &dyn Fn(&score::Summary) -> f64| -> Vec<Option<f64>> {
        (0..n).map(|i| items.scored(i).map(|(_, s)| f(s))).collect()
    };
    let count = |f: fn(&score::Summary) -> u32| -> Vec<Option<i64>> {
        (0..n).map(|i| items.scored(i).map(|(_, s)| i64::from(f(s)))).collect()
    };
    let lexicon: Vec<&str> = items.lang.iter().map(|l| l.map_or("", Lang::name)).collect();
    let mut out = frame.select([c::DIGEST_ID, c::TOPIC, c::SECTION, c::POSITION, col::KIND])?;
    out.with_column(Column::new(col::TONE.into(), scored(&|s| round6(s.tone))))?;
    out.with_column(Column::new(col::POSITIVE.into(), count(|t| t.positive)))?;
    out.with_column(Column::new(col::NEGATIVE.into(), count(|t| t.negative)))?;
    out.with_column(Column::new(col::WORDS.into(), count(|t| t.words)))?;
    out.with_column(Column::new(col::LEXICON.into(), lexicon))?;
    Ok(out)
}
