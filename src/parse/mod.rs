//! Stage 2, parse: turns each source file into its front matter (a positioned metadata
//! tree) and its rendered body. Files are independent here, so this stage runs on all
//! cores and `serve` re-runs it only for the files that changed.

pub mod bodymeta;
pub mod frontmatter;
pub mod highlight;
pub mod markdown;
pub mod mermaid;
pub mod meta;
pub mod packed;
pub mod sanitize;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Rule};
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
    /// Bodies larger than this are shown as plain text (`markdown.max_render_bytes`).
    max_render_bytes: usize,
}

impl Parser {
    pub fn new(config: &Config) -> Self {
        Parser {
            options: markdown::comrak_options(&config.markdown),
            highlight: config.markdown.highlight,
            highlighter: Highlighter::default(),
            max_render_bytes: config.markdown.max_render_bytes,
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
        let body = if split.body.len() > self.max_render_bytes {
            let (body, too_large) =
                markdown::too_large(split.body, self.max_render_bytes, &file.path);
            diagnostics.push(too_large);
            body
        } else {
            let highlighter = self.highlight.then_some(&self.highlighter);
            let (body, body_diags) = markdown::render(
                split.body,
                split.body_line,
                &self.options,
                highlighter,
                &file.path,
            );
            diagnostics.extend(body_diags);
            body
        };
        for d in &mut diagnostics {
            d.file.clone_from(&file.path);
        }
        let sidecar = match &file.sidecar {
            Some(s) => {
                let text = s.text.strip_prefix('\u{feff}').unwrap_or(&s.text);
                match frontmatter::parse_yaml(text, 1) {
                    Ok(map) => map.with_origin(meta::Origin::Sidecar),
                    Err(mut d) => {
                        d.rule = Rule::InvalidMetadata;
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
        assert!(parsed.body.html.unpack().contains("body"));
    }

    #[test]
    fn a_body_over_the_render_limit_is_shown_plain_and_its_front_matter_still_read() {
        let mut config = Config::default();
        config.markdown.max_render_bytes = 20;
        let p = Parser::new(&config);
        let file = |body: &str| SourceFile {
            path: "features/a.md".into(),
            text: format!("---\nid: A-1\n---\n{body}"),
            sidecar: None,
        };
        let parsed = p.parse(&file("## Big <b>body</b>\n\n- Status: x\n"));
        assert_eq!(parsed.diagnostics.len(), 1, "{:?}", parsed.diagnostics);
        let d = &parsed.diagnostics[0];
        assert_eq!(
            (d.rule, d.file.as_str(), d.line, d.column),
            (Rule::DocumentTooLarge, "features/a.md", 1, 1)
        );
        assert!(
            d.message.contains("is 32 bytes,") && d.message.contains("limit of 20 bytes;"),
            "{}",
            d.message
        );
        assert_eq!(
            parsed.body.html.unpack(),
            "<pre class=\"too-large\">## Big &lt;b&gt;body&lt;/b&gt;\n\n- Status: x\n</pre>\n"
        );
        assert!(parsed.body.headings.is_empty() && parsed.body.meta.entries.is_empty());
        assert!(parsed.front.get("id").is_some());

        let at_limit = p.parse(&file("## Twenty bytes ok\n\n"));
        assert!(
            at_limit.diagnostics.is_empty(),
            "{:?}",
            at_limit.diagnostics
        );
        assert_eq!(at_limit.body.headings.len(), 1);
    }
}
