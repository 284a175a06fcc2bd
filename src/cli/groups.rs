//! `whosaid groups PATH...`: who reported what. One record per statement group, the group ×
//! outlet matrix, or the articles that copy another.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use serde::Serialize;
use whosaid::writers::Columns;
use whosaid::groups::report::{self, GroupRecord};
use whosaid::groups::{self, Copies, Sketch, Statement};
use whosaid::{Extractor, Row};

use super::extract::InputArgs;
use super::output::{Tally, finish, open_writer};
use super::{FormatArg, RuleArgs};

#[derive(Debug, Args)]
pub struct GroupsArgs {
    #[command(flatten)]
    input: InputArgs,
    /// The PATHs hold statements as `whosaid extract` writes them (JSON Lines; - for standard
    /// input), not articles: regroup an extraction without reading the articles again. Copies
    /// of whole articles are found only from articles.
    #[arg(long)]
    rows: bool,
    /// One row per group and one column per outlet; a cell holds the earliest date the outlet
    /// carried the statement ("undated" when its documents have no date), or nothing.
    #[arg(long, group = "view")]
    matrix: bool,
    /// List the articles that are copies of another (wire copy) instead of the groups.
    #[arg(long, group = "view")]
    copies: bool,
    /// Write the statements themselves, each with its `group` (as `extract --group` does).
    #[arg(long, group = "view")]
    statements: bool,
    /// Only groups reported in at least N documents.
    #[arg(long, value_name = "N", default_value_t = 1)]
    min_docs: usize,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "jsonl")]
    format: FormatArg,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    rules: RuleArgs,
}

/// Reads the statements of one JSON Lines file (`-` for standard input) into `rows`. A line
/// that is not a statement is reported with its place and skipped; the result says whether
/// the whole file was read.
fn read_rows(path: &Path, rows: &mut Vec<Row>) -> bool {
    let name = path.display();
    let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
        Box::new(io::stdin().lock())
    } else {
        match File::open(path) {
            Ok(f) => Box::new(BufReader::new(f)),
            Err(e) => {
                eprintln!("whosaid: {name}: cannot read: {e}");
                return false;
            }
        }
    };
    let mut whole = true;
    for (n, line) in reader.lines().enumerate() {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                eprintln!("whosaid: {name}:{}: cannot read: {e}", n + 1);
                return false;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Row>(&line) {
            Ok(row) => rows.push(row),
            Err(e) => {
                eprintln!("whosaid: {name}:{}: not a statement row: {e}", n + 1);
                whole = false;
            }
        }
    }
    whole
}

pub fn run(args: GroupsArgs) -> ExitCode {
    let rules = match args.rules.load() {
        Ok(r) => r,
        Err(code) => return code,
    };
    let extractor = Extractor::new(rules);
    let grouping = &extractor.rules().grouping;
    let mut tally = Tally::default();
    let mut rows: Vec<Row> = Vec::new();
    let mut sketches: Vec<Sketch> = Vec::new();
    if args.rows {
        for path in &args.input.paths {
            tally.inputs += 1;
            if !read_rows(path, &mut rows) {
                tally.failed += 1;
            }
        }
    } else {
        let read = args.input.for_each_document(
            &mut tally,
            |doc| extractor.extract_and_sketch(doc),
            |(r, s)| {
                rows.extend(r);
                sketches.push(s);
                Ok(())
            },
        );
        if let Err(e) = read {
            eprintln!("whosaid: {e}");
            return ExitCode::from(2);
        }
    }
    tally.rows = rows.len();
    let copies = Copies::find(&sketches, &grouping.copies);
    if !args.copies && !copies.pairs.is_empty() {
        eprintln!("whosaid: {} articles are copies of another; `whosaid groups --copies` lists them", copies.pairs.len());
    }
    if args.statements {
        groups::assign(grouping, &mut rows, args.input.jobs());
        return emit(&args, Columns::rows(), &rows, &tally);
    }
    let statements: Vec<Statement> = rows.iter().map(Statement::of).collect();
    let found = groups::group(grouping, &statements, args.input.jobs());
    if args.copies {
        return emit(&args, report::copy_columns(), &copies.pairs, &tally);
    }
    if args.matrix {
        let (columns, records) = report::matrix(&statements, &found, args.min_docs);
        return emit(&args, columns, &records, &tally);
    }
    emit(&args, GroupRecord::columns(), &report::records(&statements, &found, &copies, args.min_docs), &tally)
}

/// Writes `records` as the command's output and ends the run.
fn emit<T: Serialize>(args: &GroupsArgs, columns: Columns, records: &[T], tally: &Tally) -> ExitCode {
    match open_writer(args.format.into(), columns, args.output.as_deref()) {
        Ok(mut w) => {
            let result = w.write(records);
            finish(result, w, tally)
        }
        Err(code) => code,
    }
}
