//! `whosaid text PATH...`: documents as the pipeline sees them, furniture marked.

use std::io::{self, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;

use clap::Args;
use whosaid::page::Furniture;
use whosaid::{Extractor, Page};

use super::output::write_failed;
use super::{InputArgs, OffsetArg, RuleArgs};

#[derive(Debug, Args)]
pub struct TextArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Print only the text that offsets refer to (for HTML, the extracted text), unmarked.
    #[arg(long)]
    plain: bool,
    /// Unit of the paragraph offsets shown.
    #[arg(long, value_enum, default_value = "chars")]
    offsets: OffsetArg,
    #[command(flatten)]
    rules: RuleArgs,
}

pub fn run(args: TextArgs) -> ExitCode {
    let rules = match args.rules.load(1) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let extractor = Extractor::new(rules).with_offsets(args.offsets.into());
    let mut out = io::BufWriter::new(io::stdout().lock());
    let (mut inputs, mut failed) = (0usize, 0usize);
    for doc in args.input.documents() {
        inputs += 1;
        let page = doc.map_err(|e| e.to_string()).and_then(|doc| {
            if args.plain {
                return Ok((doc, None));
            }
            match catch_unwind(AssertUnwindSafe(|| extractor.page(&doc))) {
                Ok(page) => Ok((doc, Some(page))),
                Err(_) => Err(format!("{}: internal error while reading the page (a bug; please report it)", doc.source)),
            }
        });
        let written = match page {
            Ok((doc, None)) => out.write_all(doc.text.as_bytes()).and_then(|()| if doc.text.ends_with('\n') { Ok(()) } else { out.write_all(b"\n") }),
            Ok((doc, Some(page))) => write_page(&mut out, &doc.id, &doc.source, &page),
            Err(msg) => {
                failed += 1;
                eprintln!("whosaid: {msg}");
                Ok(())
            }
        };
        if let Err(e) = written.and_then(|()| out.flush()) {
            return write_failed(&e);
        }
    }
    if failed > 0 {
        eprintln!("whosaid: {failed} of {inputs} inputs failed");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// The page: a header with the metadata, then one line per paragraph: its start offset, its
/// mark (blank for article text; a repeat or list item points at the paragraph it repeats or
/// its list's heading), and its text. A legend explains the marks used.
fn write_page(out: &mut impl Write, id: &str, source: &str, page: &Page) -> io::Result<()> {
    writeln!(out, "== {id} ({source})")?;
    let m = &page.meta;
    for (name, value) in [("title", &m.title), ("outlet", &m.outlet), ("published", &m.published), ("author", &m.author), ("url", &m.url)] {
        writeln!(out, "{name:<10} {}", value.as_deref().unwrap_or("-"))?;
    }
    writeln!(out)?;
    let mark = |f: &Furniture| match f.refers_to {
        Some(at) => format!("{} ^{at}", f.label),
        None => f.label.clone(),
    };
    let marks: Vec<String> = page.paragraphs.iter().map(|p| p.furniture.as_ref().map(mark).unwrap_or_default()).collect();
    let width = marks.iter().map(|m| m.chars().count()).max().unwrap_or(0);
    let mut legend: Vec<&Furniture> = Vec::new();
    for (p, mark) in page.paragraphs.iter().zip(&marks) {
        let mut lines = p.text.lines();
        writeln!(out, "{:>7}  {mark:<width$}  {}", p.start, lines.next().unwrap_or(""))?;
        for line in lines {
            writeln!(out, "{:>7}  {:<width$}  {line}", "", "")?;
        }
        if let Some(f) = &p.furniture
            && !legend.iter().any(|l| l.label == f.label)
        {
            legend.push(f);
        }
    }
    if !legend.is_empty() {
        writeln!(out)?;
        let width = legend.iter().map(|f| f.label.chars().count()).max().unwrap_or(0);
        for f in legend {
            writeln!(out, "{:<width$}  {}", f.label, f.why)?;
        }
    }
    writeln!(out)
}
