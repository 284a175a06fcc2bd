//! Lexicons and named fragments: the vocabulary rule patterns are written in.
//!
//! A pattern names a fragment as `{name}`. Fragments come from three places:
//! - `lexicon/*.toml` word lists (`[[list]]`) and verbs with their forms (`[[verb]]`); a verb
//!   class `speech` yields `{speech}` (finite forms), `{speech_pres}`, `{speech_past}`,
//!   `{speech_pp}`, `{speech_ing}`, `{speech_base}` and `{speech_any}`, matching as written (so
//!   "The Jerusalem Post" is no cue);
//! - `fragments.toml` regex fragments, which may use other fragments;
//! - the quote layer's markers, built in: `{quote}`, `{qopen}`, `{qclose}`, `{qtext}`.
//!
//! Word alternations are sorted longest first and get word boundaries where a word starts or
//! ends with a word character, so `{title}` never matches inside another word.

use std::collections::HashMap;

use serde::Deserialize;
use toml::Spanned;

use super::source::{RuleError, SourceFile};
use crate::quotes::{CLOSE_BYTE, INSIDE_BYTE, OPEN_BYTE};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LexiconFile {
    #[serde(default)]
    verb: Vec<VerbToml>,
    #[serde(default)]
    list: Vec<ListToml>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VerbToml {
    class: Spanned<String>,
    /// base, third person, past, past participle, gerund: `["say", "says", "said", "said", "saying"]`
    forms: Spanned<Vec<String>>,
    /// A text in which the full rule set must find a statement with this verb as (part of) its cue.
    example: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListToml {
    name: Spanned<String>,
    #[serde(default)]
    description: String,
    /// `true`: words match in any letter case.
    #[serde(default)]
    ignore_case: bool,
    words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FragmentFile {
    fragment: Vec<FragmentToml>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FragmentToml {
    name: Spanned<String>,
    #[serde(default)]
    description: String,
    pattern: Spanned<String>,
    /// Texts the fragment must match whole.
    #[serde(default)]
    matches: Vec<Spanned<String>>,
    /// Texts the fragment must not match whole.
    #[serde(default)]
    rejects: Vec<Spanned<String>>,
}

/// Where a fragment was defined, for error messages.
#[derive(Debug, Clone)]
struct Origin {
    file: usize,
    at: usize,
}

#[derive(Debug)]
struct Fragment {
    raw: String,
    origin: Origin,
    /// Lexicon fragments are complete alternations and are not expanded further.
    literal: bool,
}

/// A verb example: the full rule set must find a statement whose cue uses one of `forms`.
#[derive(Debug, Clone)]
pub struct VerbExample {
    pub file: usize,
    pub at: usize,
    pub class: String,
    pub forms: Vec<String>,
    pub text: String,
}

/// A fragment example: `text` must (or must not) match the fragment whole.
#[derive(Debug, Clone)]
pub struct FragmentExample {
    pub file: usize,
    pub at: usize,
    pub fragment: String,
    pub text: String,
    pub should_match: bool,
}

/// All named fragments of a rule set, ready to expand patterns.
#[derive(Debug, Default)]
pub struct Vocabulary {
    fragments: HashMap<String, Fragment>,
    pub verb_examples: Vec<VerbExample>,
    pub fragment_examples: Vec<FragmentExample>,
    /// Every word of every verb class, lowercased: the cue words a sentence must contain
    /// before any pattern is tried on it.
    pub cue_words: Vec<String>,
}

const VERB_FORMS: [&str; 5] = ["base", "pres3", "past", "pp", "ing"];

/// An alternation of literal words, longest first, with word boundaries where a word starts
/// or ends with a word character.
///
/// Written so the regex compiler sees pure literals (it builds a compact trie for them) and
/// ASCII word boundaries (which its fast DFA supports): case variants are spelled out
/// instead of using `(?i)`, and boundaries sit outside the alternation.
pub fn word_alternation(words: &[String], ignore_case: bool) -> String {
    let mut variants: Vec<String> = Vec::new();
    for w in words {
        let w = w.split_whitespace().collect::<Vec<_>>().join(" ");
        if w.is_empty() {
            continue;
        }
        if ignore_case {
            let lower = w.to_lowercase();
            let mut cap = lower.clone();
            if let Some(first) = lower.chars().next() {
                cap = first.to_uppercase().chain(lower.chars().skip(1)).collect();
            }
            variants.extend([w.clone(), lower, cap, w.to_uppercase()]);
        } else {
            variants.push(w);
        }
    }
    variants.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    variants.dedup();
    // Group by whether each end is a word character, so each group shares its boundaries.
    let word_char = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let mut groups: Vec<((bool, bool), Vec<String>)> = Vec::new();
    for v in &variants {
        let key = (word_char(v.chars().next()), word_char(v.chars().last()));
        let literal = v.split(' ').map(regex::escape).collect::<Vec<_>>().join(r"\s+");
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(literal),
            None => groups.push((key, vec![literal])),
        }
    }
    if groups.is_empty() {
        return r"(?:[^\s\S])".into();
    }
    groups.sort_by_key(|(_, list)| std::cmp::Reverse(list[0].len()));
    let alts: Vec<String> = groups
        .into_iter()
        .map(|((start, end), list)| {
            format!("{}(?:{}){}", if start { r"(?-u:\b)" } else { "" }, list.join("|"), if end { r"(?-u:\b)" } else { "" })
        })
        .collect();
    format!("(?:{})", alts.join("|"))
}

impl Vocabulary {
    fn define(&mut self, file: &SourceFile, file_idx: usize, at: usize, name: &str, raw: String, literal: bool) -> Result<(), RuleError> {
        if !is_fragment_name(name) {
            return Err(file.error(at, Some(name), "a fragment name is lowercase letters, digits and '_', starting with a letter"));
        }
        if let Some(prev) = self.fragments.get(name) {
            let what = if prev.origin.file == usize::MAX { "a built-in fragment".to_string() } else { "another definition".to_string() };
            return Err(file.error(at, Some(name), format!("fragment defined twice (clashes with {what})")));
        }
        self.fragments.insert(name.to_owned(), Fragment { raw, origin: Origin { file: file_idx, at }, literal });
        Ok(())
    }

    /// The quote layer's markers, which the skeleton text uses in place of quotation marks.
    pub fn with_builtins() -> Self {
        let mut v = Vocabulary::default();
        let open = format!("\\x{:02X}", OPEN_BYTE);
        let close = format!("\\x{:02X}", CLOSE_BYTE);
        let inside = format!("\\x{:02X}", INSIDE_BYTE);
        for (name, raw) in [
            ("qopen", format!("{open}+")),
            ("qclose", format!("{close}+")),
            ("qtext", format!("{inside}*")),
            ("quote", format!("{open}+{inside}*{close}*")),
        ] {
            v.fragments.insert(name.into(), Fragment { raw, origin: Origin { file: usize::MAX, at: 0 }, literal: true });
        }
        v
    }

    pub(crate) fn add_lexicon(&mut self, file: &SourceFile, file_idx: usize, lex: LexiconFile, errors: &mut Vec<RuleError>) {
        for list in lex.list {
            let _ = &list.description;
            let raw = word_alternation(&list.words, list.ignore_case);
            if let Err(e) = self.define(file, file_idx, list.name.span().start, list.name.get_ref(), raw, true) {
                errors.push(e);
            }
        }
        // Verb classes may span several entries (and files): gather forms first.
        let mut classes: Vec<(String, usize, [Vec<String>; 5])> = Vec::new();
        for verb in lex.verb {
            let forms = verb.forms.get_ref();
            let class = verb.class.get_ref().clone();
            if forms.len() != 5 {
                errors.push(file.error(
                    verb.forms.span().start,
                    Some(&class),
                    format!("a verb has 5 forms ({}), got {}", VERB_FORMS.join(", "), forms.len()),
                ));
                continue;
            }
            for w in forms {
                self.cue_words.extend(w.split_whitespace().map(str::to_lowercase));
            }
            if let Some(ex) = &verb.example {
                self.verb_examples.push(VerbExample {
                    file: file_idx,
                    at: ex.span().start,
                    class: class.clone(),
                    forms: forms.clone(),
                    text: ex.get_ref().clone(),
                });
            }
            let slot = match classes.iter_mut().position(|(c, _, _)| *c == class) {
                Some(i) => i,
                None => {
                    classes.push((class.clone(), verb.class.span().start, Default::default()));
                    classes.len() - 1
                }
            };
            for (i, w) in forms.iter().enumerate() {
                classes[slot].2[i].push(w.clone());
            }
        }
        for (class, at, forms) in classes {
            let [base, pres3, past, pp, ing] = &forms;
            let cat = |parts: &[&Vec<String>]| parts.iter().flat_map(|p| p.iter().cloned()).collect::<Vec<_>>();
            let defs = [
                (class.clone(), cat(&[base, pres3, past])),
                (format!("{class}_pres"), cat(&[base, pres3])),
                (format!("{class}_past"), past.clone()),
                (format!("{class}_pp"), pp.clone()),
                (format!("{class}_ing"), ing.clone()),
                (format!("{class}_base"), base.clone()),
                (format!("{class}_any"), cat(&[base, pres3, past, pp, ing])),
            ];
            for (name, words) in defs {
                if let Err(e) = self.define(file, file_idx, at, &name, word_alternation(&words, false), true) {
                    errors.push(e);
                }
            }
        }
    }

    pub(crate) fn add_fragments(&mut self, file: &SourceFile, file_idx: usize, frags: FragmentFile, errors: &mut Vec<RuleError>) {
        for f in frags.fragment {
            let _ = &f.description;
            let name = f.name.get_ref().clone();
            if let Err(e) = self.define(file, file_idx, f.name.span().start, &name, f.pattern.get_ref().clone(), false) {
                errors.push(e);
                continue;
            }
            for (list, should_match) in [(&f.matches, true), (&f.rejects, false)] {
                for t in list {
                    self.fragment_examples.push(FragmentExample {
                        file: file_idx,
                        at: t.span().start,
                        fragment: name.clone(),
                        text: t.get_ref().clone(),
                        should_match,
                    });
                }
            }
        }
    }

    /// Checks that every fragment expands and compiles, reporting each at its definition.
    pub(crate) fn validate(&self, files: &[SourceFile], errors: &mut Vec<RuleError>) {
        let mut names: Vec<&String> = self.fragments.keys().collect();
        names.sort();
        for name in names {
            let frag = &self.fragments[name];
            if frag.literal {
                continue;
            }
            let file = &files[frag.origin.file];
            match self.expand(&frag.raw) {
                Ok(expanded) => {
                    if let Err(e) = super::patterns::compile(&expanded) {
                        errors.push(file.error(frag.origin.at, Some(name), format!("invalid regex: {}", one_line(&e.to_string()))));
                    }
                }
                Err(msg) => errors.push(file.error(frag.origin.at, Some(name), msg)),
            }
        }
    }

    /// Replaces every `{name}` in `pattern` with its fragment, recursively, each wrapped in a
    /// non-capturing group. Regex repetitions such as `{2}` or `{1,3}` are left alone.
    pub fn expand(&self, pattern: &str) -> Result<String, String> {
        let mut stack = Vec::new();
        self.expand_inner(pattern, &mut stack)
    }

    fn expand_inner(&self, pattern: &str, stack: &mut Vec<String>) -> Result<String, String> {
        let mut out = String::with_capacity(pattern.len());
        let mut rest = pattern;
        while let Some(open) = rest.find('{') {
            // `\{` is a literal brace.
            if rest[..open].ends_with('\\') {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
                continue;
            }
            let Some(close) = rest[open..].find('}') else { break };
            let name = &rest[open + 1..open + close];
            if !is_fragment_name(name) {
                out.push_str(&rest[..open + close + 1]);
                rest = &rest[open + close + 1..];
                continue;
            }
            out.push_str(&rest[..open]);
            let frag = self.fragments.get(name).ok_or_else(|| format!("unknown fragment {{{name}}}"))?;
            if stack.iter().any(|s| s == name) {
                return Err(format!("fragment cycle: {} -> {name}", stack.join(" -> ")));
            }
            if frag.literal {
                out.push_str(&frag.raw);
            } else {
                stack.push(name.to_owned());
                let inner = self.expand_inner(&frag.raw, stack)?;
                stack.pop();
                out.push_str("(?:");
                out.push_str(&inner);
                out.push(')');
            }
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

fn is_fragment_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase()) && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Regex errors span several lines; rule errors are one line each.
pub fn one_line(msg: &str) -> String {
    msg.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    fn vocab(lex: &str, frags: &str) -> (Vocabulary, Vec<RuleError>) {
        let files = vec![
            SourceFile { path: "lexicon/x.toml".into(), text: lex.into() },
            SourceFile { path: "fragments.toml".into(), text: frags.into() },
        ];
        let mut v = Vocabulary::with_builtins();
        let mut errors = Vec::new();
        v.add_lexicon(&files[0], 0, files[0].parse().unwrap(), &mut errors);
        v.add_fragments(&files[1], 1, files[1].parse().unwrap(), &mut errors);
        v.validate(&files, &mut errors);
        (v, errors)
    }

    #[test]
    fn expands_lexicons_and_fragments() {
        let (v, errors) = vocab(
            "[[verb]]\nclass = \"speech\"\nforms = [\"say\", \"says\", \"said\", \"said\", \"saying\"]\n\
             [[list]]\nname = \"title\"\nwords = [\"Mr.\", \"Prime Minister\"]\n",
            "[[fragment]]\nname = \"who\"\npattern = '{title}\\s+\\p{Lu}\\w+'\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let re = Regex::new(&v.expand("^(?P<s>{who}) {speech}$").unwrap()).unwrap();
        assert!(re.is_match("Prime  Minister Netanyahu said"));
        assert!(re.is_match("Mr. Smith says"));
        // Verbs match as written: "The Jerusalem Post" is not a cue.
        assert!(!re.is_match("Mr. Smith Says"));
        assert!(!re.is_match("Mr. Smith sayings"));
        assert_eq!(v.expand("a{2,3}").unwrap(), "a{2,3}");
    }

    #[test]
    fn reports_unknown_fragments_and_cycles() {
        let (_, errors) = vocab(
            "",
            "[[fragment]]\nname = \"a\"\npattern = '{b}'\n[[fragment]]\nname = \"b\"\npattern = '{a}'\n\
             [[fragment]]\nname = \"c\"\npattern = '{nope}'\n",
        );
        let msgs: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert!(msgs.iter().any(|m| m.contains("fragment cycle")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("fragments.toml:8:") && m.contains("unknown fragment {nope}")), "{msgs:?}");
    }
}
