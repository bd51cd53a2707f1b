//! The page's own font: a subset of the embedded chart font with only the characters a page
//! shows that system fonts may lack (Chinese, Japanese, Korean, …), inlined as `@font-face`.
//!
//! A browser without a CJK font draws `朝日新聞` in a table as empty boxes; the charts are
//! fine because their rare-script text is drawn as outlines. The page gets the same glyphs
//! as a small TrueType font in a `data:` URL, limited by `unicode-range` to the characters
//! it holds, so every other character keeps the reader's own fonts.
//!
//! The subset keeps the font's glyph outlines and metrics byte for byte: it copies the
//! glyphs used (and the parts of composite glyphs), renumbers them, and writes new `glyf`,
//! `loca`, `hmtx`, `cmap` and `post` tables; `head`, `hhea`, `maxp`, `OS/2`, `name` and the
//! hinting tables are copied with their counts updated.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, ensure, Context};

use crate::charts::raster::common_char as common;

/// At most this many characters in the subset (the format 4 cmap's limit, with room).
const MAX_CHARS: usize = 8_000;

/// The family name the page's CSS gives the subset.
pub const FAMILY: &str = "biaslens embedded";

/// The `@font-face` rule for the characters of `text` outside the common scripts that the
/// font has, or `None` when there are none.
pub fn face_for(font: &[u8], text: &str) -> anyhow::Result<Option<String>> {
    let chars: BTreeSet<char> = text.chars().filter(|&c| !common(c) && !c.is_control()).collect();
    let face = ttf_parser::Face::parse(font, 0).context("the embedded font does not parse")?;
    // A format 4 cmap holds at most about 8,000 one-character segments; a page with more
    // distinct rare characters than that shows the rest in the reader's fonts.
    let covered: BTreeMap<char, u16> = chars
        .into_iter()
        .filter_map(|c| Some((c, face.glyph_index(c)?.0)))
        .filter(|&(_, g)| g != 0)
        .take(MAX_CHARS)
        .collect();
    if covered.is_empty() {
        return Ok(None);
    }
    let subset = subset(font, &covered)?;
    let ranges: Vec<String> = covered.keys().map(|&c| format!("U+{:X}", c as u32)).collect();
    Ok(Some(format!(
        "@font-face{{font-family:\"{FAMILY}\";src:url(data:font/ttf;base64,{})format(\"truetype\");unicode-range:{};}}",
        base64(&subset),
        ranges.join(",")
    )))
}

/// Big-endian reads that fail instead of panicking on a short table.
fn u16_at(b: &[u8], at: usize) -> anyhow::Result<u16> {
    let s = b.get(at..at + 2).context("the font is truncated")?;
    Ok(u16::from_be_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> anyhow::Result<u32> {
    let s = b.get(at..at + 4).context("the font is truncated")?;
    Ok(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

/// The font's tables by tag.
fn tables(font: &[u8]) -> anyhow::Result<BTreeMap<[u8; 4], &[u8]>> {
    let n = u16_at(font, 4)? as usize;
    let mut out = BTreeMap::new();
    for i in 0..n {
        let rec = 12 + 16 * i;
        let tag: [u8; 4] = font.get(rec..rec + 4).context("the font is truncated")?.try_into()?;
        let (offset, length) = (u32_at(font, rec + 8)? as usize, u32_at(font, rec + 12)? as usize);
        out.insert(tag, font.get(offset..offset + length).context("a font table lies outside the file")?);
    }
    Ok(out)
}

/// Composite glyph flags (OpenType `glyf`).
const ARG_1_AND_2_ARE_WORDS: u16 = 0x0001;
const WE_HAVE_A_SCALE: u16 = 0x0008;
const MORE_COMPONENTS: u16 = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE: u16 = 0x0040;
const WE_HAVE_A_TWO_BY_TWO: u16 = 0x0080;

/// The offsets, in a composite glyph, of each component's glyph index.
fn component_offsets(glyph: &[u8]) -> anyhow::Result<Vec<usize>> {
    let mut out = Vec::new();
    if glyph.len() < 10 || (u16_at(glyph, 0)? as i16) >= 0 {
        return Ok(out);
    }
    let mut at = 10;
    loop {
        let flags = u16_at(glyph, at)?;
        out.push(at + 2);
        at += 4 + if flags & ARG_1_AND_2_ARE_WORDS != 0 { 4 } else { 2 };
        at += if flags & WE_HAVE_A_SCALE != 0 {
            2
        } else if flags & WE_HAVE_AN_X_AND_Y_SCALE != 0 {
            4
        } else if flags & WE_HAVE_A_TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        if flags & MORE_COMPONENTS == 0 {
            return Ok(out);
        }
        ensure!(out.len() < 1024, "a composite glyph with over 1024 components");
    }
}

/// The glyphs of a font: its `loca` and `glyf` tables.
struct Glyphs<'f> {
    /// Glyphs in the font (`maxp`).
    num: usize,
    /// Whether `loca` holds 32-bit offsets (`head.indexToLocFormat`).
    long_loca: bool,
    loca: &'f [u8],
    glyf: &'f [u8],
}

impl<'f> Glyphs<'f> {
    /// Glyph `g`'s data.
    fn get(&self, g: usize) -> anyhow::Result<&'f [u8]> {
        ensure!(g < self.num, "glyph {g} is past the font's {}", self.num);
        let loca = self.loca;
        let (a, b) = if self.long_loca {
            (u32_at(loca, 4 * g)? as usize, u32_at(loca, 4 * g + 4)? as usize)
        } else {
            (u16_at(loca, 2 * g)? as usize * 2, u16_at(loca, 2 * g + 2)? as usize * 2)
        };
        self.glyf.get(a..b).context("a glyph lies outside the glyf table")
    }

    /// The glyphs kept for `chars`: `.notdef`, theirs, and the components of composite
    /// ones, followed, in their old order.
    fn kept(&self, chars: &BTreeMap<char, u16>) -> anyhow::Result<BTreeSet<u16>> {
        let mut keep: BTreeSet<u16> = BTreeSet::from([0]);
        let mut todo: Vec<u16> = chars.values().copied().collect();
        while let Some(g) = todo.pop() {
            if keep.insert(g) {
                let data = self.get(g as usize)?;
                for at in component_offsets(data)? {
                    todo.push(u16_at(data, at)?);
                }
            }
        }
        Ok(keep)
    }
}

/// The subset's `head` (no checksum adjustment yet, long `loca`), `hhea` and `maxp` for `n`
/// glyphs, and `post` version 3 (no glyph names).
fn header_tables(head: &[u8], hhea: &[u8], maxp: &[u8], post: &[u8], n: u16) -> BTreeMap<[u8; 4], Vec<u8>> {
    let mut new_head = head.to_vec();
    new_head[8..12].copy_from_slice(&[0; 4]);
    new_head[50..52].copy_from_slice(&1u16.to_be_bytes());
    let mut new_hhea = hhea.to_vec();
    new_hhea[34..36].copy_from_slice(&n.to_be_bytes());
    let mut new_maxp = maxp.to_vec();
    new_maxp[4..6].copy_from_slice(&n.to_be_bytes());
    let mut new_post = post.get(..32).map(<[u8]>::to_vec).unwrap_or_else(|| vec![0; 32]);
    new_post[0..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());
    BTreeMap::from([(*b"head", new_head), (*b"hhea", new_hhea), (*b"maxp", new_maxp), (*b"post", new_post)])
}

/// A TrueType font with only `.notdef` and the glyphs of `chars` (and their components).
pub fn subset(font: &[u8], chars: &BTreeMap<char, u16>) -> anyhow::Result<Vec<u8>> {
    let t = tables(font)?;
    let get = |tag: &[u8; 4]| {
        t.get(tag).copied().with_context(|| format!("the font has no {} table", String::from_utf8_lossy(tag)))
    };
    let (head, hhea, maxp, hmtx, loca, glyf) =
        (get(b"head")?, get(b"hhea")?, get(b"maxp")?, get(b"hmtx")?, get(b"loca")?, get(b"glyf")?);
    let glyphs = Glyphs { num: u16_at(maxp, 4)? as usize, long_loca: u16_at(head, 50)? == 1, loca, glyf };
    let glyph = |g: usize| glyphs.get(g);
    let keep = glyphs.kept(chars)?;
    let new_id: BTreeMap<u16, u16> = keep.iter().enumerate().map(|(i, &g)| (g, i as u16)).collect();

    let (mut new_glyf, mut new_loca, mut new_hmtx) = (Vec::new(), Vec::new(), Vec::new());
    let metrics = u16_at(hhea, 34)? as usize;
    ensure!(metrics > 0, "the font's hhea has no horizontal metrics");
    for &g in &keep {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        let mut data = glyph(g as usize)?.to_vec();
        for at in component_offsets(&data)? {
            let c = new_id[&u16_at(&data, at)?];
            data[at..at + 2].copy_from_slice(&c.to_be_bytes());
        }
        new_glyf.extend_from_slice(&data);
        while new_glyf.len() % 4 != 0 {
            new_glyf.push(0);
        }
        let g = g as usize;
        let advance = u16_at(hmtx, 4 * g.min(metrics - 1))?;
        let lsb = if g < metrics {
            u16_at(hmtx, 4 * g + 2)?
        } else {
            u16_at(hmtx, 4 * metrics + 2 * (g - metrics))?
        };
        new_hmtx.extend_from_slice(&advance.to_be_bytes());
        new_hmtx.extend_from_slice(&lsb.to_be_bytes());
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
    let n = keep.len() as u16;

    let mapped: Vec<(u32, u16)> = chars.iter().map(|(&c, g)| (c as u32, new_id[g])).collect();
    let mut out = header_tables(head, hhea, maxp, t.get(b"post").copied().unwrap_or(&[]), n);
    out.insert(*b"cmap", cmap(&mapped));
    out.insert(*b"glyf", new_glyf);
    out.insert(*b"hmtx", new_hmtx);
    out.insert(*b"loca", new_loca);
    for tag in [b"OS/2", b"name", b"cvt ", b"fpgm", b"prep", b"gasp"] {
        if let Some(data) = t.get(tag) {
            out.insert(*tag, data.to_vec());
        }
    }
    if !out.contains_key(b"OS/2") || !out.contains_key(b"name") {
        bail!("the font lacks an OS/2 or name table, which browsers require");
    }
    Ok(font_file(out))
}

/// A `cmap` with a format 4 subtable (Windows, BMP) and a format 12 one (Windows, full
/// Unicode), one segment per character.
fn cmap(mapped: &[(u32, u16)]) -> Vec<u8> {
    let bmp: Vec<(u16, u16)> =
        mapped.iter().filter(|(c, _)| *c <= 0xFFFE).map(|&(c, g)| (c as u16, g)).collect();
    let seg_count = bmp.len() + 1;
    let mut f4 = Vec::new();
    let push16 = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_be_bytes());
    let search = 2 * (1u16 << (seg_count as f64).log2().floor() as u16);
    push16(&mut f4, 4);
    push16(&mut f4, (16 + 8 * seg_count) as u16);
    push16(&mut f4, 0);
    push16(&mut f4, (2 * seg_count) as u16);
    push16(&mut f4, search);
    push16(&mut f4, (search / 2).trailing_zeros() as u16);
    push16(&mut f4, (2 * seg_count) as u16 - search);
    for &(c, _) in &bmp {
        push16(&mut f4, c);
    }
    push16(&mut f4, 0xFFFF);
    push16(&mut f4, 0);
    for &(c, _) in &bmp {
        push16(&mut f4, c);
    }
    push16(&mut f4, 0xFFFF);
    for &(c, g) in &bmp {
        push16(&mut f4, g.wrapping_sub(c));
    }
    push16(&mut f4, 1);
    for _ in 0..seg_count {
        push16(&mut f4, 0);
    }
    let mut f12 = Vec::new();
    f12.extend_from_slice(&12u16.to_be_bytes());
    f12.extend_from_slice(&0u16.to_be_bytes());
    f12.extend_from_slice(&(16 + 12 * mapped.len() as u32).to_be_bytes());
    f12.extend_from_slice(&0u32.to_be_bytes());
    f12.extend_from_slice(&(mapped.len() as u32).to_be_bytes());
    for &(c, g) in mapped {
        for x in [c, c, u32::from(g)] {
            f12.extend_from_slice(&x.to_be_bytes());
        }
    }
    let mut out = Vec::new();
    for x in [0u16, 2, 3, 1] {
        out.extend_from_slice(&x.to_be_bytes());
    }
    out.extend_from_slice(&20u32.to_be_bytes());
    out.extend_from_slice(&3u16.to_be_bytes());
    out.extend_from_slice(&10u16.to_be_bytes());
    out.extend_from_slice(&(20 + f4.len() as u32).to_be_bytes());
    out.extend_from_slice(&f4);
    out.extend_from_slice(&f12);
    out
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut w = [0u8; 4];
        w[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(w))
    })
}

/// The font file of `tables`: the directory, then each table 4-byte aligned, and the
/// `head` checksum adjustment set.
fn font_file(tables: BTreeMap<[u8; 4], Vec<u8>>) -> Vec<u8> {
    let n = tables.len() as u16;
    let search = 16 * (1u16 << (f64::from(n)).log2().floor() as u16);
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for x in [n, search, (search / 16).trailing_zeros() as u16, 16 * n - search] {
        out.extend_from_slice(&x.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in &tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        if tag == b"head" {
            head_at = Some(offset);
        }
        offset += data.len().div_ceil(4) * 4;
    }
    for data in tables.values() {
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    if let Some(at) = head_at {
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjust.to_be_bytes());
    }
    out
}

/// Standard base64 with padding (RFC 4648), for the `data:` URL.
fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_of_rfc_4648_vectors() {
        // RFC 4648 §10.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn the_subset_maps_each_character_to_the_same_outline() {
        let font = crate::charts::style::font();
        let full = ttf_parser::Face::parse(font, 0).unwrap();
        let text = "朝日新聞 조선일보 and Latin";
        let chars: BTreeMap<char, u16> = text
            .chars()
            .filter(|&c| !common(c))
            .map(|c| (c, full.glyph_index(c).expect("the font covers it").0))
            .collect();
        let small = subset(font, &chars).unwrap();
        assert!(small.len() < 40_000, "{} bytes", small.len());
        let sub = ttf_parser::Face::parse(&small, 0).unwrap();
        // .notdef, the 8 characters, and the parts the font builds its Hangul syllables of
        // (composite glyphs), which come along renumbered.
        assert!(sub.number_of_glyphs() > 9, "{}", sub.number_of_glyphs());
        assert!(sub.number_of_glyphs() < 40, "{}", sub.number_of_glyphs());
        assert_eq!(sub.glyph_index('L'), None);
        for (&c, &g) in &chars {
            let new = sub.glyph_index(c).unwrap_or_else(|| panic!("{c} is mapped"));
            let old = ttf_parser::GlyphId(g);
            assert_eq!(sub.glyph_hor_advance(new), full.glyph_hor_advance(old), "{c}");
            // The outline, components resolved through their new numbers, is the same path.
            let (mut a, mut b) = (Path(Vec::new()), Path(Vec::new()));
            assert_eq!(sub.outline_glyph(new, &mut a), full.outline_glyph(old, &mut b), "{c}");
            assert!(!a.0.is_empty(), "{c} has an outline");
            assert_eq!(a.0, b.0, "{c}");
        }
        // The whole file's checksum, with head's adjustment, is the magic number.
        assert_eq!(checksum(&small), 0xB1B0_AFBA);
    }

    /// A glyph outline as the list of its drawing commands.
    struct Path(Vec<String>);

    impl ttf_parser::OutlineBuilder for Path {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.push(format!("M{x},{y}"));
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.push(format!("L{x},{y}"));
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0.push(format!("Q{x1},{y1},{x},{y}"));
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            self.0.push(format!("C{x1},{y1},{x2},{y2},{x},{y}"));
        }
        fn close(&mut self) {
            self.0.push("Z".into());
        }
    }

    #[test]
    fn a_page_in_common_scripts_needs_no_face() {
        let font = crate::charts::style::font();
        assert!(face_for(font, "Kyodo News — “Japan”, Ελλάδα, Москва").unwrap().is_none());
        let face = face_for(font, "新华网 and 新华网").unwrap().unwrap();
        assert!(face.contains("unicode-range:U+534E,U+65B0,U+7F51;"), "{face}");
    }
}
