//! Outlets: who published a page, from `rules/outlets.toml`.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};

use crate::furniture::Shape;

/// One outlet's canonical name and the examples that must be recognised as it.
#[derive(Debug, Clone)]
pub struct Outlet {
    pub name: String,
    pub domains: Vec<String>,
    pub examples: Vec<(usize, String)>,
    pub file: usize,
}

/// The outlets of a rule set, their mastheads and signatures compiled into matchers.
#[derive(Debug, Default)]
pub struct Outlets {
    pub outlets: Vec<Outlet>,
    /// Masthead names, anchored at the start of a paragraph.
    mastheads: Option<AhoCorasick>,
    masthead_of: Vec<usize>,
    signatures: Option<AhoCorasick>,
    signature_of: Vec<usize>,
}

fn matcher(words: &[String], start: StartKind) -> Option<AhoCorasick> {
    if words.is_empty() {
        return None;
    }
    Some(
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(start)
            .build(words)
            .expect("outlet names are plain strings"),
    )
}

/// Whether the match `start..end` of `text` stands at word boundaries (a name never matches
/// inside a longer word).
pub fn at_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let word = |c: char| c.is_alphanumeric();
    let before = text[..start].chars().next_back().is_none_or(|c| !word(c)) || !text[start..].starts_with(word);
    let after = text[end..].chars().next().is_none_or(|c| !word(c)) || !text[..end].ends_with(word);
    before && after
}

impl Outlets {
    /// `outlets` with, for each, its masthead names and signatures.
    pub fn new(outlets: Vec<Outlet>, mastheads: Vec<(String, usize)>, signatures: Vec<(String, usize)>) -> Outlets {
        let (m_words, masthead_of): (Vec<String>, Vec<usize>) = mastheads.into_iter().unzip();
        let (s_words, signature_of): (Vec<String>, Vec<usize>) = signatures.into_iter().unzip();
        Outlets {
            outlets,
            mastheads: matcher(&m_words, StartKind::Anchored),
            masthead_of,
            signatures: matcher(&s_words, StartKind::Unanchored),
            signature_of,
        }
    }

    /// The outlet whose masthead a paragraph is: it starts with the outlet's name, and what
    /// follows is nothing, a separator ("- Israel News"), or more capitalised menu words.
    pub fn masthead(&self, para: &str, shape: &Shape) -> Option<usize> {
        if shape.ends_sentence {
            return None;
        }
        let ac = self.mastheads.as_ref()?;
        let para = para.trim_start();
        let m = ac.find(Input::new(para).anchored(Anchored::Yes))?;
        let rest = &para[m.end()..];
        // The name stands alone: "REUTERS/Mohammed Salem" is a photo credit.
        if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
            return None;
        }
        let rest = rest.trim();
        let menu = rest.starts_with(['-', '|', ':', '–', '—', '•', '·']) || rest.split_whitespace().all(Shape::capitalised_word);
        menu.then(|| self.masthead_of[m.pattern().as_usize()])
    }

    /// The first outlet whose signature appears in `text`.
    pub fn signature(&self, text: &str) -> Option<usize> {
        let ac = self.signatures.as_ref()?;
        ac.find_iter(text).find(|m| at_word_boundaries(text, m.start(), m.end())).map(|m| self.signature_of[m.pattern().as_usize()])
    }

    /// The outlet a web address belongs to (its host is a domain of the outlet or below one).
    pub fn by_url(&self, url: &str) -> Option<usize> {
        let host = url.split_once("://").map_or(url, |(_, rest)| rest);
        let host = host.split(['/', '?', '#']).next()?;
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        let host = host.split(':').next()?.trim_end_matches('.').to_ascii_lowercase();
        self.outlets.iter().position(|o| o.domains.iter().any(|d| host == *d || host.strip_suffix(d.as_str()).is_some_and(|sub| sub.ends_with('.'))))
    }

    /// The canonical name for an outlet named by the input, when it names a known outlet by
    /// one of its names; otherwise the name as given.
    pub fn canonical(&self, given: &str) -> String {
        let given = given.trim();
        let known = |w: &str| w.eq_ignore_ascii_case(given);
        self.outlets
            .iter()
            .position(|o| known(&o.name))
            .or_else(|| self.mastheads.as_ref().and_then(|ac| ac.find(Input::new(given).anchored(Anchored::Yes)).filter(|m| m.end() == given.len()).map(|m| self.masthead_of[m.pattern().as_usize()])))
            .map_or_else(|| given.to_owned(), |i| self.outlets[i].name.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outlets() -> Outlets {
        let jp = Outlet { name: "The Jerusalem Post".into(), domains: vec!["jpost.com".into()], examples: vec![], file: 0 };
        let mfa = Outlet { name: "Israel Ministry of Foreign Affairs".into(), domains: vec![], examples: vec![], file: 0 };
        Outlets::new(
            vec![jp, mfa],
            vec![("The Jerusalem Post".into(), 0), ("Jerusalem Post".into(), 0)],
            vec![("Communicated by the MFA Spokesperson".into(), 1)],
        )
    }

    #[test]
    fn mastheads_only_at_the_start_of_a_menu_line() {
        let o = outlets();
        let mast = |s: &str| o.masthead(s, &Shape::of(s));
        assert_eq!(mast("The Jerusalem Post - Israel News Coronavirus"), Some(0));
        assert_eq!(mast("Jerusalem Post Middle East"), Some(0));
        assert_eq!(mast("JERUSALEM POST"), Some(0));
        assert_eq!(mast("Jerusalem Post poll shows Netanyahu ahead"), None);
        assert_eq!(mast("The Jerusalem Post reported the meeting."), None);
        assert_eq!(mast("The Jerusalem Postal Service"), None);
        assert_eq!(mast("JERUSALEM POST/Marc Israel Sellem"), None);
    }

    #[test]
    fn signatures_domains_and_given_names() {
        let o = outlets();
        assert_eq!(o.signature("x\n(Communicated by the MFA Spokesperson)\n"), Some(1));
        assert_eq!(o.signature("nothing here"), None);
        assert_eq!(o.by_url("https://www.jpost.com/israel-news/article-1"), Some(0));
        assert_eq!(o.by_url("https://jpost.com"), Some(0));
        assert_eq!(o.by_url("https://notjpost.com/x"), None);
        assert_eq!(o.canonical(" jerusalem post "), "The Jerusalem Post");
        assert_eq!(o.canonical("Daily Planet"), "Daily Planet");
    }
}
