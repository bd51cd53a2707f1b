//! One-sided coverage and the coverage profile.

use super::*;

impl View<'_> {
    /// Every one-sided finding of a topic.
    pub fn spots(&self, topic: &str) -> anyhow::Result<Vec<Spot>> {
        let s = self.rows(table::BLINDSPOTS, topic, None)?;
        let (kind, side, start, end) = (
            strings(&s, a::KIND)?,
            strings(&s, c::PERSPECTIVE_ID)?,
            dates(&s, a::START_DATE)?,
            dates(&s, a::END_DATE)?,
        );
        let (digests, mean, threshold) =
            (ints(&s, a::DIGESTS)?, floats(&s, a::MEAN_SHARE)?, floats(&s, a::THRESHOLD)?);
        let (period, theme, mentions, items) =
            (strings(&s, a::PERIOD)?, strings(&s, a::THEME)?, ints(&s, a::MENTIONS)?, ints(&s, a::ITEMS)?);
        let (other, other_items) = (strings(&s, a::OTHER_PERSPECTIVE_ID)?, ints(&s, a::OTHER_ITEMS)?);
        let (min_mentions, min_coverage) =
            (ints(&s, "silence_min_mentions")?, floats(&s, a::SILENCE_MIN_COVERAGE)?);
        let mut out = Vec::new();
        for (i, k) in kind.iter().enumerate() {
            match k.as_str() {
                spot::LOW_SHARE_RUN => {
                    let (Some(first), Some(last)) = (start[i], end[i]) else { continue };
                    out.push(Spot::LowShare {
                        side: side[i].clone(),
                        threshold: threshold[i].unwrap_or(0.0),
                        digests: digests[i],
                        first,
                        last,
                        mean_share: mean[i].unwrap_or(0.0),
                    });
                }
                spot::THEME_SILENCE => out.push(Spot::Silence {
                    period: period[i].clone(),
                    theme: theme[i].clone(),
                    raised: Mentions { side: side[i].clone(), mentions: mentions[i], items: items[i] },
                    silent: Mentions { side: other[i].clone(), mentions: 0, items: other_items[i] },
                    rule: SilenceRule {
                        min_mentions: min_mentions[i],
                        min_coverage: min_coverage[i].unwrap_or(0.0),
                    },
                }),
                _ => {}
            }
        }
        Ok(out)
    }

    /// Each side's coverage profile in a topic-period, with its language mix.
    pub fn profile(&self, topic: &str, period: &str) -> anyhow::Result<Vec<Profile>> {
        let p = self.rows(table::COVERAGE_PROFILE, topic, Some(period))?;
        let l = self.rows(table::COVERAGE_LANGUAGES, topic, Some(period))?;
        let languages: Vec<(String, String, f64)> = strings(&l, c::PERSPECTIVE_ID)?
            .into_iter()
            .zip(strings(&l, c::LANGUAGE)?)
            .zip(floats(&l, a::SHARE)?)
            .map(|((side, lang), share)| (side, lang, share.unwrap_or(0.0)))
            .collect();
        let (median, max) = (floats(&p, a::AGE_MEDIAN_DAYS)?, floats(&p, a::AGE_MAX_DAYS)?);
        let (other, own, neither) = (
            floats(&p, a::SHARE_NAMES_OTHER)?,
            floats(&p, a::SHARE_NAMES_SELF)?,
            floats(&p, a::SHARE_NAMES_NEITHER)?,
        );
        let articles = ints(&p, a::ARTICLES)?;
        Ok(strings(&p, c::PERSPECTIVE_ID)?
            .into_iter()
            .enumerate()
            .map(|(i, side)| {
                let mut mix: Vec<LanguageShare> = languages
                    .iter()
                    .filter(|(s, _, _)| *s == side)
                    .map(|(_, l, v)| LanguageShare { language: l.clone(), share: *v })
                    .collect();
                mix.sort_by(|x, y| y.share.total_cmp(&x.share).then(x.language.cmp(&y.language)));
                let names = Naming {
                    other: other[i].unwrap_or(0.0),
                    own: own[i].unwrap_or(0.0),
                    neither: neither[i].unwrap_or(0.0),
                };
                Profile {
                    side,
                    articles: articles[i],
                    age_median: median[i],
                    age_max: max[i],
                    names,
                    languages: mix,
                }
            })
            .collect())
    }
}
