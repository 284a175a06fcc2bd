//! Statements into utterances: candidate pairs from an inverted index, checked, then joined.
//!
//! Comparing all pairs is quadratic; instead each statement's terms go into an index keyed by
//! (speaker, term), and a statement looks up only its rarest terms (a prefix filter: if the
//! shorter of two statements shares at least `o` of its `n` terms with the longer, one of its
//! `n - o + 1` rarest terms is among them). Work then follows the postings of rare terms, which
//! are short, so the cost grows about linearly with the number of statements.
//!
//! Rewordings of each other (each has most of its terms in the other) are joined outright. A
//! statement found only inside a longer one (a partial quote) joins the single longer statement
//! it matches best, so a short fragment never bridges two different statements that both
//! contain its words.

use std::cmp::Reverse;
use std::collections::HashMap;

use super::terms::{Occurrence, TermTable, words};
use super::{GroupRules, Statement, fnv};
use crate::table::Kind;

/// Terms per statement, as ranks (rarest term first), in one flat array.
struct Flat {
    items: Vec<u32>,
    starts: Vec<usize>,
}

impl Flat {
    fn new() -> Self {
        Flat { items: Vec::new(), starts: vec![0] }
    }

    fn push(&mut self, items: impl IntoIterator<Item = u32>) {
        self.items.extend(items);
        self.starts.push(self.items.len());
    }

    fn get(&self, i: usize) -> &[u32] {
        &self.items[self.starts[i]..self.starts[i + 1]]
    }

    fn get_mut(&mut self, i: usize) -> &mut [u32] {
        &mut self.items[self.starts[i]..self.starts[i + 1]]
    }
}

/// Everything matching needs about the statements, term ids already turned into ranks.
struct Prepared {
    /// Speaker ids; `None` for statements without a speaker, which join no one.
    speaker: Vec<Option<u32>>,
    speakers: Vec<String>,
    terms: Flat,
    negated: Flat,
    named: Flat,
    /// For each rank, the rank of the same term with the other polarity (or `u32::MAX`).
    opposite: Vec<u32>,
    /// Each statement's place when sorted by (number of terms, doc, content): a strict order
    /// that depends on content only, never on input order, so ties break the same way always.
    pos: Vec<u32>,
}

/// How two statements of one speaker relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Match {
    /// Each has most of its terms in the other.
    Reworded,
    /// The smaller is found in the larger, which has much more.
    Contained { shared: usize },
}

/// The words a statement is matched on: for a mixed statement the quoted parts (the speaker's
/// own words, not the reporter's frame) when they hold enough terms, else the whole content.
fn quoted_parts(content: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in content.char_indices() {
        if matches!(c, '“' | '”' | '"' | '«' | '»' | '„') {
            match open.take() {
                Some(start) => parts.push(&content[start..i]),
                None => open = Some(i + c.len_utf8()),
            }
        }
    }
    if let Some(start) = open {
        parts.push(&content[start..]);
    }
    parts
}

/// `speaker` compared without case and spacing differences.
fn speaker_key(s: &str) -> String {
    s.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join(" ")
}

fn distinct(occ: &[Occurrence]) -> usize {
    let mut ids: Vec<(u32, bool)> = occ.iter().map(|o| (o.term, o.negated)).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}

fn prepare(rules: &GroupRules, statements: &[Statement]) -> Prepared {
    let mut table = TermTable::default();
    let mut speaker_ids: HashMap<String, u32> = HashMap::new();
    let mut speakers = Vec::new();
    let mut speaker = Vec::with_capacity(statements.len());
    let mut ids = Flat::new();
    let mut negs = Flat::new();
    let mut named = Flat::new();
    let mut occ = Vec::new();
    for s in statements {
        speaker.push(s.speaker.map(|name| {
            let key = speaker_key(name);
            let next = speaker_ids.len() as u32;
            *speaker_ids.entry(key.clone()).or_insert_with(|| {
                speakers.push(key);
                next
            })
        }));
        let quoted = if s.kind == Kind::Mixed { quoted_parts(s.content) } else { Vec::new() };
        rules.terms.analyse(&quoted, &mut table, &mut occ);
        if distinct(&occ) < rules.min_shared {
            rules.terms.analyse(&[s.content], &mut table, &mut occ);
        }
        let id = |o: &Occurrence| o.term * 2 + u32::from(o.negated);
        ids.push(occ.iter().map(id));
        negs.push(occ.iter().filter(|o| o.negated).map(id));
        named.push(occ.iter().filter(|o| o.named).map(id));
    }
    // Rank terms by how many statements hold them, rarest first; equal counts by the term's
    // text, so ranks never depend on the order statements came in.
    let n_ids = table.len() * 2;
    let mut df = vec![0u32; n_ids];
    for i in 0..statements.len() {
        let t = ids.get_mut(i);
        t.sort_unstable();
        let mut last = u32::MAX;
        for &x in t.iter() {
            if x != last {
                df[x as usize] += 1;
                last = x;
            }
        }
    }
    let tie = |id: usize| fnv(&[table.name((id / 2) as u32).as_bytes(), &[(id % 2) as u8]]);
    let mut order: Vec<usize> = (0..n_ids).filter(|&id| df[id] > 0).collect();
    order.sort_unstable_by_key(|&id| (df[id], tie(id), id));
    let mut rank = vec![u32::MAX; n_ids];
    for (r, &id) in order.iter().enumerate() {
        rank[id] = r as u32;
    }
    let opposite = order.iter().map(|&id| rank[id ^ 1]).collect();
    let to_ranks = |flat: &Flat| {
        let mut out = Flat::new();
        for i in 0..statements.len() {
            let mut r: Vec<u32> = flat.get(i).iter().map(|&id| rank[id as usize]).collect();
            r.sort_unstable();
            r.dedup();
            out.push(r);
        }
        out
    };
    let (terms, negated, named) = (to_ranks(&ids), to_ranks(&negs), to_ranks(&named));
    let mut by_content: Vec<usize> = (0..statements.len()).collect();
    by_content.sort_by(|&a, &b| {
        let (x, y) = (&statements[a], &statements[b]);
        let n = |i: usize| terms.get(i).len();
        (n(a), x.doc, x.content, x.start).cmp(&(n(b), y.doc, y.content, y.start)).then(a.cmp(&b))
    });
    let mut pos = vec![0u32; statements.len()];
    for (p, &i) in by_content.iter().enumerate() {
        pos[i] = p as u32;
    }
    Prepared { speaker, speakers, terms, negated, named, opposite, pos }
}

fn has(set: &[u32], x: u32) -> bool {
    set.binary_search(&x).is_ok()
}

impl Prepared {
    /// One negates a term that the other affirms (and does not negate as well).
    fn contradict(&self, a: usize, b: usize) -> bool {
        let one_way = |a: usize, b: usize| {
            let (ta, tb) = (self.terms.get(a), self.terms.get(b));
            self.negated.get(a).iter().any(|&neg| {
                let pos = self.opposite[neg as usize];
                pos != u32::MAX && !has(ta, pos) && has(tb, pos) && !has(tb, neg)
            })
        };
        one_way(a, b) || one_way(b, a)
    }

    /// Each names something the other lacks: another place, person or number.
    fn name_each_other_lacks(&self, a: usize, b: usize) -> bool {
        let lacks = |a: usize, b: usize| self.named.get(a).iter().any(|&x| !has(self.terms.get(b), x));
        lacks(a, b) && lacks(b, a)
    }

    /// How `small` (not after `large` in `pos` order) matches `large`, if it does.
    fn compare(&self, rules: &GroupRules, small: usize, large: usize) -> Option<Match> {
        let (a, b) = (self.terms.get(small), self.terms.get(large));
        let n = crate::sorted::common(a, b);
        let enough = |len: usize| n as f64 >= rules.containment * len as f64 - 1e-9;
        if n < rules.min_shared || !enough(a.len()) || self.contradict(small, large) || self.name_each_other_lacks(small, large) {
            return None;
        }
        Some(if enough(b.len()) { Match::Reworded } else { Match::Contained { shared: n } })
    }

    /// The number of shared terms that makes an `n`-term statement part of a longer one.
    fn needed(&self, rules: &GroupRules, n: usize) -> usize {
        rules.min_shared.max((rules.containment * n as f64 - 1e-9).ceil() as usize)
    }
}

/// What the candidates of a run of statements came to.
#[derive(Default)]
struct Found {
    reworded: Vec<(u32, u32)>,
    /// For a statement contained in longer ones: the best of them and the terms shared.
    best: Vec<(u32, u32, usize)>,
}

/// The inverted index: (speaker, term rank, statement) entries, sorted, so each speaker's
/// entries are one stretch and each term's postings one stretch of that.
struct Index {
    /// The statements to probe (those with a speaker and enough terms), by speaker, so that
    /// probing stays within one speaker's stretch at a time.
    probes: Vec<u32>,
    ranks: Vec<u32>,
    rows: Vec<u32>,
    /// For each speaker, its stretch of entries.
    speaker_entries: Vec<std::ops::Range<usize>>,
}

impl Index {
    /// The index of the statements in `indexed`.
    fn new(p: &Prepared, indexed: &[u32]) -> Index {
        let mut entries: Vec<(u32, u32, u32)> = Vec::new();
        for &i in indexed {
            let s = p.speaker[i as usize].expect("indexed statements have a speaker");
            entries.extend(p.terms.get(i as usize).iter().map(|&r| (s, r, i)));
        }
        entries.sort_unstable();
        let mut speaker_entries = vec![0..0; p.speakers.len()];
        let mut probes = Vec::new();
        let mut start = 0;
        while start < entries.len() {
            let s = entries[start].0;
            let end = start + entries[start..].partition_point(|e| e.0 == s);
            speaker_entries[s as usize] = start..end;
            let mut rows: Vec<u32> = entries[start..end].iter().map(|e| e.2).collect();
            rows.sort_unstable();
            rows.dedup();
            probes.extend(rows);
            start = end;
        }
        Index { probes, ranks: entries.iter().map(|e| e.1).collect(), rows: entries.iter().map(|e| e.2).collect(), speaker_entries }
    }

    /// The statements of speaker `s` holding term rank `r`.
    fn postings(&self, s: u32, r: u32) -> &[u32] {
        let stretch = self.speaker_entries[s as usize].clone();
        let ranks = &self.ranks[stretch.clone()];
        let lo = ranks.partition_point(|&x| x < r);
        let hi = lo + ranks[lo..].partition_point(|&x| x == r);
        &self.rows[stretch.start + lo..stretch.start + hi]
    }
}

/// Looks up the candidates of the statements `probes` and checks them.
fn probe(p: &Prepared, rules: &GroupRules, index: &Index, probes: &[u32]) -> Found {
    let mut found = Found::default();
    // The statement each candidate was last seen from, so a candidate is checked once.
    let mut seen = vec![u32::MAX; p.pos.len()];
    for &a in probes {
        let a = a as usize;
        let Some(s) = p.speaker[a] else { continue };
        let t = p.terms.get(a);
        let prefix = t.len() - p.needed(rules, t.len()) + 1;
        let mut best: Option<(usize, Reverse<u32>, u32)> = None;
        for &r in &t[..prefix] {
            for &b in index.postings(s, r) {
                // Each pair is checked once, from its smaller statement.
                if p.pos[b as usize] <= p.pos[a] || seen[b as usize] == a as u32 {
                    continue;
                }
                seen[b as usize] = a as u32;
                match p.compare(rules, a, b as usize) {
                    Some(Match::Reworded) => found.reworded.push((a as u32, b)),
                    Some(Match::Contained { shared }) => {
                        let candidate = (shared, Reverse(p.pos[b as usize]), b);
                        if best.is_none_or(|old| candidate > old) {
                            best = Some(candidate);
                        }
                    }
                    None => {}
                }
            }
        }
        if let Some((shared, _, b)) = best {
            found.best.push((a as u32, b, shared));
        }
    }
    found
}

/// Disjoint sets with path halving; the smaller root index wins, so results are reproducible.
struct Sets(Vec<u32>);

impl Sets {
    fn find(&mut self, mut x: u32) -> u32 {
        while self.0[x as usize] != x {
            let up = self.0[self.0[x as usize] as usize];
            self.0[x as usize] = up;
            x = up;
        }
        x
    }

    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = (ra.min(rb), ra.max(rb));
            self.0[hi as usize] = lo;
        }
    }
}

/// Which statements are one utterance: a component number per statement (numbered in order
/// of each component's first statement), and the content terms of each statement.
pub(super) struct Components {
    pub of: Vec<usize>,
    pub count: usize,
    pub n_terms: Vec<usize>,
    pub speakers: Vec<Option<String>>,
}

/// For each statement, the first (in `pos` order) of the statements that match exactly like
/// it: same speaker, terms and names. Only those are indexed and probed, so a quote repeated
/// verbatim in thousands of articles costs one probe, not thousands that all find each other.
fn twins(p: &Prepared, rules: &GroupRules) -> Vec<u32> {
    let mut by_pos: Vec<u32> = (0..p.pos.len() as u32).collect();
    by_pos.sort_unstable_by_key(|&i| p.pos[i as usize]);
    let mut first: HashMap<(u32, &[u32], &[u32]), u32> = HashMap::new();
    let mut twin: Vec<u32> = (0..p.pos.len() as u32).collect();
    for i in by_pos {
        let (Some(s), t) = (p.speaker[i as usize], p.terms.get(i as usize)) else { continue };
        if t.len() >= rules.min_shared {
            twin[i as usize] = *first.entry((s, t, p.named.get(i as usize))).or_insert(i);
        }
    }
    twin
}

pub(super) fn components(rules: &GroupRules, statements: &[Statement], jobs: usize) -> Components {
    let p = prepare(rules, statements);
    let n = statements.len();
    let twin = twins(&p, rules);
    let indexed: Vec<u32> = (0..n as u32).filter(|&i| twin[i as usize] == i && p.speaker[i as usize].is_some() && p.terms.get(i as usize).len() >= rules.min_shared).collect();
    let index = Index::new(&p, &indexed);
    let jobs = jobs.clamp(1, index.probes.len().max(1));
    let parts: Vec<Found> = if jobs == 1 {
        vec![probe(&p, rules, &index, &index.probes)]
    } else {
        let chunk = index.probes.len().div_ceil(jobs);
        std::thread::scope(|scope| {
            let handles: Vec<_> = index
                .probes
                .chunks(chunk)
                .map(|probes| {
                    let (p, index) = (&p, &index);
                    scope.spawn(move || probe(p, rules, index, probes))
                })
                .collect();
            handles.into_iter().map(|h| h.join().expect("matching does not panic")).collect()
        })
    };
    let mut sets = Sets((0..n as u32).collect());
    for (i, &t) in twin.iter().enumerate() {
        sets.union(i as u32, t);
    }
    for f in &parts {
        for &(a, b) in &f.reworded {
            sets.union(a, b);
        }
        for &(a, b, _) in &f.best {
            sets.union(a, b);
        }
    }
    // Short statements (too few terms to match on: "I hope not", "I hope to") join only the
    // same words said by the same speaker; statements without a speaker only the same words
    // in the same document (a paragraph printed twice).
    let mut exact: HashMap<(Option<u32>, &str, String), u32> = HashMap::new();
    for (i, s) in statements.iter().enumerate() {
        if p.speaker[i].is_some() && p.terms.get(i).len() >= rules.min_shared {
            continue;
        }
        let mut said = String::new();
        words(s.content, |w| {
            said.push_str(w.text);
            said.push(' ');
        });
        let key = match p.speaker[i] {
            Some(speaker) => (Some(speaker), "", said),
            None => (None, s.doc, said),
        };
        let first = *exact.entry(key).or_insert(i as u32);
        sets.union(first, i as u32);
    }
    let mut number: HashMap<u32, usize> = HashMap::new();
    let of = (0..n as u32)
        .map(|i| {
            let root = sets.find(i);
            let next = number.len();
            *number.entry(root).or_insert(next)
        })
        .collect();
    Components {
        of,
        count: number.len(),
        n_terms: (0..n).map(|i| p.terms.get(i).len()).collect(),
        speakers: p.speaker.iter().map(|s| s.map(|s| p.speakers[s as usize].clone())).collect(),
    }
}
