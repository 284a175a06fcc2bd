//! `whosaid positions PATH...`: where each speaker stands on each topic.

use std::process::ExitCode;

use whosaid::Extractor;
use whosaid::positions::{Position, Positions};

use super::extract::{ExtractArgs, for_each_document, jobs};
use super::output::{Tally, finish, open_writer};

pub fn run(args: ExtractArgs) -> ExitCode {
    let rules = match args.rules.load() {
        Ok(r) => r,
        Err(code) => return code,
    };
    let extractor = Extractor::new(rules).with_offsets(args.offsets.into());
    let mut writer = match open_writer(args.format.into(), Position::columns(), args.output.as_deref()) {
        Ok(w) => w,
        Err(code) => return code,
    };
    let mut tally = Tally::default();
    let mut positions = Positions::default();
    let mut n_rows = 0;
    let result = for_each_document(args.input, jobs(args.jobs), &mut tally, |doc| extractor.extract(doc), |rows| {
        n_rows += rows.len();
        positions.add(&rows);
        Ok(())
    });
    tally.rows = n_rows;
    let result = result.and_then(|()| writer.write(&positions.finish()));
    finish(result, writer, &tally)
}
