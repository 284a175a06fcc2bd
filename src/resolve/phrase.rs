//! Reading a mention: a name with its titles, or a noun phrase with a head, qualifiers and
//! prepositional phrases.
//!
//! The same reader serves the gazetteer (roles and descriptions are read once, when the rules
//! load) and documents (every mention), so a description written in `speakers.toml` matches
//! the text that says the same thing: "Ambassador to Iran" with `org = "Russia"` is what "the
//! Russian ambassador to Iran" reads as.

use std::ops::Range;

use super::gazetteer::{EntryType, Gazetteer, Gender, Phrase, Refers, WordInfo, word};
use crate::rules::tokens::{Signatures, bit_test, possessive_base, shape};

/// A token as the reader sees it: its text (in the matching copy), shape and signature.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok<'a> {
    pub text: &'a str,
    pub shape: u16,
    pub sig: char,
}

impl Tok<'_> {
    pub fn is_word(&self) -> bool {
        self.shape & shape::WORD != 0
    }

    /// Capitalised: the shape of a name, a title, or a sentence's first word.
    pub fn is_cap(&self) -> bool {
        self.shape & shape::UPPER_FIRST != 0
    }

    pub fn is_poss(&self) -> bool {
        self.shape & shape::POSS != 0
    }

    pub fn is_punct(&self) -> bool {
        self.shape & shape::PUNCT != 0
    }

    /// The text without a possessive ending.
    pub fn base(&self) -> &str {
        if self.is_poss() { possessive_base(self.text).unwrap_or(self.text) } else { self.text }
    }
}

/// Appends the lookup key of a word: lower case, curly apostrophes straight.
pub(crate) fn push_word_key(out: &mut String, word: &str) {
    if word.is_ascii() {
        let start = out.len();
        out.push_str(word);
        out[start..].make_ascii_lowercase();
        return;
    }
    for c in word.chars() {
        match c {
            '’' | '‘' => out.push('\''),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// The key of a token sequence; `strip_poss` drops the possessive ending of the last token.
pub(crate) fn key_of(toks: &[Tok], strip_poss: bool, out: &mut String) {
    out.clear();
    for (i, t) in toks.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let text = if strip_poss && i + 1 == toks.len() { t.base() } else { t.text };
        push_word_key(out, text);
    }
}

/// What a description or role is about: a role from the role table, or a plain noun.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Head {
    Role(u32),
    Word(Box<str>),
}

/// A qualifier: an entry ("Russian", "Israel's"), a role ("Prime Minister's" office), or a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Atom {
    Entry(u32),
    Role(u32),
    Word(Box<str>),
}

/// A qualifier, and whether it names a destination ("ambassador *to* Iran") rather than an owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Qual {
    pub to: bool,
    pub atom: Atom,
}

/// A description: "Foreign Minister" of Israel, "former secretary of state", "retired neurosurgeon".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Desc {
    pub head: Head,
    pub quals: Vec<Qual>,
    pub former: bool,
}

impl Desc {
    /// Whether this description fits a mention's: same head, same tense, and every qualifier
    /// the mention gives is one this description has.
    pub fn covers(&self, q: &Desc) -> bool {
        self.head == q.head && self.former == q.former && q.quals.iter().all(|x| self.quals.contains(x))
    }

    /// Whether the description ties its holder to entry `org` ("Foreign Minister, Israel").
    pub fn has_org(&self, org: u32) -> bool {
        self.quals.iter().any(|q| !q.to && q.atom == Atom::Entry(org))
    }

    /// Whether the mention names an organisation or place at all ("the Russian ambassador").
    pub fn is_qualified(&self) -> bool {
        self.quals.iter().any(|q| matches!(q.atom, Atom::Entry(_) | Atom::Word(_)))
    }
}

/// A name read from a run of capitalised tokens.
#[derive(Debug, Clone)]
pub(crate) struct NameParse {
    /// The name itself (token indices of the slice read).
    pub core: Range<usize>,
    /// Titles and qualifiers before it ("Russian Foreign Minister").
    pub title: Range<usize>,
    /// From an honorific (Mr., Mrs.).
    pub gender: Option<Gender>,
    /// Gazetteer entries whose alias the core is.
    pub entries: Vec<u32>,
}

/// Determiners, as far as resolution cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Det {
    None,
    Definite,
    Indefinite,
    /// His, her, its, their: an owner to be found.
    Possessive(Refers),
}

/// What the head of a noun phrase is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HeadKind {
    Role(u32),
    /// A gazetteer entry written with a determiner: "the Kremlin", "the White House".
    Entry(u32),
    Body(Box<str>),
    Document(Box<str>),
    Counterpart,
    Word(Box<str>),
}

/// A noun phrase (token indices are within the slice read).
#[derive(Debug, Clone)]
pub(crate) struct Np {
    pub det: Det,
    pub head: HeadKind,
    pub quals: Vec<Qual>,
    pub former: bool,
    pub plural: bool,
    /// A possessive before the head: "Netanyahu's" office, "the premier's" office.
    pub possessor: Option<Range<usize>>,
    /// Capitalised words right before the head: "the *Clinton* campaign".
    pub modifier: Option<Range<usize>>,
    /// Prepositional phrases after the head: (preposition, object).
    pub pps: Vec<(Box<str>, Range<usize>)>,
}

impl Np {
    /// The description this phrase gives, if its head can be held by someone.
    pub fn desc(&self) -> Option<Desc> {
        let head = match &self.head {
            HeadKind::Role(r) => Head::Role(*r),
            HeadKind::Word(w) | HeadKind::Body(w) | HeadKind::Document(w) => Head::Word(w.clone()),
            _ => return None,
        };
        Some(Desc { head, quals: self.quals.clone(), former: self.former })
    }
}

/// One piece of a phrase: a role noun, an entry's name or demonym, or a single token.
#[derive(Debug, Clone, Copy)]
enum Seg {
    Role(u32),
    Entry(u32),
    /// A demonym: a qualifier ("Russian" envoy), or as a head a member ("the Wisconsin Republican").
    Demonym(u32),
    Prep,
    Word,
}

/// The reader: the gazetteer's tables and the lexicon's signatures.
#[derive(Clone, Copy)]
pub(crate) struct Lang<'r> {
    pub g: &'r Gazetteer,
    pub sigs: &'r Signatures,
}

impl<'r> Lang<'r> {
    pub fn in_list(&self, t: &Tok, bit: usize) -> bool {
        t.is_word() && bit_test(self.sigs.bits_of(t.sig), bit)
    }

    /// The word table's entry for a token (possessive ending dropped).
    pub fn info(&self, t: &Tok, buf: &mut String) -> WordInfo {
        buf.clear();
        push_word_key(buf, t.base());
        self.g.words.get(buf.as_str()).copied().unwrap_or_default()
    }

    pub fn has_flag(&self, t: &Tok, flag: u16, buf: &mut String) -> bool {
        self.info(t, buf).flags & flag != 0
    }

    /// The pronoun a token is, also with a clitic ("he’s", "they’re"); "US" is no "us". The
    /// lexicon's bit for the gazetteer's pronouns spares other tokens a lookup.
    pub fn pronoun(&self, t: &Tok, buf: &mut String) -> Option<Refers> {
        /// No pronoun with a clitic is longer ("themselves’d" aside).
        const LONGEST_CLITIC: usize = 10;
        if t.shape & shape::ALL_CAPS != 0 {
            return None;
        }
        if self.in_list(t, self.g.lists.pronoun) {
            return self.info(t, buf).pronoun;
        }
        if t.text.len() > LONGEST_CLITIC {
            return None;
        }
        let (head, _) = t.text.split_once(['\'', '’'])?;
        buf.clear();
        push_word_key(buf, head);
        self.g.words.get(buf.as_str()).and_then(|i| i.pronoun)
    }

    /// The longest phrase of the gazetteer starting at `at`: its length and what it is.
    fn longest(&self, toks: &[Tok], at: usize, buf: &mut String) -> Option<(usize, &'r Phrase)> {
        // Most words begin no phrase: one lookup says so, and bounds the others.
        let first = &toks[at];
        if !first.is_word() {
            return None;
        }
        buf.clear();
        push_word_key(buf, first.base());
        let longest_from_here = *self.g.first_words.get(buf.as_str())?;
        let most = longest_from_here.min(toks.len() - at);
        for n in (1..=most).rev() {
            let window = &toks[at..at + n];
            // A phrase is words; a possessive may end it only.
            if window.iter().any(|t| !t.is_word()) || window[..n - 1].iter().any(Tok::is_poss) {
                continue;
            }
            key_of(window, true, buf);
            if let Some(p) = self.g.phrases.get(buf.as_str()) {
                return Some((n, p));
            }
        }
        None
    }

    /// The gazetteer entries whose alias is exactly `toks`.
    pub fn entries_of(&self, toks: &[Tok], buf: &mut String) -> &'r [u32] {
        let Some(first) = toks.first() else { return &[] };
        buf.clear();
        push_word_key(buf, if toks.len() == 1 { first.base() } else { first.text });
        if self.g.first_words.get(buf.as_str()).is_none_or(|&longest| toks.len() > longest) {
            return &[];
        }
        key_of(toks, true, buf);
        self.g.phrases.get(buf.as_str()).map_or(&[], |p| &p.entries)
    }

    /// Whether a token can be part of a name run: capitalised, an initial, a lower-case particle
    /// (al, van), or a hyphenated "al-Assad".
    pub fn is_name_token(&self, t: &Tok, inside: bool) -> bool {
        if !t.is_word() {
            return false;
        }
        if t.is_cap() {
            return true;
        }
        inside && (self.in_list(t, self.g.lists.particle) || (t.shape & shape::HYPHEN != 0 && t.text.split('-').nth(1).is_some_and(|s| s.starts_with(char::is_uppercase))))
    }

    /// Words that begin sentences but no names: The, But, In, He, However, Though.
    pub fn is_function_word(&self, t: &Tok, buf: &mut String) -> bool {
        let l = &self.g.lists;
        self.in_lists_any_case(t, &[l.det, l.lead, l.preposition, l.subordinator], buf) || self.pronoun(t, buf).is_some() || self.info(t, buf).flags & word::DEFINITE != 0
    }

    /// Whether a sentence opening with `t` opens with an introductory phrase or clause:
    /// "With …", "After …", "Though …".
    pub fn opens_clause(&self, t: &Tok, buf: &mut String) -> bool {
        self.in_lists_any_case(t, &[self.g.lists.preposition, self.g.lists.subordinator], buf)
    }

    /// Whether `t` is in one of the lexicon lists `bits`, also when a sentence's first word
    /// capitalises what the lexicon lists in lower case.
    fn in_lists_any_case(&self, t: &Tok, bits: &[usize], buf: &mut String) -> bool {
        if bits.iter().any(|&b| self.in_list(t, b)) {
            return true;
        }
        if !t.is_cap() || t.shape & shape::ALL_CAPS != 0 {
            return false;
        }
        buf.clear();
        push_word_key(buf, t.text);
        let shape = (t.shape & !shape::UPPER_FIRST) | shape::LOWER_FIRST;
        let lower = Tok { text: buf.as_str(), shape, sig: self.sigs.signature(buf, shape) };
        bits.iter().any(|&b| self.in_list(&lower, b))
    }

    /// The length of a role noun starting at token `at` ("senator", "foreign minister").
    pub fn role_at(&self, toks: &[Tok], at: usize, buf: &mut String) -> Option<usize> {
        self.longest(toks, at, buf).and_then(|(n, p)| p.role.map(|_| n))
    }

    /// How many tokens from `at` form a title or qualifier that can stand before a name:
    /// a role noun, a lexicon title or modifier, an honorific, "former", or an entry's name or
    /// demonym with more to follow. 0 if none.
    fn title_len(&self, toks: &[Tok], at: usize, end: usize, any_case: bool, buf: &mut String) -> usize {
        if let Some((n, p)) = self.longest(&toks[..end], at, buf) {
            // An organisation's name before more name words is a qualifier ("Iran" Levan
            // Dzhagaryan); a person's is part of the name ("Trump" Tower).
            let is_title = p.role.is_some() || p.demonym.is_some() || (self.is_organization(p) && at + n < end);
            if is_title {
                return n;
            }
            // "Clinton Senior Adviser Sidney Blumenthal": a name before a title and another
            // name qualifies the title.
            let titled = at + n + 1 < end && self.word_title_len(toks, at + n, end, any_case, buf) > 0;
            if !p.entries.is_empty() && titled && (at + n + 1..end).any(|j| self.word_title_len(toks, j, end, any_case, buf) == 0) {
                return n;
            }
        }
        self.word_title_len(toks, at, end, any_case, buf)
    }

    /// 1 if the single token at `at` stands before a name as a title: a lexicon title or
    /// modifier, an honorific, "former", a word of a role noun, a plural demonym, or (with more
    /// to follow) a noun for a source ("Attorney", "Adviser"). `any_case`: before more of the
    /// name, lexicon words listed in lower case count capitalised too ("Senior Adviser"); a
    /// run naming an organisation or a place must not lose them ("National Rifle
    /// Association"), nor a name its last word ("Steven Law").
    fn word_title_len(&self, toks: &[Tok], at: usize, end: usize, any_case: bool, buf: &mut String) -> usize {
        let t = &toks[at];
        let info = self.info(t, buf);
        if info.honorific.is_some() || info.flags & (word::FORMER | word::ROLE_WORD) != 0 {
            return 1;
        }
        let l = &self.g.lists;
        // Titles are capitalised before a name ("Senior Adviser") where the lexicon lists them
        // in lower case.
        let more = at + 1 < end;
        let lists: &[usize] = if more { &[l.title, l.modifier, l.source_noun] } else { &[l.title, l.modifier] };
        let listed = if any_case && more { self.in_lists_any_case(t, lists, buf) } else { lists.iter().any(|&b| self.in_list(t, b)) };
        usize::from(listed || self.is_plural_demonym(t, buf))
    }

    /// "Democrats", "Israelis": members of a party or nation, no name.
    pub fn is_plural_demonym(&self, t: &Tok, buf: &mut String) -> bool {
        buf.clear();
        push_word_key(buf, t.base());
        buf.pop().is_some_and(|c| c == 's') && self.g.phrases.get(buf.as_str()).is_some_and(|p| p.demonym.is_some())
    }

    /// Reads a run of name tokens: where its name starts, after titles, and which gazetteer
    /// entries it names. `None` when the run is titles only ("Russian FM", "Foreign Ministry").
    /// `after_preposition`: the run follows "to", "in"… so a leading place is that phrase's
    /// object ("ambassador to Iran Levan Dzhagaryan").
    pub fn name(&self, toks: &[Tok], after_preposition: bool, buf: &mut String) -> Option<NameParse> {
        let n = toks.len();
        let mut start = 0;
        while start < n && self.is_function_word(&toks[start], buf) {
            start += 1;
        }
        let any_case = !toks.iter().any(|t| self.has_flag(t, word::ORGANIZATION | word::PLACE, buf));
        let mut gender = None;
        let mut at = start;
        while at < n {
            let entries = self.entries_of(&toks[at..], buf);
            if !entries.is_empty() {
                return Some(NameParse { core: at..n, title: start..at, gender, entries: entries.to_vec() });
            }
            let len = self.title_len(toks, at, n, any_case, buf);
            if len == 0 || at + len >= n {
                break;
            }
            gender = gender.or(self.info(&toks[at], buf).honorific);
            at += len;
        }
        if at >= n {
            return None;
        }
        if self.title_len(toks, at, n, any_case, buf) == n - at {
            // "Rep. King": a last word that is only a title or honorific word is the name when a
            // title stands before it; a role ("Russian FM") never is.
            let role_or_place = self.longest(toks, at, buf).is_some_and(|(len, p)| len == n - at && (p.role.is_some() || p.demonym.is_some() || !p.entries.is_empty()));
            if role_or_place || at == start || n - at > 1 {
                return None;
            }
        }
        let mut core = at..n;
        // "Jerusalem Jonathan Shrier": a name starts at its given name.
        let given = (core.start..n).find(|&k| self.info(&toks[k], buf).given.is_some());
        if let Some(k) = given.filter(|&k| k > core.start && n - k >= 2) {
            core.start = k;
        } else if after_preposition && core.start == start && n - core.start >= 2 {
            // The object of a preposition before the run is no part of the name.
            if let Some((len, p)) = self.longest(toks, core.start, buf)
                && self.is_organization(p)
                && core.start + len < n
            {
                core.start += len;
            }
        }
        let mut entries = self.entries_of(&toks[core.clone()], buf).to_vec();
        // "Hillary Clinton Wins Delaware": a title-case headline goes on after a known name.
        if entries.is_empty()
            && let Some(k) = (2..core.len()).rev().find(|&k| !self.entries_of(&toks[core.start..core.start + k], buf).is_empty())
        {
            core.end = core.start + k;
            entries = self.entries_of(&toks[core.clone()], buf).to_vec();
        }
        // "Paul D. Ryan" is the gazetteer's Paul Ryan.
        if entries.is_empty() && core.len() > 2 {
            let plain: Vec<Tok> = toks[core.clone()].iter().enumerate().filter(|(i, t)| *i == 0 || *i + 1 == core.len() || t.shape & shape::INITIAL == 0).map(|(_, t)| *t).collect();
            if plain.len() < core.len() {
                entries = self.entries_of(&plain, buf).to_vec();
            }
        }
        Some(NameParse { title: start..core.start, core, gender, entries })
    }

    /// Whether a phrase is the name of an organisation or place of the gazetteer (and of no
    /// person).
    fn is_organization(&self, p: &Phrase) -> bool {
        !p.entries.is_empty() && p.entries.iter().all(|&e| self.g.entries.get(e as usize).is_some_and(|e| e.kind == EntryType::Organization))
    }

    /// Whether a run with no name in it still names someone: a role ("Russian FM", "Foreign
    /// Ministry") or a gazetteer entry. A bare "But" or "Republican" does not.
    pub fn names_a_role(&self, toks: &[Tok], buf: &mut String) -> bool {
        let plural = toks.last().is_some_and(|t| self.is_plural_demonym(t, buf));
        plural || self.segments(toks, buf).iter().any(|(_, s)| matches!(s, Seg::Role(_) | Seg::Entry(_)))
    }

    /// Cuts a phrase into pieces: role nouns and gazetteer names (longest first), prepositions,
    /// single words.
    fn segments(&self, toks: &[Tok], buf: &mut String) -> Vec<(Range<usize>, Seg)> {
        let mut out = Vec::new();
        let mut at = 0;
        while at < toks.len() {
            let t = &toks[at];
            if let Some((n, p)) = self.longest(toks, at, buf) {
                let seg = match (p.role, p.demonym, p.entries.first()) {
                    (Some(r), _, _) => Some(Seg::Role(r)),
                    (None, Some(e), _) => Some(Seg::Demonym(e)),
                    (None, None, Some(&e)) => Some(Seg::Entry(e)),
                    _ => None,
                };
                if let Some(seg) = seg {
                    out.push((at..at + n, seg));
                    at += n;
                    continue;
                }
            }
            let prep = !t.is_cap() && self.in_list(t, self.g.lists.preposition);
            out.push((at..at + 1, if prep { Seg::Prep } else { Seg::Word }));
            at += 1;
        }
        out
    }

    /// The qualifiers a stretch of tokens gives: entries, roles, capitalised words, and
    /// descriptive words.
    pub fn quals_of(&self, toks: &[Tok], to: bool) -> Vec<Qual> {
        let mut buf = String::new();
        let mut out = Vec::new();
        for (range, seg) in self.segments(toks, &mut buf) {
            let atom = match seg {
                Seg::Role(r) => Atom::Role(r),
                Seg::Entry(e) | Seg::Demonym(e) => Atom::Entry(e),
                Seg::Prep => continue,
                Seg::Word => {
                    let t = &toks[range.start];
                    let info = self.info(t, &mut buf);
                    if !t.is_word() || self.is_function_word(t, &mut buf) || info.flags & word::FORMER != 0 {
                        continue;
                    }
                    if !t.is_cap() && info.flags & word::DESCRIPTIVE == 0 {
                        continue;
                    }
                    buf.clear();
                    push_word_key(&mut buf, t.base());
                    Atom::Word(buf.as_str().into())
                }
            };
            let q = Qual { to, atom };
            if !out.contains(&q) {
                out.push(q);
            }
        }
        out
    }

    /// Reads a noun phrase. `None` if it has no head word.
    pub fn np(&self, toks: &[Tok], buf: &mut String) -> Option<Np> {
        let mut first = 0;
        let mut det = Det::None;
        if let Some(t) = toks.first() {
            let info = self.info(t, buf);
            if let Some(r) = info.pronoun.filter(|_| self.in_list(t, self.g.lists.det) || t.is_poss()) {
                det = Det::Possessive(r);
                first = 1;
            } else if info.flags & word::DEFINITE != 0 {
                det = Det::Definite;
                first = 1;
            } else if self.in_list(t, self.g.lists.det) {
                det = Det::Indefinite;
                first = 1;
            }
        }
        let body = &toks[first..];
        let segs = self.segments(body, buf);
        // The head part runs to the first preposition after a word.
        let cut = segs.iter().enumerate().skip(1).find(|(_, (_, s))| matches!(s, Seg::Prep)).map_or(segs.len(), |(i, _)| i);
        let (head_segs, rest) = segs.split_at(cut);
        let (head_range, head_seg) = head_segs.iter().rev().find(|(r, _)| body[r.start].is_word())?.clone();
        let head_tok = &body[head_range.end - 1];
        let mut former = false;
        let mut possessor = None;
        let mut modifier: Option<Range<usize>> = None;
        let mut quals = Vec::new();
        for (range, seg) in head_segs.iter().filter(|(r, _)| r.end <= head_range.start) {
            let t = &body[range.end - 1];
            if self.has_flag(&body[range.start], word::FORMER, buf) || body[range.start].text.starts_with("ex-") {
                former = true;
            }
            if t.is_poss() {
                possessor = Some(range.start + first..range.end + first);
            }
            if matches!(seg, Seg::Word | Seg::Entry(_) | Seg::Demonym(_)) && t.is_cap() && !t.is_poss() {
                modifier = match modifier {
                    Some(m) if m.end == range.start + first => Some(m.start..range.end + first),
                    _ => Some(range.start + first..range.end + first),
                };
            } else {
                modifier = None;
            }
            quals.extend(self.quals_of(&body[range.clone()], false));
        }
        let mut pps = Vec::new();
        let mut k = 0;
        while k < rest.len() {
            let prep = rest[k].0.clone();
            let end = rest[k + 1..].iter().position(|(_, s)| matches!(s, Seg::Prep)).map_or(rest.len(), |p| k + 1 + p);
            let object = rest.get(k + 1).map_or(prep.end, |(r, _)| r.start)..rest[end - 1].0.end;
            buf.clear();
            push_word_key(buf, body[prep.start].text);
            let to = buf == "to";
            let name: Box<str> = buf.as_str().into();
            if !object.is_empty() {
                quals.extend(self.quals_of(&body[object.clone()], to));
                pps.push((name, object.start + first..object.end + first));
            }
            k = end;
        }
        let head = match head_seg {
            Seg::Role(r) => HeadKind::Role(r),
            Seg::Entry(e) => HeadKind::Entry(e),
            Seg::Prep | Seg::Word | Seg::Demonym(_) => {
                let flags = self.info(head_tok, buf).flags;
                buf.clear();
                push_word_key(buf, head_tok.base());
                if flags & word::DOCUMENT != 0 {
                    HeadKind::Document(buf.as_str().into())
                } else if flags & word::COUNTERPART != 0 {
                    HeadKind::Counterpart
                } else if flags & word::BODY != 0 {
                    HeadKind::Body(buf.as_str().into())
                } else {
                    HeadKind::Word(buf.as_str().into())
                }
            }
        };
        let plural = matches!(head, HeadKind::Word(_)) && {
            let w = head_tok.base();
            w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is")
        };
        // Capitalised words before the head name its owner only right before it.
        if modifier.as_ref().is_some_and(|m| m.end != head_range.start + first) {
            modifier = None;
        }
        Some(Np { det, head, quals, former, plural, possessor, modifier, pps })
    }

    /// The description a rule-file phrase gives ("Ambassador to Iran", "Florida senator").
    pub fn desc_of(&self, toks: &[Tok]) -> Option<Desc> {
        let mut buf = String::new();
        self.np(toks, &mut buf).and_then(|np| np.desc())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RuleSet;
    use crate::resolve::gazetteer::Tokenized;

    fn with<R>(text: &str, f: impl FnOnce(Lang, &[Tok]) -> R) -> R {
        static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
        let rules = RULES.get_or_init(|| RuleSet::builtin().unwrap());
        let lang = Lang { g: rules.speakers.as_ref().unwrap(), sigs: &rules.vocab.sigs };
        let t = Tokenized::new(text, &rules.vocab);
        f(lang, &t.toks())
    }

    fn entry(lang: Lang, name: &str) -> u32 {
        lang.g.entries.iter().position(|e| e.name == name).unwrap() as u32
    }

    /// The name's core as text, its title as text, and the names of the entries it is.
    fn name(text: &str, after_preposition: bool) -> Option<(String, String, Vec<String>)> {
        with(text, |lang, toks| {
            let n = lang.name(toks, after_preposition, &mut String::new())?;
            let words = |r: Range<usize>| toks[r].iter().map(|t| t.text).collect::<Vec<_>>().join(" ");
            let entries = n.entries.iter().map(|&e| lang.g.entries[e as usize].name.clone()).collect();
            Some((words(n.core), words(n.title), entries))
        })
    }

    #[test]
    fn names_lose_their_titles() {
        let n = name("Foreign Minister Gabi Ashkenazi", false).unwrap();
        assert_eq!(n, ("Gabi Ashkenazi".into(), "Foreign Minister".into(), vec!["Gabi Ashkenazi".into()]));
        assert_eq!(name("The Russian Foreign Ministry", false).unwrap().2, ["Russian Foreign Ministry"]);
        assert_eq!(name("Rep. King", false).unwrap().0, "King");
        assert_eq!(name("Mr. Trump", false).unwrap().2[0], "Donald Trump");
        assert_eq!(name("Paul D. Ryan", false).unwrap().2, ["Paul Ryan"]);
    }

    #[test]
    fn a_run_of_titles_is_no_name() {
        assert!(name("Russian FM", false).is_none());
        assert!(name("Foreign Ministry", false).is_none());
        assert!(name("But", false).is_none());
        assert!(name("Democrats", false).is_none());
    }

    #[test]
    fn a_name_starts_after_a_place_it_follows() {
        // "… Ambassador to Iran Levan Dzhagaryan", "… in Jerusalem Jonathan Shrier"
        assert_eq!(name("Iran Levan Dzhagaryan", true).unwrap().0, "Levan Dzhagaryan");
        assert_eq!(name("Jerusalem Jonathan Shrier", true).unwrap().0, "Jonathan Shrier");
        // A person's name is no place: "Chelsea Clinton" is not Hillary.
        let n = name("Chelsea Clinton", false).unwrap();
        assert_eq!((n.0.as_str(), n.2), ("Chelsea Clinton", vec!["Chelsea Clinton".to_string()]));
        assert_eq!(name("Trump Tower", false).unwrap().0, "Trump Tower");
    }

    #[test]
    fn noun_phrases_have_heads_qualifiers_and_owners() {
        with("the Russian ambassador to Iran", |lang, toks| {
            let np = lang.np(toks, &mut String::new()).unwrap();
            assert_eq!(np.det, Det::Definite);
            assert!(matches!(np.head, HeadKind::Role(r) if lang.g.roles[r as usize].name == "Ambassador"));
            assert!(np.quals.contains(&Qual { to: false, atom: Atom::Entry(entry(lang, "Russia")) }));
            assert!(np.quals.contains(&Qual { to: true, atom: Atom::Entry(entry(lang, "Iran")) }));
        });
        with("Netanyahu's office", |lang, toks| {
            let np = lang.np(toks, &mut String::new()).unwrap();
            assert_eq!((np.head, np.possessor), (HeadKind::Body("office".into()), Some(0..1)));
        });
        with("his Russian counterpart", |lang, toks| {
            let np = lang.np(toks, &mut String::new()).unwrap();
            assert_eq!((np.det, np.head), (Det::Possessive(Refers::Male), HeadKind::Counterpart));
        });
        with("a statement from Netanyahu's office", |lang, toks| {
            let np = lang.np(toks, &mut String::new()).unwrap();
            assert_eq!((np.det, np.head, np.pps.len()), (Det::Indefinite, HeadKind::Document("statement".into()), 1));
        });
        with("the Wisconsin Republican", |lang, toks| {
            let np = lang.np(toks, &mut String::new()).unwrap();
            assert_eq!(np.head, HeadKind::Word("republican".into()));
        });
    }

    #[test]
    fn a_gazetteer_description_covers_the_mention_that_says_less() {
        with("the former secretary of state", |lang, toks| {
            let mention = lang.desc_of(toks).unwrap();
            let clinton = &lang.g.entries[entry(lang, "Hillary Clinton") as usize];
            assert!(clinton.descs.iter().any(|d| d.covers(&mention)));
            let kerry = &lang.g.entries[entry(lang, "John Kerry") as usize];
            assert!(!kerry.descs.iter().any(|d| d.covers(&mention)), "Kerry is no former secretary of state");
        });
    }
}
