//! One digest file from text, all pure: the frontmatter's rules (zola's `front_matter`
//! shape: deserialize loosely, then check business rules with messages that say what to
//! fix), the sides a layout declares, the body, and the articles with the sides their own
//! file can tell.

use chrono::{DateTime, NaiveDate, Utc};

use crate::body::{self, Body, RawSource};
use crate::frontmatter::{self, RawFrontMatter, Split, SplitError};
use crate::model::{Article, Digest, Layout, Perspective, SideMethod};
use crate::outlets::Registry;
use crate::problems::{kind, Problem, Severity};
use crate::sides::{place_certain, SideRules};
use crate::{lang, source_line};

/// What one file yielded: a digest (or none) and its problems.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct FileOutcome {
    /// The digest, when the file is one and could be read.
    pub digest: Option<Digest>,
    /// Everything noticed on the way, in line order.
    pub problems: Vec<Problem>,
}

impl FileOutcome {
    fn only(problem: Problem) -> Self {
        FileOutcome { digest: None, problems: vec![problem] }
    }
}

/// The stable id of a digest: readable prefix plus a hash of its path, so the same file
/// gets the same id on every run and two re-runs of one day never collide.
pub fn digest_id(topic: &str, date: NaiveDate, source_path: &str) -> String {
    let hex = crate::hash::sha256_prefix_hex(source_path.as_bytes(), 4);
    format!("{topic}-{date}-{hex}")
}

/// File line of a top-level YAML key, for messages about its value.
fn key_line(split: &Split<'_>, key: &str) -> Option<u32> {
    split
        .yaml
        .lines()
        .position(|l| l.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with(':')))
        .map(|i| split.yaml_first_line + i as u32)
}

/// Parses an RFC 3339 `date`; a bare date is read as midnight UTC.
fn parse_date(text: &str) -> Option<(DateTime<Utc>, NaiveDate)> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(text.trim()) {
        return Some((dt.with_timezone(&Utc), dt.date_naive()));
    }
    let d = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
    Some((d.and_hms_opt(0, 0, 0)?.and_utc(), d))
}

/// Parses one file's text (BOM removed). `source_path` is only used in ids and messages.
pub fn parse(source_path: &str, text: &str, registry: &Registry) -> FileOutcome {
    let whole = |severity, kind, msg: &str| Problem::new(source_path, None, severity, kind, msg);
    if text.trim().is_empty() {
        return FileOutcome::only(whole(
            Severity::Error,
            kind::EMPTY_FILE,
            "the file is empty; delete it or regenerate the digest",
        ));
    }
    let split =
        match frontmatter::split(text) {
            Ok(s) => s,
            Err(SplitError::NoFrontmatter) => return FileOutcome::only(whole(
                Severity::Notice,
                kind::NOT_A_DIGEST,
                "Markdown without frontmatter, skipped; if it is a digest, start it with a `---` YAML block",
            )),
            Err(SplitError::Unterminated) => {
                return FileOutcome::only(Problem::new(
                    source_path,
                    Some(1),
                    Severity::Error,
                    kind::INVALID_FRONTMATTER,
                    "the frontmatter opened here is never closed; add a `---` line after the last key",
                ))
            }
        };
    if let Some(problem) = over_limits(source_path, split.yaml) {
        return FileOutcome::only(problem);
    }
    let (fm, cleaned) = match frontmatter::parse(&split) {
        Ok(parsed) => parsed,
        Err((line, msg)) => {
            return FileOutcome::only(Problem::new(
                source_path,
                line,
                Severity::Error,
                kind::INVALID_FRONTMATTER,
                format!("the YAML frontmatter does not parse ({msg}); fix the YAML at this line"),
            ))
        }
    };
    if !fm.looks_like_digest() {
        return FileOutcome::only(whole(
            Severity::Notice,
            kind::NOT_A_DIGEST,
            "frontmatter has no `topic` or `perspectives`, so this is not a digest (e.g. a Hugo section page); skipped",
        ));
    }
    let mut file = File { source_path, split: &split, problems: Vec::new() };
    for line in cleaned {
        file.warn(
            Some(line),
            kind::CONTROL_CHARACTERS,
            "this frontmatter line holds control characters YAML refuses (a mangled emoji, say); they were left out and the rest of the file read; regenerate the digest to be sure".into(),
        );
    }
    match file.digest(&fm, registry) {
        Ok(digest) => {
            let mut problems = file.problems;
            problems.sort_by_key(|p| p.line);
            FileOutcome { digest: Some(digest), problems }
        }
        Err(problem) => FileOutcome::only(problem),
    }
}

/// The error row of a frontmatter over the parser's limits (its size, its nesting), which is
/// then not parsed at all; `None` within them.
fn over_limits(source_path: &str, yaml: &str) -> Option<Problem> {
    let too =
        |kind, message: String| Some(Problem::new(source_path, Some(1), Severity::Error, kind, message));
    if yaml.len() > crate::MAX_FRONTMATTER_BYTES {
        return too(
            kind::FRONTMATTER_TOO_LARGE,
            format!(
                "the frontmatter has {} bytes, over the limit of {} bytes (256 KiB); it was not parsed: a digest's frontmatter is about 1 KB, so check that its closing `---` is where it should be",
                yaml.len(),
                crate::MAX_FRONTMATTER_BYTES
            ),
        );
    }
    let depth = frontmatter::nesting(yaml);
    if depth > frontmatter::MAX_NESTING {
        return too(
            kind::FRONTMATTER_TOO_DEEP,
            format!(
                "the frontmatter nests {depth} levels of `[` and `{{`, over the limit of {}; it was not parsed: a digest's nests two",
                frontmatter::MAX_NESTING
            ),
        );
    }
    None
}

/// The header of a digest: what the frontmatter says besides its sides.
struct Header {
    topic: String,
    published_at: DateTime<Utc>,
    digest_date: NaiveDate,
}

/// One file being read: where messages point, and the problems found so far.
struct File<'a> {
    source_path: &'a str,
    split: &'a Split<'a>,
    problems: Vec<Problem>,
}

impl File<'_> {
    fn problem(&self, line: Option<u32>, severity: Severity, kind: &'static str, msg: String) -> Problem {
        Problem::new(self.source_path, line, severity, kind, msg)
    }

    fn warn(&mut self, line: Option<u32>, kind: &'static str, msg: String) {
        self.problems.push(self.problem(line, Severity::Warning, kind, msg));
    }

    /// An error for a required key that is missing.
    fn missing(&self, key: &str, example: &str) -> Problem {
        self.problem(
            Some(1),
            Severity::Error,
            kind::INVALID_FRONTMATTER,
            format!("the frontmatter has no `{key}`; add e.g. `{key}: {example}`"),
        )
    }

    fn key_line(&self, key: &str) -> Option<u32> {
        key_line(self.split, key)
    }

    /// The whole digest, or the error that stops it.
    fn digest(&mut self, fm: &RawFrontMatter, registry: &Registry) -> Result<Digest, Problem> {
        let header = self.header(fm)?;
        let headings = body::side_headings(self.split.body, self.split.body_first_line);
        let (layout, perspectives) = match fm.perspectives.as_ref().filter(|p| !p.is_empty()) {
            Some(_) => (Layout::Current, self.declared_perspectives(fm)?),
            None if headings.is_empty() && fm.side_count_keys().is_empty() => (Layout::First, self.first()),
            None => (Layout::Older, self.older_perspectives(fm, &headings)),
        };
        let article_count_declared = self.check_counts(fm, &perspectives, layout);
        let split = self.split;
        let body = body::parse(
            self.source_path,
            split.body,
            split.body_first_line,
            &perspectives,
            layout != Layout::Current,
        );
        let Body { highlights, summaries, sources, sources_heading, problems } = body;
        self.problems.extend(problems);
        let article_count_declared = match layout {
            Layout::First => {
                self.check_listed_total(fm.article_count, sources.len(), sources_heading);
                fm.article_count.unwrap_or(u32::try_from(sources.len()).unwrap_or(u32::MAX))
            }
            _ => {
                self.check_listed(&perspectives, sources.len(), sources_heading, layout);
                article_count_declared
            }
        };
        let articles = self.articles(sources, registry);
        let mut digest = Digest {
            digest_id: digest_id(&header.topic, header.digest_date, self.source_path),
            source_path: self.source_path.to_string(),
            topic_name: fm.topic_name.clone().unwrap_or_else(|| header.topic.clone()),
            title: fm.title.clone().unwrap_or_default(),
            topic: header.topic,
            published_at: header.published_at,
            digest_date: header.digest_date,
            draft: fm.draft.unwrap_or(false),
            layout,
            superseded: false,
            article_count_declared,
            declared_sources: fm.sources.clone().unwrap_or_default(),
            perspectives,
            articles,
            highlights,
            summaries,
        };
        // What this file alone can tell; the corpus pass places the rest.
        place_certain(&mut digest, &SideRules::default());
        Ok(digest)
    }

    fn header(&self, fm: &RawFrontMatter) -> Result<Header, Problem> {
        let Some(topic) = fm.topic.clone().filter(|t| !t.trim().is_empty()) else {
            return Err(self.missing("topic", "china-japan"));
        };
        if let Some(why) = crate::names::unsafe_name(&topic) {
            return Err(self.problem(
                self.key_line("topic").or(Some(1)),
                Severity::Error,
                kind::INVALID_TOPIC,
                format!(
                    "`topic: {}` cannot name the topic's folders and files: {why}; write it as a slug of lowercase letters, digits and hyphens, e.g. `topic: china-japan`",
                    crate::names::printable(&topic)
                ),
            ));
        }
        let Some(date_text) = fm.date.as_deref() else {
            return Err(self.missing("date", "2026-01-22T04:00:56.766Z"));
        };
        let Some((published_at, digest_date)) = parse_date(date_text) else {
            return Err(self.problem(
                self.key_line("date").or(Some(1)),
                Severity::Error,
                kind::INVALID_FRONTMATTER,
                format!(
                    "`date: {date_text}` is not an RFC 3339 timestamp; write it like 2026-01-22T04:00:56.766Z"
                ),
            ));
        };
        Ok(Header { topic, published_at, digest_date })
    }

    /// The `perspectives` list of the current layout, checked against the `<id>Sources` keys.
    fn declared_perspectives(&mut self, fm: &RawFrontMatter) -> Result<Vec<Perspective>, Problem> {
        let raw = fm.perspectives.as_deref().unwrap_or_default();
        let line = self.key_line("perspectives");
        let mut perspectives: Vec<Perspective> = Vec::with_capacity(raw.len());
        for p in raw {
            if perspectives.iter().any(|q| q.id == p.id) {
                return Err(self.problem(
                    line,
                    Severity::Error,
                    kind::INVALID_FRONTMATTER,
                    format!("perspective id `{}` is declared twice; give each side its own id", p.id),
                ));
            }
            let declared_count = p.count.unwrap_or_else(|| {
                self.warn(
                    line,
                    kind::COUNT_MISMATCH,
                    format!(
                        "perspective `{}` has no `count`; taken as 0, so sides are inferred from outlets",
                        p.id
                    ),
                );
                0
            });
            let name = p.name.clone().unwrap_or_else(|| p.id.clone());
            perspectives.push(Perspective { id: p.id.clone(), name, declared_count });
        }
        if perspectives.len() < 2 {
            self.problems.push(self.problem(
                line,
                Severity::Warning,
                kind::PERSPECTIVE_MISMATCH,
                "a digest compares two or more perspectives, this one declares one; balance figures for it are trivial".into(),
            ));
        }
        for p in &perspectives {
            let key = format!("{}Sources", p.id);
            match fm.per_side_count(&p.id) {
                Some(Some(n)) if n != u64::from(p.declared_count) => self.warn(
                    self.key_line(&key),
                    kind::COUNT_MISMATCH,
                    format!(
                        "`{key}: {n}` disagrees with the perspective's `count: {}`; the count is used",
                        p.declared_count
                    ),
                ),
                Some(None) => self.warn(
                    self.key_line(&key),
                    kind::COUNT_MISMATCH,
                    format!("`{key}` is not a whole number; ignored"),
                ),
                _ => {}
            }
        }
        Ok(perspectives)
    }

    /// The first layout declares no sides: one notice says so, and that every article of the
    /// file will have none.
    fn first(&mut self) -> Vec<Perspective> {
        self.problems.push(self.problem(
            None,
            Severity::Notice,
            kind::FIRST_LAYOUT,
            "the generator's first layout: no `perspectives`, no `<id>Sources` keys and no side headings, so the digest compares no sides; its bullets are read as overall highlights, its prose as summaries, and its articles have no side (`side_method` `no-sides`)".into(),
        ));
        Vec::new()
    }

    /// The sides of the older layout: its `(<Name> Sources)` headings in order, each matched
    /// to the `<id>Sources` count key that names it; keys no heading names follow. Without
    /// count keys, a side's id is its heading's label (`international` for `International
    /// Perspective (US/International Sources)`).
    fn older_perspectives(
        &mut self,
        fm: &RawFrontMatter,
        headings: &[body::SideHeading],
    ) -> Vec<Perspective> {
        let mut keys = fm.side_count_keys();
        let mut perspectives = Vec::new();
        for h in headings {
            let best = keys
                .iter()
                .enumerate()
                .filter_map(|(i, (id, _))| Some((key_matches_name(id, &h.name)?, i)))
                .max_by_key(|&(score, i)| (score, std::cmp::Reverse(i)));
            let (id, count) = match best {
                Some((_, i)) => {
                    let (id, n) = keys.remove(i);
                    (id, u32::try_from(n).unwrap_or(u32::MAX))
                }
                None => (name_to_id(&h.label), 0),
            };
            if !perspectives.iter().any(|p: &Perspective| p.id == id) {
                perspectives.push(Perspective { id, name: h.name.clone(), declared_count: count });
            }
        }
        for (id, n) in keys {
            let declared_count = u32::try_from(n).unwrap_or(u32::MAX);
            perspectives.push(Perspective { name: id.clone(), id, declared_count });
        }
        self.problems.push(self.problem(
            None,
            Severity::Notice,
            kind::OLDER_LAYOUT,
            format!(
                "the generator's older layout: sides {} from the `<id>Sources` keys and headings, `### Key Points` bullets as highlights, prose as summaries, and each article's side from its feed tag or outlet (the list interleaves the sides)",
                perspectives.iter().map(|p| format!("`{}`", p.id)).collect::<Vec<_>>().join(", ")
            ),
        ));
        perspectives
    }

    /// Checks `articleCount` against the sides' counts; returns the declared article count.
    fn check_counts(&mut self, fm: &RawFrontMatter, perspectives: &[Perspective], layout: Layout) -> u32 {
        let total: u64 = perspectives.iter().map(|p| u64::from(p.declared_count)).sum();
        // The very first files of the older layout declare no counts at all.
        let counted = layout == Layout::Current || !fm.side_count_keys().is_empty();
        match fm.article_count {
            Some(n) => {
                if counted && u64::from(n) != total {
                    self.warn(
                        self.key_line("articleCount"),
                        kind::COUNT_MISMATCH,
                        format!("`articleCount: {n}` differs from the perspectives' counts, which add up to {total}"),
                    );
                }
                n
            }
            None => {
                if counted {
                    self.warn(
                        Some(1),
                        kind::COUNT_MISMATCH,
                        format!("the frontmatter has no `articleCount`; taken as {total}, the sum of the perspectives' counts"),
                    );
                }
                u32::try_from(total).unwrap_or(u32::MAX)
            }
        }
    }

    /// Checks the sides' counts against the listed articles.
    fn check_listed(
        &mut self,
        perspectives: &[Perspective],
        listed: usize,
        heading: Option<u32>,
        layout: Layout,
    ) {
        let total: u64 = perspectives.iter().map(|p| u64::from(p.declared_count)).sum();
        if total == listed as u64 || (layout == Layout::Older && total == 0) {
            return;
        }
        let consequence = match layout {
            Layout::Current => {
                "; sides are inferred from feed tags and from each outlet's side elsewhere in the topic"
            }
            Layout::Older | Layout::First => "",
        };
        self.warn(
            heading.or(Some(self.split.body_first_line)),
            kind::COUNT_MISMATCH,
            format!(
                "the perspectives declare {total} articles but the Sources list has {listed}{consequence}"
            ),
        );
    }

    /// Checks `articleCount` against the listed articles, for a digest without sides.
    fn check_listed_total(&mut self, declared: Option<u32>, listed: usize, heading: Option<u32>) {
        match declared {
            Some(n) if n as usize != listed => self.warn(
                heading.or(Some(self.split.body_first_line)),
                kind::COUNT_MISMATCH,
                format!("`articleCount: {n}` but the Sources list has {listed}"),
            ),
            Some(_) => {}
            None => self.warn(
                Some(1),
                kind::COUNT_MISMATCH,
                format!("the frontmatter has no `articleCount`; taken as {listed}, the articles listed"),
            ),
        }
    }

    /// The articles of the Sources list, in order, with outlet ids, dates and languages;
    /// sides are placed afterwards.
    fn articles(&mut self, sources: Vec<RawSource>, registry: &Registry) -> Vec<Article> {
        let mut expected_position = 1;
        let mut articles = Vec::with_capacity(sources.len());
        for s in sources {
            if s.position != expected_position {
                self.warn(
                    Some(s.line),
                    kind::POSITION_GAP,
                    format!(
                        "source number {} where {expected_position} was expected; a line may be missing",
                        s.position
                    ),
                );
            }
            expected_position = s.position + 1;
            let published_date = s.date.as_deref().and_then(|d| {
                let parsed = source_line::parse_us_date(d);
                if parsed.is_none() {
                    self.warn(
                        Some(s.line),
                        kind::INVALID_ARTICLE_DATE,
                        format!("`({d})` is not a real M/D/YYYY date; the article is kept without a date"),
                    );
                }
                parsed
            });
            let (language, language_method) = lang::with_feed(&s.title, s.feed.as_deref());
            articles.push(Article {
                line: s.line,
                position: s.position,
                perspective_id: None,
                side_method: SideMethod::Unknown,
                outlet_id: registry.resolve(&s.outlet).into_owned(),
                outlet: s.outlet,
                language,
                language_method,
                feed: s.feed,
                title: s.title,
                url: s.url,
                published_date,
            });
        }
        articles
    }
}

/// Lowercase letters and digits of a name, as a side id would spell it.
fn name_to_id(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// How well a `<id>Sources` key names a side heading's `<Name>`: 3 when they spell the same
/// (`venezuelan` / `Venezuelan`), 2 when the id is one of the name's words (`international`
/// / `US/International`), 1 when it starts or extends one (`us` / `USA`); `None` otherwise.
fn key_matches_name(id: &str, name: &str) -> Option<u8> {
    let id = name_to_id(id);
    if id.is_empty() {
        return None;
    }
    if id == name_to_id(name) {
        return Some(3);
    }
    let words: Vec<String> = name.split(|c: char| !c.is_alphanumeric()).map(name_to_id).collect();
    if words.contains(&id) {
        return Some(2);
    }
    words
        .iter()
        .any(|w| w.len().min(id.len()) >= 2 && (w.starts_with(&id) || id.starts_with(w.as_str())))
        .then_some(1)
}

#[cfg(test)]
mod tests {
    use super::key_matches_name;

    #[test]
    fn count_keys_name_headings() {
        assert_eq!(key_matches_name("venezuelan", "Venezuelan"), Some(3));
        assert_eq!(key_matches_name("international", "US/International"), Some(2));
        assert_eq!(key_matches_name("us", "US/International"), Some(2));
        assert_eq!(key_matches_name("unitedStates", "United States"), Some(3));
        assert_eq!(key_matches_name("venezuelan", "US/International"), None);
    }
}
