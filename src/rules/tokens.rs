//! Tokens and their signatures: what rule patterns actually match.
//!
//! A document's skeleton is cut into tokens once: words, punctuation marks, and one token per
//! quotation. Each token gets a *signature*: the set of predicates it satisfies (membership of
//! word lists and verb forms, literal words the patterns name, and its shape). Every signature
//! the rule set can produce is known when the rules compile, and each is given one character
//! of the Unicode private use area. A sentence then becomes a short string of such characters,
//! and a pattern atom such as `{source_noun}` becomes a character class: rule patterns are
//! ordinary regexes over these strings, small enough for the regex crate's DFA.

use std::collections::HashMap;
use std::ops::Range;

use crate::fast_map::FastMap;
use crate::quotes::{CLOSE_BYTE, COMMA_BYTE, INSIDE_BYTE, OPEN_BYTE};

/// The first character used for signatures; each is three bytes in UTF-8.
pub const SIG_BASE: u32 = 0xE000;
/// How many signatures fit in the private use area.
pub const MAX_SIGNATURES: usize = 0xF8FF - 0xE000 + 1;
/// Bytes per signature character.
pub const SIG_LEN: usize = 3;

/// Shape flags of a token.
pub mod shape {
    pub const WORD: u16 = 1 << 0;
    pub const PUNCT: u16 = 1 << 1;
    pub const QUOTE: u16 = 1 << 2;
    pub const UPPER_FIRST: u16 = 1 << 3;
    pub const LOWER_FIRST: u16 = 1 << 4;
    pub const DIGIT_FIRST: u16 = 1 << 5;
    pub const ALL_CAPS: u16 = 1 << 6;
    pub const HYPHEN: u16 = 1 << 7;
    pub const ABBR: u16 = 1 << 8;
    pub const POSS: u16 = 1 << 9;
    pub const INITIAL: u16 = 1 << 10;
    pub const PLURAL: u16 = 1 << 11;
    /// Every combination a word token can have (the kind flags are exclusive).
    pub const WORD_FLAGS: [u16; 9] = [UPPER_FIRST, LOWER_FIRST, DIGIT_FIRST, ALL_CAPS, HYPHEN, ABBR, POSS, INITIAL, PLURAL];
}

/// A token of a document: a byte span of the skeleton (and of the matching copy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: u32,
    pub end: u32,
    pub shape: u16,
}

impl Token {
    pub fn span(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || ('\u{300}'..='\u{36F}').contains(&c)
}

/// Cuts a skeleton into tokens. `keeps_period` says whether a word keeps a following period
/// as part of itself (abbreviations such as "Mr." or "U.S."; initials always do).
pub fn tokenize(skeleton: &str, keeps_period: impl Fn(&str) -> bool, out: &mut Vec<Token>) {
    let bytes = skeleton.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b' ' || b == b'\n' || b == b'\t' {
            i += 1;
            continue;
        }
        if b == OPEN_BYTE || b == INSIDE_BYTE || b == CLOSE_BYTE {
            let start = i;
            let mut comma = None;
            i += 1;
            while i < bytes.len() && matches!(bytes[i], OPEN_BYTE | INSIDE_BYTE | CLOSE_BYTE | COMMA_BYTE) && !(bytes[i] == OPEN_BYTE && bytes[i - 1] != OPEN_BYTE) {
                if bytes[i] == COMMA_BYTE {
                    comma = Some(i as u32);
                }
                i += 1;
            }
            out.push(Token { start: start as u32, end: i as u32, shape: shape::QUOTE });
            // The quote's closing comma follows it, inside its span (see `quotes`).
            if let Some(c) = comma {
                out.push(Token { start: c, end: c + 1, shape: shape::PUNCT });
            }
            continue;
        }
        let c = skeleton[i..].chars().next().expect("inside the text");
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        if !is_word_char(c) {
            out.push(Token { start: i as u32, end: (i + c.len_utf8()) as u32, shape: shape::PUNCT });
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let mut end = i + c.len_utf8();
        let mut prev = c;
        loop {
            let mut rest = skeleton[end..].chars();
            let Some(n) = rest.next() else { break };
            if is_word_char(n) {
                end += n.len_utf8();
                prev = n;
                continue;
            }
            let after = rest.next();
            let joins = match n {
                '\'' | '’' | '-' | '&' | '.' => after.is_some_and(is_word_char),
                ',' | ':' => prev.is_ascii_digit() && after.is_some_and(|a| a.is_ascii_digit()),
                _ => false,
            };
            // A plural possessive: voters' choice.
            let plural_poss = matches!(n, '\'' | '’') && prev == 's' && !after.is_some_and(is_word_char);
            if joins {
                end += n.len_utf8() + after.map_or(0, char::len_utf8);
                prev = after.unwrap_or(n);
            } else if plural_poss {
                end += n.len_utf8();
                break;
            } else {
                break;
            }
        }
        if skeleton[end..].starts_with('.') {
            let word = &skeleton[start..end];
            let initial = word.chars().count() == 1 && c.is_uppercase();
            if initial || word.contains('.') || keeps_period(&skeleton[start..end + 1]) {
                end += 1;
            }
        }
        out.push(Token { start: start as u32, end: end as u32, shape: word_shape(&skeleton[start..end]) });
        i = end;
    }
}

/// The possessive ending of a word, if any: "’s", "'s", or the apostrophe of "voters'".
pub fn possessive_base(word: &str) -> Option<&str> {
    for suffix in ["’s", "'s", "’", "'"] {
        if let Some(base) = word.strip_suffix(suffix)
            && !base.is_empty()
            && (suffix.len() > 1 || base.ends_with('s'))
        {
            return Some(base);
        }
    }
    None
}

/// The shape flags of a word.
pub fn word_shape(word: &str) -> u16 {
    use shape::*;
    let mut s = WORD;
    let first = word.chars().next().unwrap_or(' ');
    if first.is_uppercase() {
        s |= UPPER_FIRST;
    } else if first.is_lowercase() {
        s |= LOWER_FIRST;
    } else if first.is_numeric() {
        s |= DIGIT_FIRST;
    }
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if letters >= 2 && !word.chars().any(char::is_lowercase) {
        s |= ALL_CAPS;
    }
    if word.contains('-') {
        s |= HYPHEN;
    }
    if word.ends_with('.') {
        s |= ABBR;
        if word.chars().count() == 2 && first.is_uppercase() {
            s |= INITIAL;
        }
    }
    if possessive_base(word).is_some() {
        s |= POSS;
    } else if looks_plural(word) {
        s |= PLURAL;
    }
    s
}

/// Whether a word looks like an English plural noun (voters, Republicans): it ends in one
/// s after another letter, not in -ss, -us or -is (boss, campus, analysis), and is not written
/// in capitals. Verbs in the third person look the same; patterns use it where a noun is
/// expected, to tell "analysts say" from "the Orlando attack now ranks".
fn looks_plural(word: &str) -> bool {
    let mut rev = word.chars().rev();
    let (Some('s'), Some(prev), Some(_)) = (rev.next(), rev.next(), rev.next()) else { return false };
    prev.is_lowercase() && !matches!(prev, 's' | 'u' | 'i')
}

/// Predicate bits: which lists, verb forms and literal words a token belongs to.
pub type Bits = Box<[u64]>;

fn bits_empty(width: usize) -> Bits {
    vec![0u64; width].into_boxed_slice()
}

pub fn bit_set(bits: &mut [u64], i: usize) {
    bits[i / 64] |= 1 << (i % 64);
}

pub fn bit_test(bits: &[u64], i: usize) -> bool {
    bits[i / 64] & (1 << (i % 64)) != 0
}

/// Word tables and the signature universe, built once per rule set.
#[derive(Debug)]
pub struct Signatures {
    /// Distinct predicate bit sets; index 0 is the empty set.
    pub lexical: Vec<Bits>,
    /// Exact text (as written, or a case variant the tables know) to its lexical set.
    exact: FastMap<Box<str>, u32>,
    /// Lower-cased text to the lexical set of case-insensitive entries only.
    folded: FastMap<Box<str>, u32>,
    /// Signature character of each (lexical set, shape) pair the universe holds.
    chars: FastMap<(u32, u16), char>,
    /// Every signature: its lexical set and shape, indexed by character - SIG_BASE.
    pub universe: Vec<(u32, u16)>,
}

/// What a text belongs to: bits for exact matches and bits for case-insensitive ones.
#[derive(Debug, Default)]
pub struct WordTables {
    pub width: usize,
    pub exact: HashMap<String, Bits>,
    pub folded: HashMap<String, Bits>,
}

impl WordTables {
    pub fn new(width: usize) -> Self {
        WordTables { width, ..Default::default() }
    }

    pub fn add_exact(&mut self, text: &str, bit: usize) {
        let w = self.width;
        bit_set(self.exact.entry(text.to_owned()).or_insert_with(|| bits_empty(w)), bit);
    }

    pub fn add_folded(&mut self, text: &str, bit: usize) {
        let w = self.width;
        bit_set(self.folded.entry(text.to_lowercase()).or_insert_with(|| bits_empty(w)), bit);
    }
}

fn union(a: Option<&Bits>, b: Option<&Bits>, width: usize) -> Bits {
    let mut out = bits_empty(width);
    for src in [a, b].into_iter().flatten() {
        for (o, s) in out.iter_mut().zip(src.iter()) {
            *o |= s;
        }
    }
    out
}

fn case_variants(lower: &str) -> [String; 3] {
    let mut chars = lower.chars();
    let cap = chars.next().map(|f| f.to_uppercase().chain(chars).collect()).unwrap_or_default();
    [lower.to_owned(), cap, lower.to_uppercase()]
}

impl Signatures {
    /// Builds the universe from the word tables and the punctuation marks patterns name.
    pub fn build(tables: &WordTables) -> Result<Signatures, String> {
        let width = tables.width;
        let mut lexical: Vec<Bits> = vec![bits_empty(width)];
        let mut ids: HashMap<Bits, u32> = HashMap::from([(bits_empty(width), 0)]);
        let mut intern = |b: Bits| -> u32 {
            let next = ids.len() as u32;
            *ids.entry(b.clone()).or_insert_with(|| {
                lexical.push(b);
                next
            })
        };
        // Every text the tables can recognise, with its full lexical set.
        let mut texts: Vec<String> = tables.exact.keys().cloned().collect();
        for lower in tables.folded.keys() {
            texts.extend(case_variants(lower));
        }
        texts.sort();
        texts.dedup();
        let mut exact = FastMap::default();
        let mut universe: Vec<(u32, u16)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut add = |lid: u32, s: u16, universe: &mut Vec<(u32, u16)>| {
            if seen.insert((lid, s)) {
                universe.push((lid, s));
            }
        };
        for text in &texts {
            let bits = union(tables.exact.get(text), tables.folded.get(&text.to_lowercase()), width);
            let lid = intern(bits);
            exact.insert(text.clone().into_boxed_str(), lid);
            if text.chars().next().is_some_and(is_word_char) {
                add(lid, word_shape(text), &mut universe);
                add(lid, word_shape(&format!("{text}’s")), &mut universe);
            } else {
                add(lid, shape::PUNCT, &mut universe);
            }
        }
        let mut folded = FastMap::default();
        for (lower, bits) in &tables.folded {
            folded.insert(lower.clone().into_boxed_str(), intern(bits.clone()));
        }
        // Unknown words: every combination of word flags; and bare punctuation and quotes.
        for mask in 0u16..(1 << shape::WORD_FLAGS.len()) {
            let mut s = shape::WORD;
            for (k, f) in shape::WORD_FLAGS.iter().enumerate() {
                if mask & (1 << k) != 0 {
                    s |= f;
                }
            }
            add(0, s, &mut universe);
        }
        add(0, shape::PUNCT, &mut universe);
        add(0, shape::QUOTE, &mut universe);
        if universe.len() > MAX_SIGNATURES {
            return Err(format!("the word lists make {} distinct token signatures; at most {MAX_SIGNATURES} fit", universe.len()));
        }
        // Order signatures so that common predicates form few ranges: by kind and case, then by
        // the lists a word belongs to (lexicographically: the members of a list sit together),
        // then by shape.
        let members = |lid: u32| -> Vec<std::cmp::Reverse<bool>> {
            let bits = &lexical[lid as usize];
            (0..width * 64).map(|i| std::cmp::Reverse(bit_test(bits, i))).collect()
        };
        let coarse = shape::WORD | shape::PUNCT | shape::QUOTE | shape::UPPER_FIRST | shape::LOWER_FIRST;
        universe.sort_by_cached_key(|&(lid, s)| (s & coarse, members(lid), s));
        let chars = universe
            .iter()
            .enumerate()
            .map(|(i, &k)| (k, char::from_u32(SIG_BASE + i as u32).expect("private use area")))
            .collect();
        Ok(Signatures { lexical, exact, folded, chars, universe })
    }

    /// The signature character of a token with text `text` (the matching copy's text).
    pub fn signature(&self, text: &str, shape: u16) -> char {
        let lid = if shape & shape::QUOTE != 0 {
            0
        } else {
            let key = if shape & shape::POSS != 0 { possessive_base(text).unwrap_or(text) } else { text };
            match self.exact.get(key) {
                Some(&l) => l,
                None if key.chars().any(char::is_uppercase) => self.folded.get(key.to_lowercase().as_str()).copied().unwrap_or(0),
                None => 0,
            }
        };
        self.chars.get(&(lid, shape)).or_else(|| self.chars.get(&(0, shape))).copied().unwrap_or_else(|| {
            // Only word flags can combine unexpectedly, and all their combinations exist for the empty set.
            self.chars[&(0, shape & (shape::WORD | shape::PUNCT | shape::QUOTE))]
        })
    }

    /// The predicate bits (lists, verb forms, literals) of a token whose signature is `c`.
    pub fn bits_of(&self, c: char) -> &[u64] {
        let (lid, _) = self.universe[(c as u32 - SIG_BASE) as usize];
        &self.lexical[lid as usize]
    }

    /// The characters of all signatures for which `pred` holds, as ranges of characters.
    pub fn class(&self, pred: impl Fn(&[u64], u16) -> bool) -> Vec<(u32, u32)> {
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        for (i, &(lid, s)) in self.universe.iter().enumerate() {
            if pred(&self.lexical[lid as usize], s) {
                let c = SIG_BASE + i as u32;
                match ranges.last_mut() {
                    Some((_, b)) if *b + 1 == c => *b = c,
                    _ => ranges.push((c, c)),
                }
            }
        }
        ranges
    }
}

/// The tokens of a document and its signature string (one character per token).
#[derive(Debug, Default)]
pub struct TokenString {
    pub tokens: Vec<Token>,
    pub tags: String,
}

impl TokenString {
    /// Tokens whose start lies in `span` (a unit of the document), as a token index range.
    pub fn range(&self, span: &Range<usize>) -> Range<usize> {
        let s = self.tokens.partition_point(|t| (t.start as usize) < span.start);
        let e = self.tokens.partition_point(|t| (t.start as usize) < span.end);
        s..e
    }

    /// The signature character of token `i`.
    pub fn sig(&self, i: usize) -> char {
        self.tags[i * SIG_LEN..].chars().next().expect("a signature per token")
    }

    /// The signature characters of a token range.
    pub fn tags(&self, tokens: Range<usize>) -> &str {
        &self.tags[tokens.start * SIG_LEN..tokens.end * SIG_LEN]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        tokenize(text, |w| w == "Mr.", &mut out);
        out.iter().map(|t| &text[t.span()]).collect()
    }

    #[test]
    fn cuts_words_punctuation_and_quotes() {
        assert_eq!(words("Mr. O'Malley, 45, said U.S. aid hit $1,000."), ["Mr.", "O'Malley", ",", "45", ",", "said", "U.S.", "aid", "hit", "$", "1,000", "."]);
        assert_eq!(words("Netanyahu’s office and the voters' choice"), ["Netanyahu’s", "office", "and", "the", "voters'", "choice"]);
        assert_eq!(words("George W. Bush said al-Assad"), ["George", "W.", "Bush", "said", "al-Assad"]);
        let sk = "\x02\x01\x01\x03, he said \x02\x01\x03\x02\x01\x03";
        assert_eq!(words(sk), ["\x02\x01\x01\x03", ",", "he", "said", "\x02\x01\x03", "\x02\x01\x03"]);
    }

    #[test]
    fn a_quotes_closing_comma_follows_it() {
        // He called it “a disaster,” adding …: the quote, then its comma (inside its span).
        let sk = "it \x02\x01\x01\x04\x03 adding";
        let mut out = Vec::new();
        tokenize(sk, |_| false, &mut out);
        let spans: Vec<_> = out.iter().map(|t| (t.span(), t.shape)).collect();
        assert_eq!(spans, [(0..2, spans[0].1), (3..8, shape::QUOTE), (6..7, shape::PUNCT), (9..15, spans[3].1)]);
    }

    #[test]
    fn shapes() {
        use shape::*;
        assert_ne!(word_shape("Netanyahu’s") & POSS, 0);
        assert_ne!(word_shape("TASS") & ALL_CAPS, 0);
        assert_ne!(word_shape("W.") & INITIAL, 0);
        assert_eq!(word_shape("said") & (UPPER_FIRST | POSS), 0);
        for plural in ["voters", "Republicans", "officials", "analysts"] {
            assert_ne!(word_shape(plural) & PLURAL, 0, "{plural}");
        }
        for not_plural in ["boss", "campus", "analysis", "his", "US", "voters'", "Trump’s", "is"] {
            assert_eq!(word_shape(not_plural) & PLURAL, 0, "{not_plural}");
        }
        assert_eq!(possessive_base("voters'"), Some("voters"));
        assert_eq!(possessive_base("O'Malley"), None);
    }

    #[test]
    fn signatures_classify_tokens() {
        let mut t = WordTables::new(1);
        t.add_exact("said", 0);
        t.add_folded("office", 1);
        let sigs = Signatures::build(&t).unwrap();
        let said = sigs.signature("said", word_shape("said"));
        let office = sigs.signature("Office", word_shape("Office"));
        let other = sigs.signature("meeting", word_shape("meeting"));
        let holds = |class: &[(u32, u32)], c: char| class.iter().any(|&(a, b)| (a..=b).contains(&(c as u32)));
        let said_class = sigs.class(|b, _| bit_test(b, 0));
        assert!(holds(&said_class, said) && !holds(&said_class, other));
        let office_class = sigs.class(|b, s| bit_test(b, 1) && s & shape::UPPER_FIRST != 0);
        assert!(holds(&office_class, office) && !holds(&office_class, said));
        assert_eq!(sigs.signature("Said", word_shape("Said")), sigs.signature("Zzz", word_shape("Zzz")));
    }
}
