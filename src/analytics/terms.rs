//! Emerging terms: frequent words and two-word phrases no theme covers yet, ranked against
//! the trailing periods, so analysts can grow the lexicon.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use polars::prelude::*;

use super::base::{col, over, period_keys_and, ratio, Options};
use super::lexicon::{is_cjk, Lexicon, Matcher};
use crate::tables::col as c;

/// Splits text into candidate terms: lowercase words of 3+ letters (Latin or Cyrillic; CJK
/// text has no spaces to split on and is left to the lexicon), stop words, numbers and words
/// the lexicon already covers removed, plus two-word phrases of adjacent kept words. Each
/// term once per text.
pub struct Terms {
    stopwords: HashSet<String>,
    covered: Vec<Arc<Matcher>>,
}

impl Terms {
    /// A tokenizer that drops the lexicon's stop words and anything its themes or sides name.
    pub fn new(lexicon: &Lexicon) -> Self {
        Terms {
            stopwords: lexicon.stopwords.iter().map(|s| s.to_lowercase()).collect(),
            covered: vec![Arc::new(lexicon.theme_matcher()), Arc::new(lexicon.side_matcher(&[]))],
        }
    }

    fn is_covered(&self, text: &str, memo: &mut HashMap<String, bool>) -> bool {
        if let Some(&c) = memo.get(text) {
            return c;
        }
        let c = self.covered.iter().any(|m| !m.find(text).is_empty());
        memo.insert(text.to_string(), c);
        c
    }

    /// The terms of one text.
    pub fn of(&self, text: &str) -> Vec<String> {
        self.of_memo(text, &mut HashMap::new())
    }

    /// The terms of one text, with a memo of which words and phrases the lexicon covers
    /// (texts repeat words far more than they add new ones).
    pub fn of_memo(&self, text: &str, memo: &mut HashMap<String, bool>) -> Vec<String> {
        let lower = text.to_lowercase();
        // Words: runs of letters and digits; an apostrophe ends a word ("japan's" → "japan").
        let words: Vec<&str> = lower.split(|ch: char| !ch.is_alphanumeric() || is_cjk(ch)).collect();
        let mut out: Vec<String> = Vec::new();
        let mut prev: Option<&str> = None;
        for w in words {
            let keep = w.chars().count() >= 3
                && !w.chars().all(|ch| ch.is_ascii_digit())
                && !self.stopwords.contains(w)
                && !self.is_covered(w, memo);
            if keep {
                if let Some(p) = prev {
                    let phrase = format!("{p} {w}");
                    if !self.is_covered(&phrase, memo) && !out.contains(&phrase) {
                        out.push(phrase);
                    }
                }
                if !out.iter().any(|t| t == w) {
                    out.push(w.to_string());
                }
                prev = Some(w);
            } else {
                // A dropped word or punctuation breaks a phrase.
                prev = None;
            }
        }
        out
    }
}

/// **emerging_terms**: for the latest `emerging_periods` periods of the data, per topic and
/// period, the `emerging_top` terms with the highest
/// `score = items / (trailing mean + 1)`, where items counts the period's items containing the
/// term and the trailing mean is over the previous `trend_window` periods (a period without
/// the term counts as 0). Only terms in at least `emerging_min_items` items that are above
/// their trailing mean are listed.
pub fn emerging_terms(items: LazyFrame, lexicon: &Lexicon, options: &Options) -> PolarsResult<LazyFrame> {
    // Only the latest periods (plus their trailing window) are tokenised.
    let items = if options.emerging_periods == 0 {
        items
    } else {
        let keep = i64::from(options.emerging_periods + options.trend_window) - 1;
        items.filter(col(col::PERIOD_INDEX).gt_eq(col(col::PERIOD_INDEX).max() - lit(keep)))
    };
    let mut keys = period_keys_and(&[]);
    keys.push(col(c::TEXT));
    let items = items.select(keys).collect()?;
    let counted = TermCounts::of(&items, &Terms::new(lexicon))?;
    let rows = counted.listed(options);
    // Each listed row's topic-period columns, from the first item of its period.
    let at = IdxCa::from_vec("at".into(), rows.iter().map(|r| counted.periods[r.0 as usize].first).collect());
    let listed =
        items.select([c::TOPIC, col::PERIOD, col::PERIOD_START, col::PERIOD_END])?.take(&at)?.hstack(&[
            Column::new(col::TERM.into(), rows.iter().map(|r| r.1).collect::<Vec<&str>>()),
            Column::new(col::ITEMS.into(), rows.iter().map(|r| r.2).collect::<Vec<i64>>()),
            Column::new("trailing_sum".into(), rows.iter().map(|r| r.3).collect::<Vec<i64>>()),
        ])?;
    let tp = [col(c::TOPIC), col(col::PERIOD)];
    Ok(listed
        .lazy()
        .with_column(ratio(col("trailing_sum"), lit(options.trend_window as i64)).alias(col::TRAILING_MEAN))
        .filter(col(col::ITEMS).cast(DataType::Float64).gt(col(col::TRAILING_MEAN)))
        .with_column(
            (col(col::ITEMS).cast(DataType::Float64) / (col(col::TRAILING_MEAN) + lit(1.0)))
                .alias(col::SCORE),
        )
        .sort(
            [c::TOPIC, col::PERIOD_START, col::SCORE, col::ITEMS, col::TERM],
            SortMultipleOptions::default().with_order_descending_multi([false, false, true, true, false]),
        )
        .with_column(over(col(col::TERM).cum_count(false), tp).cast(DataType::Int64).alias(col::RANK))
        .filter(col(col::RANK).lt_eq(lit(options.emerging_top as i64)))
        .select([
            col(c::TOPIC),
            col(col::PERIOD),
            col(col::PERIOD_START),
            col(col::PERIOD_END),
            col(col::RANK),
            col(col::TERM),
            col(col::ITEMS),
            col(col::TRAILING_MEAN),
            col(col::SCORE),
        ]))
}

/// One topic-period of the items: its topic, where its first item is, and its period number.
struct Period<'a> {
    topic: &'a str,
    first: IdxSize,
    index: i64,
}

/// How many items of each topic-period hold each term, counted in one pass over the items'
/// terms (each text tokenised once, in parallel chunks, each chunk with its memo of the words
/// the lexicon covers): a term is counted once per item that holds it. Topics and terms come
/// from the digests, so they are looked up with std's seeded hashing, not `FxMap`'s.
struct TermCounts<'a> {
    /// The topic-periods, numbered by first item.
    periods: Vec<Period<'a>>,
    /// (topic, period index) → its number in `periods`.
    number: HashMap<(&'a str, i64), u32>,
    /// The terms, numbered by first appearance.
    terms: Vec<String>,
    /// (topic-period number, term number) → items.
    items: HashMap<(u32, u32), i64>,
}

impl<'a> TermCounts<'a> {
    fn of(items: &'a DataFrame, terms: &Terms) -> PolarsResult<TermCounts<'a>> {
        use rayon::prelude::*;
        let topics = items.column(c::TOPIC)?.str()?;
        let index = items.column(col::PERIOD_INDEX)?.i64()?;
        let texts: Vec<Option<&str>> = items.column(c::TEXT)?.str()?.iter().collect();
        let lists: Vec<Vec<String>> = texts
            .par_chunks(2048)
            .flat_map_iter(|chunk| {
                let mut memo = HashMap::new();
                chunk
                    .iter()
                    .map(|t| t.map(|t| terms.of_memo(t, &mut memo)).unwrap_or_default())
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut counts = TermCounts {
            periods: Vec::new(),
            number: HashMap::new(),
            terms: Vec::new(),
            items: HashMap::new(),
        };
        let mut term_number: HashMap<String, u32> = HashMap::new();
        for (i, (found, (topic, period))) in
            lists.into_iter().zip(topics.iter().zip(index.iter())).enumerate()
        {
            let (Some(topic), Some(period)) = (topic, period) else { continue };
            if found.is_empty() {
                continue;
            }
            let next = counts.periods.len() as u32;
            let k = *counts.number.entry((topic, period)).or_insert(next);
            if k == next {
                counts.periods.push(Period { topic, first: i as IdxSize, index: period });
            }
            for term in found {
                let next = counts.terms.len() as u32;
                let t = match term_number.get(&term) {
                    Some(&t) => t,
                    None => {
                        counts.terms.push(term.clone());
                        term_number.insert(term, next);
                        next
                    }
                };
                *counts.items.entry((k, t)).or_insert(0) += 1;
            }
        }
        Ok(counts)
    }

    /// The rows `emerging_terms` ranks: (topic-period number, term, items, the items of the
    /// `trend_window` periods before it), for the terms of at least `emerging_min_items`
    /// items in the latest `emerging_periods` periods that hold a term (every period with 0).
    fn listed(&self, options: &Options) -> Vec<(u32, &str, i64, i64)> {
        let first_listed = match (options.emerging_periods, self.periods.iter().map(|p| p.index).max()) {
            (0, _) | (_, None) => i64::MIN,
            (n, Some(latest)) => latest - (i64::from(n) - 1),
        };
        let mut rows = Vec::new();
        for (&(k, t), &items) in &self.items {
            let p = &self.periods[k as usize];
            if p.index < first_listed || items < i64::from(options.emerging_min_items) {
                continue;
            }
            let before = (1..=i64::from(options.trend_window))
                .filter_map(|o| self.number.get(&(p.topic, p.index - o)))
                .filter_map(|b| self.items.get(&(*b, t)))
                .sum();
            rows.push((k, self.terms[t as usize].as_str(), items, before));
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_skip_stopwords_numbers_and_covered_words() {
        let lex = Lexicon::from_yaml(
            "themes:\n  - id: trade\n    name: Trade\n    keywords: {en: [tariff]}\nsides:\n  japan: [Japan]\nstopwords: [the, on]\n",
            "t",
        )
        .unwrap();
        let t = Terms::new(&lex);
        assert_eq!(
            t.of("Japan's panda fans welcomed; the 2025 tariff on panda fans"),
            ["panda", "panda fans", "fans", "fans welcomed", "welcomed"]
        );
    }

    #[test]
    fn the_built_in_lexicon_leaves_out_the_function_words_and_side_names_of_other_languages() {
        let lex = Lexicon::from_yaml(crate::resources::BUILTIN_LEXICON, "built-in").unwrap();
        let t = Terms::new(&lex);
        // A Spanish title of the Venezuelan feed: its function words, the country's names in
        // Spanish and its own name are no emerging terms; its content words are.
        let terms = t.of(
            "Fijan para junio de 2027 la fecha del juicio contra Maduro por narcotráfico en Estados Unidos",
        );
        // "juicio" is a keyword of the lexicon's Spanish (trial): a theme, not a new term.
        for gone in ["para", "del", "contra", "por", "estados", "unidos", "estados unidos", "juicio"] {
            assert!(!terms.iter().any(|x| x == gone), "{gone} in {terms:?}");
        }
        for kept in ["fijan", "junio", "fecha", "maduro", "narcotráfico"] {
            assert!(terms.iter().any(|x| x == kept), "{kept} not in {terms:?}");
        }
        let terms =
            t.of("Los venezolanos celebran en Caracas la liberación de presos políticos según EE.UU.");
        for gone in ["los", "venezolanos", "caracas", "según"] {
            assert!(!terms.iter().any(|x| x == gone), "{gone} in {terms:?}");
        }
        // English content words that are function words elsewhere stay ("die", "son").
        let terms = t.of("Ten die as son of minister arrested");
        assert!(terms.iter().any(|x| x == "die") && terms.iter().any(|x| x == "son"), "{terms:?}");
    }
}
