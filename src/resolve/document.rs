//! One document's speakers: the entities it mentions, every mention in text order, and the
//! steps that bind each mention to an entity.
//!
//! Mentions are of two sources: runs of capitalised words anywhere in the article text (so a
//! pronoun can find the subject of an earlier sentence that is no statement), and the
//! speakers and addressees of the candidates. They are resolved in text order; each becomes a
//! [`Record`], and later steps (pronouns, roles, "the statement") look back over the records.

use std::ops::Range;

use super::gazetteer::{EntryType, Gazetteer, Gender, Refers, word};
use crate::fast_map::FastMap;
use super::phrase::{Atom, Desc, Det, Head, HeadKind, Lang, NameParse, Np, Qual, Tok, key_of};
use super::{Resolved, Speaker, Step, mention_text};
use crate::layout::Layout;
use crate::rules::apply::Candidate;
use crate::rules::tokens::Signatures;
use crate::table::SpeakerType;

/// How far back a pronoun looks: sentences, and paragraph breaks.
const PRONOUN_SENTENCES: u32 = 8;
const PRONOUN_PARAGRAPHS: u32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Person,
    Organization,
    /// A name with no sign of what it names (a single unknown word, a place).
    Unknown,
    Anonymous,
    /// Several speakers; `true` when they are people.
    Group(bool),
}

/// Someone or something the document mentions.
#[derive(Debug)]
struct Entity {
    name: String,
    entry: Option<u32>,
    kind: Kind,
    gender: Option<Gender>,
    plural: bool,
    /// Descriptions the document gives: titles before the name, appositives; for an unnamed
    /// source, its own noun phrase.
    learned: Vec<Desc>,
    /// The first of them as written, for the `speaker_role` column.
    role_text: Option<String>,
    /// Whether it is the speaker of a statement (a name that speaks is a person or a body).
    spoke: bool,
    /// The record of its latest mention.
    last: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Salience {
    Speaker,
    Subject,
    Other,
}

/// A resolved mention.
#[derive(Debug)]
struct Record {
    span: Range<usize>,
    sentence: u32,
    paragraph: u32,
    who: Option<u32>,
    salience: Salience,
    /// It issued a document ("said in a statement"): what a later "the statement" refers to.
    issued: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum SiteKind {
    Speaker(usize),
    Addressee(usize),
    Run,
}

/// A mention waiting to be resolved: token indices of the document.
#[derive(Debug)]
struct Site {
    toks: Range<usize>,
    kind: SiteKind,
    /// For a run: its name, read before resolution starts (for names that come later).
    name: Option<NameParse>,
    title: Option<Desc>,
    /// For a run: an appositive after it ("Herman Cain, the pizza maven …,").
    appositive: Option<Range<usize>>,
}

/// What a run was read as before resolution: its name, title and appositive.
type RunReading = (Option<NameParse>, Option<Desc>, Option<Range<usize>>);

#[derive(Debug, Clone, Copy)]
struct Outcome {
    who: Option<u32>,
    step: Step,
    basis: Option<u32>,
}

impl Outcome {
    fn unresolved() -> Outcome {
        Outcome { who: None, step: Step::Unresolved, basis: None }
    }

    fn to(who: u32, step: Step) -> Outcome {
        Outcome { who: Some(who), step, basis: None }
    }
}

pub(crate) struct Resolver<'a, 'r> {
    layout: &'a Layout<'a>,
    lang: Lang<'r>,
    toks: Vec<Tok<'a>>,
    entities: Vec<Entity>,
    by_entry: FastMap<u32, u32>,
    /// Local entities by the key of their name.
    by_name: FastMap<String, u32>,
    /// Entities named in full, by the key of their last word.
    surnames: FastMap<String, Vec<u32>>,
    records: Vec<Record>,
    sites: Vec<Site>,
    /// The site being resolved.
    current: usize,
    /// The country whose officials the document names without a nationality.
    home: Option<u32>,
    buf: String,
}

impl<'a, 'r> Resolver<'a, 'r> {
    pub(crate) fn new(layout: &'a Layout<'a>, g: &'r Gazetteer, sigs: &'r Signatures) -> Self {
        let norm = layout.norm();
        let toks = layout.tokens.tokens.iter().enumerate().map(|(i, t)| Tok { text: &norm[t.span()], shape: t.shape, sig: layout.tokens.sig(i) }).collect();
        Resolver {
            layout,
            lang: Lang { g, sigs },
            toks,
            entities: Vec::new(),
            by_entry: FastMap::default(),
            by_name: FastMap::default(),
            surnames: FastMap::default(),
            records: Vec::new(),
            sites: Vec::new(),
            current: 0,
            home: None,
            buf: String::new(),
        }
    }

    pub(crate) fn run(mut self, candidates: &[Candidate]) -> Vec<Resolved> {
        self.find_runs();
        self.home = self.home_country();
        for (i, c) in candidates.iter().enumerate() {
            if let Some(s) = &c.speaker {
                self.sites.push(Site { toks: self.layout.tokens.range(s), kind: SiteKind::Speaker(i), name: None, title: None, appositive: None });
            }
            if let Some(a) = &c.addressee {
                self.sites.push(Site { toks: self.layout.tokens.range(a), kind: SiteKind::Addressee(i), name: None, title: None, appositive: None });
            }
        }
        self.sites.retain(|s| !s.toks.is_empty());
        self.sites.sort_by_key(|s| (s.toks.start, s.kind));
        // A run that is exactly a speaker's or addressee's mention is resolved once, as that
        // mention, which keeps what the run's name was read as.
        let mut runs: FastMap<Range<usize>, RunReading> = FastMap::default();
        for s in self.sites.iter_mut().filter(|s| s.kind == SiteKind::Run) {
            runs.insert(s.toks.clone(), (s.name.take(), s.title.take(), s.appositive.take()));
        }
        let mut merged = FastMap::default();
        for s in self.sites.iter_mut().filter(|s| s.kind != SiteKind::Run) {
            if let Some((name, title, appositive)) = runs.get(&s.toks) {
                s.name = name.clone();
                s.title = title.clone();
                s.appositive = appositive.clone();
                merged.insert(s.toks.clone(), ());
            }
        }
        self.sites.retain_mut(|s| {
            if s.kind != SiteKind::Run {
                return true;
            }
            let (name, title, appositive) = runs.remove(&s.toks).unwrap_or_default();
            s.name = name;
            s.title = title;
            s.appositive = appositive;
            !merged.contains_key(&s.toks)
        });

        let mut speakers: Vec<Option<Outcome>> = vec![None; candidates.len()];
        let mut addressees: Vec<Option<Outcome>> = vec![None; candidates.len()];
        let mut previous_run: Option<(Range<usize>, u32, u32)> = None;
        for i in 0..self.sites.len() {
            self.current = i;
            let toks = self.sites[i].toks.clone();
            let kind = self.sites[i].kind;
            let exclude = match kind {
                SiteKind::Addressee(c) => speakers[c].and_then(|o| o.who),
                _ => None,
            };
            // A run was read as a name when the sites were found; a mention is read now.
            let outcome = match (&self.sites[i].name, kind) {
                (Some(name), SiteKind::Run) => {
                    let name = name.clone();
                    self.named(toks.start, &name)
                }
                _ => self.mention(toks.clone(), exclude),
            };
            if let (Some(w), Some(app)) = (outcome.who, self.sites[i].appositive.clone()) {
                self.describe(w, app);
            }
            let salience = match kind {
                SiteKind::Speaker(_) => Salience::Speaker,
                _ => Salience::Other,
            };
            let issued = match kind {
                SiteKind::Speaker(c) => self.cue_issues_document(&candidates[c].cue),
                _ => false,
            } || outcome.step == Step::Issuer && self.is_document_mention(&toks);
            let rec = self.record(toks.clone(), outcome.who, salience, issued);
            match kind {
                SiteKind::Speaker(c) => {
                    speakers[c] = Some(outcome);
                    if let Some(w) = outcome.who {
                        self.entities[w as usize].spoke = true;
                    }
                }
                SiteKind::Addressee(c) => addressees[c] = Some(outcome),
                SiteKind::Run => {
                    if let (Some((prev, a, rec_a)), Some(b)) = (previous_run.take(), outcome.who) {
                        self.group_of_runs(prev, a, rec_a, toks.clone(), b);
                    }
                    previous_run = outcome.who.map(|w| (toks.clone(), w, rec));
                }
            }
        }

        let by_span: FastMap<Range<usize>, Outcome> =
            candidates.iter().zip(&speakers).filter_map(|(c, o)| Some((c.speaker.clone()?, (*o)?))).collect();
        candidates
            .iter()
            .zip(speakers.iter().zip(&addressees))
            .map(|(c, (s, a))| Resolved {
                speaker: c.speaker.as_ref().map(|span| self.speaker(span, s.unwrap_or_else(Outcome::unresolved))),
                via: c.via.as_ref().map(|span| match by_span.get(span) {
                    Some(o) => self.speaker(span, *o).name,
                    None => mention_text(self.layout, span),
                }),
                addressee: c.addressee.as_ref().map(|span| self.speaker(span, a.unwrap_or_else(Outcome::unresolved)).name),
            })
            .collect()
    }

    /// The canonical speaker an outcome gives for a mention at `span`.
    fn speaker(&self, span: &Range<usize>, o: Outcome) -> Speaker {
        let basis = o.basis.map(|r| self.records[r as usize].span.clone());
        let Some(w) = o.who else {
            return Speaker { name: mention_text(self.layout, span), kind: SpeakerType::Unresolved, id: None, role: None, step: o.step, basis };
        };
        let e = &self.entities[w as usize];
        let entry = e.entry.map(|i| &self.lang.g.entries[i as usize]);
        let kind = match e.kind {
            Kind::Person | Kind::Unknown | Kind::Group(true) => SpeakerType::Person,
            Kind::Organization | Kind::Group(false) => SpeakerType::Organization,
            Kind::Anonymous => SpeakerType::Anonymous,
        };
        Speaker {
            name: e.name.clone(),
            kind,
            id: entry.and_then(|x| x.wikidata.clone()),
            role: entry.and_then(|x| x.role.clone()).or_else(|| e.role_text.clone()),
            step: o.step,
            basis,
        }
    }

    // ---- sites --------------------------------------------------------------------------

    /// Every run of capitalised words in the article text (not in quotes, not page furniture).
    fn find_runs(&mut self) {
        let layout = self.layout;
        for s in &layout.sentences {
            if layout.is_excluded(&s.span) {
                continue;
            }
            let range = layout.tokens.range(&s.span);
            let mut i = range.start;
            while i < range.end {
                // A pronoun in running text links a chain: "she said … she was considering …".
                let t = self.toks[i];
                if self.lang.pronoun(&t, &mut self.buf).is_some_and(|r| r != Refers::Nobody) {
                    self.sites.push(Site { toks: i..i + 1, kind: SiteKind::Run, name: None, title: None, appositive: None });
                    i += 1;
                    continue;
                }
                if let Some(end) = self.role_phrase_at(i, range.end) {
                    self.sites.push(Site { toks: i..end, kind: SiteKind::Run, name: None, title: None, appositive: None });
                }
                if !self.lang.is_name_token(&self.toks[i], false) {
                    i += 1;
                    continue;
                }
                let start = i;
                i += 1;
                // A capitalised "In" or "She" inside a title-case headline ends the run.
                while i < range.end && !self.toks[i - 1].is_poss() && self.lang.is_name_token(&self.toks[i], true) && !self.lang.is_function_word(&self.toks[i], &mut self.buf) {
                    i += 1;
                }
                let mut end = i;
                while end > start + 1 && !self.toks[end - 1].is_cap() {
                    end -= 1;
                }
                i = end;
                let after_preposition = start > range.start && self.is_preposition(start - 1);
                let name = self.lang.name(&self.toks[start..end], after_preposition, &mut self.buf).map(|mut n| {
                    if start == range.start {
                        self.drop_sentence_opener(start, &mut n);
                    }
                    n
                });
                if name.is_none() && !self.lang.names_a_role(&self.toks[start..end], &mut self.buf) {
                    continue;
                }
                // "spokeswoman Hope Hicks": a gendered noun before a name tells its gender.
                let name = name.map(|mut n| {
                    if start > range.start && n.gender.is_none() {
                        let before = self.toks[start - 1];
                        n.gender = self.lang.info(&before, &mut self.buf).honorific;
                    }
                    n
                });
                // "Trump's campaign", "Netanyahu's office": the body is the mention.
                let body = end < range.end && self.toks[end - 1].is_poss() && {
                    let next = self.toks[end];
                    self.lang.has_flag(&next, word::BODY | word::DOCUMENT, &mut self.buf)
                };
                let title = name.as_ref().filter(|n| !n.title.is_empty()).and_then(|n| {
                    let t = n.title.start + start..n.title.end + start;
                    self.lang.np(&self.toks[t], &mut self.buf).and_then(|np| np.desc()).filter(|d| matches!(d.head, Head::Role(_)))
                });
                let toks = if body { start..end + 1 } else { start..end };
                let name = if body { None } else { name };
                let appositive = name.as_ref().and_then(|_| self.appositive_after(end, range.end));
                self.sites.push(Site { toks, kind: SiteKind::Run, name, title, appositive });
            }
        }
    }

    /// "The Florida senator sought …": a definite determiner, a few qualifiers and a role noun
    /// are a mention even where nobody speaks, so a later "he" can find it. The end of the
    /// phrase if one starts at token `at`.
    fn role_phrase_at(&mut self, at: usize, end: usize) -> Option<usize> {
        const QUALIFIERS: usize = 3;
        let t = self.toks[at];
        if !self.lang.in_list(&t, self.lang.g.lists.det) || !self.lang.has_flag(&t, word::DEFINITE, &mut self.buf) {
            return None;
        }
        for j in at + 1..end.min(at + 2 + QUALIFIERS) {
            if !self.toks[j].is_word() {
                return None;
            }
            if let Some(n) = self.lang.role_at(&self.toks[..end], j, &mut self.buf) {
                return Some(j + n);
            }
        }
        None
    }

    /// ", the head of Hezbollah's bloc," after a name: an appositive starts with a determiner
    /// and runs to the next comma (or the sentence's end), a few words at most.
    fn appositive_after(&self, at: usize, end: usize) -> Option<Range<usize>> {
        const LONGEST: usize = 16;
        if at + 2 >= end || self.toks[at].text != "," || !self.lang.in_list(&self.toks[at + 1], self.lang.g.lists.det) {
            return None;
        }
        let stop = (at + 1..end.min(at + 1 + LONGEST)).find(|&i| self.toks[i].is_punct() && matches!(self.toks[i].text, "," | "." | ";" | ":"));
        let stop = stop.or((end <= at + 1 + LONGEST).then_some(end))?;
        Some(at + 1..stop)
    }

    /// "What Sanders", "See Sexton": a sentence's capitalised first word before a name the
    /// gazetteer or the document knows is no part of it when the document also writes it in
    /// lower case, or names that speaker in full elsewhere ("Zeke Emanuel" stays whole).
    /// `start`: the run's first token.
    fn drop_sentence_opener(&mut self, start: usize, parse: &mut NameParse) {
        if parse.core.start != 0 || parse.core.len() < 2 || !parse.entries.is_empty() {
            return;
        }
        let first = self.toks[start];
        if self.lang.info(&first, &mut self.buf).given.is_some() {
            return;
        }
        let rest = start + 1..start + parse.core.end;
        let entries = self.lang.entries_of(&self.toks[rest.clone()], &mut self.buf).to_vec();
        let named_elsewhere = entries.iter().any(|e| self.sites.iter().any(|s| s.name.as_ref().is_some_and(|n| n.core.len() > 1 && n.entries.contains(e))));
        // "See Sexton": the last name of someone the document named in full before.
        let mut key = String::new();
        key_of(&self.toks[rest.clone()], true, &mut key);
        let mut last = String::new();
        let known_surname = rest.len() == 1
            && self.sites.iter().filter_map(|s| Some((s.toks.start, s.name.as_ref()?))).any(|(at, n)| {
                n.core.len() > 1 && {
                    key_of(&self.toks[at + n.core.end - 1..at + n.core.end], true, &mut last);
                    last == key
                }
            });
        if (entries.is_empty() && !known_surname) || !(named_elsewhere || self.written_in_lower_case(first.text)) {
            return;
        }
        parse.core.start = 1;
        parse.entries = entries;
    }

    /// Whether the document has `word` in lower case as a word of its own.
    fn written_in_lower_case(&self, word: &str) -> bool {
        let lower = word.to_lowercase();
        let norm = self.layout.norm();
        let is_word_char = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        norm.match_indices(lower.as_str()).any(|(i, _)| !is_word_char(norm[..i].chars().next_back()) && !is_word_char(norm[i + lower.len()..].chars().next()))
    }

    /// The sentence token `i` is in.
    fn sentence_of(&self, i: usize) -> &crate::layout::Sentence {
        let at = self.layout.tokens.tokens[i].start as usize;
        let k = self.layout.sentences.partition_point(|s| s.span.end <= at).min(self.layout.sentences.len() - 1);
        &self.layout.sentences[k]
    }

    fn is_preposition(&self, i: usize) -> bool {
        let t = &self.toks[i];
        !t.is_cap() && self.lang.in_list(t, self.lang.g.lists.preposition)
    }

    /// The country most often behind a title written without a nationality ("Foreign
    /// Minister Gabi Ashkenazi" in an Israeli paper): journalists qualify foreign officials,
    /// not their own.
    fn home_country(&self) -> Option<u32> {
        let mut votes: Vec<(u32, usize)> = Vec::new();
        for site in &self.sites {
            let (Some(name), Some(title)) = (&site.name, &site.title) else { continue };
            if title.is_qualified() {
                continue;
            }
            let Some(&entry) = name.entries.first() else { continue };
            let same_role = self.lang.g.entries[entry as usize].descs.iter().find(|d| d.head == title.head && !d.former);
            let org = same_role.and_then(|d| {
                d.quals.iter().find_map(|q| match q.atom {
                    Atom::Entry(o) if !q.to => Some(o),
                    _ => None,
                })
            });
            if let Some(org) = org {
                match votes.iter_mut().find(|(o, _)| *o == org) {
                    Some(v) => v.1 += 1,
                    None => votes.push((org, 1)),
                }
            }
        }
        match votes.iter().map(|v| v.1).max() {
            Some(best) => votes.iter().find(|v| v.1 == best).map(|v| v.0),
            // No titles: the country of the first person the document names whom the gazetteer
            // knows with one ("Ashkenazi met Lavrov").
            None => self.sites.iter().filter_map(|s| s.name.as_ref()?.entries.first()).find_map(|&e| {
                let entry = &self.lang.g.entries[e as usize];
                (entry.kind == EntryType::Person).then(|| self.entry_org(e)).flatten()
            }),
        }
    }

    /// The organisation of an entry's own role ("Foreign Minister" of Israel).
    fn entry_org(&self, e: u32) -> Option<u32> {
        self.lang.g.entries[e as usize].descs.first()?.quals.iter().find_map(|q| match q.atom {
            Atom::Entry(o) if !q.to => Some(o),
            _ => None,
        })
    }

    /// Records a resolved mention. The first mention of a sentence after its introductory
    /// phrase ("With one foot on her board, Ms. Gil …") is the sentence's subject.
    fn record(&mut self, toks: Range<usize>, who: Option<u32>, salience: Salience, issued: bool) -> u32 {
        let span = self.byte_span(&toks);
        let sentence = self.layout.sentences.partition_point(|s| s.span.end <= span.start).min(self.layout.sentences.len().saturating_sub(1));
        let paragraph = self.layout.sentences.get(sentence).map_or(0, |s| s.paragraph) as u32;
        let intro_end = self.intro_end(sentence);
        let sentence = sentence as u32;
        let first_after_intro = span.start >= intro_end && self.records.last().is_none_or(|r| r.sentence != sentence || r.span.start < intro_end);
        let salience = if salience == Salience::Other && first_after_intro { Salience::Subject } else { salience };
        let idx = self.records.len() as u32;
        self.records.push(Record { span, sentence, paragraph, who, salience, issued });
        if let Some(w) = who {
            self.entities[w as usize].last = Some(idx);
        }
        idx
    }

    /// Where the subject part of sentence `k` begins: after its first comma when it opens with
    /// a preposition or a subordinator ("After meeting Obama, he …"), else at its start.
    fn intro_end(&mut self, k: usize) -> usize {
        let Some(s) = self.layout.sentences.get(k) else { return 0 };
        let range = self.layout.tokens.range(&s.span);
        let Some(first) = self.toks.get(range.start).copied().filter(|_| !range.is_empty()) else { return s.span.start };
        if !self.lang.opens_clause(&first, &mut self.buf) {
            return s.span.start;
        }
        range.clone().find(|&i| self.toks[i].text == ",").map_or(s.span.start, |i| self.layout.tokens.tokens[i].end as usize)
    }

    fn byte_span(&self, toks: &Range<usize>) -> Range<usize> {
        let t = &self.layout.tokens.tokens;
        t[toks.start].start as usize..t[toks.end - 1].end as usize
    }

    /// "said in a statement", "in his statement": the speaker issued a document. "was quoted in
    /// the statement" refers to one issued before, by someone else.
    fn cue_issues_document(&mut self, cue: &Range<usize>) -> bool {
        let range = self.layout.tokens.range(cue);
        (range.start + 1..range.end).any(|i| {
            let (t, before) = (self.toks[i], self.toks[i - 1]);
            self.lang.has_flag(&t, word::DOCUMENT, &mut self.buf) && !self.lang.has_flag(&before, word::DEFINITE, &mut self.buf)
        })
    }

    fn is_document_mention(&mut self, toks: &Range<usize>) -> bool {
        toks.clone().any(|i| {
            let t = self.toks[i];
            self.lang.has_flag(&t, word::DOCUMENT, &mut self.buf)
        })
    }

    /// "Netanyahu and Putin": two runs joined by a coordinator are also a group (for "they").
    /// `rec_a`: the record of the first run; the group is the subject when it is.
    fn group_of_runs(&mut self, a_toks: Range<usize>, a: u32, rec_a: u32, b_toks: Range<usize>, b: u32) {
        if a_toks.end + 1 != b_toks.start || a == b {
            return;
        }
        let t = self.toks[a_toks.end];
        if !self.lang.has_flag(&t, word::COORDINATOR, &mut self.buf) {
            return;
        }
        let people = |k: Kind| matches!(k, Kind::Person | Kind::Unknown);
        let (ka, kb) = (self.entities[a as usize].kind, self.entities[b as usize].kind);
        if people(ka) && people(kb) {
            let g = self.group(&[a, b]);
            let salience = self.records[rec_a as usize].salience;
            self.record(a_toks.start..b_toks.end, Some(g), salience, false);
        }
    }

    // ---- mentions -----------------------------------------------------------------------

    /// Resolves the mention in tokens `range`. `exclude`: who it cannot be (an addressee is not
    /// its own speaker).
    fn mention(&mut self, range: Range<usize>, exclude: Option<u32>) -> Outcome {
        let (mut a, mut b) = (range.start, range.end);
        while a < b && self.toks[a].is_punct() {
            a += 1;
        }
        while b > a && self.toks[b - 1].is_punct() {
            b -= 1;
        }
        if a == b {
            return Outcome::unresolved();
        }
        // The whole mention, a determiner aside, may be an alias: "the White House".
        let det = usize::from(b - a > 1 && self.lang.is_function_word(&self.toks[a], &mut self.buf));
        let entries = self.lang.entries_of(&self.toks[a + det..b], &mut self.buf);
        if !entries.is_empty() && (b - a - det > 1 || self.toks[a + det].is_cap()) {
            let entries = entries.to_vec();
            return Outcome::to(self.pick_entry(&entries), Step::Alias);
        }
        // "Hugh Hill, a doctor," / "the head of Hezbollah's bloc, Mohammad Raad,"
        if let Some(comma) = (a + 1..b).find(|&i| self.toks[i].text == ",") {
            let end = (comma + 1..b).find(|&i| self.toks[i].text == ",").unwrap_or(b);
            if end > comma + 1 {
                return self.appositive(a..comma, comma + 1..end, exclude);
            }
        }
        self.phrase(a..b, exclude)
    }

    fn appositive(&mut self, first: Range<usize>, second: Range<usize>, exclude: Option<u32>) -> Outcome {
        let (name, desc) = if self.name_at_end(first.clone()).is_some() { (first, second) } else { (second, first) };
        let o = self.phrase(name, exclude);
        let Some(w) = o.who.filter(|_| matches!(o.step, Step::Alias | Step::DocumentName | Step::NewName)) else {
            return o;
        };
        self.describe(w, desc);
        Outcome { step: Step::Appositive, ..o }
    }

    /// Learns what an appositive says of `w`: a description, and that `w` is a person when it
    /// names a person's role or a person noun ("a doctor", "the pizza maven and former
    /// presidential candidate").
    fn describe(&mut self, w: u32, range: Range<usize>) {
        let text = mention_text(self.layout, &self.byte_span(&range));
        let person = range.clone().any(|i| {
            let t = self.toks[i];
            self.lang.has_flag(&t, word::PERSON, &mut self.buf)
        });
        if let Some(np) = self.lang.np(&self.toks[range], &mut self.buf) {
            // "Sarandon, 69,": an age is no description.
            let age = matches!(&np.head, HeadKind::Word(w) if w.starts_with(|c: char| c.is_ascii_digit()));
            // What an appositive says is a role only if its head is a person's or a body's
            // ("the head of …", "a doctor", "the newspaper"), not a clause run on.
            let role = np.desc().filter(|d| !age && (person || self.is_person_noun(&d.head) || self.is_body_noun(&d.head)));
            if let Some(d) = role {
                let person = person || self.is_person_noun(&d.head);
                self.learn(w, d, text);
                let e = &mut self.entities[w as usize];
                if person && e.kind == Kind::Unknown {
                    e.kind = Kind::Person;
                }
            }
        }
    }

    /// The name run at the end of a mention, read, if the mention ends in a name.
    fn name_at_end(&mut self, range: Range<usize>) -> Option<(usize, NameParse)> {
        let mut start = range.end;
        while start > range.start && self.lang.is_name_token(&self.toks[start - 1], true) && (start == range.end || !self.toks[start - 1].is_poss()) {
            start -= 1;
        }
        while start < range.end && !self.toks[start].is_cap() {
            start += 1;
        }
        if start == range.end {
            return None;
        }
        let after_preposition = start > range.start && self.is_preposition(start - 1);
        let mut parse = self.lang.name(&self.toks[start..range.end], after_preposition, &mut self.buf)?;
        if self.layout.tokens.range(&self.sentence_of(start).span).start == start {
            self.drop_sentence_opener(start, &mut parse);
        }
        // "the ambassador to Iran": a bare place after a preposition is no speaker's name.
        if after_preposition && parse.title.is_empty() {
            return None;
        }
        Some((start, parse))
    }

    fn phrase(&mut self, range: Range<usize>, exclude: Option<u32>) -> Outcome {
        // "he", or "that he": a pronoun after function words only.
        let last = self.toks[range.end - 1];
        if let Some(refers) = self.lang.pronoun(&last, &mut self.buf) {
            let only_function_words = (range.start..range.end - 1).all(|i| {
                let t = self.toks[i];
                self.lang.is_function_word(&t, &mut self.buf)
            });
            if only_function_words {
                return self.pronoun(refers, exclude);
            }
        }
        if let Some(o) = self.coordination(range.clone(), exclude) {
            return o;
        }
        let at_end = self.name_at_end(range.clone());
        let known = at_end.as_ref().is_some_and(|(start, p)| !p.entries.is_empty() || self.lang.info(&self.toks[start + p.core.start], &mut self.buf).given.is_some());
        if !known && let Some(parse) = self.connected_name(range.clone()) {
            return self.named(range.start, &parse);
        }
        if let Some((start, parse)) = at_end {
            return self.named(start, &parse);
        }
        let Some(np) = self.lang.np(&self.toks[range.clone()], &mut self.buf) else { return Outcome::unresolved() };
        // "Meenakshi Ganguly of Human Rights Watch": a name before the first prepositional phrase.
        if let Some((_, object)) = np.pps.first() {
            let before = range.start..range.start + object.start - 1;
            if let Some((start, parse)) = self.name_at_end(before) {
                return self.named(start, &parse);
            }
        }
        self.noun_phrase(range, &np, exclude)
    }

    /// "the Bureau of Labor Statistics", "Center for American Progress": a body's name and
    /// capitalised words joined to it by connectors ("of", "for") are one name, read relative
    /// to `range.start`.
    fn connected_name(&mut self, range: Range<usize>) -> Option<NameParse> {
        let mut a = range.start;
        while a < range.end && self.lang.is_function_word(&self.toks[a], &mut self.buf) {
            a += 1;
        }
        let words = &self.toks[a..range.end];
        let (first, last) = (words.first()?, words.last()?);
        if words.len() < 3 || !first.is_cap() || !last.is_cap() {
            return None;
        }
        let mut first_connector = None;
        for (k, t) in words.iter().enumerate() {
            if self.lang.has_flag(t, word::CONNECTOR, &mut self.buf) && !t.is_cap() {
                first_connector.get_or_insert(k);
            } else if !t.is_cap() || !t.is_word() {
                return None;
            }
        }
        // The words before the first connector name a body ("Bureau", "Center"): "Sen. Sherrod
        // Brown of Ohio" is a person from a place; and what follows is no time ("on Monday").
        let k = first_connector?;
        let body = k > 0 && self.lang.has_flag(&words[k - 1], word::ORGANIZATION, &mut self.buf);
        if !body || words[k + 1..].iter().any(|t| self.lang.in_list(t, self.lang.g.lists.when)) {
            return None;
        }
        let core = a - range.start..range.len();
        let entries = self.lang.entries_of(words, &mut self.buf).to_vec();
        Some(NameParse { title: core.start..core.start, core, gender: None, entries })
    }

    /// "Ashkenazi and Lavrov": a group, when both sides resolve.
    fn coordination(&mut self, range: Range<usize>, exclude: Option<u32>) -> Option<Outcome> {
        let k = (range.start + 1..range.end - 1).find(|&i| {
            let t = self.toks[i];
            self.lang.has_flag(&t, word::COORDINATOR, &mut self.buf)
        })?;
        let mut members = Vec::new();
        for part in [range.start..k, k + 1..range.end] {
            let last = self.toks[part.end - 1];
            if !last.is_cap() && self.lang.pronoun(&last, &mut self.buf).is_none() {
                return None;
            }
            let o = self.phrase(part, exclude);
            members.push(o.who.filter(|&w| !matches!(self.entities[w as usize].kind, Kind::Anonymous))?);
        }
        Some(Outcome::to(self.group(&members), Step::Group))
    }

    fn group(&mut self, members: &[u32]) -> u32 {
        let names: Vec<&str> = members.iter().map(|&m| self.entities[m as usize].name.as_str()).collect();
        let name = names.join(" and ");
        let people = members.iter().all(|&m| matches!(self.entities[m as usize].kind, Kind::Person | Kind::Unknown | Kind::Group(true)));
        self.local(name, Kind::Group(people), None, true)
    }

    // ---- names --------------------------------------------------------------------------

    /// A name at token `start` (the run read as `parse`).
    fn named(&mut self, start: usize, parse: &NameParse) -> Outcome {
        let core = parse.core.start + start..parse.core.end + start;
        let mut key = String::new();
        key_of(&self.toks[core.clone()], true, &mut key);
        let gender_ok = |g: &Gazetteer, e: u32| parse.gender.is_none() || g.entries[e as usize].gender.is_none_or(|x| Some(x) == parse.gender);
        let entries: Vec<u32> = parse.entries.iter().copied().filter(|&e| gender_ok(self.lang.g, e)).collect();
        let outcome = if core.len() > 1 {
            if !entries.is_empty() {
                Outcome::to(self.pick_entry(&entries), Step::Alias)
            } else if let Some(&e) = self.by_name.get(&key) {
                Outcome::to(e, Step::DocumentName)
            } else {
                Outcome::to(self.new_name(core.clone(), parse), Step::NewName)
            }
        } else {
            self.single_name(&key, core.clone(), parse, &entries)
        };
        if let Some(w) = outcome.who {
            if core.len() > 1 {
                let last = key.rsplit(' ').next().unwrap_or(&key).to_owned();
                let list = self.surnames.entry(last).or_default();
                if !list.contains(&w) {
                    list.push(w);
                }
            }
            if !parse.title.is_empty() {
                let title = parse.title.start + start..parse.title.end + start;
                if let Some(d) = self.lang.np(&self.toks[title.clone()], &mut self.buf).and_then(|np| np.desc()).filter(|d| matches!(d.head, Head::Role(_))) {
                    let text = mention_text(self.layout, &self.byte_span(&title));
                    self.learn(w, d, text);
                }
            }
            let e = &mut self.entities[w as usize];
            if e.gender.is_none() {
                e.gender = parse.gender;
            }
        }
        outcome
    }

    /// A one-word name: the person the document named in full with it, else the gazetteer's,
    /// else a person named in full later, else itself.
    fn single_name(&mut self, key: &str, core: Range<usize>, parse: &NameParse, entries: &[u32]) -> Outcome {
        let in_document = self.surnames.get(key).and_then(|list| {
            list.iter()
                .copied()
                .filter(|&w| parse.gender.is_none() || self.entities[w as usize].gender.is_none_or(|g| Some(g) == parse.gender))
                .max_by_key(|&w| self.entities[w as usize].last)
        });
        if let Some(w) = in_document {
            let unique_entry = entries.len() == 1 && self.entities[w as usize].entry == Some(entries[0]);
            return Outcome::to(w, if unique_entry { Step::Alias } else { Step::DocumentName });
        }
        if !entries.is_empty() {
            return Outcome::to(self.pick_entry(entries), Step::Alias);
        }
        if let Some(&w) = self.by_name.get(key) {
            return Outcome::to(w, Step::DocumentName);
        }
        if let Some(w) = self.later_full_name(key) {
            return Outcome::to(w, Step::DocumentName);
        }
        Outcome::to(self.new_name(core, parse), Step::NewName)
    }

    /// The first person named in full after the current mention whose last name is `key`.
    fn later_full_name(&mut self, key: &str) -> Option<u32> {
        let mut last = String::new();
        for i in self.current + 1..self.sites.len() {
            let site = &self.sites[i];
            let Some(name) = site.name.as_ref().filter(|n| n.core.len() > 1) else { continue };
            let core = name.core.start + site.toks.start..name.core.end + site.toks.start;
            key_of(&self.toks[core.end - 1..core.end], true, &mut last);
            if last != key {
                continue;
            }
            if let Some(&e) = name.entries.first() {
                return Some(self.entity_for_entry(e));
            }
            let parse = name.clone();
            return Some(self.new_name(core, &parse));
        }
        None
    }

    /// Among gazetteer entries sharing an alias, the one the document mentioned last, else the
    /// first in the file.
    fn pick_entry(&mut self, entries: &[u32]) -> u32 {
        let mentioned = entries.iter().filter_map(|e| self.by_entry.get(e).copied()).max_by_key(|&w| self.entities[w as usize].last);
        match mentioned {
            Some(w) if entries.len() > 1 => w,
            _ => self.entity_for_entry(entries[0]),
        }
    }

    fn entity_for_entry(&mut self, entry: u32) -> u32 {
        if let Some(&w) = self.by_entry.get(&entry) {
            return w;
        }
        let e = &self.lang.g.entries[entry as usize];
        let kind = match e.kind {
            EntryType::Person => Kind::Person,
            EntryType::Organization => Kind::Organization,
        };
        let w = self.entities.len() as u32;
        self.entities.push(Entity { name: e.name.clone(), entry: Some(entry), kind, gender: e.gender, plural: false, learned: Vec::new(), role_text: None, spoke: false, last: None });
        self.by_entry.insert(entry, w);
        w
    }

    /// A document's own entity, one per name.
    fn local(&mut self, name: String, kind: Kind, gender: Option<Gender>, plural: bool) -> u32 {
        let mut key = String::new();
        super::phrase::push_word_key(&mut key, &name);
        if let Some(&w) = self.by_name.get(&key) {
            return w;
        }
        let w = self.entities.len() as u32;
        self.entities.push(Entity { name, entry: None, kind, gender, plural, learned: Vec::new(), role_text: None, spoke: false, last: None });
        self.by_name.insert(key, w);
        w
    }

    fn name_text(&self, core: Range<usize>) -> String {
        let mut out = String::new();
        for (i, t) in self.toks[core.clone()].iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(if i + 1 == core.len() { t.base() } else { t.text });
        }
        out
    }

    /// What an unknown name names, and the gender it tells: an organisation (an
    /// organisation word, an acronym), a person (an honorific, a given name, an initial, or
    /// simply a first and a last name), or, for a single word, unknown.
    fn kind_of_name(&mut self, core: Range<usize>, parse: &NameParse) -> (Kind, Option<Gender>) {
        use crate::rules::tokens::shape;
        let toks = &self.toks[core];
        if toks.iter().any(|t| self.lang.has_flag(t, word::ORGANIZATION, &mut self.buf)) || (toks.len() == 1 && toks[0].shape & shape::ALL_CAPS != 0) {
            return (Kind::Organization, None);
        }
        let given = self.lang.info(&toks[0], &mut self.buf).given;
        let gender = parse.gender.or(given);
        let place = toks.iter().any(|t| self.lang.has_flag(t, word::PLACE, &mut self.buf));
        if gender.is_some() || (toks.len() > 1 && !place) {
            return (Kind::Person, gender);
        }
        (Kind::Unknown, None)
    }

    /// A new entity for a name the gazetteer does not know.
    fn new_name(&mut self, core: Range<usize>, parse: &NameParse) -> u32 {
        let (kind, gender) = self.kind_of_name(core.clone(), parse);
        let text = self.name_text(core);
        self.local(text, kind, gender, false)
    }

    fn learn(&mut self, w: u32, d: Desc, text: String) {
        let person_role = match d.head {
            Head::Role(r) => self.lang.g.roles[r as usize].kind == EntryType::Person,
            Head::Word(_) => false,
        };
        let e = &mut self.entities[w as usize];
        if person_role && e.kind == Kind::Unknown {
            e.kind = Kind::Person;
        }
        if !e.learned.contains(&d) {
            e.learned.push(d);
        }
        if e.role_text.is_none() {
            e.role_text = Some(text);
        }
    }

    // ---- noun phrases -------------------------------------------------------------------

    fn noun_phrase(&mut self, range: Range<usize>, np: &Np, exclude: Option<u32>) -> Outcome {
        let off = range.start;
        let at = |r: &Range<usize>| r.start + off..r.end + off;
        match &np.head {
            HeadKind::Entry(e) => Outcome::to(self.entity_for_entry(*e), Step::Alias),
            HeadKind::Document(_) => {
                let issuer = np.possessor.as_ref().map(at).or_else(|| np.pps.iter().find(|(p, _)| matches!(&**p, "from" | "of" | "by")).map(|(_, r)| at(r)));
                if let Some(who) = issuer.and_then(|r| self.mention(r, exclude).who) {
                    return Outcome::to(who, Step::Issuer);
                }
                if np.det != Det::Indefinite
                    && let Some((ri, rec)) = self.records.iter().enumerate().rev().find(|(_, r)| r.issued && r.who.is_some())
                {
                    return Outcome { who: rec.who, step: Step::Issuer, basis: Some(ri as u32) };
                }
                // A document whose issuer nothing names is an unnamed source ("the email read").
                self.anonymous(range, np)
            }
            HeadKind::Body(noun) => {
                let owner = self.owner(range.clone(), np, exclude);
                match owner {
                    Some(o) => Outcome::to(self.body(o, noun), Step::Issuer),
                    None => self.anonymous(range, np),
                }
            }
            HeadKind::Counterpart => {
                let Some(other) = self.owner(range.clone(), np, exclude) else { return self.anonymous(range, np) };
                let head = self.descs(other).into_iter().find(|d| !d.former && matches!(d.head, Head::Role(_))).map(|d| d.head);
                let Some(head) = head else { return Outcome::unresolved() };
                let q = Desc { head, quals: np.quals.clone(), former: false };
                match self.bind_role(&q, Some(other)) {
                    Some((w, basis)) => Outcome { who: Some(w), step: Step::Role, basis },
                    None => Outcome::unresolved(),
                }
            }
            HeadKind::Role(r) => {
                if np.det == Det::Indefinite || np.plural {
                    return self.anonymous(range, np);
                }
                let q = Desc { head: Head::Role(*r), quals: np.quals.clone(), former: np.former };
                if let Some((w, basis)) = self.bind_role(&q, exclude) {
                    return Outcome { who: Some(w), step: Step::Role, basis };
                }
                // "the Iranian foreign minister", whom nothing names: the role is the speaker.
                match self.role_holder_name(&q) {
                    Some(name) => {
                        let kind = match self.lang.g.roles[*r as usize].kind {
                            EntryType::Person => Kind::Person,
                            EntryType::Organization => Kind::Organization,
                        };
                        Outcome::to(self.local(name, kind, None, false), Step::Role)
                    }
                    None => Outcome::unresolved(),
                }
            }
            HeadKind::Word(_) => {
                if np.det == Det::Definite
                    && !np.plural
                    && let Some(q) = np.desc()
                    && let Some((w, basis)) = self.bind_in_document(&q, exclude)
                {
                    let step = if self.entities[w as usize].kind == Kind::Anonymous { Step::Anonymous } else { Step::Role };
                    return Outcome { who: Some(w), step, basis };
                }
                self.anonymous(range, np)
            }
        }
    }

    /// Whose body or counterpart a phrase names: a possessive, "his", a name before the head,
    /// "of X", or the organisation it is qualified with.
    fn owner(&mut self, range: Range<usize>, np: &Np, exclude: Option<u32>) -> Option<u32> {
        let off = range.start;
        if let Some(p) = &np.possessor
            && let Some(w) = self.mention(p.start + off..p.end + off, exclude).who
        {
            return Some(w);
        }
        if let Det::Possessive(refers) = np.det {
            return self.pronoun(refers, exclude).who;
        }
        if let Some(m) = &np.modifier
            && let Some(w) = self.mention(m.start + off..m.end + off, exclude).who
        {
            return Some(w);
        }
        if let Some((_, r)) = np.pps.iter().find(|(p, _)| matches!(&**p, "of" | "for"))
            && let Some(w) = self.mention(r.start + off..r.end + off, exclude).who
        {
            return Some(w);
        }
        np.quals.iter().find_map(|q| match q.atom {
            Atom::Entry(e) if !q.to => Some(e),
            _ => None,
        })
        .map(|e| self.entity_for_entry(e))
    }

    /// The body `noun` (office, campaign) of `owner`: the gazetteer's if it lists one that
    /// fits the owner's roles ("Netanyahu's office" is the Prime Minister's Office), else
    /// "Owner's noun".
    fn body(&mut self, owner: u32, noun: &str) -> u32 {
        let e = &self.entities[owner as usize];
        let mut quals: Vec<Qual> = Vec::new();
        if let Some(entry) = e.entry {
            quals.push(Qual { to: false, atom: Atom::Entry(entry) });
        }
        for d in self.descs(owner).into_iter().filter(|d| !d.former) {
            if let Head::Role(r) = d.head {
                quals.push(Qual { to: false, atom: Atom::Role(r) });
            }
            quals.extend(d.quals);
        }
        let head = Head::Word(noun.into());
        let g = self.lang.g;
        let found = g.holders.get(&head).and_then(|list| {
            list.iter().copied().find(|&b| g.entries[b as usize].descs.iter().any(|d| d.head == head && !d.quals.is_empty() && d.quals.iter().all(|q| quals.contains(q))))
        });
        match found {
            Some(b) => self.entity_for_entry(b),
            None => {
                let name = format!("{}'s {noun}", self.entities[owner as usize].name);
                self.local(name, Kind::Organization, None, false)
            }
        }
    }

    /// An unnamed source: its own entity, named as first written.
    fn anonymous(&mut self, range: Range<usize>, np: &Np) -> Outcome {
        let name = mention_text(self.layout, &self.byte_span(&range));
        let w = self.local(name, Kind::Anonymous, None, np.plural);
        if let Some(d) = np.desc() {
            let e = &mut self.entities[w as usize];
            if !e.learned.contains(&d) {
                e.learned.push(d);
            }
        }
        Outcome::to(w, Step::Anonymous)
    }

    // ---- roles --------------------------------------------------------------------------

    /// An entity's descriptions: the gazetteer's and the document's.
    fn descs(&self, w: u32) -> Vec<Desc> {
        let e = &self.entities[w as usize];
        let mut out: Vec<Desc> = e.entry.map(|i| self.lang.g.entries[i as usize].descs.clone()).unwrap_or_default();
        out.extend(e.learned.iter().cloned());
        out
    }

    fn fits(&self, w: u32, q: &Desc) -> bool {
        let e = &self.entities[w as usize];
        let entry = e.entry.map(|i| &self.lang.g.entries[i as usize].descs[..]).unwrap_or(&[]);
        entry.iter().chain(&e.learned).any(|d| d.covers(q))
    }

    fn has_org(&self, w: u32, org: u32) -> bool {
        let e = &self.entities[w as usize];
        let entry = e.entry.map(|i| &self.lang.g.entries[i as usize].descs[..]).unwrap_or(&[]);
        e.entry == Some(org) || entry.iter().chain(&e.learned).any(|d| d.has_org(org))
    }

    /// Who holds the role `q` describes: in the document (before, else after), else in the
    /// gazetteer. Returns the holder and the record of the mention it was bound to.
    ///
    /// An unqualified title ("the Foreign Ministry") prefers, at each of these places, the
    /// holder from the document's home country.
    fn bind_role(&mut self, q: &Desc, exclude: Option<u32>) -> Option<(u32, Option<u32>)> {
        if let Some(found) = self.bind_in_document(q, exclude) {
            return Some(found);
        }
        let home = self.home.filter(|_| !q.is_qualified());
        for org in [home, None] {
            if org.is_none() && home.is_some() && self.gazetteer_holder(q, home, exclude).is_some() {
                break;
            }
            if let Some(w) = self.later_holder(q, org) {
                return Some((w, None));
            }
        }
        self.gazetteer_holder(q, home, exclude).map(|e| (self.entity_for_entry(e), None))
    }

    /// The one gazetteer entry holding the role `q` describes (from the home country, if
    /// there is one for it).
    fn gazetteer_holder(&self, q: &Desc, home: Option<u32>, exclude: Option<u32>) -> Option<u32> {
        let g = self.lang.g;
        let excluded = |e: u32| exclude.is_some_and(|x| self.entities[x as usize].entry == Some(e));
        let holders: Vec<u32> = g.holders.get(&q.head)?.iter().copied().filter(|&e| !excluded(e) && g.entries[e as usize].descs.iter().any(|d| d.covers(q))).collect();
        let preferred: Vec<u32> = match home {
            Some(h) => holders.iter().copied().filter(|&e| e == h || g.entries[e as usize].descs.iter().any(|d| d.has_org(h))).collect(),
            None => Vec::new(),
        };
        match (preferred.as_slice(), holders.as_slice()) {
            ([one], _) | ([], [one]) => Some(*one),
            _ => None,
        }
    }

    /// The nearest earlier mention of someone `q` describes (see [`Self::search_back`]); an
    /// unqualified title prefers the home country's holder.
    fn bind_in_document(&self, q: &Desc, exclude: Option<u32>) -> Option<(u32, Option<u32>)> {
        let fits = |w: u32| Some(w) != exclude && self.fits(w, q);
        let home = self.home.filter(|_| !q.is_qualified());
        let found = home.and_then(|h| self.search_back(|w| fits(w) && self.has_org(w, h), None)).or_else(|| self.search_back(fits, None));
        found.map(|(w, ri)| (w, Some(ri)))
    }

    /// Walks back from the current mention, sentence by sentence: in its own sentence only
    /// the speakers of statements when the mention is itself a speaker ("Trump is wrong, he
    /// said" is not Trump speaking), then in each earlier sentence its speakers first, then
    /// its subject, then the nearest other mention that `accept`s. `limit`: how many sentences and
    /// paragraph breaks back at most. Returns the entity and the record it was found at.
    fn search_back(&self, accept: impl Fn(u32) -> bool, limit: Option<(u32, u32)>) -> Option<(u32, u32)> {
        let here = self.byte_span(&self.sites[self.current].toks);
        let sentence = self.layout.sentences.partition_point(|s| s.span.end <= here.start) as u32;
        let paragraph = self.layout.sentences.get(sentence as usize).map_or(0, |s| s.paragraph) as u32;
        let speaking = matches!(self.sites[self.current].kind, SiteKind::Speaker(_));
        let mut best: Option<(Salience, u32, u32)> = None;
        let mut current = sentence;
        for (ri, rec) in self.records.iter().enumerate().rev() {
            if rec.sentence != current {
                if best.is_some() {
                    break;
                }
                current = rec.sentence;
            }
            if let Some((sentences, paragraphs)) = limit
                && (sentence.saturating_sub(rec.sentence) > sentences || paragraph.saturating_sub(rec.paragraph) > paragraphs)
            {
                break;
            }
            let Some(w) = rec.who else { continue };
            if (speaking && rec.sentence == sentence && rec.salience != Salience::Speaker) || !accept(w) {
                continue;
            }
            if best.is_none_or(|(s, _, _)| rec.salience < s) {
                best = Some((rec.salience, w, ri as u32));
            }
        }
        best.map(|(_, w, ri)| (w, ri))
    }

    /// The first person named after the current mention with a title or gazetteer role that
    /// fits `q` ("the Russian ambassador to Iran had said …" before "Russian Ambassador to Iran
    /// Levan Dzhagaryan"), of organisation `org` if given.
    fn later_holder(&mut self, q: &Desc, org: Option<u32>) -> Option<u32> {
        for i in self.current + 1..self.sites.len() {
            let site = &self.sites[i];
            let Some(name) = &site.name else { continue };
            let by_title = site.title.as_ref().is_some_and(|d| d.covers(q) && org.is_none_or(|o| d.has_org(o)));
            let entry = name.entries.first().copied();
            let by_entry = entry.is_some_and(|e| self.lang.g.entries[e as usize].descs.iter().any(|d| d.covers(q) && org.is_none_or(|o| d.has_org(o))));
            if !by_title && !by_entry {
                continue;
            }
            let parse = name.clone();
            let start = site.toks.start;
            return Some(match entry {
                Some(e) => self.entity_for_entry(e),
                None => self.new_name(parse.core.start + start..parse.core.end + start, &parse),
            });
        }
        None
    }

    /// A name for the holder of a qualified role nobody in the document or gazetteer holds:
    /// "Iranian Foreign Minister".
    fn role_holder_name(&self, q: &Desc) -> Option<String> {
        let Head::Role(r) = q.head else { return None };
        let g = self.lang.g;
        let org = q.quals.iter().find_map(|x| match x.atom {
            Atom::Entry(e) if !x.to => Some(e),
            _ => None,
        })?;
        let entry = &g.entries[org as usize];
        let qualifier = entry.demonym.clone().unwrap_or_else(|| format!("{}'s", entry.name));
        let former = if q.former { "former " } else { "" };
        Some(format!("{former}{qualifier} {}", g.roles[r as usize].name))
    }

    // ---- pronouns -----------------------------------------------------------------------

    /// Binds a pronoun to the nearest compatible speaker or subject before it, no further back
    /// than two paragraphs. A speaker's "he" or "she" also tells the gender of a name that did
    /// not (a pronoun inside a statement may be about someone else).
    fn pronoun(&mut self, refers: Refers, exclude: Option<u32>) -> Outcome {
        if refers == Refers::Nobody {
            return Outcome::unresolved();
        }
        let Some((w, ri)) = self.search_back(|w| Some(w) != exclude && self.compatible(w, refers), Some((PRONOUN_SENTENCES, PRONOUN_PARAGRAPHS))) else {
            return Outcome::unresolved();
        };
        if matches!(self.sites[self.current].kind, SiteKind::Speaker(_)) {
            let e = &mut self.entities[w as usize];
            if e.gender.is_none() {
                e.gender = match refers {
                    Refers::Male => Some(Gender::Male),
                    Refers::Female => Some(Gender::Female),
                    _ => None,
                };
            }
        }
        Outcome { who: Some(w), step: Step::Pronoun, basis: Some(ri) }
    }

    /// Whether an unnamed source's noun names a person ("a senior official", "the woman"),
    /// not a thing ("the affidavit").
    fn is_person_noun(&self, head: &Head) -> bool {
        match head {
            Head::Role(r) => self.lang.g.roles[*r as usize].kind == EntryType::Person,
            Head::Word(w) => self.lang.g.words.get(w).is_some_and(|i| i.flags & word::PERSON != 0),
        }
    }

    /// Whether an unnamed source's noun names a body or a document ("the newspaper", "the
    /// email"): what "it" can be.
    fn is_body_noun(&self, head: &Head) -> bool {
        match head {
            Head::Role(r) => self.lang.g.roles[*r as usize].kind == EntryType::Organization,
            Head::Word(w) => self.lang.g.words.get(w).is_some_and(|i| i.flags & (word::ORGANIZATION | word::DOCUMENT) != 0),
        }
    }

    fn compatible(&self, w: u32, refers: Refers) -> bool {
        let e = &self.entities[w as usize];
        match refers {
            Refers::Male | Refers::Female => {
                let gender = if refers == Refers::Male { Gender::Male } else { Gender::Female };
                let person = match e.kind {
                    Kind::Person => true,
                    Kind::Unknown => e.spoke,
                    Kind::Anonymous => !e.plural && e.learned.iter().any(|d| self.is_person_noun(&d.head)),
                    _ => false,
                };
                person && e.gender.is_none_or(|g| g == gender)
            }
            Refers::Organization => !e.plural && (e.kind == Kind::Organization || (e.kind == Kind::Anonymous && e.learned.iter().any(|d| self.is_body_noun(&d.head)))),
            Refers::Plural => matches!(e.kind, Kind::Group(_) | Kind::Organization) || (e.kind == Kind::Anonymous && e.plural),
            Refers::Nobody => false,
        }
    }
}
