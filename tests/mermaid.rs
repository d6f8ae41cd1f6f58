//! Mermaid diagrams through the real binary: drawn as inline SVG, shown as code with a
//! `mermaid` warning at file:line when they cannot be drawn or are too large, hostile
//! labels escaped, and output byte-identical across builds.

mod common;

use common::*;
use std::path::Path;

/// Writes a one-feature spec repo whose body is `body`; returns (tempdir, source).
fn repo(body: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(src.join("features")).unwrap();
    std::fs::write(
        src.join("features/pay-1-diagrams.md"),
        format!("---\nid: PAY-1\ntitle: Diagrams\nstatus: draft\n---\n{body}"),
    )
    .unwrap();
    (dir, src)
}

/// Builds `src` into `out` with `--format json`; returns the diagnostics.
fn build(src: &Path, out: &Path) -> Vec<serde_json::Value> {
    let o = run(&[
        "build",
        src.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(
        o.status.success(),
        "warnings do not fail a build: {}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn page(out: &Path) -> String {
    read(out, "features/pay-1/index.html")
}

#[test]
fn a_mermaid_block_becomes_an_inline_svg_with_a_text_alternative() {
    let (dir, src) = repo(
        "## Flow\n\n```mermaid\nflowchart LR\n  A[Draft] --> B[Review]\n```\n\n```mermaid\npie title Tickets by area\n  \"Billing\" : 42\n  \"Login\" : 28\n```\n",
    );
    let out = dir.path().join("site");
    let diags = build(&src, &out);
    assert!(diags.iter().all(|d| d["rule"] != "mermaid"), "{diags:#?}");
    let html = page(&out);
    assert_eq!(
        html.matches("<figure class=\"mermaid\"><svg").count(),
        2,
        "{html}"
    );
    assert!(
        html.contains("role=\"img\" aria-label=\"Flowchart: A[Draft] --&gt; B[Review]\""),
        "{html}"
    );
    assert!(
        html.contains("<title>Pie chart: Tickets by area</title>"),
        "{html}"
    );
    assert!(
        html.contains(">Draft</text>") && html.contains(">Review</text>"),
        "{html}"
    );
    // Colours come from the theme's variables, which the stylesheet sets light and dark.
    assert!(html.contains("fill:var(--mm-node)"), "{html}");
    let css = read(&out, "assets/style.css");
    assert!(css.contains("--mm-node:") && css.contains("--mm-edge:"));
    // The source stays readable below the picture.
    assert!(
        html.contains("<details class=\"mermaid-source\">"),
        "{html}"
    );
    // Ids are prefixed per diagram, so the two diagrams' markers cannot collide.
    let ids: Vec<&str> = html
        .split(" id=\"mmd")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let unique: std::collections::BTreeSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
}

#[test]
fn a_broken_diagram_is_shown_as_code_with_a_warning_at_its_line() {
    let (dir, src) = repo("Intro.\n\n```mermaid\nflowchart TD\n  A --> \n  --> -->\n```\n");
    let out = dir.path().join("site");
    let diags = build(&src, &out);
    let d = diags
        .iter()
        .find(|d| d["rule"] == "mermaid")
        .unwrap_or_else(|| panic!("{diags:#?}"));
    assert_eq!(d["file"], "features/pay-1-diagrams.md");
    // Front matter is 5 lines; the fence is the body's third line.
    assert_eq!(d["line"], 8, "{d}");
    assert_eq!(d["level"], "warning");
    assert!(
        d["message"].as_str().unwrap().contains("parse error"),
        "{d}"
    );
    assert!(d["help"].as_str().is_some());
    let html = page(&out);
    assert!(!html.contains("<svg"), "{html}");
    assert!(
        html.contains("<pre><code class=\"language-mermaid\">flowchart TD\n  A --&gt; \n  --&gt; --&gt;\n</code></pre>"),
        "{html}"
    );
}

#[test]
fn an_oversized_diagram_falls_back_with_a_warning() {
    let edges: String = (0..400)
        .map(|i| format!("  N{i} --> N{}\n", i + 1))
        .collect();
    let (dir, src) = repo(&format!("```mermaid\nflowchart TD\n{edges}```\n"));
    let out = dir.path().join("site");
    let diags = build(&src, &out);
    let d = diags
        .iter()
        .find(|d| d["rule"] == "mermaid")
        .unwrap_or_else(|| panic!("{diags:#?}"));
    assert_eq!(d["line"], 6);
    assert!(
        d["message"].as_str().unwrap().contains("over the limit"),
        "{d}"
    );
    let html = page(&out);
    assert!(
        !html.contains("<svg") && html.contains("language-mermaid"),
        "{html}"
    );
}

#[test]
fn hostile_labels_and_links_are_escaped_or_dropped() {
    let (dir, src) = repo(concat!(
        "```mermaid\nflowchart TD\n",
        "  A[\"<script>alert(1)</script>\"] --> B[\"x\\\" onload=\\\"alert(2)\"]\n",
        "  B --> C[\"<img src=x onerror=alert(4)>\"]\n",
        "  click A \"javascript:alert(3)\"\n",
        "  click B \"https://evil.example/\"\n",
        "```\n",
    ));
    let out = dir.path().join("site");
    build(&src, &out);
    let html = page(&out);
    let start = html.find("<figure class=\"mermaid\">").expect("drawn");
    let end = html[start..].find("</figure>").unwrap() + start;
    let figure = &html[start..end];
    // The picture, without the source shown (escaped) below it.
    let picture = &figure[..figure.find("<details").unwrap()];
    for bad in [
        "<script",
        "<img",
        "javascript:",
        "evil.example",
        "<a ",
        "<foreignObject",
    ] {
        assert!(!picture.contains(bad), "{bad} in {picture}");
    }
    // No tag in the figure carries an event handler: attribute names outside quotes.
    for tag in picture.split('<').skip(1) {
        let tag = &tag[..tag.find('>').unwrap()];
        let names: String = tag.split('"').step_by(2).collect();
        assert!(!names.to_ascii_lowercase().contains(" on"), "<{tag}>");
    }
    assert!(
        figure.contains("&lt;script&gt;"),
        "the source is shown escaped: {figure}"
    );
}

#[test]
fn two_builds_with_diagrams_are_byte_identical() {
    let body = "```mermaid\nsequenceDiagram\n  A->>B: hi\n  B-->>A: ok\n```\n\n```mermaid\nsequenceDiagram\n  A->>B: hi\n  B-->>A: ok\n```\n\n```mermaid\ngantt\n  dateFormat YYYY-MM-DD\n  section S\n  T :a1, 2026-01-01, 5d\n```\n";
    let (dir, src) = repo(body);
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    build(&src, &a);
    build(&src, &b);
    let (sa, sb) = (snapshot(&a), snapshot(&b));
    assert_eq!(sa.len(), sb.len());
    for ((pa, ba), (pb, bb)) in sa.iter().zip(&sb) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between two builds");
    }
    // The repeated diagram gets its own ids.
    let html = page(&a);
    assert_eq!(html.matches("<svg").count(), 3, "{html}");
    let ids: Vec<&str> = html
        .split(" id=\"mmd")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let unique: std::collections::BTreeSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
}

#[test]
fn the_example_site_draws_its_three_diagrams() {
    let (_dir, out) = build_example();
    let retries = read(&out, "features/pay-104/index.html");
    assert!(retries.contains("aria-label=\"Flowchart: "), "flowchart");
    assert!(
        retries.contains("aria-label=\"Gantt chart: Retries rollout\""),
        "gantt"
    );
    let outbox = read(&out, "features/plt-405/index.html");
    assert!(
        outbox.contains("aria-label=\"Sequence diagram: "),
        "sequence"
    );
}
