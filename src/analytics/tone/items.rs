//! The items tone is measured over (those themes are counted over: highlights, and titles
//! of known side), each scored in its own language.

use polars::prelude::*;

use super::score::{self, Lang, ToneLexicon};
use crate::analytics::base::col;
use crate::tables::col as c;

/// The items scored, as columns in item order.
pub(crate) struct Items {
    pub(crate) topic: Vec<String>,
    pub(crate) section: Vec<String>,
    pub(crate) kind: Vec<String>,
    pub(crate) period: Vec<String>,
    pub(crate) period_start: Vec<Option<i32>>,
    pub(crate) period_end: Vec<Option<i32>>,
    pub(crate) period_index: Vec<i64>,
    pub(crate) scored: Vec<Option<(Lang, score::Scored)>>,
}

/// Every item scored in its language, in parallel.
pub(super) fn scored(frame: &DataFrame, lexicon: &ToneLexicon) -> PolarsResult<Items> {
    use rayon::prelude::*;
    let strings = |name: &str| -> PolarsResult<Vec<String>> {
        Ok(frame.column(name)?.str()?.iter().map(|s| s.unwrap_or_default().to_string()).collect())
    };
    let texts: Vec<Option<&str>> = frame.column(c::TEXT)?.str()?.iter().collect();
    let languages: Vec<Option<&str>> = frame.column(c::LANGUAGE)?.str()?.iter().collect();
    let scored = texts
        .par_iter()
        .zip(languages.par_iter())
        .map(|(t, l)| {
            let lang = Lang::of(*l)?;
            Some((lang, lexicon.score(t.unwrap_or_default(), lang)))
        })
        .collect();
    let days = |name: &str| -> PolarsResult<Vec<Option<i32>>> {
        Ok(frame.column(name)?.cast(&DataType::Int32)?.i32()?.iter().collect())
    };
    Ok(Items {
        topic: strings(c::TOPIC)?,
        section: strings(c::SECTION)?,
        kind: strings(col::KIND)?,
        period: strings(col::PERIOD)?,
        period_start: days(col::PERIOD_START)?,
        period_end: days(col::PERIOD_END)?,
        period_index: frame.column(col::PERIOD_INDEX)?.i64()?.iter().map(Option::unwrap_or_default).collect(),
        scored,
    })
}
