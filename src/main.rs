//! The `whosaid` command line; all the work is in the library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
