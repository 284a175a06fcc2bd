//! `whosaid positions PATH...`: where each speaker stands on each topic.

use std::cell::RefCell;
use std::process::ExitCode;

use whosaid::positions::{Position, Positions};

use super::extract::{ExtractArgs, run_with};

pub fn run(args: ExtractArgs) -> ExitCode {
    // Both closures need the tally: the first adds to it, the second writes it out.
    let positions = RefCell::new(Positions::default());
    run_with::<Position>(
        args,
        |rows, _| {
            positions.borrow_mut().add(&rows);
            Ok(())
        },
        |writer| writer.write(&positions.take().finish()),
    )
}
