//! The command line as a user runs it.

mod common;

use std::io::{Read, Write};
use std::process::{Command, Stdio};

fn whosaid(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_whosaid"));
    c.args(args).current_dir(common::root());
    c
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = whosaid(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn formats() {
    let (code, jsonl, _) = run(&["extract", "tests/fixtures/good.txt", "--format", "jsonl"]);
    assert_eq!(code, 0);
    let rows: Vec<serde_json::Value> = jsonl.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["doc"], "good");
    assert_eq!(rows[0]["source"], "tests/fixtures/good.txt");
    assert_eq!(rows[0]["kind"], "direct");

    let (code, json, _) = run(&["extract", "tests/fixtures/good.txt", "--format", "json"]);
    assert_eq!(code, 0);
    let arr: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(arr, rows);

    let (code, csv, _) = run(&["extract", "tests/fixtures/good.txt", "--format", "csv"]);
    assert_eq!(code, 0);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), whosaid::writers::CSV_COLUMNS);
    assert_eq!(reader.records().count(), 2);
    assert!(csv.contains("\r\n"), "RFC 4180 line ends");

    let (code, table, _) = run(&["extract", "tests/fixtures/good.txt", "--format", "table"]);
    assert_eq!(code, 0);
    assert!(table.lines().nth(1).unwrap().contains("Netanyahu"), "{table}");

    let (_, empty_json, _) = run(&["extract", "tests/fixtures/latin1.txt", "--format", "json"]);
    assert_eq!(serde_json::from_str::<Vec<serde_json::Value>>(&empty_json).unwrap(), Vec::<serde_json::Value>::new());
}

#[test]
fn byte_offsets_on_request() {
    let (_, chars, _) = run(&["extract", "tests/fixtures/good.txt"]);
    let (_, bytes, _) = run(&["extract", "tests/fixtures/good.txt", "--offsets", "bytes"]);
    let c: serde_json::Value = serde_json::from_str(chars.lines().next().unwrap()).unwrap();
    let b: serde_json::Value = serde_json::from_str(bytes.lines().next().unwrap()).unwrap();
    assert_eq!(c["content_start"], 1);
    assert_eq!(b["content_start"], 3, "“ is three bytes");
}

#[test]
fn reads_standard_input() {
    let mut child = whosaid(&["extract", "-"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all("Officials said the vote was fair.".as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let row: serde_json::Value = serde_json::from_slice(out.stdout.split(|&b| b == b'\n').next().unwrap()).unwrap();
    assert_eq!((row["doc"].as_str(), row["source"].as_str()), (Some("stdin"), Some("-")));
    assert_eq!(row["content"], "the vote was fair");
}

#[test]
fn a_bad_file_among_good_ones_fails_the_run_but_not_the_others() {
    let (code, out, err) = run(&["extract", "tests/fixtures/latin1.txt", "tests/fixtures/missing.txt", "tests/fixtures/good.txt"]);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 2, "rows of the good file are written");
    assert!(err.contains("tests/fixtures/latin1.txt: not valid UTF-8 (invalid byte at offset 3)"), "{err}");
    assert!(err.contains("tests/fixtures/missing.txt: cannot read"), "{err}");
    assert!(err.trim_end().ends_with("whosaid: 2 of 3 inputs failed; 2 rows from the other 1"), "{err}");
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("rows.csv");
    std::fs::write(&target, "old contents").unwrap();
    let (code, out, _) = run(&["extract", "samples", "--format", "csv", "-o", target.to_str().unwrap()]);
    assert_eq!((code, out.as_str()), (0, ""));
    let written = std::fs::read_to_string(&target).unwrap();
    assert!(written.starts_with("doc,source,title,outlet,published,author,url,kind"), "{written}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let fresh = dir.path().join("fresh.jsonl");
        run(&["extract", "samples", "-o", fresh.to_str().unwrap()]);
        assert_eq!(std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777, 0o644, "not private like a temporary file");
    }

    let (code, _, err) = run(&["extract", "samples", "-o", "/nonexistent-dir/rows.csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot write /nonexistent-dir/rows.csv"), "{err}");
}

#[test]
fn csv_cells_never_run_as_formulas() {
    let (code, csv, _) = run(&["extract", "tests/fixtures/formula.txt", "--format", "csv"]);
    assert_eq!(code, 0);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let content_col = whosaid::writers::CSV_COLUMNS.iter().position(|c| *c == "content").unwrap();
    let cells: Vec<String> = reader.records().map(|r| r.unwrap()[content_col].to_owned()).collect();
    assert_eq!(cells, ["'=1+2 is the answer", "'@SUM(A1) was right", "'-5 degrees is cold"]);
}

#[test]
fn output_is_identical_at_any_job_count() {
    let (_, one, _) = run(&["extract", "samples", "tests/fixtures", "--jobs", "1"]);
    let (_, four, _) = run(&["extract", "samples", "tests/fixtures", "--jobs", "4"]);
    assert!(one.lines().count() > 30);
    assert_eq!(one, four);
}

#[test]
fn malformed_rules_are_reported_and_refused() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path();
    std::fs::create_dir(rules.join("attribution")).unwrap();
    std::fs::write(rules.join("attribution/a.toml"), "[[rule]]\nid = \"a.b\"\npattern = '''(?P<cue>'said'''\n").unwrap();
    let (code, _, err) = run(&["extract", "samples", "--rules", rules.to_str().unwrap()]);
    assert_eq!(code, 2);
    let file = rules.join("attribution/a.toml");
    assert!(err.contains(&format!("{}:3:11: a.b:", file.display())), "{err}");

    let (code, out, _) = run(&["check-rules", rules.to_str().unwrap()]);
    assert_eq!((code, out.as_str()), (2, ""));
}

#[test]
fn check_rules_passes_on_the_shipped_rules() {
    let (code, out, _) = run(&["check-rules"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.trim_end().ends_with("0 failed"), "{out}");
    let (code, out, _) = run(&["check-rules", "rules"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string(common::root().join("samples/001_5198655f2d8a8af8.txt")).unwrap();
    for i in 0..200 {
        std::fs::write(dir.path().join(format!("{i:03}.txt")), &sample).unwrap();
    }
    let mut child = whosaid(&["extract", dir.path().to_str().unwrap()]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut first = [0u8; 64];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "exit {:?}: {}", out.status, String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn xlsx_is_a_workbook_of_typed_cells() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("rows.xlsx");
    let (code, _, err) = run(&["extract", "samples", "--format", "xlsx", "-o", target.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&target).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let sheet = read("xl/worksheets/sheet1.xml");
    let strings = read("xl/sharedStrings.xml");
    let (_, jsonl, _) = run(&["extract", "samples"]);
    let rows = jsonl.lines().count();
    assert_eq!(sheet.matches("<row ").count(), rows + 1, "a header and one row per statement");
    assert!(strings.contains("FM Ashkenazi") && strings.contains("content_spans"));
    assert!(!sheet.contains("<f>"), "no formulas");
    let column = whosaid::writers::CSV_COLUMNS.iter().position(|c| *c == "speaker_start").unwrap();
    let cell = format!("{}2", (b'A' + column as u8) as char);
    assert!(sheet.contains(&format!(r#"<c r="{cell}"><v>104</v></c>"#)) || sheet.contains(&format!(r#"<c r="{cell}" t="n"><v>104</v></c>"#)), "offsets are numbers");
}
