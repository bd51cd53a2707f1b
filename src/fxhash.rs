//! FxHash's multiply-rotate mix: a small, fast hash, fixed from run to run. For interning
//! and fingerprints of our own data, where SipHash's defence against chosen keys is not
//! needed and costs more than the work it hashes for.

use std::collections::HashMap;

/// Mixes the word `v` into the hash `h`.
#[inline]
pub fn mix(h: u64, v: u64) -> u64 {
    (h.rotate_left(5) ^ v).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// Mixes `bytes` into `h` eight at a time, then their length.
#[inline]
pub fn mix_bytes(mut h: u64, bytes: &[u8]) -> u64 {
    let mut chunks = bytes.chunks_exact(8);
    for w in &mut chunks {
        h = mix(h, u64::from_le_bytes(w.try_into().expect("8 bytes")));
    }
    let mut last = [0u8; 8];
    last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    mix(mix(h, u64::from_le_bytes(last)), bytes.len() as u64)
}

/// A `Hasher` over [`mix`]: bytes eight at a time ([`mix_bytes`]), integers as one word. (A
/// byte at a time costs one multiply's latency per byte, most of a topic's normalising:
/// BENCHMARKS.md, "Figures behind the code".)
#[derive(Default)]
pub struct Fx(u64);

impl std::hash::Hasher for Fx {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.0 = mix_bytes(self.0, bytes);
    }
    #[inline]
    fn write_u8(&mut self, v: u8) {
        self.0 = mix(self.0, u64::from(v));
    }
    #[inline]
    fn write_u32(&mut self, v: u32) {
        self.0 = mix(self.0, u64::from(v));
    }
    #[inline]
    fn write_u64(&mut self, v: u64) {
        self.0 = mix(self.0, v);
    }
    #[inline]
    fn write_usize(&mut self, v: usize) {
        self.0 = mix(self.0, v as u64);
    }
}

/// A `HashMap` hashed with [`Fx`].
pub type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fx>>;

/// A `HashSet` with [`Fx`].
pub type FxSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<Fx>>;

/// Numbers string values by first appearance (0, 1, …): equal values, equal numbers. A
/// value equal to the one before takes its number without a lookup (a column sorted by
/// topic, or a digest's rows, repeats its value row after row).
#[derive(Default)]
pub struct Numbering<'a> {
    ids: FxMap<&'a str, u32>,
    last: Option<(&'a str, u32)>,
}

impl<'a> Numbering<'a> {
    /// `value`'s number, and whether this is its first appearance.
    pub fn number(&mut self, value: &'a str) -> (u32, bool) {
        if let Some((last, k)) = self.last {
            if last == value {
                return (k, false);
            }
        }
        let n = self.ids.len() as u32;
        let k = *self.ids.entry(value).or_insert(n);
        self.last = Some((value, k));
        (k, k == n)
    }
}
