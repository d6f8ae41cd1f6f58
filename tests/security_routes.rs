//! Route paths: keys that slug to nothing, ids that slug to a file name, people keys
//! that differ in case and tags that differ only in symbols. `check` must report each
//! at the file and line that caused it, and `build` of the same input must do what
//! `check` says and write one file per route, each page with its own content.

mod common;
use common::{read, run, stderr, stdout};
use std::path::Path;

/// A repo with every kind of key that used to pass `check` and fail `build` (or
/// silently lose a page).
fn write_repo(root: &Path) {
    let files: &[(&str, &str)] = &[
        (
            "people.toml",
            "[maya]\nname = \"Maya Lower\"\n\n[Maya]\nname = \"Maya Upper\"\n\n[\"???\"]\nname = \"Question Marks\"\n",
        ),
        (
            "features/a.md",
            "---\nid: F-1\ntitle: Alpha\nstatus: 🚧\nowner: \"!!!\"\ntags: [C++, C#, C, \"C plus plus\", \"!!!\"]\nteam: \"???\"\n---\nBody.\n",
        ),
        (
            "features/b.md",
            "---\nid: index.html\ntitle: Beta page\nstatus: draft\nowner: Maya\n---\nBody.\n",
        ),
        (
            "features/c.md",
            "---\nid: index\ntitle: Gamma page\nstatus: draft\nowner: Question Marks\n---\nBody.\n",
        ),
        ("index.html.md", "# Plain index page\n\nText.\n"),
    ];
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// `(rule, file, line)` of every diagnostic in `--format json` output.
fn reported(json_lines: &str) -> Vec<(String, String, u64, String)> {
    json_lines
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json diagnostic");
            (
                v["rule"].as_str().unwrap().to_string(),
                v["file"].as_str().unwrap().to_string(),
                v["line"].as_u64().unwrap(),
                v["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn has(diags: &[(String, String, u64, String)], rule: &str, file: &str, line: u64, says: &str) {
    assert!(
        diags
            .iter()
            .any(|(r, f, l, m)| r == rule && f == file && *l == line && m.contains(says)),
        "expected {rule} at {file}:{line} saying {says:?}; got {diags:#?}"
    );
}

#[test]
fn check_reports_every_route_path_problem_where_it_is_written() {
    let dir = tempfile::tempdir().unwrap();
    write_repo(dir.path());
    let o = run(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    assert!(o.status.success(), "only warnings: {}", stderr(&o));
    let d = reported(&stdout(&o));
    has(&d, "url-fallback", "features/a.md", 4, "/status/u1f6a7/");
    has(
        &d,
        "url-fallback",
        "features/a.md",
        5,
        "/people/u21-u21-u21/",
    );
    has(&d, "url-fallback", "features/a.md", 6, "/tags/u21-u21-u21/");
    has(
        &d,
        "url-fallback",
        "features/a.md",
        7,
        "/teams/u3f-u3f-u3f/",
    );
    // `C plus plus` sorts first, so it keeps `c-plus-plus`; `C++` is told where.
    has(
        &d,
        "url-collision",
        "features/a.md",
        6,
        "the tag 'C++' and the tag 'C plus plus' (features/a.md:6:",
    );
    has(
        &d,
        "url-fallback",
        "features/b.md",
        2,
        "/features/index-html/",
    );
    has(&d, "url-fallback", "index.html.md", 1, "/index-html/");
    has(
        &d,
        "url-collision",
        "people.toml",
        1,
        "the person 'maya' and the person 'Maya' (people.toml:4:2)",
    );
    has(&d, "url-fallback", "people.toml", 7, "/people/u3f-u3f-u3f/");
    // C++, C# and C are different tags with pages of their own: nothing to report.
    assert!(
        !d.iter()
            .any(|(_, _, _, m)| m.contains("'C#'") || m.contains("the tag 'C' ")),
        "{d:#?}"
    );
}

#[test]
fn build_writes_one_file_per_route_each_with_its_own_page() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("src");
    let out = dir.path().join("out");
    write_repo(&source);
    let check = run(&["check", source.to_str().unwrap()]);
    let build = run(&[
        "build",
        source.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        check.status.code(),
        build.status.code(),
        "build exits as check says: {}",
        stderr(&build)
    );
    assert!(build.status.success(), "{}", stderr(&build));

    // Every route wrote a file of its own: as many files as the build says it wrote
    // (the output folder's marker aside).
    let log = stderr(&build);
    let built: usize = log
        .split("Built ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a file count in: {log}"));
    let on_disk = walkdir::WalkDir::new(&out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.file_name() != ".specsite-output")
        .count();
    assert_eq!(on_disk, built, "two routes wrote one file");

    let pages: &[(&str, &str)] = &[
        ("people/maya/index.html", "<h1>Maya Upper</h1>"),
        ("people/maya-2/index.html", "<h1>Maya Lower</h1>"),
        ("people/u3f-u3f-u3f/index.html", "<h1>Question Marks</h1>"),
        ("people/u21-u21-u21/index.html", "!!!"),
        ("tags/c/index.html", "<title>Tag: C "),
        ("tags/c-sharp/index.html", "<title>Tag: C# "),
        ("tags/c-plus-plus/index.html", "<title>Tag: C plus plus "),
        ("tags/c-plus-plus-2/index.html", "<title>Tag: C++ "),
        ("tags/u21-u21-u21/index.html", "<title>Tag: !!! "),
        ("teams/u3f-u3f-u3f/index.html", "<title>Team: ??? "),
        ("status/u1f6a7/index.html", "<title>Status: 🚧 "),
        ("features/index-html/index.html", "Beta page"),
        ("features/index/index.html", "Gamma page"),
        ("features/index.html", "<title>Features "),
        ("index-html/index.html", "Plain index page"),
        ("index.html", "<title>Product specs"),
    ];
    for (path, says) in pages {
        let page = read(&out, path);
        assert!(page.contains(says), "{path} should show {says:?}:\n{page}");
    }
    // The feature page links its team and tags where their pages are.
    let alpha = read(&out, "features/f-1/index.html");
    for link in [
        "../../teams/u3f-u3f-u3f/",
        "../../tags/c-plus-plus-2/",
        "../../tags/c-sharp/",
        "../../status/u1f6a7/",
        "../../people/u21-u21-u21/",
    ] {
        assert!(
            alpha.contains(&format!("href=\"{link}\"")),
            "{link} in:\n{alpha}"
        );
    }
    assert!(!alpha.contains("teams//"), "{alpha}");
}
