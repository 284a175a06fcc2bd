//! Bylines: "By LAHAV HARKOV" → Lahav Harkov.

use std::collections::HashSet;

/// Reads the names in a byline, with the prefixes and name particles of `rules/metadata.toml`.
#[derive(Debug, Default)]
pub struct Bylines {
    prefixes: Vec<String>,
    particles: HashSet<String>,
    /// Lower-case month and day names: "By Monday, …" is no byline.
    not_names: HashSet<String>,
}

/// Where a byline's list of names ends and dates, roles or outlets begin.
const SEPARATORS: &[char] = &['|', '•', '·', '/', '(', '–', '—', ';'];

/// The longest byline: more words than this is a sentence.
const MAX_WORDS: usize = 16;

/// The most words in one name.
const MAX_NAME_WORDS: usize = 5;

impl Bylines {
    pub fn new(prefixes: Vec<String>, particles: Vec<String>, not_names: impl IntoIterator<Item = String>) -> Bylines {
        Bylines { prefixes, particles: particles.into_iter().collect(), not_names: not_names.into_iter().map(|n| n.to_lowercase()).collect() }
    }

    /// The authors a paragraph names when it is a byline, joined with ", "; `prose` says
    /// whether the paragraph reads as a sentence of the article (then it is no byline).
    pub fn names(&self, para: &str, prose: bool) -> Option<String> {
        let line = para.trim();
        if prose || line.split_whitespace().count() > MAX_WORDS {
            return None;
        }
        let rest = self.prefixes.iter().find_map(|p| {
            let head = line.get(..p.len())?;
            let rest = &line[p.len()..];
            (head.eq_ignore_ascii_case(p) && rest.starts_with(char::is_whitespace)).then_some(rest)
        })?;
        let list = rest.split(SEPARATORS).next().unwrap_or("");
        let list = list.split(" - ").next().unwrap_or("");
        let mut names = Vec::new();
        for item in list.split(',').flat_map(|part| part.split(" and ")).flat_map(|part| part.split(" & ")) {
            let item = item.split_whitespace().collect::<Vec<_>>();
            if item.is_empty() {
                continue;
            }
            if !self.is_name(&item) {
                break;
            }
            names.push(title_case_if_capitals(&item.join(" ")));
        }
        (!names.is_empty()).then(|| names.join(", "))
    }

    fn is_name(&self, words: &[&str]) -> bool {
        let capitalised = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
        let name_word = |w: &str| w.chars().all(|c| c.is_alphabetic() || "'’.-".contains(c)) && !self.not_names.contains(&w.to_lowercase());
        words.len() <= MAX_NAME_WORDS
            && capitalised(words[0])
            && words.iter().all(|w| name_word(w) && (capitalised(w) || self.particles.contains(*w)))
    }
}

/// "LAHAV HARKOV" → "Lahav Harkov", "O'BRIEN" → "O'Brien"; a name with any lower-case letter
/// is kept as written.
fn title_case_if_capitals(name: &str) -> String {
    if name.chars().any(char::is_lowercase) {
        return name.to_owned();
    }
    let mut out = String::with_capacity(name.len());
    let mut start = true;
    for c in name.chars() {
        if start {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphabetic();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bylines() -> Bylines {
        Bylines::new(vec!["By".into(), "Written by".into()], vec!["von".into(), "der".into()], ["Monday".to_owned(), "March".to_owned()])
    }

    #[test]
    fn reads_names_and_stops_at_roles_and_dates() {
        let b = bylines();
        let names = |s: &str| b.names(s, false);
        assert_eq!(names("By LAHAV HARKOV ").as_deref(), Some("Lahav Harkov"));
        assert_eq!(names("By JANE DOE and JOHN O'ROE").as_deref(), Some("Jane Doe, John O'Roe"));
        assert_eq!(names("Written by Ursula von der Leyen, staff writer").as_deref(), Some("Ursula von der Leyen"));
        assert_eq!(names("By Tovah Lazaroff | March 16, 2021").as_deref(), Some("Tovah Lazaroff"));
        assert_eq!(names("By subscribing I accept the terms of use"), None);
        assert_eq!(names("By Monday, the talks had ended"), None);
        assert_eq!(names("Bystanders fled the scene"), None);
        assert_eq!(b.names("By Monday the talks had ended, the office said.", true), None);
    }
}
