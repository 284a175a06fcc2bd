//! The rule set: every data file below `rules/`, validated and compiled once.
//!
//! Each file is routed by its path to the stage that owns its schema; every TOML table rejects
//! unknown keys, and every problem is reported as `file:line:column: rule id: message`, all of
//! them at once rather than the first only. The shipped `rules/` is embedded in the binary.

pub mod apply;
pub mod lexicon;
pub mod pattern;
pub mod rule;
pub mod search;
pub mod source;
pub mod tokens;

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

pub use rule::{Rule, RuleKind, Scope};
pub use source::{RuleError, RuleErrors, SourceFile};

use crate::groups::GroupRules;
use crate::furniture::{Boilerplate, BoilerplateFile};
use crate::metadata::{MetadataFile, MetadataRules, OutletsFile};
use crate::resolve::Gazetteer;
use crate::segment::Segmenter;
use crate::text::Normalizer;
use crate::topics::lexicon::{TopicLexicon, TopicLexiconBuilder};
use crate::topics::stance::StanceLexicon;
use pattern::{Vocabulary, VocabularyBuilder};
use rule::Patterns;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NormalizeFile {
    residue: Vec<ResidueToml>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ResidueToml {
    from: Spanned<String>,
    to: String,
    /// What the sequence is, for the reader of the file.
    #[allow(dead_code)]
    why: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NegativesFile {
    negative: Vec<NegativeToml>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NegativeToml {
    text: Spanned<String>,
    #[allow(dead_code)]
    why: String,
}

/// A text in which the whole rule set must find no statement.
#[derive(Debug, Clone)]
pub struct Negative {
    pub file: usize,
    pub at: usize,
    pub text: String,
}

/// Which stage owns a rule file, by its path below the rule set's root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Normalize,
    Segmentation,
    Lexicon,
    Fragments,
    Patterns,
    Negatives,
    Topic,
    Stance,
    Grouping,
    Boilerplate,
    Metadata,
    Outlets,
    Speakers,
}

const LAYOUT: &str = "normalize.toml, segmentation.toml, fragments.toml, negatives.toml, boilerplate.toml, \
                      metadata.toml, outlets.toml, speakers.toml, stance.toml, grouping.toml, lexicon/*.toml, fragments/*.toml, \
                      attribution/*.toml, positions/*.toml, topics/*.toml";

fn route(path: &str) -> Option<Route> {
    let dir = path.rsplit_once('/').map(|(d, _)| d);
    match (dir, path) {
        (None, "normalize.toml") => Some(Route::Normalize),
        (None, "segmentation.toml") => Some(Route::Segmentation),
        (None, "fragments.toml") | (Some("fragments"), _) => Some(Route::Fragments),
        (None, "negatives.toml") => Some(Route::Negatives),
        (None, "stance.toml") => Some(Route::Stance),
        (None, "grouping.toml") => Some(Route::Grouping),
        (None, "boilerplate.toml") => Some(Route::Boilerplate),
        (None, "metadata.toml") => Some(Route::Metadata),
        (None, "outlets.toml") => Some(Route::Outlets),
        (None, "speakers.toml") => Some(Route::Speakers),
        (Some("lexicon"), _) => Some(Route::Lexicon),
        (Some("attribution" | "positions"), _) => Some(Route::Patterns),
        (Some("topics"), _) => Some(Route::Topic),
        _ => None,
    }
}

/// A validated, compiled rule set.
#[derive(Debug)]
pub struct RuleSet {
    pub sources: Vec<SourceFile>,
    pub normalizer: Normalizer,
    pub segmenter: Segmenter,
    pub vocab: Vocabulary,
    pub patterns: Patterns,
    pub negatives: Vec<Negative>,
    pub topics: TopicLexicon,
    pub stance: StanceLexicon,
    /// How statements are grouped across documents (`grouping.toml`).
    pub grouping: GroupRules,
    /// Page furniture (`boilerplate.toml`).
    pub boilerplate: Boilerplate,
    /// How page metadata is read (`metadata.toml`, `outlets.toml`).
    pub metadata: MetadataRules,
    /// The speaker gazetteer (`speakers.toml`); without one, speakers stay as written.
    pub speakers: Option<Gazetteer>,
}

impl RuleSet {
    /// The rule set shipped in `rules/`, embedded at build time.
    pub fn builtin() -> Result<RuleSet, RuleErrors> {
        RuleSet::load(None, 1)
    }

    /// A rule set read from a directory laid out like `rules/`.
    pub fn from_dir(dir: &Path) -> Result<RuleSet, RuleErrors> {
        RuleSet::load(Some(dir), 1)
    }

    /// The rule set read from `dir` (laid out like `rules/`), or the built-in one, with the
    /// rule patterns compiled on up to `threads` threads: compiling them is most of the
    /// start-up time.
    pub fn load(dir: Option<&Path>, threads: usize) -> Result<RuleSet, RuleErrors> {
        let Some(dir) = dir else {
            let sources: Vec<SourceFile> = BUILTIN_RULES.iter().map(|(p, t)| SourceFile { path: (*p).into(), text: (*t).into() }).collect();
            let routes = sources.iter().map(|s| route(&s.path)).collect();
            return RuleSet::compile(sources, routes, threads);
        };
        let mut sources = source::read_dir(dir)?;
        let routes = sources.iter().map(|s| route(&s.path)).collect();
        // Errors name files as the user gave the directory.
        for s in &mut sources {
            s.path = dir.join(&s.path).display().to_string();
        }
        RuleSet::compile(sources, routes, threads)
    }

    /// A rule set from files given as text (paths relative to the root, as in `rules/`).
    pub fn from_sources(sources: Vec<SourceFile>) -> Result<RuleSet, RuleErrors> {
        let routes = sources.iter().map(|s| route(&s.path)).collect();
        RuleSet::compile(sources, routes, 1)
    }

    fn compile(sources: Vec<SourceFile>, routes: Vec<Option<Route>>, threads: usize) -> Result<RuleSet, RuleErrors> {
        let mut errors = Vec::new();
        let mut vocab = VocabularyBuilder::default();
        let mut residue = Vec::new();
        let mut segmenter = None;
        let mut pattern_files: Vec<(usize, rule::RuleFile)> = Vec::new();
        let mut negatives = Vec::new();
        let mut topics = TopicLexiconBuilder::default();
        let mut stance = None;
        let mut grouping = None;
        let mut boilerplate = None;
        let (mut metadata, mut outlets) = (None, None);
        let mut speakers_file = None;
        for (i, (src, route)) in sources.iter().zip(&routes).enumerate() {
            let Some(route) = route else {
                errors.push(src.error(0, None, format!("not a known rule file; a rule set holds {LAYOUT}")));
                continue;
            };
            match route {
                Route::Normalize => match src.parse::<NormalizeFile>() {
                    Ok(f) => {
                        for r in f.residue {
                            if r.from.get_ref().is_empty() {
                                errors.push(src.error(r.from.span().start, None, "`from` must not be empty"));
                            } else {
                                residue.push((r.from.into_inner(), r.to));
                            }
                        }
                    }
                    Err(e) => errors.push(e),
                },
                Route::Segmentation => segmenter = Some(Segmenter::from_file(src, i, &mut errors)),
                Route::Lexicon => match src.parse() {
                    Ok(f) => vocab.lexicon.add_file(src, i, f, &mut errors),
                    Err(e) => errors.push(e),
                },
                Route::Fragments => match src.parse() {
                    Ok(f) => vocab.add_fragments(src, i, f, &mut errors),
                    Err(e) => errors.push(e),
                },
                Route::Patterns => match src.parse() {
                    Ok(f) => pattern_files.push((i, f)),
                    Err(e) => errors.push(e),
                },
                Route::Negatives => match src.parse::<NegativesFile>() {
                    Ok(f) => negatives.extend(f.negative.into_iter().map(|n| Negative { file: i, at: n.text.span().start, text: n.text.into_inner() })),
                    Err(e) => errors.push(e),
                },
                Route::Topic => match src.parse() {
                    Ok(f) => topics.add_file(src, i, f, &mut errors),
                    Err(e) => errors.push(e),
                },
                Route::Stance => stance = StanceLexicon::from_file(src, i, &mut errors),
                Route::Grouping => grouping = GroupRules::from_file(src, i, &mut errors),
                Route::Boilerplate => match src.parse::<BoilerplateFile>() {
                    Ok(f) => boilerplate = Some(Boilerplate::compile(i, src, f, &mut errors)),
                    Err(e) => errors.push(e),
                },
                Route::Metadata => match src.parse::<MetadataFile>() {
                    Ok(f) => metadata = Some((i, src, f)),
                    Err(e) => errors.push(e),
                },
                Route::Outlets => match src.parse::<OutletsFile>() {
                    Ok(f) => outlets = Some((i, src, f)),
                    Err(e) => errors.push(e),
                },
                Route::Speakers => match src.parse::<crate::resolve::gazetteer::SpeakersFile>() {
                    Ok(f) => {
                        // Resolution spots pronouns among all of a document's tokens by a bit.
                        if let Err(e) = vocab.lexicon.add_list(src, i, 0, crate::resolve::gazetteer::PRONOUN_LIST, &f.pronoun_words(), true) {
                            errors.push(e);
                        }
                        speakers_file = Some((i, f));
                    }
                    Err(e) => errors.push(e),
                },
            }
        }
        let segmenter = segmenter.unwrap_or_default();
        let metadata = MetadataRules::compile(metadata, outlets, &mut errors);
        // A rule set without its own grouping.toml groups with the shipped one.
        let mut sources = sources;
        if grouping.is_none() && !routes.contains(&Some(Route::Grouping)) {
            let (path, text) = BUILTIN_RULES.iter().find(|(p, _)| *p == "grouping.toml").expect("grouping.toml is shipped");
            sources.push(SourceFile { path: format!("{path} (built in)"), text: (*text).into() });
            grouping = GroupRules::from_file(&sources[sources.len() - 1], sources.len() - 1, &mut errors);
        }
        let texts: Vec<&str> = pattern_files.iter().flat_map(|(_, f)| f.pattern_texts()).collect();
        let Some(vocab) = vocab.finish(&sources, &texts, segmenter.abbreviations(), &mut errors) else {
            return Err(RuleErrors(errors));
        };
        let patterns = Patterns::compile(&sources, pattern_files, &vocab, threads, &mut errors);
        // Compiling them leaves tens of megabytes freed, which worker threads cannot reuse.
        search::release_freed_memory();
        // The gazetteer reads its phrases with the lexicon's word lists.
        let speakers = speakers_file.and_then(|(i, f)| Gazetteer::compile(&sources[i], i, f, &vocab, &mut errors));
        if patterns.rules.is_empty() && errors.is_empty() {
            errors.push(RuleError {
                file: sources.first().map_or_else(String::new, |s| s.path.clone()),
                line: 0,
                column: 0,
                rule: None,
                message: "the rule set has no attribution rules (attribution/*.toml)".into(),
            });
        }
        let Some(grouping) = grouping.filter(|_| errors.is_empty()) else {
            return Err(RuleErrors(errors));
        };
        Ok(RuleSet {
            grouping,
            normalizer: Normalizer::new(&residue),
            segmenter,
            vocab,
            patterns,
            negatives,
            topics: topics.finish(),
            stance: stance.unwrap_or_default(),
            boilerplate: boilerplate.unwrap_or_default(),
            metadata,
            speakers,
            sources,
        })
    }
}
