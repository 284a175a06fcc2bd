//! Gold attributions from brat standoff (`<stem>.ann` beside `<stem>.txt`), the PolNeAR format.
//!
//! `Tn<TAB>Label START END[;START END…]<TAB>text` lines are spans (discontinuous ones list
//! several fragments); `En<TAB>Attribution:Tx Content:Ty Cue:Tz Source:Tw` lines are
//! attributions. Every event with a content is one gold attribution: its content is the union
//! of its `Content*` fragments, its source of its `Source*` fragments, its cue of its `Cue*`
//! fragments. Other lines (notes, relations, the text continuation of a multi-line span) are
//! not attributions and are skipped, as brat itself does.

use std::collections::HashMap;

/// Fragments of a span: code point offsets into the document, end exclusive.
pub type Fragments = Vec<(usize, usize)>;

/// One annotated attribution.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GoldAttribution {
    pub content: Fragments,
    pub source: Fragments,
    pub cue: Fragments,
}

/// What a `.ann` file holds: the attributions, and the events that could not become one.
#[derive(Debug, Clone, Default)]
pub struct Annotations {
    pub attributions: Vec<GoldAttribution>,
    /// Events without any content argument (they cannot be matched, so they are not gold).
    pub without_content: usize,
    /// Problems worth a warning: arguments naming spans the file does not define.
    pub warnings: Vec<String>,
}

/// `Tn<TAB>Label S E;S E<TAB>…`: the id and the fragments, or `None` for other lines.
fn span_line(line: &str) -> Option<(&str, Fragments)> {
    let (id, rest) = line.split_once('\t')?;
    if !is_id(id, 'T') {
        return None;
    }
    let (head, _text) = rest.split_once('\t')?;
    let (label, offsets) = head.split_once(' ')?;
    if label.is_empty() || label.contains(char::is_whitespace) {
        return None;
    }
    let mut frags = Vec::new();
    for part in offsets.split(';') {
        let (s, e) = part.split_once(' ')?;
        let num = |x: &str| (!x.is_empty() && x.bytes().all(|b| b.is_ascii_digit())).then(|| x.parse::<usize>().ok()).flatten();
        frags.push((num(s)?, num(e)?));
    }
    Some((id, frags))
}

/// `T12`, `E3`: a letter and digits.
fn is_id(s: &str, letter: char) -> bool {
    s.strip_prefix(letter).is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Parses a `.ann` file. `name` names it in warnings.
pub fn parse(name: &str, ann: &str) -> Annotations {
    let mut spans: HashMap<&str, Fragments> = HashMap::new();
    let mut events: Vec<(&str, &str)> = Vec::new();
    for line in ann.lines() {
        if let Some((id, frags)) = span_line(line) {
            spans.insert(id, frags);
            continue;
        }
        if let Some((id, rest)) = line.split_once('\t')
            && is_id(id, 'E')
        {
            // The trigger (`Attribution:Tx`) comes first; the arguments follow it.
            let args = rest.split_once(char::is_whitespace).map_or("", |(_, a)| a);
            events.push((id, args));
        }
    }
    let mut out = Annotations::default();
    for (id, args) in events {
        let mut a = GoldAttribution::default();
        for arg in args.split_whitespace() {
            let Some((role, tid)) = arg.split_once(':') else { continue };
            let Some(frags) = spans.get(tid) else {
                out.warnings.push(format!("{name}: {id} refers to undefined {tid}"));
                continue;
            };
            match role.trim_end_matches(|c: char| c.is_ascii_digit()) {
                "Content" => a.content.extend(frags),
                "Source" => a.source.extend(frags),
                "Cue" => a.cue.extend(frags),
                _ => {}
            }
        }
        if a.content.is_empty() {
            out.without_content += 1;
        } else {
            out.attributions.push(a);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_events_with_discontinuous_spans() {
        let ann = "T1\tSource 0 2\tHe\nT2\tCue 3 7\tsaid\nT3\tContent 8 12;20 25\tthis that\n\
                   E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1\n#1\tAnnotatorNotes E1\tnote\n\
                   E2\tAttribution:T2 Cue:T2\nE3\tAttribution:T2 Content:T9\n";
        let a = parse("x.ann", ann);
        assert_eq!(a.attributions, [GoldAttribution { content: vec![(8, 12), (20, 25)], source: vec![(0, 2)], cue: vec![(3, 7)] }]);
        assert_eq!(a.without_content, 2, "E2 has no content, E3's content is undefined");
        assert_eq!(a.warnings, ["x.ann: E3 refers to undefined T9"]);
    }

    #[test]
    fn numbered_roles_join_their_base_role() {
        let ann = "T1\tContent 0 3\tabc\nT2\tContent 5 8\tdef\nT3\tCue 3 4\t,\nE1\tAttribution:T3 Content:T1 Content2:T2 Cue:T3\n";
        assert_eq!(parse("x", ann).attributions[0].content, [(0, 3), (5, 8)]);
    }
}
