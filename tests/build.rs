//! `specsite build` end to end: every page type of the example site, reproducibility,
//! the error fixtures, and the output folder's safety rules.

mod common;
use common::*;

#[test]
fn example_site_has_every_page_type() {
    let (_dir, out) = build_example();

    // Dashboard: features by status, outcome scoreboard, reviews, roadmaps, recent.
    let home = read(&out, "index.html");
    for needle in [
        "Features by status",
        "Outcome scoreboard",
        "Reviews due soon",
        "Roadmaps",
        "Recently changed",
    ] {
        assert!(home.contains(needle), "home lacks {needle}");
    }
    assert!(
        home.contains("href=\"./status/shipped/\""),
        "home links status pages relatively"
    );

    // A feature: status badge, owner, team, dates, RICE, metrics with verdicts, TOC, body, relations.
    let f = read(&out, "features/pay-101/index.html");
    assert!(f.contains("<h1>Instant payouts</h1>"));
    assert!(f.contains("class=\"badge\"") && f.contains(">shipped</a>"));
    assert!(f.contains("href=\"../../people/maya/\">Maya Chen</a>"));
    assert!(f.contains("href=\"../../teams/payments/\">Payments</a>"));
    assert!(f.contains("<dt>Shipped</dt><dd>2026-04-28</dd>"));
    assert!(
        f.contains("<dt>Review</dt><dd>2026-07-27</dd>"),
        "review = shipped + 90 days"
    );
    assert!(f.contains("<dt>RICE</dt>"));
    assert!(f.contains("class=\"metrics-table\""));
    assert!(f.contains("verdict verdict-met"));
    assert!(f.contains("class=\"toc\""));
    assert!(
        f.contains("id=\"rollout\""),
        "heading anchors for permalinks"
    );
    assert!(
        f.contains("href=\"../../decisions/adr-0002/\""),
        "linked decisions"
    );
    let on_roadmap = read(&out, "features/pay-104/index.html");
    assert!(
        on_roadmap.contains("<h2>On roadmaps</h2>"),
        "a feature lists the roadmaps it is on"
    );
    assert!(on_roadmap.contains("href=\"../../roadmaps/rm-pay-2026/\""));
    assert!(
        f.contains("src=\"../../files/features/pay-101-flow.svg\""),
        "local image copied and linked"
    );
    assert!(out.join("files/features/pay-101-flow.svg").is_file());

    // A decision and the decision log with its supersede chain.
    let d = read(&out, "decisions/adr-0003/index.html");
    assert!(
        d.contains("Superseded by <a href=\"../../decisions/adr-0007/\">"),
        "{d}"
    );
    assert!(d.contains("Supersede chain"));
    let d11 = read(&out, "decisions/adr-0011/index.html");
    let chain = d11.split("<h2>Supersede chain</h2>").nth(1).unwrap();
    let (a, b, c) = (
        chain.find("ADR-0003").unwrap(),
        chain.find("ADR-0007").unwrap(),
        chain.find("ADR-0011").unwrap(),
    );
    assert!(a < b && b < c, "chain oldest first");
    let log = read(&out, "decisions/index.html");
    assert!(log.contains("Decision log"));
    assert!(
        log.contains("superseded by <a href=\"../decisions/adr-0007/\">ADR-0007</a>"),
        "{log}"
    );

    // Roadmaps show each item's live status, owner and outcome.
    let rm = std::fs::read_dir(out.join("roadmaps")).unwrap().count();
    assert!(rm >= 3, "two roadmaps and the index");
    let rm_html = read(&out, "roadmaps/rm-2026-h2/index.html");
    assert!(rm_html.contains("horizon-now"));
    assert!(
        rm_html.contains("no spec"),
        "items without a spec are shown"
    );

    // People, status, teams, tags, outcomes, backlog, 404, API, sitemap.
    assert!(read(&out, "people/index.html").contains("Maya Chen"));
    let maya = read(&out, "people/maya/index.html");
    assert!(maya.contains("Outcome record") && maya.contains("PAY-101"));
    let shipped = read(&out, "status/shipped/index.html");
    assert!(
        shipped.contains("PAY-101") && !shipped.contains(">PAY-109<"),
        "only shipped specs"
    );
    assert!(read(&out, "teams/payments/index.html").contains("PAY-101"));
    assert!(read(&out, "tags/payouts/index.html").contains("PAY-101"));
    let outcomes = read(&out, "outcomes/index.html");
    for v in [
        "verdict-met",
        "verdict-missed",
        "verdict-pending",
        "verdict-overdue",
    ] {
        assert!(outcomes.contains(v), "outcomes shows {v}");
    }
    let backlog = read(&out, "backlog/index.html");
    assert!(
        !backlog.contains(">PAY-101<"),
        "shipped features are not in the backlog"
    );
    assert!(read(&out, "404.html").contains("Page not found"));
    assert!(
        read(&out, "guides/writing-a-prd/index.html").contains("<h1>"),
        "plain pages"
    );
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://specsite-example.netlify.app/features/pay-101/</loc>"));
    assert!(out.join(".specsite-output").is_file(), "output marker");
}

#[test]
fn specs_json_has_stable_fields_verdicts_and_outcomes() {
    let (_dir, out) = build_example();
    let json: serde_json::Value = serde_json::from_str(&read(&out, "api/specs.json")).unwrap();
    let docs = json["documents"].as_array().unwrap();
    assert_eq!(json["count"].as_u64().unwrap() as usize, docs.len());
    let kinds: std::collections::BTreeSet<&str> =
        docs.iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["decision", "feature", "page", "roadmap"]
    );
    let pay101 = docs.iter().find(|d| d["id"] == "PAY-101").unwrap();
    assert_eq!(pay101["url"], "/features/pay-101/");
    assert_eq!(pay101["source"], "features/pay-101-instant-payouts.md");
    assert_eq!(pay101["status"], "shipped");
    assert_eq!(pay101["owner"][0], "Maya Chen");
    assert_eq!(pay101["outcome"], "met");
    assert_eq!(pay101["metrics"][0]["verdict"], "met");
    assert_eq!(pay101["dates"]["shipped"], "2026-04-28");
    let adr3 = docs.iter().find(|d| d["id"] == "ADR-0003").unwrap();
    assert_eq!(adr3["relations"]["superseded_by"][0], "ADR-0007");
    let adr7 = docs.iter().find(|d| d["id"] == "ADR-0007").unwrap();
    assert_eq!(
        adr7["relations"]["superseded_by"][0], "ADR-0011",
        "one-sided chain completed"
    );
    let outcomes: std::collections::BTreeSet<&str> =
        docs.iter().filter_map(|d| d["outcome"].as_str()).collect();
    assert_eq!(
        outcomes.into_iter().collect::<Vec<_>>(),
        ["met", "missed", "overdue", "pending"]
    );
    // Field order is part of the interface.
    let text = read(&out, "api/specs.json");
    let first = text.find("\"id\"").unwrap();
    let order = [
        "\"id\"",
        "\"kind\"",
        "\"title\"",
        "\"status\"",
        "\"status_raw\"",
        "\"owner\"",
        "\"team\"",
        "\"tags\"",
        "\"url\"",
        "\"source\"",
    ];
    let pos: Vec<usize> = order
        .iter()
        .map(|k| first + text[first..].find(k).unwrap())
        .collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "field order");
}

#[test]
fn builds_are_byte_identical() {
    let (_a, out_a) = build_example();
    let (_b, out_b) = build_example();
    let (a, b) = (snapshot(&out_a), snapshot(&out_b));
    assert!(a.len() > 100);
    assert_eq!(a.len(), b.len());
    for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between two builds");
    }
}

#[test]
fn error_fixtures_are_all_reported_with_positions() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    copy_tree(&repo_path("tests/fixtures/errors"), &src);
    let o = run(&["build", src.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "content errors exit 1");
    let diags: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let has = |rule: &str, file: &str, line: u64| {
        diags
            .iter()
            .any(|d| d["rule"] == rule && d["file"] == file && d["line"] == line)
    };
    assert!(has("front-matter", "features/bad-yaml.md", 3), "{diags:#?}");
    assert!(has("unknown-status", "features/unknown-status.md", 4));
    assert!(
        has("duplicate-id", "features/dup-a.md", 2),
        "both sides of a duplicate id"
    );
    assert!(has("duplicate-id", "features/dup-b.md", 2));
    assert!(has("unknown-kind", "features/unknown-kind.md", 3));
    assert!(has("metric-target", "features/bad-metric.md", 8));
    assert!(has("not-utf8", "features/latin1.md", 6));
    let status = diags
        .iter()
        .find(|d| d["rule"] == "unknown-status")
        .unwrap();
    assert_eq!(status["column"], 9);
    assert!(status["help"].as_str().unwrap().contains("shipped"));
    // Errors: the site is not swapped in, and nothing else was created.
    assert!(!src.join("public").exists());
    assert!(stderr(&o).contains("Site not written"));
}

#[test]
fn keep_going_writes_the_site_despite_errors() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    copy_tree(&repo_path("tests/fixtures/errors"), &src);
    let o = run(&["build", src.to_str().unwrap(), "--keep-going"]);
    assert_eq!(o.status.code(), Some(1));
    let page = std::fs::read_to_string(src.join("public/decisions/adr-0001/index.html")).unwrap();
    assert!(
        page.contains("href=\"../../features/bad-2/\""),
        "wiki link resolved"
    );
}

#[test]
fn output_folder_safety() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    copy_tree(&repo_path("tests/fixtures/errors"), &src);
    std::fs::remove_file(src.join("features/latin1.md")).unwrap();
    let example = repo_path("example-site");
    let ex = example.to_str().unwrap();

    // --out is SOURCE itself, or contains it.
    let o = run(&["build", ex, "--out", ex]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("it is the source folder"),
        "{}",
        stderr(&o)
    );
    let o = run(&[
        "build",
        src.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(stderr(&o).contains("contains the source folder"));

    // A folder with files the tool did not generate is refused and left alone.
    let foreign = dir.path().join("foreign");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "keep me").unwrap();
    let o = run(&["build", ex, "--out", foreign.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not generated by specsite"));
    assert_eq!(
        std::fs::read_to_string(foreign.join("notes.txt")).unwrap(),
        "keep me"
    );

    // A folder the tool generated is replaced; a file added to it afterwards stops it.
    let out = dir.path().join("site");
    assert!(
        run(&["build", ex, "--out", out.to_str().unwrap()])
            .status
            .success()
    );
    assert!(
        run(&["build", ex, "--out", out.to_str().unwrap()])
            .status
            .success()
    );
    std::fs::write(out.join("extra.html"), "mine").unwrap();
    let o = run(&["build", ex, "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("extra.html"));
    assert_eq!(
        std::fs::read_to_string(out.join("extra.html")).unwrap(),
        "mine"
    );

    // A failed build leaves the last good site untouched.
    std::fs::remove_file(out.join("extra.html")).unwrap();
    let before = snapshot(&out);
    let broken = dir.path().join("broken");
    copy_tree(&example, &broken);
    std::fs::write(broken.join("features/zz-broken.md"), "---\nid: [\n---\n").unwrap();
    let o = run(&[
        "build",
        broken.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(snapshot(&out), before);
    // No temporary folders are left behind.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.contains("specsite-tmp") && !n.contains("specsite-old")),
        "{names:?}"
    );
}

#[test]
fn works_without_any_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("repo");
    std::fs::create_dir_all(src.join("prds")).unwrap();
    std::fs::create_dir_all(src.join("docs/adr")).unwrap();
    std::fs::write(
        src.join("prds/search.md"),
        "---\ntitle: Search\nstatus: draft\n---\nSee [the ADR](../docs/adr/0001-x.md).\n",
    )
    .unwrap();
    std::fs::write(
        src.join("docs/adr/0001-x.md"),
        "+++\ntitle = \"Use X\"\nstatus = \"accepted\"\n+++\nBody\n",
    )
    .unwrap();
    std::fs::write(src.join("README.md"), "# Our specs\n").unwrap();
    let o = run(&["build", src.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = std::fs::read_to_string(src.join("public/features/search/index.html")).unwrap();
    // The leading number of the file name is the id.
    assert!(page.contains("href=\"../../decisions/0001/\""));
    assert!(src.join("public/readme/index.html").is_file());
}

#[test]
fn usage_errors_exit_2_and_help_everywhere() {
    assert_eq!(run(&["build", "--no-such-flag"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(run(&["build", "/no/such/folder"]).status.code(), Some(2));
    for sub in ["build", "check", "new", "init"] {
        let o = run(&[sub, "--help"]);
        assert!(o.status.success(), "{sub} --help");
        assert!(stdout(&o).contains("Usage:"));
    }
}

#[test]
fn new_scaffolds_with_the_next_free_id_and_init_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let o = run(&["init", repo.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(repo.join("specsite.toml").is_file());
    assert!(repo.join("people.toml").is_file());
    let o = run(&["init", repo.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "init refuses to overwrite");
    // The starter repo builds cleanly.
    let o = run(&["check", repo.to_str().unwrap(), "--strict"]);
    assert!(o.status.success(), "{}", stderr(&o));

    let o = run(&[
        "new",
        "feature",
        "Bulk export: CSV",
        "--source",
        repo.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let path = stdout(&o).trim().to_string();
    assert!(
        path.ends_with("features/feat-002-bulk-export-csv.md"),
        "{path}"
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("id: FEAT-002"));
    assert!(text.contains("title: \"Bulk export: CSV\""));
    let o = run(&[
        "new",
        "decision",
        "Use Y",
        "--source",
        repo.to_str().unwrap(),
    ]);
    assert!(
        stdout(&o).trim().ends_with("decisions/adr-0002-use-y.md"),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        run(&["new", "epic", "X", "--source", repo.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn search_can_be_turned_off() {
    let (_keep, with_search) = build_example();
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("repo");
    copy_tree(&repo_path("example-site"), &src);
    let mut config = std::fs::read_to_string(src.join("specsite.toml")).unwrap();
    config.push_str("\n[search]\nenabled = false\n");
    std::fs::write(src.join("specsite.toml"), config).unwrap();
    let without = dir.path().join("site");
    let o = run(&[
        "build",
        src.to_str().unwrap(),
        "--out",
        without.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));

    let search_file = |p: &str| p.starts_with("search/") || p == "assets/search.js";
    let full = snapshot(&with_search);
    let bare = snapshot(&without);
    assert!(full.iter().any(|(p, _)| p == "search/meta.js"));
    assert!(bare.iter().all(|(p, _)| !search_file(p)), "no search files");
    // Every other file is still there; the pages lose only the search box.
    let rest: Vec<&String> = full
        .iter()
        .map(|(p, _)| p)
        .filter(|p| !search_file(p) && *p != ".specsite-output")
        .collect();
    let bare_paths: Vec<&String> = bare
        .iter()
        .map(|(p, _)| p)
        .filter(|p| *p != ".specsite-output")
        .collect();
    assert_eq!(rest, bare_paths);
    let home = read(&with_search, "index.html");
    assert!(home.contains("id=\"search-input\"") && home.contains("assets/search.js"));
    for (path, bytes) in bare.iter().filter(|(p, _)| p.ends_with(".html")) {
        let page = String::from_utf8_lossy(bytes);
        assert!(
            !page.contains("search-input") && !page.contains("search.js"),
            "{path} still has the search box"
        );
    }
}
