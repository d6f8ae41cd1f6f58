//! What `serve` adds to every HTML page it sends: a small script that listens on the
//! live-reload WebSocket, and, while the latest build has errors, an overlay listing
//! them. Injecting at response time means any theme gets live reload without changing
//! its templates, and cached pages never carry a stale overlay.

use super::state::Version;
use crate::diagnostic::Diagnostic;
use crate::escape::html as escape_html;
use std::fmt::Write;

/// The WebSocket the script connects to.
pub const WS_PATH: &str = "/__specsite/ws";

/// How many errors the overlay lists; the rest are counted.
const SHOWN: usize = 50;

/// Reloads on `reload`; on `css` re-fetches stylesheets in place (keeping the scroll
/// position and any open details). When the server restarts it reconnects and reloads.
const SCRIPT: &str = r#"<script>(function(){
var url=(location.protocol==="https:"?"wss://":"ws://")+location.host+"/__specsite/ws",lost=false;
function connect(){var ws=new WebSocket(url);
ws.onopen=function(){if(lost){location.reload();}};
ws.onmessage=function(e){if(e.data==="css"){document.querySelectorAll('link[rel="stylesheet"]').forEach(function(l){var u=new URL(l.href);u.searchParams.set("specsite-reload",Date.now());l.href=u.href;});}else if(e.data==="reload"){location.reload();}};
ws.onclose=function(){lost=true;setTimeout(connect,1000);};}
connect();})();</script>"#;

/// The page with the live-reload script and, when there are errors, the overlay,
/// placed just before `</body>` (or at the end when there is none). `version` is the
/// build the page came from, which the overlay names.
pub fn inject(html: &[u8], errors: &[Diagnostic], version: Version) -> Vec<u8> {
    let mut extra = String::from(SCRIPT);
    if !errors.is_empty() {
        overlay(&mut extra, errors, version);
    }
    let at = find_body_end(html).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The position of the last `</body>`, in any letter case.
fn find_body_end(html: &[u8]) -> Option<usize> {
    const TAG: &[u8] = b"</body";
    html.windows(TAG.len())
        .rposition(|w| w.eq_ignore_ascii_case(TAG))
}

fn overlay(out: &mut String, errors: &[Diagnostic], version: Version) {
    out.push_str(
        "<div id=\"specsite-overlay\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;\
         max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:1rem 1.25rem;\
         background:#1f1416;color:#fde8e8;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,\
         Consolas,monospace;border-top:4px solid #e5484d;box-shadow:0 -4px 24px rgba(0,0,0,.4)\">\
         <button type=\"button\" onclick=\"this.parentNode.remove()\" aria-label=\"Hide\" \
         style=\"float:right;background:none;border:0;color:inherit;font-size:1.25rem;\
         cursor:pointer\">×</button>",
    );
    let n = errors.len();
    let errors_word = if n == 1 { "error" } else { "errors" };
    // Only say what is true of this page: a site that started with errors never had
    // a good version, and a page previewed from a held-back build is not an old one.
    let what = match version {
        Version::Latest => "this page is up to date with the files",
        Version::BeforeErrors => {
            "this page is from before the latest changes, which are held back until the \
             new errors are fixed"
        }
        Version::Held if n == 1 => {
            "this page is shown from the latest changes with its error, as the earlier \
             version has no such page"
        }
        Version::Held => {
            "this page is shown from the latest changes with their errors, as the earlier \
             version has no such page"
        }
    };
    let _ = write!(
        out,
        "<p style=\"margin:0 0 .5rem;font-weight:bold\">{n} {errors_word} — {what}</p>\
         <ul style=\"margin:0;padding-left:1.25rem\">",
    );
    for d in errors.iter().take(SHOWN) {
        out.push_str("<li>");
        if !d.file.is_empty() {
            let _ = write!(out, "<b>{}", escape_html(&d.file));
            if d.line > 0 {
                let _ = write!(out, ":{}", d.line);
                if d.column > 0 {
                    let _ = write!(out, ":{}", d.column);
                }
            }
            out.push_str("</b> ");
        }
        let _ = write!(
            out,
            "{} <span style=\"opacity:.7\">[{}]</span>",
            escape_html(&d.message),
            d.rule
        );
        if let Some(help) = &d.help {
            let _ = write!(
                out,
                "<br><span style=\"opacity:.8\">help: {}</span>",
                escape_html(help)
            );
        }
        out.push_str("</li>");
    }
    if n > SHOWN {
        let _ = write!(
            out,
            "<li>and {} more (run <code>specsite check</code>)</li>",
            n - SHOWN
        );
    }
    out.push_str("</ul></div>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Pos, Rule};

    #[test]
    fn script_goes_before_the_last_body_end() {
        let page = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(page, &[], Version::Latest)).unwrap();
        assert!(out.ends_with("</script></BODY></html>"));
        assert!(out.contains(WS_PATH));
        assert!(!out.contains("specsite-overlay"));
        let bare = String::from_utf8(inject(b"<p>no body</p>", &[], Version::Latest)).unwrap();
        assert!(bare.starts_with("<p>no body</p><script>"));
    }

    #[test]
    fn overlay_lists_errors_escaped_with_positions() {
        let d = Diagnostic::new(Rule::FrontMatter, "features/a.md", "bad <value>")
            .at(Pos::new(3, 7))
            .help("quote it");
        let out = String::from_utf8(inject(
            b"<body></body>",
            std::slice::from_ref(&d),
            Version::Latest,
        ))
        .unwrap();
        assert!(out.contains("id=\"specsite-overlay\""));
        assert!(out.contains("<b>features/a.md:3:7</b> bad &lt;value&gt;"));
        assert!(out.contains("help: quote it"));
        assert!(out.contains("1 error — this page is up to date"), "{out}");
        assert!(!out.contains("earlier") && !out.contains("held back"));
        let before = String::from_utf8(inject(b"", &[d.clone(), d.clone()], Version::BeforeErrors));
        assert!(
            before
                .unwrap()
                .contains("2 errors — this page is from before the latest changes")
        );
        let held = String::from_utf8(inject(b"", &[d], Version::Held)).unwrap();
        assert!(
            held.contains("shown from the latest changes with its error"),
            "{held}"
        );
    }
}
