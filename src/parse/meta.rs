//! The metadata tree: front matter (YAML or TOML) as one format-neutral tree whose every
//! node knows its line and column, so the model stage can read fields loosely (a number
//! where a list is expected, a date as text) and point at the exact place when it can't.

use crate::diagnostic::Pos;

/// A value with the place it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
    /// Local link targets written in the value (`Superseded by [X](0015-x.md)`), with
    /// their positions; only values read from markdown have them. Relations prefer
    /// them to the text.
    pub links: Vec<(String, Pos)>,
}

impl Node {
    /// A text value without links.
    pub fn text(text: impl Into<String>, pos: Pos) -> Node {
        Node {
            value: Value::Scalar(text.into()),
            pos,
            links: Vec::new(),
        }
    }
}

/// Scalars stay text: the model stage decides what a field means. This keeps
/// `version: 1.10` from turning into the number 1.1 and dates from changing shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Scalar(String),
    List(Vec<Node>),
    Map(Map),
}

/// A mapping in the order it was written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Map {
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub key_pos: Pos,
    pub value: Node,
    /// Which source of metadata the entry was read from.
    pub origin: Origin,
}

/// Where a metadata field was found. Front matter and sidecar files are written as
/// data, so their mistakes are errors; fields read from prose (a list under the title,
/// a `## Status` section) are informal, so theirs are warnings and unknown keys there
/// are kept silently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Origin {
    /// YAML or TOML front matter.
    #[default]
    FrontMatter,
    /// A `- Key: value` list right under the title.
    HeaderList,
    /// Body sections and lines: `## Status`, `Date: …`, `Superseded by …`.
    Body,
    /// A YAML file next to the document.
    Sidecar,
    /// The file name (a leading number or date).
    FileName,
    /// A folder's configured defaults.
    FolderDefault,
}

impl Origin {
    /// Whether the source is structured data rather than prose.
    pub fn is_data(self) -> bool {
        matches!(self, Origin::FrontMatter | Origin::Sidecar)
    }
}

impl Map {
    /// Marks every entry as coming from `origin`.
    pub fn with_origin(mut self, origin: Origin) -> Self {
        for e in &mut self.entries {
            e.origin = origin;
        }
        self
    }

    /// The entry for `key`, matched exactly.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// The first entry among `keys` (aliases), matched case-insensitively.
    pub fn get_any(&self, keys: &[&str]) -> Option<&Entry> {
        keys.iter()
            .find_map(|k| self.entries.iter().find(|e| e.key.eq_ignore_ascii_case(k)))
    }
}

impl Node {
    pub fn scalar(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        match &self.value {
            Value::Null => true,
            Value::Scalar(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// What the value looks like, for messages ("expected a list, found a map").
    pub fn shape(&self) -> &'static str {
        match &self.value {
            Value::Null => "nothing",
            Value::Scalar(_) => "a single value",
            Value::List(_) => "a list",
            Value::Map(_) => "a map",
        }
    }

    /// The value as a list of text items, read loosely: a list of scalars, one scalar, or
    /// a comma-separated scalar (as real repos write `requires: 2718, 2930`).
    /// Returns the items with their positions; `Err` names the shape found otherwise.
    pub fn text_list(&self) -> Result<Vec<(String, Pos)>, &'static str> {
        match &self.value {
            Value::Null => Ok(Vec::new()),
            Value::Scalar(s) => Ok(split_commas(s, self.pos)),
            Value::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match &item.value {
                        Value::Null => {}
                        Value::Scalar(s) => out.extend(split_commas(s, item.pos)),
                        _ => return Err(item.shape()),
                    }
                }
                Ok(out)
            }
            Value::Map(_) => Err(self.shape()),
        }
    }
}

fn split_commas(s: &str, pos: Pos) -> Vec<(String, Pos)> {
    // Only the first item's column is exact; items after a comma keep the value's
    // line, which is what a reader needs to find them.
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| (p.to_string(), pos))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(s: &str) -> Node {
        Node::text(s, Pos::new(1, 1))
    }

    #[test]
    fn text_lists_are_read_loosely() {
        let texts = |n: &Node| {
            n.text_list()
                .unwrap()
                .into_iter()
                .map(|t| t.0)
                .collect::<Vec<_>>()
        };
        assert_eq!(texts(&scalar("2718, 2930")), ["2718", "2930"]);
        assert_eq!(texts(&scalar("1559")), ["1559"]);
        let list = Node {
            value: Value::List(vec![scalar("a"), scalar("b, c")]),
            pos: Pos::new(1, 1),
            links: Vec::new(),
        };
        assert_eq!(texts(&list), ["a", "b", "c"]);
        let map = Node {
            value: Value::Map(Map::default()),
            pos: Pos::new(1, 1),
            links: Vec::new(),
        };
        assert_eq!(map.text_list(), Err("a map"));
    }

    #[test]
    fn get_any_matches_aliases_case_insensitively() {
        let map = Map {
            entries: vec![Entry {
                key: "Decision-Makers".into(),
                key_pos: Pos::new(2, 1),
                value: scalar("Ann"),
                origin: Origin::FrontMatter,
            }],
        };
        assert!(map.get("decision-makers").is_none());
        assert_eq!(
            map.get_any(&["deciders", "decision-makers"])
                .unwrap()
                .key_pos
                .line,
            2
        );
    }
}
