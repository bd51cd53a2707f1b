//! Numbering by first appearance, which every step's tables share.

use crate::fxhash::Numbering;

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
/// equal numbers ([`Numbering`]).
pub fn intern<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<u32> {
    let mut numbering = Numbering::default();
    values.into_iter().map(|v| numbering.number(v).0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_numbered_by_first_appearance_whether_or_not_they_repeat_in_a_row() {
        let of = intern(["b", "b", "a", "b", "c", "c", "a", "a", "b"]);
        assert_eq!(of, [0, 0, 1, 0, 2, 2, 1, 1, 0]);
        assert_eq!(first_appearances(&of), [0, 2, 4]);
        assert!(intern([]).is_empty());
    }
}
