//! `whosaid extract PATH...`: the statements of articles, as a table.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use whosaid::writers::RowWriter;
use whosaid::{Extractor, Row, ordered_map};

use super::output::{Output, write_failed};
use super::{FormatArg, InputArgs, OffsetArg, RuleArgs};

#[derive(Debug, Args)]
pub struct ExtractArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "jsonl")]
    format: FormatArg,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Documents processed in parallel [default: all cores]. The output is the same for any N.
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    /// Unit of the offsets in the output.
    #[arg(long, value_enum, default_value = "chars")]
    offsets: OffsetArg,
    #[command(flatten)]
    rules: RuleArgs,
}

/// What became of one input.
enum Outcome {
    Rows(Vec<Row>),
    Failed(String),
}

pub fn run(args: ExtractArgs) -> ExitCode {
    let rules = match args.rules.load() {
        Ok(r) => r,
        Err(code) => return code,
    };
    let extractor = Extractor::new(rules).with_offsets(args.offsets.into());
    let out = match Output::open(args.output.as_deref()) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("whosaid: cannot write {}: {e}", args.output.as_deref().unwrap_or("-".as_ref()).display());
            return ExitCode::from(2);
        }
    };
    let mut writer = match RowWriter::new(args.format.into(), out) {
        Ok(w) => w,
        Err(e) => return write_failed(&e),
    };
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let docs = args.input.documents();
    let (mut inputs, mut failed, mut rows) = (0usize, 0usize, 0usize);
    let result = ordered_map(
        docs,
        jobs,
        |doc| match doc {
            Ok(doc) => match catch_unwind(AssertUnwindSafe(|| extractor.extract(&doc))) {
                Ok(rows) => Outcome::Rows(rows),
                Err(_) => Outcome::Failed(format!("{}: internal error while extracting (a bug; please report it)", doc.source)),
            },
            Err(e) => Outcome::Failed(e.to_string()),
        },
        |outcome| {
            inputs += 1;
            match outcome {
                Outcome::Rows(r) => {
                    rows += r.len();
                    writer.write(&r)
                }
                Outcome::Failed(msg) => {
                    failed += 1;
                    eprintln!("whosaid: {msg}");
                    Ok(())
                }
            }
        },
    );
    let finished = result.and_then(|()| writer.finish()).and_then(Output::commit);
    if let Err(e) = finished {
        return write_failed(&e);
    }
    if failed > 0 {
        eprintln!("whosaid: {failed} of {inputs} inputs failed; {rows} rows from the other {}", inputs - failed);
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
