//! `whosaid extract PATH...`: the statements of articles, as a table.

use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use whosaid::writers::{Columns, RowWriter};
use whosaid::{Document, Extractor, Row, groups, ordered_map};

use super::output::{Output, Tally, finish, open_writer};
use super::{FormatArg, InputArgs, OffsetArg, RuleArgs};

#[derive(Debug, Args)]
pub struct ExtractArgs {
    #[command(flatten)]
    pub(super) input: InputArgs,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "jsonl")]
    pub(super) format: FormatArg,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub(super) output: Option<PathBuf>,
    /// Documents processed in parallel [default: all cores]. The output is the same for any N.
    #[arg(short, long, value_name = "N")]
    pub(super) jobs: Option<usize>,
    /// Unit of the offsets in the output.
    #[arg(long, value_enum, default_value = "chars")]
    pub(super) offsets: OffsetArg,
    /// Fill the `group` column (statements of one utterance across documents share it). Rows
    /// are then held until every document is read, instead of streaming.
    #[arg(long)]
    pub(super) group: bool,
    #[command(flatten)]
    pub(super) rules: RuleArgs,
}

/// The threads to use: `--jobs`, or all cores.
pub fn jobs(arg: Option<usize>) -> usize {
    arg.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1)
}

/// Runs `work` on every document of `input` on `jobs` threads and hands the results to `sink`
/// in input order. A document that cannot be read, or whose extraction panics (a bug), is
/// reported on standard error, counted in `tally`, and the run goes on.
pub fn for_each_document<U: Send>(
    input: InputArgs,
    jobs: usize,
    tally: &mut Tally,
    work: impl Fn(&Document) -> U + Sync,
    mut sink: impl FnMut(U) -> io::Result<()>,
) -> io::Result<()> {
    ordered_map(
        input.documents(),
        jobs,
        |doc| match doc {
            Ok(doc) => catch_unwind(AssertUnwindSafe(|| work(&doc)))
                .map_err(|_| format!("{}: internal error while extracting (a bug; please report it)", doc.source)),
            Err(e) => Err(e.to_string()),
        },
        |outcome| {
            tally.inputs += 1;
            match outcome {
                Ok(u) => sink(u),
                Err(msg) => {
                    tally.failed += 1;
                    eprintln!("whosaid: {msg}");
                    Ok(())
                }
            }
        },
    )
}

/// The extractor and the output writer of records described by `columns`, or the exit code
/// after reporting why there is none.
pub fn open(args: &ExtractArgs, columns: Columns) -> Result<(Extractor, RowWriter<Output>), ExitCode> {
    let extractor = Extractor::new(args.rules.load(jobs(args.jobs))?).with_offsets(args.offsets.into());
    Ok((extractor, open_writer(args.format.into(), columns, args.output.as_deref())?))
}

pub fn run(args: ExtractArgs) -> ExitCode {
    let (extractor, mut writer) = match open(&args, Columns::rows()) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let jobs = jobs(args.jobs);
    let mut tally = Tally::default();
    let mut held: Vec<Row> = Vec::new();
    let mut n_rows = 0;
    let result = for_each_document(
        args.input,
        jobs,
        &mut tally,
        |doc| extractor.extract(doc),
        |rows| {
            n_rows += rows.len();
            if args.group {
                held.extend(rows);
                Ok(())
            } else {
                writer.write(&rows)
            }
        },
    );
    tally.rows = n_rows;
    let result = result.and_then(|()| {
        if args.group {
            groups::assign(&extractor.rules().grouping, &mut held, jobs);
            writer.write(&held)?;
        }
        Ok(())
    });
    finish(result, writer, &tally)
}
