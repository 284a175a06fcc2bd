//! Command-line parsing and the subcommands.

mod check_rules;
mod explain;
mod eval;
mod extract;
mod groups;
mod output;
mod positions;
mod text;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use whosaid::ingest::{self, IngestOptions};
use whosaid::{Document, InputError, OffsetUnit, RuleSet, writers::Format};

/// Who said what, where: a speaker-to-statement table from news articles.
#[derive(Debug, Parser)]
#[command(name = "whosaid", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Extract statements from articles (files, directories, or - for standard input).
    Extract(extract::ExtractArgs),
    /// Where each speaker stands on each topic: stance counts, dates and the statements behind them.
    Positions(extract::ExtractArgs),
    /// Who reported what: statements of one utterance across articles as groups, the
    /// group × outlet matrix, or the articles that copy another.
    Groups(groups::GroupsArgs),
    /// Show documents as the pipeline sees them: metadata, and each paragraph with its
    /// furniture mark (why it is skipped).
    Text(text::TextArgs),
    /// Show for every row the rule that found it and how its speaker was resolved.
    Explain(explain::ExplainArgs),
    /// Validate a rule set and run all its examples.
    CheckRules(check_rules::CheckRulesArgs),
    /// Measure the rules on annotated articles (brat standoff, the PolNeAR format).
    Eval(eval::EvalArgs),
}

/// The inputs of the commands that read documents.
#[derive(Debug, Args)]
struct InputArgs {
    /// Files or directories to read (directories recursively, sorted: .txt, .html, .htm,
    /// .jsonl, .ndjson); - reads standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Refuse input files (and JSON Lines records) larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = IngestOptions::default().max_bytes)]
    max_bytes: u64,
}

impl InputArgs {
    /// The documents, read lazily.
    fn documents(self) -> impl Iterator<Item = Result<Document, InputError>> + Send {
        ingest::documents(self.paths, IngestOptions { max_bytes: self.max_bytes })
    }
}

/// Options shared by the commands that extract.
#[derive(Debug, Args)]
struct RuleArgs {
    /// Use the rule set in DIR instead of the built-in one.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
}

impl RuleArgs {
    /// The rule set to use, compiled on up to `threads` threads, or the errors (already
    /// printed) that prevent it.
    fn load(&self, threads: usize) -> Result<RuleSet, ExitCode> {
        let loaded = RuleSet::load(self.rules.as_deref(), threads);
        loaded.map_err(|errors| {
            for e in &errors.0 {
                eprintln!("{e}");
            }
            eprintln!("whosaid: the rule set has {} error(s)", errors.0.len());
            ExitCode::from(2)
        })
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Csv,
    Jsonl,
    Json,
    Table,
    /// An Excel workbook (write it with -o FILE.xlsx or redirect standard output).
    Xlsx,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Csv => Format::Csv,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Json => Format::Json,
            FormatArg::Table => Format::Table,
            FormatArg::Xlsx => Format::Xlsx,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum OffsetArg {
    /// Unicode code points.
    Chars,
    /// UTF-8 bytes.
    Bytes,
}

impl From<OffsetArg> for OffsetUnit {
    fn from(o: OffsetArg) -> OffsetUnit {
        match o {
            OffsetArg::Chars => OffsetUnit::Chars,
            OffsetArg::Bytes => OffsetUnit::Bytes,
        }
    }
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Positions(args) => positions::run(args),
        Command::Groups(args) => groups::run(args),
        Command::Text(args) => text::run(args),
        Command::Explain(args) => explain::run(args),
        Command::CheckRules(args) => check_rules::run(args),
        Command::Eval(args) => eval::run(args),
    }
}
