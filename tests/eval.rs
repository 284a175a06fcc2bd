//! `whosaid eval` on a small annotated fixture whose figures were worked out by hand.
//!
//! The fixture (`tests/fixtures/eval/gold`) has two publishers and six gold attributions, and
//! uses its own two-rule set (`tests/fixtures/eval/rules`) so the figures do not move when the
//! shipped rules grow. What the rules find, against the gold:
//! - alpha: “We will win,” Netanyahu said. — exact (the marks do not count), speaker right;
//!   Officials said the vote was fair. — exact; "…, the minister noted." — missed.
//! - beta: "Trump said the wall would be built and Mexico would pay for it." — the gold content
//!   is "the wall would be built" (5 tokens), the row has 11: F1 10/16, a partial match;
//!   “It is over,” he said. “We lost.” — the gold joins both quotes (5 tokens), the row has
//!   the first (3): F1 6/8, partial; "Aides said nothing." — content exact, but the gold has no
//!   source and the row names one, so the speaker is wrong.

mod common;

use std::process::Command;

use whosaid::eval::{self, GoldCorpus};
use whosaid::{Extractor, RuleSet};

fn fixture_extractor() -> Extractor {
    Extractor::new(RuleSet::from_dir(&common::fixture("eval/rules")).unwrap_or_else(|e| panic!("{e}")))
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[test]
fn figures_match_the_hand_computed_ones() {
    let corpus = GoldCorpus::open(&common::fixture("eval/gold")).unwrap();
    assert_eq!(corpus.len(), 2, "the annotator-named beta_1_ab12.ann is found");
    let result = eval::evaluate(&fixture_extractor(), &corpus, 1, true);
    assert!(result.errors.is_empty() && result.warnings.is_empty(), "{:?} {:?}", result.errors, result.warnings);
    let m = &result.report.overall;
    assert_eq!((m.docs, m.gold, m.pred, m.gold_quoted, m.pred_quoted, m.gold_no_source, m.gold_discontinuous), (2, 6, 5, 2, 2, 1, 1));
    let exact = &m.content.exact;
    assert_eq!(exact.tp, 3);
    assert!(close(exact.prf.p, 3.0 / 5.0) && close(exact.prf.r, 3.0 / 6.0) && close(exact.prf.f1, 6.0 / 11.0));
    let partial = &m.content.partial;
    assert_eq!(partial.tp, 5);
    assert!(close(partial.prf.p, 1.0) && close(partial.prf.r, 5.0 / 6.0) && close(partial.prf.f1, 10.0 / 11.0));
    // Soft credit: shares of shared tokens, 1 + 1 + 5/11 + 3/3 + 1 over 5 rows, 1 + 1 + 5/5 + 3/5 + 1 over 6 gold.
    assert!(close(m.content.soft.p, (4.0 + 5.0 / 11.0) / 5.0) && close(m.content.soft.r, 4.6 / 6.0));
    // Both quoted gold items are matched partially, one exactly.
    assert!(close(m.quotes.loose.exact.p, 0.5) && close(m.quotes.loose.exact.r, 0.5));
    assert!(close(m.quotes.loose.partial.f1, 1.0) && close(m.quotes.strict.partial.f1, 1.0));
    // The speaker is right on 4 of the 5 matched pairs (not on the source-less gold).
    let sp = &m.speaker.partial;
    assert!(close(sp.role.acc, 0.8) && close(sp.role.prf.p, 0.8) && close(sp.role.prf.r, 4.0 / 6.0));
    assert!(close(sp.acc_gold_has_source, 1.0) && close(sp.quotes_loose.r, 1.0));
    assert!(close(m.speaker.exact.role.acc, 2.0 / 3.0) && close(m.cue.partial.acc, 1.0));
    let pubs = result.report.by_publisher.as_ref().unwrap();
    let (alpha, beta) = (&pubs["alpha"], &pubs["beta"]);
    assert!(close(alpha.content.exact.prf.f1, 0.8) && close(alpha.content.partial.prf.r, 2.0 / 3.0));
    assert!(close(beta.content.exact.prf.f1, 1.0 / 3.0) && close(beta.content.partial.prf.f1, 1.0) && close(beta.speaker.partial.role.acc, 2.0 / 3.0));
    // The same with several threads.
    assert_eq!(eval::evaluate(&fixture_extractor(), &corpus, 3, true).report, result.report);
}

fn whosaid(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_whosaid")).args(args).current_dir(common::root()).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn the_command_prints_the_scorer_table() {
    let (code, out, err) = whosaid(&["eval", "tests/fixtures/eval/gold", "--by-publisher", "--rules", "tests/fixtures/eval/rules"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[1], "docs 2  gold 6 (quoted 2, strict 2, no-source 1, discontinuous 1)  pred 5 (quoted 2)");
    for want in [
        "content exact                      0.600  0.500  0.545      3",
        "content partial (tokF1>=0.5)       1.000  0.833  0.909      5",
        "content soft (overlap credit)      0.891  0.767  0.824       ",
        "quotes[loose] partial              1.000  1.000  1.000       ",
        "content partial + speaker          0.800  0.667  0.727      4",
        "  speaker        0.667 (n=3    ) | 0.800 (n=5)",
        "alpha             3     2  0.800  1.000  0.667  0.800  1.000  1.000  0.800",
        "beta              3     3  0.333  1.000  1.000  1.000  1.000  0.667  0.667",
    ] {
        assert!(lines.contains(&want), "no line {want:?} in\n{out}");
    }
    let (code, json, _) = whosaid(&["eval", "tests/fixtures/eval/gold", "--json", "--rules", "tests/fixtures/eval/rules"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["overall"]["content"]["partial"]["tp"], 5);
    assert!(v.get("by_publisher").is_none());
}

#[test]
fn a_directory_without_articles_is_an_error() {
    let (code, _, err) = whosaid(&["eval", "tests/fixtures/eval/rules"]);
    assert_eq!(code, 2);
    assert!(err.contains("tests/fixtures/eval/rules: no .txt files"), "{err}");
    let (code, _, err) = whosaid(&["eval", "tests/fixtures/no-such-dir"]);
    assert_eq!(code, 2);
    assert!(err.contains("no-such-dir: cannot read"), "{err}");
}
