//! The matching copy of a document and the way back to the original.
//!
//! Rules never see the input as given: non-breaking spaces, zero-width characters and
//! mis-decoded byte sequences would break sentences and matches. They see a *normalised copy*
//! built from `rules/normalize.toml`, and every span found in it is mapped back to the original
//! through a sparse list of edits, so offsets in the output always slice the input exactly.
//! Documents without residue (nearly all) borrow the original and pay nothing.

use std::borrow::Cow;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// One replacement made in the matching copy: `norm_len` bytes at `norm` stand for
/// `orig_len` bytes at `orig` in the original.
#[derive(Debug, Clone, Copy)]
struct Edit {
    norm: u32,
    norm_len: u32,
    orig: u32,
    orig_len: u32,
}

/// A compiled residue table: sequences of the input and what the matching copy shows instead.
#[derive(Debug, Clone)]
pub struct Normalizer {
    matcher: Option<AhoCorasick>,
    replacements: Vec<String>,
}

impl Normalizer {
    /// Builds the table from `(from, to)` pairs; the longest `from` wins where several match.
    pub fn new(pairs: &[(String, String)]) -> Self {
        if pairs.is_empty() {
            return Normalizer { matcher: None, replacements: Vec::new() };
        }
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(pairs.iter().map(|(from, _)| from.as_str()))
            .expect("residue patterns are validated when the rules load");
        Normalizer { matcher: Some(matcher), replacements: pairs.iter().map(|(_, to)| to.clone()).collect() }
    }

    /// The matching copy of `original`.
    pub fn apply<'a>(&self, original: &'a str) -> DocText<'a> {
        let Some(matcher) = &self.matcher else {
            return DocText::identity(original);
        };
        let mut found = matcher.find_iter(original).peekable();
        if found.peek().is_none() {
            return DocText::identity(original);
        }
        let mut norm = String::with_capacity(original.len());
        let mut edits = Vec::new();
        let mut last = 0;
        for m in found {
            norm.push_str(&original[last..m.start()]);
            let to = &self.replacements[m.pattern().as_usize()];
            edits.push(Edit {
                norm: norm.len() as u32,
                norm_len: to.len() as u32,
                orig: m.start() as u32,
                orig_len: (m.end() - m.start()) as u32,
            });
            norm.push_str(to);
            last = m.end();
        }
        norm.push_str(&original[last..]);
        DocText { original, norm: Cow::Owned(norm), edits }
    }
}

/// A document's original text, its matching copy, and the map between them.
#[derive(Debug)]
pub struct DocText<'a> {
    original: &'a str,
    norm: Cow<'a, str>,
    edits: Vec<Edit>,
}

impl<'a> DocText<'a> {
    /// A document whose matching copy is the original itself.
    pub fn identity(original: &'a str) -> Self {
        DocText { original, norm: Cow::Borrowed(original), edits: Vec::new() }
    }

    pub fn original(&self) -> &'a str {
        self.original
    }

    /// The normalised copy all matching runs on.
    pub fn norm(&self) -> &str {
        &self.norm
    }

    /// Maps a span of the matching copy to the original. A span that starts inside a
    /// replacement starts at the replaced sequence; one that ends inside it ends after it;
    /// deleted characters at either edge stay outside the span.
    pub fn to_original(&self, span: Range<usize>) -> Range<usize> {
        if self.edits.is_empty() {
            return span;
        }
        let start = {
            let s = span.start as u32;
            let k = self.edits.partition_point(|e| e.norm <= s);
            if k == 0 {
                s
            } else {
                let e = self.edits[k - 1];
                if s < e.norm + e.norm_len { e.orig } else { s + e.orig + e.orig_len - e.norm - e.norm_len }
            }
        };
        let end = {
            let t = span.end as u32;
            let k = self.edits.partition_point(|e| e.norm < t);
            if k == 0 {
                t
            } else {
                let e = self.edits[k - 1];
                if t <= e.norm + e.norm_len { e.orig + e.orig_len } else { t + e.orig + e.orig_len - e.norm - e.norm_len }
            }
        };
        start as usize..(end as usize).max(start as usize)
    }
}

/// Converts byte offsets of a text to Unicode code point offsets in O(1) amortised time.
///
/// Keeps the code point count at every 256-byte block boundary; within a block it counts the
/// bytes that start a character. ASCII texts need no table at all.
#[derive(Debug)]
pub struct CharOffsets<'a> {
    bytes: &'a [u8],
    blocks: Option<Vec<u32>>,
}

const BLOCK: usize = 256;

fn starts_char(b: u8) -> bool {
    (b as i8) >= -0x40
}

impl<'a> CharOffsets<'a> {
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        if bytes.is_ascii() {
            return CharOffsets { bytes, blocks: None };
        }
        let mut blocks = Vec::with_capacity(bytes.len() / BLOCK + 1);
        let mut count = 0u32;
        for chunk in bytes.chunks(BLOCK) {
            blocks.push(count);
            count += chunk.iter().filter(|&&b| starts_char(b)).count() as u32;
        }
        CharOffsets { bytes, blocks: Some(blocks) }
    }

    /// The code point offset of byte offset `byte` (which must be a character boundary).
    pub fn char_offset(&self, byte: usize) -> usize {
        match &self.blocks {
            None => byte,
            Some(blocks) => {
                let block = byte / BLOCK;
                if block >= blocks.len() {
                    // `byte` is the end of a text whose length is a multiple of BLOCK.
                    return blocks.last().map_or(0, |&c| c as usize)
                        + self.bytes[(blocks.len() - 1) * BLOCK..].iter().filter(|&&b| starts_char(b)).count();
                }
                blocks[block] as usize + self.bytes[block * BLOCK..byte].iter().filter(|&&b| starts_char(b)).count()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Normalizer {
        Normalizer::new(&[
            ("\u{a0}".into(), " ".into()),
            ("\u{200b}".into(), "".into()),
            ("â€™".into(), "’".into()),
        ])
    }

    #[test]
    fn identity_when_clean() {
        let t = table().apply("Netanyahu said so.");
        assert!(matches!(t.norm, Cow::Borrowed(_)));
        assert_eq!(t.to_original(0..9), 0..9);
    }

    #[test]
    fn spans_map_back_across_edits() {
        let original = "Netan\u{200b}yahu\u{a0}said it wasnâ€™t so.";
        let t = table().apply(original);
        assert_eq!(t.norm(), "Netanyahu said it wasn’t so.");
        let norm = t.norm();
        for word in ["Netanyahu", "said", "wasn’t", "so."] {
            let s = norm.find(word).unwrap();
            let span = t.to_original(s..s + word.len());
            let back = &original[span];
            assert_eq!(back.replace('\u{200b}', "").replace('\u{a0}', " ").replace("â€™", "’"), word);
        }
        // A deletion at a span's edge stays outside it.
        let s = norm.find("yahu").unwrap();
        assert_eq!(&original[t.to_original(s..s + 4)], "yahu");
        assert_eq!(&original[t.to_original(0..5)], "Netan");
    }

    #[test]
    fn char_offsets_round_trip() {
        let text = format!("{}“é”{}", "a".repeat(300), "ü".repeat(300));
        let idx = CharOffsets::new(&text);
        for (cp, (byte, _)) in text.char_indices().enumerate() {
            assert_eq!(idx.char_offset(byte), cp);
        }
        let n = text.chars().count();
        assert_eq!(idx.char_offset(text.len()), n);
        let exact = "é".repeat(BLOCK);
        assert_eq!(CharOffsets::new(&exact).char_offset(exact.len()), BLOCK);
    }
}
