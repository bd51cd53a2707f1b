//! The items tone is measured over (those themes are counted over: highlights, and titles
//! of known side), each scored in its own language. Held as plain columns: a topic, side or
//! kind is a number into a list of names, and the words that moved each item lie in one
//! flat arena (millions of items, no allocation per item).

use polars::prelude::*;
use rayon::prelude::*;

use super::score::{Lang, Scratch, Summary, ToneLexicon};
use crate::analytics::base::col;
use crate::analytics::stories::cluster::{first_appearances, intern};
use crate::fxhash::FxMap;
use crate::tables::col as c;

/// Distinct strings of a column, numbered by first appearance, and each row's number.
pub(crate) struct Interned {
    pub(crate) names: Vec<String>,
    pub(crate) of: Vec<u32>,
}

impl Interned {
    fn of(column: &Column) -> PolarsResult<Interned> {
        let values: Vec<&str> = column.str()?.iter().map(Option::unwrap_or_default).collect();
        let of = intern(values.iter().copied());
        let names = first_appearances(&of).into_iter().map(|i| values[i].to_string()).collect();
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
    /// Each item's distinct text (in its language): reprints are scored once.
    pub(crate) text_of: Vec<u32>,
    /// Per distinct text: its score, and the words that moved it,
    /// `moved[start[t]..start[t + 1]]`.
    pub(crate) summary: Vec<Summary>,
    pub(crate) start: Vec<u32>,
    pub(crate) moved: Vec<(u32, f64)>,
}

impl Items {
    /// Item `i`'s score, when a lexicon covers its language.
    pub(crate) fn scored(&self, i: usize) -> Option<(Lang, &Summary)> {
        Some((self.lang[i]?, &self.summary[self.text_of[i] as usize]))
    }

    /// The words that moved item `i`.
    pub(crate) fn moved(&self, i: usize) -> &[(u32, f64)] {
        let t = self.text_of[i] as usize;
        &self.moved[self.start[t] as usize..self.start[t + 1] as usize]
    }
}

/// What one chunk of distinct texts scores to.
type Chunk = (Vec<Summary>, Vec<u32>, Vec<(u32, f64)>);

/// Every item scored in its language: each distinct (text, language) once, in parallel
/// chunks (wire copy and reprints repeat titles, and a topic's highlights repeat too).
pub(super) fn scored(frame: &DataFrame, lexicon: &ToneLexicon) -> PolarsResult<Items> {
    let texts: Vec<Option<&str>> = frame.column(c::TEXT)?.str()?.iter().collect();
    let languages: Vec<Option<&str>> = frame.column(c::LANGUAGE)?.str()?.iter().collect();
    let lang: Vec<Option<Lang>> = languages.iter().map(|l| Lang::of(*l)).collect();
    let mut ids: FxMap<(&str, Lang), u32> = FxMap::default();
    let mut distinct: Vec<(&str, Lang)> = Vec::new();
    let text_of: Vec<u32> = texts
        .iter()
        .zip(&lang)
        .map(|(t, l)| match l {
            Some(l) => *ids.entry((t.unwrap_or_default(), *l)).or_insert_with(|| {
                distinct.push((t.unwrap_or_default(), *l));
                (distinct.len() - 1) as u32
            }),
            None => u32::MAX,
        })
        .collect();
    drop(ids);
    let chunks: Vec<Chunk> = distinct
        .par_chunks(1024)
        .map(|ts| {
            let mut scratch = Scratch::default();
            let mut out: Chunk = (Vec::with_capacity(ts.len()), Vec::with_capacity(ts.len()), Vec::new());
            for (t, l) in ts {
                out.1.push(out.2.len() as u32);
                out.0.push(lexicon.score_into(t, *l, &mut scratch, &mut out.2));
            }
            out
        })
        .collect();
    let (mut summary, mut start, mut moved) = (Vec::new(), Vec::new(), Vec::new());
    for (s, st, m) in chunks {
        let base = moved.len() as u32;
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
        text_of,
        summary,
        start,
        moved,
    })
}
