//! The bad-input cases: each a small repository (files written into a temp folder), the
//! diagnostics it must produce, and whether `build` still writes the site. Positions
//! are file positions (1-based line and column in characters).

use std::path::Path;

/// One expected diagnostic. `line`/`col` of `None` accept any position (for problems
/// whose position is the whole file).
#[derive(Debug, Clone)]
pub struct Expect {
    pub rule: &'static str,
    pub file: String,
    pub line: Option<u32>,
    pub col: Option<u32>,
}

/// A check on the output folder: `Err` says what is wrong.
pub type OutputCheck = fn(&Path) -> Result<(), String>;

pub struct Case {
    pub name: &'static str,
    pub files: Vec<(String, Vec<u8>)>,
    /// Extra preparation (symbolic links, permissions), given the temp folder and SOURCE.
    pub setup: Option<fn(&Path, &Path)>,
    /// Every error the build reports, and the warnings that matter.
    pub expect: Vec<Expect>,
    /// Whether `build` writes the site.
    pub site: bool,
    /// Checks on the output folder.
    pub check: Option<OutputCheck>,
    /// Run as an unprivileged user when the tests run as root (file permissions do
    /// not bind root).
    pub unprivileged: bool,
}

fn case(name: &'static str) -> Case {
    Case {
        name,
        files: Vec::new(),
        setup: None,
        expect: Vec::new(),
        site: true,
        check: None,
        unprivileged: false,
    }
}

impl Case {
    fn file(mut self, path: &str, bytes: impl Into<Vec<u8>>) -> Self {
        self.files.push((path.to_string(), bytes.into()));
        self
    }

    /// A feature with this front matter (YAML) and a short body.
    fn feature(self, path: &str, front: &str) -> Self {
        self.file(path, format!("---\n{front}---\n\nBody.\n"))
    }

    fn expect(mut self, rule: &'static str, file: &str, line: u32, col: u32) -> Self {
        self.expect.push(Expect {
            rule,
            file: file.to_string(),
            line: Some(line),
            col: Some(col),
        });
        self
    }

    /// A diagnostic whose column depends on a parser's internals.
    fn expect_line(mut self, rule: &'static str, file: &str, line: u32) -> Self {
        self.expect.push(Expect {
            rule,
            file: file.to_string(),
            line: Some(line),
            col: None,
        });
        self
    }

    /// An error of the whole file (no line).
    fn expect_file(mut self, rule: &'static str, file: &str) -> Self {
        self.expect.push(Expect {
            rule,
            file: file.to_string(),
            line: None,
            col: None,
        });
        self
    }

    fn no_site(mut self) -> Self {
        self.site = false;
        self
    }

    fn setup(mut self, f: fn(&Path, &Path)) -> Self {
        self.setup = Some(f);
        self
    }

    fn unprivileged(mut self) -> Self {
        self.unprivileged = true;
        self
    }

    fn check(mut self, f: OutputCheck) -> Self {
        self.check = Some(f);
        self
    }
}

const F: &str = "features/a.md";
const D: &str = "decisions/0001-a.md";

fn ensure(ok: bool, what: impl Into<String>) -> Result<(), String> {
    if ok { Ok(()) } else { Err(what.into()) }
}

fn page(out: &Path, rel: &str) -> Result<String, String> {
    crate::page(out, rel)
}

fn decision(id: &str, front: &str) -> (String, String) {
    (
        format!("decisions/{}.md", id.to_lowercase()),
        format!("---\nid: {id}\ntitle: Decision {id}\nstatus: accepted\n{front}---\n\nBody.\n"),
    )
}

/// A supersede cycle of `n` decisions: each supersedes the next, the last the first.
fn cycle(name: &'static str, n: usize) -> Case {
    let mut c = case(name).no_site();
    for i in 0..n {
        let next = (i + 1) % n;
        let (path, text) = decision(&format!("ADR-{i}"), &format!("supersedes: ADR-{next}\n"));
        c = c.file(&path, text);
    }
    // The cycle is reported once, on the decision where the walk closes it, at its
    // `supersedes:` value (line 5, column 13).
    c.expect.push(Expect {
        rule: "supersede-cycle",
        file: "decisions/adr-0.md".into(),
        line: Some(5),
        col: Some(13),
    });
    c
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

pub fn all() -> Vec<Case> {
    let mut cases = vec![
        // ── YAML ────────────────────────────────────────────────────────────────
        case("yaml-unclosed-quote")
            .feature(F, "id: A-1\ntitle: \"Unclosed\nstatus: draft\n")
            .expect("front-matter", F, 3, 8)
            .no_site(),
        case("yaml-tab-indentation")
            .feature(F, "id: A-1\n\ttitle: Tabbed\n")
            .expect("front-matter", F, 3, 1)
            .no_site(),
        case("yaml-duplicate-key")
            .feature(F, "id: A-1\ntitle: One\ntitle: Two\n")
            .expect("front-matter", F, 4, 1)
            .no_site(),
        case("yaml-list-where-map")
            .feature(F, "id: A-1\nrice: [1, 2, 3, 4]\n")
            .expect("invalid-field", F, 3, 7)
            .no_site(),
        case("yaml-map-where-list")
            .feature(F, "id: A-1\ntags: {a: 1}\n")
            .expect("invalid-field", F, 3, 7)
            .no_site(),
        case("yaml-huge-number")
            .feature(
                F,
                "id: A-1\nweight: 99999999999999999999999999999999999999\nrice: { reach: 1e999, impact: 2, confidence: 1, effort: 1 }\n",
            )
            .expect("invalid-field", F, 4, 16)
            .no_site(),
        case("yaml-impossible-date")
            .feature(F, "id: A-1\ncreated: 2023-14-05\n")
            .expect("invalid-date", F, 3, 10)
            .no_site(),
        case("yaml-top-level-list")
            .feature(F, "- id: A-1\n- title: x\n")
            .expect("front-matter", F, 2, 1)
            .no_site(),
        case("yaml-anchor-and-alias")
            .feature(F, "id: &x A-1\ntitle: *x\n")
            .expect("front-matter", F, 2, 8)
            .no_site(),
        case("yaml-deep-flow-nesting")
            .feature(
                F,
                &format!("id: A-1\nextra: {}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
            )
            .expect_line("front-matter", F, 3)
            .no_site(),
        case("yaml-nul-byte")
            .file(F, "---\nid: A-1\ntitle: a\0b\n---\nBody.\n")
            .expect("front-matter", F, 3, 9)
            .no_site(),
        case("yaml-control-character")
            .file(F, "---\nid: A-1\ntitle: bell\x07\n---\nBody.\n")
            .expect("front-matter", F, 3, 12)
            .no_site(),
        // ── TOML ────────────────────────────────────────────────────────────────
        case("toml-unclosed-quote")
            .file(F, "+++\nid = \"A-1\ntitle = \"x\"\n+++\n")
            .expect("front-matter", F, 2, 10)
            .no_site(),
        case("toml-duplicate-key")
            .file(F, "+++\nid = \"A-1\"\nid = \"A-2\"\n+++\n")
            .expect("front-matter", F, 3, 1)
            .no_site(),
        case("toml-list-where-map")
            .file(F, "+++\nid = \"A-1\"\nrice = [1, 2]\n+++\n")
            .expect("invalid-field", F, 3, 8)
            .no_site(),
        case("toml-huge-number")
            .file(
                F,
                "+++\nid = \"A-1\"\nrice = { reach = 1e999, impact = 2, confidence = 1, effort = 1 }\n+++\n",
            )
            .expect("invalid-field", F, 3, 18)
            .no_site(),
        case("toml-impossible-date")
            .file(F, "+++\nid = \"A-1\"\ncreated = 2023-14-05\n+++\n")
            .expect("front-matter", F, 3, 11)
            .no_site(),
        case("toml-nul-byte")
            .file(F, "+++\nid = \"A-1\"\ntitle = \"a\0b\"\n+++\n")
            .expect("front-matter", F, 3, 11)
            .no_site(),
        // ── File structure ──────────────────────────────────────────────────────
        case("missing-closing-fence")
            .file(F, "---\nid: A-1\ntitle: Never closed\n\n# Body\n")
            .expect("front-matter", F, 1, 1)
            .no_site(),
        case("empty-file").file(F, "").check(|out| {
            ensure(
                out.join("features/a/index.html").is_file(),
                "an empty file is a page named after the file",
            )
        }),
        case("only-front-matter")
            .file(F, "---\nid: A-1\ntitle: Only fields\n---\n")
            .check(|out| {
                ensure(
                    page(out, "features/a-1/index.html")?.contains("Only fields"),
                    "title shown",
                )
            }),
        case("byte-order-mark")
            .file(F, "\u{feff}---\nid: BOM-1\nstatus: wrong\n---\nBody.\n")
            .expect("unmapped-status", F, 3, 9),
        case("crlf-line-endings")
            .file(F, "---\r\nid: CR-1\r\nstatus: wrong\r\n---\r\n\r\nBody.\r\n")
            .expect("unmapped-status", F, 3, 9),
        case("mixed-line-endings")
            .file(F, "---\r\nid: MX-1\ntitle: x\r\nstatus: wrong\n---\r\nBody [x](nowhere.md).\n")
            .expect("unmapped-status", F, 4, 9)
            .expect("broken-link", F, 6, 6)
            .no_site(),
        case("invalid-utf8")
            .file(F, b"---\nid: A-1\ntitle: caf\xe9\n---\n".to_vec())
            .expect("not-utf8", F, 3, 11)
            .no_site(),
        case("nul-byte-in-body")
            .file(F, "---\nid: A-1\n---\n\nBefore\0after.\n")
            .check(|out| {
                let p = page(out, "features/a-1/index.html")?;
                ensure(!p.contains('\0'), "a NUL byte reached the page")
            }),
        case("unknown-field-warns")
            .feature(F, "id: A-1\nsponsor: Finance\n")
            .expect("unknown-field", F, 3, 1),
        case("unknown-status")
            .feature(F, "id: A-1\nstatus: shiped\n")
            .expect("unknown-status", F, 3, 9)
            .no_site(),
        case("unknown-kind")
            .feature("notes.md", "kind: memo\n")
            .expect("unknown-kind", "notes.md", 2, 7)
            .no_site(),
        // ── Wrong types in every known field ────────────────────────────────────
        case("feature-fields-wrong-types")
            .feature(
                F,
                "id: [A, B]\ntitle: {x: 1}\nstatus: [a, b]\nowner: {name: x}\nteam: [a, b]\ntags: {a: b}\ncreated: {y: 2026}\nupdated: {a: b}\ntarget: soon\nshipped: yesterday\nreview: 13/13/2026\nrice: fast\ndecisions: {a: b}\ndepends_on: {a: b}\nrequires: {a: b}\nlinks: {a: b}\nrelated: {a: b}\nmetrics: many\n",
            )
            .expect("invalid-field", F, 2, 5)
            .expect("invalid-field", F, 3, 8)
            .expect("invalid-field", F, 4, 9)
            .expect("invalid-field", F, 5, 8)
            .expect("invalid-field", F, 6, 7)
            .expect("invalid-field", F, 7, 7)
            .expect("invalid-field", F, 8, 10)
            .expect("invalid-field", F, 9, 10)
            .expect("invalid-date", F, 10, 9)
            .expect("invalid-date", F, 11, 10)
            .expect("invalid-date", F, 12, 9)
            .expect("invalid-field", F, 13, 7)
            .expect("invalid-field", F, 14, 12)
            .expect("invalid-field", F, 15, 13)
            .expect("invalid-field", F, 16, 11)
            .expect("invalid-field", F, 17, 8)
            .expect("invalid-field", F, 18, 10)
            .expect("invalid-field", F, 19, 10)
            .no_site(),
        case("decision-fields-wrong-types")
            .feature(
                D,
                "date: 2026-02-30\ndeciders: {a: b}\nconsulted: {a: b}\nsupersedes: {a: b}\nsuperseded_by: [{a: b}]\namends: {a: b}\namended_by: {a: b}\nfeatures: {a: b}\n",
            )
            .expect("invalid-date", D, 2, 7)
            .expect("invalid-field", D, 3, 11)
            .expect("invalid-field", D, 5, 13)
            .expect("invalid-field", D, 6, 16)
            .expect("invalid-field", D, 7, 9)
            .expect("invalid-field", D, 8, 13)
            .expect("invalid-field", D, 9, 11)
            .no_site(),
        case("metric-goal-wrong-types")
            .feature(
                F,
                "id: A-1\nmetrics:\n  - just text\n  - name: No target\n  - name: Bad date\n    target: \">= 2%\"\n    actual: 3%\n    measured: last week\n  - name: Bad target\n    target: about three\n",
            )
            .expect("invalid-field", F, 4, 5)
            .expect("metric-target", F, 5, 11)
            .expect("invalid-date", F, 9, 15)
            .expect("metric-target", F, 11, 13)
            .no_site(),
        case("metric-unit-mismatch")
            .feature(
                F,
                "id: A-1\nmetrics:\n  - name: Latency\n    baseline: 300ms\n    target: \"<= 200ms\"\n    actual: 0.2s\n",
            )
            .expect("metric-unit", F, 6, 14)
            .no_site(),
        // ── Ids ─────────────────────────────────────────────────────────────────
        case("ids-collide-after-slugging")
            .feature("features/one.md", "id: Foo Bar\n")
            .feature("features/two.md", "id: foo-bar\n")
            .expect("duplicate-id", "features/one.md", 2, 5)
            .expect("duplicate-id", "features/two.md", 2, 5)
            .no_site(),
        case("duplicate-id")
            .feature("features/one.md", "id: PAY-1\n")
            .feature("features/two.md", "title: Two\nid: pay-1\n")
            .expect("duplicate-id", "features/one.md", 2, 5)
            .expect("duplicate-id", "features/two.md", 3, 5)
            .no_site(),
        // Two file names giving one id fall back to their whole paths.
        case("same-file-name-in-two-folders")
            .feature("features/x/pay-1.md", "title: One\n")
            .feature("features/y/pay-1.md", "title: Two\n")
            .check(|out| {
                let pages = std::fs::read_dir(out.join("features"))
                    .map_err(|e| e.to_string())?
                    .flatten()
                    .filter(|e| e.path().join("index.html").is_file())
                    .count();
                ensure(pages == 2, format!("{pages} feature pages, expected 2"))
            }),
        case("id-with-slash")
            .feature(F, "id: team/PAY-1\n")
            .check(|out| {
                ensure(
                    out.join("features/team-pay-1/index.html").is_file(),
                    "slash becomes a dash",
                )
            }),
        case("id-with-dot-dot")
            .feature(F, "id: ../../../escape\n")
            .check(|out| {
                ensure(
                    out.join("features/escape/index.html").is_file()
                        && !out.parent().unwrap().join("escape").exists(),
                    "the page stays inside the site",
                )
            }),
        case("id-with-spaces")
            .feature(F, "id: \"  Instant   payouts  \"\n")
            .check(|out| {
                ensure(
                    out.join("features/instant-payouts/index.html").is_file(),
                    "spaces become one dash",
                )
            }),
        case("id-unicode")
            .feature(F, "id: Entscheidung-Über-日本\n")
            .check(|out| {
                ensure(
                    out.join("features/entscheidung-über-日本/index.html")
                        .is_file(),
                    "unicode letters are kept",
                )
            }),
        case("id-of-only-symbols")
            .feature(F, "id: \"!!!\"\n")
            .check(|out| {
                ensure(
                    out.join("features/u21-u21-u21/index.html").is_file(),
                    "an id with no letters gets a URL of its code points",
                )
            }),
        case("id-very-long")
            .feature(F, &format!("id: {}\n", "x".repeat(5000)))
            .check(|out| {
                let dir = std::fs::read_dir(out.join("features"))
                    .map_err(|e| e.to_string())?
                    .flatten()
                    .find(|e| e.file_name().to_string_lossy().starts_with("xxx"))
                    .ok_or("no page for the long id")?;
                ensure(
                    dir.file_name().len() <= 120,
                    format!("slug of {} bytes", dir.file_name().len()),
                )
            }),
        // ── Links ───────────────────────────────────────────────────────────────
        case("link-to-etc-passwd")
            .file(
                F,
                "---\nid: A-1\n---\n\nSee [secrets](../../etc/passwd) and ![x](../../../../etc/passwd).\n",
            )
            .expect("broken-link", F, 5, 5)
            .expect("broken-link", F, 5, 37)
            .no_site(),
        case("broken-wiki-link")
            .file(F, "---\nid: A-1\n---\n\nSee [[NOPE-1]].\n")
            .expect("broken-link", F, 5, 5)
            .no_site(),
        case("missing-anchor")
            .file(F, "---\nid: A-1\n---\n\n## Goals\n\nSee [[A-1#gaols]].\n")
            .expect("missing-anchor", F, 7, 5)
            .no_site(),
        case("relation-to-nothing")
            .feature(F, "id: A-1\ndepends_on: [NOPE-2]\n")
            .expect("broken-link", F, 3, 14)
            .no_site(),
        // ── The file system ─────────────────────────────────────────────────────
        case("symlink-loop")
            .feature(F, "id: A-1\n")
            .setup(|_, src| symlink("..", src.join("features/loop")))
            .expect_file("read-error", "features/loop")
            .no_site(),
        case("symlink-file-out-of-source")
            .feature(F, "id: A-1\n")
            .setup(|tmp, src| {
                std::fs::write(tmp.join("secret.md"), "---\nid: SECRET\n---\n").unwrap();
                symlink(tmp.join("secret.md"), src.join("features/b.md"));
            })
            .expect_file("read-error", "features/b.md")
            .no_site()
            .check(|out| ensure(!out.join("features/secret").exists(), "secret published")),
        case("symlink-folder-out-of-source")
            .feature(F, "id: A-1\n")
            .setup(|tmp, src| {
                std::fs::create_dir_all(tmp.join("outside/deep")).unwrap();
                for i in 0..3 {
                    std::fs::write(tmp.join(format!("outside/deep/{i}.md")), "x").unwrap();
                }
                symlink(tmp.join("outside"), src.join("features/linked"));
            })
            .expect_file("read-error", "features/linked")
            .no_site(),
        case("symlink-inside-source-is-followed")
            .feature(F, "id: A-1\n")
            .setup(|_, src| {
                std::fs::create_dir_all(src.join("shared")).unwrap();
                std::fs::write(src.join("shared/b.md"), "---\nid: B-1\nkind: feature\n---\n")
                    .unwrap();
                symlink("../shared", src.join("features/shared"));
            })
            .expect("duplicate-id", "features/shared/b.md", 2, 5)
            .expect("duplicate-id", "shared/b.md", 2, 5)
            .no_site(),
        case("dangling-symlink")
            .feature(F, "id: A-1\n")
            .setup(|_, src| symlink("nowhere.md", src.join("features/b.md")))
            .expect_file("read-error", "features/b.md")
            .no_site(),
        case("unreadable-file")
            .feature(F, "id: A-1\n")
            .feature("features/b.md", "id: B-1\n")
            .setup(|_, src| {
                use std::os::unix::fs::PermissionsExt;
                let p = src.join("features/b.md");
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
            })
            .unprivileged()
            .expect_file("read-error", "features/b.md")
            .no_site(),
        case("fifo-named-like-a-spec")
            .feature(F, "id: A-1\n")
            .setup(|_, src| {
                let p = src.join("features/pipe.md");
                let ok = std::process::Command::new("mkfifo").arg(&p).status();
                assert!(ok.is_ok_and(|s| s.success()), "mkfifo");
            }),
        case("folder-named-like-a-spec")
            .feature(F, "id: A-1\n")
            .feature("features/dir.md/inner.md", "id: IN-1\n"),
        // ── Supersede cycles ────────────────────────────────────────────────────
        case("supersede-self")
            .file(
                "decisions/adr-1.md",
                "---\nid: ADR-1\ntitle: x\nstatus: superseded\nsupersedes: ADR-1\n---\n",
            )
            .expect("supersede-cycle", "decisions/adr-1.md", 5, 13)
            .no_site(),
        cycle("supersede-cycle-of-two", 2),
        cycle("supersede-cycle-of-five", 5),
        // ── Raw HTML ────────────────────────────────────────────────────────────
        case("raw-html-script-is-escaped")
            .file(
                F,
                "---\nid: A-1\n---\n\n<script>alert(1)</script>\n\nText <img src=x onerror=alert(1)> [x](javascript:alert(1))\n",
            )
            .check(|out| {
                let p = page(out, "features/a-1/index.html")?;
                ensure(
                    !p.contains("<script>alert")
                        && !p.contains("<img src=x")
                        && !p.contains("href=\"javascript:"),
                    "raw HTML reached the page",
                )?;
                ensure(p.contains("&lt;script&gt;alert(1)"), "script shown as text")
            }),
        // ── Configuration ───────────────────────────────────────────────────────
        case("config-invalid-toml")
            .feature(F, "id: A-1\n")
            .file("specsite.toml", "title = \"x\npage_size = 3\n")
            .expect("config", "specsite.toml", 1, 11)
            .no_site(),
        case("config-unknown-key")
            .feature(F, "id: A-1\n")
            .file("specsite.toml", "title = \"x\"\npagesize = 3\n")
            .expect("config", "specsite.toml", 2, 1)
            .no_site(),
        case("people-invalid-toml")
            .feature(F, "id: A-1\nowner: maya\n")
            .file("people.toml", "[maya\nname = \"Maya\"\n")
            .expect("config", "people.toml", 1, 6)
            .no_site(),
    ];
    cases.extend(big_cases());
    cases
}

/// `## Part N` sections (a heading, a link, a list, a rust block, a table) after front
/// matter with `id`, until the file is `bytes` long or just under.
/// The case with `specsite.toml` when there is one.
fn with_config(case: Case, config: &Option<String>) -> Case {
    match config {
        Some(c) => case.file("specsite.toml", c.as_str()),
        None => case,
    }
}

fn spec_of_parts(id: &str, bytes: usize) -> String {
    let mut spec = format!("---\nid: {id}\nstatus: draft\n---\n\n");
    for i in 1.. {
        let part = format!(
            "## Part {i}\n\nSome *text* with a [link](https://example.com/{i}) and `code`.\n\n- item one\n- item two\n\n```rust\nfn f{i}() -> u32 {{ {i} }}\n```\n\n| a | b |\n|---|---|\n| {i} | x |\n\n"
        );
        if spec.len() + part.len() > bytes {
            break;
        }
        spec.push_str(&part);
    }
    spec
}

/// An unoptimised build is some thirty times slower on the large inputs, so `cargo
/// test` runs the largest at a tenth of their size, with the render limit scaled alike;
/// `cargo test --release` runs them in full with the default limit.
const SCALE: usize = if cfg!(debug_assertions) { 10 } else { 1 };

/// Large inputs: each must build (the time and memory they take are measured by
/// `scripts/limits.sh`, not here).
fn big_cases() -> Vec<Case> {
    let limit = specsite::config::DEFAULT_MAX_RENDER_BYTES / SCALE;
    let config = (SCALE > 1).then(|| format!("[markdown]\nmax_render_bytes = {limit}\n"));
    let spec = spec_of_parts("BIG-1", 20 * 1024 * 1024 / SCALE);
    // The limit counts the body, which starts after the front matter.
    let under = spec_of_parts(
        "UNDER-1",
        limit + "---\nid: UNDER-1\nstatus: draft\n---\n\n".len(),
    );
    let mut table = String::from("---\nid: TABLE-1\n---\n\n| id | name | value |\n|---|---|---|\n");
    for i in 0..100_000 / SCALE {
        table.push_str(&format!("| {i} | row {i} | {} |\n", i * 7));
    }
    // `- - - x` opens a list inside a list item on one line: 10,000 levels in 20 KB.
    let lists = format!(
        "{}deepest\n\n{}numbered\n",
        "- ".repeat(10_000),
        "1. ".repeat(10_000)
    );
    let quotes = format!("{} deep\n", ">".repeat(10_000));
    let line = format!("{}\n", "word ".repeat(200_000));
    let headings: String = (0..1000).map(|_| "## Same heading\n\ntext\n\n").collect();
    vec![
        with_config(case("spec-of-20-mb"), &config)
            .file("features/big.md", spec)
            .expect("document-too-large", "features/big.md", 1, 1)
            .check(|out| {
                let p = page(out, "features/big-1/index.html")?;
                ensure(
                    p.len() > 20 * 1024 * 1024 / SCALE,
                    "the whole body is on the page",
                )?;
                ensure(
                    p.contains("<pre class=\"too-large\">")
                        && p.contains("## Part 1\n\nSome *text* with a [link]"),
                    "the body is shown as text",
                )?;
                ensure(p.contains(">draft</a>"), "the front matter is still read")
            }),
        with_config(case("spec-just-under-the-render-limit"), &config)
            .file("features/under.md", under)
            .check(|out| {
                let p = page(out, "features/under-1/index.html")?;
                ensure(!p.contains("too-large"), "rendered as markdown")?;
                ensure(
                    p.contains("<h2 id=\"part-1\">") && p.contains("<td>x</td>"),
                    "headings and tables rendered",
                )
            }),
        // Three times the render limit: shown as text, every row of it.
        with_config(case("table-of-100000-rows"), &config)
            .file("features/table.md", table)
            .expect("document-too-large", "features/table.md", 1, 1)
            .check(|out| {
                let last = 100_000 / SCALE - 1;
                ensure(
                    page(out, "features/table-1/index.html")?
                        .contains(&format!("| {last} | row {last} | {} |", last * 7)),
                    "last row shown",
                )
            }),
        case("lists-nested-10000-deep")
            .file("features/lists.md", format!("---\nid: L-1\n---\n\n{lists}"))
            .check(|out| {
                ensure(
                    page(out, "features/l-1/index.html")?.contains("deepest"),
                    "deepest item kept",
                )
            }),
        case("quotes-nested-10000-deep")
            .file(
                "features/quotes.md",
                format!("---\nid: Q-1\n---\n\n{quotes}"),
            )
            .check(|out| {
                ensure(
                    page(out, "features/q-1/index.html")?.contains("deep"),
                    "text kept",
                )
            }),
        case("line-of-1-mb")
            .file(
                "features/line.md",
                format!("---\nid: LINE-1\n---\n\n{line}"),
            )
            .check(|out| {
                ensure(
                    page(out, "features/line-1/index.html")?.len() > 1_000_000,
                    "line kept",
                )
            }),
        case("heading-repeated-1000-times")
            .file(
                "features/h.md",
                format!("---\nid: H-1\n---\n\n{headings}[last](#same-heading-999)\n"),
            )
            .check(|out| {
                let p = page(out, "features/h-1/index.html")?;
                let mut ids: Vec<&str> = p
                    .split("id=\"same-heading")
                    .skip(1)
                    .map(|s| s.split('"').next().unwrap_or(""))
                    .collect();
                let n = ids.len();
                ids.sort_unstable();
                ids.dedup();
                ensure(
                    n >= 1000 && ids.len() == n,
                    format!("{n} anchors, {} unique", ids.len()),
                )
            }),
        case("code-block-too-big-to-highlight")
            .file(
                "features/code.md",
                format!(
                    "---\nid: C-1\n---\n\n```rust\n{}```\n",
                    // Over the largest block highlighted, under the render limit.
                    "let x = 1;\n".repeat(20_000)
                ),
            )
            .expect("highlight", "features/code.md", 5, 1),
    ]
}
