//! Embeds the shipped `rules/` tree into the binary so `whosaid` works from any directory.
//!
//! Generates `$OUT_DIR/builtin_rules.rs`: a sorted slice of `(relative path, contents)` with
//! every `.toml` file below `rules/`, each through `include_str!` so cargo tracks the files.

use std::fs;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, root: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, root, out);
        } else if path.extension().is_some_and(|x| x == "toml") {
            out.push(path.strip_prefix(root).expect("below root").to_path_buf());
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir"));
    let root = manifest.join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    let mut code = String::from("/// The shipped rule files: (path relative to `rules/`, contents).\n");
    code.push_str("pub static BUILTIN_RULES: &[(&str, &str)] = &[\n");
    for rel in &files {
        let rel_str = rel.to_string_lossy().replace('\\', "/");
        println!("cargo:rerun-if-changed=rules/{rel_str}");
        code.push_str(&format!(
            "    ({:?}, include_str!({:?})),\n",
            rel_str,
            root.join(rel).to_string_lossy()
        ));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("out dir")).join("builtin_rules.rs");
    fs::write(out, code).expect("write builtin_rules.rs");
}
