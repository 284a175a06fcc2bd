//! `whosaid positions PATH...`: where each speaker stands on each topic.

use std::process::ExitCode;

use whosaid::positions::{Position, Positions};

use super::extract::{ExtractArgs, for_each_document, jobs, open};
use super::output::{Tally, finish};

pub fn run(args: ExtractArgs) -> ExitCode {
    let (extractor, mut writer) = match open(&args, Position::columns()) {
        Ok(x) => x,
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
