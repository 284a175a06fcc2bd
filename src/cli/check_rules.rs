//! `whosaid check-rules [DIR]`: validate a rule set and run its examples.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use whosaid::{Extractor, check};

use super::RuleArgs;

#[derive(Debug, Args)]
pub struct CheckRulesArgs {
    /// The rule set to check (default: the built-in one).
    dir: Option<PathBuf>,
}

pub fn run(args: CheckRulesArgs) -> ExitCode {
    let rules = match (RuleArgs { rules: args.dir }).load(1) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let n_rules = rules.patterns.rules.len();
    let report = check::check(&Extractor::new(rules));
    for f in &report.failures {
        println!("{f}");
    }
    println!("{n_rules} rules, {} examples, {} failed", report.examples, report.failures.len());
    if report.failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) }
}
