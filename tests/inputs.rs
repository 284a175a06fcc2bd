//! HTML pages and JSON Lines files as a user feeds them: text extraction, metadata, bad input.

mod common;

use std::io::Write;
use std::process::Command;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_whosaid")).args(args).current_dir(common::root()).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn rows(jsonl: &str) -> Vec<serde_json::Value> {
    jsonl.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

const PAGES: &str = "tests/fixtures/pages";

#[test]
fn html_rows_point_into_the_extracted_text() {
    let (code, out, err) = run(&["extract", "tests/fixtures/pages/article.html"]);
    assert_eq!(code, 0, "{err}");
    let rows = rows(&out);
    let (_, text, _) = run(&["text", "--plain", "tests/fixtures/pages/article.html"]);
    assert!(text.starts_with("Iran says talks with Europe will go on\n\nBy Jane Doe\n\n"), "{text}");
    for r in &rows {
        let (s, e) = (r["content_start"].as_u64().unwrap() as usize, r["content_end"].as_u64().unwrap() as usize);
        assert_eq!(common::slice_chars(&text, s, e), r["content"].as_str().unwrap());
        assert_eq!(r["doc"], "article");
        assert_eq!(r["title"], "Iran says talks with Europe will go on");
        assert_eq!(r["outlet"], "The Daily Planet");
        assert_eq!(r["published"], "2021-03-16");
        assert_eq!(r["author"], "Jane Doe");
        assert_eq!(r["url"], "https://planet.example/world/iran-talks");
    }
    let contents: Vec<&str> = rows.iter().map(|r| r["content"].as_str().unwrap()).collect();
    assert!(contents.contains(&"We have no other choice,"), "{contents:?}");
    assert!(contents.contains(&"the next round would be held in Vienna"), "{contents:?}");
    // Scripts, navigation, captions, asides, footers and the related list yield nothing.
    for skipped in ["Nobody said", "nothing here", "nothing about it", "deal was dead", "spokesman", "budget", "storms"] {
        assert!(!contents.iter().any(|c| c.contains(skipped)), "{skipped}: {contents:?}");
    }
}

#[test]
fn broken_html_is_read_as_a_browser_would() {
    let (code, out, err) = run(&["extract", "tests/fixtures/pages/broken.htm", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let contents: Vec<&str> = rows.iter().map(|r| r["content"].as_str().unwrap()).collect();
    assert_eq!(contents, ["The border will stay closed,", "the decision would be reviewed next month after talks"]);
    assert!(rows.iter().all(|r| r["title"] == "Broken page"));
}

#[test]
fn a_page_without_text_is_reported() {
    let (code, out, err) = run(&["extract", "tests/fixtures/pages/empty.html"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.contains("tests/fixtures/pages/empty.html: no article text in the page"), "{err}");
}

#[test]
fn json_lines_records_become_documents_and_bad_ones_are_reported_by_line() {
    let (code, out, err) = run(&["extract", "tests/fixtures/pages/corpus.jsonl"]);
    assert_eq!(code, 1, "a bad record fails the run");
    let rows = rows(&out);
    let docs: Vec<&str> = rows.iter().map(|r| r["doc"].as_str().unwrap()).collect();
    assert_eq!(docs, ["wire-1", "wire-2", "wire-2", "42"]);
    let wire1 = &rows[0];
    assert_eq!(wire1["outlet"], "The Jerusalem Post", "from the record's url");
    assert_eq!((wire1["published"].as_str(), wire1["author"].as_str()), (Some("2021-03-16"), Some("Jane Doe")));
    assert_eq!(wire1["source"], "tests/fixtures/pages/corpus.jsonl");
    let wire2 = &rows[1];
    assert_eq!((wire2["title"].as_str(), wire2["outlet"].as_str()), (Some("Given title"), Some("Planet Wire")), "given fields win");
    assert_eq!(wire2["author"], "John Roe", "what is not given is read from the text");
    for line in ["corpus.jsonl:3: no `text` field", "corpus.jsonl:4: `published` is not a date like 2021-03-16: \"next Tuesday\"", "corpus.jsonl:5: not valid JSON"] {
        assert!(err.contains(line), "{line}: {err}");
    }
    assert!(err.trim_end().ends_with("3 of 6 inputs failed; 4 rows from the other 3"), "{err}");
}

#[test]
fn a_huge_json_lines_record_is_skipped_and_the_rest_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(f, "{{\"id\": \"first\", \"text\": \"Officials said the vote was fair.\"}}").unwrap();
    write!(f, "{{\"id\": \"huge\", \"text\": \"").unwrap();
    for _ in 0..20_000 {
        f.write_all(b"Officials said the vote was fair. ").unwrap();
    }
    writeln!(f, "\"}}").unwrap();
    writeln!(f, "{{\"id\": \"last\", \"text\": \"Officials said the vote was fair.\"}}").unwrap();
    drop(f);
    let (code, out, err) = run(&["extract", path.to_str().unwrap(), "--max-bytes", "100000"]);
    assert_eq!(code, 1);
    let docs: Vec<String> = rows(&out).iter().map(|r| r["doc"].as_str().unwrap().to_owned()).collect();
    assert_eq!(docs, ["first", "last"]);
    assert!(err.contains("big.jsonl:2: record too large (680026 bytes; the limit is 100000 bytes, see --max-bytes)"), "{err}");
}

#[test]
fn directories_yield_html_and_json_lines_in_order() {
    let (_, out, _) = run(&["extract", PAGES, "--jobs", "1"]);
    let (_, four, _) = run(&["extract", PAGES, "--jobs", "4"]);
    assert_eq!(out, four);
    let mut docs: Vec<String> = rows(&out).iter().map(|r| r["doc"].as_str().unwrap().to_owned()).collect();
    docs.dedup();
    assert_eq!(docs, ["article", "broken", "wire-1", "wire-2", "42"]);
}

#[test]
fn text_shows_metadata_and_marks_furniture() {
    let (code, out, _) = run(&["text", "samples/002_161de6ef0c710c66.txt"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("== 002_161de6ef0c710c66 (samples/002_161de6ef0c710c66.txt)\ntitle      Ashkenazi heads to Moscow after Lavrov-Hezbollah meeting\noutlet     The Jerusalem Post\npublished  2021-03-16\nauthor     Lahav Harkov\n"), "{out}");
    let line = |start: &str| out.lines().find(|l| l.trim_start().starts_with(start)).unwrap_or_else(|| panic!("no line {start}: {out}")).to_owned();
    assert!(line("4019 ").contains("list ^4005") && line("4019 ").ends_with("Lab tests suggest Israeli-made face mask eliminates over 99% of coronavirus"));
    assert!(line("1247 ").contains("repeat ^336"));
    assert!(line("486 ").contains("byline"));
    let body = line("692 ");
    assert!(body.ends_with("Foreign Minister Gabi Ashkenazi left for Moscow on Monday, just two days after his Russian counterpart Sergei Lavrov met with a Hezbollah representative."), "{body}");
    assert!(out.contains("\nlist-heading  heading of a list of other stories\n"), "a legend explains the marks: {out}");

    let (code, plain, _) = run(&["text", "--plain", "samples/003_e00ea34f9f5e58ba.txt"]);
    assert_eq!(code, 0);
    assert_eq!(plain, std::fs::read_to_string(common::root().join("samples/003_e00ea34f9f5e58ba.txt")).unwrap() + "\n");
}
