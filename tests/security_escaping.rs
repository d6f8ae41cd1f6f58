//! Text from a spec repository that holds control characters, written by the real
//! binary: every XML file of the site must stay well-formed XML 1.0, and diagnostics
//! must show escape sequences instead of sending them to the reader's terminal or CI
//! log.

mod common;
use common::*;

use quick_xml::events::Event;
use std::path::Path;

/// Every character XML 1.0 forbids that a Rust string can hold.
fn forbidden() -> Vec<char> {
    (0u32..0x20)
        .filter(|c| ![0x09, 0x0a, 0x0d].contains(c))
        .chain([0xfffe, 0xffff])
        .filter_map(char::from_u32)
        .collect()
}

fn xml_allows(c: char) -> bool {
    !forbidden().contains(&c)
}

/// The same characters as YAML double-quoted escapes (and `\r`, which XML allows).
fn yaml_escapes() -> String {
    (0u32..0x20)
        .filter(|&c| c != 0x0a)
        .map(|c| format!("\\x{c:02x}"))
        .chain(["\\uFFFE".into(), "\\uFFFF".into()])
        .collect()
}

/// A site whose title, description, base URL, ids, titles, owners, summaries and
/// file names hold every forbidden character.
fn hostile_site(root: &Path) {
    let e = yaml_escapes();
    std::fs::create_dir_all(root.join("features")).unwrap();
    std::fs::create_dir_all(root.join("guides")).unwrap();
    std::fs::write(
        root.join("specsite.toml"),
        "title = \"Specs \\u000c site\"\ndescription = \"about\\u0001\\uFFFF\"\n\
         base_url = \"https://example.com/\\u0001docs/\"\n",
    )
    .unwrap();
    let raw: String = forbidden().into_iter().filter(|&c| c != '\0').collect();
    std::fs::write(
        root.join("features/a.md"),
        format!(
            "---\nid: \"CTL-1{e}\"\ntitle: \"Pasted{e}title\"\nstatus: draft\n\
             owner: \"Ann{e}Lee\"\ncreated: 2026-01-05\nupdated: 2026-02-01\n---\n\
             Summary{raw}from a PDF.\n"
        ),
    )
    .unwrap();
    std::fs::write(
        root.join("features/b.md"),
        "---\nid: B-1\ntitle: Plain\nstatus: draft\ncreated: 2026-01-06\n---\nBody.\n",
    )
    .unwrap();
    std::fs::write(root.join("guides/form\x0cfeed.md"), "# Guide\n\nText.\n").unwrap();
}

/// Reads a whole XML document with quick-xml; returns its text and attribute values,
/// unescaped. Panics on anything that is not well-formed.
fn read_xml(name: &str, bytes: &[u8]) -> String {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut seen = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                for a in e.attributes() {
                    let a = a.unwrap_or_else(|err| panic!("{name}: attribute: {err}"));
                    seen.push_str(
                        &a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .unwrap_or_else(|err| panic!("{name}: {err}")),
                    );
                    seen.push('\n');
                }
            }
            Ok(Event::Text(t)) => seen.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) => {
                let entity = format!("&{};", &*r);
                seen.push_str(
                    &quick_xml::escape::unescape(&entity)
                        .unwrap_or_else(|err| panic!("{name}: {err}")),
                );
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(err) => panic!(
                "{name} is not well-formed at {}: {err}",
                reader.buffer_position()
            ),
        }
    }
    seen
}

#[test]
fn every_xml_file_is_well_formed_whatever_control_characters_the_specs_hold() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("specs");
    hostile_site(&root);
    let out = dir.path().join("site");
    let o = run(&[
        "build",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--keep-going",
    ]);
    assert!(out.join("feed.xml").is_file(), "{}", stderr(&o));
    let xml: Vec<(String, Vec<u8>)> = snapshot(&out)
        .into_iter()
        .filter(|(path, _)| path.ends_with(".xml"))
        .collect();
    let names: Vec<&str> = xml.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(names, ["feed.xml", "sitemap.xml"]);
    for (name, bytes) in &xml {
        let content = read_xml(name, bytes);
        let bad: Vec<char> = content.chars().filter(|&c| !xml_allows(c)).collect();
        assert!(bad.is_empty(), "{name} holds {bad:?}");
        let raw = String::from_utf8_lossy(bytes);
        assert!(
            raw.chars().all(xml_allows),
            "{name} holds a forbidden character"
        );
        // The text is still there. (Control characters in front matter are removed
        // when it is read, with a warning; the site title's become spaces here.)
        if name == "feed.xml" {
            for want in [
                "Specs   site",
                "Pasted",
                "title",
                "Ann",
                "Lee",
                "Summary",
                "from a PDF.",
            ] {
                assert!(content.contains(want), "{name} lost {want:?}:\n{content}");
            }
            assert!(content.contains('\u{fffd}'), "noncharacters are replaced");
        } else {
            assert!(
                content.contains("https://example.com/ docs/guides/"),
                "{content}"
            );
        }
    }
}

/// Specs whose ids, links, file names and source lines hold escape sequences: a screen
/// clear, an OSC 8 hyperlink, a carriage return that would overwrite the line, and a
/// line feed that would forge a diagnostic or a workflow command.
fn terminal_tricks(root: &Path) {
    std::fs::create_dir_all(root.join("features")).unwrap();
    std::fs::write(
        root.join("features/a.md"),
        "---\nid: EV-1\ntitle: Links\nlinks: [\"NOPE\\x1b]8;;http://evil.example\\x07click\\x1b]8;;\\x07\", \
         \"X\\rerror[fake]: forged\", \"Y\\n::error::injected\"]\n---\nHi.\n",
    )
    .unwrap();
    let dup = "---\nid: \"DUP-1\\x1b[2J\"\ntitle: Twin\n---\nHi.\n";
    std::fs::write(root.join("features/b.md"), dup).unwrap();
    std::fs::write(root.join("features/b\x1b[31m.md"), dup).unwrap();
    std::fs::write(
        root.join("features/c.md"),
        "---\nid: C-1\ntitle: bad\x1b[2J\x1b]8;;http://e\x07x\n---\nHi.\n",
    )
    .unwrap();
}

#[test]
fn diagnostics_show_escape_sequences_instead_of_sending_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("specs");
    terminal_tricks(&root);
    let source = root.to_str().unwrap();
    let human = run(&["check", source]);
    let github = run(&["check", source, "--format", "github"]);
    let human = stderr(&human);
    let github = stdout(&github);
    for (format, text) in [("human", &human), ("github", &github)] {
        assert!(
            !text.contains(['\x1b', '\x07', '\r']),
            "{format} output holds a raw control character:\n{text:?}"
        );
        // Ids and links lose their control characters when front matter is read (a
        // `control-character` warning); file names and source lines keep them, escaped.
        for shown in ["DUP-1[2J", "b\\u{1b}[31m.md", "]8;;http", "click"] {
            assert!(text.contains(shown), "{format} shows {shown:?}:\n{text}");
        }
    }
    // The source line with the raw sequences is shown, escaped.
    assert!(
        human.contains("| title: bad\\u{1b}[2J\\u{1b}]8;;http://e\\u{7}x\n"),
        "{human}"
    );
    assert!(human.contains("Xerror[fake]: forged"), "{human}");
    assert!(human.contains("Y\\n::error::injected"), "{human}");
    assert!(
        !human
            .lines()
            .any(|l| l.starts_with("error[fake]") || l.starts_with("::"))
    );
    // One workflow command per line, the line breaks escaped as GitHub reads them.
    assert!(!github.is_empty());
    for line in github.lines() {
        assert!(
            line.starts_with("::error file=") || line.starts_with("::warning file="),
            "{line}"
        );
    }
    assert!(github.contains("Xerror[fake]: forged"), "{github}");
    assert!(github.contains("Y%0A::error::injected"), "{github}");
    assert!(
        github.contains("/features/b\\u{1b}[31m.md,line=2"),
        "{github}"
    );
}
