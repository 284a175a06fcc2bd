//! The quote layer: which stretches of a document are quoted.
//!
//! Quotation marks are paired over the whole document before any rule runs, because what is
//! inside a quote must be invisible to attribution patterns: a "said" inside a quote is not a
//! cue, and a quote is one unit however many sentences it holds. The pairing handles curly and
//! straight marks in any mix (`“…"` closes), NYT-style `''…''`, guillemets, single quotes used
//! as quotes (not apostrophes), unclosed quotes (they run to the end of the paragraph, so the
//! statement is not lost), and paragraph-style quotes that reopen each paragraph and close once.
//!
//! The result is also rendered as a *skeleton*: a copy of the text, byte for byte the same
//! length, where opening marks become [`OPEN_BYTE`], closing marks [`CLOSE_BYTE`] and everything
//! quoted [`INSIDE_BYTE`]. Rule patterns run on the skeleton and name quotes with `{quote}`.
//! A closed quote's last inner character, when it is a comma, becomes [`COMMA_BYTE`]: American
//! punctuation puts the comma that ends the writer's clause inside the marks (Trump called it
//! “a disaster,” adding …), and the tokenizer gives it back to the sentence as a comma after
//! the quotation, where rules look for it.

use std::ops::Range;

/// Skeleton byte standing for every byte inside a quote.
pub const INSIDE_BYTE: u8 = 0x01;
/// Skeleton byte standing for every byte of an opening quotation mark.
pub const OPEN_BYTE: u8 = 0x02;
/// Skeleton byte standing for every byte of a closing quotation mark.
pub const CLOSE_BYTE: u8 = 0x03;
/// Skeleton byte standing for a comma that ends the inside of a closed quote.
pub const COMMA_BYTE: u8 = 0x04;

/// One quoted stretch within a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// The opening mark.
    pub open: Range<usize>,
    /// The quoted text between the marks.
    pub inner: Range<usize>,
    /// The closing mark, when there is one in this paragraph.
    pub close: Option<Range<usize>>,
    /// Pieces of one quote that runs over several paragraphs share a group id; a quote within
    /// one paragraph has a group of its own.
    pub group: usize,
}

impl Quote {
    /// From the opening mark to the closing mark (or the end of the quoted text).
    pub fn outer(&self) -> Range<usize> {
        self.open.start..self.close.as_ref().map_or(self.inner.end, |c| c.end)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    Either,
}

#[derive(Debug, Clone, Copy)]
struct Mark {
    at: usize,
    len: usize,
    double: bool,
    role: Role,
}

fn is_space(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace())
}

/// Characters after which a mark opens a quote: nothing, space, brackets, dashes, other marks.
fn opens_after(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || "([{—–-/“‘\"'«:".contains(c))
}

/// Every quotation mark of a paragraph, in order, with what its shape says about its role.
fn marks(text: &str, para: Range<usize>) -> Vec<Mark> {
    let s = &text[para.clone()];
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let at = para.start + i;
        let next_char = |skip: usize| s[i + skip..].chars().next();
        let mut push = |len: usize, double: bool, role: Role| out.push(Mark { at, len, double, role });
        match c {
            // An opening curly mark typed where a closing one belongs (`unusual,“ said`): after
            // a word or punctuation and before a space, it closes; and a closing mark after a
            // space and before a word (`” This`, `”This`) opens.
            '“' if !opens_after(prev) && !next_char(c.len_utf8()).is_some_and(char::is_alphanumeric) => push(c.len_utf8(), true, Role::Close),
            '”' if is_space(prev) && next_char(c.len_utf8()).is_some_and(char::is_alphanumeric) => push(c.len_utf8(), true, Role::Open),
            '“' | '„' | '«' => push(c.len_utf8(), true, Role::Open),
            '”' | '»' => push(c.len_utf8(), true, Role::Close),
            '"' => push(1, true, context_role(prev, next_char(1))),
            '`' if s[i..].starts_with("``") => {
                push(2, true, Role::Open);
                iter.next();
            }
            // NYT style `'old-school,'''`: a single quote closing inside a double one that
            // closes with it (or `'''Tis` opening both); the double mark is the outer pair.
            '\'' if s[i..].starts_with("'''") => {
                if opens_after(prev) {
                    push(2, true, Role::Open);
                } else {
                    out.push(Mark { at: at + 1, len: 2, double: true, role: Role::Close });
                }
                iter.next();
                iter.next();
            }
            '\'' if s[i..].starts_with("''") => {
                push(2, true, context_role(prev, next_char(2)));
                iter.next();
            }
            '‘' | '\'' | '’' => {
                let next = next_char(c.len_utf8());
                let role = if opens_after(prev) && next.is_some_and(|n| n.is_alphanumeric()) && c != '’' {
                    Role::Open
                } else if !is_space(prev) && !next.is_some_and(|n| n.is_alphanumeric()) && c != '‘' {
                    Role::Close
                } else {
                    // An apostrophe inside a word (don't, Netanyahu’s) or a stray mark.
                    prev = Some(c);
                    continue;
                };
                push(c.len_utf8(), false, role);
            }
            _ => {}
        }
        prev = Some(c);
    }
    out
}

/// The role of a straight mark, from its neighbours.
fn context_role(prev: Option<char>, next: Option<char>) -> Role {
    let open_ctx = opens_after(prev) && !is_space(next);
    let close_ctx = !opens_after(prev) || is_space(next);
    match (open_ctx, close_ctx) {
        (true, false) => Role::Open,
        (false, true) => Role::Close,
        _ => Role::Either,
    }
}

/// Finds the quotes of a document, given its paragraphs (sorted, disjoint).
pub fn find(text: &str, paragraphs: &[Range<usize>]) -> Vec<Quote> {
    let mut quotes: Vec<Quote> = Vec::new();
    let mut groups = 0usize;
    let mut new_group = || {
        groups += 1;
        groups - 1
    };
    // The group of an unclosed double quote that may continue in the next paragraph.
    let mut carried: Option<usize> = None;
    for para in paragraphs {
        let all = marks(text, para.clone());
        let first_quote = quotes.len();
        // A quote continues only into a paragraph that starts with an opening mark.
        let mut continues = carried
            .take()
            .filter(|_| all.first().is_some_and(|m| m.double && m.at == para.start && m.role != Role::Close));
        let mut open: Option<(Mark, usize)> = None;
        for m in all.iter().filter(|m| m.double) {
            match (open, m.role) {
                (None, Role::Close) => {} // an orphan closing mark: nothing to pair it with
                (None, _) => open = Some((*m, continues.take().unwrap_or_else(&mut new_group))),
                (Some((o, g)), Role::Open) => {
                    push_unclosed(&mut quotes, text, o, m.at, g);
                    open = Some((*m, new_group()));
                }
                (Some((o, g)), _) => {
                    quotes.push(Quote {
                        open: o.at..o.at + o.len,
                        inner: o.at + o.len..m.at,
                        close: Some(m.at..m.at + m.len),
                        group: g,
                    });
                    open = None;
                }
            }
        }
        if let Some((o, g)) = open {
            push_unclosed(&mut quotes, text, o, para.end, g);
            carried = Some(g);
        }
        // Single quotes at top level (outside double quotes), paired within the paragraph;
        // an opening mark never closed was an apostrophe (‘till, 'em).
        let doubles: Vec<Range<usize>> = quotes[first_quote..].iter().map(Quote::outer).collect();
        let mut single_open: Option<Mark> = None;
        for m in all.iter().filter(|m| !m.double && !doubles.iter().any(|r| r.contains(&m.at))) {
            match (single_open, m.role) {
                (_, Role::Open) => single_open = Some(*m),
                (Some(o), _) => {
                    quotes.push(Quote {
                        open: o.at..o.at + o.len,
                        inner: o.at + o.len..m.at,
                        close: Some(m.at..m.at + m.len),
                        group: new_group(),
                    });
                    single_open = None;
                }
                (None, _) => {}
            }
        }
        quotes[first_quote..].sort_by_key(|q| q.open.start);
    }
    quotes
}

/// Records a quote without a closing mark, running to `end` (trimmed).
fn push_unclosed(quotes: &mut Vec<Quote>, text: &str, o: Mark, end: usize, group: usize) {
    let start = o.at + o.len;
    let end = start + text[start..end].trim_end().len();
    quotes.push(Quote { open: o.at..start, inner: start..end, close: None, group });
}

/// Renders the skeleton of `text` (see the module docs); same length as `text`.
pub fn skeleton(text: &str, quotes: &[Quote]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for q in quotes {
        bytes[q.open.clone()].fill(OPEN_BYTE);
        bytes[q.inner.clone()].fill(INSIDE_BYTE);
        if let Some(c) = &q.close {
            bytes[c.clone()].fill(CLOSE_BYTE);
            if !q.inner.is_empty() && text.as_bytes()[q.inner.end - 1] == b',' {
                bytes[q.inner.end - 1] = COMMA_BYTE;
            }
        }
    }
    // Only whole characters were replaced, each byte by an ASCII byte.
    String::from_utf8(bytes).expect("skeleton replaces whole characters with ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(text: &str) -> Vec<Range<usize>> {
        crate::segment::paragraphs(text)
    }

    fn quoted(text: &str) -> Vec<&str> {
        find(text, &paras(text)).iter().map(|q| &text[q.inner.clone()]).collect()
    }

    #[test]
    fn pairs_curly_straight_and_mixed() {
        assert_eq!(quoted("He said “we will win,” and left."), ["we will win,"]);
        assert_eq!(quoted("He said \"we will win,\" and left."), ["we will win,"]);
        assert_eq!(quoted("FM X: “Israel holds it hostage to its terror activities.\""), ["Israel holds it hostage to its terror activities."]);
        assert_eq!(quoted("''It is over,'' he said."), ["It is over,"]);
        assert_eq!(quoted("Moscow would have “no problem” selling"), ["no problem"]);
    }

    #[test]
    fn misplaced_curly_marks_and_triple_apostrophes() {
        assert_eq!(quoted("“It's unusual,“ said Larry Noble. “It's hard.”"), ["It's unusual,", "It's hard."]);
        assert_eq!(quoted("He said ”This is why,” and left."), ["This is why,"]);
        assert_eq!(quoted("''I would use the word 'old-school,''' said Mr. Slayton. ''Humility.''"), ["I would use the word 'old-school,'", "Humility."]);
        assert_eq!(quoted("''It was 'fine,''' he said."), ["It was 'fine,'"]);
    }

    #[test]
    fn single_quotes_are_not_apostrophes() {
        assert_eq!(quoted("Netanyahu’s office said 'no deal' and the voters' choice stands."), ["no deal"]);
        assert_eq!(quoted("‘We are ready,’ he said."), ["We are ready,"]);
        assert!(quoted("unlikely to resume ‘till 2024").is_empty());
        assert_eq!(quoted("He said “it is ‘not’ over” today."), ["it is ‘not’ over"]);
    }

    #[test]
    fn unclosed_quote_runs_to_paragraph_end() {
        let text = "He said “we will win.\n\nThe crowd cheered.";
        let q = find(text, &paras(text));
        assert_eq!(q.len(), 1);
        assert_eq!(&text[q[0].inner.clone()], "we will win.");
        assert!(q[0].close.is_none());
    }

    #[test]
    fn paragraph_style_quotes_share_a_group() {
        let text = "“First part.\n\n“Second part.\n\n“Third,” he said.\n\nAfter “x” y.";
        let q = find(text, &paras(text));
        let inner: Vec<&str> = q.iter().map(|q| &text[q.inner.clone()]).collect();
        assert_eq!(inner, ["First part.", "Second part.", "Third,", "x"]);
        assert_eq!(q.iter().map(|q| q.group).collect::<Vec<_>>(), [0, 0, 0, 1]);
    }

    #[test]
    fn skeleton_keeps_length_and_masks_quotes() {
        let text = "“Ça va,” Lavrov said.";
        let sk = skeleton(text, &find(text, &paras(text)));
        assert_eq!(sk.len(), text.len());
        assert!(sk.ends_with("\x04\x03\x03\x03 Lavrov said."));
        assert!(sk.starts_with("\x02\x02\x02\x01"));
    }
}
