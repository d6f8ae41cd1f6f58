//! The CI files `specsite init --ci` writes: one template per service (GitHub Actions,
//! GitLab CI, Netlify) that checks the specs on every change and publishes the site
//! from the default branch, filled in with the site's folder and this specsite version.

use std::path::{Path, PathBuf};

/// A CI service `init --ci` can write files for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Service {
    /// GitHub Actions: checks and a spec-change comment on pull requests, GitHub Pages
    /// from the default branch.
    Github,
    /// GitLab CI: a check on merge requests, GitLab Pages from the default branch.
    Gitlab,
    /// Netlify: builds and publishes the site (deploy previews included).
    Netlify,
}

/// The repository-relative path and text of each file a service needs.
pub fn files(service: Service, source: &str) -> Vec<(&'static str, String)> {
    let fill = |template: &str| {
        template
            .replace("{{ version }}", env!("CARGO_PKG_VERSION"))
            .replace("{{ source }}", source)
    };
    match service {
        Service::Github => vec![(".github/workflows/specsite.yml", fill(GITHUB))],
        Service::Gitlab => vec![(".gitlab-ci.yml", fill(GITLAB))],
        Service::Netlify => vec![("netlify.toml", fill(NETLIFY))],
    }
}

/// Where CI files go for a site in `dir`: the root of the git repository that holds it
/// (CI services read their files there), and the site's folder relative to that root.
/// Outside a repository, `dir` itself with the site at `.`.
pub fn root_of(dir: &Path) -> (PathBuf, String) {
    let given = dir;
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let repo = dir.ancestors().find(|a| a.join(".git").exists());
    match repo {
        // Keep DIR as the user wrote it, so the files are named as they expect.
        Some(root) if root == dir => (given.to_path_buf(), ".".to_string()),
        Some(root) => {
            let rel = dir.strip_prefix(root).unwrap_or(Path::new(""));
            let rel = rel.to_string_lossy().replace('\\', "/");
            let source = if rel.is_empty() { ".".to_string() } else { rel };
            (root.to_path_buf(), source)
        }
        None => (given.to_path_buf(), ".".to_string()),
    }
}

/// Whether a folder name can stand unquoted in the YAML, TOML and shell lines of the
/// templates.
pub fn plain_path(source: &str) -> bool {
    !source.is_empty()
        && !source.starts_with('-')
        && source
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._/-".contains(&b))
}

const GITHUB: &str = r#"# Written by `specsite init --ci github` (specsite {{ version }}).
# Pull requests: the specs are checked (problems appear as annotations on the diff) and
# one comment summarises what the pull request changes in them. The default branch: the
# site is built from full history and published on GitHub Pages. Turn Pages on first:
# Settings → Pages → Build and deployment → Source: GitHub Actions.
name: specsite

on:
  pull_request:
  push:
  workflow_dispatch:

permissions:
  contents: read

jobs:
  check:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - name: Check the specs
        uses: specsite/specsite@v0
        with:
          version: "{{ version }}"
          args: check --strict --format github {{ source }}

  spec-changes:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write
    steps:
      - uses: actions/checkout@v5
        with:
          fetch-depth: 0
      - name: Install specsite
        uses: specsite/specsite@v0
        with:
          version: "{{ version }}"
          args: ""
      - name: Summarise the spec changes
        env:
          BASE_REF: ${{ github.base_ref }}
        run: |
          specsite diff "origin/$BASE_REF" --source {{ source }} --format markdown > "$RUNNER_TEMP/spec-diff.md"
          cat "$RUNNER_TEMP/spec-diff.md" >> "$GITHUB_STEP_SUMMARY"
      # Pull requests from forks get a read-only token: their summary stays in the job
      # summary above.
      - name: Post or update the summary comment
        if: github.event.pull_request.head.repo.full_name == github.repository
        uses: actions/github-script@v8
        with:
          script: |
            const fs = require('fs');
            const marker = '<!-- specsite-diff -->';
            let summary = fs.readFileSync(`${process.env.RUNNER_TEMP}/spec-diff.md`, 'utf8');
            if (summary.length > 60000) {
              summary = summary.slice(0, 60000) + '\n\n… (cut; the whole summary is in the job summary)';
            }
            const body = `${marker}\n${summary}`;
            const { owner, repo } = context.repo;
            const issue_number = context.issue.number;
            const comments = await github.paginate(github.rest.issues.listComments, {
              owner, repo, issue_number, per_page: 100,
            });
            const ours = comments.find(
              (c) => c.user && c.user.login === 'github-actions[bot]' && c.body && c.body.includes(marker),
            );
            if (ours) {
              await github.rest.issues.updateComment({ owner, repo, comment_id: ours.id, body });
            } else {
              await github.rest.issues.createComment({ owner, repo, issue_number, body });
            }

  build:
    if: github.event_name != 'pull_request' && github.ref_name == github.event.repository.default_branch
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
        with:
          # Created and updated dates come from git history.
          fetch-depth: 0
      - name: Configure GitHub Pages
        id: pages
        uses: actions/configure-pages@v6
      - name: Install specsite
        uses: specsite/specsite@v0
        with:
          version: "{{ version }}"
          args: ""
      - name: Build the site
        env:
          BASE_URL: ${{ steps.pages.outputs.base_url }}
        run: |
          # The last commit's time stamps the build, so the same commit builds the same site.
          SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"
          export SOURCE_DATE_EPOCH
          specsite build {{ source }} --out _site --base-url "$BASE_URL"
      - uses: actions/upload-pages-artifact@v4
        with:
          path: _site

  deploy:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    # One deployment at a time; a newer one waits rather than cancelling a running one.
    concurrency:
      group: pages
      cancel-in-progress: false
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - name: Deploy to GitHub Pages
        id: deployment
        uses: actions/deploy-pages@v5
"#;

const GITLAB: &str = r#"# Written by `specsite init --ci gitlab` (specsite {{ version }}).
# Merge requests: the specs are checked. The default branch: the site is built from full
# history and published on GitLab Pages.
default:
  image: rust:1-slim

variables:
  # Created and updated dates come from git history.
  GIT_DEPTH: 0
  SPECSITE_VERSION: "{{ version }}"

# Installs specsite once per version; the cache keeps it between pipelines.
.specsite:
  cache:
    key: specsite-$SPECSITE_VERSION
    paths:
      - .specsite/
  before_script:
    - apt-get update -qq && apt-get install -y -qq git > /dev/null
    - cargo install specsite --version "$SPECSITE_VERSION" --locked --root "$CI_PROJECT_DIR/.specsite"
    - export PATH="$CI_PROJECT_DIR/.specsite/bin:$PATH"

check:
  extends: .specsite
  stage: test
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  script:
    - specsite check --strict {{ source }}

pages:
  extends: .specsite
  stage: deploy
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  script:
    - export SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"
    - specsite build {{ source }} --out public --base-url "$CI_PAGES_URL"
  artifacts:
    paths:
      - public
"#;

const NETLIFY: &str = r#"# Written by `specsite init --ci netlify` (specsite {{ version }}).
# Netlify builds the site on every push and deploy preview. The build downloads the
# released specsite binary and checks its SHA-256; when there is none for this version,
# it compiles specsite from crates.io instead.
[build]
  command = """
set -eu
v={{ version }}
t=x86_64-unknown-linux-musl
a=specsite-$v-$t.tar.gz
u=https://github.com/specsite/specsite/releases/download/v$v
mkdir -p .specsite/bin
if curl --fail --silent --show-error --location -o .specsite/$a $u/$a && curl --fail --silent --show-error --location -o .specsite/$a.sha256 $u/$a.sha256 && (cd .specsite && sha256sum --check $a.sha256); then
  tar -xzf .specsite/$a -C .specsite
  cp .specsite/specsite-$v-$t/specsite .specsite/bin/
else
  echo "No released specsite $v binary could be fetched and checked; compiling it"
  cargo install specsite --version $v --locked --root .specsite
fi
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) .specsite/bin/specsite build {{ source }} --out public --base-url "${DEPLOY_PRIME_URL:-/}"
"""
  publish = "public"

[[headers]]
  for = "/assets/*"
  [headers.values]
    Cache-Control = "public, max-age=3600, stale-while-revalidate=86400"

[[headers]]
  for = "/*"
  [headers.values]
    X-Content-Type-Options = "nosniff"
    Referrer-Policy = "strict-origin-when-cross-origin"
"#;
