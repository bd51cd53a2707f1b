//! Emerging terms: frequent words and two-word phrases no theme covers yet, ranked against
//! the trailing periods, so analysts can grow the lexicon.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use polars::prelude::*;

use super::base::{col, over, period_keys_and, ratio, Options};
use super::lexicon::{is_cjk, Lexicon, Matcher};
use super::themes::{list_udf, trailing};
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
pub fn emerging_terms(items: LazyFrame, lexicon: &Lexicon, options: &Options) -> LazyFrame {
    let terms = Arc::new(Terms::new(lexicon));
    // Each chunk of texts keeps a memo of which words the lexicon covers.
    let tokenize = list_udf(col(c::TEXT), move |t, memo: &mut HashMap<String, bool>| terms.of_memo(t, memo));
    let keys = period_keys_and(&[col::TERM]);
    // Only the latest periods (plus their trailing window) are tokenised.
    let items = if options.emerging_periods == 0 {
        items
    } else {
        let keep = i64::from(options.emerging_periods + options.trend_window) - 1;
        items.filter(col(col::PERIOD_INDEX).gt_eq(col(col::PERIOD_INDEX).max() - lit(keep)))
    };
    let last_listed = i64::from(options.emerging_periods.max(1)) - 1;
    let counts = items
        .select([
            col(c::TOPIC),
            col(col::PERIOD),
            col(col::PERIOD_START),
            col(col::PERIOD_END),
            col(col::PERIOD_INDEX),
            tokenize.alias(col::TERM),
        ])
        .explode(by_name([col::TERM], true, false), ExplodeOptions { empty_as_null: true, keep_nulls: true })
        .filter(col(col::TERM).is_not_null())
        .group_by(keys)
        .agg([len().cast(DataType::Int64).alias(col::ITEMS)])
        .cache();
    let history =
        trailing(counts.clone(), &[c::TOPIC, col::TERM], col::ITEMS, lit(true), options.trend_window, 1);
    let join_keys = [col(c::TOPIC), col(col::TERM), col(col::PERIOD_INDEX)];
    let tp = [col(c::TOPIC), col(col::PERIOD)];
    let listed = if options.emerging_periods == 0 {
        lit(true)
    } else {
        col(col::PERIOD_INDEX).gt_eq(col(col::PERIOD_INDEX).max() - lit(last_listed))
    };
    counts
        .filter(listed)
        .filter(col(col::ITEMS).gt_eq(lit(options.emerging_min_items as i64)))
        .join(history, join_keys.clone(), join_keys, JoinArgs::new(JoinType::Left))
        .with_column(
            ratio(col("trailing_sum").fill_null(lit(0i64)), lit(options.trend_window as i64))
                .alias(col::TRAILING_MEAN),
        )
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
        ])
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
