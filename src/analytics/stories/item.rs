//! What the story steps pass each other: an article as the clustering reads it ([`Item`]) and
//! a topic's normalised titles ([`Titles`]).

use chrono::NaiveDate;

use crate::analytics::base::StorySettings as Settings;

/// One article of a topic, as the clustering reads it.
#[derive(Debug, Clone)]
pub struct Item<'a> {
    /// The digest's date: the day the article was in the news.
    pub date: NaiveDate,
    /// The title as written.
    pub title: &'a str,
    /// The outlet as written and its registry id, to recognise suffixes naming it.
    pub outlet: &'a str,
    /// See `outlet`.
    pub outlet_id: &'a str,
    /// The title's language (BCP 47), which decides how [`super::bridge`] reads it.
    pub language: Option<&'a str>,
}

/// A topic's normalised titles, each distinct one once: wire copy and reprints repeat
/// titles, and everything computed from a title (its suffix cut, its text, its weighted
/// shingles) is computed once per distinct title, never per article.
#[derive(Debug, Clone, PartialEq)]
pub struct Titles {
    /// The distinct normalised titles, numbered by first appearance.
    pub texts: Vec<String>,
    /// Per item, the number of its normalised title in `texts`.
    pub of: Vec<u32>,
    /// Per text, the number of its language (the primary subtag of its first item's); 0
    /// for a language the bridge does not read, or none. Two titles of different non-zero
    /// languages are compared with [`Settings::cross_threshold`].
    pub language: Vec<u32>,
}

impl Titles {
    /// Item `i`'s normalised title.
    pub fn get(&self, i: usize) -> &str {
        &self.texts[self.of[i] as usize]
    }

    /// The similarity from which texts `a` and `b` link: `cross_threshold` when both are in
    /// languages the bridge reads and the languages differ, `threshold` otherwise.
    pub(super) fn link_threshold(&self, a: usize, b: usize, settings: &Settings) -> f64 {
        let (a, b) = (self.language[a], self.language[b]);
        if a != b && a != 0 && b != 0 {
            settings.cross_threshold
        } else {
            settings.threshold
        }
    }
}
