//! The one hash helper: hex SHA-256, for digest ids, file fingerprints and manifests.

use sha2::{Digest as _, Sha256};

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex of the first `n` bytes of the SHA-256 of `bytes` (`2n` hex digits).
pub fn sha256_prefix_hex(bytes: &[u8], n: usize) -> String {
    hex(&Sha256::digest(bytes)[..n])
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_digest() {
        // SHA-256 of the empty string, from FIPS 180-2 test vectors.
        assert_eq!(
            super::sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(super::sha256_prefix_hex(b"", 4), "e3b0c442");
    }
}
