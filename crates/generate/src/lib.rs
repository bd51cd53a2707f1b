//! The deterministic sample-corpus generator: realistic digests with shifting balance,
//! themes that rise and fade, and every real-world variant of `spec/digest-format.md` §3.
//!
//! The same seed and options always give byte-identical files, so the shipped sample in
//! `data/digests` can be regenerated and benchmark corpora of any size made on demand.

use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate};

/// A tiny deterministic PRNG (SplitMix64): no dependency, stable across platforms.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next_u64() % u64::from(hi - lo + 1)) as u32
    }
    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }
    /// An index drawn with the given non-negative weights.
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

/// An outlet as the feeds spell it, with its language and web host.
struct Outlet {
    name: &'static str,
    lang: &'static str,
    host: &'static str,
}

const fn o(name: &'static str, lang: &'static str, host: &'static str) -> Outlet {
    Outlet { name, lang, host }
}

/// One side of a topic.
struct Side {
    id: &'static str,
    name: &'static str,
    outlets: &'static [Outlet],
}

/// How a quantity moves over the corpus span `t ∈ [0, 1]`.
#[derive(Clone, Copy)]
enum Curve {
    Flat(f64),
    /// Linear from the first value to the second.
    Ramp(f64, f64),
    /// A bump centred at `c` of half-width `w` over a base.
    Spike {
        c: f64,
        w: f64,
        base: f64,
        peak: f64,
    },
}

impl Curve {
    fn at(self, t: f64) -> f64 {
        match self {
            Curve::Flat(v) => v,
            Curve::Ramp(a, b) => a + (b - a) * t,
            Curve::Spike { c, w, base, peak } => {
                let d = ((t - c) / w).abs();
                if d < 1.0 {
                    base + (peak - base) * (1.0 - d)
                } else {
                    base
                }
            }
        }
    }
}

struct Topic {
    slug: &'static str,
    name: &'static str,
    sides: &'static [Side],
    /// Relative weight of each side over time (normalised per digest).
    balance: &'static [Curve],
    /// Theme intensities over time.
    themes: &'static [(Theme, Curve)],
    /// Share of days with a digest.
    frequency: f64,
}

/// Themes of the generator; their words match the `data/themes.yaml` lexicon.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Theme {
    Trade,
    Tourism,
    Military,
    Territory,
    RareEarths,
    Tech,
    Energy,
    Politics,
    Diplomacy,
    UsRelations,
    Economy,
    Disasters,
    Rights,
}

const XINHUA: Outlet = o("新华网", "en-US", "english.news.cn");
const CGTN: Outlet = o("news.cgtn.com", "en-US", "news.cgtn.com");
const GT: Outlet = o("Global Times", "en-US", "www.globaltimes.cn");
const CHINA_DAILY: Outlet = o("China Daily", "en-US", "www.chinadaily.com.cn");
const PEOPLE: Outlet = o("人民网", "zh-CN", "world.people.com.cn");
const SCMP: Outlet = o("South China Morning Post", "en-US", "www.scmp.com");

static CHINA: &[Outlet] = &[XINHUA, SCMP, CGTN, GT, CHINA_DAILY, PEOPLE];
static JAPAN: &[Outlet] = &[
    o("Nikkei Asia", "en-US", "asia.nikkei.com"),
    o("The Japan Times", "en-US", "www.japantimes.co.jp"),
    o("NHK WORLD-JAPAN", "en-US", "www3.nhk.or.jp"),
    o("Kyodo News", "en-US", "english.kyodonews.net"),
    o("読売新聞", "ja-JP", "www.yomiuri.co.jp"),
    o("朝日新聞", "ja-JP", "www.asahi.com"),
    // Not in the registry on purpose: the run lists it so the registry can grow.
    o("Japan Today", "en-US", "japantoday.com"),
];
static US: &[Outlet] = &[
    o("Reuters", "en-US", "www.reuters.com"),
    o("Associated Press", "en-US", "apnews.com"),
    o("The New York Times", "en-US", "www.nytimes.com"),
    o("CNN", "en-US", "edition.cnn.com"),
    o("Bloomberg", "en-US", "www.bloomberg.com"),
    o("The Wall Street Journal", "en-US", "www.wsj.com"),
];
static CHINA_VS_US: &[Outlet] = &[XINHUA, GT, CHINA_DAILY, CGTN, o("环球时报", "zh-CN", "world.huanqiu.com")];
static RUSSIA: &[Outlet] = &[
    o("ТАСС", "ru-RU", "tass.ru"),
    o("РИА Новости", "ru-RU", "ria.ru"),
    o("RT", "en-US", "www.rt.com"),
    o("Интерфакс", "ru-RU", "www.interfax.ru"),
];
static UKRAINE: &[Outlet] = &[
    o("The Kyiv Independent", "en-US", "kyivindependent.com"),
    o("Ukrainska Pravda", "en-US", "www.pravda.com.ua"),
    o("Укрінформ", "uk-UA", "www.ukrinform.ua"),
    o("Kyiv Post", "en-US", "www.kyivpost.com"),
];
static CHINA_SEA: &[Outlet] = &[XINHUA, GT, CGTN, CHINA_DAILY];
static PHILIPPINES: &[Outlet] = &[
    o("Philippine Daily Inquirer", "en-US", "globalnation.inquirer.net"),
    o("The Philippine Star", "en-US", "www.philstar.com"),
    o("Rappler", "en-US", "www.rappler.com"),
    o("GMA News", "en-US", "www.gmanetwork.com"),
];
static VIETNAM: &[Outlet] = &[
    o("VnExpress International", "en-US", "e.vnexpress.net"),
    o("Tuổi Trẻ", "vi-VN", "tuoitre.vn"),
    o("Vietnam News", "en-US", "vietnamnews.vn"),
];

use Curve::{Flat, Ramp, Spike};
use Theme::*;

static TOPICS: &[Topic] = &[
    Topic {
        slug: "china-japan",
        name: "China vs Japan",
        sides: &[
            Side { id: "china", name: "China", outlets: CHINA },
            Side { id: "japan", name: "Japan", outlets: JAPAN },
        ],
        // China's share climbs through the autumn row and peaks in late November, when
        // Japan's side nearly vanishes for a week.
        balance: &[Spike { c: 0.72, w: 0.12, base: 1.0, peak: 7.0 }, Flat(1.0)],
        themes: &[
            (Tourism, Ramp(4.0, 0.1)),
            (RareEarths, Ramp(0.1, 5.0)),
            (Territory, Spike { c: 0.72, w: 0.15, base: 0.5, peak: 4.0 }),
            (Trade, Flat(1.5)),
            (Military, Flat(1.2)),
            (Economy, Flat(1.2)),
            (Politics, Spike { c: 0.9, w: 0.15, base: 0.5, peak: 3.0 }),
            (Diplomacy, Flat(1.0)),
            (UsRelations, Ramp(0.4, 1.5)),
            (Energy, Spike { c: 0.97, w: 0.06, base: 0.3, peak: 4.0 }),
            (Disasters, Flat(0.4)),
        ],
        frequency: 1.0,
    },
    Topic {
        slug: "us-china",
        name: "US vs China",
        sides: &[
            Side { id: "us", name: "US", outlets: US },
            Side { id: "china", name: "China", outlets: CHINA_VS_US },
        ],
        balance: &[Ramp(3.0, 1.6), Flat(1.0)],
        themes: &[
            (Trade, Spike { c: 0.35, w: 0.2, base: 1.5, peak: 5.0 }),
            (Tech, Ramp(1.0, 3.0)),
            (RareEarths, Spike { c: 0.6, w: 0.15, base: 0.3, peak: 3.0 }),
            (Military, Flat(1.0)),
            (Diplomacy, Ramp(0.8, 2.0)),
            (Economy, Flat(1.5)),
            (Rights, Flat(0.6)),
            (Politics, Flat(0.6)),
            (Energy, Flat(0.4)),
        ],
        frequency: 1.0,
    },
    Topic {
        slug: "russia-ukraine",
        name: "Russia vs Ukraine",
        sides: &[
            Side { id: "russia", name: "Russia", outlets: RUSSIA },
            Side { id: "ukraine", name: "Ukraine", outlets: UKRAINE },
        ],
        balance: &[Flat(1.0), Ramp(1.4, 0.8)],
        themes: &[
            (Military, Flat(4.0)),
            (Energy, Spike { c: 0.8, w: 0.2, base: 0.8, peak: 3.5 }),
            (Diplomacy, Ramp(0.5, 2.5)),
            (UsRelations, Ramp(0.5, 2.0)),
            (Rights, Flat(0.8)),
            (Economy, Flat(0.8)),
            (Politics, Flat(0.6)),
            (Disasters, Flat(0.3)),
        ],
        frequency: 1.0,
    },
    Topic {
        slug: "south-china-sea",
        name: "South China Sea",
        sides: &[
            Side { id: "china", name: "China", outlets: CHINA_SEA },
            Side { id: "philippines", name: "Philippines", outlets: PHILIPPINES },
            Side { id: "vietnam", name: "Vietnam", outlets: VIETNAM },
        ],
        balance: &[Flat(1.0), Ramp(1.0, 2.2), Spike { c: 0.4, w: 0.2, base: 0.25, peak: 1.2 }],
        themes: &[
            (Territory, Flat(4.0)),
            (Military, Ramp(1.0, 2.5)),
            (Diplomacy, Flat(1.2)),
            (Energy, Spike { c: 0.4, w: 0.15, base: 0.3, peak: 2.5 }),
            (Disasters, Spike { c: 0.25, w: 0.1, base: 0.2, peak: 2.0 }),
            (UsRelations, Flat(0.8)),
            (Trade, Flat(0.5)),
        ],
        frequency: 0.8,
    },
];

/// English title templates; `{a}` is the outlet's side, `{b}` another side, `{n}` a number.
fn english_titles(theme: Theme) -> &'static [&'static str] {
    match theme {
        Trade => &[
            "{a} slaps new tariffs on {b} goods as trade row deepens",
            "{b} exports to {a} fall {n}% amid tariff threat",
            "Trade talks between {a} and {b} stall over tariff cuts",
            "{a} posts trade deficit for {n}th straight month",
        ],
        Tourism => &[
            "Number of visitors from {b} to {a} plunges {n} pct",
            "{a} tourism goal of {n} million visitors at risk",
            "Hotels in {a} feel the pinch as {b} tourists stay away",
        ],
        Military => &[
            "{a} military holds drills near {b} coast",
            "{a} defense ministry tracks {n} {b} warships",
            "Missile launch raises security alarm in {a}",
            "{a} approves record defense budget of ${n} billion",
        ],
        Territory => &[
            "{a} coast guard confronts {b} vessels near disputed islands",
            "{a} lodges protest over {b} maritime claim",
            "Standoff at disputed reef enters day {n}",
        ],
        RareEarths => &[
            "{b} curbs rare earth exports, hitting {a} automakers",
            "{a} seeks new critical minerals supply to cut reliance on {b}",
            "Rare earths prices jump {n}% as export controls bite",
        ],
        Tech => &[
            "{a} tightens chip export controls on {b}",
            "{a} semiconductor makers race to build AI chips",
            "{b} firms hit by new technology sanctions",
        ],
        Energy => &[
            "{a} restarts nuclear reactor under close scrutiny",
            "LNG deal between {a} and {b} worth ${n} billion",
            "Strikes on energy grid leave {n} thousand without power",
        ],
        Politics => &[
            "Explainer: will the snap election in {a} pay off?",
            "{a} ruling party picks new leader ahead of election",
            "Parliament in {a} passes budget after {n} days of debate",
        ],
        Diplomacy => &[
            "{a} foreign minister meets {b} counterpart",
            "{a} and {b} agree to resume dialogue, FM says",
            "Envoy says summit between {a} and {b} possible within {n} weeks",
        ],
        UsRelations => &[
            "{a} weighs Washington's demands under Trump",
            "US envoy visits {a} to shore up alliance",
            "White House warns {b} over support for {a}",
        ],
        Economy => &[
            "{a} economy grows {n}% in third quarter",
            "{a} stocks slide as investors weigh {b} risks",
            "Central bank in {a} holds interest rates",
        ],
        Disasters => &[
            "{n}.1-magnitude earthquake hits {a}",
            "Typhoon leaves {n} dead in {a}",
            "Floods force thousands from homes in {a}",
        ],
        Rights => &[
            "Court in {a} jails {n} activists under security law",
            "Rights groups urge {a} to free detained journalists",
            "{a} sanctions officials over human rights abuses",
        ],
    }
}

/// Titles in the outlets' own scripts for the languages of the sample.
fn native_titles(theme: Theme, lang: &str) -> &'static [&'static str] {
    match (lang, theme) {
        ("zh-CN", Trade) => &["{b}对{a}商品加征关税 贸易摩擦升级"],
        ("zh-CN", Tourism) => &["赴{a}游客人数下降{n}%"],
        ("zh-CN", Military) => &["{a}军队在{b}附近举行演习"],
        ("zh-CN", Territory) => &["{a}海警在争议岛屿附近执法"],
        ("zh-CN", RareEarths) => &["稀土出口管制影响{b}汽车产业"],
        ("zh-CN", Tech) => &["{b}加强芯片出口管制"],
        ("zh-CN", Diplomacy) => &["外交部：{a}愿与{b}恢复对话"],
        ("zh-CN", Economy) => &["{a}经济前三季度增长{n}%"],
        ("ja-JP", Trade) => &["{b}が関税引き上げ 貿易摩擦が深刻化"],
        ("ja-JP", Tourism) => &["{b}からの観光客が{n}%減少"],
        ("ja-JP", Military) => &["防衛省、{b}軍艦{n}隻を確認"],
        ("ja-JP", Territory) => &["尖閣周辺に{b}海警船 領海侵入"],
        ("ja-JP", RareEarths) => &["レアアース輸出規制 自動車業界に打撃"],
        ("ja-JP", Politics) => &["衆院選 与党が過半数確保の見通し"],
        ("ja-JP", Energy) => &["原発再稼働 地元が同意"],
        ("ru-RU", Military) => {
            &["Минобороны сообщило об ударе по объектам ВСУ", "ПВО сбила {n} беспилотников"]
        }
        ("ru-RU", Energy) => &["Поставки газа в Европу сократились на {n}%"],
        ("ru-RU", Diplomacy) => &["Лавров заявил о готовности к переговорам"],
        ("ru-RU", UsRelations) => &["Кремль прокомментировал заявление Вашингтона"],
        ("ru-RU", Economy) => &["Рубль укрепился на фоне роста цен на нефть"],
        ("uk-UA", Military) => &["Сили оборони відбили {n} атак на фронті"],
        ("uk-UA", Energy) => &["Удар по енергосистемі: без світла {n} тисяч споживачів"],
        ("uk-UA", Diplomacy) => &["Зеленський провів переговори з партнерами"],
        ("vi-VN", Territory) => &["Tàu Trung Quốc xâm phạm vùng biển Việt Nam"],
        ("vi-VN", Military) => &["Hải quân Việt Nam diễn tập gần Trường Sa"],
        _ => &[],
    }
}

/// Highlight sentences per theme; `{a}` is the section's side, `{b}` another.
fn highlight_templates(theme: Theme) -> &'static [&'static str] {
    match theme {
        Trade => &[
            "{a} media focus on the trade dispute and new tariffs on {b} goods.",
            "Trade tensions between {a} and {b} weigh on exporters.",
        ],
        Tourism => &[
            "Tourism flows between {a} and {b} keep falling, hurting hotels and airlines.",
            "{a} reports stress the drop in tourists and visitors from {b}.",
        ],
        Military => &[
            "Military drills and security concerns dominate {a} coverage.",
            "{a} outlets report on defense spending and missile tests.",
        ],
        Territory => &[
            "The dispute over contested islands and maritime claims flares again.",
            "{a} coverage stresses sovereignty over the disputed waters.",
        ],
        RareEarths => &[
            "Export controls on rare earths and critical minerals put supply chains at risk.",
            "{a} seeks alternatives to {b} rare earth supply.",
        ],
        Tech => &[
            "Chip export controls and semiconductor rivalry shape {a} coverage.",
            "Technology sanctions on {b} firms draw attention.",
        ],
        Energy => &[
            "Energy security, from nuclear restarts to gas supply, is in focus.",
            "{a} outlets report on strikes on the power grid and energy deals.",
        ],
        Politics => &[
            "Domestic politics in {a}, including an upcoming election, colour the coverage.",
            "{a} leadership changes are framed as a turning point.",
        ],
        Diplomacy => &[
            "Diplomatic contacts between {a} and {b} resume, with talks planned.",
            "{a} foreign ministry calls for dialogue with {b}.",
        ],
        UsRelations => &[
            "Relations with the US under Trump are a recurring concern in {a}.",
            "{a} weighs Washington's demands on its alliance.",
        ],
        Economy => &[
            "{a} economy shows mixed signals, with markets watching growth data.",
            "Investors in {a} weigh the economic fallout of tensions with {b}.",
        ],
        Disasters => &[
            "An earthquake and storms in {a} draw humanitarian coverage.",
            "Disaster relief efforts in {a} are reported by both sides.",
        ],
        Rights => &[
            "Human rights cases and court rulings in {a} are criticised by {b} outlets.",
            "Press freedom and detained activists feature in {a} coverage.",
        ],
    }
}

fn fill(template: &str, a: &str, b: &str, n: u32) -> String {
    template.replace("{a}", a).replace("{b}", b).replace("{n}", &n.to_string())
}

/// Options of one generated corpus.
#[derive(Debug, Clone)]
pub struct Options {
    /// Seed of every random choice.
    pub seed: u64,
    /// First day.
    pub start: NaiveDate,
    /// Number of days.
    pub days: u32,
    /// How many copies of each topic (suffixed `-2`, `-3`, …) for large benchmark corpora.
    pub copies: u32,
    /// Whether to mix in the §3 real-world variants (drafts, re-runs, odd bullets and source lines, …; the unreadable files are in tests/fixtures/broken).
    pub variants: bool,
    /// Articles per digest, drawn uniformly from this inclusive range.
    pub articles: (u32, u32),
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seed: 2026,
            start: NaiveDate::from_ymd_opt(2025, 7, 7).expect("valid"),
            days: 203,
            copies: 1,
            variants: true,
            articles: (10, 18),
        }
    }
}

/// A generated file: path relative to the corpus root, and bytes.
pub struct GeneratedFile {
    /// Relative path, `topic/yyyy/mm/date-topic.md`.
    pub path: PathBuf,
    /// File content.
    pub bytes: Vec<u8>,
}

/// The reference digest's day, which the sample ships as the real published file.
fn reference_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 22).expect("valid")
}

struct Article {
    lang: Option<&'static str>,
    title: String,
    url: String,
    outlet: &'static str,
    date: Option<NaiveDate>,
}

/// Generates the corpus, calling `emit` for each file in a deterministic order.
pub fn generate(
    opts: &Options,
    mut emit: impl FnMut(GeneratedFile) -> anyhow::Result<()>,
) -> anyhow::Result<usize> {
    let mut count = 0;
    for copy in 1..=opts.copies {
        for (ti, topic) in TOPICS.iter().enumerate() {
            let slug = if copy == 1 { topic.slug.to_string() } else { format!("{}-{copy}", topic.slug) };
            let mut rng = Rng::new(opts.seed ^ ((ti as u64 + 1) << 32) ^ u64::from(copy));
            if opts.variants {
                emit(GeneratedFile {
                    path: PathBuf::from(&slug).join("_index.md"),
                    bytes: format!(
                        "---\ntitle: \"{}\"\n---\n\nDaily digests on {}.\n",
                        topic.name, topic.name
                    )
                    .into_bytes(),
                })?;
                count += 1;
            }
            for day in 0..opts.days {
                let date = opts.start + Duration::days(i64::from(day));
                if rng.unit() > topic.frequency || (slug == "china-japan" && date == reference_day()) {
                    continue;
                }
                let t = f64::from(day) / f64::from(opts.days.max(2) - 1);
                let k = day as usize * 7 + ti;
                let mut files = vec![digest(topic, &slug, date, t, k, opts, &mut rng, 0)];
                if opts.variants && k % 41 == 5 {
                    // A re-run later the same day: the earlier file is superseded.
                    files.push(digest(topic, &slug, date, t, k, opts, &mut rng, 1));
                }
                for f in files {
                    emit(f)?;
                    count += 1;
                }
            }
        }
    }
    Ok(count)
}

/// One digest file. `rerun` 1 is a later regeneration of the same day.
#[allow(clippy::too_many_arguments)]
fn digest(
    topic: &Topic,
    slug: &str,
    date: NaiveDate,
    t: f64,
    k: usize,
    opts: &Options,
    rng: &mut Rng,
    rerun: u32,
) -> GeneratedFile {
    let n_sides = topic.sides.len();
    let (total, counts) = side_counts(topic, t, opts, rng);
    let (by_side, side_themes) = side_articles(topic, date, t, &counts, rng);
    // Listed as the real generator lists them: up to 20 / k per side, then round-robin.
    let mut queues: Vec<_> = by_side.into_iter().map(Vec::into_iter).collect();
    let mut articles: Vec<Article> = biaslens_digest::sides::generator_order(
        &counts,
        biaslens_digest::sides::DEFAULT_CAP / n_sides as u32,
    )
    .into_iter()
    .filter_map(|side| queues[side].next())
    .collect();

    let variant = |m: usize, r: usize| opts.variants && k % m == r;
    if variant(67, 13) {
        articles[0].lang = None;
    }
    if variant(59, 7) {
        let last = articles.len() - 1;
        articles[last].date = None;
    }
    if variant(73, 3) {
        articles[1].title =
            "Analysis: \"Who blinks first?\" [Part 2] - <script>alert('x')</script> & more".into();
        articles[1].url = "https://en.wikipedia.org/wiki/Senkaku_Islands_(dispute)".into();
    }

    let published = date.and_hms_milli_opt(4, 0, rng.range(0, 59), rng.range(0, 999)).expect("valid time")
        + Duration::hours(i64::from(rerun) * 9);
    let date_text = if variant(23, 4) {
        // Written in New York time the evening before the UTC day: the digest date is the local one.
        format!("{}T23:{:02}:00-05:00", date, rng.range(0, 59))
    } else if variant(19, 2) {
        published.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        published.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
    };

    let draft = variant(47, 11) && rerun == 0;
    let mut listed: Vec<&Article> = articles.iter().collect();
    if variant(53, 9) && listed.len() > 3 {
        // A dropped line: the declared counts no longer add up.
        listed.remove(2);
    }

    let mut md = frontmatter(topic, slug, date, &date_text, total, &counts, &articles, draft, variant(17, 6));
    highlights(&mut md, topic, &side_themes, variant, rng);
    sources(&mut md, &listed, total, variant);
    let mut bytes = if variant(29, 3) { md.replace('\n', "\r\n").into_bytes() } else { md.into_bytes() };
    if variant(31, 9) {
        bytes.splice(0..0, [0xEF, 0xBB, 0xBF]);
    }
    let suffix = if rerun > 0 { "-rerun" } else { "" };
    GeneratedFile {
        path: Path::new(slug)
            .join(format!("{}", date.year()))
            .join(format!("{:02}", date.month()))
            .join(format!("{date}-{slug}{suffix}.md")),
        bytes,
    }
}

/// How many articles a digest has, and each side's part: a largest-remainder split of the
/// total by the topic's balance at `t`, so the counts add up exactly.
fn side_counts(topic: &Topic, t: f64, opts: &Options, rng: &mut Rng) -> (u32, Vec<u32>) {
    let n_sides = topic.sides.len();
    let total = rng.range(opts.articles.0, opts.articles.1);
    let weights: Vec<f64> = topic.balance.iter().map(|c| c.at(t) * (0.7 + 0.6 * rng.unit())).collect();
    let sum: f64 = weights.iter().sum();
    // Largest-remainder split of `total` articles by weight, so counts add up exactly.
    let raw: Vec<f64> = weights.iter().map(|w| w / sum * f64::from(total)).collect();
    let mut counts: Vec<u32> = raw.iter().map(|r| r.floor() as u32).collect();
    let mut order: Vec<usize> = (0..n_sides).collect();
    order.sort_by(|&a, &b| (raw[b] - raw[b].floor()).total_cmp(&(raw[a] - raw[a].floor())));
    for &i in order.iter().take((total - counts.iter().sum::<u32>()) as usize) {
        counts[i] += 1;
    }

    (total, counts)
}

/// Each side's articles (titles, outlets, dates) and the theme each was drawn from.
fn side_articles(
    topic: &Topic,
    date: NaiveDate,
    t: f64,
    counts: &[u32],
    rng: &mut Rng,
) -> (Vec<Vec<Article>>, Vec<Vec<Theme>>) {
    let n_sides = topic.sides.len();
    let theme_w: Vec<f64> = topic.themes.iter().map(|(_, c)| c.at(t)).collect();
    let mut by_side: Vec<Vec<Article>> = (0..n_sides).map(|_| Vec::new()).collect();
    let mut side_themes: Vec<Vec<Theme>> = vec![Vec::new(); n_sides];
    for (side_i, side) in topic.sides.iter().enumerate() {
        let other = &topic.sides[(side_i + 1) % n_sides];
        for _ in 0..counts[side_i] {
            let outlet = rng.pick(side.outlets);
            let theme = topic.themes[rng.weighted(&theme_w)].0;
            side_themes[side_i].push(theme);
            let native = native_titles(theme, outlet.lang);
            let (a, b) = if rng.unit() < 0.5 { (side.name, other.name) } else { (other.name, side.name) };
            let template =
                if !native.is_empty() { *rng.pick(native) } else { *rng.pick(english_titles(theme)) };
            let title = fill(template, a, b, rng.range(2, 60));
            let id = rng.next_u64() % 10_000_000;
            let words: String = title
                .split_whitespace()
                .take(6)
                .map(|w| w.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            let url = format!("https://{}/{}/{:02}/{id}/{words}", outlet.host, date.year(), date.month());
            let age = rng.weighted(&[6.0, 3.0, 1.0, 0.5]) as i64;
            by_side[side_i].push(Article {
                lang: Some(outlet.lang),
                title,
                url,
                outlet: outlet.name,
                date: Some(date - Duration::days(age)),
            });
        }
    }
    (by_side, side_themes)
}

/// The frontmatter, up to the overall highlights' heading.
#[allow(clippy::too_many_arguments)]
fn frontmatter(
    topic: &Topic,
    slug: &str,
    date: NaiveDate,
    date_text: &str,
    total: u32,
    counts: &[u32],
    articles: &[Article],
    draft: bool,
    tags: bool,
) -> String {
    let mut md = String::new();
    let names: Vec<String> = {
        let mut seen: Vec<&str> = Vec::new();
        for a in articles {
            if !seen.contains(&a.outlet) {
                seen.push(a.outlet);
            }
        }
        seen.iter().map(|s| format!("\"{s}\"")).collect()
    };
    md.push_str(&format!(
        "---\ntitle: \"{} News - {date}\"\ndate: {date_text}\ntopic: {slug}\ntopicName: \"{}\"\nsources: [{}]\narticleCount: {total}\nperspectives:\n",
        topic.name,
        topic.name,
        names.join(", ")
    ));
    for (i, s) in topic.sides.iter().enumerate() {
        md.push_str(&format!("  - id: \"{}\"\n    name: \"{}\"\n    count: {}\n", s.id, s.name, counts[i]));
    }
    for (i, s) in topic.sides.iter().enumerate() {
        md.push_str(&format!("{}Sources: {}\n", s.id, counts[i]));
    }
    md.push_str(&format!("draft: {draft}\n"));
    if tags {
        md.push_str("tags: [\"news\", \"digest\"]\ncategories: [\"daily\"]\n");
    }
    md.push_str("---\n\n## Overall Highlights\n\n");

    md
}

/// The overall highlights and each side's section.
fn highlights(
    md: &mut String,
    topic: &Topic,
    side_themes: &[Vec<Theme>],
    variant: impl Fn(usize, usize) -> bool,
    rng: &mut Rng,
) {
    let n_sides = topic.sides.len();
    let bullet = if variant(7, 3) {
        "* "
    } else if variant(13, 5) {
        "+ "
    } else {
        "- "
    };
    let all_themes: Vec<Theme> = side_themes.iter().flatten().copied().collect();
    let n_overall = rng.range(3, 6).min(all_themes.len().max(1) as u32);
    for i in 0..n_overall {
        let theme =
            all_themes.get(rng.next_u64() as usize % all_themes.len().max(1)).copied().unwrap_or(Diplomacy);
        let (a, b) = (topic.sides[0].name, topic.sides[1].name);
        let mut text = fill(rng.pick::<&str>(highlight_templates(theme)), a, b, 0);
        if variant(11, 1) && i == 0 {
            text = text.replacen(a, &format!("**{a}**"), 1);
        }
        if variant(29, 8) && i == 1 {
            // A bullet wrapped onto a continuation line.
            let cut = text.find(' ').map(|p| text[p..].find(' ').map_or(p, |q| p + q)).unwrap_or(0);
            if cut > 0 {
                text = format!("{}\n  {}", &text[..cut], &text[cut + 1..]);
            }
        }
        if md.contains(&text) {
            continue;
        }
        md.push_str(&format!("{bullet}{text}\n"));
        if variant(31, 2) && i == 0 {
            md.push_str(&format!("  {bullet}A nested point on [{a}'s view](https://example.org/view).\n"));
        }
    }
    if !variant(37, 0) {
        md.push_str("\n<!--more-->\n");
    }
    for (i, s) in topic.sides.iter().enumerate() {
        md.push_str(&format!("\n## {} Perspective ({} Sources)\n\n", s.name, s.name));
        let other = topic.sides[(i + 1) % n_sides].name;
        let mut seen = Vec::new();
        for theme in side_themes[i].iter().take(4) {
            if seen.contains(theme) {
                continue;
            }
            seen.push(*theme);
            md.push_str(&format!(
                "{bullet}{}\n",
                fill(rng.pick::<&str>(highlight_templates(*theme)), s.name, other, 0)
            ));
        }
    }
}

/// The numbered Sources list.
fn sources(md: &mut String, listed: &[&Article], total: u32, variant: impl Fn(usize, usize) -> bool) {
    md.push_str(&format!(
        "\n## Sources\n\nThis summary is based on {total} articles from the following sources:\n\n"
    ));
    for (i, a) in listed.iter().enumerate() {
        let lang = a.lang.map(|l| format!("[{l}] ")).unwrap_or_default();
        let date = a.date.map(|d| format!(" ({}/{}/{})", d.month(), d.day(), d.year())).unwrap_or_default();
        md.push_str(&format!("{}. {lang}[{}]({}) - {}{date}\n", i + 1, a.title, a.url, a.outlet));
        if variant(43, 10) && i == 4 {
            md.push_str("Read more at the outlets' websites.\n");
        }
    }
}
