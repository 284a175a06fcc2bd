//! Running a rule regex over a unit's signatures: at every token where a match can start,
//! the leftmost-first match anchored there, over the rule's own smaller alphabet. Matches of
//! one rule may overlap: in "As Trump attacked Clinton, the attendees chanted …" the speech
//! rule finds the clause that starts at "Trump" and the one that starts at the comma, and
//! settling (see `apply`) decides which stand.
//!
//! An unanchored search for a large rule (a speaker grammar, verb groups, content up to the
//! sentence end) runs a lazy DFA whose states are sets of NFA states reached from *every*
//! earlier start position at once. Those sets hardly ever repeat between sentences, so the DFA
//! spends most of its time building new states, and a reverse scan then finds where the match
//! starts. Most rules can only start at a few tokens (a clause start: the sentence start, a
//! comma, a subordinator), so this tries an anchored search at each such token instead, in
//! text order; the anchored DFA follows one start at a time, so its states repeat and its
//! cache settles, and no reverse scan is needed.
//!
//! A signature is a three-byte character out of thousands, but one rule tells far fewer kinds
//! of token apart: the signatures that every class and literal of the rule either holds or
//! lacks together are one letter of its [`Alphabet`]. The rule runs over its own letters, one
//! or two bytes each: its automata are far smaller, a DFA state has fewer transitions to
//! build, and a token is one or two steps instead of three.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use regex_automata::hybrid;
use regex_automata::meta::{self, Regex};
use regex_automata::nfa::thompson::backtrack::{self, BoundedBacktracker};
use regex_automata::nfa::thompson::pikevm::{self, PikeVM};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::captures::{Captures, GroupInfo};
use regex_automata::util::primitives::NonMaxUsize;
use regex_automata::{Anchored, Input, MatchKind, PatternSet};
use regex_syntax::hir::{Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look, Repetition};

use super::tokens::{SIG_BASE, SIG_LEN};

/// When a rule can start at more than this share of all signatures, anchored searches at
/// (nearly) every token would cost more than one unanchored search.
const MAX_START_SHARE: f64 = 0.5;

/// A compiled rule pattern and where its matches can start.
#[derive(Debug)]
pub struct RuleRegex {
    /// The pattern over the letters of `alphabet`.
    engine: Engine,
    alphabet: Alphabet,
    /// For each signature (by index), whether a match can start at a token of it other than
    /// the unit's first (where anything may start: `^` holds there). `None`: search unanchored.
    starts: Option<Box<[bool]>>,
    /// Signatures (by index) of which every match holds at least one token; `None` when no
    /// such set is known.
    pub required: Option<Box<[bool]>>,
}

impl RuleRegex {
    /// Compiles `hir` (a pattern over signature characters; `universe` signatures exist).
    pub fn new(hir: Hir, universe: usize, size_limit: usize) -> Result<RuleRegex, String> {
        let config = meta::Config::new().nfa_size_limit(Some(size_limit)).onepass_size_limit(Some(size_limit)).hybrid_cache_capacity(size_limit).dfa_size_limit(Some(size_limit));
        let alphabet = Alphabet::of(std::slice::from_ref(&hir), universe)?;
        let required = required(&hir).map(|r| table(&r, universe));
        let starts = start_table(&hir, universe).filter(|s| (s.iter().filter(|&&x| x).count() as f64) < MAX_START_SHARE * universe as f64);
        let hirs = std::slice::from_ref(&hir);
        let engine = match starts {
            Some(_) => Engine::Anchored(Box::new(alphabet.compile_forward(hirs, MatchKind::LeftmostFirst, WhichCaptures::All, size_limit)?)),
            None => Engine::Unanchored(alphabet.compile(hirs, config)?),
        };
        Ok(RuleRegex { engine, alphabet, starts, required })
    }

    /// The names of the capture groups, by index.
    pub fn capture_names(&self) -> impl Iterator<Item = Option<&str>> {
        let info: &GroupInfo = match &self.engine {
            Engine::Anchored(f) => f.pikevm.get_nfa().group_info(),
            Engine::Unanchored(r) => r.group_info(),
        };
        info.pattern_names(regex_automata::PatternID::ZERO)
    }

    /// For every token of `tags` up to token `last` at which a match starts, in text order,
    /// the leftmost-first match anchored there, with offsets in tokens (not bytes) from the
    /// start of `tags`, handed to `found`. `id` is the regex's number in `caches`. The
    /// captures are the thread's own scratch, overwritten by the next search: a unit is
    /// matched by dozens of rules, and a copy per match was a good share of the allocations.
    pub fn matches(&self, id: usize, tags: &str, last: usize, caches: &mut Caches, mut found: impl FnMut(&Captures)) {
        let n = tags.len() / SIG_LEN;
        // A match holds a required token, so it starts at the last of them or before.
        let last = match &self.required {
            Some(required) => match tags.as_bytes().chunks_exact(SIG_LEN).rposition(|sig| required[sig_index(sig)]) {
                Some(r) => r.min(last),
                None => return,
            },
            None => last,
        };
        let (entry, spelled) = caches.get(id, || match &self.engine {
            Engine::Anchored(f) => Cache::Forward(Box::new(f.create_cache())),
            Engine::Unanchored(r) => Cache::Meta(Box::new(r.create_cache())),
        });
        self.alphabet.spell(tags, spelled);
        let caps = entry.caps.get_or_insert_with(|| match &self.engine {
            Engine::Anchored(f) => f.pikevm.create_captures(),
            Engine::Unanchored(r) => r.create_captures(),
        });
        let mut t = 0;
        while t <= last.min(n) {
            match (&self.starts, &self.engine, &mut entry.cache) {
                // One unanchored search finds the next token where a match starts.
                (None, Engine::Unanchored(regex), Cache::Meta(cache)) => {
                    regex.search_captures_with(cache, &Input::new(&spelled.text).range(spelled.at[t]..), caps);
                    let Some(m) = caps.get_match() else { break };
                    let start = spelled.token(m.start());
                    if start > last {
                        break;
                    }
                    spelled.to_tokens(caps);
                    found(caps);
                    t = start + 1;
                    continue;
                }
                (Some(starts), Engine::Anchored(forward), Cache::Forward(cache)) => {
                    if t == 0 || (t < n && starts[sig_index(&tags.as_bytes()[t * SIG_LEN..])]) {
                        forward.captures(cache, &Input::new(&spelled.text).range(spelled.at[t]..).anchored(Anchored::Yes), caps);
                        if caps.get_match().is_some() {
                            spelled.to_tokens(caps);
                            found(caps);
                        }
                    }
                }
                // `new` pairs an engine with its starts, and `get` a cache with its engine.
                _ => break,
            }
            t += 1;
        }
    }
}

/// How a rule regex searches. Most rules can start at few tokens and only run anchored
/// searches, which need a [`Forward`] engine alone; a rule that can start anywhere runs
/// unanchored searches, and `meta` finds where such a match starts with a reverse scan.
#[derive(Debug)]
enum Engine {
    Anchored(Box<Forward>),
    Unanchored(Regex),
}

/// The scratch space of one regex in one thread: its engine's cache and, for a rule, the
/// captures its searches fill.
#[derive(Debug)]
pub struct Entry {
    pub cache: Cache,
    caps: Option<Captures>,
}

/// The cache of a regex's engine.
#[derive(Debug)]
pub enum Cache {
    Forward(Box<ForwardCache>),
    Meta(Box<meta::Cache>),
}

impl Cache {
    fn memory_usage(&self) -> usize {
        match self {
            Cache::Forward(c) => c.dfa.memory_usage() + c.backtrack.as_ref().map_or(0, backtrack::Cache::memory_usage) + c.pikevm.as_ref().map_or(0, pikevm::Cache::memory_usage),
            Cache::Meta(c) => c.memory_usage(),
        }
    }
}

/// Anchored searches, with what `meta::Regex` runs for them and no more: a forward lazy DFA
/// finds where the match ends, then a backtracker (or, on a span too long for it, a PikeVM)
/// finds its captures within that span; so the matches are those of `meta`. Alongside,
/// `meta` builds reverse automata and a one-pass DFA that anchored searches over letters
/// have no use for, and every thread's cache holds their states: this leaves them out.
#[derive(Debug)]
pub struct Forward {
    dfa: hybrid::dfa::DFA,
    backtrack: BoundedBacktracker,
    pikevm: PikeVM,
}

/// The scratch space of a [`Forward`] engine. Those of the NFA engines are made when first
/// needed: a PikeVM's holds a slot per capture for every NFA state, and most searches need
/// the lazy DFA alone.
#[derive(Debug)]
pub struct ForwardCache {
    dfa: hybrid::dfa::Cache,
    backtrack: Option<backtrack::Cache>,
    pikevm: Option<pikevm::Cache>,
}

impl Forward {
    /// Compiles `hirs` (over letters) into one engine finding matches of kind `kind`.
    fn new(hirs: &[Hir], kind: MatchKind, captures: WhichCaptures, size_limit: usize) -> Result<Forward, String> {
        let err = |e: &dyn std::fmt::Display| e.to_string();
        let nfa = thompson::Compiler::new()
            .configure(thompson::Config::new().nfa_size_limit(Some(size_limit)).which_captures(captures))
            .build_many_from_hir(hirs)
            .map_err(|e| err(&e))?;
        // The settings `meta` gives its lazy DFA (prefilters aside: searches are anchored).
        let config = hybrid::dfa::Config::new()
            .match_kind(kind)
            .unicode_word_boundary(true)
            .cache_capacity(size_limit)
            .minimum_cache_clear_count(Some(3))
            .minimum_bytes_per_state(Some(10));
        let dfa = hybrid::dfa::Builder::new().configure(config).build_from_nfa(nfa.clone()).map_err(|e| err(&e))?;
        let backtrack = BoundedBacktracker::new_from_nfa(nfa.clone()).map_err(|e| err(&e))?;
        let pikevm = PikeVM::builder().configure(PikeVM::config().match_kind(kind)).build_from_nfa(nfa).map_err(|e| err(&e))?;
        Ok(Forward { dfa, backtrack, pikevm })
    }

    pub fn create_cache(&self) -> ForwardCache {
        ForwardCache { dfa: self.dfa.create_cache(), backtrack: None, pikevm: None }
    }

    /// The leftmost-first match of an anchored `input`, with its captures, into `caps`.
    fn captures(&self, cache: &mut ForwardCache, input: &Input, caps: &mut Captures) {
        match self.dfa.try_search_fwd(&mut cache.dfa, input) {
            Ok(None) => caps.set_pattern(None),
            Ok(Some(end)) => self.captures_exact(cache, &input.clone().span(input.start()..end.offset()), caps),
            // The lazy DFA gave up (it kept filling its cache): the NFA engines cannot.
            Err(_) => self.captures_exact(cache, input, caps),
        }
    }

    /// The captures of the leftmost-first match in `input`, by the NFA engines alone.
    fn captures_exact(&self, cache: &mut ForwardCache, input: &Input, caps: &mut Captures) {
        if input.get_span().len() > self.backtrack.max_haystack_len() || self.backtrack.try_search(cache.backtrack.get_or_insert_with(|| self.backtrack.create_cache()), input, caps).is_err() {
            self.pikevm.search(cache.pikevm.get_or_insert_with(|| self.pikevm.create_cache()), input, caps);
        }
    }

    /// Adds the patterns that match `input` to `found` (for `MatchKind::All`).
    pub fn which_match(&self, cache: &mut ForwardCache, input: &Input, found: &mut PatternSet) {
        if self.dfa.try_which_overlapping_matches(&mut cache.dfa, input, found).is_err() {
            self.pikevm.which_overlapping_matches(cache.pikevm.get_or_insert_with(|| self.pikevm.create_cache()), input, found);
        }
    }

    pub fn pattern_len(&self) -> usize {
        self.pikevm.get_nfa().pattern_len()
    }
}

/// What one thread keeps between searches: a cache per regex, made on its first use, and a
/// buffer for spellings. The caches hold the lazy DFAs' states, the bulk of the memory that
/// matching takes, and they only grow: [`Caches::trim`] bounds them.
#[derive(Debug, Default)]
pub struct Caches {
    regex: Vec<Option<Entry>>,
    spelled: Spelling,
}

impl Caches {
    /// The scratch space of regex number `id` (its cache made by `create` if there is none
    /// yet), and the spelling buffer.
    pub fn get(&mut self, id: usize, create: impl FnOnce() -> Cache) -> (&mut Entry, &mut Spelling) {
        if self.regex.len() <= id {
            self.regex.resize_with(id + 1, || None);
        }
        (self.regex[id].get_or_insert_with(|| Entry { cache: create(), caps: None }), &mut self.spelled)
    }

    /// Drops the largest caches while together they hold more than `budget` bytes, down to
    /// three quarters of it: memory stays flat however many documents a thread goes through,
    /// and the caches of the rules whose states settled are kept (building them again is what
    /// costs).
    pub fn trim(&mut self, budget: usize) {
        let mut sizes: Vec<(usize, usize)> = self.regex.iter().enumerate().filter_map(|(i, c)| c.as_ref().map(|c| (c.cache.memory_usage(), i))).collect();
        let mut total: usize = sizes.iter().map(|&(m, _)| m).sum();
        if total <= budget {
            return;
        }
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        for (m, i) in sizes {
            if total <= budget / 4 * 3 {
                break;
            }
            self.regex[i] = None;
            total -= m;
        }
        release_freed_memory();
    }
}

/// Hands the heap's free pages back to the system. The C allocator keeps what a thread freed
/// for that thread's later use: the garbage of compiling the rules and the caches that
/// [`Caches::trim`] dropped would stay resident all run long.
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases memory that no allocation holds.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The letters of a rule (or of patterns run together): signatures that every class and
/// literal of the patterns either holds or lacks together are one letter, a character.
#[derive(Debug)]
pub struct Alphabet {
    /// The letter of each signature (by index).
    letter: Box<[char]>,
}

/// A unit's tokens spelled in an alphabet's letters.
#[derive(Debug, Default)]
pub struct Spelling {
    pub text: String,
    /// The byte offset in `text` of each token, and the length of `text`.
    pub at: Vec<usize>,
}

impl Spelling {
    /// The token that starts at byte `offset` of `text` (or the token count at its end).
    fn token(&self, offset: usize) -> usize {
        self.at.partition_point(|&b| b < offset)
    }

    /// Turns the offsets of `caps` (of a search in `text`) into token offsets.
    fn to_tokens(&self, caps: &mut Captures) {
        for slot in caps.slots_mut().iter_mut().flatten() {
            *slot = NonMaxUsize::new(self.token(slot.get())).expect("a token count is below usize::MAX");
        }
    }
}

impl Alphabet {
    /// The coarsest alphabet of `universe` signatures that keeps every class and literal of
    /// `hirs` (patterns over signature characters) a union of letters.
    pub fn of(hirs: &[Hir], universe: usize) -> Result<Alphabet, String> {
        let mut sets = HashSet::new();
        for h in hirs {
            atoms(h, universe, &mut sets)?;
        }
        let sets: Vec<Vec<(u32, u32)>> = sets.into_iter().collect();
        // Membership of every set is the same all along a piece between two of these cuts.
        let mut cuts: Vec<u32> = sets.iter().flatten().flat_map(|&(a, b)| [a, b + 1]).chain([0, universe as u32]).collect();
        cuts.sort_unstable();
        cuts.dedup();
        let pieces = cuts.len() - 1;
        let words = sets.len().div_ceil(64);
        let mut members = vec![0u64; pieces * words];
        for (k, set) in sets.iter().enumerate() {
            for &(a, b) in set {
                let first = cuts.partition_point(|&c| c < a);
                for piece in (first..pieces).take_while(|&p| cuts[p] <= b) {
                    members[piece * words + k / 64] |= 1 << (k % 64);
                }
            }
        }
        // Letters are numbered in order of their first piece: signatures are ordered so that
        // the predicates patterns name are few ranges (see `Signatures::build`), and letters in
        // that order keep a class a few ranges of letters too, which makes for a small NFA.
        let mut letters: HashMap<&[u64], u32> = HashMap::new();
        let mut letter = vec!['\0'; universe].into_boxed_slice();
        for piece in 0..pieces {
            let next = letters.len() as u32;
            let l = *letters.entry(&members[piece * words..(piece + 1) * words]).or_insert(next);
            // There are fewer letters than signatures, and so all are below the surrogates.
            let c = char::from_u32(l).expect("fewer letters than signatures");
            letter[cuts[piece] as usize..cuts[piece + 1] as usize].fill(c);
        }
        Ok(Alphabet { letter })
    }

    /// Compiles `hirs` (patterns over signature characters) into one regex over letters.
    fn compile(&self, hirs: &[Hir], config: meta::Config) -> Result<Regex, String> {
        let hirs: Vec<Hir> = hirs.iter().map(|h| self.rewrite(h)).collect();
        Regex::builder().configure(config).build_many_from_hir(&hirs).map_err(|e| e.to_string())
    }

    /// Compiles `hirs` (patterns over signature characters) into one engine over letters for
    /// anchored searches.
    pub fn compile_forward(&self, hirs: &[Hir], kind: MatchKind, captures: WhichCaptures, size_limit: usize) -> Result<Forward, String> {
        let hirs: Vec<Hir> = hirs.iter().map(|h| self.rewrite(h)).collect();
        Forward::new(&hirs, kind, captures, size_limit)
    }

    /// `tags` (signature characters) in letters, into `out`.
    pub fn spell(&self, tags: &str, out: &mut Spelling) {
        out.text.clear();
        out.at.clear();
        for sig in tags.as_bytes().chunks_exact(SIG_LEN) {
            out.at.push(out.text.len());
            out.text.push(self.letter[sig_index(sig)]);
        }
        out.at.push(out.text.len());
    }

    /// The letters of the signatures among `ranges` (of characters), as a class.
    fn class(&self, ranges: impl IntoIterator<Item = (u32, u32)>) -> Hir {
        // Neighbouring signatures mostly share a letter or have consecutive ones: one range
        // per run of them keeps the class small to build.
        let mut letters: Vec<ClassUnicodeRange> = Vec::new();
        for (lo, hi) in ranges.into_iter().filter_map(|(a, b)| sig_range(a, b, self.letter.len())) {
            for &c in &self.letter[lo as usize..=hi as usize] {
                match letters.last_mut() {
                    Some(r) if (r.start()..=r.end()).contains(&c) => {}
                    Some(r) if u32::from(r.end()) + 1 == u32::from(c) => *r = ClassUnicodeRange::new(r.start(), c),
                    _ => letters.push(ClassUnicodeRange::new(c, c)),
                }
            }
        }
        Hir::class(Class::Unicode(ClassUnicode::new(letters)))
    }

    /// `hir`, a pattern over signature characters, as a pattern over letters.
    fn rewrite(&self, hir: &Hir) -> Hir {
        match hir.kind() {
            HirKind::Empty => Hir::empty(),
            HirKind::Literal(l) => Hir::concat(String::from_utf8_lossy(&l.0).chars().map(|c| self.class([(c as u32, c as u32)])).collect()),
            HirKind::Class(Class::Unicode(c)) => self.class(c.ranges().iter().map(|r| (r.start() as u32, r.end() as u32))),
            // Only the empty class: `atoms` refuses others.
            HirKind::Class(Class::Bytes(_)) => Hir::fail(),
            HirKind::Look(look) => Hir::look(*look),
            HirKind::Repetition(r) => Hir::repetition(Repetition { min: r.min, max: r.max, greedy: r.greedy, sub: Box::new(self.rewrite(&r.sub)) }),
            HirKind::Capture(c) => Hir::capture(Capture { index: c.index, name: c.name.clone(), sub: Box::new(self.rewrite(&c.sub)) }),
            HirKind::Concat(items) => Hir::concat(items.iter().map(|h| self.rewrite(h)).collect()),
            HirKind::Alternation(items) => Hir::alternation(items.iter().map(|h| self.rewrite(h)).collect()),
        }
    }
}

/// The signatures (by index, of `universe`) among characters `a..=b`, as an index range.
fn sig_range(a: u32, b: u32, universe: usize) -> Option<(u32, u32)> {
    let lo = a.max(SIG_BASE) - SIG_BASE;
    let hi = b.checked_sub(SIG_BASE)?.min(universe as u32 - 1);
    (lo <= hi).then_some((lo, hi))
}

/// Adds the sets of signatures (as index ranges) that the classes and literals of `hir` match
/// to `sets`.
fn atoms(hir: &Hir, universe: usize, sets: &mut HashSet<Vec<(u32, u32)>>) -> Result<(), String> {
    let mut add = |ranges: &mut dyn Iterator<Item = (u32, u32)>| {
        sets.insert(ranges.filter_map(|(a, b)| sig_range(a, b, universe)).collect());
    };
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(l) => {
            for c in String::from_utf8_lossy(&l.0).chars() {
                add(&mut std::iter::once((c as u32, c as u32)));
            }
        }
        HirKind::Class(Class::Unicode(c)) => add(&mut c.ranges().iter().map(|r| (r.start() as u32, r.end() as u32))),
        HirKind::Class(Class::Bytes(b)) if b.ranges().is_empty() => {}
        HirKind::Class(Class::Bytes(_)) => return Err("a byte class in a pattern over tokens".into()),
        HirKind::Repetition(r) => atoms(&r.sub, universe, sets)?,
        HirKind::Capture(c) => atoms(&c.sub, universe, sets)?,
        HirKind::Concat(items) | HirKind::Alternation(items) => {
            for h in items {
                atoms(h, universe, sets)?;
            }
        }
    }
    Ok(())
}

/// For each of `universe` signatures, whether it is among `ranges` of characters.
fn table(ranges: &[(u32, u32)], universe: usize) -> Box<[bool]> {
    let mut t = vec![false; universe].into_boxed_slice();
    for (lo, hi) in ranges.iter().filter_map(|&(a, b)| sig_range(a, b, universe)) {
        t[lo as usize..=hi as usize].fill(true);
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
            let ours = RuleRegex::new(regex_syntax::Parser::new().parse(p).unwrap(), 4, 1 << 20).unwrap();
            assert_eq!(ours.starts.is_some(), !p.contains('$'), "{p}");
            let theirs = regex::Regex::new(p).unwrap();
            for n in 0..=6u32 {
                for code in 0..4u32.pow(n) {
                    let s: String = (0..n).map(|i| char::from_u32(SIG_BASE + code / 4u32.pow(i) % 4).unwrap()).collect();
                    let tokens = |m: regex::Match| m.start() / SIG_LEN..m.end() / SIG_LEN;
                    // The leftmost match from a token starts there exactly when one can.
                    let want: Vec<Vec<Option<Range<usize>>>> = (0..=s.len())
                        .step_by(SIG_LEN)
                        .filter_map(|at| theirs.captures_at(&s, at).filter(|c| c.get(0).unwrap().start() == at))
                        .map(|c| c.iter().map(|m| m.map(tokens)).collect())
                        .collect();
                    let mut got: Vec<Vec<Option<Range<usize>>>> = Vec::new();
                    ours.matches(0, &s, n as usize, &mut Caches::default(), |c| got.push((0..c.group_len()).map(|i| group(c, i)).collect()));
                    assert_eq!(got, want, "{p} on {s:?}");
                }
            }
        }
    }
}
