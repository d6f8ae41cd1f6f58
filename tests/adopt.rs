//! Adopting existing repos: metadata from every source (front matter with loose typing,
//! the list under the title, body sections, sidecar files, file names, folder defaults),
//! field aliases, status mapping, people, and dirty data, built by the real binary from
//! `tests/fixtures/adopt` with its configuration kept outside the repo (`--config`).

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

struct Adopted {
    _dir: tempfile::TempDir,
    specs: Value,
    diagnostics: Vec<Value>,
    code: Option<i32>,
}

/// Builds the fixture repo with `--keep-going`, its config moved out of SOURCE.
fn adopt() -> Adopted {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("repo");
    copy_tree(&repo_path("tests/fixtures/adopt"), &src);
    let config = dir.path().join("adopt.toml");
    std::fs::rename(src.join("specsite.toml"), &config).unwrap();
    let out = dir.path().join("site");
    let o = run(&[
        "build",
        src.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--keep-going",
        "--format",
        "json",
    ]);
    let diagnostics = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let specs = serde_json::from_str(&read(&out, "api/specs.json")).unwrap();
    // Nothing was added to the repo.
    assert!(!src.join("specsite.toml").exists());
    assert!(!src.join("public").exists());
    Adopted {
        _dir: dir,
        specs,
        diagnostics,
        code: o.status.code(),
    }
}

impl Adopted {
    fn doc(&self, source: &str) -> &Value {
        self.specs["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["source"] == source)
            .unwrap_or_else(|| panic!("no document from {source}"))
    }

    fn diags(&self, rule: &str) -> Vec<&Value> {
        self.diagnostics
            .iter()
            .filter(|d| d["rule"] == rule)
            .collect()
    }
}

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().map(|x| x.as_str().unwrap()).collect())
        .unwrap_or_default()
}

#[test]
fn adr_tools_dialect_date_line_status_section_and_link_lines() {
    let a = adopt();
    let d = a.doc("adr/0001-use-postgres.md");
    assert_eq!(d["id"], "0001");
    assert_eq!(d["kind"], "decision");
    // The leading number repeats the id, which the page shows already.
    assert_eq!(d["title"], "Use Postgres");
    assert_eq!(
        (&d["status"], &d["status_raw"]),
        (&"accepted".into(), &"Accepted".into())
    );
    assert_eq!(d["dates"]["date"], "2024-01-05");
    assert_eq!(strs(&d["relations"]["amended_by"]), ["0006"]);

    // adr-tools' own spelling, and a status naming its successor.
    let d = a.doc("adr/0002-use-kafka.md");
    assert_eq!(d["status"], "superseded");
    assert_eq!(d["status_raw"], "Superceded by 3. Use NATS");
    assert_eq!(strs(&d["relations"]["superseded_by"]), ["0003"]);
    assert_eq!(
        strs(&a.doc("adr/0003-use-nats.md")["relations"]["supersedes"]),
        ["0002"]
    );
}

#[test]
fn madr_header_list_with_markdown_and_people_links() {
    let a = adopt();
    let d = a.doc("adr/0003-use-nats.md");
    assert_eq!(d["status_raw"], "accepted");
    assert_eq!(d["dates"]["date"], "2024-03-01");
    assert_eq!(strs(&d["owner"]), ["Ann Lee", "Bob Stone"]);
}

#[test]
fn status_patterns_and_the_raw_text_kept() {
    let a = adopt();
    let d = a.doc("adr/0006-pool-connections.md");
    assert_eq!(d["status"], "accepted");
    assert_eq!(d["status_raw"], "Implemented (v2.1)");
    assert_eq!(strs(&d["relations"]["amends"]), ["0001"]);
    // `Status:` line under the title; aliases of the vocabulary.
    let d = a.doc("adr/0005-examples-only.md");
    assert_eq!(
        (&d["status"], &d["status_raw"]),
        (&"proposed".into(), &"Pending".into())
    );
}

#[test]
fn metadata_in_code_blocks_is_never_read() {
    let a = adopt();
    let d = a.doc("adr/0005-examples-only.md");
    assert_eq!(d["dates"]["date"], Value::Null);
    assert!(
        a.diagnostics
            .iter()
            .all(|x| x["file"] != "adr/0005-examples-only.md")
    );
}

#[test]
fn front_matter_with_bom_crlf_aliases_and_loose_types() {
    let a = adopt();
    let d = a.doc("rfcs/0043-export.md");
    assert_eq!(d["id"], "RFC-0043");
    assert_eq!(d["kind"], "feature");
    assert_eq!(d["status"], "approved");
    assert_eq!(d["dates"]["created"], "2024-05-06");
    assert_eq!(strs(&d["tags"]), ["2024"]);
    // `authors`, a comma list ending in `et al.`
    assert_eq!(strs(&d["owner"]), ["Carol Diaz", "Dan Wu"]);
    assert_eq!(strs(&d["relations"]["depends_on"]), ["RFC-0042"]);
}

#[test]
fn sidecar_file_header_list_and_folder_id_pattern() {
    let a = adopt();
    let d = a.doc("rfcs/0042-search/README.md");
    assert_eq!(
        d["id"], "RFC-0042",
        "the folder's number and the id pattern"
    );
    // The sidecar gives status and authors; the header list the loose start date and team.
    assert_eq!(d["status"], "review");
    assert_eq!(d["dates"]["created"], "2024-02-09");
    assert_eq!(d["team"], "Discovery");
    assert_eq!(strs(&d["owner"]), ["Ann Lee", "Dan Wu"]);
}

#[test]
fn stub_files_get_the_folder_defaults() {
    let a = adopt();
    let d = a.doc("rfcs/0044-legacy.md");
    assert_eq!(d["id"], "RFC-0044");
    assert_eq!(d["status"], "draft");
    assert!(d["owner"].as_array().unwrap().is_empty());
}

#[test]
fn one_person_written_several_ways_is_one_owner() {
    let a = adopt();
    // "[Ann Lee](https://github.com/annlee)", "@annlee", "Ann Lee (@annlee)".
    for source in [
        "adr/0003-use-nats.md",
        "adr/0006-pool-connections.md",
        "rfcs/0042-search/README.md",
    ] {
        assert_eq!(strs(&a.doc(source)["owner"])[0], "Ann Lee", "{source}");
    }
    let dir = a._dir.path().join("site/people");
    let pages: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("ann") || n.contains("dan"))
        .collect();
    assert_eq!(pages.len(), 2, "{pages:?}");
}

#[test]
fn dirty_data_gets_precise_diagnostics_and_the_rest_builds() {
    let a = adopt();
    assert_eq!(
        a.code,
        Some(0),
        "problems in prose are warnings: the site builds"
    );
    assert_eq!(a.specs["count"], 11, "every document is published");

    let unmapped = a.diags("unmapped-status");
    assert_eq!(unmapped.len(), 2, "{:?}", a.diagnostics);
    assert!(unmapped.iter().all(|d| d["level"] == "warning"));
    // A typo in a Status section: where it is and what was meant.
    let typo = unmapped[0];
    assert_eq!(typo["file"], "adr/0004-cache-in-redis.md");
    assert_eq!((&typo["line"], &typo["column"]), (&5.into(), &1.into()));
    assert!(
        typo["help"]
            .as_str()
            .unwrap()
            .contains("did you mean 'accepted'")
    );
    // A value no status is near: listed as written.
    assert_eq!(unmapped[1]["file"], "adr/0007-observability.md");
    assert_eq!(
        a.doc("adr/0007-observability.md")["status_raw"],
        "Gathering information from the teams"
    );

    let date = a.diags("invalid-metadata");
    assert_eq!(date.len(), 1, "{:?}", a.diagnostics);
    assert_eq!(date[0]["file"], "adr/0006-pool-connections.md");
    assert_eq!(
        (&date[0]["line"], &date[0]["column"]),
        (&4.into(), &9.into())
    );
    assert!(date[0]["message"].as_str().unwrap().contains("23-07-2024"));

    // Two files numbered 0004: both published, the later under its whole name.
    let dup = a.diags("duplicate-number");
    assert_eq!(dup.len(), 1, "{:?}", a.diagnostics);
    assert_eq!(dup[0]["file"], "adr/0004-cache-in-redis.md");
    assert_eq!(a.doc("adr/0004-cache-in-memory.md")["id"], "0004");
    assert_eq!(
        a.doc("adr/0004-cache-in-redis.md")["id"],
        "0004-cache-in-redis"
    );

    let others: Vec<&Value> = a
        .diagnostics
        .iter()
        .filter(|d| {
            !["unmapped-status", "invalid-metadata", "duplicate-number"]
                .contains(&d["rule"].as_str().unwrap())
        })
        .collect();
    assert!(others.is_empty(), "no spurious diagnostics: {others:?}");
}

#[test]
fn a_bad_sidecar_file_is_reported_in_that_file() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir_all(src.join("rfcs/0001-x")).unwrap();
    std::fs::write(src.join("specsite.toml"), "sidecar = \"meta.yaml\"\n").unwrap();
    std::fs::write(src.join("rfcs/0001-x/README.md"), "# X\n").unwrap();
    std::fs::write(src.join("rfcs/0001-x/meta.yaml"), "status: [unclosed\n").unwrap();
    let o = run(&["check", src.to_str().unwrap(), "--format", "json"]);
    let out = stdout(&o);
    assert!(out.contains("\"rule\":\"invalid-metadata\""), "{out}");
    assert!(out.contains("\"file\":\"rfcs/0001-x/meta.yaml\""), "{out}");
    assert!(!Path::new(&src.join("public")).exists());
}

#[test]
fn init_detect_writes_a_config_that_maps_the_repo() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("repo");
    std::fs::create_dir_all(src.join("PROPOSALS")).unwrap();
    for (n, status, requires) in [
        (1, "Final", ""),
        (2, "Last Call", "requires: 1\n"),
        (3, "Stagnant", ""),
        (4, "Superseded by 2", ""),
    ] {
        std::fs::write(
            src.join(format!("PROPOSALS/prop-{n}.md")),
            format!("---\nprop: {n}\ntitle: Proposal {n}\nstatus: {status}\nauthor: Ann (@ann)\n{requires}---\n\n## Abstract\n\nText.\n"),
        )
        .unwrap();
    }
    let config = dir.path().join("detected.toml");
    let o = run(&[
        "init",
        "--detect",
        src.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("id = [\"prop\"]"), "{text}");
    assert!(
        text.contains("[folders.\"PROPOSALS\"]\nkind = \"feature\""),
        "{text}"
    );
    assert!(text.contains("name = \"last-call\""), "{text}");
    assert!(text.contains("\"superseded *\""), "{text}");
    assert!(
        !src.join("specsite.toml").exists(),
        "nothing is added to the repo"
    );

    // The detected configuration builds the repo with every status mapped.
    let o = run(&[
        "check",
        src.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}");
    assert!(!out.contains("status"), "{out}");

    // Never overwrites.
    let o = run(&[
        "init",
        "--detect",
        src.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
}
