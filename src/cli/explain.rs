//! `whosaid explain PATH...`: every row with the rule that found it and the resolution step
//! that chose its speaker, for a reader checking the table.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use whosaid::ingest::{self, IngestOptions};
use whosaid::{Explanation, Extractor};

use super::output::is_broken_pipe;
use super::{OffsetArg, RuleArgs};

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Files or directories to read (directories recursively, sorted); - reads standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Unit of the offsets shown.
    #[arg(long, value_enum, default_value = "chars")]
    offsets: OffsetArg,
    #[command(flatten)]
    rules: RuleArgs,
}

pub fn run(args: ExplainArgs) -> ExitCode {
    let rules = match args.rules.load(1) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let extractor = Extractor::new(rules).with_offsets(args.offsets.into());
    let mut out = BufWriter::new(io::stdout().lock());
    let mut failed = 0;
    for doc in ingest::documents(args.paths, IngestOptions::default()) {
        let written = match doc {
            Ok(doc) => extractor.explain(&doc).iter().enumerate().try_for_each(|(i, e)| write_one(&mut out, i + 1, e)),
            Err(e) => {
                failed += 1;
                eprintln!("whosaid: {e}");
                Ok(())
            }
        };
        match written.and_then(|()| out.flush()) {
            Err(e) if is_broken_pipe(&e) => return ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("whosaid: cannot write output: {e}");
                return ExitCode::from(2);
            }
            Ok(()) => {}
        }
    }
    if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn write_one(out: &mut impl Write, n: usize, e: &Explanation) -> io::Result<()> {
    let r = &e.row;
    let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    writeln!(out, "{} #{n}  {}  content {}-{}", r.source, r.kind.as_str(), r.content_start, r.content_end)?;
    writeln!(out, "  rule       {}: {}", r.rule, e.rule)?;
    writeln!(out, "  content    {}", one_line(&r.content))?;
    writeln!(out, "  cue        {} [{}-{}]", one_line(&r.cue), r.cue_start, r.cue_end)?;
    if let (Some(m), Some(s), Some(end)) = (&r.speaker_mention, r.speaker_start, r.speaker_end) {
        writeln!(out, "  mention    {} [{s}-{end}]", one_line(m))?;
    }
    if let (Some(name), Some(kind)) = (&r.speaker, r.speaker_type) {
        let mut about = vec![kind.as_str().to_owned()];
        about.extend(r.speaker_role.clone());
        about.extend(r.speaker_id.clone());
        writeln!(out, "  speaker    {name} ({})", about.join("; "))?;
    }
    if let Some(step) = e.step {
        writeln!(out, "  step       {}: {}", step.as_str(), step.rule())?;
    }
    if let Some((text, s, end)) = &e.basis {
        writeln!(out, "  bound to   {} [{s}-{end}]", one_line(text))?;
    }
    if let Some(via) = &r.via {
        writeln!(out, "  via        {via}")?;
    }
    if let Some(to) = &r.addressee {
        match e.addressee_mention.as_deref().filter(|m| m != to) {
            Some(m) => writeln!(out, "  addressee  {to} (written {})", one_line(m))?,
            None => writeln!(out, "  addressee  {to}")?,
        }
    }
    writeln!(out)
}
