//! The sample articles: a snapshot of their table, and properties every run must keep.

mod common;

use whosaid::{Document, writers::{Format, RowWriter}};

fn table(format: Format) -> String {
    let ex = common::extractor();
    let mut w = RowWriter::new(format, Vec::new()).unwrap();
    for (stem, text) in common::samples() {
        let rows = ex.extract(&Document::new(stem.clone(), format!("samples/{stem}.txt"), text));
        w.write(&rows).unwrap();
    }
    String::from_utf8(w.finish().unwrap()).unwrap()
}

#[test]
fn samples_table_matches_the_snapshot() {
    common::assert_snapshot("samples.jsonl", &table(Format::Jsonl));
}

#[test]
fn samples_yield_the_statements_a_reader_expects() {
    let out = table(Format::Jsonl);
    let rows: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let has = |doc: &str, mention: &str, content_start: &str| {
        rows.iter().any(|r| {
            r["doc"].as_str().unwrap().starts_with(doc)
                && r["speaker_mention"].as_str() == Some(mention)
                && r["content"].as_str().unwrap().starts_with(content_start)
        })
    };
    assert!(has("000", "FM Ashkenazi", "Israel will not permit Iran"));
    assert!(has("000", "FM Ashkenazi", "Israel appreciates the dialogue"));
    assert!(has("001", "Levan Dzhagaryan", "We have said since the very first day"));
    assert!(has("001", "he", "As you know, we have provided Iran"));
    assert!(has("002", "An Israeli diplomatic source", "the Foreign Ministry views"));
    assert!(has("003", "Netanyahu", "The link between us"));
    assert!(has("004", "Shrier", "the US will not lift sanctions"));
    // The body of 003 is printed twice; each statement counts once.
    let link = rows.iter().filter(|r| r["content"].as_str().unwrap().starts_with("The link between us")).count();
    assert_eq!(link, 1);
    // Page furniture: the "Most Read" headlines of other stories are no statements.
    assert!(!rows.iter().any(|r| r["content"].as_str().unwrap().contains("face mask eliminates")));
}
