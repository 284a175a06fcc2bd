//! The speaker gazetteer, `speakers.toml`: who the speakers are, and the word tables that
//! resolution reads (pronouns, honorifics, given names, roles, bodies, documents).
//!
//! Everything is compiled once, when the rules load, into hash maps keyed by lower-cased token
//! sequences, so resolving a mention costs a few lookups. Roles and descriptions are read as
//! phrases by the same reader that reads mentions in documents ([`super::phrase`]), so
//! `described = ["Florida senator"]` matches "the Florida senator" in a text.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use toml::Spanned;

use super::phrase::{Desc, Head, Lang, Tok, key_of};
use crate::fast_map::FastMap;
use crate::rules::pattern::Vocabulary;
use crate::rules::source::{RuleError, SourceFile};
use crate::rules::tokens::{Token, tokenize};

/// The word list (`{speaker_pronoun}`) the gazetteer's pronouns are registered as in the
/// lexicon, so a token's signature says whether it is one.
pub(crate) const PRONOUN_LIST: &str = "speaker_pronoun";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SpeakersFile {
    #[serde(default)]
    resolution: ResolutionToml,
    #[serde(default)]
    pronoun: Vec<PronounToml>,
    #[serde(default)]
    honorific: Vec<HonorificToml>,
    #[serde(default)]
    given_names: Vec<GivenNamesToml>,
    #[serde(default)]
    role: Vec<RoleToml>,
    #[serde(default)]
    speaker: Vec<SpeakerToml>,
    #[serde(default)]
    example: Vec<ExampleToml>,
}

impl SpeakersFile {
    /// Every pronoun of the `[[pronoun]]` tables.
    pub(crate) fn pronoun_words(&self) -> Vec<String> {
        self.pronoun.iter().flat_map(|p| p.words.iter().cloned()).collect()
    }
}

/// Word classes that resolution steps read.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ResolutionToml {
    /// Determiners that point back to something known ("the statement", "this official").
    #[serde(default)]
    definite: Vec<String>,
    /// Words that make a role a former one ("the former secretary of state").
    #[serde(default)]
    former: Vec<String>,
    /// Bodies that belong to someone: "Netanyahu's office", "the Clinton campaign".
    #[serde(default)]
    bodies: Vec<String>,
    /// Documents that speak for whoever issued them: "the statement", "a statement from X".
    #[serde(default)]
    documents: Vec<String>,
    /// The holder of the same role elsewhere: "his Russian counterpart".
    #[serde(default)]
    counterparts: Vec<String>,
    /// Words that join two speakers: "Ashkenazi and Lavrov".
    #[serde(default)]
    coordinators: Vec<String>,
    /// Lower-case words inside a name: "Bureau *of* Labor Statistics".
    #[serde(default)]
    name_connectors: Vec<String>,
    /// Words that make an unknown name an organisation: "Ministry", "Council", "Times".
    #[serde(default)]
    organization_words: Vec<String>,
    /// Words that make an unknown name a place ("Golan Heights", "Middle East"), not a person.
    #[serde(default)]
    place_words: Vec<String>,
    /// Nouns for people: an unnamed "senior official" or "the woman" can be a later "she";
    /// "the affidavit" cannot.
    #[serde(default)]
    person_nouns: Vec<String>,
}

/// What a pronoun can refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Refers {
    Male,
    Female,
    Organization,
    Plural,
    /// First and second person: the writer or someone quoted, never bound.
    Nobody,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    Male,
    Female,
}

/// Whether a gazetteer entry is a person or a body (a state, ministry, party, outlet, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryType {
    #[default]
    Person,
    Organization,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PronounToml {
    words: Vec<String>,
    refers: Refers,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HonorificToml {
    words: Vec<String>,
    gender: Gender,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GivenNamesToml {
    gender: Gender,
    names: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleToml {
    name: Spanned<String>,
    /// Ways of writing the role: "prime minister", "premier", "PM".
    nouns: Vec<String>,
    #[serde(default, rename = "type")]
    kind: EntryType,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SpeakerToml {
    name: Spanned<String>,
    #[serde(rename = "type")]
    kind: EntryType,
    gender: Option<Gender>,
    #[serde(default)]
    aliases: Vec<String>,
    /// Adjectives naming the entry as a qualifier: "Russian" (ambassador), "Republican" (senator).
    #[serde(default)]
    demonyms: Vec<String>,
    role: Option<Spanned<String>>,
    org: Option<String>,
    /// Other descriptions the press uses: "former secretary of state", "Vermont senator".
    #[serde(default)]
    described: Vec<Spanned<String>>,
    wikidata: Option<Spanned<String>>,
    /// Texts in which the whole rule set must find a statement by this speaker.
    #[serde(default)]
    examples: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleToml {
    text: Spanned<String>,
    #[serde(default)]
    row: Vec<ExampleRowToml>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleRowToml {
    pub mention: Option<String>,
    pub speaker: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub step: Option<String>,
    pub id: Option<String>,
    pub role: Option<String>,
    pub via: Option<String>,
    pub addressee: Option<String>,
}

/// A resolution example: the rows of `text`, in order, must include rows with these fields.
#[derive(Debug, Clone)]
pub struct ResolutionExample {
    pub file: usize,
    pub at: usize,
    pub text: String,
    pub rows: Vec<ExampleRowToml>,
}

/// A gazetteer entry's example: a statement in `text` must have `speaker` as its speaker.
#[derive(Debug, Clone)]
pub struct EntryExample {
    pub file: usize,
    pub at: usize,
    pub speaker: String,
    pub text: String,
}

/// A role: its display name and whether its holder is a person or a body.
#[derive(Debug, Clone)]
pub struct Role {
    pub name: String,
    pub kind: EntryType,
}

/// A gazetteer entry.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    pub kind: EntryType,
    pub gender: Option<Gender>,
    /// "Foreign Minister, Israel": the role and organisation, for the `speaker_role` column.
    pub role: Option<String>,
    pub wikidata: Option<String>,
    /// Its role with its organisation first, then the other descriptions.
    pub(crate) descs: Vec<Desc>,
    /// The first demonym, for naming a role holder the gazetteer does not list.
    pub demonym: Option<String>,
}

/// What a lower-cased token sequence can be.
#[derive(Debug, Default, Clone)]
pub(crate) struct Phrase {
    /// Entries with this alias, in file order (explicit aliases before derived surnames).
    pub entries: Vec<u32>,
    pub role: Option<u32>,
    /// The entry this is a demonym of.
    pub demonym: Option<u32>,
}

/// Flags of single words (bit set in [`WordInfo::flags`]).
pub(crate) mod word {
    pub const DEFINITE: u16 = 1 << 0;
    pub const FORMER: u16 = 1 << 1;
    pub const BODY: u16 = 1 << 2;
    pub const DOCUMENT: u16 = 1 << 3;
    pub const COUNTERPART: u16 = 1 << 4;
    pub const COORDINATOR: u16 = 1 << 5;
    pub const ORGANIZATION: u16 = 1 << 6;
    /// A word of some role noun ("foreign", "minister"): stripped before a name.
    pub const ROLE_WORD: u16 = 1 << 7;
    /// A word a description qualifies with ("retired" neurosurgeon): kept as a qualifier.
    pub const DESCRIPTIVE: u16 = 1 << 8;
    pub const PERSON: u16 = 1 << 9;
    pub const PLACE: u16 = 1 << 10;
    pub const CONNECTOR: u16 = 1 << 11;
}

#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct WordInfo {
    pub flags: u16,
    pub pronoun: Option<Refers>,
    pub honorific: Option<Gender>,
    pub given: Option<Gender>,
}

/// Bits of the lexicon lists that resolution reads, from `lexicon/*.toml`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lists {
    pub det: usize,
    pub lead: usize,
    pub preposition: usize,
    pub subordinator: usize,
    pub particle: usize,
    pub title: usize,
    pub modifier: usize,
    pub source_noun: usize,
    pub when: usize,
    pub pronoun: usize,
}

/// Generational suffixes: "Donald Trump Jr." is known as Trump, not as Jr.
const SUFFIXES: [&str; 7] = ["jr.", "jr", "sr.", "sr", "ii", "iii", "iv"];

const LISTS: [&str; 10] = ["det", "lead", "preposition", "subordinator", "particle", "title", "modifier_word", "source_noun", "when_word", PRONOUN_LIST];


/// The compiled gazetteer.
#[derive(Debug)]
pub struct Gazetteer {
    pub entries: Vec<Entry>,
    pub roles: Vec<Role>,
    pub(crate) phrases: FastMap<Box<str>, Phrase>,
    /// For each word that begins a phrase, the longest such phrase in tokens.
    pub(crate) first_words: FastMap<Box<str>, usize>,
    pub(crate) words: FastMap<Box<str>, WordInfo>,
    pub(crate) lists: Lists,
    /// Entries by the heads of their descriptions: who holds a role.
    pub(crate) holders: FastMap<Head, Vec<u32>>,
    pub examples: Vec<ResolutionExample>,
    pub entry_examples: Vec<EntryExample>,
}

/// A string of the rule files cut into tokens as documents are.
pub(crate) struct Tokenized {
    text: String,
    tokens: Vec<Token>,
    sigs: Vec<char>,
}

impl Tokenized {
    pub(crate) fn new(text: &str, vocab: &Vocabulary) -> Tokenized {
        let mut tokens = Vec::new();
        tokenize(text, |w| vocab.keeps_period.contains(w), &mut tokens);
        let sigs = tokens.iter().map(|t| vocab.sigs.signature(&text[t.span()], t.shape)).collect();
        Tokenized { text: text.to_owned(), tokens, sigs }
    }

    pub(crate) fn toks(&self) -> Vec<Tok<'_>> {
        self.tokens.iter().zip(&self.sigs).map(|(t, &sig)| Tok { text: &self.text[t.span()], shape: t.shape, sig }).collect()
    }
}

/// The key of a rule-file phrase: its tokens, lower-cased, a final possessive dropped.
fn phrase_key(text: &str, vocab: &Vocabulary) -> String {
    let t = Tokenized::new(text, vocab);
    let mut key = String::new();
    key_of(&t.toks(), true, &mut key);
    key
}

impl Gazetteer {
    pub(crate) fn compile(src: &SourceFile, file_idx: usize, file: SpeakersFile, vocab: &Vocabulary, errors: &mut Vec<RuleError>) -> Option<Gazetteer> {
        let mut bits = [0usize; LISTS.len()];
        for (slot, name) in bits.iter_mut().zip(LISTS) {
            match vocab.lexicon.sets.get(name).and_then(|s| s.bits.first()) {
                Some(&b) => *slot = b,
                None => {
                    errors.push(src.error(0, None, format!("speaker resolution reads the word list {{{name}}}; define it in lexicon/*.toml")));
                    return None;
                }
            }
        }
        let lists = Lists {
            det: bits[0],
            lead: bits[1],
            preposition: bits[2],
            subordinator: bits[3],
            particle: bits[4],
            title: bits[5],
            modifier: bits[6],
            source_noun: bits[7],
            when: bits[8],
            pronoun: bits[9],
        };
        let mut g = Gazetteer {
            entries: Vec::new(),
            roles: Vec::new(),
            phrases: FastMap::default(),
            first_words: FastMap::default(),
            words: FastMap::default(),
            lists,
            holders: FastMap::default(),
            examples: Vec::new(),
            entry_examples: Vec::new(),
        };
        let r = &file.resolution;
        for (list, flag) in [
            (&r.definite, word::DEFINITE),
            (&r.former, word::FORMER),
            (&r.bodies, word::BODY),
            (&r.documents, word::DOCUMENT),
            (&r.counterparts, word::COUNTERPART),
            (&r.coordinators, word::COORDINATOR),
            (&r.name_connectors, word::CONNECTOR),
            (&r.organization_words, word::ORGANIZATION),
            (&r.person_nouns, word::PERSON),
            (&r.place_words, word::PLACE),
        ] {
            for w in list {
                g.word(w).flags |= flag;
            }
        }
        for p in &file.pronoun {
            for w in &p.words {
                g.word(w).pronoun = Some(p.refers);
            }
        }
        for h in &file.honorific {
            for w in &h.words {
                g.word(w).honorific = Some(h.gender);
            }
        }
        for list in &file.given_names {
            for w in &list.names {
                g.word(w).given = Some(list.gender);
            }
        }
        for role in &file.role {
            let id = g.roles.len() as u32;
            if role.nouns.is_empty() {
                errors.push(src.error(role.name.span().start, Some(role.name.get_ref()), "a role needs at least one noun"));
            }
            for noun in &role.nouns {
                let key = phrase_key(noun, vocab);
                for w in key.split(' ') {
                    g.word(w).flags |= word::ROLE_WORD;
                }
                g.phrase(&key).role = Some(id);
            }
            g.roles.push(Role { name: role.name.get_ref().clone(), kind: role.kind });
        }
        // Names, aliases and demonyms first: descriptions refer to entries by them.
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut surnames = Vec::new();
        for (i, s) in file.speaker.iter().enumerate() {
            let name = s.name.get_ref();
            if let Some(prev) = seen.insert(name.to_lowercase(), s.name.span().start) {
                let (line, _) = src.line_col(prev);
                errors.push(src.error(s.name.span().start, Some(name), format!("a second entry with this name (the first is at line {line})")));
            }
            if let Some(id) = &s.wikidata {
                let ok = id.get_ref().strip_prefix('Q').is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
                if !ok {
                    errors.push(src.error(id.span().start, Some(name), "a Wikidata id is Q followed by digits"));
                }
            }
            let id = i as u32;
            for alias in std::iter::once(name).chain(&s.aliases) {
                let key = phrase_key(alias, vocab);
                let entries = &mut g.phrase(&key).entries;
                if !entries.contains(&id) {
                    entries.push(id);
                }
            }
            for d in &s.demonyms {
                let key = phrase_key(d, vocab);
                g.phrase(&key).demonym = Some(id);
            }
            if s.kind == EntryType::Person {
                let key = phrase_key(name, vocab);
                let mut words: Vec<&str> = key.split(' ').collect();
                while words.len() > 1 && words.last().is_some_and(|w| SUFFIXES.contains(w)) {
                    words.pop();
                }
                if words.len() > 1 {
                    surnames.push((words[words.len() - 1].to_owned(), id));
                }
            }
            for ex in &s.examples {
                g.entry_examples.push(EntryExample { file: file_idx, at: ex.span().start, speaker: name.clone(), text: ex.get_ref().clone() });
            }
        }
        // A person is also known by the last word of their name, after every explicit alias.
        for (last, id) in surnames {
            let entries = &mut g.phrase(&last).entries;
            if !entries.contains(&id) {
                entries.push(id);
            }
        }
        // Words that descriptions qualify with are kept as qualifiers when mentions use them.
        let mut descriptive = HashSet::new();
        for s in &file.speaker {
            for d in &s.described {
                for w in phrase_key(d.get_ref(), vocab).split(' ') {
                    descriptive.insert(w.to_owned());
                }
            }
        }
        for w in descriptive {
            let info = g.word(&w);
            if info.flags & (word::ROLE_WORD | word::FORMER | word::DEFINITE) == 0 && info.pronoun.is_none() {
                info.flags |= word::DESCRIPTIVE;
            }
        }
        for key in g.phrases.keys() {
            let first = key.split(' ').next().unwrap_or(key);
            let n = key.split(' ').count();
            let slot = g.first_words.entry(first.into()).or_insert(n);
            *slot = (*slot).max(n);
        }
        // Descriptions, read with the tables above.
        let mut entries = Vec::with_capacity(file.speaker.len());
        for s in &file.speaker {
            let name = s.name.get_ref();
            let lang = Lang { g: &g, sigs: &vocab.sigs };
            let mut descs = Vec::new();
            if let Some(role) = &s.role {
                match lang.desc_of(&Tokenized::new(role.get_ref(), vocab).toks()) {
                    Some(mut d) => {
                        if let Some(org) = &s.org {
                            d.quals.extend(lang.quals_of(&Tokenized::new(org, vocab).toks(), false));
                        }
                        descs.push(d);
                    }
                    None => errors.push(src.error(role.span().start, Some(name), "a role needs a noun to name it")),
                }
            }
            for d in &s.described {
                match lang.desc_of(&Tokenized::new(d.get_ref(), vocab).toks()) {
                    Some(desc) => descs.push(desc),
                    None => errors.push(src.error(d.span().start, Some(name), "a description needs a noun to name it")),
                }
            }
            let role = s.role.as_ref().map(|r| match &s.org {
                Some(org) => format!("{}, {org}", r.get_ref()),
                None => r.get_ref().clone(),
            });
            entries.push(Entry {
                name: name.clone(),
                kind: s.kind,
                gender: s.gender,
                role,
                wikidata: s.wikidata.as_ref().map(|w| w.get_ref().clone()),
                descs,
                demonym: s.demonyms.first().cloned(),
            });
        }
        for (i, e) in entries.iter().enumerate() {
            for d in &e.descs {
                let list = g.holders.entry(d.head.clone()).or_default();
                if !list.contains(&(i as u32)) {
                    list.push(i as u32);
                }
            }
        }
        g.entries = entries;
        for ex in file.example {
            if ex.row.is_empty() {
                errors.push(src.error(ex.text.span().start, Some("example"), "an example lists the rows it expects ([[example.row]])"));
            }
            g.examples.push(ResolutionExample { file: file_idx, at: ex.text.span().start, text: ex.text.into_inner(), rows: ex.row });
        }
        Some(g)
    }

    fn word(&mut self, w: &str) -> &mut WordInfo {
        let mut key = String::new();
        super::phrase::push_word_key(&mut key, w);
        self.words.entry(key.into_boxed_str()).or_default()
    }

    fn phrase(&mut self, key: &str) -> &mut Phrase {
        self.phrases.entry(key.into()).or_default()
    }
}
