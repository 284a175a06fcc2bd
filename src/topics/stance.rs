//! Stance (`stance.toml`): whether a statement is for or against each topic it names.
//!
//! The file holds a polarity lexicon — words that take a side on what they govern ("prevent",
//! "sanctions on", "support", "selling … to") and words that reverse what follows ("not",
//! "lift", "refuse") — and the bits of grammar that bound their reach. A topic named in a
//! statement gets the side of the nearest polarity word that governs it, reversed by every
//! polarity or reversing word that governs that one in turn:
//!
//! - "will **not** **permit** Iran to …": permit is for, not reverses: Iran, against;
//! - "**preventing** Tehran from **arming** Hezbollah": arming is for Hezbollah, preventing
//!   reverses it: Hezbollah, against; Tehran's nearest word is preventing: Iran, against;
//! - "will **not** **lift** **sanctions on** Iran": against, reversed twice: against.
//!
//! A word governs a topic named at most `reach` words after it, unless a verb complement
//! stands between ("allow it to investigate Israel" says nothing about Israel); words marked
//! `applies = "before"` govern what comes before them in their clause ("Iranian entrenchment
//! must be prevented", "view Hezbollah as legitimate"). The statement's cue counts as if it
//! stood before its content ("…, which Israel opposes"). A place ("in Syria") takes no side.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::fast_map::{FastMap, FastSet};
use crate::rules::{RuleError, SourceFile};

/// A side taken on a topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    For,
    Against,
}

impl Stance {
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::For => "for",
            Stance::Against => "against",
        }
    }

    fn reversed(self) -> Stance {
        match self {
            Stance::For => Stance::Against,
            Stance::Against => Stance::For,
        }
    }
}

/// Which side of a polarity word the topics it governs stand on.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Applies {
    /// Its object: "prevent Iran", "sanctions on Iran".
    #[default]
    After,
    /// Its subject or the object of a verb before it: "Iran must be stopped", "view Hezbollah
    /// as legitimate".
    Before,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StanceFile {
    grammar: GrammarToml,
    /// Words that take a side.
    #[serde(default)]
    polarity: Vec<WordsToml>,
    /// Words that reverse a side without taking one.
    #[serde(default)]
    reverse: Vec<WordsToml>,
    #[serde(default)]
    example: Vec<ExampleToml>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GrammarToml {
    /// How many words after it a polarity word reaches.
    reach: usize,
    /// Words and marks that end a clause: nothing reaches across them.
    breaks: Vec<String>,
    /// "and", "or": between two verb phrases they stop one from governing the other.
    coordinators: Vec<String>,
    /// Words that open a verb phrase after a coordinator ("and will stop", "and to stop").
    verb_openers: Vec<String>,
    /// Words that open a reported clause ("that"): a polarity word does not reach into it.
    complementizers: Vec<String>,
    /// Words that open a noun phrase: after them "to" is a preposition, not an infinitive.
    determiners: Vec<String>,
    /// Prepositions of place and of parties: a topic after them is where something happens or
    /// who takes part ("in Syria", "talks between Israel and Russia"), not a side.
    no_side: Vec<String>,
    /// Pronouns used as dummies, that stand for no topic ("it is", "there are").
    dummies: Vec<String>,
}

/// A `[[polarity]]` table (with a `stance`) or a `[[reverse]]` table (without).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WordsToml {
    stance: Option<Spanned<Stance>>,
    #[serde(default)]
    applies: Applies,
    #[allow(dead_code)]
    #[serde(default)]
    description: String,
    words: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleToml {
    text: Spanned<String>,
    /// The topics the statement must carry, in order (checked when given).
    topics: Option<Vec<String>>,
    /// The statement's whole stance map (`{}` for none).
    stance: indexmap::IndexMap<String, Stance>,
}

/// A stance example: some statement found in `text` must carry exactly this stance (and these
/// topics, when given).
#[derive(Debug, Clone)]
pub struct StanceExample {
    pub file: usize,
    pub at: usize,
    pub text: String,
    pub topics: Option<Vec<String>>,
    pub stance: indexmap::IndexMap<String, Stance>,
}

/// What a lexicon entry does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Takes(Stance, Applies),
    Reverses(Applies),
}

/// The compiled polarity lexicon and grammar.
#[derive(Debug, Default)]
pub struct StanceLexicon {
    /// Entries by their first word: (the remaining words, role), longest first.
    entries: FastMap<String, Vec<(Vec<String>, Role)>>,
    reach: usize,
    breaks: FastSet<String>,
    coordinators: FastSet<String>,
    verb_openers: FastSet<String>,
    complementizers: FastSet<String>,
    determiners: FastSet<String>,
    no_side: FastSet<String>,
    /// Dummy pronoun sequences by their first word.
    dummies: FastMap<String, Vec<Vec<String>>>,
    pub examples: Vec<StanceExample>,
}

/// The form in which words are compared: lower case, typographic apostrophes made straight.
/// Made for every word of every statement's content, so with one allocation where it can.
pub fn key(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    let lower = word.to_lowercase();
    if lower.contains('’') { lower.replace('’', "'") } else { lower }
}

fn set(words: &[String]) -> FastSet<String> {
    words.iter().map(|w| key(w)).collect()
}

fn split(phrase: &str) -> Vec<String> {
    phrase.split_whitespace().map(key).collect()
}

impl StanceLexicon {
    pub(crate) fn from_file(src: &SourceFile, file_idx: usize, errors: &mut Vec<RuleError>) -> Option<Self> {
        let f: StanceFile = match src.parse() {
            Ok(f) => f,
            Err(e) => {
                errors.push(e);
                return None;
            }
        };
        let g = f.grammar;
        let mut lex = StanceLexicon {
            reach: g.reach,
            breaks: set(&g.breaks),
            coordinators: set(&g.coordinators),
            verb_openers: set(&g.verb_openers),
            complementizers: set(&g.complementizers),
            determiners: set(&g.determiners),
            no_side: set(&g.no_side),
            ..Default::default()
        };
        for d in &g.dummies {
            let words = split(d);
            if let Some((first, rest)) = words.split_first() {
                lex.dummies.entry(first.clone()).or_default().push(rest.to_vec());
            }
        }
        let mut groups = Vec::new();
        for p in f.polarity {
            match p.stance {
                Some(side) => groups.push((p.words, Role::Takes(side.into_inner(), p.applies))),
                None => errors.push(src.error(p.words.first().map_or(0, |w| w.span().start), None, "a [[polarity]] table needs a stance, for or against")),
            }
        }
        for r in f.reverse {
            match r.stance {
                Some(side) => errors.push(src.error(side.span().start, None, "a [[reverse]] table takes no stance: it reverses one")),
                None => groups.push((r.words, Role::Reverses(r.applies))),
            }
        }
        let mut seen: HashMap<Vec<String>, Role> = HashMap::new();
        for (words, role) in groups {
            for w in words {
                let parts = split(w.get_ref());
                let Some((first, rest)) = parts.split_first() else {
                    errors.push(src.error(w.span().start, None, "an empty entry"));
                    continue;
                };
                if let Some(prev) = seen.insert(parts.clone(), role) {
                    let what = if prev == role { "listed twice" } else { "listed with two different roles" };
                    errors.push(src.error(w.span().start, None, format!("{:?} is {what}", w.get_ref())));
                    continue;
                }
                lex.entries.entry(first.clone()).or_default().push((rest.to_vec(), role));
            }
        }
        for list in lex.entries.values_mut() {
            list.sort_by_key(|(rest, _)| std::cmp::Reverse(rest.len()));
        }
        lex.examples = f
            .example
            .into_iter()
            .map(|e| StanceExample { file: file_idx, at: e.text.span().start, text: e.text.into_inner(), topics: e.topics, stance: e.stance })
            .collect();
        Some(lex)
    }

    /// The longest entry starting at word `i` of `keys`: its length in words and its role.
    fn entry_at(&self, keys: &[String], i: usize) -> Option<(usize, Role)> {
        let list = self.entries.get(&keys[i])?;
        list.iter().find(|(rest, _)| keys.get(i + 1..i + 1 + rest.len()).is_some_and(|ws| ws == rest.as_slice())).map(|(rest, role)| (rest.len() + 1, *role))
    }

    /// Whether a dummy pronoun sequence ("it is", "there are") starts at word `i`.
    pub fn dummy_at(&self, keys: &[String], i: usize) -> bool {
        self.dummies.get(&keys[i]).is_some_and(|list| list.iter().any(|rest| keys.get(i + 1..i + 1 + rest.len()).is_some_and(|ws| ws == rest.as_slice())))
    }

    /// Reads the words of a statement (its cue, then its content) for polarity.
    pub fn read<'k>(&self, keys: &'k [String]) -> Reading<'_, 'k> {
        let mut hits = vec![None; keys.len()];
        for (i, hit) in hits.iter_mut().enumerate() {
            *hit = self.entry_at(keys, i);
        }
        Reading { lex: self, keys, hits }
    }
}

/// Which words of a statement name a topic: where each mention starts, and every word inside one.
#[derive(Debug, Default)]
pub struct Marks {
    pub start: Vec<bool>,
    pub inside: Vec<bool>,
}

/// A statement's words with the lexicon entries found among them.
pub struct Reading<'l, 'k> {
    lex: &'l StanceLexicon,
    keys: &'k [String],
    /// The entry starting at each word.
    hits: Vec<Option<(usize, Role)>>,
}

fn reverse_if(s: Stance, yes: bool) -> Stance {
    if yes { s.reversed() } else { s }
}

impl Reading<'_, '_> {
    fn is_break(&self, i: usize) -> bool {
        self.lex.breaks.contains(&self.keys[i])
    }

    fn is_word(&self, i: usize) -> bool {
        self.keys[i].starts_with(|c: char| c.is_alphanumeric())
    }

    fn starts_lower(&self, i: usize, original: &[&str]) -> bool {
        original[i].starts_with(|c: char| c.is_lowercase())
    }

    /// The stance the statement takes on the topic named by words `first..=last`, given the
    /// words as written (`original`) and which words start a topic mention.
    pub fn stance(&self, first: usize, last: usize, possessive: bool, original: &[&str], marks: &Marks) -> Option<Stance> {
        if self.takes_no_side(first, marks) {
            return None;
        }
        // "Lebanon's Hezbollah": the possessor only places the topic after it.
        if possessive && marks.start.get(last + 1).copied().unwrap_or(false) {
            return None;
        }
        if let Some(s) = self.governed_from_left(first, original, marks) {
            return Some(reverse_if(s, self.reversed_after(last)));
        }
        self.governed_from_right(first, last)
    }

    /// Whether a passive that undoes ("sanctions on Iran must be lifted", not "must not be
    /// lifted") follows the topic in its clause, before any other polarity word.
    fn reversed_after(&self, last: usize) -> bool {
        let (mut undone, mut reversals) = (false, 0);
        let mut k = last + 1;
        while k < self.keys.len() && !self.is_break(k) {
            match self.hits[k] {
                Some((len, Role::Reverses(applies))) => {
                    undone |= applies == Applies::Before;
                    reversals += 1;
                    k += len;
                }
                Some((_, Role::Takes(..))) => break,
                None => k += 1,
            }
        }
        undone && reversals % 2 == 1
    }

    /// Whether the topic at word `first` stands after a preposition of place or party ("in
    /// Syria", "between Israel and the Palestinians"), over determiners and coordinated topics.
    fn takes_no_side(&self, first: usize, marks: &Marks) -> bool {
        let mut k = first;
        while k > 0 {
            k -= 1;
            let w = &self.keys[k];
            if self.lex.no_side.contains(w) {
                return true;
            }
            let passable = self.lex.determiners.contains(w) || self.lex.coordinators.contains(w) || w == "," || marks.inside[k];
            if !passable {
                return false;
            }
        }
        false
    }

    /// The nearest polarity word before the topic, if it governs it, composed with what
    /// governs that word in turn.
    fn governed_from_left(&self, first: usize, original: &[&str], marks: &Marks) -> Option<Stance> {
        let mut limit = first;
        let mut reversals = false;
        let mut k = first;
        while k > 0 {
            k -= 1;
            if self.is_break(k) {
                return None;
            }
            let Some((len, role)) = self.hits[k] else { continue };
            if k + len > limit {
                continue;
            }
            match role {
                Role::Reverses(_) => {
                    reversals = !reversals;
                    limit = k;
                }
                Role::Takes(_, Applies::Before) => return None,
                Role::Takes(side, Applies::After) => {
                    if !self.governs(k + len, first, original, marks) {
                        return None;
                    }
                    return Some(self.compose(reverse_if(side, reversals), k));
                }
            }
        }
        None
    }

    /// Whether a polarity word ending before word `from` governs the topic at word `to`: it
    /// is near, no verb complement stands between, and no other topic does unless coordinated
    /// with this one ("supports an Iranian return to the nuclear deal" governs Iran, not the deal).
    fn governs(&self, from: usize, to: usize, original: &[&str], marks: &Marks) -> bool {
        let words = (from..to).filter(|&i| self.is_word(i)).count();
        if words > self.lex.reach {
            return false;
        }
        if let Some(other) = (from..to).rev().find(|&i| marks.start[i]) {
            let coordinated = (other + 1..to).all(|i| {
                let w = &self.keys[i];
                marks.inside[i] || self.lex.coordinators.contains(w) || self.lex.determiners.contains(w) || w == ","
            });
            if !coordinated {
                return false;
            }
        }
        // A gerund right after the polarity word is its object: "stops enriching uranium".
        if from < to && self.starts_lower(from, original) && self.keys[from].ends_with("ing") && self.hits[from].is_none() {
            return false;
        }
        (from..to).all(|i| {
            let next_lower = i + 1 < to && self.starts_lower(i + 1, original) && !marks.start[i + 1];
            let complement = self.lex.complementizers.contains(&self.keys[i])
                || (self.keys[i] == "to" && next_lower && !self.lex.determiners.contains(&self.keys[i + 1]))
                || (self.keys[i] == "from" && next_lower && self.keys[i + 1].ends_with("ing"));
            !complement
        })
    }

    /// A polarity word after the topic that applies to what comes before it.
    fn governed_from_right(&self, first: usize, last: usize) -> Option<Stance> {
        let mut reversals = false;
        let mut k = last + 1;
        while k < self.keys.len() && !self.is_break(k) {
            match self.hits[k] {
                Some((_, Role::Takes(side, Applies::Before))) => return Some(self.compose(reverse_if(side, reversals), first)),
                Some((_, Role::Takes(_, Applies::After))) => return None,
                Some((len, Role::Reverses(_))) => {
                    reversals = !reversals;
                    k += len;
                }
                None => k += 1,
            }
        }
        None
    }

    /// `side`, reversed by every polarity word against and every reversing word before word
    /// `from` in its clause, up to a coordinated phrase.
    fn compose(&self, side: Stance, from: usize) -> Stance {
        let mut side = side;
        let mut limit = from;
        let mut k = from;
        while k > 0 {
            k -= 1;
            if self.is_break(k) {
                break;
            }
            // "… and to stop …", "… and the overthrow of …": a coordinated verb or noun phrase
            // of its own, which does not govern this one.
            if self.lex.coordinators.contains(&self.keys[k]) {
                let next = k + 1;
                let verb = next < self.keys.len() && (self.lex.verb_openers.contains(&self.keys[next]) || self.hits[next].is_some());
                let phrase = (next..limit).all(|i| self.lex.determiners.contains(&self.keys[i]));
                if verb || phrase {
                    break;
                }
            }
            let Some((len, role)) = self.hits[k] else { continue };
            if k + len > limit {
                continue;
            }
            limit = k;
            if matches!(role, Role::Reverses(_) | Role::Takes(Stance::Against, _)) {
                side = side.reversed();
            }
        }
        side
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GRAMMAR: &str = "[grammar]\nreach = 8\nbreaks = [\".\"]\ncoordinators = [\"and\"]\nverb_openers = [\"to\"]\n\
                           complementizers = [\"that\"]\ndeterminers = [\"the\"]\nno_side = [\"in\"]\ndummies = [\"it is\"]\n";

    fn load(text: &str) -> (Option<StanceLexicon>, Vec<String>) {
        let src = SourceFile { path: "stance.toml".into(), text: format!("{GRAMMAR}{text}") };
        let mut errors = Vec::new();
        let lex = StanceLexicon::from_file(&src, 0, &mut errors);
        (lex, errors.iter().map(|e| e.to_string()).collect())
    }

    fn keys(text: &str) -> Vec<String> {
        text.split_whitespace().map(key).collect()
    }

    #[test]
    fn entries_listed_twice_are_errors_with_their_place() {
        let (_, errors) = load("[[polarity]]\nstance = \"for\"\nwords = [\"back\"]\n[[reverse]]\nwords = [\"Back\", \"not\", \"not\"]\n");
        assert!(errors.iter().any(|e| e.starts_with("stance.toml:14:10") && e.contains("two different roles")), "{errors:?}");
        assert!(errors.iter().any(|e| e.contains("\"not\" is listed twice")), "{errors:?}");
        let (_, errors) = load("[[polarity]]\nstance = \"sideways\"\nwords = []\n");
        assert!(errors.iter().any(|e| e.starts_with("stance.toml:11:")), "{errors:?}");
        let (_, errors) = load("[[polarity]]\nwords = [\"x\"]\n[[reverse]]\nstance = \"for\"\nwords = [\"y\"]\n");
        assert!(errors.iter().any(|e| e.contains("needs a stance")), "{errors:?}");
        assert!(errors.iter().any(|e| e.starts_with("stance.toml:13:") && e.contains("takes no stance")), "{errors:?}");
    }

    #[test]
    fn reads_the_nearest_governing_word_and_what_governs_it() {
        let (lex, errors) = load(
            "[[polarity]]\nstance = \"against\"\nwords = [\"prevent\", \"sanctions on\"]\n\
             [[polarity]]\nstance = \"for\"\nwords = [\"arming\"]\n[[reverse]]\nwords = [\"not\", \"lift\"]\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let lex = lex.unwrap();
        let side = |text: &str, at: usize| {
            let k = keys(text);
            let original: Vec<&str> = text.split_whitespace().collect();
            let mut marks = Marks { start: vec![false; k.len()], inside: vec![false; k.len()] };
            marks.start[at] = true;
            marks.inside[at] = true;
            lex.read(&k).stance(at, at, false, &original, &marks)
        };
        assert_eq!(side("prevent Tehran from arming Hezbollah", 4), Some(Stance::Against));
        assert_eq!(side("prevent Tehran from arming Hezbollah", 1), Some(Stance::Against));
        assert_eq!(side("will not lift sanctions on Iran", 5), Some(Stance::Against));
        assert_eq!(side("prevent it to investigate Israel", 4), None, "a verb complement stands between");
        assert_eq!(side("prevent attacks in Syria", 3), None, "a place takes no side");
        assert_eq!(side("Iran met Syria", 0), None);
    }
}
