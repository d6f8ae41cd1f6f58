//! Raw HTML in spec bodies, through the real binary: comments never reach the page,
//! the safe subset is kept and everything else removed with an `html-removed` warning
//! at its line, elements may span markdown blocks, `allow_html` keeps everything, and
//! ids and `<a name>`s written in HTML are link targets for `check`.

mod common;

use common::{bin, stderr};
use std::path::{Path, PathBuf};

/// A repo with `features/<name>.md` files (front matter added) and an optional
/// specsite.toml, written to a temp folder.
fn repo(config: Option<&str>, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("features")).unwrap();
    if let Some(config) = config {
        std::fs::write(dir.path().join("specsite.toml"), config).unwrap();
    }
    for (i, (name, body)) in files.iter().enumerate() {
        let text = format!("---\nid: F-{i}\ntitle: {name}\nstatus: draft\n---\n{body}");
        std::fs::write(dir.path().join(format!("features/{name}.md")), text).unwrap();
    }
    dir
}

/// The front matter `repo` writes takes this many lines; body line 1 is file line 6.
const FRONT_LINES: u32 = 5;

struct Built {
    out: PathBuf,
    /// `--format json` diagnostics, one object each.
    diags: Vec<serde_json::Value>,
    success: bool,
}

fn build(dir: &Path) -> Built {
    let out = dir.join("public");
    let o = bin()
        .args(["build", "--format", "json", "--out"])
        .arg(&out)
        .arg(dir)
        .output()
        .unwrap();
    Built {
        out,
        diags: json_lines(&o),
        success: o.status.success(),
    }
}

fn check(dir: &Path) -> (bool, Vec<serde_json::Value>) {
    let o = bin()
        .args(["check", "--format", "json"])
        .arg(dir)
        .output()
        .unwrap();
    (o.status.success(), json_lines(&o))
}

fn json_lines(o: &std::process::Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .chain(String::from_utf8_lossy(&o.stderr).lines())
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// The rendered body of feature `F-{index}`'s page (without the theme around it).
fn body(built: &Built, index: usize) -> String {
    let page = std::fs::read_to_string(built.out.join(format!("features/f-{index}/index.html")))
        .unwrap_or_else(|e| panic!("page F-{index}: {e}"));
    let start = page.find("<div class=\"body\">").expect("a body") + "<div class=\"body\">".len();
    let end = page[start..]
        .find("</article>")
        .map_or(page.len(), |e| start + e);
    page[start..end].to_string()
}

/// Every file of the built site, as text where it is text.
fn all_output(out: &Path) -> String {
    let mut all = String::new();
    for entry in walkdir::WalkDir::new(out).into_iter().flatten() {
        if entry.file_type().is_file() {
            all.push_str(&String::from_utf8_lossy(
                &std::fs::read(entry.path()).unwrap(),
            ));
        }
    }
    all
}

/// The `html-removed` warnings as (file line, message).
fn removed(diags: &[serde_json::Value]) -> Vec<(u64, String)> {
    diags
        .iter()
        .filter(|d| d["rule"] == "html-removed")
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const COMMENTS: &str = "\
Before <!-- SECRET-INLINE --> after.

<!-- SECRET-BLOCK -->

<!--
SECRET-MULTILINE-BLOCK
-->

Text with a comment <!-- SECRET-SPANNING
over two lines --> in a paragraph.

<div>kept <!-- SECRET-IN-HTML --> too</div>
";

fn assert_no_comment_text(out: &Path) {
    let all = all_output(out);
    for secret in [
        "SECRET-INLINE",
        "SECRET-BLOCK",
        "SECRET-MULTILINE-BLOCK",
        "SECRET-SPANNING",
        "SECRET-IN-HTML",
        "&lt;!--",
    ] {
        assert!(!all.contains(secret), "{secret} reached the site");
    }
}

#[test]
fn comments_never_appear_on_the_site() {
    let dir = repo(None, &[("comments", COMMENTS)]);
    let built = build(dir.path());
    assert!(built.success, "{:?}", built.diags);
    assert_no_comment_text(&built.out);
    let html = body(&built, 0);
    assert!(html.contains("Before  after."), "{html}");
    assert!(html.contains("in a paragraph."), "{html}");
    assert!(html.contains("<div>kept  too</div>"), "{html}");
    assert!(removed(&built.diags).is_empty(), "{:?}", built.diags);
}

#[test]
fn comments_never_appear_with_allow_html_either() {
    let dir = repo(
        Some("[markdown]\nallow_html = true\n"),
        &[("comments", COMMENTS)],
    );
    let built = build(dir.path());
    assert!(built.success, "{:?}", built.diags);
    assert_no_comment_text(&built.out);
    assert!(body(&built, 0).contains("<div>kept  too</div>"));
}

/// Each construct the safe subset removes, on its own body line (file line
/// `FRONT_LINES + n`), with what must not reach the page and the warning's words.
const REMOVED: &[(&str, &str, &str)] = &[
    // line 1
    (
        "<script>alert('SCRIPT')</script>",
        "SCRIPT",
        "`<script>` was removed",
    ),
    // line 3
    (
        "<img src=\"a.png\" onerror=\"alert('ONERROR')\" alt=\"x\">",
        "ONERROR",
        "`onerror` attribute of raw HTML `<img>`",
    ),
    // line 5
    (
        "<span style=\"background:url(STYLEATTR)\">s</span>",
        "STYLEATTR",
        "`style` attribute of raw HTML `<span>`",
    ),
    // line 7
    (
        "<style>body { STYLEELEMENT: none }</style>",
        "STYLEELEMENT",
        "`<style>` was removed",
    ),
    // line 9
    (
        "<iframe src=\"https://evil.example/IFRAME\"></iframe>",
        "IFRAME",
        "`<iframe>` was removed",
    ),
    // line 11
    (
        "<a href=\"javascript:alert('JSHREF')\">click</a>",
        "JSHREF",
        "'javascript:alert('JSHREF')' is not an http, https, mailto or relative URL",
    ),
    // line 13
    (
        "<img src=\"data:image/svg+xml;base64,DATASRC\" alt=\"d\">",
        "DATASRC",
        "the `src` of raw HTML `<img>` was removed",
    ),
    // line 15
    (
        "<p onclick=\"alert('ONCLICK')\">para</p>",
        "ONCLICK",
        "`onclick` attribute of raw HTML `<p>`",
    ),
];

#[test]
fn unsafe_html_is_removed_with_a_warning_at_its_line() {
    let text: String = REMOVED
        .iter()
        .map(|(html, _, _)| format!("{html}\n\n"))
        .collect();
    // Inline too: a handler in the middle of a paragraph, on the paragraph's 2nd line.
    let text = format!("{text}A paragraph\nwith <kbd onmouseover=\"alert('INLINE')\">K</kbd>.\n");
    let dir = repo(None, &[("unsafe", &text)]);
    let built = build(dir.path());
    assert!(built.success, "warnings only: {:?}", built.diags);
    let all = all_output(&built.out);
    let page = body(&built, 0);
    for (html, marker, _) in REMOVED {
        assert!(!all.contains(marker), "{html}: {marker} reached the site");
    }
    assert!(!all.contains("INLINE"));
    for banned in [
        "<script",
        "<style",
        "<iframe",
        "onerror",
        "onclick",
        "javascript:",
        "data:",
    ] {
        assert!(!page.contains(banned), "{banned} in {page}");
    }
    // The element around a removed attribute stays, as does the text of a link.
    assert!(page.contains("<img src=\"a.png\" alt=\"x\">"), "{page}");
    assert!(page.contains("<a>click</a>"), "{page}");
    assert!(page.contains("<p>para</p>"), "{page}");
    assert!(page.contains("<kbd>K</kbd>"), "{page}");

    let warnings = removed(&built.diags);
    let mut expected: Vec<(u64, &str)> = REMOVED
        .iter()
        .enumerate()
        .map(|(i, (_, _, words))| (u64::from(FRONT_LINES) + 1 + 2 * i as u64, *words))
        .collect();
    let last_line = u64::from(FRONT_LINES) + 2 * REMOVED.len() as u64 + 2;
    expected.push((last_line, "`onmouseover` attribute of raw HTML `<kbd>`"));
    assert_eq!(warnings.len(), expected.len(), "{warnings:?}");
    for ((line, message), (want_line, words)) in warnings.iter().zip(&expected) {
        assert_eq!(line, want_line, "{message}");
        assert!(message.contains(words), "{message} lacks {words}");
    }
    let onmouseover = built
        .diags
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("onmouseover"))
        .unwrap();
    assert_eq!(onmouseover["file"], "features/unsafe.md");
    assert_eq!(
        onmouseover["column"],
        "with <kbd ".len() + 1,
        "the caret is on the attribute"
    );
}

#[test]
fn the_warning_names_the_file_and_line_in_the_human_format() {
    let dir = repo(
        None,
        &[("human", "Text.\n\n<div>\n<script>x()</script>\n</div>\n")],
    );
    let o = bin().arg("check").arg(dir.path()).output().unwrap();
    let err = stderr(&o);
    let line = FRONT_LINES + 4;
    assert!(
        err.contains(&format!("features/human.md:{line}:1")),
        "{err}"
    );
    assert!(err.contains("warning[html-removed]"), "{err}");
}

#[test]
fn the_safe_subset_is_kept_as_written() {
    let kept = [
        "<sup>1</sup>",
        "<sub>2</sub>",
        "<kbd>Ctrl</kbd>",
        "<br>",
        "<a name=\"top\">here</a>",
        "<a id=\"also\" href=\"https://example.com/x?a=1&amp;b=2\">web</a>",
        "<a href=\"mailto:team@example.com\">mail</a>",
        "<img src=\"diagram.png\" alt=\"Flow\" width=\"300\" height=\"200\">",
    ];
    let table = "<table>\n<thead><tr><th align=\"left\">A</th><th>B</th></tr></thead>\n<tbody><tr><td colspan=\"2\">wide</td></tr><tr><td rowspan=\"2\" align=\"right\">tall</td><td>x</td></tr></tbody>\n</table>\n";
    let text = format!(
        "Inline: {}.\n\n{table}\n<details>\n<summary>More detail</summary>\n\nMarkdown **inside** the details.\n\n- a list item\n\n</details>\n",
        kept.join(" ")
    );
    let dir = repo(None, &[("kept", &text)]);
    let built = build(dir.path());
    assert!(built.success, "{:?}", built.diags);
    assert!(removed(&built.diags).is_empty(), "{:?}", built.diags);
    let page = body(&built, 0);
    for k in kept {
        assert!(page.contains(k), "{k} not kept in {page}");
    }
    assert!(page.contains(table), "{page}");
    // `<details>` opens in one HTML block and closes in another, with markdown between.
    let details = page.find("<details>").expect("details kept");
    let inside = page
        .find("<strong>inside</strong>")
        .expect("markdown rendered");
    let list = page.find("<li>a list item</li>").expect("list rendered");
    let close = page.find("</details>").expect("details closed");
    assert!(details < inside && inside < list && list < close, "{page}");
    assert_eq!(page.matches("</details>").count(), 1, "{page}");
    assert!(page.contains("<summary>More detail</summary>"), "{page}");
}

#[test]
fn elements_left_open_are_closed_at_the_end_of_the_body() {
    let dir = repo(
        None,
        &[(
            "open",
            "<details>\n<summary>S</summary>\n\nText.\n\nStray </table> end tag.\n",
        )],
    );
    let built = build(dir.path());
    assert!(built.success, "{:?}", built.diags);
    let page = body(&built, 0);
    assert_eq!(page.matches("<details>").count(), 1, "{page}");
    assert_eq!(page.matches("</details>").count(), 1, "{page}");
    assert!(
        !page.contains("</table>"),
        "a stray end tag is dropped: {page}"
    );
    let close = page.find("</details>").unwrap();
    assert!(page.find("end tag.").unwrap() < close, "{page}");
}

#[test]
fn allow_html_keeps_everything_as_written() {
    let text = "<div style=\"color: red\" onclick=\"go()\">styled</div>\n\n<script>window.keep = 1</script>\n";
    let dir = repo(
        Some("[markdown]\nallow_html = true\n"),
        &[("trusted", text)],
    );
    let built = build(dir.path());
    assert!(built.success, "{:?}", built.diags);
    assert!(removed(&built.diags).is_empty(), "{:?}", built.diags);
    let page = body(&built, 0);
    assert!(
        page.contains("<div style=\"color: red\" onclick=\"go()\">styled</div>"),
        "{page}"
    );
    assert!(page.contains("<script>window.keep = 1</script>"), "{page}");
}

#[test]
fn html_anchors_are_link_targets_for_check() {
    let target = "<a name=\"legacy-anchor\"></a>\n\n## Heading\n\nText <span id=\"inline-id\">here</span>.\n\n<div id=\"block-id\">\nblock\n</div>\n";
    let linker = "[a](#local) [b](target.md#legacy-anchor) [c](target.md#inline-id) [d](target.md#block-id) [e](target.md#heading)\n\n<a id=\"local\"></a>\n\n[broken](target.md#nowhere)\n";
    let dir = repo(None, &[("target", target), ("linker", linker)]);
    let (ok, diags) = check(dir.path());
    let missing: Vec<&serde_json::Value> = diags
        .iter()
        .filter(|d| d["rule"] == "missing-anchor")
        .collect();
    assert!(!ok, "the broken anchor fails check");
    assert_eq!(missing.len(), 1, "{diags:?}");
    assert!(
        missing[0]["message"].as_str().unwrap().contains("nowhere"),
        "{missing:?}"
    );
    assert_eq!(missing[0]["line"], FRONT_LINES + 5);
}

#[test]
fn html_anchors_count_with_allow_html_and_only_when_on_the_page() {
    // A removed element's id is not on the page, so it is no target.
    let target = "<section id=\"gone\">x</section>\n\n<div id=\"there\" style=\"x\">y</div>\n";
    let linker = "[a](target.md#there) [b](target.md#gone)\n";
    let dir = repo(None, &[("target", target), ("linker", linker)]);
    let (_, diags) = check(dir.path());
    let missing: Vec<String> = diags
        .iter()
        .filter(|d| d["rule"] == "missing-anchor")
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(missing[0].contains("gone"), "{missing:?}");

    std::fs::write(
        dir.path().join("specsite.toml"),
        "[markdown]\nallow_html = true\n",
    )
    .unwrap();
    let (ok, diags) = check(dir.path());
    assert!(ok, "every id is on the page with allow_html: {diags:?}");
}

#[test]
fn a_site_without_raw_html_has_no_html_warnings() {
    let (_dir, out) = common::build_example();
    let o = bin()
        .args(["check", "--format", "json"])
        .arg(common::repo_path("example-site"))
        .output()
        .unwrap();
    assert!(removed(&json_lines(&o)).is_empty());
    // Code blocks that show HTML are code, never raw HTML: still escaped.
    let saml = common::read(&out, "features/idn-201/index.html");
    assert!(
        saml.contains("&lt;<span class=\"hl-g\">saml:AttributeStatement</span>&gt;"),
        "code block text kept"
    );
}

#[test]
fn the_caret_is_on_the_removed_attribute_in_indented_and_quoted_blocks() {
    let text = "  <div onclick=\"x\">\n  <p style=\"a\">b</p>\n  </div>\n\n> <div onclick=\"x\">\n> <p style=\"a\">b</p>\n";
    let dir = repo(None, &[("placed", text)]);
    let built = build(dir.path());
    let at: Vec<(u64, u64)> = built
        .diags
        .iter()
        .filter(|d| d["rule"] == "html-removed")
        .map(|d| (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    let l = u64::from(FRONT_LINES);
    assert_eq!(at, [(l + 1, 8), (l + 2, 6), (l + 5, 8), (l + 6, 6)]);
}
