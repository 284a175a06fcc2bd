//! Running every example a rule set carries, through the whole pipeline.
//!
//! Rules are data, and their examples are their tests: `whosaid check-rules` and the test suite
//! both run this, and a failure points at the example in its file.

use indexmap::IndexMap;

use crate::furniture::Why;
use crate::ingest::Document;
use crate::pipeline::{Explanation, Extractor};
use crate::resolve::gazetteer::ExampleRowToml;
use crate::rules::rule::RuleExample;
use crate::rules::RuleError;
use crate::table::Row;
use crate::topics::stance::Stance;

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
            let (topics, stance) = (r.topics.join(";"), describe_stance(&r.stance));
            format!(
                "[{} {} speaker={:?} ({:?}) cue={:?} content={:?} topics={topics:?} stance={stance:?}]",
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

/// What an example expects of a row, field by field: (name, expected value, the row's value).
/// An example that leaves a field out accepts any value.
type Fields<'a> = Vec<(&'static str, &'a Option<String>, Option<String>)>;

fn fields_hold(fields: &Fields) -> bool {
    fields.iter().all(|(_, want, got)| want.as_ref().is_none_or(|w| Some(w) == got.as_ref()))
}

/// The fields an example expects, as `name="value"` pairs.
fn expected(fields: &Fields) -> String {
    fields.iter().filter_map(|(k, want, _)| want.as_ref().map(|v| format!("{k}={v:?}"))).collect::<Vec<_>>().join(" ")
}

/// A resolution example's fields, with the values of row `x` (none without a row).
fn resolution_fields<'a>(want: &'a ExampleRowToml, x: Option<&Explanation>) -> Fields<'a> {
    let r = x.map(|x| &x.row);
    vec![
        ("mention", &want.mention, r.and_then(|r| r.speaker_mention.clone())),
        ("speaker", &want.speaker, r.and_then(|r| r.speaker.clone())),
        ("type", &want.kind, r.and_then(|r| r.speaker_type).map(|t| t.as_str().to_owned())),
        ("step", &want.step, x.and_then(|x| x.step).map(|s| s.as_str().to_owned())),
        ("id", &want.id, r.and_then(|r| r.speaker_id.clone())),
        ("role", &want.role, r.and_then(|r| r.speaker_role.clone())),
        ("via", &want.via, r.and_then(|r| r.via.clone())),
        ("addressee", &want.addressee, r.and_then(|r| r.addressee.clone())),
    ]
}

/// A rule example's fields, with the values of row `x` (none without a row).
fn rule_fields<'a>(e: &'a RuleExample, x: Option<&Explanation>) -> Fields<'a> {
    let r = x.map(|x| &x.row);
    let part = |i: usize| r.and_then(|r| r.content_spans.get(i)).map(|s| e.text.chars().skip(s[0]).take(s[1] - s[0]).collect::<String>());
    vec![
        ("speaker", &e.speaker, r.and_then(|r| r.speaker_mention.clone())),
        ("cue", &e.cue, r.map(|r| r.cue.clone())),
        ("content", &e.content, part(0)),
        ("content2", &e.content2, part(1)),
        ("kind", &e.kind, r.map(|r| r.kind.as_str().to_owned())),
        ("resolved", &e.resolved, r.and_then(|r| r.speaker.clone())),
        ("addressee", &e.addressee, x.and_then(|x| x.addressee_mention.clone())),
    ]
}

/// The first expected row that the rows found, taken in order, do not have; `None` if all are
/// there.
fn missing_rows(expected_rows: &[ExampleRowToml], found: &[Explanation]) -> Option<String> {
    let mut next = 0;
    for want in expected_rows {
        match found[next..].iter().position(|x| fields_hold(&resolution_fields(want, Some(x)))) {
            Some(k) => next += k + 1,
            None => return Some(format!("expected a row {}", expected(&resolution_fields(want, None)))),
        }
    }
    None
}

fn describe_stance(stance: &IndexMap<String, Stance>) -> String {
    stance.iter().map(|(t, s)| format!("{t}:{}", s.as_str())).collect::<Vec<_>>().join(";")
}

/// Whether a row carries the topics (when given) and the stance (when given) an example expects.
fn tagged(r: &Row, topics: Option<&Vec<String>>, stance: Option<&IndexMap<String, Stance>>) -> bool {
    topics.is_none_or(|t| *t == r.topics) && stance.is_none_or(|s| *s == r.stance)
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
        let re = crate::rules::rule::compile(&rules.vocab, &translated).expect("validated");
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
            let wanted = |x: &Explanation| x.row.rule == rule.id && fields_hold(&rule_fields(e, Some(x))) && tagged(&x.row, e.topics.as_ref(), e.stance.as_ref());
            if !found.iter().any(wanted) {
                let rows: Vec<Row> = found.into_iter().map(|x| x.row).collect();
                let mut want = expected(&rule_fields(e, None));
                if let Some(t) = &e.topics {
                    want.push_str(&format!(" topics={:?}", t.join(";")));
                }
                if let Some(s) = &e.stance {
                    want.push_str(&format!(" stance={:?}", describe_stance(s)));
                }
                fail(rule.file, e.at, &rule.id, format!("expected {} in {:?}; found {}", want.trim_start(), e.text, describe(&rows)));
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

    let mut mentions = Vec::new();
    for e in &rules.topics.examples {
        count += 1;
        mentions.clear();
        rules.topics.mentions(&e.text, 0, &mut mentions);
        if mentions.iter().any(|m| m.topic == e.topic) != e.should_match {
            let verb = if e.should_match { "should be found in" } else { "should not be found in" };
            fail(e.file, e.at, &rules.topics.topics[e.topic].label, format!("{verb} {:?}", e.text));
        }
    }

    for e in &rules.stance.examples {
        count += 1;
        let rows = extract(ex, &e.text);
        if !rows.iter().any(|r| tagged(r, e.topics.as_ref(), Some(&e.stance))) {
            let topics = e.topics.as_ref().map(|t| format!("topics={:?} ", t.join(";"))).unwrap_or_default();
            fail(e.file, e.at, "stance", format!("expected {topics}stance={:?} in {:?}; found {}", describe_stance(&e.stance), e.text, describe(&rows)));
        }
    }

    let grouping = &rules.grouping;
    for e in &grouping.normalize_examples {
        count += 1;
        let got = grouping.terms.describe(&e.text);
        if got != e.terms {
            fail(e.file, e.at, "normalize", format!("expected terms {:?} in {:?}, got {got:?}", e.terms, e.text));
        }
    }

    for e in &grouping.pair_examples {
        count += 1;
        if grouping.same_utterance(&e.a, &e.b) != e.same {
            let (a, b) = (grouping.terms.describe(&e.a), grouping.terms.describe(&e.b));
            let verdict = if e.same { "should be one utterance" } else { "should be two utterances" };
            fail(e.file, e.at, "pair", format!("{verdict}: {:?} has terms {a:?}, {:?} has terms {b:?}", e.a, e.b));
        }
    }

    let boilerplate = &rules.boilerplate;
    for (i, entry) in boilerplate.entries.iter().enumerate() {
        for (at, text) in &entry.furniture {
            count += 1;
            let layout = ex.layout(text);
            let article: Vec<&str> = layout.paragraphs.iter().zip(&layout.furniture).filter(|(_, m)| m.is_none()).map(|(p, _)| &layout.norm()[p.clone()]).collect();
            let mine = layout.furniture.contains(&Some(Why::Entry(i)));
            if !article.is_empty() || !mine {
                fail(entry.file, *at, &entry.id, format!("expected furniture marked by this entry; not furniture: {article:?}, marked by this entry: {mine}"));
            } else if let rows @ [_, ..] = &extract(ex, text)[..] {
                fail(entry.file, *at, &entry.id, format!("furniture yields statements: {}", describe(rows)));
            }
        }
        for (at, text) in &entry.article {
            count += 1;
            let layout = ex.layout(text);
            let marks: Vec<String> = layout.furniture.iter().flatten().map(|w| w.label(boilerplate).to_owned()).collect();
            if !marks.is_empty() {
                fail(entry.file, *at, &entry.id, format!("article text taken for furniture ({})", marks.join(", ")));
            }
        }
    }

    for page in &boilerplate.pages {
        count += 1;
        let layout = ex.layout(&page.text);
        let got: Vec<&str> = layout.paragraphs.iter().zip(&layout.furniture).filter(|(_, m)| m.is_some()).map(|(p, _)| &layout.norm()[p.clone()]).collect();
        if got != page.furniture {
            fail(page.file, page.at, "page", format!("expected furniture {:?}, got {:?}", page.furniture, got));
        }
    }

    let meta = &rules.metadata;
    for e in &meta.examples {
        count += 1;
        let doc = Document::new("example", "example", e.text.as_str());
        let got = ex.metadata(&doc, &ex.layout(&e.text));
        let got = [("title", &got.title), ("outlet", &got.outlet), ("published", &got.published), ("author", &got.author)];
        let wrong: Vec<String> = e
            .expected
            .iter()
            .zip(got)
            .filter_map(|((name, want), (_, got))| {
                let want = want.as_deref().map(|w| Some(w).filter(|w| !w.is_empty()));
                want.filter(|w| *w != got.as_deref()).map(|w| format!("{name}: expected {w:?}, got {got:?}"))
            })
            .collect();
        if !wrong.is_empty() {
            fail(e.file, e.at, "metadata", wrong.join("; "));
        }
    }
    for outlet in &meta.outlets.outlets {
        for (at, text) in &outlet.examples {
            count += 1;
            let got = ex.metadata(&Document::new("example", "example", text.as_str()), &ex.layout(text)).outlet;
            if got.as_deref() != Some(outlet.name.as_str()) {
                fail(outlet.file, *at, &outlet.name, format!("expected this outlet in {text:?}, got {got:?}"));
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
