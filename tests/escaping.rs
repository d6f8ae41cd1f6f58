//! Output safety: a value from front matter (titles, owners, statuses, every field) never
//! reaches a page, an attribute, the JSON API or the XML sitemap unescaped. Every field
//! of a feature, a decision, a roadmap and a plain page carries `<script>`, both quotes
//! and `]]>`; every file of the built site is then searched for them raw.

mod common;
use common::*;

/// The hostile value: a script tag, a double and a single quote, and the end of an XML
/// CDATA section.
const EVIL: &str = r#"E<script>alert(1)</script>"q'a]]>Z"#;

fn yaml(s: &str) -> String {
    // A YAML single-quoted scalar: only `'` needs doubling.
    format!("'{}'", s.replace('\'', "''"))
}

fn site() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    let e = yaml(EVIL);
    let files = [
        (
            "features/evil.md".to_string(),
            format!(
                "---\nid: {e}\ntitle: {e}\nstatus: {e}\nowner: {e}\nowners: [{e}]\nteam: {e}\ntags: [{e}, ok]\n\
                 created: {e}\nupdated: {e}\ndescription: {e}\nsummary: {e}\nlinks: [{e}]\nrelated: [{e}]\n\
                 aliases: [{e}]\ndraft: {e}\nweight: {e}\ntarget: {e}\nshipped: {e}\nreview: {e}\n\
                 rice: {{reach: {e}, impact: 1, confidence: 1, effort: 1}}\ndecisions: [{e}]\n\
                 depends_on: [{e}]\nrequires: [{e}]\ncustom: {e}\nmetrics:\n  - name: {e}\n    baseline: {e}\n\
                 \x20   target: {e}\n    actual: {e}\n    unit: {e}\n    measured: {e}\n    source: {e}\n  - name: {e}\n\
                 \x20   baseline: 1%\n    target: '>= 2%'\n    actual: 3%\n    measured: 2026-01-01\n    source: {e}\n\
                 ---\n\n# {EVIL}\n\n{EVIL}\n\n## {EVIL}\n\n[{EVIL}](https://example.com/?q={EVIL}) [[{EVIL}]]\n"
            ),
        ),
        (
            "features/plain.md".to_string(),
            format!(
                "---\nid: OK-1\ntitle: Fine\nstatus: shipped\nowner: {e}\nteam: {e}\ntags: [{e}]\nshipped: 2026-01-01\n\
                 metrics:\n  - name: {e}\n    baseline: 1%\n    target: '>= 2%'\n    actual: 3%\n    measured: 2026-02-01\n---\n\nBody.\n"
            ),
        ),
        (
            "decisions/0001-evil.md".to_string(),
            format!(
                "---\nid: {e}\ntitle: {e}\nstatus: {e}\ndate: {e}\ndeciders: [{e}]\nconsulted: [{e}]\ninformed: [{e}]\n\
                 supersedes: {e}\nsuperseded_by: {e}\namends: {e}\namended_by: {e}\nfeatures: [{e}, OK-1]\n---\n\n{EVIL}\n"
            ),
        ),
        (
            "decisions/0002-fine.md".to_string(),
            format!(
                "---\nid: ADR-2\ntitle: Fine\nstatus: accepted\ndate: 2026-01-01\ndeciders: [{e}]\nfeatures: [OK-1]\n---\n\nBody.\n"
            ),
        ),
        (
            "roadmaps/evil.md".to_string(),
            format!(
                "---\nid: {e}\ntitle: {e}\nhorizon: {e}\nperiod: {e}\nowner: {e}\n---\n\n## Now\n\n- [[OK-1]] {EVIL}\n\n## {EVIL}\n\n| {EVIL} |\n|---|\n| [[OK-1]] |\n"
            ),
        ),
        (
            "guides/evil.md".to_string(),
            format!("---\ntitle: {e}\nowner: {e}\ncustom: {e}\n---\n\n{EVIL}\n"),
        ),
        (
            "people.toml".to_string(),
            format!(
                "[evil]\nname = {q}\nemail = {q}\nhandle = {q}\nrole = {q}\nteam = {q}\n",
                q = toml_string(EVIL)
            ),
        ),
        (
            "specsite.toml".to_string(),
            format!(
                "title = {q}\ndescription = {q}\nbase_url = \"https://example.com/\"\n",
                q = toml_string(EVIL)
            ),
        ),
    ];
    for (path, text) in files {
        let p = src.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let out = dir.path().join("out");
    let o = bin()
        .arg("build")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .arg("--keep-going")
        .output()
        .unwrap();
    assert!(
        out.join("index.html").is_file(),
        "the site is written with --keep-going: {}",
        stderr(&o)
    );
    (dir, out)
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[test]
fn front_matter_values_are_escaped_in_every_output() {
    let (_dir, out) = site();
    let files = snapshot(&out);
    let mut checked = [0usize; 3];
    let mut problems = Vec::new();
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        let raw_quote = text.matches(r#""q'a"#).count();
        let escaped_quote = text.matches(r#"\"q'a"#).count();
        if path.ends_with(".html") {
            checked[0] += 1;
            if text.contains("<script>alert") {
                problems.push(format!("{path}: raw <script> from a value"));
            }
            if raw_quote > 0 {
                problems.push(format!("{path}: a raw quote from a value"));
            }
        } else if path.ends_with(".json") {
            checked[1] += 1;
            if let Err(e) = serde_json::from_slice::<serde_json::Value>(bytes) {
                problems.push(format!("{path}: not valid JSON: {e}"));
            }
            if raw_quote != escaped_quote {
                problems.push(format!("{path}: a quote from a value is not escaped"));
            }
            // `<` needs no escape in a JSON file (served as application/json, never
            // inlined in a page: the HTML check above would see it).
        } else if path.ends_with(".xml") {
            checked[2] += 1;
            if text.contains("<script") || text.contains("]]>Z") || raw_quote > 0 {
                problems.push(format!("{path}: a value is not XML-escaped"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        checked[0] >= 8 && checked[1] >= 1 && checked[2] >= 1,
        "html, json, xml files checked: {checked:?}"
    );
    // The values are there, escaped: the test would notice if they were dropped.
    let feature = files
        .iter()
        .filter(|(p, _)| p.starts_with("features/") && p.ends_with("index.html"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .find(|t| t.contains("E&lt;script&gt;alert(1)&lt;/script&gt;&quot;q&#39;a]]&gt;Z"))
        .is_some();
    assert!(feature, "a feature page shows the escaped value");
}
