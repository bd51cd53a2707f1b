//! The state steps 3 to 6 of story clustering share over one topic's items, taken in
//! order ([`Clusterer`]): the postings of the window, the similarities met, the stories so
//! far. Each step is a file: [`super::blocking`] (3), [`super::link`] (4), [`super::join`]
//! (5, and the stories once every item has joined, which runs step 6 in [`super::merge`]).

use chrono::Datelike;

use super::item::{Item, Titles};
use super::shingles::Vectors;
use crate::analytics::base::StorySettings as Settings;

/// Steps 3 to 6 over one topic's items, taken in order: the postings of the window, the
/// similarities met, the stories so far. `candidates`, `link` and
/// `join` take item `i` through steps 3, 4 and 5; `stories` picks
/// each story's representative and runs step 6.
pub(super) struct Clusterer<'c> {
    pub(super) settings: &'c Settings,
    pub(super) titles: &'c Titles,
    pub(super) vectors: &'c Vectors,
    /// Per title its shingles rarest first, in the vectors' arena layout.
    pub(super) rarest: &'c [u32],
    /// Per title, the openers step 3 needs (`openers_needed`; all when not pruning).
    pub(super) needed: Vec<u32>,
    /// Dates as day numbers: the window test runs for every candidate.
    pub(super) day: Vec<i64>,
    /// Postings per shingle id (ids are dense): the items that have it, in order.
    pub(super) postings: Vec<Vec<u32>>,
    pub(super) story: Vec<u32>,
    /// Per story: its members' dates in order (for the window count) and items.
    pub(super) story_dates: Vec<Vec<i64>>,
    pub(super) story_members: Vec<Vec<usize>>,
    pub(super) centrality: Vec<f64>,
    /// The last item each item was met as a candidate of.
    pub(super) seen: Vec<usize>,
    /// Item `i`'s links: (item, similarity).
    pub(super) links: Vec<(usize, f64)>,
    /// Item `i`'s weights scattered by shingle id.
    pub(super) dense: Vec<f32>,
    /// Per distinct title, its similarity to the current item once computed (`memo_for`:
    /// the item it was computed for): reprints in the window cost one lookup each.
    pub(super) memo: Vec<f64>,
    pub(super) memo_for: Vec<usize>,
    /// The item's candidates and their distinct titles, in the order first met. Appended
    /// without a branch (written, then counted only when new): whether a posting is new is
    /// a coin toss the branch predictor loses, and the walk is most of the clustering.
    pub(super) cands: Vec<usize>,
    pub(super) fresh_texts: Vec<u32>,
}

impl<'c> Clusterer<'c> {
    pub(super) fn new(
        items: &[Item<'_>],
        settings: &'c Settings,
        titles: &'c Titles,
        vectors: &'c Vectors,
        rarest: &'c [u32],
        needed: Vec<u32>,
    ) -> Clusterer<'c> {
        let n = items.len();
        let shingles = rarest.iter().max().map_or(0, |m| *m as usize + 1);
        let most = settings.block_shingles.saturating_mul(settings.block_cap).min(n);
        Clusterer {
            settings,
            titles,
            vectors,
            rarest,
            needed,
            day: items.iter().map(|it| i64::from(it.date.num_days_from_ce())).collect(),
            postings: vec![Vec::new(); shingles],
            story: vec![0u32; n],
            story_dates: Vec::new(),
            story_members: Vec::new(),
            centrality: vec![0f64; n],
            seen: vec![usize::MAX; n],
            links: Vec::new(),
            dense: vec![0f32; shingles],
            memo: vec![0f64; titles.texts.len()],
            memo_for: vec![usize::MAX; titles.texts.len()],
            cands: vec![0usize; most],
            fresh_texts: vec![0u32; most],
        }
    }
}
