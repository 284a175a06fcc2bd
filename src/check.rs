//! Running every example a rule set carries, through the whole pipeline.
//!
//! Rules are data, and their examples are their tests: `whosaid check-rules` and the test suite
//! both run this, and a failure points at the example in its file.

use crate::ingest::Document;
use crate::pipeline::{Explanation, Extractor};
use crate::resolve::gazetteer::ExampleRowToml;
use crate::rules::RuleError;
use crate::table::Row;

/// How many examples were run, and the ones that failed.
#[derive(Debug, Default)]
pub struct Report {
    pub examples: usize,
    pub failures: Vec<RuleError>,
}

fn extract(ex: &Extractor, text: &str) -> Vec<Row> {
    ex.extract(&Document::new("example", "example", text))
}

fn describe(rows: &[Row]) -> String {
    if rows.is_empty() {
        return "nothing found".into();
    }
    rows.iter()
        .map(|r| {
            format!(
                "[{} {} speaker={:?} ({:?}) cue={:?} content={:?}]",
                r.rule,
                r.kind.as_str(),
                r.speaker_mention.as_deref().unwrap_or(""),
                r.speaker.as_deref().unwrap_or(""),
                r.cue,
                r.content
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first expected row that the rows found, taken in order, do not have; `None` if all are
/// there.
fn missing_rows(expected: &[ExampleRowToml], found: &[Explanation]) -> Option<String> {
    let mut next = 0;
    for want in expected {
        let matches = |x: &Explanation| {
            let r = &x.row;
            let field = |w: &Option<String>, got: Option<&str>| w.as_deref().is_none_or(|w| Some(w) == got);
            field(&want.mention, r.speaker_mention.as_deref())
                && field(&want.speaker, r.speaker.as_deref())
                && field(&want.kind, r.speaker_type.map(|t| t.as_str()))
                && field(&want.step, x.step.map(|s| s.as_str()))
                && field(&want.id, r.speaker_id.as_deref())
                && field(&want.role, r.speaker_role.as_deref())
                && field(&want.via, r.via.as_deref())
                && field(&want.addressee, r.addressee.as_deref())
        };
        match found[next..].iter().position(matches) {
            Some(k) => next += k + 1,
            None => {
                let fields = [
                    ("mention", &want.mention),
                    ("speaker", &want.speaker),
                    ("type", &want.kind),
                    ("step", &want.step),
                    ("id", &want.id),
                    ("role", &want.role),
                    ("via", &want.via),
                    ("addressee", &want.addressee),
                ];
                let want: Vec<String> = fields.iter().filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={v:?}"))).collect();
                return Some(format!("expected a row {}", want.join(" ")));
            }
        }
    }
    None
}

/// Runs all examples of the extractor's rule set.
pub fn check(ex: &Extractor) -> Report {
    let rules = ex.rules();
    let mut report = Report::default();
    let mut fail = |file: usize, at: usize, id: &str, msg: String| {
        report.failures.push(rules.sources[file].error(at, Some(id), msg));
    };
    let mut count = 0;

    for e in &rules.segmenter.examples {
        count += 1;
        let layout = ex.layout(&e.text);
        let got: Vec<&str> = layout.sentences.iter().map(|s| &layout.norm()[s.span.clone()]).collect();
        if got != e.sentences {
            fail(e.file, e.at, "segmentation", format!("expected sentences {:?}, got {:?}", e.sentences, got));
        }
    }

    for e in &rules.vocab.fragment_examples {
        count += 1;
        let translated = rules.vocab.translate(&format!("^(?:{{{}}})$", e.fragment)).expect("validated");
        let re = crate::rules::rule::compile(&translated).expect("validated");
        let layout = ex.layout(&e.text);
        if re.is_match(&layout.tokens.tags) != e.should_match {
            let verb = if e.should_match { "should match" } else { "should not match" };
            fail(e.file, e.at, &e.fragment, format!("{verb} {:?}", e.text));
        }
    }

    for e in &rules.vocab.lexicon.verb_examples {
        count += 1;
        let rows = extract(ex, &e.text);
        let uses_form =
            |cue: &str| cue.split(|c: char| !c.is_alphanumeric()).any(|w| e.forms.iter().any(|f| f.split_whitespace().any(|fw| fw.eq_ignore_ascii_case(w))));
        if !rows.iter().any(|r| uses_form(&r.cue)) {
            fail(e.file, e.at, &e.class, format!("no statement with a cue from {:?} in {:?}: {}", e.forms, e.text, describe(&rows)));
        }
    }

    for rule in &rules.patterns.rules {
        for e in &rule.examples {
            count += 1;
            let found = ex.explain(&Document::new("example", "example", e.text.as_str()));
            let wanted = |x: &Explanation| {
                let r = &x.row;
                let field = |want: &Option<String>, got: Option<&str>| want.as_deref().is_none_or(|w| Some(w) == got);
                let part = |i: usize| r.content_spans.get(i).map(|s| e.text.chars().skip(s[0]).take(s[1] - s[0]).collect::<String>());
                let (first, second) = (part(0), part(1));
                r.rule == rule.id
                    && field(&e.speaker, r.speaker_mention.as_deref())
                    && field(&e.cue, Some(&r.cue))
                    && field(&e.content, first.as_deref())
                    && field(&e.content2, second.as_deref())
                    && field(&e.kind, Some(r.kind.as_str()))
                    && field(&e.resolved, r.speaker.as_deref())
                    && field(&e.addressee, x.addressee_mention.as_deref())
            };
            if !found.iter().any(wanted) {
                let rows: Vec<Row> = found.into_iter().map(|x| x.row).collect();
                let mut want = Vec::new();
                for (k, v) in [
                    ("speaker", &e.speaker),
                    ("cue", &e.cue),
                    ("content", &e.content),
                    ("content2", &e.content2),
                    ("kind", &e.kind),
                    ("resolved", &e.resolved),
                    ("addressee", &e.addressee),
                ] {
                    if let Some(v) = v {
                        want.push(format!("{k}={v:?}"));
                    }
                }
                fail(rule.file, e.at, &rule.id, format!("expected {} in {:?}; found {}", want.join(" "), e.text, describe(&rows)));
            }
        }
        for (at, text) in &rule.nomatch {
            count += 1;
            let rows = extract(ex, text);
            if rows.iter().any(|r| r.rule == rule.id) {
                fail(rule.file, *at, &rule.id, format!("should not match {text:?}; found {}", describe(&rows)));
            }
        }
    }

    if let Some(g) = &rules.speakers {
        for e in &g.entry_examples {
            count += 1;
            let rows = extract(ex, &e.text);
            if !rows.iter().any(|r| r.speaker.as_deref() == Some(e.speaker.as_str())) {
                fail(e.file, e.at, &e.speaker, format!("no statement by {:?} in {:?}: {}", e.speaker, e.text, describe(&rows)));
            }
        }
        for e in &g.examples {
            count += 1;
            let found = ex.explain(&Document::new("example", "example", e.text.as_str()));
            if let Some(msg) = missing_rows(&e.rows, &found) {
                let rows: Vec<Row> = found.into_iter().map(|x| x.row).collect();
                fail(e.file, e.at, "example", format!("{msg} in {:?}; found {}", e.text, describe(&rows)));
            }
        }
    }

    for n in &rules.negatives {
        count += 1;
        let rows = extract(ex, &n.text);
        if !rows.is_empty() {
            fail(n.file, n.at, "negative", format!("should yield no statement: {}", describe(&rows)));
        }
    }
    report.examples = count;
    report
}
