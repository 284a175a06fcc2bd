//! The pattern language: regular expressions over tokens.
//!
//! Rule patterns and fragments use regex operators — `( )`, `(?:…)`, `(?P<name>…)`, `|`, `?`,
//! `*`, `+`, `{m,n}`, lazy `*?`, `^`, `$` — over *token* atoms; whitespace between atoms is
//! ignored. Atoms:
//!
//! | atom | matches one token (or a sequence, for lists with multi-word entries) |
//! |------|------|
//! | `{name}` | a word list or verb form set from `lexicon/`, or a fragment (expanded in place) |
//! | `'said'`, `'according to'`, `','` | literal words (any letter case) or punctuation |
//! | `<cap>` `<lower>` `<caps>` `<num>` `<word>` `<punct>` `<quote>` `<poss>` `<hyphen>` `<abbr>` `<initial>` `<plural>` | a token shape |
//! | `.` or `<any>` | any token |
//! | `[ a & !b \| c ]` | one token satisfying a combination of single-token atoms |
//! | `!atom` | one token not matching the atom |
//!
//! A quotation is one `<quote>` token: what is inside it is invisible to patterns. Inside
//! `[…]` a list stands for its one-word entries.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};

use indexmap::IndexMap;
use regex_syntax::hir::{Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Repetition};
use serde::Deserialize;
use toml::Spanned;

use super::lexicon::{Lexicon, is_name};
use super::source::{RuleError, SourceFile};
use super::tokens::{MAX_SIGNATURES, SIG_BASE, Signatures, WordTables, bit_test, shape};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FragmentFile {
    fragment: Vec<FragmentToml>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FragmentToml {
    name: Spanned<String>,
    #[allow(dead_code)]
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

/// A fragment example: `text` must (or must not) match the fragment whole.
#[derive(Debug, Clone)]
pub struct FragmentExample {
    pub file: usize,
    pub at: usize,
    pub fragment: String,
    pub text: String,
    pub should_match: bool,
}

#[derive(Debug)]
struct Fragment {
    raw: String,
    file: usize,
    at: usize,
}

/// One lexical item of a pattern.
#[derive(Debug, Clone, PartialEq)]
enum Lex {
    Ref(String),
    Lit(String),
    Shape(String),
    /// Operators and groups, passed to the regex as written.
    Raw(String),
    Bang,
    LBracket,
    RBracket,
    Amp,
    Pipe,
    LParen,
    RParen,
}

fn lex(pattern: &str) -> Result<Vec<Lex>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    let mut depth_bracket = 0;
    while i < chars.len() {
        let c = chars[i];
        let rest: String = chars[i..].iter().collect();
        match c {
            _ if c.is_whitespace() => i += 1,
            '{' => {
                let close = rest.find('}').ok_or_else(|| format!("unclosed '{{' at column {}", i + 1))?;
                let inner = &rest[1..close];
                if is_name(inner) {
                    out.push(Lex::Ref(inner.to_owned()));
                } else if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit() || c == ',') {
                    out.push(Lex::Raw(format!("{{{inner}}}")));
                } else {
                    return Err(format!("'{{{inner}}}' is neither a name nor a repetition"));
                }
                i += rest[..=close].chars().count();
            }
            '\'' | '"' => {
                let close = rest[1..].find(c).ok_or_else(|| format!("unclosed {c} at column {}", i + 1))?;
                let inner = &rest[1..1 + close];
                if inner.trim().is_empty() {
                    return Err(format!("empty literal at column {}", i + 1));
                }
                out.push(Lex::Lit(inner.to_owned()));
                i += inner.chars().count() + 2;
            }
            '<' => {
                let close = rest.find('>').ok_or_else(|| format!("unclosed '<' at column {}", i + 1))?;
                out.push(Lex::Shape(rest[1..close].to_owned()));
                i += rest[..=close].chars().count();
            }
            '[' => {
                depth_bracket += 1;
                out.push(Lex::LBracket);
                i += 1;
            }
            ']' => {
                depth_bracket -= 1;
                out.push(Lex::RBracket);
                i += 1;
            }
            '!' => {
                out.push(Lex::Bang);
                i += 1;
            }
            '&' => {
                out.push(Lex::Amp);
                i += 1;
            }
            '|' => {
                out.push(Lex::Pipe);
                i += 1;
            }
            '(' if depth_bracket > 0 => {
                out.push(Lex::LParen);
                i += 1;
            }
            ')' if depth_bracket > 0 => {
                out.push(Lex::RParen);
                i += 1;
            }
            '(' => {
                if rest.starts_with("(?:") {
                    out.push(Lex::Raw("(?:".into()));
                    i += 3;
                } else if rest.starts_with("(?P<") || rest.starts_with("(?<") {
                    let close = rest.find('>').ok_or("unclosed group name")?;
                    out.push(Lex::Raw(rest[..=close].to_owned()));
                    i += close + 1;
                } else if rest.starts_with("(?") {
                    return Err(format!("flags are not supported at column {}", i + 1));
                } else {
                    out.push(Lex::Raw("(".into()));
                    i += 1;
                }
            }
            ')' | '?' | '*' | '+' | '^' | '$' => {
                out.push(Lex::Raw(c.to_string()));
                i += 1;
            }
            '.' => {
                out.push(Lex::Shape("any".into()));
                i += 1;
            }
            _ => return Err(format!("unexpected '{c}' at column {}; quote literal words and punctuation: '{c}'", i + 1)),
        }
    }
    if depth_bracket != 0 {
        return Err("unbalanced '[' ']'".into());
    }
    Ok(out)
}

/// A single-token predicate.
#[derive(Debug, Clone)]
enum Pred {
    Shape(u16),
    Any,
    Bits(Vec<usize>),
    Not(Box<Pred>),
    And(Vec<Pred>),
    Or(Vec<Pred>),
}

impl Pred {
    fn eval(&self, bits: &[u64], s: u16) -> bool {
        match self {
            Pred::Any => true,
            Pred::Shape(m) => s & m != 0,
            Pred::Bits(b) => b.iter().any(|&i| bit_test(bits, i)),
            Pred::Not(p) => !p.eval(bits, s),
            Pred::And(ps) => ps.iter().all(|p| p.eval(bits, s)),
            Pred::Or(ps) => ps.iter().any(|p| p.eval(bits, s)),
        }
    }
}

fn shape_pred(name: &str) -> Result<Pred, String> {
    use shape::*;
    Ok(match name {
        "any" => Pred::Any,
        "word" => Pred::Shape(WORD),
        "punct" => Pred::Shape(PUNCT),
        "quote" => Pred::Shape(QUOTE),
        "cap" => Pred::Shape(UPPER_FIRST),
        "lower" => Pred::Shape(LOWER_FIRST),
        "num" => Pred::Shape(DIGIT_FIRST),
        "caps" => Pred::Shape(ALL_CAPS),
        "hyphen" => Pred::Shape(HYPHEN),
        "abbr" => Pred::Shape(ABBR),
        "poss" => Pred::Shape(POSS),
        "initial" => Pred::Shape(INITIAL),
        "plural" => Pred::Shape(PLURAL),
        _ => return Err(format!("unknown shape <{name}>; shapes are any, word, punct, quote, cap, lower, num, caps, hyphen, abbr, poss, initial, plural")),
    })
}

fn literal_key(word: &str) -> String {
    if word.chars().next().is_some_and(char::is_alphanumeric) { word.to_lowercase() } else { word.to_owned() }
}

/// Everything patterns can name, compiled: lists, verb forms, literals, fragments, signatures.
#[derive(Debug)]
pub struct Vocabulary {
    pub lexicon: Lexicon,
    fragments: HashMap<String, Fragment>,
    literals: HashMap<String, usize>,
    pub sigs: Signatures,
    /// Words that keep a following period as part of the token (Mr., U.S., Gen.).
    pub keeps_period: HashSet<String>,
    pub fragment_examples: Vec<FragmentExample>,
    /// Every fragment and word list already translated: a name is referenced many times, and
    /// its character classes are costly to compute (each walks the signature universe).
    translated: Translations,
    /// The token classes of translated patterns (as character ranges, and as a class ready to
    /// use), each written there as one placeholder character (see [`Vocabulary::hir`]).
    classes: Mutex<Classes>,
}

type Classes = IndexMap<Vec<(u32, u32)>, Hir>;

/// The first placeholder character: classes are numbered from here, in the supplementary
/// private use area, apart from signature characters.
const CLASS_BASE: u32 = 0xF0000;
/// The last character a signature can be.
const SIG_LAST: u32 = SIG_BASE + MAX_SIGNATURES as u32 - 1;
/// How many placeholders the supplementary private use area A holds.
const MAX_CLASSES: usize = 0xFFFFD - 0xF0000 + 1;

/// Translations of names, literals and token predicates, by their text in a pattern.
type Translations = HashMap<String, String>;

/// Collects lexicon and fragment files before the vocabulary is compiled.
#[derive(Debug, Default)]
pub(crate) struct VocabularyBuilder {
    pub lexicon: Lexicon,
    fragments: HashMap<String, Fragment>,
    fragment_examples: Vec<FragmentExample>,
}

impl VocabularyBuilder {
    pub(crate) fn add_fragments(&mut self, file: &SourceFile, file_idx: usize, frags: FragmentFile, errors: &mut Vec<RuleError>) {
        for f in frags.fragment {
            let name = f.name.get_ref().clone();
            let at = f.name.span().start;
            if !is_name(&name) {
                errors.push(file.error(at, Some(&name), "a name is lowercase letters, digits and '_', starting with a letter"));
                continue;
            }
            if self.fragments.contains_key(&name) || self.lexicon.sets.contains_key(&name) {
                errors.push(file.error(at, Some(&name), "defined twice (as a fragment or a word list)"));
                continue;
            }
            for (list, should_match) in [(&f.matches, true), (&f.rejects, false)] {
                for t in list {
                    self.fragment_examples.push(FragmentExample { file: file_idx, at: t.span().start, fragment: name.clone(), text: t.get_ref().clone(), should_match });
                }
            }
            let at = f.pattern.span().start;
            self.fragments.insert(name, Fragment { raw: f.pattern.into_inner(), file: file_idx, at });
        }
    }

    /// Compiles the vocabulary. `patterns` are all rule patterns (for the literals they name);
    /// `abbreviations` are tokens that keep their period. Fragment errors go to `errors`.
    pub(crate) fn finish(self, files: &[SourceFile], patterns: &[&str], abbreviations: impl IntoIterator<Item = String>, errors: &mut Vec<RuleError>) -> Option<Vocabulary> {
        let mut literals: HashMap<String, usize> = HashMap::new();
        let mut bits = self.lexicon.bits;
        let mut add_literal = |w: &str, literals: &mut HashMap<String, usize>| {
            for part in w.split_whitespace() {
                literals.entry(literal_key(part)).or_insert_with(|| {
                    bits += 1;
                    bits - 1
                });
            }
        };
        for set in self.lexicon.sets.values() {
            for phrase in &set.phrases {
                for w in phrase {
                    add_literal(w, &mut literals);
                }
            }
        }
        let raws = self.fragments.values().map(|f| f.raw.as_str()).chain(patterns.iter().copied());
        for raw in raws {
            // Parse errors are reported where each pattern compiles.
            for l in lex(raw).unwrap_or_default() {
                if let Lex::Lit(w) = l {
                    add_literal(&w, &mut literals);
                }
            }
        }
        let mut tables = WordTables::new(bits.div_ceil(64).max(1));
        let mut keeps_period: HashSet<String> = abbreviations.into_iter().collect();
        for (word, bit, ignore_case) in &self.lexicon.members {
            if *ignore_case {
                tables.add_folded(word, *bit);
            } else {
                tables.add_exact(word, *bit);
            }
            if word.ends_with('.') && word.len() > 1 {
                keeps_period.insert(word.clone());
            }
        }
        for (w, &bit) in &literals {
            if w.chars().next().is_some_and(char::is_alphanumeric) {
                tables.add_folded(w, bit);
            } else {
                tables.add_exact(w, bit);
            }
        }
        let sigs = match Signatures::build(&tables) {
            Ok(s) => s,
            Err(msg) => {
                errors.push(RuleError { file: "lexicon".into(), line: 0, column: 0, rule: None, message: msg });
                return None;
            }
        };
        let mut vocab = Vocabulary {
            lexicon: self.lexicon,
            fragments: self.fragments,
            literals,
            sigs,
            keeps_period,
            fragment_examples: self.fragment_examples,
            translated: Translations::new(),
            classes: Mutex::default(),
        };
        let mut names: Vec<&String> = vocab.fragments.keys().collect();
        names.sort();
        let mut translated = Translations::new();
        for name in names {
            let f = &vocab.fragments[name];
            let checked = vocab.reference(name, &mut Vec::new(), &mut translated).and_then(|re| {
                // The syntax is checked here; size limits are checked where rules compile.
                regex_syntax::Parser::new().parse(&re).map(|_| ()).map_err(|e| super::rule::regex_error(&e.to_string()))
            });
            if let Err(msg) = checked {
                errors.push(files[f.file].error(f.at, Some(name), msg));
            }
        }
        vocab.translated = translated;
        Some(vocab)
    }
}

impl Vocabulary {
    /// Translates a pattern into a regex over signature characters, in which each token class
    /// is one placeholder character; [`Vocabulary::hir`] parses it.
    pub fn translate(&self, pattern: &str) -> Result<String, String> {
        let lexes = lex(pattern)?;
        self.translate_lexes(&lexes, &mut Vec::new(), &mut Translations::new())
    }

    /// Parses a translated pattern, with its placeholders replaced by the classes they stand
    /// for. A class written out holds up to thousands of signature ranges and a rule names
    /// hundreds of classes: parsing them as text was most of the time it takes to load the
    /// rules, and a placeholder is one character to parse.
    pub fn hir(&self, translated: &str) -> Result<Hir, String> {
        let hir = regex_syntax::ParserBuilder::new().build().parse(translated).map_err(|e| e.to_string())?;
        let classes = self.classes.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(expand(&hir, &classes))
    }

    /// The placeholder of the class of signatures for which `pred` holds.
    fn class(&self, pred: impl Fn(&[u64], u16) -> bool) -> Result<String, String> {
        let mut classes = self.classes.lock().unwrap_or_else(PoisonError::into_inner);
        let ranges = self.sigs.class(pred);
        let i = match classes.get_index_of(&ranges) {
            Some(i) => i,
            None => classes.insert_full(ranges.clone(), class_hir(&ranges)).0,
        };
        let placeholder = (i < MAX_CLASSES).then(|| char::from_u32(CLASS_BASE + i as u32)).flatten();
        placeholder.map(String::from).ok_or_else(|| format!("more than {MAX_CLASSES} distinct token classes"))
    }

    /// The translation of `key`: the known one, or `make`'s, remembered in `cache`.
    fn cached(&self, key: String, cache: &mut Translations, make: impl FnOnce(&mut Translations) -> Result<String, String>) -> Result<String, String> {
        if let Some(t) = self.translated.get(&key).or_else(|| cache.get(&key)) {
            return Ok(t.clone());
        }
        let t = make(cache)?;
        cache.insert(key, t.clone());
        Ok(t)
    }

    fn translate_lexes(&self, lexes: &[Lex], stack: &mut Vec<String>, cache: &mut Translations) -> Result<String, String> {
        let mut out = String::new();
        let mut i = 0;
        while i < lexes.len() {
            match &lexes[i] {
                Lex::Raw(r) => out.push_str(r),
                Lex::Pipe => out.push('|'),
                Lex::Ref(name) => out.push_str(&self.reference(name, stack, cache)?),
                Lex::Lit(w) => out.push_str(&self.cached(format!("'{w}'"), cache, |_| self.literal_seq(w))?),
                Lex::Shape(s) => {
                    shape_pred(s)?;
                    out.push_str(&self.cached(format!("<{s}>"), cache, |_| self.class(|b, sh| shape_pred(s).is_ok_and(|p| p.eval(b, sh))))?)
                }
                Lex::Bang | Lex::LBracket => {
                    let (pred, used) = self.predicate(&lexes[i..])?;
                    let key = format!("{:?}", &lexes[i..i + used]);
                    out.push_str(&self.cached(key, cache, |_| self.class(|b, s| pred.eval(b, s)))?);
                    i += used;
                    continue;
                }
                Lex::Amp | Lex::RBracket | Lex::LParen | Lex::RParen => return Err("'&', ']' are only meaningful inside [...]".into()),
            }
            i += 1;
        }
        Ok(out)
    }

    fn reference(&self, name: &str, stack: &mut Vec<String>, cache: &mut Translations) -> Result<String, String> {
        if let Some(f) = self.fragments.get(name) {
            if stack.iter().any(|s| s == name) {
                return Err(format!("fragment cycle: {} -> {name}", stack.join(" -> ")));
            }
            return self.cached(name.to_owned(), cache, |cache| {
                stack.push(name.to_owned());
                let inner = self.translate_lexes(&lex(&f.raw)?, stack, cache);
                stack.pop();
                Ok(format!("(?:{})", inner?))
            });
        }
        self.cached(name.to_owned(), cache, |_| self.list(name))
    }

    /// A word list or verb form set: its multi-word entries, then its one-word entries.
    fn list(&self, name: &str) -> Result<String, String> {
        let set = self.lexicon.sets.get(name).ok_or_else(|| format!("unknown name {{{name}}}"))?;
        let mut alts: Vec<String> = Vec::new();
        for phrase in &set.phrases {
            alts.push(phrase.iter().map(|w| self.literal_class(w)).collect::<Result<Vec<_>, _>>()?.concat());
        }
        let bits = set.bits.clone();
        alts.push(self.class(|b, _| bits.iter().any(|&i| bit_test(b, i)))?);
        Ok(format!("(?:{})", alts.join("|")))
    }

    fn literal_class(&self, word: &str) -> Result<String, String> {
        let bit = *self.literals.get(&literal_key(word)).ok_or_else(|| format!("literal '{word}' was not collected"))?;
        self.class(|b, _| bit_test(b, bit))
    }

    fn literal_seq(&self, words: &str) -> Result<String, String> {
        let parts: Vec<String> = words.split_whitespace().map(|w| self.literal_class(w)).collect::<Result<_, _>>()?;
        Ok(if parts.len() == 1 { parts.concat() } else { format!("(?:{})", parts.concat()) })
    }

    /// Parses `!atom` or `[ … ]` at the start of `lexes`; returns it and how many lexes it used.
    fn predicate(&self, lexes: &[Lex]) -> Result<(Pred, usize), String> {
        match lexes.first() {
            Some(Lex::Bang) => {
                let (p, n) = self.predicate(&lexes[1..])?;
                Ok((Pred::Not(Box::new(p)), n + 1))
            }
            Some(Lex::LBracket) => {
                let close = lexes.iter().position(|l| *l == Lex::RBracket).ok_or("unclosed '['")?;
                let mut pos = 0;
                let p = self.pred_or(&lexes[1..close], &mut pos)?;
                if pos != close - 1 {
                    return Err("unexpected item inside [...]".into());
                }
                Ok((p, close + 1))
            }
            Some(_) => Ok((self.pred_atom(lexes, &mut 0)?, 1)),
            None => Err("'!' needs an atom after it".into()),
        }
    }

    fn pred_or(&self, lexes: &[Lex], pos: &mut usize) -> Result<Pred, String> {
        let mut alts = vec![self.pred_and(lexes, pos)?];
        while lexes.get(*pos) == Some(&Lex::Pipe) {
            *pos += 1;
            alts.push(self.pred_and(lexes, pos)?);
        }
        Ok(if alts.len() == 1 { alts.pop().expect("one") } else { Pred::Or(alts) })
    }

    fn pred_and(&self, lexes: &[Lex], pos: &mut usize) -> Result<Pred, String> {
        let mut all = vec![self.pred_unary(lexes, pos)?];
        while lexes.get(*pos) == Some(&Lex::Amp) {
            *pos += 1;
            all.push(self.pred_unary(lexes, pos)?);
        }
        Ok(if all.len() == 1 { all.pop().expect("one") } else { Pred::And(all) })
    }

    fn pred_unary(&self, lexes: &[Lex], pos: &mut usize) -> Result<Pred, String> {
        match lexes.get(*pos) {
            Some(Lex::Bang) => {
                *pos += 1;
                Ok(Pred::Not(Box::new(self.pred_unary(lexes, pos)?)))
            }
            Some(Lex::LParen) => {
                *pos += 1;
                let p = self.pred_or(lexes, pos)?;
                if lexes.get(*pos) != Some(&Lex::RParen) {
                    return Err("unclosed '(' inside [...]".into());
                }
                *pos += 1;
                Ok(p)
            }
            _ => self.pred_atom(lexes, pos),
        }
    }

    fn pred_atom(&self, lexes: &[Lex], pos: &mut usize) -> Result<Pred, String> {
        let p = match lexes.get(*pos) {
            Some(Lex::Shape(s)) => shape_pred(s)?,
            Some(Lex::Ref(name)) => match self.lexicon.sets.get(name) {
                Some(set) => Pred::Bits(set.bits.clone()),
                None if self.fragments.contains_key(name) => return Err(format!("{{{name}}} is a fragment; inside [...] and after '!' only word lists, literals and shapes can stand")),
                None => return Err(format!("unknown name {{{name}}}")),
            },
            Some(Lex::Lit(w)) if !w.contains(char::is_whitespace) => Pred::Bits(vec![*self.literals.get(&literal_key(w)).ok_or("literal not collected")?]),
            Some(Lex::Lit(w)) => return Err(format!("'{w}' is several tokens; inside [...] a literal is one token")),
            other => return Err(format!("expected a word list, literal or shape, found {other:?}")),
        };
        *pos += 1;
        Ok(p)
    }
}

/// A class of the characters in `ranges`.
fn class_hir(ranges: &[(u32, u32)]) -> Hir {
    let ranges = ranges.iter().filter_map(|&(a, b)| Some(ClassUnicodeRange::new(char::from_u32(a)?, char::from_u32(b)?)));
    Hir::class(Class::Unicode(ClassUnicode::new(ranges)))
}

/// `hir` with every placeholder character replaced by its class of `classes`.
fn expand(hir: &Hir, classes: &Classes) -> Hir {
    let placeholders = CLASS_BASE..CLASS_BASE + classes.len() as u32;
    let entry = |c: u32| classes.get_index((c - CLASS_BASE) as usize).expect("a placeholder");
    match hir.kind() {
        // The parser joins a run of characters into one literal.
        HirKind::Literal(l) => Hir::concat(
            String::from_utf8_lossy(&l.0)
                .chars()
                .map(|c| if placeholders.contains(&(c as u32)) { entry(c as u32).1.clone() } else { Hir::literal(c.to_string().into_bytes()) })
                .collect(),
        ),
        // And it joins alternatives of one character each into a class: `(?:{a}|{b})`. A class
        // that holds every signature already (`.`) gains nothing from the classes it spans.
        HirKind::Class(Class::Unicode(c)) if !c.ranges().iter().any(|r| r.start() as u32 <= SIG_BASE && r.end() as u32 >= SIG_LAST) => {
            let named = c.ranges().iter().flat_map(|r| (r.start() as u32).max(placeholders.start)..(r.end() as u32 + 1).min(placeholders.end));
            let mut ranges: Vec<(u32, u32)> = named.flat_map(|p| entry(p).0.iter().copied()).collect();
            if ranges.is_empty() {
                return hir.clone();
            }
            ranges.extend(c.ranges().iter().map(|r| (r.start() as u32, r.end() as u32)));
            class_hir(&ranges)
        }
        HirKind::Empty | HirKind::Class(_) | HirKind::Look(_) => hir.clone(),
        HirKind::Repetition(r) => Hir::repetition(Repetition { min: r.min, max: r.max, greedy: r.greedy, sub: Box::new(expand(&r.sub, classes)) }),
        HirKind::Capture(c) => Hir::capture(Capture { index: c.index, name: c.name.clone(), sub: Box::new(expand(&c.sub, classes)) }),
        HirKind::Concat(items) => Hir::concat(items.iter().map(|h| expand(h, classes)).collect()),
        HirKind::Alternation(items) => Hir::alternation(items.iter().map(|h| expand(h, classes)).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tokens::{TokenString, tokenize};

    fn vocab(lexicon: &str, fragments: &str, patterns: &[&str]) -> (Option<Vocabulary>, Vec<RuleError>) {
        let files = vec![
            SourceFile { path: "lexicon/x.toml".into(), text: lexicon.into() },
            SourceFile { path: "fragments.toml".into(), text: fragments.into() },
        ];
        let mut b = VocabularyBuilder::default();
        let mut errors = Vec::new();
        b.lexicon.add_file(&files[0], 0, files[0].parse().unwrap(), &mut errors);
        b.add_fragments(&files[1], 1, files[1].parse().unwrap(), &mut errors);
        let v = b.finish(&files, patterns, Vec::new(), &mut errors);
        (v, errors)
    }

    fn tags(v: &Vocabulary, text: &str) -> String {
        let mut ts = TokenString::default();
        tokenize(text, |w| v.keeps_period.contains(w), &mut ts.tokens);
        ts.tags = ts.tokens.iter().map(|t| v.sigs.signature(&text[t.span()], t.shape)).collect();
        ts.tags
    }

    const LEX: &str = "[[verb]]\nclass = \"speech\"\nforms = [\"say\", \"says\", \"said\", \"said\", \"saying\"]\n\
                       [[list]]\nname = \"title\"\nwords = [\"Mr.\", \"Prime Minister\"]\n";

    #[test]
    fn token_patterns_match_words_shapes_and_literals() {
        let (v, errors) = vocab(LEX, "[[fragment]]\nname = \"who\"\npattern = '{title} <cap>+'\n", &["^ {who} {speech} 'that'? <any>* $"]);
        assert!(errors.is_empty(), "{errors:?}");
        let v = v.unwrap();
        let re = super::super::rule::compile(&v, &v.translate("^ {who} {speech} 'that'? <any>* $").unwrap()).unwrap();
        assert!(re.is_match(&tags(&v, "Prime  Minister Netanyahu said that it is over.")));
        assert!(re.is_match(&tags(&v, "Mr. Smith says so")));
        assert!(!re.is_match(&tags(&v, "Mr. Smith Says so")), "verbs match as written");
        assert!(!re.is_match(&tags(&v, "The minister said so")));
        let not_comma = super::super::rule::compile(&v, &format!("^{}$", v.translate("[<word> & !{speech}]+").unwrap())).unwrap();
        assert!(not_comma.is_match(&tags(&v, "Mr. Smith left")));
        assert!(!not_comma.is_match(&tags(&v, "Mr. Smith said")));
    }

    /// The parser makes one class of alternatives that are one character each; here those
    /// characters are placeholders, and the class must stand for all their tokens.
    #[test]
    fn alternatives_of_one_token_each_match_all_their_tokens() {
        let pattern = "^ (?: 'told' | 'asked' | <num> ) (?: 'so' | {speech} )+ $";
        let (v, errors) = vocab(LEX, "fragment = []\n", &[pattern]);
        assert!(errors.is_empty(), "{errors:?}");
        let v = v.unwrap();
        let re = super::super::rule::compile(&v, &v.translate(pattern).unwrap()).unwrap();
        for text in ["told so", "Asked said so", "42 says"] {
            assert!(re.is_match(&tags(&v, text)), "{text}");
        }
        for text in ["told", "replied so", "told them"] {
            assert!(!re.is_match(&tags(&v, text)), "{text}");
        }
    }

    #[test]
    fn reports_unknown_names_cycles_and_syntax() {
        let (_, errors) = vocab(
            "",
            "[[fragment]]\nname = \"a\"\npattern = '{b}'\n[[fragment]]\nname = \"b\"\npattern = '{a}'\n\
             [[fragment]]\nname = \"c\"\npattern = '{nope}'\n[[fragment]]\nname = \"d\"\npattern = 'said'\n",
            &[],
        );
        let msgs: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert!(msgs.iter().any(|m| m.contains("fragment cycle")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("fragments.toml:9:") && m.contains("unknown name {nope}")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("fragments.toml:12:") && m.contains("unexpected 's'")), "{msgs:?}");
    }
}
