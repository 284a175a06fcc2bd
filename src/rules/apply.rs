//! Running the patterns over a laid-out document: candidate statements, conflicts, nesting.
//!
//! Each sentence (and, for paragraph-scope rules, each paragraph) is matched, as a string of
//! token signatures, against the rules of its scope. Candidates then compete: two
//! never share a cue, and two never claim overlapping content unless one is nested in the
//! other's content ("X's office said Y reiterated that …"). Accepted reported speech is matched
//! again inside its content, which finds nested statements (not positions: "X said Y supports
//! Z" is X's claim); they carry the outer speaker as `via`.

use std::cell::RefCell;
use std::ops::Range;

use regex_automata::util::captures::Captures;
use regex_automata::util::pool::PoolGuard;

use super::rule::{Patterns, RuleKind, Scope};
use super::search::{Caches, group};
use crate::layout::Layout;
use crate::quotes::{CLOSE_BYTE, INSIDE_BYTE, OPEN_BYTE};
use crate::table::Kind;

/// How deep nested attributions are searched ("A said B said C" is depth 2).
const MAX_DEPTH: u8 = 2;

/// A statement found by a rule, before speakers are resolved. Spans are byte spans of the
/// matching copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub rule: usize,
    pub kind: Kind,
    pub speaker: Option<Range<usize>>,
    pub cue: Range<usize>,
    /// One span, or two for a quote split around its attribution.
    pub content: Vec<Range<usize>>,
    pub addressee: Option<Range<usize>>,
    /// The speaker mention of the statement this one is nested in.
    pub via: Option<Range<usize>>,
    pub paragraph: usize,
    depth: u8,
}

impl Candidate {
    /// Where the statement starts: its first span.
    pub fn start(&self) -> usize {
        let s = self.speaker.as_ref().map_or(usize::MAX, |s| s.start);
        s.min(self.cue.start).min(self.content[0].start)
    }

    /// From the first to the last byte of its content.
    pub fn content_extent(&self) -> Range<usize> {
        self.content[0].start..self.content.last().expect("content").end
    }
}

/// All statements of a document, in text order.
pub fn find(layout: &Layout, patterns: &Patterns) -> Vec<Candidate> {
    let matcher = Matcher { layout, patterns, caches: RefCell::new(patterns.caches()) };
    let mut found = Vec::new();
    for s in &layout.sentences {
        if !layout.is_excluded(&s.span) {
            matcher.unit(Scope::Sentence, s.span.clone(), s.paragraph, None, 0, &mut found);
        }
    }
    for (p, para) in layout.paragraphs.iter().enumerate() {
        if !layout.is_excluded(para) {
            matcher.unit(Scope::Paragraph, para.clone(), p, None, 0, &mut found);
        }
    }
    matcher.colon_bridges(&mut found);
    // Candidates compete only within their paragraph, which keeps settling linear in the
    // document's length however long it is.
    found.sort_by_key(|c| c.paragraph);
    let mut accepted = Vec::new();
    for group in found.chunk_by(|a, b| a.paragraph == b.paragraph) {
        let first = accepted.len();
        settle(group.to_vec(), patterns, &mut accepted, first);
        // Nested attributions inside reported speech, breadth first.
        let mut next = first;
        while next < accepted.len() {
            let outer = accepted[next].clone();
            next += 1;
            if outer.depth >= MAX_DEPTH || outer.kind == Kind::Direct {
                continue;
            }
            let mut inner = Vec::new();
            for part in &outer.content {
                let via = outer.speaker.clone();
                matcher.unit(Scope::Sentence, part.clone(), outer.paragraph, via, outer.depth + 1, &mut inner);
            }
            settle(inner, patterns, &mut accepted, first);
        }
    }
    matcher.continue_quotes(&mut accepted);
    patterns.put_back(matcher.caches.into_inner());
    accepted.sort_by_key(|c| (c.start(), c.content[0].start, c.cue.start));
    accepted
}

struct Matcher<'l, 'a> {
    layout: &'l Layout<'a>,
    patterns: &'l Patterns,
    caches: RefCell<PoolGuard<'l, Caches, fn() -> Caches>>,
}

impl Matcher<'_, '_> {
    fn unit(&self, scope: Scope, span: Range<usize>, paragraph: usize, via: Option<Range<usize>>, depth: u8, out: &mut Vec<Candidate>) {
        let toks = self.layout.tokens.range(&span);
        let tags = self.layout.tokens.tags(toks.clone());
        let mut rules = Vec::new();
        let caches = &mut *self.caches.borrow_mut();
        self.patterns.candidates(scope, tags, caches, &mut rules);
        for (r, last) in rules {
            let rule = &self.patterns.rules[r];
            if depth > 0 && !rule.nested {
                continue;
            }
            rule.regex.matches(r, tags, last, caches, |caps| out.extend(self.candidate(r, caps, toks.start, paragraph, via.clone(), depth)));
        }
    }

    /// A paragraph that ends with a colon, before a paragraph that opens with a quotation
    /// (`Cruz continued:` / `“You look at the questions …”`): its last sentence and the next
    /// paragraph are matched as one sentence, and the statements whose cue stands before the
    /// break and whose content after it are kept (in the quotation's paragraph); a statement
    /// found in the colon's sentence alone with the same cue gives way to them. A quotation
    /// paragraph and a credit line after it (`- Bernie Sanders.`) are matched together too.
    fn colon_bridges(&self, out: &mut Vec<Candidate>) {
        let (layout, sk) = (self.layout, self.layout.skeleton.as_bytes());
        let sentences = &layout.sentences;
        for k in 1..sentences.len() {
            let (last, first) = (&sentences[k - 1], &sentences[k]);
            if last.paragraph == first.paragraph || layout.is_excluded(&last.span) || layout.is_excluded(&first.span) {
                continue;
            }
            let ends_in_colon = layout.norm()[last.span.clone()].trim_end().ends_with(':');
            if !ends_in_colon || sk.get(first.span.start) != Some(&OPEN_BYTE) {
                // A quotation paragraph credited in the next one: “…” / - Bernie Sanders.
                let credit = layout.norm()[first.span.clone()].starts_with(['-', '–', '—']);
                if credit && sk.get(last.span.start) == Some(&OPEN_BYTE) {
                    let mut found = Vec::new();
                    self.unit(Scope::Sentence, last.span.start..first.span.end, last.paragraph, None, 0, &mut found);
                    let brk = first.span.start;
                    out.extend(found.into_iter().filter(|c| c.cue.start >= brk && c.content.last().is_some_and(|x| x.end <= brk)));
                }
                continue;
            }
            let mut found = Vec::new();
            let quote_para = layout.paragraphs[first.paragraph].clone();
            self.unit(Scope::Sentence, last.span.start..quote_para.end, first.paragraph, None, 0, &mut found);
            let brk = first.span.start;
            found.retain(|c| c.cue.end <= brk && c.content[0].start >= brk);
            // What the colon's sentence found alone (`Cruz called them on it`) gives way.
            out.retain(|c| !found.iter().any(|b| overlaps(&c.cue, &b.cue) && c.content.last().is_some_and(|x| x.end <= brk)));
            out.extend(found);
        }
    }

    /// The byte span of the tokens a capture covers (`first` is the unit's first token; capture
    /// offsets count tokens).
    fn capture_span(&self, caps: &Captures, i: usize, first: usize) -> Option<Range<usize>> {
        let m = group(caps, i)?;
        let (a, b) = (first + m.start, first + m.end);
        let tokens = &self.layout.tokens.tokens;
        // A quote's closing comma is a token inside the quote's span, so the end is the furthest.
        (a < b).then(|| tokens[a].start as usize..tokens[a..b].iter().map(|t| t.end).max().expect("a < b") as usize)
    }

    fn candidate(&self, r: usize, caps: &Captures, first: usize, paragraph: usize, via: Option<Range<usize>>, depth: u8) -> Option<Candidate> {
        let rule = &self.patterns.rules[r];
        let g = rule.groups;
        let span = |i: usize| self.capture_span(caps, i, first);
        let sk = self.layout.skeleton.as_bytes();
        let cue = trim(sk, span(g.cue)?, b"")?;
        let speaker = g.speaker.and_then(span).and_then(|s| trim(sk, s, b",;:"));
        let addressee = g.addressee.and_then(span).and_then(|s| trim(sk, s, b",;:"));
        let (first_part, quoted_first) = self.content(span(g.content)?)?;
        if let Some(not) = &rule.content_not {
            let toks = self.layout.tokens.range(&first_part);
            if not.is_match(self.layout.tokens.tags(toks)) {
                return None;
            }
        }
        // A relative pronoun stands for the noun before it, and what comes before it is not
        // its content (“…,” said J. J. Price, who voted for Mr. Obama).
        if speaker.as_ref().is_some_and(|s| first_part.start < s.start && self.is_relative(s)) {
            return None;
        }
        let mut content = vec![first_part];
        let mut quoted = quoted_first;
        if let Some((second, q)) = g.content2.and_then(span).and_then(|s| self.content(s)) {
            content.push(second);
            quoted = match (quoted, q) {
                (Quoted::Whole, Quoted::Whole) => Quoted::Whole,
                (Quoted::No, Quoted::No) => Quoted::No,
                _ => Quoted::Part,
            };
        }
        let kind = match rule.kind {
            RuleKind::Position => Kind::Position,
            RuleKind::Direct => Kind::Direct,
            RuleKind::Speech if g.position.is_some_and(|i| group(caps, i).is_some()) => Kind::Position,
            RuleKind::Speech => match quoted {
                Quoted::Whole => Kind::Direct,
                Quoted::Part => Kind::Mixed,
                Quoted::No => Kind::Indirect,
            },
        };
        Some(Candidate { rule: r, kind, speaker, cue, content, addressee, via, paragraph, depth })
    }

    /// Extends statements whose rule has a `continuation` pattern with the sentences after them
    /// that match it whole (`“A,” he said. “B.”`): on in the same paragraph, and on into
    /// following paragraphs that match it in every sentence (a quote running on over paragraphs
    /// with no attribution of its own). A sentence that holds another statement stops it.
    fn continue_quotes(&self, accepted: &mut [Candidate]) {
        let sentences = &self.layout.sentences;
        let end_of = |c: &Candidate| c.content.last().expect("content").end.max(c.cue.end).max(c.speaker.as_ref().map_or(0, |s| s.end));
        // The statement that ends last in a sentence continues it.
        let mut order: Vec<usize> = (0..accepted.len()).filter(|&i| accepted[i].depth == 0).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(end_of(&accepted[i])));
        for i in order {
            let Some(re) = &self.patterns.rules[accepted[i].rule].continuation else { continue };
            // A relative clause inside an attribution (“A,” said X, who thinks … . “B.”) does not
            // continue the quotation after it: the quote's own statement does.
            if accepted[i].speaker.as_ref().is_some_and(|s| self.is_relative(s)) {
                continue;
            }
            let end = end_of(&accepted[i]);
            let mut next = sentences.partition_point(|s| s.span.start < end);
            let mut added = Vec::new();
            while let Some(s) = sentences.get(next) {
                let claimed = |span: &Range<usize>| accepted.iter().any(|c| c.content.iter().chain([&c.cue]).chain(&c.speaker).any(|x| overlaps(x, span)));
                let continues = |s: &Range<usize>| !self.layout.is_excluded(s) && !claimed(s) && re.is_match(self.tags(s));
                let para = s.paragraph;
                let same_paragraph = para == sentences[next - 1].paragraph;
                let run: Vec<usize> = (next..sentences.len()).take_while(|&k| sentences[k].paragraph == para).collect();
                let take = if same_paragraph { 1 } else { run.len() };
                if !run[..take].iter().all(|&k| continues(&sentences[k].span)) {
                    break;
                }
                for &k in &run[..take] {
                    added.extend(self.content(sentences[k].span.clone()).map(|(span, _)| span));
                }
                next += take;
            }
            let c = &mut accepted[i];
            if !added.is_empty() {
                c.content.extend(added);
                if c.kind == Kind::Indirect {
                    c.kind = Kind::Mixed;
                }
            }
        }
    }

    /// Whether `span` is one relative pronoun (who, which, that).
    fn is_relative(&self, span: &Range<usize>) -> bool {
        let t = self.layout.tokens.range(span);
        t.len() == 1 && self.patterns.is_relative(self.layout.tokens.sig(t.start))
    }

    fn tags(&self, span: &Range<usize>) -> &str {
        self.layout.tokens.tags(self.layout.tokens.range(span))
    }

    /// Trims a content capture and, when it is exactly one quote, takes the quoted text
    /// without its marks (all pieces of a quote that runs over several paragraphs).
    fn content(&self, span: Range<usize>) -> Option<(Range<usize>, Quoted)> {
        let sk = self.layout.skeleton.as_bytes();
        let span = trim(sk, span, b".,;:")?;
        // Punctuation left alone (`they say).`, `told Yahoo! News`) is no statement.
        if !self.layout.norm()[span.clone()].chars().any(char::is_alphanumeric) {
            return None;
        }
        let body = &sk[span.clone()];
        if !body.contains(&OPEN_BYTE) {
            return Some((span, Quoted::No));
        }
        if let Some(q) = self.layout.quote_opening_at(span.start) {
            let whole = q.outer().end == span.end;
            if whole {
                let inner = self.layout.group_inner(q.group);
                return (!inner.is_empty()).then_some((inner, Quoted::Whole));
            }
        }
        // A content that ends inside a quote running on into later paragraphs takes them along.
        let last_open = span.start + body.iter().rposition(|&b| b == OPEN_BYTE).expect("contains an opening mark");
        let ends_in_open_quote = sk[span.end - 1] == INSIDE_BYTE;
        let end = match self.layout.quotes.iter().find(|q| q.open.contains(&last_open)) {
            Some(q) if ends_in_open_quote && q.close.is_none() => span.end.max(self.layout.group_inner(q.group).end),
            _ => span.end,
        };
        Some((span.start..end, Quoted::Part))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoted {
    Whole,
    Part,
    No,
}

/// Shrinks `span` past whitespace at both ends and past `trailing` punctuation at its end
/// (punctuation inside a quote is masked in the skeleton, so it stays). `None` if empty.
fn trim(sk: &[u8], span: Range<usize>, trailing: &[u8]) -> Option<Range<usize>> {
    let (mut s, mut e) = (span.start, span.end);
    while s < e && (sk[s].is_ascii_whitespace() || sk[s] == b',') {
        s += 1;
    }
    while e > s && (sk[e - 1].is_ascii_whitespace() || trailing.contains(&sk[e - 1])) {
        e -= 1;
    }
    // Non-ASCII spaces are normalised away by the residue table; dashes stay content.
    (s < e && sk[s] != CLOSE_BYTE).then_some(s..e)
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

fn inside(a: &Range<usize>, b: &Range<usize>) -> bool {
    b.start <= a.start && a.end <= b.end
}

/// Whether `x` is a statement nested in `y`'s content: its cue is inside a piece of it, and
/// it opens that piece (X's office said Shrier reiterated that …) or its rule is `embedded`
/// (a budget that he called “a disgrace”). A statement midway through a content means the
/// content ran past its clause into the next statement (Trump, who has insulted women …, she
/// replied: “…”).
fn nests_in(x: &Candidate, y: &Candidate, patterns: &Patterns) -> bool {
    y.content.iter().any(|c| inside(&x.cue, c) && (x.start() <= c.start || patterns.rules[x.rule].embedded))
}

/// Whether two candidates cannot both stand.
fn conflict(a: &Candidate, b: &Candidate, patterns: &Patterns) -> bool {
    if overlaps(&a.cue, &b.cue) {
        return true;
    }
    // Positions do not nest: one stated inside another statement ("Shrier said the US opposes
    // the ruling") is that statement's content, whose topics and stance are read there. Only
    // a content after its cue holds statements: one that runs up to its cue (“…,” said Laurie
    // Cestnick, the founder of a group called …) holding another's cue is misread.
    let nested = |x: &Candidate, y: &Candidate| x.kind != Kind::Position && y.cue.start < y.content[0].start && nests_in(x, y, patterns);
    let content_overlap = a.content.iter().any(|x| b.content.iter().any(|y| overlaps(x, y)));
    // A statement's cue or speaker inside another's content is fine only if it is nested there.
    let speaker_in_content = |x: &Candidate, y: &Candidate| x.speaker.as_ref().is_some_and(|s| y.content.iter().any(|c| overlaps(s, c)));
    (content_overlap && !nested(a, b) && !nested(b, a)) || (speaker_in_content(a, b) && !nested(a, b)) || (speaker_in_content(b, a) && !nested(b, a))
}

/// Accepts candidates best first (priority, then the longest match, then rule order) unless
/// they conflict with one already accepted from `accepted[from..]` (the same paragraph); a
/// rejected one that `relays` becomes the `via` of the statements in its content.
fn settle(mut found: Vec<Candidate>, patterns: &Patterns, accepted: &mut Vec<Candidate>, from: usize) {
    let len = |c: &Candidate| {
        let end = c.content.last().expect("content").end.max(c.cue.end).max(c.speaker.as_ref().map_or(0, |s| s.end));
        end - c.start()
    };
    found.sort_by(|a, b| {
        let (ra, rb) = (&patterns.rules[a.rule], &patterns.rules[b.rule]);
        rb.priority.cmp(&ra.priority).then(len(b).cmp(&len(a))).then(a.rule.cmp(&b.rule)).then(a.start().cmp(&b.start()))
    });
    for c in found {
        if !accepted[from..].iter().any(|a| conflict(a, &c, patterns)) {
            accepted.push(c);
        } else if patterns.rules[c.rule].relays {
            for a in &mut accepted[from..] {
                if a.via.is_none() && c.content.iter().any(|p| inside(&a.cue, p)) {
                    a.via.clone_from(&c.speaker);
                }
            }
        }
    }
}
