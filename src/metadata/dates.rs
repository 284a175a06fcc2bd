//! Dates in page text: "MARCH 16, 2021 15:33", "Monday, 26 October 2020", "date 2021-02-08".
//!
//! Month and day names and the labels that introduce a publication date come from
//! `rules/metadata.toml`; the patterns are compiled once per rule set.

use std::collections::HashMap;
use std::fmt;

use regex::{Captures, Regex, RegexBuilder};

/// A calendar date, checked (no 31 February).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The date, if `year-month-day` exists (years 1800 to 2199).
    pub fn new(year: u32, month: u32, day: u32) -> Option<Date> {
        if !(1800..2200).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        (day <= days).then_some(Date { year: year as u16, month: month as u8, day: day as u8 })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// An ISO 8601 date at the start of `s` ("2021-03-16", "2021-03-16T15:33:00+02:00"), as
/// machine-readable fields give it. The date is the one written, not converted to UTC.
pub fn iso_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| s.get(r).filter(|d| d.bytes().all(|c| c.is_ascii_digit())).and_then(|d| d.parse::<u32>().ok());
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || b.get(10).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    Date::new(y, m, d)
}

/// Finds and reads dates written the ways news pages write them.
#[derive(Debug)]
pub struct DateReader {
    /// A date anywhere.
    any: Regex,
    /// A paragraph that is only a date, perhaps labelled and with a time ("MARCH 16, 2021 15:33").
    alone: Regex,
    /// A paragraph that opens with a labelled date ("date 2021-02-08 …", "Published: …").
    labelled: Regex,
    /// Month number by lower-case name or abbreviation.
    months: HashMap<String, u32>,
}

fn alternation<'a>(words: impl IntoIterator<Item = &'a String>) -> String {
    let mut words: Vec<&String> = words.into_iter().collect();
    // Longest first, so "September" is tried before "Sept" and "Sep".
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    words.iter().map(|w| regex::escape(w)).collect::<Vec<_>>().join("|")
}

impl DateReader {
    /// Compiles the patterns from month names (January first), day names and date labels.
    pub fn new(months: &[Vec<String>], weekdays: &[String], labels: &[String]) -> DateReader {
        let month_alt = alternation(months.iter().flatten());
        let mut forms = vec![r"(?P<y3>\d{4})-(?P<m3>\d{1,2})-(?P<d3>\d{1,2})".to_owned()];
        if !month_alt.is_empty() {
            forms.push(format!(r"(?P<m1>{month_alt})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"));
            forms.push(format!(r"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{month_alt})\.?,?\s+(?P<y2>\d{{4}})"));
        }
        let weekday = if weekdays.is_empty() { String::new() } else { format!(r"(?:(?:{})\.?,?\s+)?", alternation(weekdays)) };
        // ASCII word boundaries (`B`): a Unicode one would send every paragraph with a
        // non-ASCII character to the slow regex engine.
        const B: &str = r"(?-u:\b)";
        let date = format!(r"{B}{weekday}(?:{})", forms.join("|"));
        let label = if labels.is_empty() { "(?:)".to_owned() } else { format!(r"(?:{}){B}\s*[:\-–]?\s*(?:on\s+)?", alternation(labels)) };
        let time = r"(?:\s*(?:,|(?-u:\b)at(?-u:\b)|\||•|·|-|–|—)?\s*\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s*(?:[A-Z]{2,5}|GMT|UTC)(?:[+-]\d{1,2}(?::?\d{2})?)?)?)?";
        let build = |p: &str| RegexBuilder::new(p).case_insensitive(true).build().expect("date patterns are built from escaped words");
        DateReader {
            any: build(&date),
            alone: build(&format!(r"^\s*(?:{label})?{date}{time}\s*\.?\s*$")),
            labelled: build(&format!(r"^\s*{label}{date}")),
            months: months.iter().enumerate().flat_map(|(i, names)| names.iter().map(move |n| (n.to_lowercase(), i as u32 + 1))).collect(),
        }
    }

    fn read(&self, text: &str, c: &Captures) -> Option<Date> {
        let whole = c.get(0)?;
        // The pattern cannot look ahead: a date runs into no further digit ("2021-02-081").
        if text[whole.end()..].starts_with(|ch: char| ch.is_ascii_digit()) {
            return None;
        }
        let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
        let month = |name: &str| c.name(name).and_then(|m| self.months.get(&m.as_str().to_lowercase()).copied());
        if let Some(y) = num("y1") {
            return Date::new(y, month("m1")?, num("d1")?);
        }
        if let Some(y) = num("y2") {
            return Date::new(y, month("m2")?, num("d2")?);
        }
        Date::new(num("y3")?, num("m3")?, num("d3")?)
    }

    /// The first date in `text`.
    pub fn first(&self, text: &str) -> Option<Date> {
        self.any.captures_iter(text).find_map(|c| self.read(text, &c))
    }

    /// The date of a dateline: a paragraph that is only a date (perhaps with a label and a
    /// time), or that opens with a labelled date. `prose` says whether the paragraph reads as a
    /// sentence of the article, in which case a labelled date in it is no dateline.
    pub fn dateline(&self, para: &str, prose: bool) -> Option<Date> {
        if let Some(c) = self.alone.captures(para) {
            return self.read(para, &c);
        }
        if prose {
            return None;
        }
        self.labelled.captures(para).and_then(|c| self.read(para, &c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader() -> DateReader {
        let months: Vec<Vec<String>> = [["January", "Jan"], ["February", "Feb"], ["March", "Mar"], ["April", "Apr"], ["May", "May"], ["June", "Jun"], ["July", "Jul"], ["August", "Aug"], ["September", "Sept"], ["October", "Oct"], ["November", "Nov"], ["December", "Dec"]]
            .iter()
            .map(|m| m.iter().map(|s| s.to_string()).collect())
            .collect();
        DateReader::new(&months, &["Monday".into(), "Mon".into()], &["date".into(), "published".into()])
    }

    #[test]
    fn reads_the_forms_pages_use() {
        let r = reader();
        let first = |s: &str| r.first(s).map(|d| d.to_string());
        assert_eq!(first("met today (Monday, 26 October 2020) in Athens").as_deref(), Some("2020-10-26"));
        assert_eq!(first("MARCH 16, 2021 15:33").as_deref(), Some("2021-03-16"));
        assert_eq!(first("in Sochi, Russia Sept. 12, 2019.").as_deref(), Some("2019-09-12"));
        assert_eq!(first("x 2021-02-08T10:00Z").as_deref(), Some("2021-02-08"));
        assert_eq!(first("on 3rd of June 2019").as_deref(), Some("2019-06-03"));
        assert_eq!(first("February 30, 2021 or 2021-13-01 or 2021-02-081"), None);
        assert_eq!(first("the Mayor said 12 people"), None);
    }

    #[test]
    fn datelines_are_dates_alone_or_labelled() {
        let r = reader();
        let line = |s: &str, prose: bool| r.dateline(s, prose).map(|d| d.to_string());
        assert_eq!(line("MARCH 16, 2021 15:33", false).as_deref(), Some("2021-03-16"));
        assert_eq!(line("Monday, 26 October 2020 | 3:05 pm EST", false).as_deref(), Some("2020-10-26"));
        assert_eq!(line(" date 2021-02-08 The Jerusalem Post - Israel News", false).as_deref(), Some("2021-02-08"));
        assert_eq!(line("Published: March 3, 2021.", false).as_deref(), Some("2021-03-03"));
        assert_eq!(line("March 16, 2021 was a turning point", false), None);
        assert_eq!(line("Published on March 3, 2021, the report said that talks had failed.", true), None);
    }

    #[test]
    fn iso_dates_from_fields() {
        assert_eq!(iso_date("2021-03-16T15:33:00+02:00").map(|d| d.to_string()).as_deref(), Some("2021-03-16"));
        assert_eq!(iso_date(" 2020-02-29 ").map(|d| d.to_string()).as_deref(), Some("2020-02-29"));
        assert_eq!(iso_date("2021-02-29"), None);
        assert_eq!(iso_date("March 16, 2021"), None);
        assert_eq!(iso_date("2021-3-16"), None);
    }
}
