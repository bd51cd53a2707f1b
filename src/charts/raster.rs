//! SVG → PNG with resvg, using only the embedded font: the PNG is the SVG, pixel for pixel,
//! on any machine, fonts installed or not.

use std::sync::{Arc, OnceLock};

use anyhow::Context;
use resvg::{tiny_skia, usvg};

use super::style;

/// The font database with the embedded font as the only face, answering every generic family.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(style::FONT.to_vec());
        let name = style::FONT_NAME;
        db.set_sans_serif_family(name);
        db.set_serif_family(name);
        db.set_monospace_family(name);
        Arc::new(db)
    })
    .clone()
}

/// Renders an SVG document to PNG at `scale` times its size, on white.
pub fn png(svg: &str, scale: f32) -> anyhow::Result<Vec<u8>> {
    let options = usvg::Options {
        fontdb: fonts(),
        font_family: style::FONT_NAME.to_string(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).context("the chart SVG does not parse")?;
    let size = tree.size().to_int_size().scale_by(scale).context("chart size out of range")?;
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).context("cannot allocate the PNG canvas")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    // Every pixel is opaque (drawn on white), so premultiplied RGBA is plain RGB: a quarter
    // less to filter and deflate than tiny-skia's RGBA encoder, for the same image.
    let rgb: Vec<u8> = pixmap.data().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Balanced);
    let mut writer = encoder.write_header().context("cannot encode the PNG")?;
    writer.write_image_data(&rgb).context("cannot encode the PNG")?;
    writer.finish().context("cannot encode the PNG")?;
    Ok(out)
}
