//! SVG → PNG with resvg, and SVG → SVG with its text drawn as outlines, both with only the
//! embedded font: the PNG and the outlined SVG look the same on any machine, fonts
//! installed or not (a browser without CJK fonts shows `新华网` in the page, not boxes).

use std::sync::{Arc, OnceLock};

use anyhow::Context;
use resvg::{tiny_skia, usvg};

use super::style;

/// The font database with the embedded font as the only face, answering every generic family.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(style::font().to_vec());
        let name = style::FONT_NAME;
        db.set_sans_serif_family(name);
        db.set_serif_family(name);
        db.set_monospace_family(name);
        Arc::new(db)
    })
    .clone()
}

/// A chart rendered for the page and for Markdown.
pub struct Rendered {
    /// The chart as PNG, at the scale asked, on white.
    pub png: Vec<u8>,
    /// The chart as SVG for the page: texts in scripts a browser may lack fonts for
    /// (Chinese, Japanese, Korean, …) drawn as glyph outlines of the embedded font; the
    /// rest stays text, which every system font has and which keeps the page small.
    pub page_svg: String,
}

/// Whether every system font can be counted on for `c`: Latin, Greek, Cyrillic, and the
/// common punctuation and symbols. Charts outline every other script; the page embeds it.
pub fn common_char(c: char) -> bool {
    matches!(c as u32, 0..=0x024F | 0x0370..=0x052F | 0x1E00..=0x1EFF | 0x2000..=0x22FF | 0x25A0..=0x25FF)
}

/// Whether every character of `text` is [`common_char`].
fn common_script(text: &str) -> bool {
    text.chars().all(common_char)
}

/// The SVG with each `<text>` element whose text needs the embedded font replaced by its
/// outlines (usvg lays it out and writes it as paths, exactly as the PNG draws it).
fn outline_rare_scripts(svg: &str) -> anyhow::Result<String> {
    let root_end = svg.find('>').context("the chart SVG has no root element")? + 1;
    let root = &svg[..root_end];
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        let end = rest[start..].find("</text>").context("an unclosed <text> in a chart")? + start + 7;
        let element = &rest[start..end];
        out.push_str(&rest[..start]);
        let content = element.split_once('>').map_or("", |(_, c)| c.trim_end_matches("</text>"));
        if common_script(content) {
            out.push_str(element);
        } else {
            let alone = format!("{root}{element}</svg>");
            let outlined = tree(&alone)?.to_string(&write_options());
            let body = outlined.split_once('>').map_or("", |(_, b)| b);
            // The text stays readable by screen readers and searchable in the page.
            let text = content.trim();
            out.push_str(&format!("<g role=\"img\" aria-label=\"{text}\"><title>{text}</title>"));
            out.push_str(body.trim().trim_end_matches("</svg>").trim());
            out.push_str("</g>");
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Coordinates to two decimals: outlines stay sharp and small.
fn write_options() -> usvg::WriteOptions {
    usvg::WriteOptions { coordinates_precision: 2, transforms_precision: 4, ..Default::default() }
}

/// Parses a chart SVG with the embedded font.
fn tree(svg: &str) -> anyhow::Result<usvg::Tree> {
    let options = usvg::Options {
        fontdb: fonts(),
        font_family: style::FONT_NAME.to_string(),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &options).context("the chart SVG does not parse")
}

/// Renders an SVG document to PNG at `scale` times its size, and to SVG for the page.
pub fn render(svg: &str, scale: f32) -> anyhow::Result<Rendered> {
    Ok(Rendered { png: png_of(&tree(svg)?, scale)?, page_svg: page_svg(svg)? })
}

/// The SVG for the page (see [`Rendered::page_svg`]).
pub fn page_svg(svg: &str) -> anyhow::Result<String> {
    outline_rare_scripts(svg)
}

/// The `Software` text every PNG carries: which biaslens drew it.
fn software() -> String {
    format!("biaslens {}", crate::store::state::version())
}

/// Whether `png` was drawn by this version of biaslens (its `Software` text says so), so
/// a PNG next to an identical SVG can be kept instead of drawn again.
pub fn drawn_by_this_version(png: &[u8]) -> bool {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
    decoder.set_ignore_text_chunk(false);
    decoder.read_info().is_ok_and(|r| {
        let want = software();
        r.info().uncompressed_latin1_text.iter().any(|t| t.keyword == "Software" && t.text == want)
    })
}

/// Renders an SVG document to PNG at `scale` times its size, on white.
pub fn png(svg: &str, scale: f32) -> anyhow::Result<Vec<u8>> {
    png_of(&tree(svg)?, scale)
}

fn png_of(tree: &usvg::Tree, scale: f32) -> anyhow::Result<Vec<u8>> {
    let size = tree.size().to_int_size().scale_by(scale).context("chart size out of range")?;
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).context("cannot allocate the PNG canvas")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    // Every pixel is opaque (drawn on white), so premultiplied RGBA is plain RGB: a quarter
    // less to filter and deflate than tiny-skia's RGBA encoder, for the same image.
    let rgb: Vec<u8> = pixmap.data().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Balanced);
    encoder.add_text_chunk("Software".to_string(), software()).context("cannot encode the PNG")?;
    let mut writer = encoder.write_header().context("cannot encode the PNG")?;
    writer.write_image_data(&rgb).context("cannot encode the PNG")?;
    writer.finish().context("cannot encode the PNG")?;
    Ok(out)
}
