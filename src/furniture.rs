//! What is not article text: stretches of a page that extraction skips.
//!
//! Skipped stretches stay in the text, so offsets never move; they are only marked excluded.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;

/// Paragraphs shorter than this are never treated as repeats (a repeated "Read more" is
/// furniture, not a repeated body).
const MIN_REPEAT_BYTES: usize = 40;

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split_whitespace()
}

/// Paragraphs that repeat an earlier paragraph word for word, as when a scraper printed the
/// body twice: the first copy is the article, the later ones are excluded.
pub fn repeated_paragraphs(text: &str, paragraphs: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut first: HashMap<u64, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, p) in paragraphs.iter().enumerate() {
        let body = &text[p.clone()];
        if body.len() < MIN_REPEAT_BYTES {
            continue;
        }
        let mut h = DefaultHasher::new();
        words(body).for_each(|w| w.hash(&mut h));
        match first.get(&h.finish()) {
            Some(&j) if words(&text[paragraphs[j].clone()]).eq(words(body)) => out.push(p.clone()),
            Some(_) => {}
            None => {
                first.insert(h.finish(), i);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_copies_of_a_paragraph_are_repeats() {
        let text = "Netanyahu said the meeting went well today.\nOther text here.\nNetanyahu  said the meeting went well today.\nShort.\nShort.";
        let paras = crate::segment::paragraphs(text);
        let rep = repeated_paragraphs(text, &paras);
        assert_eq!(rep.len(), 1);
        assert_eq!(rep[0].start, text.rfind("Netanyahu").unwrap());
    }
}
