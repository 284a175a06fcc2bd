//! Running every example a rule set carries, through the whole pipeline.
//!
//! Rules are data, and their examples are their tests: `whosaid check-rules` and the test suite
//! both run this, and a failure points at the example in its file.

use crate::furniture::Why;
use crate::ingest::Document;
use crate::pipeline::Extractor;
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
            format!("[{} {} speaker={:?} cue={:?} content={:?}]", r.rule, r.kind.as_str(), r.speaker_mention.as_deref().unwrap_or(""), r.cue, r.content)
        })
        .collect::<Vec<_>>()
        .join(" ")
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
            let rows = extract(ex, &e.text);
            let wanted = |r: &Row| {
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
            };
            if !rows.iter().any(wanted) {
                let mut want = Vec::new();
                for (k, v) in [("speaker", &e.speaker), ("cue", &e.cue), ("content", &e.content), ("content2", &e.content2), ("kind", &e.kind), ("resolved", &e.resolved)] {
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
