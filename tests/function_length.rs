//! Keeps every non-test function in src/ at or under 100 lines, so each one
//! still reads as a single job (the architecture rule). Reads the sources with
//! std::fs and a small lexer instead of a parser crate: it only needs to tell
//! code from comments and literals and to match braces.

use std::fs;
use std::path::{Path, PathBuf};

/// The longest a function may be, counted from the line of `fn` to the line of
/// its closing brace, both included.
const MAX_LINES: usize = 100;

/// One function found in the sources.
#[derive(Debug)]
struct FnSpan {
    name: String,
    /// 1-based line of the `fn` keyword.
    line: usize,
    lines: usize,
}

#[test]

fn no_function_in_src_is_over_100_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    collect_rust_files(&root.join("src"), &mut files);
    files.sort();
    assert!(
        files.len() > 10,
        "expected to find the crate's sources, got {files:?}"
    );

    let mut too_long = Vec::new();
    for file in &files {
        let source = fs::read_to_string(file).expect("source file is UTF-8");
        let rel = file
            .strip_prefix(root)
            .unwrap_or(file)
            .display()
            .to_string();
        for f in function_spans(&source) {
            if f.lines > MAX_LINES {
                too_long.push(format!(
                    "{rel}:{}: fn {} is {} lines (max {MAX_LINES}); split it into functions that each do one job",
                    f.line, f.name, f.lines
                ));
            }
        }
    }
    assert!(
        too_long.is_empty(),
        "functions over {MAX_LINES} lines:\n{}",
        too_long.join("\n")
    );
}

/// Every `.rs` file under `dir`, except unit-test files named `tests.rs`.
fn collect_rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            collect_rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs")
            && path.file_name().is_some_and(|n| n != "tests.rs")
        {
            out.push(path);
        }
    }
}

/// The functions in `source` with their lengths, leaving out items marked
/// `#[cfg(test)]` (test modules and test-only helpers). A function nested in
/// another is reported on its own as well as counting towards the outer one.
fn function_spans(source: &str) -> Vec<FnSpan> {
    let code = code_only(source);
    let line_of = |i: usize| code[..i].iter().filter(|&&c| c == '\n').count() + 1;
    let mut spans = Vec::new();
    let mut i = 0;
    while i < code.len() {
        if starts_with(&code, i, "#[cfg(test)]") {
            i = end_of_item(&code, i);
        } else if is_keyword_at(&code, i, "fn") {
            let name = identifier_after(&code, i + 2);
            if !name.is_empty()
                && let Some(end) = body_end(&code, i + 2)
            {
                spans.push(FnSpan {
                    name,
                    line: line_of(i),
                    lines: line_of(end) - line_of(i) + 1,
                });
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    spans
}

/// `source` with comments and the contents of string and char literals blanked
/// to spaces (newlines kept), so braces and keywords inside them are not seen.
fn code_only(source: &str) -> Vec<char> {
    let s: Vec<char> = source.chars().collect();
    let mut out = s.clone();
    let blank = |out: &mut Vec<char>, from: usize, to: usize| {
        for c in &mut out[from..to.min(s.len())] {
            if *c != '\n' {
                *c = ' ';
            }
        }
    };
    let mut i = 0;
    while i < s.len() {
        let prev_is_ident = i > 0 && (s[i - 1].is_alphanumeric() || s[i - 1] == '_');
        let end = if starts_with(&s, i, "//") {
            s[i..]
                .iter()
                .position(|&c| c == '\n')
                .map_or(s.len(), |p| i + p)
        } else if starts_with(&s, i, "/*") {
            block_comment_end(&s, i)
        } else if !prev_is_ident && raw_string_start(&s, i).is_some() {
            let (hashes, quote) = raw_string_start(&s, i).unwrap_or_default();
            let closing: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            find(&s, quote + 1, &closing).map_or(s.len(), |p| p + closing.len())
        } else if s[i] == '"' {
            string_end(&s, i)
        } else if s[i] == '\'' {
            char_literal_end(&s, i).unwrap_or(i + 1)
        } else {
            i += 1;
            continue;
        };
        blank(&mut out, i, end);
        i = end;
    }
    out
}

/// For `r"`, `r#"`, `br##"`… at `i`: the number of `#` and the index of the
/// opening quote.
fn raw_string_start(s: &[char], i: usize) -> Option<(usize, usize)> {
    let mut j = i;
    if s.get(j) == Some(&'b') {
        j += 1;
    }
    if s.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let hashes = s[j..].iter().take_while(|&&c| c == '#').count();
    (s.get(j + hashes) == Some(&'"')).then_some((hashes, j + hashes))
}

/// Index just past the closing quote of the ordinary string opening at `i`.
fn string_end(s: &[char], i: usize) -> usize {
    let mut j = i + 1;
    while j < s.len() {
        match s[j] {
            '\\' => j += 2,
            '"' => return j + 1,
            _ => j += 1,
        }
    }
    s.len()
}

/// Index just past a char literal opening at `i`, or None for a lifetime.
fn char_literal_end(s: &[char], i: usize) -> Option<usize> {
    if s.get(i + 1) == Some(&'\\') {
        let close = s[i + 2..].iter().position(|&c| c == '\'')?;
        return Some(i + 2 + close + 1);
    }
    (s.get(i + 2) == Some(&'\'')).then_some(i + 3)
}

/// Index just past the (possibly nested) block comment opening at `i`.
fn block_comment_end(s: &[char], i: usize) -> usize {
    let mut depth = 0;
    let mut j = i;
    while j < s.len() {
        if starts_with(s, j, "/*") {
            depth += 1;
            j += 2;
        } else if starts_with(s, j, "*/") {
            depth -= 1;
            j += 2;
            if depth == 0 {
                return j;
            }
        } else {
            j += 1;
        }
    }
    s.len()
}

/// Index just past the item that follows the attribute at `i`: its `;`, or
/// the brace closing its body.
fn end_of_item(code: &[char], i: usize) -> usize {
    match code[i..].iter().position(|&c| c == '{' || c == ';') {
        Some(p) if code[i + p] == '{' => matching_brace(code, i + p).map_or(code.len(), |e| e + 1),
        Some(p) => i + p + 1,
        None => code.len(),
    }
}

/// Index of the brace closing a function body whose signature starts at `i`;
/// None for a declaration without a body (`fn f();` in a trait). A `;` inside
/// brackets (an array type `[u8; 4]`) does not end the signature.
fn body_end(code: &[char], i: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (j, &c) in code.iter().enumerate().skip(i) {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            '{' if depth == 0 => return matching_brace(code, j),
            ';' if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

fn matching_brace(code: &[char], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (j, &c) in code.iter().enumerate().skip(open) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
    }
    None
}

/// The identifier after whitespace at `i`; empty when there is none (as in
/// the type `fn(u8) -> u8`).
fn identifier_after(code: &[char], i: usize) -> String {
    let rest = &code[i..];
    let spaces = rest.iter().take_while(|c| c.is_whitespace()).count();
    if spaces == 0 {
        return String::new();
    }
    rest[spaces..]
        .iter()
        .take_while(|c| c.is_alphanumeric() || **c == '_')
        .collect()
}

fn is_keyword_at(code: &[char], i: usize, word: &str) -> bool {
    let is_ident = |c: &char| c.is_alphanumeric() || *c == '_';
    starts_with(code, i, word)
        && (i == 0 || !is_ident(&code[i - 1]))
        && code.get(i + word.len()).is_none_or(|c| !is_ident(c))
}

fn starts_with(s: &[char], i: usize, pat: &str) -> bool {
    (i..).zip(pat.chars()).all(|(j, p)| s.get(j) == Some(&p))
}

fn find(s: &[char], from: usize, pat: &str) -> Option<usize> {
    (from..s.len()).find(|&j| starts_with(s, j, pat))
}

/// The scanner must see through what would fool a plain text search, or the
/// rule above could pass while a long function hides.
#[test]
fn scanner_counts_lines_and_skips_tests_comments_and_literals() {
    let source = r##"
fn short() {
    let s = "}}} fn fake() {";
    let r = r#"" }"#;
    let c = '}';
    let l: &'static str = "x";
    // }
    /* } /* nested } */ } */
}

trait T {
    fn declared(&self);
}

fn array([a, b]: [u8; 2]) {
}

#[cfg(test)]
mod tests {
    fn hidden() {
    }
}

fn outer() {
    fn inner() {
        let _ = 1;
    }
}
"##;
    let spans: Vec<(String, usize, usize)> = function_spans(source)
        .into_iter()
        .map(|f| (f.name, f.line, f.lines))
        .collect();
    assert_eq!(
        spans,
        vec![
            ("short".to_string(), 2, 8),
            ("array".to_string(), 15, 2),
            ("outer".to_string(), 24, 5),
            ("inner".to_string(), 25, 3)
        ]
    );
}
