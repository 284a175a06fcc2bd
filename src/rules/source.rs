//! Rule files as text, and errors that point into them.

use std::fmt;
use std::path::Path;

use serde::de::DeserializeOwned;

/// One rule file: its path relative to the rule set's root and its contents.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

impl SourceFile {
    /// 1-based line and column (in characters) of byte offset `at`.
    pub fn line_col(&self, at: usize) -> (usize, usize) {
        let at = at.min(self.text.len());
        let before = &self.text[..at];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    }

    /// An error located at byte offset `at` of this file.
    pub fn error(&self, at: usize, rule: Option<&str>, message: impl Into<String>) -> RuleError {
        let (line, column) = self.line_col(at);
        RuleError { file: self.path.clone(), line, column, rule: rule.map(str::to_owned), message: message.into() }
    }

    /// Parses the file as `T`, turning TOML and schema errors into located errors.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, RuleError> {
        toml::from_str(&self.text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            self.error(at, None, e.message().trim().to_owned())
        })
    }
}

/// A problem in a rule set, reported as `file:line:column: rule id: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct RuleError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The id of the rule, fragment or entry concerned, when there is one.
    pub rule: Option<String>,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if let Some(rule) = &self.rule {
            write!(f, "{rule}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// All the problems found in a rule set (never empty).
#[derive(Debug, Clone, thiserror::Error)]
pub struct RuleErrors(pub Vec<RuleError>);

impl fmt::Display for RuleErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// Reads every `.toml` file below `dir`, sorted by path, as rule sources.
pub fn read_dir(dir: &Path) -> Result<Vec<SourceFile>, RuleErrors> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<SourceFile>, errors: &mut Vec<RuleError>) {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                errors.push(RuleError { file: dir.display().to_string(), line: 0, column: 0, rule: None, message: e.to_string() });
                return;
            }
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            if path.is_dir() {
                walk(&path, root, out, errors);
            } else if path.extension().is_some_and(|x| x == "toml") {
                let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                match std::fs::read_to_string(&path) {
                    Ok(text) => out.push(SourceFile { path: rel, text }),
                    Err(e) => errors.push(RuleError { file: path.display().to_string(), line: 0, column: 0, rule: None, message: e.to_string() }),
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    walk(dir, dir, &mut out, &mut errors);
    if !errors.is_empty() {
        return Err(RuleErrors(errors));
    }
    if out.is_empty() {
        return Err(RuleErrors(vec![RuleError {
            file: dir.display().to_string(),
            line: 0,
            column: 0,
            rule: None,
            message: "no .toml rule files in this directory".into(),
        }]));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_errors() {
        let f = SourceFile { path: "x.toml".into(), text: "a = 1\nb = \"é\" c\n".into() };
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(10), (2, 5));
        let err = f.parse::<toml::Table>().unwrap_err();
        assert_eq!((err.line, err.file.as_str()), (2, "x.toml"));
        assert!(err.to_string().starts_with("x.toml:2:"), "{err}");
    }
}
