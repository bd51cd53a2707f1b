//! One digest file from text: frontmatter rules, body, and side-by-position, all pure.

use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest as _, Sha256};

use crate::model::{Article, Digest, Perspective, SideMethod};
use crate::outlets::Registry;
use crate::problems::{kind, Problem, Severity};

use super::frontmatter::{self, RawFrontMatter, Split, SplitError};
use super::{body, source_line};

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
    let hash = Sha256::digest(source_path.as_bytes());
    let hex: String = hash[..4].iter().map(|b| format!("{b:02x}")).collect();
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
    let whole = |severity, kind, msg: String| Problem::new(source_path, None, severity, kind, msg);
    if text.trim().is_empty() {
        return FileOutcome::only(whole(
            Severity::Error,
            kind::EMPTY_FILE,
            "the file is empty; delete it or regenerate the digest".into(),
        ));
    }
    let split =
        match frontmatter::split(text) {
            Ok(s) => s,
            Err(SplitError::NoFrontmatter) => return FileOutcome::only(whole(
                Severity::Notice,
                kind::NOT_A_DIGEST,
                "Markdown without frontmatter, skipped; if it is a digest, start it with a `---` YAML block"
                    .into(),
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
    let fm = match frontmatter::parse(&split) {
        Ok(fm) => fm,
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
            "frontmatter has no `topic` or `perspectives`, so this is not a digest (e.g. a Hugo section page); skipped".into(),
        ));
    }
    build(source_path, &split, fm, registry)
}

fn build(source_path: &str, split: &Split<'_>, fm: RawFrontMatter, registry: &Registry) -> FileOutcome {
    let mut problems = Vec::new();
    let at =
        |line: Option<u32>, severity, kind, msg: String| Problem::new(source_path, line, severity, kind, msg);
    let missing = |key: &str, example: &str| {
        FileOutcome::only(at(
            Some(1),
            Severity::Error,
            kind::INVALID_FRONTMATTER,
            format!("the frontmatter has no `{key}`; add e.g. `{key}: {example}`"),
        ))
    };

    let Some(topic) = fm.topic.clone().filter(|t| !t.trim().is_empty()) else {
        return missing("topic", "china-japan");
    };
    let Some(date_text) = fm.date.clone() else {
        return missing("date", "2026-01-22T04:00:56.766Z");
    };
    let Some((published_at, digest_date)) = parse_date(&date_text) else {
        return FileOutcome::only(at(
            key_line(split, "date").or(Some(1)),
            Severity::Error,
            kind::INVALID_FRONTMATTER,
            format!(
                "`date: {date_text}` is not an RFC 3339 timestamp; write it like 2026-01-22T04:00:56.766Z"
            ),
        ));
    };
    let Some(raw_perspectives) = fm.perspectives.as_ref().filter(|p| !p.is_empty()) else {
        return missing("perspectives", "[{id: china, name: China, count: 10}, …]");
    };

    let persp_line = key_line(split, "perspectives");
    let mut perspectives: Vec<Perspective> = Vec::with_capacity(raw_perspectives.len());
    for p in raw_perspectives {
        if perspectives.iter().any(|q| q.id == p.id) {
            return FileOutcome::only(at(
                persp_line,
                Severity::Error,
                kind::INVALID_FRONTMATTER,
                format!("perspective id `{}` is declared twice; give each side its own id", p.id),
            ));
        }
        let declared_count = p.count.unwrap_or_else(|| {
            problems.push(at(
                persp_line,
                Severity::Warning,
                kind::COUNT_MISMATCH,
                format!(
                    "perspective `{}` has no `count`; taken as 0, so sides are inferred from outlets",
                    p.id
                ),
            ));
            0
        });
        perspectives.push(Perspective {
            id: p.id.clone(),
            name: p.name.clone().unwrap_or_else(|| p.id.clone()),
            declared_count,
        });
    }
    if perspectives.len() < 2 {
        problems.push(at(
            persp_line,
            Severity::Warning,
            kind::PERSPECTIVE_MISMATCH,
            "a digest compares two or more perspectives, this one declares one; balance figures for it are trivial".into(),
        ));
    }
    for p in &perspectives {
        match fm.per_side_count(&p.id) {
            Some(Some(n)) if n != u64::from(p.declared_count) => problems.push(at(
                key_line(split, &format!("{}Sources", p.id)),
                Severity::Warning,
                kind::COUNT_MISMATCH,
                format!(
                    "`{}Sources: {n}` disagrees with the perspective's `count: {}`; the count is used",
                    p.id, p.declared_count
                ),
            )),
            Some(None) => problems.push(at(
                key_line(split, &format!("{}Sources", p.id)),
                Severity::Warning,
                kind::COUNT_MISMATCH,
                format!("`{}Sources` is not a whole number; ignored", p.id),
            )),
            _ => {}
        }
    }
    let counts_total: u32 = perspectives.iter().map(|p| p.declared_count).sum();
    let article_count_declared = match fm.article_count {
        Some(n) => {
            if n != counts_total {
                problems.push(at(
                    key_line(split, "articleCount"),
                    Severity::Warning,
                    kind::COUNT_MISMATCH,
                    format!("`articleCount: {n}` differs from the perspectives' counts, which add up to {counts_total}"),
                ));
            }
            n
        }
        None => {
            problems.push(at(
                Some(1),
                Severity::Warning,
                kind::COUNT_MISMATCH,
                format!("the frontmatter has no `articleCount`; taken as {counts_total}, the sum of the perspectives' counts"),
            ));
            counts_total
        }
    };

    let body = body::parse(source_path, split.body, split.body_first_line, &perspectives);
    problems.extend(body.problems);

    let listed = body.sources.len() as u32;
    let by_position = counts_total == listed;
    if !by_position {
        problems.push(at(
            body.sources_heading.or(Some(split.body_first_line)),
            Severity::Warning,
            kind::COUNT_MISMATCH,
            format!(
                "the perspectives declare {counts_total} articles but the Sources list has {listed}; sides are inferred from each outlet's side elsewhere in the corpus"
            ),
        ));
    }
    // The Sources list is written side by side in frontmatter order: the first count₁ lines
    // belong to the first perspective, and so on.
    let mut side_of_index =
        perspectives.iter().flat_map(|p| std::iter::repeat_n(p.id.as_str(), p.declared_count as usize));
    let mut expected_position = 1;
    let articles = body
        .sources
        .into_iter()
        .map(|s| {
            if s.position != expected_position {
                problems.push(at(
                    Some(s.line),
                    Severity::Warning,
                    kind::POSITION_GAP,
                    format!(
                        "source number {} where {expected_position} was expected; a line may be missing",
                        s.position
                    ),
                ));
            }
            expected_position = s.position + 1;
            let side = side_of_index.next().filter(|_| by_position);
            let published_date = s.date.as_deref().and_then(|d| {
                let parsed = source_line::parse_us_date(d);
                if parsed.is_none() {
                    problems.push(at(
                        Some(s.line),
                        Severity::Warning,
                        kind::INVALID_ARTICLE_DATE,
                        format!("`({d})` is not a real M/D/YYYY date; the article is kept without a date"),
                    ));
                }
                parsed
            });
            Article {
                line: s.line,
                position: s.position,
                side_method: if side.is_some() { SideMethod::Position } else { SideMethod::Unknown },
                perspective_id: side.map(str::to_string),
                outlet_id: registry.resolve(&s.outlet).into_owned(),
                outlet: s.outlet,
                language: s.language,
                title: s.title,
                url: s.url,
                published_date,
            }
        })
        .collect();

    problems.sort_by_key(|p| p.line);
    FileOutcome {
        digest: Some(Digest {
            digest_id: digest_id(&topic, digest_date, source_path),
            source_path: source_path.to_string(),
            topic_name: fm.topic_name.clone().unwrap_or_else(|| topic.clone()),
            title: fm.title.clone().unwrap_or_default(),
            topic,
            published_at,
            digest_date,
            draft: fm.draft.unwrap_or(false),
            superseded: false,
            article_count_declared,
            declared_sources: fm.sources.clone().unwrap_or_default(),
            perspectives,
            articles,
            highlights: body.highlights,
        }),
        problems,
    }
}
