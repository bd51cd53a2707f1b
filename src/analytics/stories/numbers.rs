//! Numbering by first appearance, which every step's tables share.

use crate::fxhash::FxMap;

/// For numbers given by first appearance (0, 1, …, as [`intern`] and the clustering give
/// them), where each number first appears.
pub fn first_appearances(numbers: &[u32]) -> Vec<usize> {
    let mut firsts = Vec::new();
    for (i, k) in numbers.iter().enumerate() {
        if *k as usize == firsts.len() {
            firsts.push(i);
        }
    }
    firsts
}

/// Each value as a number, the values numbered by first appearance (0, 1, …): equal values,
/// equal numbers.
pub fn intern<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<u32> {
    let mut ids: FxMap<&str, u32> = FxMap::default();
    values
        .into_iter()
        .map(|v| {
            let n = ids.len() as u32;
            *ids.entry(v).or_insert(n)
        })
        .collect()
}
