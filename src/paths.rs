//! Where every page of the site is written. This is the one place the site's URL
//! patterns are spelled (document pages, kind indexes, the status, team, tag and person
//! pages, pagers), and where a key as written (a tag, a team, a status, a person, an id)
//! becomes the slug of its page: symbols get words (`C++` → `c-plus-plus`), a key with
//! no letters or digits gets a slug made of its code points (`🚧` → `u1f6a7`), a slug
//! that names a file the site writes is changed (`index.html` → `index-html`), and of
//! several keys that want one slug the first keeps it and the others get `-2`, `-3`…
//! ([`decide`]). The link stage decides every list key's slug once, so two routes never
//! share a file and `check` reports what `build` would run into.

use crate::config::Kind;
use crate::text::{MAX_SLUG_BYTES, slug};
use rustc_hash::FxHashMap;
use std::borrow::Cow;

/// The file a page's URL is written to.
pub fn page_file(url: &str) -> String {
    format!("{url}index.html")
}

/// The URL of page `page` of a paginated list whose first page is at `base`.
pub fn paged(base: &str, page: usize) -> String {
    if page <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{page}/")
    }
}

/// The list of one kind's documents (`features/`).
pub fn kind_index(kind: Kind) -> String {
    format!("{}/", kind.url_folder().unwrap_or("pages"))
}

/// The list of everyone.
pub const PEOPLE: &str = "people/";
/// Features with metric goals.
pub const OUTCOMES: &str = "outcomes/";
/// Open features, highest RICE first.
pub const BACKLOG: &str = "backlog/";

/// The lists whose pages are named after keys written in the specs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum List {
    Status,
    Team,
    Tag,
    Person,
}

impl List {
    fn folder(self) -> &'static str {
        match self {
            List::Status => "status",
            List::Team => "teams",
            List::Tag => "tags",
            List::Person => "people",
        }
    }

    /// What a key of the list is called in messages.
    pub fn noun(self) -> &'static str {
        match self {
            List::Status => "status",
            List::Team => "team",
            List::Tag => "tag",
            List::Person => "person",
        }
    }
}

/// The URL of a list key's page, from its decided slug.
pub fn list_url(list: List, slug: &str) -> String {
    format!("{}/{slug}/", list.folder())
}

/// Top-level folders of the site that specsite generates; plain pages whose path would
/// land in one of them move under `pages/`.
pub const RESERVED: &[&str] = &[
    "features",
    "decisions",
    "roadmaps",
    "people",
    "status",
    "teams",
    "tags",
    "outcomes",
    "backlog",
    "api",
    "files",
    "assets",
    "search",
    "pages",
    "404.html",
    "sitemap.xml",
    "feed.xml",
];

/// File names the site writes inside page folders: a slug equal to one would make a
/// folder where that file is (`features/index.html/` beside `features/index.html`).
const FILE_NAMES: &[&str] = &["index.html"];

/// Why a slug is not simply the key's text made URL-safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// The key has no letters or digits: its slug is made of its code points.
    NoLetters,
    /// The slug would name a file the site writes (`index.html`): its dots became `-`.
    FileName,
}

impl Fallback {
    /// Why, for messages.
    pub fn reason(self) -> &'static str {
        match self {
            Fallback::NoLetters => "has no letters or digits to make a URL of",
            Fallback::FileName => "would make a URL that names a file the site writes",
        }
    }
}

/// The document page URL of a document (relative to the site root, ending in `/`), and
/// whether its id needed a fallback.
pub fn doc_url(kind: Kind, id: &str, path: &str) -> (String, Option<Fallback>) {
    match kind.url_folder() {
        Some(folder) => {
            let (slug, fallback) = key_slug(id);
            (format!("{folder}/{slug}/"), fallback)
        }
        None => page_url(path),
    }
}

/// A plain page's URL: its path, each segment a slug, `index`/`readme` standing for
/// their folder.
fn page_url(path: &str) -> (String, Option<Fallback>) {
    let without_ext = path.rsplit_once('.').map_or(path, |(p, _)| p);
    let mut fallback = None;
    let mut segments: Vec<String> = without_ext
        .split('/')
        .map(|s| {
            let s = slug(s);
            if FILE_NAMES.contains(&s.as_str()) {
                fallback = Some(Fallback::FileName);
                s.replace('.', "-")
            } else {
                s
            }
        })
        .collect();
    if let Some(last) = segments.last()
        && (last == "index" || last == "readme")
        && segments.len() > 1
    {
        segments.pop();
    }
    segments.retain(|s| !s.is_empty());
    if segments.is_empty() {
        segments.push("untitled".into());
    }
    let first = segments[0].as_str();
    if RESERVED.contains(&first) || first == "index" {
        segments.insert(0, "pages".into());
    }
    (format!("{}/", segments.join("/")), fallback)
}

/// Symbols that name something when they follow a letter or digit (`C++`, `C#`, `F#`),
/// written as words so that `C++`, `C#` and `C` get three pages.
const SYMBOL_WORDS: &[(char, &str)] = &[('+', "plus"), ('#', "sharp")];

/// `raw` with each symbol of [`SYMBOL_WORDS`] that follows a letter, a digit or another
/// such symbol written as its word.
fn symbol_words(raw: &str) -> Cow<'_, str> {
    if !raw.contains(['+', '#']) {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len() + 16);
    let mut after_word = false;
    for c in raw.chars() {
        match SYMBOL_WORDS.iter().find(|(s, _)| *s == c) {
            Some((_, word)) if after_word => {
                out.push(' ');
                out.push_str(word);
                out.push(' ');
            }
            _ => {
                out.push(c);
                after_word = c.is_alphanumeric();
            }
        }
    }
    Cow::Owned(out)
}

/// A slug made of a text's code points (`🚧` → `u1f6a7`, `!!` → `u21-u21`), for keys
/// with nothing else to make a URL of. Distinct texts give distinct slugs up to
/// [`MAX_SLUG_BYTES`]; beyond that, [`decide`] keeps them apart.
fn code_points(raw: &str) -> String {
    let mut out = String::new();
    for c in raw.trim().chars() {
        let part = format!("u{:x}", u32::from(c));
        if out.len() + part.len() + 1 > MAX_SLUG_BYTES {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&part);
    }
    if out.is_empty() {
        "unknown".into()
    } else {
        out
    }
}

/// The slug a key wants before collisions, and whether it needed a fallback.
pub fn key_slug(raw: &str) -> (String, Option<Fallback>) {
    let s = slug(&symbol_words(raw));
    if s.is_empty() {
        (code_points(raw), Some(Fallback::NoLetters))
    } else if FILE_NAMES.contains(&s.as_str()) {
        (s.replace('.', "-"), Some(Fallback::FileName))
    } else {
        (s, None)
    }
}

/// Which keys of a list are one key written differently, and so share one page: the
/// same letters ignoring case, with spaces and `-` alike (`Data Eng`, `data-eng`).
pub fn key_identity(raw: &str) -> String {
    raw.to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// The slug decided for one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    pub slug: String,
    /// Set when the key's text could not be used as it is.
    pub fallback: Option<Fallback>,
    /// The earlier key that has the slug this one wanted, and the slug it wanted.
    pub collided: Option<(usize, String)>,
}

/// Decides the slugs of different keys (`keys`, in priority order): each wants
/// [`key_slug`]; the first key that wants a slug gets it, and every other key that wants
/// it gets the slug with the first free `-2`, `-3`… added. Keys that get the slug they
/// want are served first, so a suffixed slug never takes the one another key wants.
/// No two keys get one slug, and no slug is empty or names a file the site writes.
pub fn decide<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<Decided> {
    let wanted: Vec<(String, Option<Fallback>)> = keys.into_iter().map(key_slug).collect();
    let mut taken: FxHashMap<String, usize> = FxHashMap::default();
    let mut out: Vec<Decided> = Vec::with_capacity(wanted.len());
    for (i, (slug, fallback)) in wanted.iter().enumerate() {
        let first = *taken.entry(slug.clone()).or_insert(i);
        out.push(Decided {
            slug: slug.clone(),
            fallback: *fallback,
            collided: (first != i).then(|| (first, slug.clone())),
        });
    }
    // Per wanted slug, the next suffix to try, so many keys wanting one slug stay linear.
    let mut next: FxHashMap<String, usize> = FxHashMap::default();
    for (i, d) in out.iter_mut().enumerate() {
        if d.collided.is_none() {
            continue;
        }
        let n = next.entry(d.slug.clone()).or_insert(2);
        let free = loop {
            let candidate = suffixed(&d.slug, *n);
            *n += 1;
            if !taken.contains_key(&candidate) {
                break candidate;
            }
        };
        taken.insert(free.clone(), i);
        d.slug = free;
    }
    out
}

/// `base-n`, with `base` cut so the whole stays within [`MAX_SLUG_BYTES`].
fn suffixed(base: &str, n: usize) -> String {
    let suffix = format!("-{n}");
    let mut cut = MAX_SLUG_BYTES.saturating_sub(suffix.len()).min(base.len());
    while !base.is_char_boundary(cut) {
        cut -= 1;
    }
    let base = base[..cut].trim_end_matches(['-', '.']);
    let base = if base.is_empty() { "u" } else { base };
    format!("{base}{suffix}")
}

/// The site path a linked file is copied to.
pub fn asset_url(source_path: &str) -> String {
    format!("files/{source_path}")
}

/// The path of `to` relative to the folder of `from` (both SOURCE-relative), as a
/// markdown link in `from` would write it.
pub fn relative_path(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts[..to_parts.len() - 1])
        .take_while(|(a, b)| a == b)
        .count();
    let mut out: Vec<&str> = vec![".."; from_dirs.len() - common];
    out.extend(&to_parts[common..]);
    out.join("/")
}

/// Joins a relative link to the folder of the document it is in. `None` when the path
/// climbs out of SOURCE.
pub fn join_path(doc_path: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = if link.starts_with('/') {
        Vec::new()
    } else {
        let mut p: Vec<&str> = doc_path.split('/').collect();
        p.pop();
        p
    };
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_become_words_after_a_word() {
        assert_eq!(key_slug("C++").0, "c-plus-plus");
        assert_eq!(key_slug("C#").0, "c-sharp");
        assert_eq!(key_slug("C").0, "c");
        assert_eq!(key_slug("#frontend").0, "frontend");
        assert_eq!(key_slug("Payments Core").0, "payments-core");
    }

    #[test]
    fn keys_without_letters_get_their_code_points() {
        assert_eq!(key_slug("🚧"), ("u1f6a7".into(), Some(Fallback::NoLetters)));
        assert_eq!(key_slug("!!!").0, "u21-u21-u21");
        assert_ne!(key_slug("???").0, key_slug("!!!").0);
        assert_eq!(key_slug("").0, "unknown");
        assert!(key_slug(&"🚧".repeat(100)).0.len() <= MAX_SLUG_BYTES);
    }

    #[test]
    fn slugs_never_name_the_files_the_site_writes() {
        assert_eq!(
            key_slug("index.html"),
            ("index-html".into(), Some(Fallback::FileName))
        );
        assert_eq!(
            doc_url(Kind::Feature, "Index.HTML", "features/x.md").0,
            "features/index-html/"
        );
        assert_eq!(doc_url(Kind::Page, "x", "index.html.md").0, "index-html/");
        assert_eq!(
            doc_url(Kind::Page, "x", "guides/index.html.md").0,
            "guides/index-html/"
        );
        assert_eq!(doc_url(Kind::Page, "x", "guides/index.md").0, "guides/");
    }

    #[test]
    fn the_first_key_keeps_its_slug_and_the_others_get_suffixes() {
        let got = decide(["C", "C!", "c-2", "C?"]);
        let slugs: Vec<&str> = got.iter().map(|d| d.slug.as_str()).collect();
        // `c-2` is wanted by a key of its own, so the suffixes skip it.
        assert_eq!(slugs, ["c", "c-3", "c-2", "c-4"]);
        assert_eq!(got[1].collided, Some((0, "c".into())));
        assert_eq!(got[2].collided, None);
    }

    #[test]
    fn suffixes_stay_within_the_slug_limit() {
        let long = "a".repeat(200);
        let got = decide([long.as_str(), &format!("{long}!")]);
        assert_ne!(got[0].slug, got[1].slug);
        assert!(got.iter().all(|d| d.slug.len() <= MAX_SLUG_BYTES));
    }

    #[test]
    fn identity_ignores_case_and_separators() {
        assert_eq!(key_identity("Data Eng"), key_identity("data-eng"));
        assert_ne!(key_identity("C++"), key_identity("C"));
    }

    #[test]
    fn relative_paths_between_sources() {
        assert_eq!(relative_path("features/a.md", "features/b.md"), "b.md");
        assert_eq!(
            relative_path("features/a.md", "decisions/x.md"),
            "../decisions/x.md"
        );
        assert_eq!(relative_path("a.md", "docs/adr/x.md"), "docs/adr/x.md");
        assert_eq!(relative_path("docs/adr/x.md", "b.md"), "../../b.md");
        for (from, to) in [("features/a.md", "decisions/x.md"), ("a/b/c.md", "a/d.md")] {
            assert_eq!(
                join_path(from, &relative_path(from, to)).as_deref(),
                Some(to)
            );
        }
    }

    #[test]
    fn joining_paths() {
        assert_eq!(
            join_path("features/a.md", "b.md").as_deref(),
            Some("features/b.md")
        );
        assert_eq!(
            join_path("features/a.md", "../adr/1.md").as_deref(),
            Some("adr/1.md")
        );
        assert_eq!(
            join_path("features/a.md", "./x/./y.png").as_deref(),
            Some("features/x/y.png")
        );
        assert_eq!(join_path("features/a.md", "../../etc/passwd"), None);
        assert_eq!(join_path("a/b.md", "/c.md").as_deref(), Some("c.md"));
    }
}
