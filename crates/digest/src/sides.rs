//! Which side each article belongs to. Every rule here is named in the `side_method` column,
//! and the README explains each with an example.
//!
//! The real generator writes a digest's Sources list side by side in frontmatter order: up to
//! `T = floor(cap / k)` articles of each of the k sides, then the rest round-robin over the
//! sides that still have some. With every count at most `T` that is plain blocks, and the
//! list order alone tells each side (`position`). Otherwise the order depends on the cap, so
//! the evidence decides between the orders a cap could give: the feed tags, where a topic's
//! sides have distinct tags, and the sides outlets have in the digests whose order is
//! certain (`generator-order`). Where the order cannot tell at all (the older layout, whose
//! lists are interleaved, and counts that do not add up), the feed tag, the outlet's side in
//! the topic, and the registry's country decide, in that order.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::model::{Digest, Layout, Perspective, SideMethod};
use crate::outlets::Registry;
use crate::problems::{kind, Problem, Severity};

/// The generator's cap on articles per digest when no setting is given (the real
/// generator's, `spec/digest-format.md` §4).
pub const DEFAULT_CAP: u32 = 20;
/// A feed tag names a side when at least this many articles of certain digests carry it…
const FEED_MIN_VOTES: u32 = 3;
/// …and at least this share of them are that side's.
const FEED_MIN_SHARE: f64 = 0.9;
/// Weight of a distinct feed tag against an outlet's side when orders are compared: a tag
/// names the feed exactly, while outlets often write about the other side.
const FEED_WEIGHT: u32 = 3;
/// How much better than the configured cap's order another order must fit the evidence to
/// be chosen (one swapped pair of lines, both agreeing).
const SWITCH_MARGIN: u32 = 2;
/// Orders compared per digest, nearest the cap's first: real digests have a handful (caps
/// of 20 to 26 for counts 13/7); a hostile one with 100,000 lines would otherwise cost
/// 100,000 orders of 100,000 lines.
const MAX_CANDIDATES: usize = 64;

/// Settings of the side rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SideRules {
    /// The generator's cap on articles per digest (`T = floor(cap / k)` per side first).
    /// A digest that lists more articles than the cap raises it for itself.
    pub cap: u32,
}

impl Default for SideRules {
    fn default() -> Self {
        SideRules { cap: DEFAULT_CAP }
    }
}

/// The side index of each line in the generator's order: up to `t` articles of each side in
/// order, then the rest round-robin over the sides that still have some.
pub fn generator_order(counts: &[u32], t: u32) -> Vec<usize> {
    let mut order = Vec::with_capacity(counts.iter().map(|&c| c as usize).sum());
    let mut left = counts.to_vec();
    for (side, (count, left)) in counts.iter().zip(&mut left).enumerate() {
        let first = (*count).min(t);
        order.extend(std::iter::repeat_n(side, first as usize));
        *left -= first;
    }
    while left.iter().any(|&n| n > 0) {
        for (side, n) in left.iter_mut().enumerate().filter(|(_, n)| **n > 0) {
            order.push(side);
            *n -= 1;
        }
    }
    order
}

fn counts(d: &Digest) -> Vec<u32> {
    d.perspectives.iter().map(|p| p.declared_count).collect()
}

/// Whether the list order can tell sides at all: the current layout with declared counts
/// that add up to the listed articles.
fn ordered(d: &Digest) -> bool {
    d.layout == Layout::Current
        && !d.perspectives.is_empty()
        && counts(d).iter().map(|&c| c as usize).sum::<usize>() == d.articles.len()
}

/// The per-side share `T` the cap gives a digest of `n` articles and `k` sides (a digest
/// that lists more than the cap shows the cap was at least `n`).
fn share_of_cap(rules: &SideRules, n: usize, k: usize) -> u32 {
    rules.cap.max(n as u32) / k.max(1) as u32
}

/// The side index of each line when the order does not depend on the cap: plain blocks in
/// frontmatter order, because no side has more than `T` articles (one side only included).
pub fn certain_order(d: &Digest, rules: &SideRules) -> Option<Vec<usize>> {
    if !ordered(d) {
        return None;
    }
    let counts = counts(d);
    let blocks = generator_order(&counts, u32::MAX);
    let t = share_of_cap(rules, d.articles.len(), counts.len());
    (generator_order(&counts, t) == blocks).then_some(blocks)
}

/// Sides by position for a digest whose order is certain, as a single file can tell them.
pub fn place_certain(d: &mut Digest, rules: &SideRules) {
    if d.perspectives.is_empty() {
        no_sides(d);
    } else if let Some(order) = certain_order(d, rules) {
        assign(d, &order, SideMethod::Position);
    }
}

/// A digest that declares no sides (the first layout): no article has one, and that is why.
fn no_sides(d: &mut Digest) {
    for a in &mut d.articles {
        a.perspective_id = None;
        a.side_method = SideMethod::NoSides;
    }
}

/// Places the articles by a list order: `position` when it is plain blocks, else `method`.
fn assign(d: &mut Digest, order: &[usize], method: SideMethod) {
    let method = if order == generator_order(&counts(d), u32::MAX) { SideMethod::Position } else { method };
    for (a, &side) in d.articles.iter_mut().zip(order) {
        a.perspective_id = Some(d.perspectives[side].id.clone());
        a.side_method = method;
    }
}

/// Counts per key (an outlet id or a feed tag) and side.
pub type Tally = BTreeMap<String, BTreeMap<String, u32>>;

/// What the digests of one topic whose order is certain say: the side of each of their
/// articles, per outlet and per feed tag.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Outlet id → side → articles.
    pub outlets: Tally,
    /// Feed tag → side → articles.
    pub feeds: Tally,
}

/// Topic → evidence.
pub type Votes = BTreeMap<String, Evidence>;

fn add(tally: &mut Tally, key: &str, side: &str, n: u32) {
    let sides = match tally.get_mut(key) {
        Some(m) => m,
        None => tally.entry(key.to_string()).or_default(),
    };
    match sides.get_mut(side) {
        Some(c) => *c += n,
        None => {
            sides.insert(side.to_string(), n);
        }
    }
}

impl Evidence {
    /// Adds the evidence of one digest (nothing unless its order is certain).
    pub fn add_digest(&mut self, d: &Digest, rules: &SideRules) {
        let Some(order) = certain_order(d, rules) else { return };
        for (a, side) in d.articles.iter().zip(order) {
            let side = &d.perspectives[side].id;
            add(&mut self.outlets, &a.outlet_id, side, 1);
            if let Some(feed) = &a.feed {
                add(&mut self.feeds, feed, side, 1);
            }
        }
    }

    /// Adds another evidence's counts.
    pub fn add_all(&mut self, other: &Evidence) {
        for (mine, theirs) in [(&mut self.outlets, &other.outlets), (&mut self.feeds, &other.feeds)] {
            for (key, sides) in theirs {
                for (side, n) in sides {
                    add(mine, key, side, *n);
                }
            }
        }
    }
}

/// The evidence of every topic of `digests`.
pub fn votes<'a>(digests: impl IntoIterator<Item = &'a Digest>, rules: &SideRules) -> Votes {
    let mut votes = Votes::new();
    for d in digests {
        match votes.get_mut(&d.topic) {
            Some(e) => e.add_digest(d, rules),
            None => votes.entry(d.topic.clone()).or_default().add_digest(d, rules),
        }
    }
    votes
}

/// What a feed tag says about sides in a topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedSide {
    /// The tag is (nearly) only one side's: it names that side.
    Side(String),
    /// The tag is shared by sides (both feeds `en-US`): it names none.
    Shared,
}

/// The corpus decisions the votes support, per topic.
#[derive(Debug, Default, Clone)]
pub struct Decisions {
    outlets: HashMap<String, HashMap<String, String>>,
    feeds: HashMap<String, HashMap<String, FeedSide>>,
}

/// The side with most votes; ties go to the side that sorts first, so the outcome never
/// depends on reading order.
fn top(sides: &BTreeMap<String, u32>) -> Option<(&String, u32)> {
    sides.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(s, n)| (s, *n))
}

/// The decisions of every topic's evidence.
pub fn decide(votes: &Votes) -> Decisions {
    let mut out = Decisions::default();
    for (topic, e) in votes {
        let outlets =
            e.outlets.iter().filter_map(|(o, sides)| Some((o.clone(), top(sides)?.0.clone()))).collect();
        let feeds = e
            .feeds
            .iter()
            .filter_map(|(f, sides)| {
                let total: u32 = sides.values().sum();
                let (side, n) = top(sides)?;
                (total >= FEED_MIN_VOTES).then(|| {
                    let decision = if f64::from(n) >= FEED_MIN_SHARE * f64::from(total) {
                        FeedSide::Side(side.clone())
                    } else {
                        FeedSide::Shared
                    };
                    (f.clone(), decision)
                })
            })
            .collect();
        out.outlets.insert(topic.clone(), outlets);
        out.feeds.insert(topic.clone(), feeds);
    }
    out
}

impl Decisions {
    /// The side an outlet has in the topic's certain digests.
    pub fn outlet(&self, topic: &str, outlet: &str) -> Option<&str> {
        self.outlets.get(topic)?.get(outlet).map(String::as_str)
    }

    /// What a feed tag says in the topic, if its certain digests carried it often enough.
    pub fn feed(&self, topic: &str, feed: &str) -> Option<&FeedSide> {
        self.feeds.get(topic)?.get(feed)
    }
}

/// The keys of the decisions a digest's sides depend on: its feed tags always (a distinct
/// tag overrides the order), and its outlets when its order is not certain.
pub fn dependencies<'a>(d: &'a Digest, rules: &SideRules) -> (Vec<&'a str>, Vec<&'a str>) {
    let feeds = d.articles.iter().filter_map(|a| a.feed.as_deref()).collect();
    let outlets = if certain_order(d, rules).is_some() {
        Vec::new()
    } else {
        d.articles.iter().map(|a| a.outlet_id.as_str()).collect()
    };
    (outlets, feeds)
}

/// Country names by ISO 3166 region code, for the regions real feeds carry (`en-IN`,
/// `es-VE`) and the registry's country slugs; demonyms match sides named by them.
const COUNTRIES: &[(&str, &str, &[&str])] = &[
    ("US", "us", &["us", "usa", "united states", "america", "american"]),
    ("GB", "uk", &["uk", "united kingdom", "britain", "british"]),
    ("CN", "china", &["china", "chinese", "prc"]),
    ("JP", "japan", &["japan", "japanese"]),
    ("IN", "india", &["india", "indian"]),
    ("PK", "pakistan", &["pakistan", "pakistani"]),
    ("VE", "venezuela", &["venezuela", "venezuelan"]),
    ("TW", "taiwan", &["taiwan", "taiwanese"]),
    ("KR", "south-korea", &["south korea", "korea", "korean", "rok"]),
    ("KP", "north-korea", &["north korea", "dprk"]),
    ("RU", "russia", &["russia", "russian"]),
    ("UA", "ukraine", &["ukraine", "ukrainian"]),
    ("PH", "philippines", &["philippines", "philippine", "filipino"]),
    ("VN", "vietnam", &["vietnam", "viet nam", "vietnamese"]),
    ("IL", "israel", &["israel", "israeli"]),
    ("PS", "palestine", &["palestine", "palestinian"]),
    ("IR", "iran", &["iran", "iranian"]),
    ("CO", "colombia", &["colombia", "colombian"]),
    ("MX", "mexico", &["mexico", "mexican"]),
    ("CU", "cuba", &["cuba", "cuban"]),
    ("BR", "brazil", &["brazil", "brazilian"]),
    ("AR", "argentina", &["argentina", "argentine", "argentinian"]),
    ("HK", "hong-kong", &["hong kong"]),
    ("BD", "bangladesh", &["bangladesh", "bangladeshi"]),
    ("AF", "afghanistan", &["afghanistan", "afghan"]),
    ("DE", "germany", &["germany", "german"]),
    ("FR", "france", &["france", "french"]),
    ("ES", "spain", &["spain", "spanish"]),
    ("TR", "turkey", &["turkey", "türkiye", "turkish"]),
    ("SA", "saudi-arabia", &["saudi arabia", "saudi"]),
    ("AU", "australia", &["australia", "australian"]),
    ("CA", "canada", &["canada", "canadian"]),
];

/// Lowercase alphanumeric words.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Whether a side (by id and name) is the country named `name` (one or more words): its
/// words hold the name's, or one of its words extends or shortens a name of one word by a
/// few letters (`venezuelan` for `venezuela`).
fn side_is(p: &Perspective, name: &str) -> bool {
    let name = words(name);
    [words(&p.id), words(&p.name)].iter().any(|side| {
        side.windows(name.len()).any(|w| w == name.as_slice())
            || side.concat() == name.concat()
            || (name.len() == 1
                && side.iter().any(|w| {
                    let (a, b) = (w.as_str(), name[0].as_str());
                    a.len().min(b.len()) >= 4 && (a.starts_with(b) || b.starts_with(a))
                }))
    })
}

/// The one declared side that is the country with this slug (the registry's) or region code
/// (a feed tag's), if exactly one is.
pub fn side_of_country<'p>(country: &str, perspectives: &'p [Perspective]) -> Option<&'p Perspective> {
    let names: Vec<&str> = COUNTRIES
        .iter()
        .find(|(region, slug, _)| region.eq_ignore_ascii_case(country) || *slug == country)
        .map_or_else(|| vec![country], |(_, _, names)| names.to_vec());
    let mut matching = perspectives.iter().filter(|p| names.iter().any(|n| side_is(p, n)));
    let first = matching.next()?;
    matching.all(|p| p.id == first.id).then_some(first)
}

/// The region subtag of a feed tag (`IN` of `en-IN`).
fn region(feed: &str) -> Option<&str> {
    feed.split('-').skip(1).find(|s| s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// Feed tag → side by the tag's region, when the digest's tags name at least two different
/// sides that way (a topic whose feeds share one tag learns nothing from it).
fn sides_by_region<'p>(d: &'p Digest, decisions: &Decisions) -> HashMap<&'p str, &'p str> {
    let mut by_feed = HashMap::new();
    for feed in d.articles.iter().filter_map(|a| a.feed.as_deref()) {
        if by_feed.contains_key(feed) || decisions.feed(&d.topic, feed) == Some(&FeedSide::Shared) {
            continue;
        }
        if let Some(p) = region(feed).and_then(|r| side_of_country(r, &d.perspectives)) {
            by_feed.insert(feed, p.id.as_str());
        }
    }
    let mut sides: Vec<&str> = by_feed.values().copied().collect();
    sides.sort_unstable();
    sides.dedup();
    if sides.len() < 2 {
        by_feed.clear();
    }
    by_feed
}

/// Places every article of a digest with the corpus decisions, and returns the problems the
/// placement found (sides that cannot be told, tags that contradict the order).
pub fn place(d: &mut Digest, decisions: &Decisions, registry: &Registry, rules: &SideRules) -> Vec<Problem> {
    for a in &mut d.articles {
        a.perspective_id = None;
        a.side_method = SideMethod::Unknown;
    }
    let mut problems = Vec::new();
    if d.perspectives.is_empty() {
        no_sides(d);
    } else if ordered(d) {
        place_by_order(d, decisions, rules, &mut problems);
        correct_by_feed(d, decisions, &mut problems);
    } else {
        infer(d, decisions, registry, &mut problems);
    }
    problems
}

/// The side a distinct feed tag names in this digest, if declared here.
fn feed_side(d: &Digest, decisions: &Decisions, feed: Option<&str>) -> Option<usize> {
    match decisions.feed(&d.topic, feed?)? {
        FeedSide::Side(s) => d.perspectives.iter().position(|p| &p.id == s),
        FeedSide::Shared => None,
    }
}

/// The order of a digest whose counts add up: certain, or the generator's order for the cap
/// the evidence supports best (the configured cap unless another fits clearly better).
fn place_by_order(d: &mut Digest, decisions: &Decisions, rules: &SideRules, problems: &mut Vec<Problem>) {
    if let Some(order) = certain_order(d, rules) {
        assign(d, &order, SideMethod::Position);
        return;
    }
    let counts = counts(d);
    let (n, k) = (d.articles.len(), counts.len());
    let most = counts.iter().copied().max().unwrap_or(0);
    // Every cap from n up gives some T in [floor(n/k), most]; T = most is plain blocks.
    let t0 = share_of_cap(rules, n, k).min(most);
    let evidence: Vec<Option<(usize, u32)>> = d
        .articles
        .iter()
        .map(|a| {
            let declared = |s: &str| d.perspectives.iter().position(|p| p.id == s);
            feed_side(d, decisions, a.feed.as_deref())
                .map(|s| (s, FEED_WEIGHT))
                .or_else(|| decisions.outlet(&d.topic, &a.outlet_id).and_then(declared).map(|s| (s, 1)))
        })
        .collect();
    let score = |t: u32| -> u32 {
        generator_order(&counts, t)
            .iter()
            .zip(&evidence)
            .filter_map(|(side, e)| e.filter(|(s, _)| s == side).map(|(_, w)| w))
            .sum()
    };
    let base = score(t0);
    let mut best = (t0, base);
    let mut candidates: Vec<u32> = ((n / k) as u32..=most).filter(|&t| t != t0).collect();
    candidates.sort_by_key(|&t| t.abs_diff(t0));
    candidates.truncate(MAX_CANDIDATES);
    if most != t0 && !candidates.contains(&most) {
        candidates.push(most);
    }
    for t in candidates {
        let s = score(t);
        if s >= base + SWITCH_MARGIN && s > best.1 {
            best = (t, s);
        }
    }
    if best.0 != t0 {
        problems.push(Problem::new(
            &d.source_path,
            d.articles.first().map(|a| a.line),
            Severity::Warning,
            kind::SIDE_ORDER,
            format!(
                "the feed tags and outlets fit the generator's order with {} per side first (score {}) better than the cap of {} gives ({} per side, score {}); sides follow the evidence, or pass --generator-cap",
                best.0, best.1, rules.cap, t0, base
            ),
        ));
    }
    assign(d, &generator_order(&counts, best.0), SideMethod::GeneratorOrder);
}

/// Where a distinct feed tag names another side than the order gave, the tag wins.
fn correct_by_feed(d: &mut Digest, decisions: &Decisions, problems: &mut Vec<Problem>) {
    let sides: Vec<Option<usize>> =
        d.articles.iter().map(|a| feed_side(d, decisions, a.feed.as_deref())).collect();
    for (a, side) in d.articles.iter_mut().zip(sides) {
        let Some(side) = side else { continue };
        let tagged = &d.perspectives[side].id;
        if a.perspective_id.as_ref() == Some(tagged) {
            continue;
        }
        problems.push(Problem::new(
            &d.source_path,
            Some(a.line),
            Severity::Warning,
            kind::SIDE_CONFLICT,
            format!(
                "the list order puts this article on `{}` ({}), but its feed tag [{}] is `{tagged}`'s in this topic; the tag is used",
                a.perspective_id.as_deref().unwrap_or_default(),
                a.side_method.as_str(),
                a.feed.as_deref().unwrap_or_default(),
            ),
        ));
        a.perspective_id = Some(tagged.clone());
        a.side_method = SideMethod::FeedTag;
    }
}

/// Sides where the list order tells nothing: feed tag, then the outlet's side in the topic,
/// then the registry's country; failing all, unknown with a warning.
fn infer(d: &mut Digest, decisions: &Decisions, registry: &Registry, problems: &mut Vec<Problem>) {
    let by_region = sides_by_region(d, decisions);
    let declared = |s: &str| d.perspectives.iter().find(|p| p.id == s).map(|p| p.id.clone());
    let placed: Vec<(Option<String>, SideMethod)> = d
        .articles
        .iter()
        .map(|a| {
            let tag = feed_side(d, decisions, a.feed.as_deref())
                .map(|i| d.perspectives[i].id.clone())
                .or_else(|| a.feed.as_deref().and_then(|f| by_region.get(f)).map(|s| s.to_string()));
            if let Some(side) = tag {
                return (Some(side), SideMethod::FeedTag);
            }
            if let Some(side) = decisions.outlet(&d.topic, &a.outlet_id).and_then(declared) {
                return (Some(side), SideMethod::Corpus);
            }
            let country = registry.get(&a.outlet).map(|o| o.country.as_str());
            match country.and_then(|c| side_of_country(c, &d.perspectives)) {
                Some(p) => (Some(p.id.clone()), SideMethod::Registry),
                None => (None, SideMethod::Unknown),
            }
        })
        .collect();
    for (a, (side, method)) in d.articles.iter_mut().zip(placed) {
        if side.is_none() {
            problems.push(Problem::new(
                &d.source_path,
                Some(a.line),
                Severity::Warning,
                kind::UNKNOWN_SIDE,
                format!(
                    "the side of `{}` cannot be told: {}, and neither its feed tag, its side elsewhere in the topic nor the outlet registry places it; add the outlet to the registry",
                    a.outlet,
                    match d.layout {
                        Layout::Older => "the older layout interleaves the sides",
                        Layout::Current => "the declared counts do not add up to the list",
                        Layout::First => "the digest declares no sides",
                    }
                ),
            ));
        }
        a.perspective_id = side;
        a.side_method = method;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sides(order: &[usize]) -> String {
        order.iter().map(|&s| (b'A' + s as u8) as char).collect()
    }

    #[test]
    fn the_generator_order_of_the_spec() {
        // Counts 13 and 7, T = floor(20 / 2) = 10: lines 1–10 side 1, 11–17 side 2, 18–20 side 1.
        assert_eq!(sides(&generator_order(&[13, 7], 10)), "AAAAAAAAAABBBBBBBAAA");
        // 12 and 8: 1–10, 11–18, 19–20.
        assert_eq!(sides(&generator_order(&[12, 8], 10)), "AAAAAAAAAABBBBBBBBAA");
        // 0 and 20: all side 2 (T caps it at 10, then round-robin over side 2 alone).
        assert_eq!(sides(&generator_order(&[0, 20], 10)), "BBBBBBBBBBBBBBBBBBBB");
        // Three sides 8, 7, 5 with T = floor(20 / 3) = 6: 6 A, 6 B, 5 C, then A has 2 left
        // and B 1: round-robin A, B, then A.
        assert_eq!(sides(&generator_order(&[8, 7, 5], 6)), "AAAAAABBBBBBCCCCCABA");
        // Equal counts: plain blocks.
        assert_eq!(sides(&generator_order(&[10, 10], 10)), "AAAAAAAAAABBBBBBBBBB");
    }

    fn side(id: &str, name: &str) -> Perspective {
        Perspective { id: id.into(), name: name.into(), declared_count: 0 }
    }

    #[test]
    fn countries_and_regions_name_sides() {
        let venezuela = [side("international", "US/International"), side("venezuelan", "Venezuelan")];
        assert_eq!(side_of_country("VE", &venezuela).map(|p| p.id.as_str()), Some("venezuelan"));
        assert_eq!(side_of_country("US", &venezuela).map(|p| p.id.as_str()), Some("international"));
        let us_china = [side("us", "United States"), side("china", "China")];
        assert_eq!(side_of_country("us", &us_china).map(|p| p.id.as_str()), Some("us"));
        assert_eq!(side_of_country("JP", &us_china), None);
        let india = [side("india", "India"), side("pakistan", "Pakistan")];
        assert_eq!(side_of_country("PK", &india).map(|p| p.id.as_str()), Some("pakistan"));
        // "Korea" is in both Koreas' names only through their region codes' names.
        let koreas = [side("south", "South Korea"), side("north", "North Korea")];
        assert_eq!(side_of_country("KP", &koreas).map(|p| p.id.as_str()), Some("north"));
    }
}
