//! `whosaid eval GOLD_DIR`: extract annotated articles and score the rows against the gold.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use whosaid::Extractor;
use whosaid::eval::{self, GoldCorpus};

use super::RuleArgs;

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Directory of <stem>.txt articles with brat standoff annotations <stem>.ann (PolNeAR format).
    #[arg(value_name = "GOLD_DIR")]
    gold: PathBuf,
    /// Add a breakdown by publisher (the file name up to its first underscore).
    #[arg(long)]
    by_publisher: bool,
    /// Print the figures as JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Documents processed in parallel [default: all cores]. The figures are the same for any N.
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    #[command(flatten)]
    rules: RuleArgs,
}

pub fn run(args: EvalArgs) -> ExitCode {
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let rules = match args.rules.load(jobs) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let corpus = match GoldCorpus::open(&args.gold) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("whosaid: {e}");
            return ExitCode::from(2);
        }
    };
    let result = eval::evaluate(&Extractor::new(rules), &corpus, jobs, args.by_publisher);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&result.report).expect("figures serialise"));
    } else {
        let rules = args.rules.rules.as_ref().map_or_else(|| "built-in rules".to_owned(), |d| format!("rules {}", d.display()));
        print!("{}", result.report.table(&format!("gold={}  pred=whosaid ({rules})", args.gold.display())));
    }
    if let Some(first) = result.warnings.first() {
        eprintln!("warning: {} gold warnings, e.g. {first}", result.warnings.len());
    }
    for e in &result.errors {
        eprintln!("whosaid: {e}");
    }
    if result.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!("whosaid: {} of {} documents could not be read; the figures leave them out", result.errors.len(), corpus.len());
        ExitCode::from(1)
    }
}
