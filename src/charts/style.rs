//! One place for how charts look: the embedded font, sizes, and a fixed colour per side.

use std::sync::{Once, OnceLock};

use plotters::style::{FontFamily, FontStyle, RGBColor};

/// WenQuanYi Micro Hei (Apache-2.0): Latin, Cyrillic, Vietnamese, Chinese, Japanese and
/// Korean in one face, embedded so PNGs never show tofu on a machine without fonts. Kept
/// zstd-compressed (`zstd -19`: 1.7 MB in the binary instead of 4.6 MB; `zstd -d` gives the
/// font file back) and unpacked once, on first use (a few milliseconds).
static FONT_ZST: &[u8] = include_bytes!("fonts/WenQuanYiMicroHei.ttf.zst");

/// The embedded font file (TrueType).
pub fn font() -> &'static [u8] {
    static FONT: OnceLock<Vec<u8>> = OnceLock::new();
    FONT.get_or_init(|| zstd::stream::decode_all(FONT_ZST).expect("the embedded font decompresses"))
}

/// The embedded font's family name.
pub const FONT_NAME: &str = "WenQuanYi Micro Hei";

/// The family name charts use; registered to the embedded font.
pub const FAMILY: &str = "sans-serif";

/// The CSS font stack the HTML report and SVG text fall back through.
pub const CSS_FONTS: &str =
    "\"WenQuanYi Micro Hei\", \"Noto Sans CJK SC\", \"Noto Sans\", \"Segoe UI\", \"Helvetica Neue\", Arial, sans-serif";

/// Registers the embedded font once per process (for both styles plotters asks for).
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for style in [FontStyle::Normal, FontStyle::Bold] {
            assert!(
                plotters::style::register_font(FAMILY, style, font()).is_ok(),
                "the embedded font parses"
            );
        }
    });
}

/// The font family to draw with.
pub fn family() -> FontFamily<'static> {
    FontFamily::Name(FAMILY)
}

/// Chart width in pixels.
pub const WIDTH: u32 = 960;
/// Title size.
pub const TITLE: f64 = 22.0;
/// Axis and tick label size.
pub const LABEL: f64 = 15.0;
/// Axis description size.
pub const AXIS: f64 = 15.0;
/// Ink for text and axes.
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Light grid lines.
pub const GRID: RGBColor = RGBColor(0xe4, 0xe4, 0xe4);
/// Articles whose side is unknown.
pub const UNKNOWN: RGBColor = RGBColor(0x9e, 0x9e, 0x9e);

/// Fixed colours of well-known sides, so "China" is the same red in every chart and report.
const SIDES: &[(&str, RGBColor)] = &[
    ("china", RGBColor(0xd6, 0x27, 0x28)),
    ("japan", RGBColor(0x5e, 0x3c, 0x99)),
    ("us", RGBColor(0x1f, 0x77, 0xb4)),
    ("russia", RGBColor(0x8c, 0x56, 0x4b)),
    ("ukraine", RGBColor(0xe6, 0xa1, 0x00)),
    ("philippines", RGBColor(0x1b, 0x9e, 0x77)),
    ("vietnam", RGBColor(0xe7, 0x29, 0x8a)),
    ("india", RGBColor(0xff, 0x7f, 0x0e)),
    ("pakistan", RGBColor(0x2c, 0xa0, 0x2c)),
    ("south-korea", RGBColor(0x17, 0xbe, 0xcf)),
    ("north-korea", RGBColor(0x4d, 0x4d, 0x4d)),
    ("taiwan", RGBColor(0xbc, 0xbd, 0x22)),
    ("israel", RGBColor(0x3f, 0x5f, 0xbf)),
    ("iran", RGBColor(0x55, 0xa8, 0x68)),
];

/// Colours for sides the table above does not name, picked by a stable hash of the id.
const EXTRA: &[RGBColor] = &[
    RGBColor(0x66, 0xa6, 0x1e),
    RGBColor(0xa6, 0x76, 0x1d),
    RGBColor(0x75, 0x70, 0xb3),
    RGBColor(0xd9, 0x5f, 0x02),
    RGBColor(0x1f, 0x9e, 0x89),
    RGBColor(0xb1, 0x59, 0x28),
];

/// The colour of a side: fixed for well-known ids, stable for any other.
pub fn side_color(id: &str) -> RGBColor {
    if let Some((_, c)) = SIDES.iter().find(|(s, _)| *s == id) {
        return *c;
    }
    if id.is_empty() {
        return UNKNOWN;
    }
    // FNV-1a: stable across runs and platforms, unlike the std hasher.
    let h =
        id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    EXTRA[(h % EXTRA.len() as u64) as usize]
}

/// Colours for series that are not sides (topics on one chart), by position: distinct for
/// the first ten.
pub fn series_color(i: usize) -> RGBColor {
    const TEN: [RGBColor; 10] = [
        RGBColor(0x1f, 0x77, 0xb4),
        RGBColor(0xff, 0x7f, 0x0e),
        RGBColor(0x2c, 0xa0, 0x2c),
        RGBColor(0xd6, 0x27, 0x28),
        RGBColor(0x94, 0x67, 0xbd),
        RGBColor(0x8c, 0x56, 0x4b),
        RGBColor(0xe3, 0x77, 0xc2),
        RGBColor(0x7f, 0x7f, 0x7f),
        RGBColor(0xbc, 0xbd, 0x22),
        RGBColor(0x17, 0xbe, 0xcf),
    ];
    TEN[i % TEN.len()]
}

/// `#rrggbb` for CSS.
pub fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// White → deep blue, for heatmap cells with a value in [0, 1].
pub fn heat(v: f64) -> RGBColor {
    let t = v.clamp(0.0, 1.0).sqrt();
    let lerp = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    RGBColor(lerp(0xf7, 0x08), lerp(0xfb, 0x30), lerp(0xff, 0x6b))
}
