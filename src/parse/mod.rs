//! Stage 2, parse: turns each source file into its front matter (a positioned metadata
//! tree) and its rendered body. Files are independent here, so this stage runs on all
//! cores and `serve` re-runs it only for the files that changed.

pub mod bodymeta;
pub mod frontmatter;
pub mod highlight;
pub mod markdown;
pub mod meta;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load::SourceFile;
use highlight::Highlighter;
use markdown::Body;
use meta::Map;

/// One parsed file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedFile {
    /// Relative to SOURCE, with `/` separators.
    pub path: String,
    /// The front matter; empty when the file has none or it could not be read.
    pub front: Map,
    /// The sidecar metadata file's fields; empty without one.
    pub sidecar: Map,
    /// Whether the file had front matter at all.
    pub has_front: bool,
    pub body: Body,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses files with one configuration. Cheap to share between threads.
#[derive(Debug)]
pub struct Parser {
    options: comrak::Options<'static>,
    highlight: bool,
    highlighter: Highlighter,
}

impl Parser {
    pub fn new(config: &Config) -> Self {
        Parser {
            options: markdown::comrak_options(&config.markdown),
            highlight: config.markdown.highlight,
            highlighter: Highlighter::default(),
        }
    }

    pub fn parse(&self, file: &SourceFile) -> ParsedFile {
        let mut diagnostics = Vec::new();
        let split = match frontmatter::split(&file.text) {
            Ok(s) => s,
            Err(unclosed) => {
                let (s, d) = *unclosed;
                diagnostics.push(d);
                s
            }
        };
        let has_front = split.front.is_some();
        let front = match split.front.as_ref().map(frontmatter::parse) {
            Some(Ok(map)) => map,
            Some(Err(d)) => {
                diagnostics.push(d);
                Map::default()
            }
            None => Map::default(),
        };
        let highlighter = self.highlight.then_some(&self.highlighter);
        let (body, body_diags) = markdown::render(
            split.body,
            split.body_line,
            &self.options,
            highlighter,
            &file.path,
        );
        diagnostics.extend(body_diags);
        for d in &mut diagnostics {
            d.file.clone_from(&file.path);
        }
        let sidecar = match &file.sidecar {
            Some(s) => {
                let text = s.text.strip_prefix('\u{feff}').unwrap_or(&s.text);
                match frontmatter::parse_yaml(text, 1) {
                    Ok(map) => map.with_origin(meta::Origin::Sidecar),
                    Err(mut d) => {
                        d.rule = "invalid-metadata";
                        d.file.clone_from(&s.path);
                        diagnostics.push(d);
                        Map::default()
                    }
                }
            }
            None => Map::default(),
        };
        ParsedFile {
            path: file.path.clone(),
            front,
            sidecar,
            has_front,
            body,
            diagnostics,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_carry_the_file_path() {
        let p = Parser::new(&Config::default());
        let parsed = p.parse(&SourceFile {
            path: "features/a.md".into(),
            text: "---\nid: [unclosed\n---\nbody\n".into(),
            sidecar: None,
        });
        assert_eq!(parsed.diagnostics.len(), 1);
        assert_eq!(parsed.diagnostics[0].file, "features/a.md");
        assert!(parsed.has_front);
        assert!(parsed.body.html.contains("body"));
    }
}
