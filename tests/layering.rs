//! The layering check: no module imports a module later in the pipeline, and no stage
//! imports a driver. ARCHITECTURE.md draws the order; this test keeps the code to it.
//!
//! Every module has a rank. A `crate::…` path in a module's code (tests excluded) may
//! name only modules of a lower rank, so the imports between modules form no circle.

use std::collections::BTreeSet;
use std::path::Path;

/// The modules in pipeline order, lowest first. A module is a top-level module of the
/// crate, or one of the drivers under `driver/`.
const LAYERS: &[&[&str]] = &[
    // Shared by every stage: facts about text, positions and paths, no stage logic.
    &["diagnostic"],
    &["text"],
    &["escape"],
    &["url"],
    &["files"],
    &["config"],
    &["paths"],
    // The stages, in the order data flows.
    &["load"],
    &["parse"],
    &["model"],
    &["history"],
    &["link"],
    &["render"],
    &["write"],
    // The drivers: each runs the stages for one command.
    &["driver::report"],
    &["driver::build"],
    &["driver::ci"],
    &["driver::scaffold"],
    &[
        "driver::check",
        "driver::serve",
        "driver::detect",
        "driver::diff",
    ],
    &["driver::cli"],
    &["driver"],
];

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The module a source file belongs to (`src/link/owners.rs` → `link`,
/// `src/driver/serve/http.rs` → `driver::serve`).
fn module_of(rel: &Path) -> String {
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    match parts.as_slice() {
        [top, sub, ..] if top == "driver" && sub != "mod" => format!("driver::{sub}"),
        [top, ..] => top.clone(),
        [] => String::new(),
    }
}

/// The modules a file's code names through `crate::`, outside its tests.
fn imports(code: &str) -> BTreeSet<String> {
    // Unit tests sit at the end of a file, after `#[cfg(test)]`; they may reach
    // anywhere (a render test builds a site through the driver).
    let code = code.split("#[cfg(test)]").next().unwrap_or("");
    let mut found = BTreeSet::new();
    let mut add = |path: &str| {
        let mut segments = path.split("::").map(str::trim);
        if let Some(first) = segments.next().filter(|s| !s.is_empty()) {
            if first == "driver" {
                match segments.next().filter(|s| !s.is_empty() && *s != "{") {
                    Some(sub) => found.insert(format!("driver::{sub}")),
                    None => found.insert("driver".to_string()),
                };
            } else {
                found.insert(first.to_string());
            }
        }
    };
    // Line comments and doc comments out, so a `crate::` in prose is not an import.
    let code: String = code
        .lines()
        .map(|l| match l.find("//") {
            Some(at) => &l[..at],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{a, b::{c, d}};`: the first segment of each top-level item.
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        add(item.trim());
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            add(item.trim());
        } else {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            add(&rest[..end]);
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_imports_a_later_one() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    let mut edges = 0;
    for file in &files {
        let rel = file.strip_prefix(&src).expect("under src");
        if rel == Path::new("lib.rs")
            || rel == Path::new("main.rs")
            || rel.file_name().is_some_and(|n| n == "tests.rs")
        {
            continue;
        }
        let module = module_of(rel);
        let Some(own) = rank(&module) else {
            problems.push(format!(
                "{}: module `{module}` has no place in LAYERS (tests/layering.rs): add it where it belongs in the pipeline",
                rel.display()
            ));
            continue;
        };
        let code = std::fs::read_to_string(file).expect("readable");
        for target in imports(&code) {
            if target == module {
                continue;
            }
            edges += 1;
            match rank(&target) {
                Some(r) if r < own => {}
                Some(_) => problems.push(format!(
                    "{}: `{module}` imports `{target}`, which comes later in the pipeline (or beside it)",
                    rel.display()
                )),
                None => problems.push(format!(
                    "{}: `{module}` imports `{target}`, which has no place in LAYERS",
                    rel.display()
                )),
            }
        }
    }
    assert!(edges > 20, "the check read the imports ({edges} edges)");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_import_reader_sees_every_form() {
    let code = "use crate::link::Site;\nuse crate::{\n    model::{Document, Kind},\n    text,\n};\n\
                let x = crate::render::routes(&s);\n// crate::driver::serve in a comment\n\
                use crate::driver::build::Options;\n#[cfg(test)]\nuse crate::write::X;\n";
    let found: Vec<String> = imports(code).into_iter().collect();
    assert_eq!(
        found,
        ["driver::build", "link", "model", "render", "text"].map(String::from)
    );
    assert_eq!(
        module_of(Path::new("driver/serve/http.rs")),
        "driver::serve"
    );
    assert_eq!(module_of(Path::new("link/owners.rs")), "link");
    assert_eq!(module_of(Path::new("driver/mod.rs")), "driver");
}
