//! Front matter: splits a file into its front matter (YAML between `---` lines or TOML
//! between `+++` lines) and its markdown body, and reads the front matter into a
//! [`meta`](super::meta) tree with file positions.

use super::meta::{Entry, Map, Node, Value};
use crate::diagnostic::{Diagnostic, Pos, Rule};
use crate::text::LineIndex;

/// A file cut into front matter and body.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    /// `None` when the file has no front matter.
    pub front: Option<Front<'a>>,
    pub body: &'a str,
    /// The file line the body starts on.
    pub body_line: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    Toml,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Front<'a> {
    pub syntax: Syntax,
    pub text: &'a str,
    /// The file line the front matter's first line is on.
    pub line: u32,
}

/// An unclosed front matter: the file read as all body, and the diagnostic.
pub type Unclosed<'a> = Box<(Split<'a>, Diagnostic)>;

/// Cuts `text` (a whole file) into front matter and body. A front matter that is
/// opened but never closed is an error; the file is then read as all body.
pub fn split(text: &str) -> Result<Split<'_>, Unclosed<'_>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (syntax, fence) = if is_fence(first_line(text), "---") {
        (Syntax::Yaml, "---")
    } else if is_fence(first_line(text), "+++") {
        (Syntax::Toml, "+++")
    } else {
        return Ok(Split {
            front: None,
            body: text,
            body_line: 1,
        });
    };
    let after_open = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = after_open;
    let mut line = 2u32;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        let l = &text[offset..end];
        // YAML also allows `...` to end a document.
        if is_fence(l, fence) || (syntax == Syntax::Yaml && is_fence(l, "...")) {
            return Ok(Split {
                front: Some(Front {
                    syntax,
                    text: &text[after_open..offset],
                    line: 2,
                }),
                body: &text[end..],
                body_line: line + 1,
            });
        }
        offset = end;
        line += 1;
    }
    let diag = Diagnostic::new(
        Rule::FrontMatter,
        "",
        format!("the front matter opened on line 1 is never closed with `{fence}`"),
    )
    .at(Pos::new(1, 1))
    .span(3)
    .help(format!(
        "add a line with only `{fence}` after the last front matter field"
    ));
    Err(Box::new((
        Split {
            front: None,
            body: text,
            body_line: 1,
        },
        diag,
    )))
}

fn first_line(text: &str) -> &str {
    text.split('\n').next().unwrap_or("")
}

fn is_fence(line: &str, fence: &str) -> bool {
    line.trim_end() == fence
}

/// Reads front matter into a map. Positions are file positions.
pub fn parse(front: &Front<'_>) -> Result<Map, Diagnostic> {
    if let Some(d) = control_character(front.text, front.line) {
        return Err(d);
    }
    match front.syntax {
        Syntax::Yaml => parse_yaml(front.text, front.line),
        Syntax::Toml => parse_toml(front.text, front.line),
    }
}

/// A control character (NUL, BEL, ESC…) in front matter: neither YAML nor TOML allows
/// one, and they are invisible in an editor, so point at it exactly.
fn control_character(text: &str, first_line: u32) -> Option<Diagnostic> {
    let (offset, c) = text
        .char_indices()
        .find(|&(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))?;
    let pos = LineIndex::new(text).pos(offset).offset_lines(first_line);
    Some(
        Diagnostic::new(
            Rule::FrontMatter,
            "",
            format!(
                "the front matter contains the control character U+{:04X}",
                u32::from(c)
            ),
        )
        .at(pos)
        .help("delete it (it is invisible in most editors; retype the text around it)"),
    )
}

/// Reads a YAML mapping (front matter, or a sidecar metadata file when `first_line`
/// is 1).
pub fn parse_yaml(text: &str, first_line: u32) -> Result<Map, Diagnostic> {
    if text.trim().is_empty() {
        return Ok(Map::default());
    }
    let options = || {
        marked_yaml::LoaderOptions::default()
            .error_on_duplicate_keys(true)
            .prevent_coercion(true)
    };
    let node = match marked_yaml::parse_yaml_with_options(0, text, options()) {
        Ok(node) => node,
        Err(e) => {
            // PyYAML and js-yaml accept a flow list continued at column 0; the YAML spec
            // (and marked-yaml) does not. Read it as if it were indented.
            let retried = indent_flow_continuations(text)
                .and_then(|t| marked_yaml::parse_yaml_with_options(0, &t, options()).ok());
            retried.ok_or_else(|| yaml_error(e, text, first_line))?
        }
    };
    match from_yaml(&node, first_line, &LineIndex::new(text)).value {
        Value::Map(m) => Ok(m),
        _ => Err(Diagnostic::new(
            Rule::FrontMatter,
            "",
            "the front matter is not a list of `key: value` fields",
        )
        .at(Pos::new(first_line as usize, 1))
        .help("write one `key: value` per line between the `---` lines")),
    }
}

/// `text` with a space before each line that starts at column 0 inside an open flow
/// list or map (`requires: [1,` then `2]`); `None` when there is none.
fn indent_flow_continuations(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 16);
    let mut depth = 0usize;
    let mut changed = false;
    for line in text.split_inclusive('\n') {
        if depth > 0 && line.starts_with(|c: char| !c.is_whitespace()) {
            out.push(' ');
            changed = true;
        }
        out.push_str(line);
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        for c in line.chars() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '"' | '\'' if matches!(prev, ' ' | ':' | '[' | '{' | ',' | '-') => {
                        quote = Some(c);
                    }
                    '#' if prev == ' ' => break,
                    '[' | '{' => depth += 1,
                    ']' | '}' => depth = depth.saturating_sub(1),
                    _ => {}
                },
            }
            if !c.is_whitespace() || quote.is_none() {
                prev = c;
            }
        }
    }
    changed.then_some(out)
}

fn marker_pos(m: Option<&marked_yaml::Marker>, first_line: u32) -> Pos {
    m.map_or(Pos::new(first_line as usize, 1), |m| {
        Pos::new(m.line(), m.column().max(1)).offset_lines(first_line)
    })
}

fn yaml_error(e: marked_yaml::LoadError, text: &str, first_line: u32) -> Diagnostic {
    use marked_yaml::LoadError as L;
    let diag = |pos: Pos, msg: String, help: &str| {
        Diagnostic::new(Rule::FrontMatter, "", msg)
            .at(pos)
            .help(help)
    };
    match e {
        L::DuplicateKey(inner) => {
            let a = marker_pos(inner.prev_key.span().start(), first_line);
            let b = marker_pos(inner.key.span().start(), first_line);
            let (first, second) = (a.min(b), a.max(b));
            let key = inner.key.as_str().to_string();
            diag(
                second,
                format!(
                    "the field `{key}` is given twice (first on line {})",
                    first.line
                ),
                "keep one of the two lines",
            )
            .span(key.chars().count())
        }
        L::ScanError(m, err) => {
            let mut pos = Pos::new(m.line(), m.column().max(1)).offset_lines(first_line);
            let info = err.info().to_string();
            // The scanner often notices a tab-indented line only after it; point at the tab.
            let tab_line = text.split('\n').position(|l| l.starts_with('\t'));
            if let Some(i) = tab_line {
                pos = Pos::new(i + 1, 1).offset_lines(first_line);
            }
            let help = if tab_line.is_some() {
                "YAML does not allow tabs for indentation: indent with spaces"
            } else if info.contains("quote") || info.contains("scalar") {
                "close the quoted text with the same quote it opened with"
            } else if info.contains("recursion limit") {
                "lists or maps are nested too deeply here (the YAML reader stops at a few hundred levels): flatten the value"
            } else {
                "check the YAML syntax on this line (indentation, `:` after each key, quotes)"
            };
            diag(
                pos,
                format!("the front matter is not valid YAML: {info}"),
                help,
            )
        }
        L::TopLevelMustBeMapping(m) => diag(
            marker_pos(Some(&m), first_line),
            "the front matter is not a list of `key: value` fields".into(),
            "write one `key: value` per line between the `---` lines",
        ),
        L::UnexpectedAnchor(m) => diag(
            marker_pos(Some(&m), first_line),
            "YAML anchors (`&name`) are not supported in front matter".into(),
            "write the value out in full",
        ),
        L::UnexpectedTag(m) => diag(
            marker_pos(Some(&m), first_line),
            "YAML tags (`!tag`) are not supported in front matter".into(),
            "remove the tag",
        ),
        L::MappingKeyMustBeScalar(m) => diag(
            marker_pos(Some(&m), first_line),
            "a front matter key must be plain text".into(),
            "write the key as a word, like `status:`",
        ),
        other => diag(
            Pos::new(first_line as usize, 1),
            format!("the front matter is not valid YAML: {other}"),
            "check the YAML syntax",
        ),
    }
}

/// Whether a character opens a quoted scalar: positions of quoted values point past
/// the quote, at the text the caret should underline.
fn is_quote(c: Option<char>) -> bool {
    matches!(c, Some('"' | '\''))
}

fn from_yaml(node: &marked_yaml::Node, first_line: u32, lines: &LineIndex<'_>) -> Node {
    use marked_yaml::Node as Y;
    let mut pos = marker_pos(node.span().start(), first_line);
    if let (Y::Scalar(_), Some(m)) = (node, node.span().start())
        && is_quote(lines.char_at(m.line(), m.column()))
    {
        pos.col += 1;
    }
    let value = match node {
        Y::Scalar(s) => {
            let text = s.as_str();
            let null = s.may_coerce() && matches!(text, "" | "~" | "null" | "Null" | "NULL");
            if null {
                Value::Null
            } else {
                Value::Scalar(text.to_string())
            }
        }
        Y::Sequence(seq) => Value::List(
            seq.iter()
                .map(|n| from_yaml(n, first_line, lines))
                .collect(),
        ),
        Y::Mapping(map) => Value::Map(Map {
            entries: map
                .iter()
                .map(|(k, v)| Entry {
                    key: k.as_str().to_string(),
                    key_pos: marker_pos(k.span().start(), first_line),
                    value: from_yaml(v, first_line, lines),
                    origin: Default::default(),
                })
                .collect(),
        }),
    };
    Node {
        value,
        pos,
        links: Vec::new(),
    }
}

fn parse_toml(text: &str, first_line: u32) -> Result<Map, Diagnostic> {
    let index = LineIndex::new(text);
    let at = |offset: usize| index.pos(offset).offset_lines(first_line);
    let table = toml::de::DeTable::parse(text).map_err(|e| {
        let pos = e
            .span()
            .map_or(Pos::new(first_line as usize, 1), |s| at(s.start));
        Diagnostic::new(
            Rule::FrontMatter,
            "",
            format!("the front matter is not valid TOML: {}", e.message().trim()),
        )
        .at(pos)
        .help("check the TOML syntax on this line (quotes around text, `=` after each key)")
    })?;
    let root = table.get_ref();
    // A string's position is its text's, past the opening quote(s).
    let at_value = |offset: usize| {
        let quotes = match text.get(offset..) {
            Some(t) if t.starts_with("\"\"\"") || t.starts_with("\'\'\'") => 3,
            _ if is_quote(index.char_at_offset(offset)) => 1,
            _ => 0,
        };
        at(offset + quotes)
    };
    Ok(toml_table(root, &at, &at_value))
}

type At<'a> = &'a dyn Fn(usize) -> Pos;

fn toml_table(table: &toml::de::DeTable<'_>, at: At<'_>, at_value: At<'_>) -> Map {
    Map {
        entries: table
            .iter()
            .map(|(k, v)| Entry {
                key: k.get_ref().to_string(),
                key_pos: at(k.span().start),
                value: toml_node(v, at, at_value),
                origin: Default::default(),
            })
            .collect(),
    }
}

fn toml_node(v: &toml::Spanned<toml::de::DeValue<'_>>, at: At<'_>, at_value: At<'_>) -> Node {
    use toml::de::DeValue as T;
    let pos = match v.get_ref() {
        T::String(_) => at_value(v.span().start),
        _ => at(v.span().start),
    };
    let value = match v.get_ref() {
        T::String(s) => Value::Scalar(s.to_string()),
        T::Integer(i) => Value::Scalar(i.as_str().to_string()),
        T::Float(f) => Value::Scalar(f.as_str().to_string()),
        T::Boolean(b) => Value::Scalar(b.to_string()),
        T::Datetime(d) => Value::Scalar(d.to_string()),
        T::Array(items) => Value::List(items.iter().map(|i| toml_node(i, at, at_value)).collect()),
        T::Table(t) => Value::Map(toml_table(t, at, at_value)),
    };
    Node {
        value,
        pos,
        links: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_lists_other_yaml_parsers_accept() {
        let cases = [
            "tags: [a,\n  b\n]\nid: X\n",
            "tags: [\n  a, b\n]\nid: X\n",
            "tags: [a,\nb]\nid: X\n",
            "tags: [\na,\nb,\n]\nid: X\n",
            "tags:\n  [a, b\n]\nid: X\n",
            "tags: {a: 1,\nb: 2}\nid: X\n",
        ];
        for text in cases {
            let map = parse_yaml(text, 2).unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
            let tags = map.get("tags").unwrap_or_else(|| panic!("{text:?}"));
            let n = match &tags.value.value {
                Value::List(items) => items.len(),
                Value::Map(m) => m.entries.len(),
                _ => 0,
            };
            assert_eq!(n, 2, "{text:?}");
            assert_eq!(map.get("id").and_then(|e| e.value.scalar()), Some("X"));
        }
    }

    #[test]
    fn splits_yaml_and_toml_and_plain() {
        let s = split("---\nid: A\n---\n# Body\n").unwrap();
        let f = s.front.unwrap();
        assert_eq!(f.syntax, Syntax::Yaml);
        assert_eq!(f.text, "id: A\n");
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line, 4);

        let s = split("+++\nid = \"A\"\n+++\nbody").unwrap();
        assert_eq!(s.front.unwrap().syntax, Syntax::Toml);
        assert_eq!(s.body, "body");

        let s = split("# Just markdown\n").unwrap();
        assert!(s.front.is_none());
        assert_eq!(s.body_line, 1);
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let s = split("\u{feff}---\r\nid: A\r\n---\r\nbody").unwrap();
        let map = parse(s.front.as_ref().unwrap()).unwrap();
        assert_eq!(map.get("id").unwrap().value.scalar(), Some("A"));
        assert_eq!(s.body, "body");
    }

    #[test]
    fn unclosed_front_matter_is_an_error_at_line_one() {
        let (s, d) = *split("---\nid: A\n# no close\n").unwrap_err();
        assert_eq!(d.rule, Rule::FrontMatter);
        assert_eq!(d.line, 1);
        assert!(s.front.is_none());
    }

    #[test]
    fn yaml_positions_are_file_positions() {
        let s = split("---\nid: A\ntitle:  Hello\n---\n").unwrap();
        let map = parse(s.front.as_ref().unwrap()).unwrap();
        let t = map.get("title").unwrap();
        assert_eq!(t.key_pos, Pos::new(3, 1));
        assert_eq!(t.value.pos, Pos::new(3, 9));
    }

    #[test]
    fn yaml_scalars_stay_text_and_nulls_are_null() {
        let s = split("---\nversion: 1.10\ncreated: 2026-01-02\nactual: null\nq: \"null\"\n---\n")
            .unwrap();
        let map = parse(s.front.as_ref().unwrap()).unwrap();
        assert_eq!(map.get("version").unwrap().value.scalar(), Some("1.10"));
        assert_eq!(
            map.get("created").unwrap().value.scalar(),
            Some("2026-01-02")
        );
        assert_eq!(map.get("actual").unwrap().value.value, Value::Null);
        assert_eq!(map.get("q").unwrap().value.scalar(), Some("null"));
    }

    #[test]
    fn yaml_errors_point_at_the_line() {
        let s = split("---\nid: A\ntitle: \"unclosed\nstatus: x\n---\n").unwrap();
        let d = parse(s.front.as_ref().unwrap()).unwrap_err();
        assert_eq!(d.rule, Rule::FrontMatter);
        assert!(d.line >= 3, "line {}", d.line);

        let s = split("---\nid: A\nid: B\n---\n").unwrap();
        let d = parse(s.front.as_ref().unwrap()).unwrap_err();
        assert_eq!((d.line, d.column), (3, 1));
        assert!(
            d.message.contains("`id` is given twice (first on line 2)"),
            "{}",
            d.message
        );

        let s = split("---\nid: A\n\ttitle: x\n---\n").unwrap();
        let d = parse(s.front.as_ref().unwrap()).unwrap_err();
        assert_eq!(d.line, 3);
        assert!(d.help.unwrap().contains("tabs"));
    }

    #[test]
    fn control_characters_are_errors_at_their_position() {
        for (text, col) in [
            ("---\nid: A\ntitle: a\0b\n---\n", 9),
            ("+++\nt = \"\x1b\"\n+++\n", 6),
        ] {
            let s = split(text).unwrap();
            let d = parse(s.front.as_ref().unwrap()).unwrap_err();
            assert!(d.message.contains("control character"), "{}", d.message);
            assert_eq!((d.line, d.column), (if col == 9 { 3 } else { 2 }, col));
        }
    }

    #[test]
    fn quoted_values_are_placed_at_their_text_not_their_quote() {
        let item_cols = |map: &Map, key: &str| -> Vec<u32> {
            match &map.get(key).unwrap().value.value {
                Value::List(items) => items.iter().map(|n| n.pos.col).collect(),
                _ => vec![map.get(key).unwrap().value.pos.col],
            }
        };
        let s = split("---\nowner: \"Zoë\"\nlinks: ['é-1', \"B-2\",  C-3]\n---\n").unwrap();
        let map = parse(s.front.as_ref().unwrap()).unwrap();
        assert_eq!(item_cols(&map, "owner"), [9]);
        assert_eq!(item_cols(&map, "links"), [10, 17, 24]);
        let s = split("+++\nowner = \"Zoë\"\nlinks = ['é-1', \"B-2\",  3]\n+++\n").unwrap();
        let map = parse(s.front.as_ref().unwrap()).unwrap();
        assert_eq!(item_cols(&map, "owner"), [10]);
        assert_eq!(item_cols(&map, "links"), [11, 18, 25]);
    }

    #[test]
    fn toml_front_matter_has_positions() {
        let s =
            split("+++\nid = \"A\"\ntags = [\"x\", \"y\"]\ncreated = 2026-01-02\n+++\n").unwrap();
        let map = parse(s.front.as_ref().unwrap()).unwrap();
        assert_eq!(map.get("tags").unwrap().key_pos, Pos::new(3, 1));
        assert_eq!(
            map.get("created").unwrap().value.scalar(),
            Some("2026-01-02")
        );
        let s = split("+++\nid = \"A\n+++\n").unwrap();
        let d = parse(s.front.as_ref().unwrap()).unwrap_err();
        assert_eq!(d.line, 2);
    }
}
