//! Where output goes: standard output, or a file written atomically.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use whosaid::writers::{Columns, Format, RowWriter};

/// Standard output, or a temporary file beside the target that replaces it only when complete,
/// so a failed run never leaves half a file where a good one was.
pub enum Output {
    Stdout(BufWriter<io::Stdout>),
    File(BufWriter<tempfile::NamedTempFile>, PathBuf),
}

impl Output {
    pub fn open(path: Option<&Path>) -> io::Result<Output> {
        let Some(path) = path else {
            return Ok(Output::Stdout(BufWriter::with_capacity(1 << 16, io::stdout())));
        };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let tmp = tempfile::Builder::new().prefix(".whosaid-").suffix(".tmp").tempfile_in(dir)?;
        // A temporary file is private; the output should read like any file the user writes.
        let permissions = match std::fs::metadata(path) {
            Ok(m) => m.permissions(),
            Err(_) => default_permissions(),
        };
        tmp.as_file().set_permissions(permissions)?;
        Ok(Output::File(BufWriter::with_capacity(1 << 16, tmp), path.to_path_buf()))
    }

    /// Flushes, and for a file moves it into place.
    pub fn commit(self) -> io::Result<()> {
        match self {
            Output::Stdout(mut w) => w.flush(),
            Output::File(w, path) => {
                let tmp = w.into_inner().map_err(|e| e.into_error())?;
                tmp.persist(&path).map_err(|e| e.error)?;
                Ok(())
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(w) => w.write(buf),
            Output::File(w, _) => w.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(w) => w.flush(),
            Output::File(w, _) => w.flush(),
        }
    }
}

#[cfg(unix)]
fn default_permissions() -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    std::fs::Permissions::from_mode(0o644)
}

#[cfg(not(unix))]
fn default_permissions() -> std::fs::Permissions {
    tempfile::tempfile().and_then(|f| f.metadata()).map(|m| m.permissions()).expect("a temporary file")
}

/// How many inputs a run read, how many of them failed, and the rows the others gave.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub inputs: usize,
    pub failed: usize,
    pub rows: usize,
}

/// A writer of `columns` in `format` to `path` (standard output when `None`), or the exit
/// code after reporting why there is none.
pub fn open_writer(format: Format, columns: Columns, path: Option<&Path>) -> Result<RowWriter<Output>, ExitCode> {
    let out = Output::open(path).map_err(|e| {
        eprintln!("whosaid: cannot write {}: {e}", path.unwrap_or("-".as_ref()).display());
        ExitCode::from(2)
    })?;
    RowWriter::with_columns(format, columns, out).map_err(|e| write_failed(&e))
}

/// Ends the output and turns the run into an exit code: 2 when the output could not be
/// written, 1 when an input failed (with a one-line summary), 0 otherwise.
pub fn finish(result: io::Result<()>, writer: RowWriter<Output>, tally: &Tally) -> ExitCode {
    if let Err(e) = result.and_then(|()| writer.finish()).and_then(Output::commit) {
        return write_failed(&e);
    }
    if tally.failed > 0 {
        let Tally { inputs, failed, rows } = tally;
        eprintln!("whosaid: {failed} of {inputs} inputs failed; {rows} rows from the other {}", inputs - failed);
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// A reader that went away (`whosaid … | head`) is not a failure.
pub fn is_broken_pipe(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::BrokenPipe
}

/// How a run ends when its output cannot be written: successfully if the reader went away,
/// otherwise with the error reported and exit status 2.
pub fn write_failed(e: &io::Error) -> ExitCode {
    if is_broken_pipe(e) {
        return ExitCode::SUCCESS;
    }
    eprintln!("whosaid: cannot write output: {e}");
    ExitCode::from(2)
}
