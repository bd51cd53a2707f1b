//! The items tone is measured over (those themes are counted over: highlights, and titles
//! of known side), each scored in its own language. Held as plain columns: a topic, side or
//! kind is a number into a list of names, and the words that moved each item lie in one
//! flat arena (millions of items, no allocation per item).

use polars::prelude::*;
use rayon::prelude::*;

use super::score::{Lang, Scratch, Summary, ToneLexicon};
use crate::analytics::base::col;
use crate::fxhash::FxMap;
use crate::tables::col as c;

/// Distinct strings of a column, numbered by first appearance, and each row's number.
pub(crate) struct Interned {
    pub(crate) names: Vec<String>,
    pub(crate) of: Vec<u32>,
}

impl Interned {
    fn of(column: &Column) -> PolarsResult<Interned> {
        let mut ids: FxMap<&str, u32> = FxMap::default();
        let mut names = Vec::new();
        let of = column
            .str()?
            .iter()
            .map(|s| {
                let s = s.unwrap_or_default();
                *ids.entry(s).or_insert_with(|| {
                    names.push(s.to_string());
                    (names.len() - 1) as u32
                })
            })
            .collect();
        Ok(Interned { names, of })
    }

    /// Row `i`'s string.
    pub(crate) fn get(&self, i: usize) -> &str {
        &self.names[self.of[i] as usize]
    }
}

/// The items scored, as columns in item order.
pub(crate) struct Items {
    pub(crate) topic: Interned,
    pub(crate) section: Interned,
    pub(crate) kind: Interned,
    pub(crate) period: Interned,
    pub(crate) period_start: Vec<Option<i32>>,
    pub(crate) period_end: Vec<Option<i32>>,
    pub(crate) period_index: Vec<i64>,
    /// The lexicon that scored each item (`None`: no lexicon covers its language).
    pub(crate) lang: Vec<Option<Lang>>,
    pub(crate) summary: Vec<Summary>,
    /// Item `i`'s words that moved it are `moved[start[i]..start[i + 1]]`.
    pub(crate) start: Vec<u32>,
    pub(crate) moved: Vec<(u32, f64)>,
}

/// What one chunk of items scores to.
type Chunk = (Vec<Option<Lang>>, Vec<Summary>, Vec<u32>, Vec<(u32, f64)>);

/// Every item scored in its language, in parallel chunks.
pub(super) fn scored(frame: &DataFrame, lexicon: &ToneLexicon) -> PolarsResult<Items> {
    let texts: Vec<Option<&str>> = frame.column(c::TEXT)?.str()?.iter().collect();
    let languages: Vec<Option<&str>> = frame.column(c::LANGUAGE)?.str()?.iter().collect();
    let chunks: Vec<Chunk> = texts
        .par_chunks(4096)
        .zip(languages.par_chunks(4096))
        .map(|(ts, ls)| {
            let mut scratch = Scratch::default();
            let mut out: Chunk =
                (Vec::with_capacity(ts.len()), Vec::with_capacity(ts.len()), Vec::new(), Vec::new());
            for (t, l) in ts.iter().zip(ls) {
                let lang = Lang::of(*l);
                out.2.push(out.3.len() as u32);
                let s = match lang {
                    Some(lang) => lexicon.score_into(t.unwrap_or_default(), lang, &mut scratch, &mut out.3),
                    None => Summary::default(),
                };
                out.0.push(lang);
                out.1.push(s);
            }
            out
        })
        .collect();
    let (mut lang, mut summary, mut start, mut moved) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (l, s, st, m) in chunks {
        let base = moved.len() as u32;
        lang.extend(l);
        summary.extend(s);
        start.extend(st.into_iter().map(|x| x + base));
        moved.extend(m);
    }
    start.push(moved.len() as u32);
    let days = |name: &str| -> PolarsResult<Vec<Option<i32>>> {
        Ok(frame.column(name)?.cast(&DataType::Int32)?.i32()?.iter().collect())
    };
    Ok(Items {
        topic: Interned::of(frame.column(c::TOPIC)?)?,
        section: Interned::of(frame.column(c::SECTION)?)?,
        kind: Interned::of(frame.column(col::KIND)?)?,
        period: Interned::of(frame.column(col::PERIOD)?)?,
        period_start: days(col::PERIOD_START)?,
        period_end: days(col::PERIOD_END)?,
        period_index: frame.column(col::PERIOD_INDEX)?.i64()?.iter().map(Option::unwrap_or_default).collect(),
        lang,
        summary,
        start,
        moved,
    })
}
