//! Matching extracted rows against gold attributions, and the counts the figures come from.
//!
//! The matching rules are those of PolNeAR's scorer (`score_polnear.py`), so figures agree:
//! - spans are compared as sets of word tokens (runs of letters, digits and `_`); a token
//!   belongs to a span if it overlaps any of its fragments, so punctuation, whitespace and the
//!   quotation marks do not matter;
//! - every overlapping (prediction, gold) pair scores token F1 = 2|P∩G| / (|P|+|G|); pairs are
//!   taken greedily, best F1 first (ties: nearer starts, then input order), one to one. A pair
//!   with F1 = 1 is an exact match, one with F1 ≥ 0.5 a partial match;
//! - a content is *quoted* if it begins or ends with a quotation mark, or sits right inside a
//!   pair of them ("strict": begins and ends, or sits inside);
//! - a matched pair's speaker is right if the spans share a word token (characters, if either
//!   has none), or if both are absent; the cue likewise.

use std::ops::AddAssign;

use super::brat::{Fragments, GoldAttribution};
use crate::table::Row;

/// The token F1 from which a pair counts as a (partial) match.
pub const PARTIAL_THRESHOLD: f64 = 0.5;

/// A gold document: its text (as code points) and attributions.
#[derive(Debug, Clone)]
pub struct GoldDoc {
    pub stem: String,
    pub text: String,
    chars: Vec<char>,
    tok_starts: Vec<usize>,
    tok_ends: Vec<usize>,
    items: Vec<Item>,
    skipped_no_content: usize,
    skipped_no_tokens: usize,
}

/// Python's `\w`: letters, numbers and the underscore.
fn is_word(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Python's `str.isspace()` for the characters news text holds.
fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

impl GoldDoc {
    /// A document with its attributions; `without_content` events were dropped when reading.
    pub fn new(stem: impl Into<String>, text: impl Into<String>, gold: &[GoldAttribution], without_content: usize) -> GoldDoc {
        let text = text.into();
        let chars: Vec<char> = text.chars().collect();
        let (mut tok_starts, mut tok_ends) = (Vec::new(), Vec::new());
        let mut i = 0;
        while i < chars.len() {
            if is_word(chars[i]) {
                let s = i;
                while i < chars.len() && is_word(chars[i]) {
                    i += 1;
                }
                tok_starts.push(s);
                tok_ends.push(i);
            } else {
                i += 1;
            }
        }
        let mut doc = GoldDoc { stem: stem.into(), text, chars, tok_starts, tok_ends, items: Vec::new(), skipped_no_content: without_content, skipped_no_tokens: 0 };
        for g in gold {
            let item = doc.item(&g.content, &g.source, &g.cue);
            if item.content_toks.is_empty() {
                doc.skipped_no_tokens += 1;
            } else {
                doc.items.push(item);
            }
        }
        doc
    }

    /// The publisher: the file name up to the first underscore (PolNeAR names files so).
    pub fn publisher(&self) -> &str {
        self.stem.split('_').next().unwrap_or(&self.stem)
    }

    /// How many gold attributions can be matched.
    pub fn gold_len(&self) -> usize {
        self.items.len()
    }

    /// Sorted indices of the word tokens overlapping any fragment.
    fn toks(&self, frags: &Fragments) -> Vec<usize> {
        let mut out = Vec::new();
        for &(s, e) in frags {
            if e <= s {
                continue;
            }
            let mut i = self.tok_ends.partition_point(|&end| end <= s);
            while i < self.tok_starts.len() && self.tok_starts[i] < e {
                out.push(i);
                i += 1;
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    fn item(&self, content: &Fragments, source: &Fragments, cue: &Fragments) -> Item {
        let sorted = |f: &Fragments| {
            let mut f = f.clone();
            f.sort_unstable();
            f
        };
        let (content, source, cue) = (sorted(content), sorted(source), sorted(cue));
        let extent = match (content.first(), content.last()) {
            (Some(a), Some(b)) => (a.0, b.1),
            _ => (0, 0),
        };
        let (quoted, quoted_strict) = self.quote_flags(extent.0, extent.1);
        Item {
            content_toks: self.toks(&content),
            source_toks: self.toks(&source),
            cue_toks: self.toks(&cue),
            discontinuous: content.iter().filter(|f| f.1 > f.0).count() > 1,
            source,
            cue,
            extent,
            quoted,
            quoted_strict,
        }
    }

    /// Whether `chars[start..end]` is quoted, loosely and strictly (see the module docs).
    fn quote_flags(&self, start: usize, end: usize) -> (bool, bool) {
        let t = &self.chars;
        let (start, end) = (start.min(t.len()), end.min(t.len()));
        let span = &t[start..end.max(start)];
        let Some(a) = span.iter().position(|&c| !is_space(c)) else {
            return (false, false);
        };
        let b = span.iter().rposition(|&c| !is_space(c)).expect("a non-space exists");
        let st = &span[a..=b];
        let begins = DQ.contains(&st[0]) || SQ_OPEN.contains(&st[0]);
        let core_len = st.iter().rposition(|c| !TRAIL.contains(c) && !" \t\r\n".contains(*c)).map_or(0, |i| i + 1);
        let ends = ends_with_quote(&st[..core_len]);
        let lc = t[..start].iter().rev().find(|&&c| !is_space(c));
        let rc = t[end..].iter().find(|&&c| !is_space(c) && !TRAIL.contains(&c));
        let inside = matches!((lc, rc), (Some(l), Some(r)) if (DQ.contains(l) || SQ_OPEN.contains(l)) && (DQ.contains(r) || SQ_CLOSE.contains(r)));
        (begins || ends || inside, (begins && ends) || inside)
    }

    /// A row (code point offsets into this document) as an item.
    fn prediction(&self, row: &Row) -> Item {
        let content: Fragments = row.content_spans.iter().map(|s| (s[0], s[1])).collect();
        let content = if content.is_empty() { vec![(row.content_start, row.content_end)] } else { content };
        let speaker: Fragments = row.speaker_start.zip(row.speaker_end).into_iter().collect();
        self.item(&content, &speaker, &vec![(row.cue_start, row.cue_end)])
    }

    /// Scores `rows` (code point offsets) as the predictions for this document.
    pub fn score(&self, rows: &[Row]) -> Counts {
        let preds: Vec<Item> = rows.iter().map(|r| self.prediction(r)).collect();
        let golds = &self.items;
        let mut c = Counts { docs: 1, gold: golds.len(), pred: preds.len(), ..Counts::default() };
        c.gold_q = golds.iter().filter(|g| g.quoted).count();
        c.gold_qs = golds.iter().filter(|g| g.quoted_strict).count();
        c.pred_q = preds.iter().filter(|p| p.quoted).count();
        c.pred_qs = preds.iter().filter(|p| p.quoted_strict).count();
        c.gold_no_source = golds.iter().filter(|g| g.source.is_empty()).count();
        c.gold_discontinuous = golds.iter().filter(|g| g.discontinuous).count();
        c.gold_skipped_no_content = self.skipped_no_content;
        c.gold_skipped_no_tokens = self.skipped_no_tokens;
        for (pi, gi, _) in greedy(&preds, golds, PARTIAL_THRESHOLD) {
            let (p, g) = (&preds[pi], &golds[gi]);
            let m = Match {
                speaker: role_ok(&p.source, &p.source_toks, &g.source, &g.source_toks),
                cue: role_ok(&p.cue, &p.cue_toks, &g.cue, &g.cue_toks),
                gold_quoted: g.quoted,
                gold_quoted_strict: g.quoted_strict,
                pred_quoted: p.quoted,
                pred_quoted_strict: p.quoted_strict,
                gold_has_source: !g.source.is_empty(),
            };
            c.partial.add(&m);
            if p.content_toks == g.content_toks {
                c.exact.add(&m);
            }
        }
        for (pi, gi, inter) in greedy(&preds, golds, 1e-9) {
            c.soft_p_sum += inter as f64 / preds[pi].content_toks.len() as f64;
            c.soft_r_sum += inter as f64 / golds[gi].content_toks.len() as f64;
        }
        c
    }
}

const DQ: [char; 7] = ['"', '“', '”', '„', '‟', '«', '»'];
const SQ_OPEN: [char; 5] = ['‘', '‚', '‛', '`', '\''];
const SQ_CLOSE: [char; 2] = ['’', '\''];
const TRAIL: [char; 7] = ['.', ',', ';', ':', '!', '?', '…'];

/// Whether `core` ends with a closing quotation mark; a closing single quote counts only after
/// another mark ('' or ’”) or with an opening single quote in the span (not voters').
fn ends_with_quote(core: &[char]) -> bool {
    let Some((&c, rest)) = core.split_last() else { return false };
    if DQ.contains(&c) {
        return true;
    }
    if !SQ_CLOSE.contains(&c) {
        return false;
    }
    if rest.last().is_some_and(|p| SQ_CLOSE.contains(p) || DQ.contains(p)) {
        return true;
    }
    // An opening single quote at the start or after a space, bracket or dash.
    rest.iter().enumerate().any(|(i, q)| {
        SQ_OPEN.contains(q) && (i == 0 || { let b = rest[i - 1]; is_space(b) || "([\u{2014}\u{2013}-".contains(b) })
    })
}

/// A gold attribution or a prediction, as the matching sees it.
#[derive(Debug, Clone)]
struct Item {
    source: Fragments,
    cue: Fragments,
    content_toks: Vec<usize>,
    source_toks: Vec<usize>,
    cue_toks: Vec<usize>,
    extent: (usize, usize),
    discontinuous: bool,
    quoted: bool,
    quoted_strict: bool,
}

/// One-to-one pairs `(pred, gold, shared tokens)` with token F1 ≥ `threshold`, best first.
fn greedy(preds: &[Item], golds: &[Item], threshold: f64) -> Vec<(usize, usize, usize)> {
    let mut pairs = Vec::new();
    for (pi, p) in preds.iter().enumerate() {
        if p.content_toks.is_empty() {
            continue;
        }
        for (gi, g) in golds.iter().enumerate() {
            let inter = crate::sorted::common(&p.content_toks, &g.content_toks);
            if inter == 0 {
                continue;
            }
            let f1 = 2.0 * inter as f64 / (p.content_toks.len() + g.content_toks.len()) as f64;
            if f1 + 1e-12 < threshold {
                continue;
            }
            pairs.push((f1, p.extent.0.abs_diff(g.extent.0), pi, gi, inter));
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)).then(a.3.cmp(&b.3)));
    let (mut used_p, mut used_g) = (vec![false; preds.len()], vec![false; golds.len()]);
    let mut out = Vec::new();
    for (_, _, pi, gi, inter) in pairs {
        if !used_p[pi] && !used_g[gi] {
            used_p[pi] = true;
            used_g[gi] = true;
            out.push((pi, gi, inter));
        }
    }
    out
}

/// Whether a predicted role (speaker or cue) agrees with the gold one.
fn role_ok(p: &Fragments, p_toks: &[usize], g: &Fragments, g_toks: &[usize]) -> bool {
    let p: Vec<&(usize, usize)> = p.iter().filter(|f| f.1 > f.0).collect();
    if g.is_empty() {
        return p.is_empty();
    }
    if p.is_empty() {
        return false;
    }
    if !p_toks.is_empty() && !g_toks.is_empty() {
        return crate::sorted::common(p_toks, g_toks) > 0;
    }
    p.iter().any(|&&(ps, pe)| g.iter().any(|&(gs, ge)| ps < ge && gs < pe))
}

/// What one matched pair contributes.
struct Match {
    speaker: bool,
    cue: bool,
    gold_quoted: bool,
    gold_quoted_strict: bool,
    pred_quoted: bool,
    pred_quoted_strict: bool,
    gold_has_source: bool,
}

/// Counts over the matched pairs of one level (exact or partial).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LevelCounts {
    pub tp: usize,
    pub tp_gold_q: usize,
    pub tp_gold_qs: usize,
    pub tp_pred_q: usize,
    pub tp_pred_qs: usize,
    pub speaker_ok: usize,
    pub cue_ok: usize,
    pub both_ok: usize,
    pub speaker_ok_gold_q: usize,
    pub speaker_ok_pred_q: usize,
    pub tp_gold_has_source: usize,
    pub speaker_ok_gold_has_source: usize,
}

impl LevelCounts {
    fn add(&mut self, m: &Match) {
        let n = |b: bool| usize::from(b);
        self.tp += 1;
        self.tp_gold_q += n(m.gold_quoted);
        self.tp_gold_qs += n(m.gold_quoted_strict);
        self.tp_pred_q += n(m.pred_quoted);
        self.tp_pred_qs += n(m.pred_quoted_strict);
        self.speaker_ok += n(m.speaker);
        self.cue_ok += n(m.cue);
        self.both_ok += n(m.speaker && m.cue);
        self.speaker_ok_gold_q += n(m.speaker && m.gold_quoted);
        self.speaker_ok_pred_q += n(m.speaker && m.pred_quoted);
        self.tp_gold_has_source += n(m.gold_has_source);
        self.speaker_ok_gold_has_source += n(m.speaker && m.gold_has_source);
    }
}

impl AddAssign for LevelCounts {
    fn add_assign(&mut self, o: LevelCounts) {
        self.tp += o.tp;
        self.tp_gold_q += o.tp_gold_q;
        self.tp_gold_qs += o.tp_gold_qs;
        self.tp_pred_q += o.tp_pred_q;
        self.tp_pred_qs += o.tp_pred_qs;
        self.speaker_ok += o.speaker_ok;
        self.cue_ok += o.cue_ok;
        self.both_ok += o.both_ok;
        self.speaker_ok_gold_q += o.speaker_ok_gold_q;
        self.speaker_ok_pred_q += o.speaker_ok_pred_q;
        self.tp_gold_has_source += o.tp_gold_has_source;
        self.speaker_ok_gold_has_source += o.speaker_ok_gold_has_source;
    }
}

/// Additive counts: per document, summed over a corpus or a publisher.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub docs: usize,
    pub gold: usize,
    pub pred: usize,
    pub gold_q: usize,
    pub gold_qs: usize,
    pub pred_q: usize,
    pub pred_qs: usize,
    pub gold_no_source: usize,
    pub gold_discontinuous: usize,
    pub gold_skipped_no_content: usize,
    pub gold_skipped_no_tokens: usize,
    pub exact: LevelCounts,
    pub partial: LevelCounts,
    pub soft_p_sum: f64,
    pub soft_r_sum: f64,
}

impl AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.docs += o.docs;
        self.gold += o.gold;
        self.pred += o.pred;
        self.gold_q += o.gold_q;
        self.gold_qs += o.gold_qs;
        self.pred_q += o.pred_q;
        self.pred_qs += o.pred_qs;
        self.gold_no_source += o.gold_no_source;
        self.gold_discontinuous += o.gold_discontinuous;
        self.gold_skipped_no_content += o.gold_skipped_no_content;
        self.gold_skipped_no_tokens += o.gold_skipped_no_tokens;
        self.exact += o.exact;
        self.partial += o.partial;
        self.soft_p_sum += o.soft_p_sum;
        self.soft_r_sum += o.soft_r_sum;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(text: &str, start: usize, end: usize) -> bool {
        GoldDoc::new("d", text, &[], 0).quote_flags(start, end).0
    }

    #[test]
    fn quoted_contents() {
        assert!(flags("He said “we will win.”", 8, 22));
        assert!(flags("He said “we will win.”", 9, 21), "enclosed in marks");
        assert!(!flags("She said that taxes will rise.", 9, 29));
        assert!(!flags("the voters' choice", 0, 11), "a possessive is no closing quote");
        assert!(flags("It’s ‘in Their Heads.’", 5, 22));
        assert!(flags("''It is over,'' he said.", 0, 15));
    }

    fn row(content: &[[usize; 2]], speaker: Option<(usize, usize)>) -> Row {
        Row {
            doc: "d".into(),
            source: "d".into(),
            title: None,
            outlet: None,
            published: None,
            author: None,
            url: None,
            kind: crate::table::Kind::Indirect,
            speaker: None,
            speaker_type: None,
            speaker_id: None,
            speaker_role: None,
            speaker_mention: None,
            speaker_start: speaker.map(|s| s.0),
            speaker_end: speaker.map(|s| s.1),
            via: None,
            addressee: None,
            cue: String::new(),
            cue_start: 0,
            cue_end: 0,
            content: String::new(),
            content_start: content[0][0],
            content_end: content[content.len() - 1][1],
            content_spans: content.to_vec(),
            rule: "r".into(),
            topics: Vec::new(),
            stance: Default::default(),
            group: None,
        }
    }

    #[test]
    fn pairs_are_one_to_one_best_first_and_split_contents_match_exactly() {
        //          0         1         2         3         4
        //          0123456789012345678901234567890123456789012345
        let text = "“One two,” he said. “Three four five.” Six seven.";
        let gold = [
            GoldAttribution { content: vec![(0, 10), (20, 38)], source: vec![(11, 13)], cue: vec![(14, 18)] },
            GoldAttribution { content: vec![(39, 48)], source: vec![], cue: vec![(14, 18)] },
        ];
        let doc = GoldDoc::new("d", text, &gold, 0);
        // The split content matches the first gold exactly; the second row overlaps both gold
        // items but each has a better match; the third row has no source, like the second gold.
        let rows = [row(&[[1, 9], [21, 37]], Some((11, 13))), row(&[[20, 48]], Some((11, 13))), row(&[[39, 48]], None)];
        let c = doc.score(&rows);
        assert_eq!((c.exact.tp, c.partial.tp, c.partial.speaker_ok, c.partial.cue_ok), (2, 2, 2, 0));
        // Alone, the long row (3 of 5 gold tokens, 5 of its own) is a partial match: F1 0.6.
        let c = doc.score(&rows[1..2]);
        assert_eq!((c.exact.tp, c.partial.tp), (0, 1));
    }
}
