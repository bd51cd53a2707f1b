//! The weekly report's "Tone by side" and "Do the highlights rest on their sources?".

use std::collections::BTreeMap;

use super::*;
use crate::analytics::col;
use crate::analytics::grounding::status;

/// Weeks the tone table shows: the report's and the three before.
const TONE_WEEKS: i64 = 4;
/// Words listed per side in the tone notes.
const TONE_WORDS: usize = 5;
/// Flagged bullets listed per topic.
const FLAGGED: usize = 8;

impl TopicBuilder<'_> {
    /// Each side's tone in the last weeks, and the words that moved its titles this week.
    pub(super) fn tone(&self, topic: &str, sides: &Sides) -> anyhow::Result<(Vec<ToneRow>, Vec<String>)> {
        let week = self.opts.week;
        let weeks: Vec<String> = (0..TONE_WEEKS).rev().map(|k| week.minus(k).label()).collect();
        let rows = self.view.side_tone(topic, &weeks)?;
        let mut out = Vec::new();
        for w in &weeks {
            for s in &sides.0 {
                let find =
                    |kind: &str| rows.iter().find(|r| r.period == *w && r.side == s.id && r.kind == kind);
                let (Some(t), h) = (find(col::KIND_TITLE), find(col::KIND_HIGHLIGHT)) else { continue };
                out.push(format::tone_row(w, &s.name, t, h));
            }
        }
        let words = self.view.tone_words(topic, &week.label())?;
        let mut notes = Vec::new();
        // Each side's titles by the list that scored them in the latest of the weeks shown
        // that has a row for them.
        let lists: Vec<(&str, &str)> = sides
            .0
            .iter()
            .filter_map(|s| {
                let r = weeks.iter().rev().find_map(|w| {
                    rows.iter().find(|r| r.side == s.id && r.kind == col::KIND_TITLE && r.period == *w)
                })?;
                Some((s.name.as_str(), r.lexicon.as_str()))
            })
            .collect();
        notes.extend(format::lists_caveat(&lists));
        for s in &sides.0 {
            let w: Vec<(String, i64, f64)> = words
                .iter()
                .filter(|w| w.side == s.id && w.kind == col::KIND_TITLE)
                .take(TONE_WORDS)
                .map(|w| (w.word.clone(), w.occurrences, w.contribution))
                .collect();
            if !w.is_empty() {
                notes.push(format::tone_words_sentence(&s.name, &w));
            }
        }
        Ok((out, notes))
    }

    /// What each side's highlights of the week rest on, and the bullets flagged.
    pub(super) fn grounding(
        &self,
        topic: &str,
        sides: &Sides,
        digests: &[WeekDigest],
    ) -> anyhow::Result<(Vec<GroundingRow>, Vec<String>)> {
        let ids: Vec<String> = digests.iter().map(|d| d.id.clone()).collect();
        let rows = self.view.grounding(topic, &ids)?;
        let per_side = view::count_statuses(rows.iter().map(|r| (r.section.as_str(), r.status.as_str())));
        let table =
            sides.0.iter().filter_map(|s| Some(GroundingRow::of(&s.name, per_side.get(&s.id)?))).collect();
        Ok((table, self.flagged(&rows, sides)?))
    }

    /// The week's cross-attributed and ungrounded bullets, with the titles they rest on.
    fn flagged(&self, rows: &[view::BulletGrounding], sides: &Sides) -> anyhow::Result<Vec<String>> {
        let mut out = Vec::new();
        let mut texts: BTreeMap<&str, Vec<view::Highlight>> = BTreeMap::new();
        let mut titles: BTreeMap<&str, BTreeMap<i64, (String, String)>> = BTreeMap::new();
        for r in
            rows.iter().filter(|r| r.status == status::CROSS_ATTRIBUTED || r.status == status::UNGROUNDED)
        {
            if out.len() == FLAGGED {
                break;
            }
            if !texts.contains_key(r.digest_id.as_str()) {
                texts.insert(&r.digest_id, self.data.highlights(&r.digest_id)?);
            }
            // The bullet: the `position`-th of its section in file order.
            let Some(bullet) = texts[r.digest_id.as_str()]
                .iter()
                .filter(|h| h.section == r.section)
                .nth((r.position - 1).max(0) as usize)
                .map(|h| h.text.clone())
            else {
                continue;
            };
            if !titles.contains_key(r.digest_id.as_str()) {
                titles.insert(&r.digest_id, self.data.titles(&r.digest_id)?);
            }
            let titles = &titles[r.digest_id.as_str()];
            let support: Vec<(String, String)> = r
                .support
                .iter()
                .filter_map(|p| titles.get(p))
                .map(|(t, s)| (t.clone(), format!("{} side", sides.name(s))))
                .collect();
            let sentence = format::flagged_sentence(
                &sides.name(&r.section),
                &bullet,
                &r.status,
                &support,
                r.confidence == "low",
            );
            // A bullet repeated by the week's later digests is listed once.
            if !out.contains(&sentence) {
                out.push(sentence);
            }
        }
        Ok(out)
    }
}
