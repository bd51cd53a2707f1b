//! The whole parser on arbitrary bytes: decoding, frontmatter, body, sources, sides of one
//! file and the corpus pass over it. Nothing may panic, hang or allocate without bound.
#![no_main]

use std::sync::OnceLock;

use biaslens_digest::outlets::Registry;
use biaslens_digest::{corpus, parse_bytes, Corpus};
use libfuzzer_sys::fuzz_target;

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        Registry::from_yaml(include_str!("../../../../data/outlets.yaml"), "data/outlets.yaml").expect("registry")
    })
}

fuzz_target!(|data: &[u8]| {
    let outcome = parse_bytes("fuzz.md", data, registry());
    if let Some(d) = &outcome.digest {
        for a in &d.articles {
            assert!(a.line >= 1);
        }
    }
    let mut c = Corpus { files: 1, digests: outcome.digest.into_iter().collect(), problems: outcome.problems };
    corpus::finish(&mut c, registry(), &Default::default());
    for d in &c.digests {
        for a in &d.articles {
            // A side is always one the digest declares.
            if let Some(side) = &a.perspective_id {
                assert!(d.perspectives.iter().any(|p| &p.id == side));
            }
        }
    }
});
