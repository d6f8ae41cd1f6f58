//! Security of the site's machinery, run through the real binary: templates, themes,
//! assets and `specsite.toml` are read only inside SOURCE, as regular files under a
//! size cap; templates cannot read the environment or the clock; fields and settings
//! that become links or styles are checked; `init --detect` escapes what it writes and
//! never writes through a symbolic link.

mod common;
use common::*;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

/// What a leak would show: put in an environment variable and in files outside SOURCE.
const SECRET: &str = "S3CRET-deploy-token-7f1c";

/// A temp folder with SOURCE (`src`, one feature) and an output folder beside it.
fn repo() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(src.join("features")).unwrap();
    std::fs::write(
        src.join("features/feat-001-a.md"),
        "---\nid: FEAT-001\ntitle: A\nstatus: draft\nowner: ann\n---\n\nBody.\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    (dir, src, out)
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Runs the binary with the secret in its environment, failing the test if it takes
/// more than a minute (a FIFO or device read would hang it).
fn run_with_secret(args: &[&str]) -> Output {
    let mut child = bin()
        .args(args)
        .env("SPECSITE_TEST_SECRET", SECRET)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("specsite {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn build(src: &Path, out: &Path) -> Output {
    run_with_secret(&[
        "build",
        src.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "json",
    ])
}

/// The JSON diagnostics a run printed.
fn diagnostics(o: &Output) -> Vec<serde_json::Value> {
    stdout(o)
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn has(o: &Output, rule: &str, file: &str, message_part: &str) -> bool {
    diagnostics(o).iter().any(|d| {
        d["rule"] == rule
            && d["file"] == file
            && d["message"].as_str().unwrap().contains(message_part)
    })
}

/// Neither the output folder nor what the run printed holds the secret.
fn assert_no_secret(o: &Output, out: &Path) {
    assert!(!stdout(o).contains(SECRET), "{}", stdout(o));
    assert!(!stderr(o).contains(SECRET), "{}", stderr(o));
    if out.exists() {
        for (path, bytes) in snapshot(out) {
            assert!(
                !String::from_utf8_lossy(&bytes).contains(SECRET),
                "{path} leaks the secret"
            );
        }
    }
}

/// A file outside SOURCE holding the secret.
fn outside_secret(dir: &Path) -> PathBuf {
    let p = dir.join("outside.txt");
    std::fs::write(&p, format!("{SECRET}\n")).unwrap();
    p
}

#[test]
fn template_linked_to_proc_environ_is_refused() {
    let (_dir, src, out) = repo();
    std::fs::create_dir_all(src.join("templates")).unwrap();
    symlink("/proc/self/environ", src.join("templates/404.html")).unwrap();
    let o = build(&src, &out);
    assert!(!o.status.success());
    assert!(
        has(&o, "template", "templates/404.html", "outside SOURCE"),
        "{}",
        stdout(&o)
    );
    assert!(!out.exists(), "nothing is published");
    assert_no_secret(&o, &out);
}

#[test]
fn template_linked_to_a_file_outside_source_is_refused() {
    let (dir, src, out) = repo();
    let secret = outside_secret(dir.path());
    std::fs::create_dir_all(src.join("templates")).unwrap();
    symlink(&secret, src.join("templates/base.html")).unwrap();
    let o = build(&src, &out);
    assert!(has(&o, "template", "templates/base.html", "outside SOURCE"));
    assert!(!o.status.success());
    assert_no_secret(&o, &out);

    // The whole templates folder linked elsewhere: each file in it is outside too.
    let (dir, src, out) = repo();
    let elsewhere = dir.path().join("elsewhere");
    write(&elsewhere.join("page.html"), SECRET);
    symlink(&elsewhere, src.join("templates")).unwrap();
    let o = build(&src, &out);
    assert!(has(&o, "template", "templates/page.html", "outside SOURCE"));
    assert_no_secret(&o, &out);
}

#[test]
fn template_linked_to_dev_zero_or_a_fifo_does_not_hang() {
    let (_dir, src, out) = repo();
    std::fs::create_dir_all(src.join("templates")).unwrap();
    symlink("/dev/zero", src.join("templates/404.html")).unwrap();
    let o = build(&src, &out);
    assert!(has(&o, "template", "templates/404.html", "outside SOURCE"));

    // A FIFO inside SOURCE: opening it for reading would wait for a writer forever.
    let (_dir, src, out) = repo();
    std::fs::create_dir_all(src.join("templates")).unwrap();
    let fifo = std::ffi::CString::new(src.join("templates/404.html").to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let o = build(&src, &out);
    assert!(
        has(&o, "template", "templates/404.html", "not a regular file"),
        "{}",
        stdout(&o)
    );
    assert!(!o.status.success());
}

#[test]
fn oversized_template_is_refused_and_one_under_the_cap_is_read() {
    const CAP: usize = 4 * 1024 * 1024;
    let (_dir, src, out) = repo();
    let mut big = String::from("{% extends \"base.html\" %}{% block content %}");
    big.push_str(&" ".repeat(CAP + 1 - big.len() - "{% endblock %}".len()));
    big.push_str("{% endblock %}");
    assert_eq!(big.len(), CAP + 1);
    write(&src.join("templates/404.html"), &big);
    let o = build(&src, &out);
    assert!(
        has(&o, "template", "templates/404.html", "over the limit"),
        "{}",
        stdout(&o)
    );
    assert!(!o.status.success());

    // One byte less is read (and the page is built from it).
    write(&src.join("templates/404.html"), &big[1..]);
    let o = build(&src, &out);
    assert!(o.status.success(), "{}", stdout(&o));
}

#[test]
fn template_linked_inside_source_is_followed() {
    let (_dir, src, out) = repo();
    write(
        &src.join("shared/404.html"),
        "{% extends \"base.html\" %}{% block content %}LINKED-404{% endblock %}",
    );
    std::fs::create_dir_all(src.join("templates")).unwrap();
    symlink(src.join("shared/404.html"), src.join("templates/404.html")).unwrap();
    let o = build(&src, &out);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(read(&out, "404.html").contains("LINKED-404"));
}

#[test]
fn templates_cannot_read_the_environment_or_the_clock() {
    for (call, reason) in [
        ("get_env(name=\"SPECSITE_TEST_SECRET\")", "environment"),
        (
            "get_env(name=\"SPECSITE_TEST_SECRET\", default=\"x\")",
            "environment",
        ),
        ("now()", "clock"),
        ("get_random(end=10)", "random"),
    ] {
        let (_dir, src, out) = repo();
        write(
            &src.join("templates/404.html"),
            &format!(
                "{{% extends \"base.html\" %}}{{% block content %}}{{{{ {call} }}}}{{% endblock %}}"
            ),
        );
        let o = build(&src, &out);
        assert!(!o.status.success(), "{call}");
        assert!(
            has(&o, "template", "templates/404.html", reason),
            "{call}: {}",
            stdout(&o)
        );
        assert_no_secret(&o, &out);
    }
}

#[test]
fn theme_is_a_name_not_a_path() {
    for theme in [
        "../x",
        "/abs/path",
        "..",
        "a/b",
        "a\\\\b",
        "",
        "x y",
        "./mine",
    ] {
        let (_dir, src, out) = repo();
        write(
            &src.join("specsite.toml"),
            &format!("title = \"T\"\ntheme = \"{theme}\"\n"),
        );
        let o = build(&src, &out);
        assert!(!o.status.success(), "{theme}");
        let d = diagnostics(&o);
        assert_eq!(d.len(), 1, "{theme}: {}", stdout(&o));
        assert_eq!(d[0]["rule"], "config");
        assert_eq!(d[0]["file"], "specsite.toml");
        assert_eq!(d[0]["line"], 2, "{theme}");
        assert!(
            d[0]["message"]
                .as_str()
                .unwrap()
                .contains("not a theme name")
        );
        assert!(d[0]["help"].as_str().unwrap().contains("themes/"));
    }
    // A name picks the folder under themes/.
    let (_dir, src, out) = repo();
    write(&src.join("specsite.toml"), "theme = \"my-theme_2\"\n");
    write(
        &src.join("themes/my-theme_2/templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}THEMED{% endblock %}",
    );
    let o = build(&src, &out);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(read(&out, "404.html").contains("THEMED"));
}

#[test]
fn theme_folder_linked_outside_source_is_refused() {
    let (dir, src, out) = repo();
    let elsewhere = dir.path().join("theme");
    write(&elsewhere.join("templates/404.html"), SECRET);
    std::fs::create_dir_all(src.join("themes")).unwrap();
    symlink(&elsewhere, src.join("themes/t")).unwrap();
    write(&src.join("specsite.toml"), "theme = \"t\"\n");
    let o = build(&src, &out);
    assert!(has(
        &o,
        "template",
        "themes/t/templates/404.html",
        "outside SOURCE"
    ));
    assert_no_secret(&o, &out);
}

#[test]
fn config_linked_outside_source_is_refused_without_its_content() {
    let (dir, src, out) = repo();
    // Not TOML, so reading it would report a syntax error quoting its first line.
    let secret = outside_secret(dir.path());
    symlink(&secret, src.join("specsite.toml")).unwrap();
    let o = build(&src, &out);
    assert!(!o.status.success());
    assert!(has(&o, "config", "specsite.toml", "outside SOURCE"));
    assert_no_secret(&o, &out);
    // The human format prints excerpts: still nothing of the file.
    let o = run_with_secret(&["check", src.to_str().unwrap()]);
    assert!(stderr(&o).contains("outside SOURCE"), "{}", stderr(&o));
    assert_no_secret(&o, &out);

    // /proc/self/environ and a FIFO as specsite.toml.
    std::fs::remove_file(src.join("specsite.toml")).unwrap();
    symlink("/proc/self/environ", src.join("specsite.toml")).unwrap();
    let o = run_with_secret(&["check", src.to_str().unwrap()]);
    assert!(!o.status.success());
    assert_no_secret(&o, &out);
    std::fs::remove_file(src.join("specsite.toml")).unwrap();
    let fifo = std::ffi::CString::new(src.join("specsite.toml").to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let o = build(&src, &out);
    assert!(has(&o, "config", "specsite.toml", "not a regular file"));
}

#[test]
fn asset_linked_outside_source_is_not_published() {
    let (dir, src, out) = repo();
    let secret = outside_secret(dir.path());
    std::fs::create_dir_all(src.join("features/img")).unwrap();
    symlink(&secret, src.join("features/img/leak.txt")).unwrap();
    symlink(&secret, src.join("static")).unwrap();
    write(
        &src.join("features/feat-002-b.md"),
        "---\nid: FEAT-002\ntitle: B\nstatus: draft\n---\n\n[data](img/leak.txt)\n",
    );
    let o = build(&src, &out);
    assert!(has(
        &o,
        "read-error",
        "features/img/leak.txt",
        "outside SOURCE"
    ));
    assert_no_secret(&o, &out);
    assert!(!out.join("features/img/leak.txt").exists());
}

/// A feature whose metric goals have these `source:` values, one goal each.
fn feature_with_sources(sources: &[&str]) -> String {
    let mut text = String::from(
        "---\nid: FEAT-009\ntitle: Sources\nstatus: shipped\nshipped: 2026-01-01\nmetrics:\n",
    );
    for (i, s) in sources.iter().enumerate() {
        let quoted = serde_json::to_string(s).unwrap();
        text.push_str(&format!(
            "  - name: goal{i}\n    target: '>= 2%'\n    actual: 3%\n    measured: 2026-02-01\n    source: {quoted}\n"
        ));
    }
    text.push_str("---\n\nBody.\n");
    text
}

#[test]
fn unsafe_metric_sources_are_shown_as_text_with_a_warning() {
    let bad = [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "\u{1}javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ];
    let good = [
        "https://dash.example.com/x",
        "mailto:data@example.com",
        "../dashboards/y.html",
    ];
    let (_dir, src, out) = repo();
    let all: Vec<&str> = bad.iter().chain(&good).copied().collect();
    write(
        &src.join("features/feat-009-sources.md"),
        &feature_with_sources(&all),
    );
    let o = build(&src, &out);
    assert!(o.status.success(), "{}", stdout(&o));
    let warnings: Vec<_> = diagnostics(&o)
        .into_iter()
        .filter(|d| d["rule"] == "unsafe-url")
        .collect();
    assert_eq!(warnings.len(), bad.len(), "{}", stdout(&o));
    for (i, w) in warnings.iter().enumerate() {
        assert_eq!(w["file"], "features/feat-009-sources.md");
        assert_eq!(w["level"], "warning");
        // Each goal takes 5 lines after the 6 of the header; `source:` is its fifth.
        assert_eq!(w["line"], 6 + 5 * i as u64 + 5, "{w}");
    }
    let page = read(&out, "features/feat-009/index.html");
    let squeezed: String = page
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    // (The theme's own favicon is `href="data:,"`.)
    for scheme in ["javascript:", "data:text", "vbscript:"] {
        assert!(
            !squeezed.contains(&format!("href=\"{scheme}")),
            "{scheme} became a link"
        );
    }
    assert!(page.contains("(javascript:alert(1))"), "shown as text");
    for g in good {
        assert!(page.contains(&format!("href=\"{g}\"")), "{g} is a link");
    }
    let api = read(&out, "api/specs.json");
    assert!(!api.contains("\"source\":\"javascript:"));
}

#[test]
fn base_url_and_repository_must_be_web_addresses() {
    for (key, value) in [
        ("base_url", "javascript:alert(1)//"),
        ("base_url", " JAVASCRIPT:alert(1)"),
        ("base_url", "data:text/html,x"),
        ("repository", "javascript:alert(1)"),
        ("repository", "mailto:x@example.com"),
    ] {
        let (_dir, src, out) = repo();
        let value = serde_json::to_string(value).unwrap();
        write(
            &src.join("specsite.toml"),
            &format!("title = \"T\"\n{key} = {value}\n"),
        );
        let o = build(&src, &out);
        assert!(!o.status.success(), "{key} = {value}");
        let d = diagnostics(&o);
        assert_eq!(d.len(), 1, "{}", stdout(&o));
        assert_eq!(
            (d[0]["rule"].as_str(), d[0]["line"].as_u64()),
            (Some("config"), Some(2))
        );
        assert!(d[0]["message"].as_str().unwrap().contains(key));
    }
    let (_dir, src, out) = repo();
    write(
        &src.join("specsite.toml"),
        "base_url = \"https://specs.example.com/\"\nrepository = \"https://github.com/x/y\"\n",
    );
    let o = build(&src, &out);
    assert!(o.status.success(), "{}", stdout(&o));
    // The command-line override is checked too.
    let o = run_with_secret(&[
        "build",
        src.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--base-url",
        "javascript:alert(1)",
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--base-url"), "{}", stderr(&o));
}

#[test]
fn status_colours_must_be_colours() {
    let status = |colour: &str| {
        format!(
            "[[statuses.feature]]\nname = \"draft\"\nphase = \"draft\"\ncolour = {}\n",
            serde_json::to_string(colour).unwrap()
        )
    };
    for bad in [
        "red; background: url(https://evil.example/x)",
        "#12345",
        "#ggg",
        "#1234567",
        "expression(alert(1))",
        "\" onmouseover=\"alert(1)",
        "",
        "rgb(1,2,3)",
    ] {
        let (_dir, src, out) = repo();
        write(&src.join("specsite.toml"), &status(bad));
        let o = build(&src, &out);
        assert!(!o.status.success(), "{bad}");
        let d = diagnostics(&o);
        assert_eq!(d.len(), 1, "{bad}: {}", stdout(&o));
        assert_eq!(d[0]["rule"], "config");
        assert_eq!(d[0]["line"], 4, "{bad}");
        assert!(d[0]["message"].as_str().unwrap().contains("not a colour"));
        assert!(d[0]["help"].as_str().unwrap().contains("#rrggbb"));
    }
    for good in ["#abc", "#AABBCC", "RebeccaPurple", "teal"] {
        let (_dir, src, out) = repo();
        write(&src.join("specsite.toml"), &status(good));
        let o = build(&src, &out);
        assert!(o.status.success(), "{good}: {}", stdout(&o));
        let page = read(&out, "features/feat-001/index.html");
        assert!(page.contains(&format!("--badge: {good}\"")), "{good}");
    }
    // `color` is the same key.
    let (_dir, src, out) = repo();
    write(
        &src.join("specsite.toml"),
        "[[statuses.feature]]\nname = \"draft\"\nphase = \"draft\"\ncolor = \"url(x)\"\n",
    );
    assert!(!build(&src, &out).status.success());
}

/// A hostile text: ends a quoted key or string, adds a table and a key of its own.
const INJECTION: &str = "x\"]\n[markdown]\nallow_html = true\n[\"y";

#[test]
fn detect_escapes_folder_names_field_names_and_statuses() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("repo");
    let folder = format!("specs{INJECTION}'q");
    let field = format!("num{}", INJECTION.replace('\n', " "));
    // Values holding `[`, `{`, `|` or `<` are taken for placeholders and left out, so
    // an injection through a status can only try to add keys to its own table.
    let statuses = [
        "Final\"\ncolour = \"red\"\nx = \"".to_string(),
        "Withdrawn '''\"\"\" \\ by x".to_string(),
        "Last\tCall".to_string(),
        format!("Final{INJECTION}"),
    ];
    for (i, status) in statuses.iter().enumerate() {
        let n = i + 1;
        write(
            &src.join(&folder).join(format!("{n:04}-doc.md")),
            &format!(
                "---\ntitle: Doc {n}\nstatus: {}\n{}: \"{n:04}\"\n---\n\nBody.\n",
                serde_json::to_string(status).unwrap(),
                serde_json::to_string(&field).unwrap(),
            ),
        );
    }
    let o = run_with_secret(&["init", src.to_str().unwrap(), "--detect"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(src.join("specsite.toml")).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    let keys: Vec<&String> = table.keys().collect();
    assert!(
        keys.iter()
            .all(|k| ["aliases", "folders", "statuses"].contains(&k.as_str())),
        "{keys:?}\n{text}"
    );
    let config = specsite::config::Config::parse(&text, "specsite.toml").unwrap();
    assert!(!config.markdown.allow_html, "{text}");
    assert_eq!(
        config.folders.keys().collect::<Vec<_>>(),
        [&folder],
        "{text}"
    );
    let kind = config.folders[&folder].kind().unwrap();
    // The first value spans lines and many words: detection does not take it for a
    // status at all (a long value is a sentence), so only the next two are mapped.
    assert!(
        config.statuses.lookup(kind, &statuses[0]).is_none(),
        "{text}"
    );
    for status in &statuses[1..3] {
        assert!(
            config.statuses.lookup(kind, status).is_some(),
            "{status:?} is mapped:\n{text}"
        );
    }
    assert!(
        config
            .statuses
            .of(kind)
            .iter()
            .all(|s| s.colour == "#6b7280"),
        "no status got a colour from a value:\n{text}"
    );
    let id_aliases = &config.aliases["id"];
    assert_eq!(id_aliases.len(), 1, "{text}");
    assert!(id_aliases[0].contains("[markdown]"), "{text}");
    // The repo builds with that configuration, ids read through the hostile field.
    let out = dir.path().join("out");
    let o = build(&src, &out);
    assert!(o.status.success(), "{}", stdout(&o));
}

#[test]
fn detect_never_writes_through_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("repo");
    write(&src.join("features/feat-001-a.md"), "# A\n");
    // A dangling link: writing through it would create the file it names.
    let victim = dir.path().join("victim.toml");
    symlink(&victim, src.join("specsite.toml")).unwrap();
    let o = run_with_secret(&["init", src.to_str().unwrap(), "--detect"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
    assert!(!victim.exists(), "nothing created through the link");

    // A link to an existing file: not overwritten.
    std::fs::write(&victim, "mine\n").unwrap();
    let o = run_with_secret(&["init", src.to_str().unwrap(), "--detect"]);
    assert!(!o.status.success());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "mine\n");

    // --config naming a dangling link.
    let target = dir.path().join("conf.toml");
    let victim2 = dir.path().join("victim2.toml");
    symlink(&victim2, &target).unwrap();
    let o = run_with_secret(&[
        "init",
        src.to_str().unwrap(),
        "--detect",
        "--config",
        target.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(!victim2.exists());
}
