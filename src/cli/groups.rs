//! `whosaid groups PATH...`: who reported what. One record per statement group, the group ×
//! outlet matrix, or the articles that copy another.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use serde::Serialize;
use whosaid::writers::{Columns, Format};
use whosaid::groups::report::{self, GroupRecord};
use whosaid::groups::{self, Copies, Sketch, Statement};
use whosaid::{Extractor, Row};

use super::extract::{for_each_document, jobs};
use super::output::{Tally, finish, open_writer};
use super::{FormatArg, InputArgs, RuleArgs};

#[derive(Debug, Args)]
pub struct GroupsArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Documents processed (and statements matched) in parallel [default: all cores]. The
    /// output is the same for any N.
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
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
    let jobs = jobs(args.jobs);
    let rules = match args.rules.load(jobs) {
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
        let read = for_each_document(
            args.input,
            jobs,
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
    match copies.pairs.len() {
        _ if args.copies => {}
        0 => {}
        1 => eprintln!("whosaid: 1 article is a copy of another; `whosaid groups --copies` shows it"),
        n => eprintln!("whosaid: {n} articles are copies of others; `whosaid groups --copies` lists them"),
    }
    let out = Out { format: args.format.into(), path: args.output.as_deref(), tally: &tally };
    if args.statements {
        groups::assign(grouping, &mut rows, jobs);
        return out.emit(Columns::rows(), &rows);
    }
    let statements: Vec<Statement> = rows.iter().map(Statement::of).collect();
    let found = groups::group(grouping, &statements, jobs);
    if args.copies {
        return out.emit(report::copy_columns(), &copies.pairs);
    }
    if args.matrix {
        let (columns, records) = report::matrix(&statements, &found, args.min_docs);
        return out.emit(columns, &records);
    }
    out.emit(GroupRecord::columns(), &report::records(&statements, &found, &copies, args.min_docs))
}

/// Where the command's output goes, and what the run read.
struct Out<'a> {
    format: Format,
    path: Option<&'a Path>,
    tally: &'a Tally,
}

impl Out<'_> {
    /// Writes `records` and ends the run.
    fn emit<T: Serialize>(&self, columns: Columns, records: &[T]) -> ExitCode {
        match open_writer(self.format, columns, self.path) {
            Ok(mut w) => {
                let result = w.write(records);
                finish(result, w, self.tally)
            }
            Err(code) => code,
        }
    }
}
