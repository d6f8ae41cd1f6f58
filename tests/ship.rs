//! A first run without stumbles: `init`, `new` for every kind and `init --ci` for every
//! service, with the real binary in fresh folders.

mod common;

use common::{bin, stderr, stdout};
use std::path::Path;
use std::process::Output;

fn run_in(cwd: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(cwd)
        .env_remove("USER")
        .args(args)
        .output()
        .expect("specsite runs")
}

fn check_strict(cwd: &Path, site: &str) {
    let o = run_in(cwd, &["check", "--strict", site]);
    assert!(
        o.status.success(),
        "check --strict failed:\n{}{}",
        stdout(&o),
        stderr(&o)
    );
}

fn yaml(text: &str) -> marked_yaml::Node {
    marked_yaml::parse_yaml(0, text).unwrap_or_else(|e| panic!("not YAML: {e:?}\n{text}"))
}

fn front_matter_title(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let front = text
        .strip_prefix("---\n")
        .and_then(|t| t.split_once("\n---\n"))
        .map(|(f, _)| f)
        .expect("front matter");
    let node = yaml(front);
    let title = node.as_mapping().unwrap().get_scalar("title").unwrap();
    title.as_str().to_string()
}

#[test]
fn new_documents_of_every_kind_pass_check_strict() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_in(tmp.path(), &["init", "site"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("Next: specsite serve site"),
        "init should end with the next command: {}",
        stderr(&o)
    );
    check_strict(tmp.path(), "site");
    for kind in ["feature", "decision", "roadmap"] {
        // SOURCE as a positional argument, and as --source.
        for source in [&["site"][..], &["--source", "site"][..]] {
            let mut args = vec!["new", kind, "Faster checkout"];
            args.extend_from_slice(source);
            let o = run_in(tmp.path(), &args);
            assert!(o.status.success(), "new {kind}: {}", stderr(&o));
            let path = tmp.path().join(stdout(&o).trim());
            assert!(path.is_file(), "{} was not written", path.display());
            check_strict(tmp.path(), "site");
        }
    }
}

#[test]
fn an_owner_missing_from_people_toml_is_left_out() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(run_in(tmp.path(), &["init", "site"]).status.success());
    for kind in ["feature", "decision"] {
        let o = bin()
            .current_dir(tmp.path())
            .env("USER", "someone-unlisted")
            .args(["new", kind, "Owned", "site"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let text = std::fs::read_to_string(tmp.path().join(stdout(&o).trim())).unwrap();
        assert!(!text.contains("someone-unlisted"), "{text}");
    }
    let o = bin()
        .current_dir(tmp.path())
        .env("USER", "alex")
        .args(["new", "feature", "Alex's", "site"])
        .output()
        .unwrap();
    let text = std::fs::read_to_string(tmp.path().join(stdout(&o).trim())).unwrap();
    assert!(text.contains("owner: alex\n"), "{text}");
    check_strict(tmp.path(), "site");
}

#[test]
fn awkward_titles_are_written_as_valid_yaml_or_refused() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(run_in(tmp.path(), &["init", "site"]).status.success());
    for title in [
        "yes",
        "12",
        "Retry: with backoff",
        "#1 priority",
        "- a list?",
        "{{ today }} and {{ id }}",
        "Say \"hi\" \\ bye",
        "[draft] 'quoted' & *starred*",
    ] {
        // `--` lets a title start with `-`.
        let o = run_in(
            tmp.path(),
            &["new", "--source", "site", "feature", "--", title],
        );
        assert!(o.status.success(), "{title}: {}", stderr(&o));
        let path = tmp.path().join(stdout(&o).trim());
        assert_eq!(front_matter_title(&path), title);
    }
    check_strict(tmp.path(), "site");

    let before = std::fs::read_dir(tmp.path().join("site/features"))
        .unwrap()
        .count();
    for title in ["two\nlines", "tab\there", "bell\u{7}", "  "] {
        let o = run_in(tmp.path(), &["new", "feature", title, "site"]);
        assert_eq!(o.status.code(), Some(1), "{title:?} should be refused");
        assert!(stderr(&o).contains("title"), "{}", stderr(&o));
    }
    let after = std::fs::read_dir(tmp.path().join("site/features"))
        .unwrap()
        .count();
    assert_eq!(before, after, "a refused title wrote a file");
}

#[test]
fn a_title_already_taken_is_reported_with_the_spec_that_has_it() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(run_in(tmp.path(), &["init", "site"]).status.success());
    let o = run_in(tmp.path(), &["new", "feature", "first FEATURE", "site"]);
    assert!(o.status.success());
    assert!(
        stderr(&o).contains("FEAT-001 (features/feat-001-first-feature.md)"),
        "{}",
        stderr(&o)
    );
    let o = run_in(tmp.path(), &["new", "feature", "Something new", "site"]);
    assert!(!stderr(&o).contains("already has this title"));
}

#[test]
fn init_names_an_existing_file_once_and_recognises_an_existing_site() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("site")).unwrap();
    std::fs::write(tmp.path().join("site/people.toml"), "# mine\n").unwrap();
    let o = run_in(tmp.path(), &["init", "site"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("--> site/people.toml"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("site/site"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("site/people.toml")).unwrap(),
        "# mine\n"
    );
    assert!(!tmp.path().join("site/specsite.toml").exists());

    std::fs::remove_file(tmp.path().join("site/people.toml")).unwrap();
    assert!(run_in(tmp.path(), &["init", "site"]).status.success());
    std::fs::write(tmp.path().join("site/specsite.toml"), "title = \"Mine\"\n").unwrap();
    let o = run_in(tmp.path(), &["init", "site"]);
    assert_eq!(o.status.code(), Some(1), "nothing was written");
    assert!(
        stderr(&o).contains("already a specsite site"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("site/specsite.toml")).unwrap(),
        "title = \"Mine\"\n"
    );
}

/// Runs `init --ci SERVICE DIR` twice and returns the files of the first run.
fn init_ci_twice(dir: &Path, service: &str) -> Vec<(String, String)> {
    let o = run_in(dir, &["init", "--ci", service, "."]);
    assert!(o.status.success(), "{}", stderr(&o));
    let written: Vec<String> = stdout(&o)
        .lines()
        .map(|l| l.trim_start_matches("./").to_string())
        .collect();
    let ci: Vec<(String, String)> = written
        .iter()
        .filter(|p| !p.ends_with(".md") && !p.ends_with("people.toml"))
        .filter(|p| !p.ends_with("specsite.toml"))
        .map(|p| (p.clone(), std::fs::read_to_string(dir.join(p)).unwrap()))
        .collect();
    assert_eq!(ci.len(), 1, "one CI file for {service}: {written:?}");
    let o = run_in(dir, &["init", "--ci", service, "."]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "", "the second run wrote files");
    for (path, text) in &ci {
        assert!(stderr(&o).contains("exists already"), "{}", stderr(&o));
        assert_eq!(&std::fs::read_to_string(dir.join(path)).unwrap(), text);
    }
    check_strict(dir, ".");
    ci
}

fn actionlint(file: &Path) {
    match std::process::Command::new("actionlint").arg(file).output() {
        Ok(o) => assert!(
            o.status.success(),
            "actionlint found problems in {}:\n{}{}",
            file.display(),
            stdout(&o),
            stderr(&o)
        ),
        Err(_) => println!("note: actionlint is not on PATH; .ci/run lints the workflow instead"),
    }
}

#[test]
fn init_ci_github_writes_a_checking_commenting_publishing_workflow() {
    let tmp = tempfile::tempdir().unwrap();
    let files = init_ci_twice(tmp.path(), "github");
    let (path, text) = &files[0];
    assert_eq!(path, ".github/workflows/specsite.yml");
    let doc = yaml(text);
    let jobs = doc.as_mapping().unwrap().get_mapping("jobs").unwrap();
    for job in ["check", "spec-changes", "build", "deploy"] {
        assert!(jobs.get_mapping(job).is_some(), "no job {job}");
    }
    for needle in [
        "args: check --strict --format github .",
        "uses: specsite/specsite@v0",
        "fetch-depth: 0",
        "SOURCE_DATE_EPOCH=\"$(git log -1 --format=%ct)\"",
        "uses: actions/configure-pages@",
        "uses: actions/upload-pages-artifact@",
        "uses: actions/deploy-pages@",
        "--base-url \"$BASE_URL\"",
        "BASE_URL: ${{ steps.pages.outputs.base_url }}",
        "pages: write",
        "id-token: write",
        "pull-requests: write",
        "group: pages",
        "specsite diff \"origin/$BASE_REF\" --source . --format markdown",
        "<!-- specsite-diff -->",
        "updateComment",
        "createComment",
        concat!("version: \"", env!("CARGO_PKG_VERSION"), "\""),
    ] {
        assert!(text.contains(needle), "the workflow lacks `{needle}`");
    }
    actionlint(&tmp.path().join(path));
}

#[test]
fn init_ci_gitlab_writes_pages_and_a_merge_request_check() {
    let tmp = tempfile::tempdir().unwrap();
    let files = init_ci_twice(tmp.path(), "gitlab");
    let (path, text) = &files[0];
    assert_eq!(path, ".gitlab-ci.yml");
    let doc = yaml(text);
    let root = doc.as_mapping().unwrap();
    let pages = root.get_mapping("pages").expect("a pages job");
    let paths = pages
        .get_mapping("artifacts")
        .and_then(|a| a.get_sequence("paths"))
        .expect("pages publishes artifacts");
    assert_eq!(paths.get_scalar(0).unwrap().as_str(), "public");
    let rule = |job: &marked_yaml::types::MarkedMappingNode| {
        job.get_sequence("rules")
            .and_then(|r| r.get_mapping(0))
            .and_then(|r| r.get_scalar("if"))
            .map(|s| s.as_str().to_string())
            .unwrap()
    };
    assert_eq!(rule(pages), "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH");
    let check = root.get_mapping("check").expect("a check job");
    assert_eq!(
        rule(check),
        "$CI_PIPELINE_SOURCE == \"merge_request_event\""
    );
    assert!(text.contains("specsite check --strict ."));
    assert!(text.contains("--out public"));
}

#[test]
fn init_ci_netlify_writes_a_build_that_downloads_and_checks_the_binary() {
    let tmp = tempfile::tempdir().unwrap();
    let files = init_ci_twice(tmp.path(), "netlify");
    let (path, text) = &files[0];
    assert_eq!(path, "netlify.toml");
    let doc: toml::Table = toml::from_str(text).expect("netlify.toml is TOML");
    let build = doc["build"].as_table().unwrap();
    assert_eq!(build["publish"].as_str(), Some("public"));
    let command = build["command"].as_str().unwrap();
    for needle in ["curl --fail", "sha256sum --check", "cargo install specsite"] {
        assert!(
            command.contains(needle),
            "the build command lacks `{needle}`"
        );
    }
    let syntax = std::process::Command::new("bash")
        .args(["-n", "-c", command])
        .status()
        .unwrap();
    assert!(syntax.success(), "the build command is not valid shell");
}

#[test]
fn ci_files_go_to_the_repository_root_and_name_the_site_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let git = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(tmp.path())
        .status()
        .unwrap();
    assert!(git.success());
    let o = run_in(tmp.path(), &["init", "--ci", "github", "docs/specs"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(tmp.path().join(".github/workflows/specsite.yml")).unwrap();
    assert!(text.contains("check --strict --format github docs/specs"));
    assert!(text.contains("specsite build docs/specs --out _site"));
    assert!(!tmp.path().join("docs/specs/.github").exists());
}

#[cfg(unix)]
#[test]
fn init_ci_never_writes_through_a_symbolic_link() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, site.join(".github")).unwrap();
    let o = run_in(&site, &["init", "--ci", "github", "."]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);

    // A link where the file goes (even one pointing nowhere) is an existing file: kept.
    std::fs::remove_file(site.join(".github")).unwrap();
    std::os::unix::fs::symlink(elsewhere.join("netlify.toml"), site.join("netlify.toml")).unwrap();
    let o = run_in(&site, &["init", "--ci", "netlify", "."]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("exists already"), "{}", stderr(&o));
    assert!(!elsewhere.join("netlify.toml").exists());
}
