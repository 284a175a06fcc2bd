//! Topic lexicons (`topics/*.toml`, one topic per file), compiled into one matcher.
//!
//! A topic has a label ("Iran"), the terms that name it ("Iranian", "Tehran", "the Islamic
//! Republic", "IRGC"), and the pronouns that can stand for it. All terms of all topics go into
//! one Aho-Corasick automaton that scans a document once. A term matches as a whole word:
//! "Iran" is not found in "Iranians" nor in the compound "Iran-backed" (a topic lists the
//! compounds it wants), but it is found in the possessive "Iran’s". A term matches as
//! written, capitalised (at a sentence start), or in capitals (in a headline).

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;
use toml::Spanned;

use crate::rules::{RuleError, SourceFile};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TopicFile {
    label: Spanned<String>,
    /// What the topic covers, for the reader of the file.
    #[allow(dead_code)]
    #[serde(default)]
    description: String,
    #[serde(default)]
    report: Report,
    terms: Vec<Spanned<String>>,
    /// Pronouns that can stand for the topic ("it", "its", "there").
    #[serde(default)]
    pronouns: Vec<String>,
    /// Texts in which the topic must be found.
    #[serde(default)]
    matches: Vec<Spanned<String>>,
    /// Texts in which it must not.
    #[serde(default)]
    rejects: Vec<Spanned<String>>,
}

/// When a statement that names a topic is tagged with it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Report {
    /// Whenever its content names the topic.
    #[default]
    Mention,
    /// Only when the statement takes a stance on it: for topics mostly named in passing (the
    /// states whose officials do the talking, policy instruments), which would otherwise tag
    /// nearly every statement.
    Stance,
}

/// One topic.
#[derive(Debug, Clone)]
pub struct Topic {
    pub label: String,
    pub report: Report,
    /// Lower-cased pronouns that can refer to it.
    pub pronouns: Vec<String>,
}

/// A `matches`/`rejects` text of a topic file.
#[derive(Debug, Clone)]
pub struct TopicExample {
    pub topic: usize,
    pub file: usize,
    pub at: usize,
    pub text: String,
    pub should_match: bool,
}

/// A topic named in a text: the span of the term (without a possessive ending).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub topic: usize,
    pub span: Range<usize>,
    /// Followed by a possessive ending: "Iran’s", "Palestinians'".
    pub possessive: bool,
}

/// All topics, compiled.
#[derive(Debug, Default)]
pub struct TopicLexicon {
    pub topics: Vec<Topic>,
    matcher: Option<AhoCorasick>,
    /// For each automaton pattern: its topic and the exact text it must have.
    patterns: Vec<(usize, String)>,
    pub examples: Vec<TopicExample>,
}

/// Collects topic files before they are compiled.
#[derive(Debug, Default)]
pub(crate) struct TopicLexiconBuilder {
    topics: Vec<Topic>,
    /// The path of each topic's file, for errors that name two files.
    paths: Vec<String>,
    /// (term, topic)
    terms: Vec<(String, usize)>,
    examples: Vec<TopicExample>,
}

impl TopicLexiconBuilder {
    pub(crate) fn add_file(&mut self, src: &SourceFile, file_idx: usize, f: TopicFile, errors: &mut Vec<RuleError>) {
        let label = f.label.get_ref().trim().to_owned();
        let at = f.label.span().start;
        if label.is_empty() {
            errors.push(src.error(at, None, "a topic needs a label"));
            return;
        }
        if let Some(k) = self.topics.iter().position(|t| t.label.eq_ignore_ascii_case(&label)) {
            errors.push(src.error(at, Some(&label), format!("the label is also used by {}", self.paths[k])));
            return;
        }
        if f.terms.is_empty() {
            errors.push(src.error(at, Some(&label), "a topic needs at least one term"));
        }
        let topic = self.topics.len();
        for term in f.terms {
            let text = term.get_ref();
            if text.trim().is_empty() || text.trim() != text {
                errors.push(src.error(term.span().start, Some(&label), format!("term {text:?} is empty or has spaces around it")));
            } else if !text.starts_with(|c: char| c.is_alphanumeric()) || !text.ends_with(|c: char| c.is_alphanumeric()) {
                errors.push(src.error(term.span().start, Some(&label), format!("term {text:?} must begin and end with a letter or digit")));
            } else if let Some((_, other)) = self.terms.iter().find(|(t, _)| t == text) {
                let msg = format!("term {text:?} also names {}", self.topics[*other].label);
                errors.push(src.error(term.span().start, Some(&label), msg));
            } else {
                self.terms.push((text.clone(), topic));
            }
        }
        for (list, should_match) in [(f.matches, true), (f.rejects, false)] {
            for t in list {
                self.examples.push(TopicExample { topic, file: file_idx, at: t.span().start, text: t.into_inner(), should_match });
            }
        }
        let pronouns = f.pronouns.iter().map(|p| p.to_lowercase()).collect();
        self.topics.push(Topic { label, report: f.report, pronouns });
        self.paths.push(src.path.clone());
    }

    pub(crate) fn finish(self) -> TopicLexicon {
        // Each term as written, capitalised and in capitals; duplicates keep the first.
        let mut patterns: Vec<(usize, String)> = Vec::new();
        for (term, topic) in &self.terms {
            let mut chars = term.chars();
            let first = chars.next().expect("terms are not empty");
            let capitalised: String = first.to_uppercase().chain(chars).collect();
            for variant in [term.clone(), capitalised, term.to_uppercase()] {
                if !patterns.iter().any(|(_, p)| *p == variant) {
                    patterns.push((*topic, variant));
                }
            }
        }
        let matcher = (!patterns.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(patterns.iter().map(|(_, p)| p))
                .expect("topic terms are plain strings")
        });
        TopicLexicon { topics: self.topics, matcher, patterns, examples: self.examples }
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether `c` glues two words into one ("Iran-backed", "O'Neill").
fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '’')
}

impl TopicLexicon {
    /// Appends the topic mentions of `text`, in text order, with spans offset by `base`.
    pub fn mentions(&self, text: &str, base: usize, out: &mut Vec<Mention>) {
        let Some(matcher) = &self.matcher else { return };
        for m in matcher.find_iter(text) {
            let (topic, _) = self.patterns[m.pattern().as_usize()];
            let before = text[..m.start()].chars().rev();
            if !whole_word_start(before) {
                continue;
            }
            let plural = text[..m.end()].ends_with(['s', 'S']);
            let Some(possessive) = word_end(&text[m.end()..], plural) else { continue };
            out.push(Mention { topic, span: base + m.start()..base + m.end(), possessive });
        }
    }
}

/// Whether a match preceded by `before` (read backwards) starts a word.
fn whole_word_start(mut before: impl Iterator<Item = char>) -> bool {
    match before.next() {
        None => true,
        Some(c) if is_word(c) => false,
        Some(c) if is_joiner(c) => !before.next().is_some_and(is_word),
        Some(_) => true,
    }
}

/// Whether a match followed by `after` ends a word: `Some(possessive)`, or `None` if the word
/// goes on ("Iranians", "Iran-backed"). After a `plural` ("Palestinians"), a lone apostrophe
/// is a possessive rather than a closing quote.
fn word_end(after: &str, plural: bool) -> Option<bool> {
    let mut chars = after.chars();
    match chars.next() {
        None => Some(false),
        Some(c) if is_word(c) => None,
        Some('\'' | '’') => match chars.next() {
            Some('s' | 'S') => (!chars.next().is_some_and(is_word)).then_some(true),
            Some(c) if is_word(c) => None,
            _ => Some(plural),
        },
        Some('-') if chars.next().is_some_and(is_word) => None,
        Some(_) => Some(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(files: &[&str]) -> (TopicLexicon, Vec<RuleError>) {
        let mut b = TopicLexiconBuilder::default();
        let mut errors = Vec::new();
        for (i, text) in files.iter().enumerate() {
            let src = SourceFile { path: format!("topics/{i}.toml"), text: (*text).into() };
            match src.parse() {
                Ok(f) => b.add_file(&src, i, f, &mut errors),
                Err(e) => errors.push(e),
            }
        }
        (b.finish(), errors)
    }

    fn found(lex: &TopicLexicon, text: &str) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        lex.mentions(text, 0, &mut out);
        out.iter().map(|m| (text[m.span.clone()].to_owned(), m.possessive)).collect()
    }

    #[test]
    fn terms_match_whole_words_in_any_usual_case() {
        let (lex, errors) = lexicon(&["label = \"Iran\"\nterms = [\"Iran\", \"Iranian\", \"Islamic Republic\", \"sanctions relief\"]\n"]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(found(&lex, "Iran’s and Iran's army"), [("Iran".into(), true), ("Iran".into(), true)]);
        assert_eq!(found(&lex, "Iranians, Iran-backed, pro-Iran, Tehran-Iran"), []);
        assert_eq!(found(&lex, "IRAN: the Islamic Republic."), [("IRAN".into(), false), ("Islamic Republic".into(), false)]);
        assert_eq!(found(&lex, "Sanctions relief"), [("Sanctions relief".into(), false)]);
        assert_eq!(found(&lex, "iran"), [], "a name is not found in lower case");
    }

    #[test]
    fn reports_bad_topic_files() {
        let (_, errors) = lexicon(&[
            "label = \"Iran\"\nterms = [\"Iran\"]\n",
            "label = \"iran\"\nterms = [\"Tehran\"]\n",
            "label = \"Syria\"\nterms = [\"Iran\", \" Damascus\", \"-Assad\"]\n",
            "label = \"X\"\nterms = []\nreport = \"sometimes\"\n",
        ]);
        let msgs: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert!(msgs.iter().any(|m| m.starts_with("topics/1.toml:1:9") && m.contains("also used")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("term \"Iran\" also names Iran")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("spaces around it")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("begin and end with a letter")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("topics/3.toml:3:")), "{msgs:?}");
    }
}
