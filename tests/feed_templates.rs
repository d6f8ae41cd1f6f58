//! The feed and the sitemap are built-in templates (`feed.xml`, `sitemap.xml`) that a
//! site overrides like its HTML pages, and every value they print is escaped for XML
//! without the template asking for it. Built by the real binary.

mod common;
use common::*;

use std::path::Path;

/// A site with one feature whose title needs XML escaping, with `templates` (name, text) in its `templates/` folder.
fn site(root: &Path, templates: &[(&str, &str)]) {
    std::fs::create_dir_all(root.join("features")).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("specsite.toml"),
        "title = \"ACME\"\nbase_url = \"https://specs.example.com/\"\n",
    )
    .unwrap();
    std::fs::write(
        root.join("features/pay.md"),
        "---\nid: PAY-1\ntitle: \"Fees & <taxes> \\\"now\\\"\"\nstatus: draft\n\
         created: 2026-01-05\nupdated: 2026-02-01\n---\nFast payouts.\n",
    )
    .unwrap();
    for (name, text) in templates {
        std::fs::write(root.join("templates").join(name), text).unwrap();
    }
}

fn build(root: &Path, out: &Path) -> std::process::Output {
    run(&[
        "build",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

#[test]
fn a_sites_feed_and_sitemap_templates_replace_the_built_in_ones_and_escape_for_xml() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("src"), dir.path().join("out"));
    site(
        &root,
        &[
            (
                "feed.xml",
                "<titles>{% for e in feed.entries %}<t>{{ e.title }}</t>{% endfor %}</titles>\n",
            ),
            (
                "sitemap.xml",
                "<urls>{% for u in sitemap.urls %}{% if u.lastmod %}<u at=\"{{ u.lastmod }}\">{{ u.loc }}</u>{% endif %}{% endfor %}</urls>\n",
            ),
        ],
    );
    let o = build(&root, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        read(&out, "feed.xml"),
        "<titles><t>Now draft: PAY-1 Fees &amp; &lt;taxes&gt; &quot;now&quot;</t>\
         <t>New feature: PAY-1 Fees &amp; &lt;taxes&gt; &quot;now&quot;</t></titles>\n"
    );
    assert_eq!(
        read(&out, "sitemap.xml"),
        "<urls><u at=\"2026-02-01\">https://specs.example.com/features/pay-1/</u></urls>\n"
    );
}

#[test]
fn without_overrides_the_built_in_feed_escapes_the_same_title() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("src"), dir.path().join("out"));
    site(&root, &[]);
    let o = build(&root, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let feed = read(&out, "feed.xml");
    assert!(
        feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed "),
        "{feed}"
    );
    assert!(
        feed.contains("<title>New feature: PAY-1 Fees &amp; &lt;taxes&gt; &quot;now&quot;</title>"),
        "{feed}"
    );
    let sitemap = read(&out, "sitemap.xml");
    assert!(
        sitemap.contains("  <url><loc>https://specs.example.com/features/pay-1/</loc></url>\n"),
        "{sitemap}"
    );
}

#[test]
fn a_broken_feed_template_is_reported_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("src"), dir.path().join("out"));
    site(&root, &[("feed.xml", "{% for e in feed.entries %}\n")]);
    let o = build(&root, &out);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("templates/feed.xml"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
