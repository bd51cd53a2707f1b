//! The outlet registry (`data/outlets.yaml`): canonical ids, aliases, country and ownership.
//!
//! Feeds write the same outlet many ways (`新华网`, `Xinhua`, `xinhuanet.com`); the registry
//! folds them into one `outlet_id`. Outlets it does not know get a stable slug of their
//! name, and the run lists them so the registry can grow.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

/// Who owns an outlet, as far as the registry knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ownership {
    /// Owned or controlled by a state or party.
    State,
    /// Public-service broadcaster with editorial independence by statute.
    Public,
    /// Privately owned.
    Private,
}

impl Ownership {
    /// The lowercase label used in tables and charts.
    pub fn as_str(self) -> &'static str {
        match self {
            Ownership::State => "state",
            Ownership::Public => "public",
            Ownership::Private => "private",
        }
    }
}

/// One outlet of the registry.
#[derive(Debug, Clone, Deserialize)]
pub struct Outlet {
    /// Canonical id (`xinhua`).
    pub id: String,
    /// Display name (`Xinhua News Agency`).
    pub name: String,
    /// Other spellings seen in feeds.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Country slug, matched against perspective ids and names (`china`, `japan`, `us`).
    pub country: String,
    /// Ownership class.
    pub ownership: Ownership,
    /// Where the ownership claim is documented (a reference and the owner, in a few words).
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Deserialize)]
struct File {
    outlets: Vec<Outlet>,
}

/// Lookup from any spelling to the canonical outlet.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    outlets: Vec<Outlet>,
    by_key: HashMap<String, usize>,
    /// Every spelling exactly as listed: the common case, found without making a key.
    spelled: HashMap<String, usize>,
    fingerprint: String,
}

/// Case-, space- and `www.`-insensitive key for matching outlet spellings: `Japan Wire by
/// KYODO NEWS` and `Japan Wire by Kyodo News` are one spelling, and so are `TalCual` and
/// `Tal Cual`. A leading dash or bullet some feeds leave in (`- emisoraatlantico.com.co`)
/// is dropped too.
fn key(name: &str) -> String {
    let lower = name.trim().trim_start_matches(['-', '–', '—', '•', '·', ' ']).to_lowercase();
    let lower = lower.strip_prefix("www.").unwrap_or(&lower);
    lower.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Feeds append a tagline to some outlets' names (`El Nacional — La voz de todos`): the
/// name before a dash or bar, tried when the whole spelling is unknown.
fn without_tagline(name: &str) -> Option<&str> {
    [" — ", " – ", " | ", " - ", ": "]
        .iter()
        .filter_map(|sep| name.find(sep).map(|i| name[..i].trim()))
        .filter(|n| !n.is_empty())
        .min_by_key(|n| n.len())
}

/// A stable id for an outlet the registry does not know: lowercase letters and digits of
/// any script, runs of anything else turned into one `-`.
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "unnamed".to_string()
    } else {
        out
    }
}

impl Registry {
    /// Builds a registry from YAML text; `origin` names it in error messages.
    pub fn from_yaml(text: &str, origin: &str) -> anyhow::Result<Self> {
        let file: File = serde_yaml::from_str(text)
            .with_context(|| format!("{origin}: the outlet registry is not valid; fix the YAML"))?;
        let mut by_key: HashMap<String, usize> = HashMap::new();
        let mut spelled: HashMap<String, usize> = HashMap::new();
        for (i, o) in file.outlets.iter().enumerate() {
            for spelling in std::iter::once(&o.id).chain([&o.name]).chain(&o.aliases) {
                if let Some(&prev) = by_key.get(&key(spelling)) {
                    if prev != i {
                        anyhow::bail!(
                            "{origin}: `{spelling}` is listed for both `{}` and `{}`; keep it under one outlet",
                            file.outlets[prev].id,
                            o.id
                        );
                    }
                }
                by_key.insert(key(spelling), i);
                // Spellings of one key belong to one outlet (refused above otherwise), so
                // an exact match finds what its key finds.
                spelled.insert(spelling.clone(), i);
            }
        }
        let fingerprint = crate::hash::sha256_hex(text.as_bytes());
        Ok(Registry { outlets: file.outlets, by_key, spelled, fingerprint })
    }

    /// Reads the registry file.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the outlet registry {}", path.display()))?;
        Self::from_yaml(&text, &path.display().to_string())
    }

    /// The registry entry for a spelling, if known (also without a tagline the feed added).
    pub fn get(&self, name: &str) -> Option<&Outlet> {
        if let Some(&i) = self.spelled.get(name) {
            return Some(&self.outlets[i]);
        }
        self.by_spelling_key(name)
    }

    /// [`Registry::get`] without the exact-spelling shortcut.
    fn by_spelling_key(&self, name: &str) -> Option<&Outlet> {
        let found = |n: &str| self.by_key.get(&key(n)).map(|&i| &self.outlets[i]);
        found(name).or_else(|| without_tagline(name).and_then(found))
    }

    /// The canonical id for a spelling: the registry's, or a slug of the name.
    pub fn resolve<'a>(&'a self, name: &str) -> Cow<'a, str> {
        match self.get(name) {
            Some(o) => Cow::Borrowed(&o.id),
            None => Cow::Owned(slug(name)),
        }
    }

    /// The outlet with a canonical id.
    pub fn by_id(&self, id: &str) -> Option<&Outlet> {
        self.outlets.iter().find(|o| o.id == id)
    }

    /// Looks up each distinct spelling once: corpora repeat a few hundred outlet names
    /// millions of times, and a lookup normalises its key.
    pub fn memo<'a>(&'a self, names: impl Iterator<Item = &'a str>) -> HashMap<&'a str, Option<&'a Outlet>> {
        let mut memo = HashMap::new();
        for n in names {
            memo.entry(n).or_insert_with(|| self.get(n));
        }
        memo
    }

    /// SHA-256 of the registry's text: parses made with another registry are not reused.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// All outlets, in file order.
    pub fn outlets(&self) -> &[Outlet] {
        &self.outlets
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "outlets:\n  - id: xinhua\n    name: Xinhua News Agency\n    aliases: [新华网, Xinhua, xinhuanet.com]\n    country: china\n    ownership: state\n";

    #[test]
    fn an_exact_spelling_finds_what_its_key_finds() {
        // The shipped registry: every spelling it lists, as listed and as feeds vary it.
        let text = include_str!("../../../data/outlets.yaml");
        let r = Registry::from_yaml(text, "data/outlets.yaml").unwrap();
        let mut names = 0;
        for o in r.outlets() {
            for s in std::iter::once(&o.id).chain([&o.name]).chain(&o.aliases) {
                for name in [s.clone(), s.to_uppercase(), format!("www.{s}"), format!("{s} | Tagline")] {
                    let (quick, slow) = (r.get(&name), r.by_spelling_key(&name));
                    assert_eq!(quick.map(|o| &o.id), slow.map(|o| &o.id), "{name}");
                    names += 1;
                }
                assert_eq!(r.get(s).map(|f| &f.id), Some(&o.id), "{s}");
            }
        }
        assert!(names > 400, "{names}");
        assert!(r.get("An Outlet Nobody Lists").is_none());
    }

    #[test]
    fn aliases_fold_to_one_id() {
        let r = Registry::from_yaml(YAML, "test").unwrap();
        for spelling in [
            "新华网",
            "Xinhua",
            "xinhuanet.com",
            "www.xinhuanet.com",
            "XINHUA",
            "xinhua news  agency",
            "XinhuaNews Agency",
            "- xinhuanet.com",
            "Xinhua — the news agency",
        ] {
            assert_eq!(r.resolve(spelling), "xinhua", "{spelling}");
        }
        assert_eq!(r.resolve("NHK WORLD-JAPAN"), "nhk-world-japan");
    }

    #[test]
    fn slugs_keep_any_script() {
        assert_eq!(slug("РИА Новости"), "риа-новости");
        assert_eq!(slug("news.cgtn.com"), "news-cgtn-com");
        assert_eq!(slug(" -- "), "unnamed");
    }

    #[test]
    fn a_spelling_under_two_outlets_is_refused() {
        let yaml = format!("{YAML}  - id: other\n    name: Other\n    aliases: [Xinhua]\n    country: china\n    ownership: state\n");
        let err = Registry::from_yaml(&yaml, "test").unwrap_err().to_string();
        assert!(err.contains("`Xinhua` is listed for both `xinhua` and `other`"), "{err}");
    }
}
