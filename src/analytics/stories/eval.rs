//! Scoring a clustering against hand labels: pairwise precision and recall (of the pairs
//! put together) and B-cubed (per item: the share of its cluster that belongs with it, and
//! of its true story that it found), with a baseline of exact normalised titles.

use std::collections::HashMap;
use std::hash::Hash;

/// Precision, recall and their harmonic mean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Score {
    fn new(precision: f64, recall: f64) -> Score {
        let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
        Score { precision, recall, f1 }
    }
}

/// Pairwise scores: a pair is predicted when both items share a predicted cluster, true when
/// they share a label. With no pair predicted (or none true) the precision (recall) is 1.
pub fn pairwise<P: Eq, G: Eq>(predicted: &[P], gold: &[G]) -> Score {
    assert_eq!(predicted.len(), gold.len(), "one prediction per label");
    let (mut tp, mut fp, mut fn_) = (0u64, 0u64, 0u64);
    for i in 0..gold.len() {
        for j in i + 1..gold.len() {
            match (predicted[i] == predicted[j], gold[i] == gold[j]) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fn_ += 1,
                (false, false) => {}
            }
        }
    }
    let ratio = |a: u64, b: u64| if a + b == 0 { 1.0 } else { a as f64 / (a + b) as f64 };
    Score::new(ratio(tp, fp), ratio(tp, fn_))
}

/// B-cubed scores: the mean over items of |cluster ∩ story| / |cluster| (precision) and
/// |cluster ∩ story| / |story| (recall).
pub fn bcubed<P: Eq + Hash, G: Eq + Hash>(predicted: &[P], gold: &[G]) -> Score {
    assert_eq!(predicted.len(), gold.len(), "one prediction per label");
    let mut both: HashMap<(&P, &G), f64> = HashMap::new();
    let mut p_size: HashMap<&P, f64> = HashMap::new();
    let mut g_size: HashMap<&G, f64> = HashMap::new();
    for (p, g) in predicted.iter().zip(gold) {
        *both.entry((p, g)).or_default() += 1.0;
        *p_size.entry(p).or_default() += 1.0;
        *g_size.entry(g).or_default() += 1.0;
    }
    let n = gold.len().max(1) as f64;
    let (mut precision, mut recall) = (0.0, 0.0);
    for (p, g) in predicted.iter().zip(gold) {
        let common = both[&(p, g)];
        precision += common / p_size[p];
        recall += common / g_size[g];
    }
    Score::new(precision / n, recall / n)
}

/// Of the true pairs (same label) whose two items differ in `group` (their language), the
/// share the prediction puts together, and how many such pairs there are. With no such
/// pair the recall is 1.
pub fn cross_pair_recall<P: Eq, G: Eq, L: Eq>(predicted: &[P], gold: &[G], group: &[L]) -> (f64, u64) {
    assert!(predicted.len() == gold.len() && gold.len() == group.len(), "one prediction and group per label");
    let (mut found, mut all) = (0u64, 0u64);
    for i in 0..gold.len() {
        for j in i + 1..gold.len() {
            if gold[i] == gold[j] && group[i] != group[j] {
                all += 1;
                found += u64::from(predicted[i] == predicted[j]);
            }
        }
    }
    (if all == 0 { 1.0 } else { found as f64 / all as f64 }, all)
}

/// Of the clusters of `min_items` or more, the share holding more than one `group`, and
/// how many such clusters there are (a share of 0 when there are none).
pub fn mixed_share<P: Eq + Hash, L: Eq + Hash>(
    clusters: &[P],
    group: &[L],
    min_items: usize,
) -> (f64, usize) {
    assert_eq!(clusters.len(), group.len(), "one group per item");
    let mut members: HashMap<&P, Vec<&L>> = HashMap::new();
    for (c, g) in clusters.iter().zip(group) {
        members.entry(c).or_default().push(g);
    }
    let big: Vec<&Vec<&L>> = members.values().filter(|m| m.len() >= min_items).collect();
    let mixed = big.iter().filter(|m| m.iter().any(|g| *g != m[0])).count();
    (if big.is_empty() { 0.0 } else { mixed as f64 / big.len() as f64 }, big.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_pairs_and_mixed_clusters_worked_by_hand() {
        // Gold {a es, b en, c en} {d es}; predicted {a, b} {c, d}.
        // True pairs across languages: ab, ac (bc is en–en) → 2; predicted together: ab → 1/2.
        let gold = ["x", "x", "x", "y"];
        let lang = ["es", "en", "en", "es"];
        assert_eq!(cross_pair_recall(&[1, 1, 2, 2], &gold, &lang), (0.5, 2));
        // Clusters of 2+: {a, b} mixed, {c, d} mixed → 2 of 2; of 3+: none.
        assert_eq!(mixed_share(&[1, 1, 2, 2], &lang, 2), (1.0, 2));
        assert_eq!(mixed_share(&[1, 1, 2, 2], &lang, 3), (0.0, 0));
        // {a, b, c} one cluster of three holding both languages, {d} alone: 1 of 1.
        assert_eq!(mixed_share(&[1, 1, 1, 2], &lang, 3), (1.0, 1));
        assert_eq!(mixed_share(&[1, 1, 1, 2], &["en", "en", "en", "es"], 3), (0.0, 1));
    }

    #[test]
    fn scores_worked_by_hand() {
        // Gold {a, b, c} {d}; predicted {a, b} {c, d}.
        // Pairs: true ab ac bc; predicted ab cd → tp 1 (ab), fp 1 (cd), fn 2 (ac, bc).
        // Pairwise P = 1/2, R = 1/3, F1 = 2·(1/6)/(5/6) = 0.4.
        let gold = ["x", "x", "x", "y"];
        let pred = [1, 1, 2, 2];
        let s = pairwise(&pred, &gold);
        assert_eq!((s.precision, s.recall), (0.5, 1.0 / 3.0));
        assert!((s.f1 - 0.4).abs() < 1e-12);
        // B-cubed precision: a 2/2, b 2/2, c 1/2, d 1/2 → 3/4.
        // Recall: a 2/3, b 2/3, c 1/3, d 1/1 → (8/3)/4 = 2/3.
        let b = bcubed(&pred, &gold);
        assert!((b.precision - 0.75).abs() < 1e-12);
        assert!((b.recall - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn singletons_everywhere_have_full_precision_and_no_pair_recall() {
        let gold = ["x", "x", "y"];
        let pred = [1, 2, 3];
        assert_eq!(pairwise(&pred, &gold), Score::new(1.0, 0.0));
    }
}
