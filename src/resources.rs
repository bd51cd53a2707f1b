//! The outlet registry and the theme lexicon a run uses: the file given on the command line,
//! else `data/outlets.yaml` / `data/themes.yaml` in the current folder (a checkout of the
//! repository, where users edit them without recompiling), else the copies compiled into
//! the binary, so an installed `biaslens` works from any folder.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::outlets::Registry;

/// The registry compiled into the binary.
pub const BUILTIN_REGISTRY: &str = include_str!("../data/outlets.yaml");
/// The lexicon compiled into the binary.
pub const BUILTIN_LEXICON: &str = include_str!("../data/themes.yaml");
/// VADER's English valence lexicon (MIT; data/tone/LICENSE-VADER.txt), compiled into the
/// binary for `analytics::tone`.
pub const BUILTIN_VADER: &str = include_str!("../data/tone/vader_lexicon.txt");
/// The project's part of the tone lexicon: overrides for news words and the Spanish list.
pub const BUILTIN_TONE: &str = include_str!("../data/tone.yaml");
/// The es→en news glossary story clustering reads Spanish titles through
/// (`analytics::stories::bridge`), compiled into the binary.
pub const BUILTIN_GLOSSARY: &str = include_str!("../data/glossary.yaml");

/// `--outlets` and `--lexicon`, for every command that reads one or the other.
#[derive(Debug, Clone, Default, clap::Args)]
#[group(id = "resource_files")]
pub struct Args {
    /// The outlet registry (default: data/outlets.yaml if present, else the built-in one).
    #[arg(long, value_name = "FILE")]
    pub outlets: Option<PathBuf>,
    /// The theme lexicon (default: data/themes.yaml if present, else the built-in one).
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<PathBuf>,
}

/// Where a registry or lexicon came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The copy compiled into the binary.
    BuiltIn,
    /// A file.
    File(PathBuf),
}

/// A registry or lexicon's text, where it came from, and its hash.
#[derive(Debug, Clone)]
pub struct Resource {
    /// `registry` or `lexicon`.
    pub what: &'static str,
    /// Where it came from.
    pub origin: Origin,
    /// The YAML text.
    pub text: String,
    /// SHA-256 of the text, hex.
    pub sha256: String,
}

impl Resource {
    /// The file given, else `default` if it exists, else the built-in text.
    pub fn resolve(
        what: &'static str,
        given: Option<&Path>,
        default: &str,
        builtin: &'static str,
    ) -> anyhow::Result<Self> {
        let (origin, text) = match given.map(Path::to_path_buf).or_else(|| {
            let d = PathBuf::from(default);
            d.is_file().then_some(d)
        }) {
            Some(path) => {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read the {what} {}", path.display()))?;
                (Origin::File(path), text)
            }
            None => (Origin::BuiltIn, builtin.to_string()),
        };
        let sha256 = crate::hash::sha256_hex(text.as_bytes());
        Ok(Resource { what, origin, text, sha256 })
    }

    /// How a summary or a data dictionary names it: `the built-in registry` or the path,
    /// with the first 12 hex digits of its SHA-256.
    pub fn describe(&self) -> String {
        let short = &self.sha256[..12];
        match &self.origin {
            Origin::BuiltIn => format!("the built-in {} (sha256 {short})", self.what),
            Origin::File(p) => format!("{} {} (sha256 {short})", self.what, p.display()),
        }
    }

    /// A name for manifests: the path, or `built-in <what>`.
    pub fn name(&self) -> String {
        match &self.origin {
            Origin::BuiltIn => format!("built-in {}", self.what),
            Origin::File(p) => p.display().to_string(),
        }
    }
}

impl Args {
    /// The registry to use, and where it came from.
    pub fn registry(&self) -> anyhow::Result<(Registry, Resource)> {
        let r =
            Resource::resolve("registry", self.outlets.as_deref(), "data/outlets.yaml", BUILTIN_REGISTRY)?;
        Ok((Registry::from_yaml(&r.text, &r.name())?, r))
    }

    /// The lexicon file to use (its text, where it came from): parsed by
    /// `Args::lexicon` in [`crate::analytics::lexicon`], which stands above this module.
    pub fn lexicon_resource(&self) -> anyhow::Result<Resource> {
        Resource::resolve("lexicon", self.lexicon.as_deref(), "data/themes.yaml", BUILTIN_LEXICON)
    }
}
