//! Running a rule regex over a unit's signatures: at every token where a match can start,
//! the leftmost-first match anchored there. Matches of one rule may overlap: in "As Trump
//! attacked Clinton, the attendees chanted …" the speech rule finds the clause that starts at
//! "Trump" and the one that starts at the comma, and settling (see `apply`) decides which stand.
//!
//! An unanchored search for a large rule (a speaker grammar, verb groups, content up to the
//! sentence end) runs a lazy DFA whose states are sets of NFA states reached from *every*
//! earlier start position at once. Those sets hardly ever repeat between sentences, so the DFA
//! spends most of its time building new states, and a reverse scan then finds where the match
//! starts. Most rules can only start at a few tokens (a clause start: the sentence start, a
//! comma, a subordinator), so this tries an anchored search at each such token instead, in
//! text order; the anchored DFA follows one start at a time, so its states repeat and its
//! cache settles, and no reverse scan is needed.

use std::ops::Range;

use regex_automata::meta::{self, Regex};
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input};
use regex_syntax::hir::{Class, Hir, HirKind, Look};

use super::tokens::{SIG_BASE, SIG_LEN};

/// When a rule can start at more than this share of all signatures, anchored searches at
/// (nearly) every token would cost more than one unanchored search.
const MAX_START_SHARE: f64 = 0.5;

/// A compiled rule pattern and where its matches can start.
#[derive(Debug)]
pub struct RuleRegex {
    regex: Regex,
    /// For each signature (by index), whether a match can start at a token of it other than
    /// the unit's first (where anything may start: `^` holds there). `None`: search unanchored.
    starts: Option<Box<[bool]>>,
    /// Signatures (by index) of which every match holds at least one token; `None` when no
    /// such set is known.
    pub required: Option<Box<[bool]>>,
}

impl RuleRegex {
    /// Compiles `pattern` (over signature characters; `universe` signatures exist).
    pub fn new(pattern: &str, universe: usize, size_limit: usize) -> Result<RuleRegex, String> {
        let config = meta::Config::new().nfa_size_limit(Some(size_limit)).onepass_size_limit(Some(size_limit)).hybrid_cache_capacity(size_limit).dfa_size_limit(Some(size_limit));
        // The regex crate's defaults (Unicode, UTF-8), parsed once for both uses.
        let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).map_err(|e| e.to_string())?;
        let regex = Regex::builder().configure(config).build_from_hir(&hir).map_err(|e| e.to_string())?;
        let required = required(&hir).map(|r| table(&r, universe));
        let starts = start_table(&hir, universe).filter(|s| (s.iter().filter(|&&x| x).count() as f64) < MAX_START_SHARE * universe as f64);
        Ok(RuleRegex { regex, starts, required })
    }

    /// The names of the capture groups, by index.
    pub fn capture_names(&self) -> impl Iterator<Item = Option<&str>> {
        self.regex.group_info().pattern_names(regex_automata::PatternID::ZERO)
    }

    /// For every token of `tags` at which a match starts, in text order, the leftmost-first
    /// match anchored there.
    pub fn matches(&self, tags: &str, out: &mut Vec<Captures>) {
        out.clear();
        let bytes = tags.as_bytes();
        let mut caps = self.regex.create_captures();
        let mut p = 0;
        while p <= bytes.len() {
            match &self.starts {
                // The next token where a match starts is found by one unanchored search.
                None => {
                    self.regex.search_captures(&Input::new(tags).range(p..), &mut caps);
                    let Some(m) = caps.get_match() else { break };
                    out.push(caps.clone());
                    p = m.start() + SIG_LEN;
                    continue;
                }
                Some(starts) => {
                    if p == 0 || (p < bytes.len() && starts[sig_index(&bytes[p..])]) {
                        self.regex.search_captures(&Input::new(tags).range(p..).anchored(Anchored::Yes), &mut caps);
                        if caps.get_match().is_some() {
                            out.push(caps.clone());
                        }
                    }
                }
            }
            p += SIG_LEN;
        }
    }
}

/// For each of `universe` signatures, whether it is among `ranges` of characters.
fn table(ranges: &[(u32, u32)], universe: usize) -> Box<[bool]> {
    let mut t = vec![false; universe].into_boxed_slice();
    for &(a, b) in ranges {
        for c in a.max(SIG_BASE)..=b.min(SIG_BASE + universe as u32 - 1) {
            t[(c - SIG_BASE) as usize] = true;
        }
    }
    t
}

/// For each of `universe` signatures, whether a match of `hir` can start at a token of it
/// that is not the first of the haystack; `None` when a match can start anywhere.
pub fn start_table(hir: &Hir, universe: usize) -> Option<Box<[bool]>> {
    let first = First::of(hir);
    (!first.nullable).then(|| table(&first.chars, universe))
}

/// The span of capture group `i` of a match, if it took part.
pub fn group(caps: &Captures, i: usize) -> Option<Range<usize>> {
    caps.get_group(i).map(|s| s.range())
}

/// The index of the signature whose UTF-8 encoding starts `b`.
pub fn sig_index(b: &[u8]) -> usize {
    let c = (u32::from(b[0] & 0x0F) << 12) | (u32::from(b[1] & 0x3F) << 6) | u32::from(b[2] & 0x3F);
    (c - SIG_BASE) as usize
}

/// Characters (as ranges) of which every match of `hir` holds one, the fewest found; `None`
/// when a match may hold none of any set (it can be empty).
fn required(hir: &Hir) -> Option<Vec<(u32, u32)>> {
    let size = |r: &[(u32, u32)]| r.iter().map(|&(a, b)| u64::from(b - a) + 1).sum::<u64>();
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(l) => std::str::from_utf8(&l.0).ok().and_then(|s| s.chars().next()).map(|c| vec![(c as u32, c as u32)]),
        HirKind::Class(Class::Unicode(c)) => Some(c.ranges().iter().map(|r| (r.start() as u32, r.end() as u32)).collect()),
        HirKind::Class(Class::Bytes(b)) => b.ranges().is_empty().then(Vec::new),
        HirKind::Repetition(r) if r.min > 0 => required(&r.sub),
        HirKind::Repetition(_) => None,
        HirKind::Capture(c) => required(&c.sub),
        HirKind::Concat(items) => items.iter().filter_map(required).min_by_key(|r| size(r)),
        HirKind::Alternation(items) => items.iter().map(required).collect::<Option<Vec<Vec<_>>>>().map(|v| v.concat()),
    }
}

/// The characters a match can begin with (as ranges), when it does not start at the unit's
/// start: there `^` fails, so a branch that begins with `^` contributes nothing. `nullable`:
/// a match may consume nothing before its first character is known (then any start is
/// possible). Other assertions are taken as possibly true.
struct First {
    chars: Vec<(u32, u32)>,
    nullable: bool,
}

impl First {
    fn of(hir: &Hir) -> First {
        match hir.kind() {
            HirKind::Empty => First { chars: vec![], nullable: true },
            HirKind::Literal(l) => {
                let c = std::str::from_utf8(&l.0).ok().and_then(|s| s.chars().next()).map_or(0, |c| c as u32);
                First { chars: vec![(c, c)], nullable: false }
            }
            HirKind::Class(Class::Unicode(c)) => First { chars: c.ranges().iter().map(|r| (r.start() as u32, r.end() as u32)).collect(), nullable: false },
            // Signature strings are valid UTF-8; a byte class here is the empty class.
            HirKind::Class(Class::Bytes(b)) => First { chars: if b.ranges().is_empty() { vec![] } else { vec![(0, u32::MAX)] }, nullable: false },
            HirKind::Look(Look::Start) => First { chars: vec![], nullable: false },
            HirKind::Look(_) => First { chars: vec![], nullable: true },
            HirKind::Repetition(r) => {
                let sub = First::of(&r.sub);
                First { chars: sub.chars, nullable: sub.nullable || r.min == 0 }
            }
            HirKind::Capture(c) => First::of(&c.sub),
            HirKind::Concat(items) => {
                let mut out = First { chars: vec![], nullable: true };
                for h in items {
                    let f = First::of(h);
                    out.chars.extend(f.chars);
                    if !f.nullable {
                        out.nullable = false;
                        break;
                    }
                }
                out
            }
            HirKind::Alternation(items) => {
                let mut out = First { chars: vec![], nullable: false };
                for h in items {
                    let f = First::of(h);
                    out.chars.extend(f.chars);
                    out.nullable |= f.nullable;
                }
                out
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The matches are, at every token, the leftmost-first match anchored there (as a plain
    /// `regex` finds it), on every string of up to six signatures out of four.
    #[test]
    fn a_match_at_every_start() {
        let patterns = [
            r"(?:^|\x{E001})(?P<a>\x{E002}+)\x{E003}?",
            r"\x{E001}(?P<a>[\x{E000}-\x{E003}]*?)\x{E002}",
            r"(?P<a>\x{E002}?)(?:\x{E003}|$)",
            r"^(?P<a>\x{E000}[\x{E001}\x{E002}]+)",
            r"\x{E003}(?:\x{E000}|\x{E001})(?P<a>\x{E000})*",
            r"(?:^|\x{E001})(?P<a>\x{E002}*)",
        ];
        for p in patterns {
            let ours = RuleRegex::new(p, 4, 1 << 20).unwrap();
            assert_eq!(ours.starts.is_some(), !p.contains('$'), "{p}");
            let theirs = regex::Regex::new(p).unwrap();
            for n in 0..=6u32 {
                for code in 0..4u32.pow(n) {
                    let s: String = (0..n).map(|i| char::from_u32(SIG_BASE + code / 4u32.pow(i) % 4).unwrap()).collect();
                    // The leftmost match from a token starts there exactly when one can.
                    let want: Vec<Vec<Option<Range<usize>>>> = (0..=s.len())
                        .step_by(SIG_LEN)
                        .filter_map(|at| theirs.captures_at(&s, at).filter(|c| c.get(0).unwrap().start() == at))
                        .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect())
                        .collect();
                    let mut found = Vec::new();
                    ours.matches(&s, &mut found);
                    let got: Vec<Vec<Option<Range<usize>>>> = found.iter().map(|c| (0..c.group_len()).map(|i| group(c, i)).collect()).collect();
                    assert_eq!(got, want, "{p} on {s:?}");
                }
            }
        }
    }
}
