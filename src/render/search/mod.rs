//! Render stage, search index: turns the linked site into the sharded full-text index
//! that `assets/search.js` queries in the browser, with no server.
//!
//! The index lives under `search/` and is split so a query downloads only what it
//! needs (the design of Pagefind's index, built from our own model):
//!
//! - `search/meta.js` — the manifest: the number of documents, the first and last word
//!   of every word chunk, and the values of each filter facet;
//! - `search/w/<n>.js` — word chunks: words sorted, packed into chunks of about
//!   [`CHUNK_BYTES`]; each word maps to its documents and weights;
//! - `search/d/<n>.js` — fragments, [`FRAGMENTS_PER_FILE`] documents to a file: what a
//!   result shows (title, id, kind, status, owners, team, URL) and the plain text its
//!   excerpt is cut from. One file per document would double the files of a site, and
//!   creating files is most of what writing a site costs;
//! - `search/f/<facet>/<n>.js` — the documents of one filter value.
//!
//! Every file is a script calling `specsiteSearchData(name, data)`, so the browser can
//! load it with a `<script>` tag: that works from static hosting and from `file://`,
//! where `fetch` is refused.
//!
//! The index is built at most once per [`Site`] ([`index`] keeps it in
//! `Site::search`), and only when it is needed: `build` builds it while pages render
//! and writes each fragment file as it is made ([`index_emitting`]), `serve` builds it
//! when a browser first loads one of its files.

use crate::link::Site;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use text::{for_each_word, html_text_upto};

mod text;
pub use text::html_text;

/// Target size of a word chunk. Smaller chunks mean less to download per term and a
/// larger manifest; at 10,000 documents 32 KB keeps the manifest near 20 KB.
pub const CHUNK_BYTES: usize = 32 * 1024;

/// Longest fragment text kept per document, in bytes (cut at a character boundary);
/// excerpts come from it.
pub const FRAGMENT_TEXT_BYTES: usize = 4 * 1024;

/// Fragments per file `d/<n>.js`: document `i`'s fragment is entry `i % 4` of file
/// `d/<i / 4>`. A trade: a site has a quarter as many fragment files to write and
/// deploy, and a page of ten results loads up to ten files of about 15 KB (measured at
/// 10,000 documents: ~240 KB for a two-word query; 400 KB with eight to a file, 150 KB
/// with one).
pub const FRAGMENTS_PER_FILE: usize = 4;

/// How much of one document's body HTML is indexed, in bytes (cut at a character
/// boundary): word lookups, sorting and the index's size grow with the text, and past a
/// few hundred pages of text more words add little, so one huge spec costs a bounded
/// part of a second and the index stays small.
pub const MAX_INDEXED_HTML_BYTES: usize = 1024 * 1024;

/// How much a word counts by where it appears.
const WEIGHT_TITLE: u32 = 8;
const WEIGHT_FIELD: u32 = 4;
const WEIGHT_HEADING: u32 = 3;
const WEIGHT_BODY: u32 = 1;
/// Caps a word's weight in one document, so one long page cannot drown the rest.
const MAX_WEIGHT: u32 = 99;

/// The filter facets, in the order the search panel shows them.
pub const FACETS: [&str; 4] = ["kind", "status", "owner", "team"];

/// A built index: the word chunks, filters and manifest as bytes, and which document
/// each fragment shows. Fragment files are not kept: they hold most of the index's
/// bytes, and each depends on a few documents only, so they are handed on while the
/// index is built and made again when asked for ([`SearchIndex::file`]).
#[derive(Debug, Default, Clone)]
pub struct SearchIndex {
    /// Path under `search/` → bytes, for every file but the fragments.
    files: BTreeMap<String, Vec<u8>>,
    /// Fragment `n` (entry `n % FRAGMENTS_PER_FILE` of a file `d/<…>.js`) shows
    /// document `fragments[n]`.
    fragments: Vec<usize>,
}

impl SearchIndex {
    /// The bytes of `search/<name>`, if the index has such a file.
    pub fn file<'a>(&'a self, site: &Site, name: &str) -> Option<Cow<'a, [u8]>> {
        if let Some(bytes) = self.files.get(name) {
            return Some(Cow::Borrowed(bytes));
        }
        let file = self.fragment_file(name)?;
        let first = file * FRAGMENTS_PER_FILE;
        let docs = self.fragments.get(first..)?.iter().take(FRAGMENTS_PER_FILE);
        let json: Vec<String> = docs
            .map(|&d| fragment(site, d, &body_text(&site.docs[d], FRAGMENT_TEXT_BYTES)))
            .collect();
        Some(Cow::Owned(fragment_file(file, &json)))
    }

    /// Every file name but the fragments' (relative to `search/`), in order.
    pub fn names_but_fragments(&self) -> impl Iterator<Item = String> + '_ {
        self.files.keys().cloned()
    }

    /// The number of the fragment file `name` (`d/<n>.js`), if the index has it.
    fn fragment_file(&self, name: &str) -> Option<usize> {
        let n: usize = name.strip_prefix("d/")?.strip_suffix(".js")?.parse().ok()?;
        (n < self.fragment_files() && name == format!("d/{n}.js")).then_some(n)
    }

    fn fragment_files(&self) -> usize {
        self.fragments.len().div_ceil(FRAGMENTS_PER_FILE)
    }

    /// Whether the index has a file `search/<name>`, without making it.
    pub fn has(&self, name: &str) -> bool {
        self.files.contains_key(name) || self.fragment_file(name).is_some()
    }

    /// Every file name (relative to `search/`): the fragments, then the rest in order.
    pub fn names(&self) -> impl Iterator<Item = String> + '_ {
        (0..self.fragment_files())
            .map(|n| format!("d/{n}.js"))
            .chain(self.files.keys().cloned())
    }

    /// Total size of the index in bytes (makes every fragment).
    pub fn total_bytes(&self, site: &Site) -> usize {
        self.names()
            .filter_map(|n| self.file(site, &n).map(|b| b.len()))
            .sum()
    }
}

/// Where the fragment files go as the index is built: their name (under `search/`)
/// and bytes.
pub type FragmentFiles<'a> = &'a (dyn Fn(String, Vec<u8>) + Sync);

/// Splits text into index words (see [`text::for_each_word`]).
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    let mut all = Vec::new();
    for_each_word(text, &mut String::new(), |w| all.push(w.to_string()));
    all.into_iter()
}

/// What one document contributes: its words with weights, its fragment (handed on
/// with its batch and then dropped, so the index never holds every document's text)
/// and the fragment's hash, and its facet values.
struct Indexed {
    words: Vec<(Box<str>, u32)>,
    fragment: String,
    fragment_hash: u64,
    facets: [Vec<String>; 4],
}

/// What a search result shows. Short keys: 10,000 of these are downloaded one by one.
#[derive(Debug, Serialize)]
struct Fragment<'a> {
    /// URL relative to the site root.
    u: &'a str,
    /// Title.
    t: &'a str,
    /// Id.
    i: &'a str,
    /// Kind.
    k: &'static str,
    /// Status name and colour.
    #[serde(skip_serializing_if = "Option::is_none")]
    s: Option<(&'a str, &'a str)>,
    /// Owner names.
    o: Vec<&'a str>,
    /// Team.
    #[serde(skip_serializing_if = "Option::is_none")]
    m: Option<&'a str>,
    /// Plain text, for the excerpt.
    x: &'a str,
}

fn owner_names(site: &Site, d: usize) -> Vec<&str> {
    site.graph.owners[d]
        .iter()
        .map(|&p| site.people.list[p].name.as_str())
        .collect()
}

/// The indexed text of a document's body: the first [`MAX_INDEXED_HTML_BYTES`] of its
/// HTML, without tags; at least its first `limit` bytes when it is longer.
fn body_text(doc: &crate::model::Document, limit: usize) -> String {
    html_text_upto(cut(&doc.body.html.unpack(), MAX_INDEXED_HTML_BYTES), limit)
}

/// The fragment of document `d` (JSON), made from the body's text.
fn fragment(site: &Site, d: usize, text: &str) -> String {
    let doc = &site.docs[d];
    let status = super::view::status_view(site, doc);
    let fragment = Fragment {
        u: &doc.url,
        t: &doc.title,
        i: &doc.id,
        k: doc.kind.as_str(),
        s: status.map(|s| (s.name, s.colour)),
        o: owner_names(site, d),
        m: doc.team.as_deref(),
        x: cut(text, FRAGMENT_TEXT_BYTES),
    };
    serde_json::to_string(&fragment).unwrap_or_default()
}

fn index_document(site: &Site, d: usize) -> Indexed {
    let doc = &site.docs[d];
    let owners = owner_names(site, d);
    let mut weights: FxHashMap<Box<str>, u32> = FxHashMap::default();
    let mut buf = String::new();
    let mut add = |text: &str, weight: u32| {
        for_each_word(text, &mut buf, |w| match weights.get_mut(w) {
            Some(e) => *e = (*e + weight).min(MAX_WEIGHT),
            None => {
                weights.insert(w.into(), weight.min(MAX_WEIGHT));
            }
        });
    };
    add(&doc.title, WEIGHT_TITLE);
    add(&doc.id, WEIGHT_TITLE);
    for field in owners
        .iter()
        .copied()
        .chain(doc.tags.iter().map(String::as_str))
        .chain(doc.team.as_deref())
        .chain(doc.status.as_ref().map(|s| s.name.as_str()))
    {
        add(field, WEIGHT_FIELD);
    }
    for h in &doc.body.headings {
        add(&h.text, WEIGHT_HEADING);
    }
    let text = body_text(doc, usize::MAX);
    add(&text, WEIGHT_BODY);
    // In no particular order: postings are ordered by document, and words sorted once
    // for the whole index.
    let words: Vec<(Box<str>, u32)> = weights.into_iter().collect();
    let fragment = fragment(site, d, &text);
    let mut hash = Fnv::default();
    hash.write(fragment.as_bytes());
    let facets = [
        vec![doc.kind.as_str().to_string()],
        doc.status.iter().map(|s| s.name.clone()).collect(),
        owners.into_iter().map(str::to_string).collect(),
        doc.team.iter().cloned().collect(),
    ];
    Indexed {
        words,
        fragment,
        fragment_hash: hash.0,
        facets,
    }
}

/// `text` cut to at most `max` bytes at a character boundary.
fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Orders words as JavaScript compares strings (by UTF-16 code units), so the chunk
/// ranges in the manifest mean the same thing in the browser.
fn js_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Fragment file `d/<n>.js`: the fragments (JSON) of its documents.
fn fragment_file(n: usize, fragments: &[String]) -> Vec<u8> {
    script(&format!("d/{n}"), &format!("[{}]", fragments.join(",")))
}

/// One file of the index, as a script.
fn script(name: &str, json: &str) -> Vec<u8> {
    format!("specsiteSearchData({},{json});\n", quote(name)).into_bytes()
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// Appends a number in decimal. (The index writes millions of them; `write!` goes
/// through the formatting machinery for each.)
fn push_number(out: &mut String, n: u32) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// Doc numbers as deltas from the previous one: smaller numbers, smaller files.
fn push_deltas(out: &mut String, docs: impl Iterator<Item = u32>) {
    let mut prev = 0;
    for (i, d) in docs.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_number(out, d - prev);
        prev = d;
    }
}

#[derive(Serialize)]
struct Meta<'a> {
    /// Format version of the index files.
    format: u32,
    /// Changes when any file changes; `search.js` appends it to file URLs so browsers
    /// never mix chunks of two builds.
    version: String,
    docs: usize,
    /// Fragments per file `d/<n>.js`.
    fragments_per_file: usize,
    /// First and last word of each chunk `w/<n>.js`.
    chunks: Vec<(&'a str, &'a str)>,
    /// Facet → its values; filter file `f/<facet>/<n>.js` holds the documents of value `n`.
    filters: BTreeMap<&'static str, Vec<&'a str>>,
}

/// Documents indexed at a time: their word lists are folded into the postings before
/// the next batch is made, so memory holds one batch of word lists, not the site's.
/// A multiple of [`FRAGMENTS_PER_FILE`], so a batch makes whole fragment files.
const BATCH: usize = 1024;
const _: () = assert!(BATCH.is_multiple_of(FRAGMENTS_PER_FILE));

/// A posting packed in one number: the document's number above [`WEIGHT_BITS`], its
/// weight (at most [`MAX_WEIGHT`]) below.
const WEIGHT_BITS: u32 = 7;

/// Builds the whole index, giving `emit` each fragment file as its batch is indexed.
pub fn build(site: &Site, emit: FragmentFiles<'_>) -> SearchIndex {
    let published: Vec<usize> = site.graph.published_ids().collect();

    // Postings: word → packed (doc number, weight), doc numbers ascending.
    let mut postings: FxHashMap<Box<str>, Vec<u32>> = FxHashMap::default();
    let mut facet_values: [BTreeMap<String, Vec<u32>>; 4] = Default::default();
    let mut version = Fnv::default();
    for (b, batch) in published.chunks(BATCH).enumerate() {
        let mut indexed: Vec<Indexed> =
            batch.par_iter().map(|&d| index_document(site, d)).collect();
        // A batch holds whole fragment files (BATCH is a multiple of their size); they
        // are made and handed on while the batch's words are merged.
        let fragments: Vec<String> = indexed
            .iter_mut()
            .map(|ix| std::mem::take(&mut ix.fragment))
            .collect();
        let first_file = b * BATCH / FRAGMENTS_PER_FILE;
        let emit_files = || {
            fragments
                .par_chunks(FRAGMENTS_PER_FILE)
                .enumerate()
                .for_each(|(i, chunk)| {
                    let n = first_file + i;
                    emit(format!("d/{n}.js"), fragment_file(n, chunk));
                });
        };
        let merge = || {
            for (i, ix) in indexed.into_iter().enumerate() {
                let n = u32::try_from(b * BATCH + i).unwrap_or(u32::MAX >> WEIGHT_BITS);
                version.write(&ix.fragment_hash.to_le_bytes());
                for (w, weight) in ix.words {
                    postings
                        .entry(w)
                        .or_default()
                        .push(n << WEIGHT_BITS | weight);
                }
                for (values, facet) in facet_values.iter_mut().zip(ix.facets) {
                    for v in facet {
                        let docs = values.entry(v).or_default();
                        if docs.last() != Some(&n) {
                            docs.push(n);
                        }
                    }
                }
            }
        };
        rayon::join(emit_files, merge);
    }
    let mut sorted: Vec<(Box<str>, Vec<u32>)> = postings.into_iter().collect();
    sorted.par_sort_unstable_by(|a, b| js_order(&a.0, &b.0));

    let mut files = BTreeMap::new();
    let chunks = write_word_chunks(sorted, &mut files);
    let chunks: Vec<(&str, &str)> = chunks.iter().map(|(a, b)| (&**a, &**b)).collect();

    // Filters: facet → value → documents.
    let mut filters: BTreeMap<&'static str, Vec<&str>> = BTreeMap::new();
    for (facet, values) in FACETS.iter().zip(&facet_values) {
        for (i, docs) in values.values().enumerate() {
            let mut json = String::from("[");
            push_deltas(&mut json, docs.iter().copied());
            json.push(']');
            let name = format!("f/{facet}/{i}");
            files.insert(format!("{name}.js"), script(&name, &json));
        }
        filters.insert(facet, values.keys().map(String::as_str).collect());
    }

    for (name, bytes) in &files {
        version.write(name.as_bytes());
        version.write(bytes);
    }
    let meta = Meta {
        format: 2,
        version: format!("{:016x}", version.0),
        docs: published.len(),
        fragments_per_file: FRAGMENTS_PER_FILE,
        chunks,
        filters,
    };
    let json = serde_json::to_string(&meta).unwrap_or_default();
    let meta_bytes = script("meta", &json);
    files.insert("meta.js".into(), meta_bytes);
    SearchIndex {
        files,
        fragments: published,
    }
}

/// Packs the sorted postings into word-chunk files (`w/N.js`), consecutive words until
/// a chunk reaches [`CHUNK_BYTES`]; returns each chunk's first and last word. Each
/// word's postings are freed once written, so the chunks' text and the postings are
/// not both held whole.
fn write_word_chunks(
    sorted: Vec<(Box<str>, Vec<u32>)>,
    files: &mut BTreeMap<String, Vec<u8>>,
) -> Vec<(Box<str>, Box<str>)> {
    let mut chunks: Vec<(Box<str>, Box<str>)> = Vec::new();
    let mut body = String::new();
    let mut first: Option<Box<str>> = None;
    let words = sorted.len();
    for (i, (word, list)) in sorted.into_iter().enumerate() {
        match first {
            Some(_) => body.push(','),
            None => first = Some(word.clone()),
        }
        body.push_str(&quote(&word));
        body.push_str(":[");
        let mut prev = 0;
        for (j, packed) in list.into_iter().enumerate() {
            let (d, weight) = (packed >> WEIGHT_BITS, packed & ((1 << WEIGHT_BITS) - 1));
            if j > 0 {
                body.push(',');
            }
            push_number(&mut body, d - prev);
            body.push(',');
            push_number(&mut body, weight);
            prev = d;
        }
        body.push(']');
        if body.len() >= CHUNK_BYTES || i + 1 == words {
            let n = chunks.len();
            files.insert(
                format!("w/{n}.js"),
                script(&format!("w/{n}"), &format!("{{{body}}}")),
            );
            chunks.push((first.take().unwrap_or_default(), word));
            body.clear();
        }
    }
    chunks
}

/// FNV-1a, 64 bits: a stable content hash for the index version (std's hasher is not
/// guaranteed stable across Rust releases).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_keeps_character_boundaries() {
        assert_eq!(cut("héllo", 2), "h");
        assert_eq!(cut("héllo", 3), "hé");
        assert_eq!(cut("abc", 10), "abc");
    }

    /// The JSON inside an index script.
    fn data(site: &Site, ix: &SearchIndex, name: &str) -> serde_json::Value {
        let bytes = ix.file(site, &format!("{name}.js")).expect(name);
        let text = std::str::from_utf8(&bytes).unwrap();
        let prefix = format!("specsiteSearchData({},", quote(name));
        let json = text
            .strip_prefix(&prefix)
            .and_then(|t| t.strip_suffix(");\n"))
            .expect("script wrapper");
        serde_json::from_str(json).expect("valid JSON")
    }

    #[test]
    fn index_finds_words_through_the_manifest_and_is_built_lazily() {
        let (_dir, site) = crate::render::test_site(&[
            (
                "features/pay.md",
                "---\nid: PAY-1\ntitle: Instant payouts\nstatus: shipped\nowner: Maya Chen\nteam: Payments\n---\nPayouts use idempotency keys.\n",
            ),
            (
                "decisions/0001-keys.md",
                "---\nid: ADR-0001\ntitle: Idempotency keys\nstatus: accepted\ndate: 2026-02-01\n---\nRetries carry a key.\n",
            ),
        ]);
        let session = crate::render::test_session(site);
        assert!(
            session.search.get().is_none(),
            "not built before it is asked for"
        );
        assert!(
            !session
                .routes()
                .iter()
                .any(|r| matches!(r, crate::render::Route::SearchFile(_))),
            "page routes do not build the index"
        );
        let ix = session.search_index();
        assert!(session.search.get().is_some());
        let site = session.site().clone();
        let meta = data(&site, ix, "meta");
        assert_eq!(meta["docs"], 2);
        // Docs are numbered in path order: decisions/… is 0, features/… is 1.
        let fragments = data(&site, ix, "d/0");
        assert_eq!(meta["fragments_per_file"], FRAGMENTS_PER_FILE);
        let fragment = &fragments[0];
        assert_eq!(fragment["t"], "Idempotency keys");
        assert_eq!(fragment["u"], "decisions/adr-0001/");
        assert_eq!(fragment["x"], "Retries carry a key.");
        assert_eq!(fragments[1]["o"][0], "Maya Chen");
        assert_eq!(fragments.as_array().unwrap().len(), 2);
        // Find "idempotency" the way search.js does: the chunk whose range holds it.
        let chunks = meta["chunks"].as_array().unwrap();
        let n = chunks
            .iter()
            .position(|c| {
                c[0].as_str().unwrap() <= "idempotency" && c[1].as_str().unwrap() >= "idempotency"
            })
            .expect("a chunk holds the word");
        let postings = data(&site, ix, &format!("w/{n}"))["idempotency"].clone();
        // [doc delta, weight, …]: the decision by title, the feature by body.
        assert_eq!(
            postings,
            serde_json::json!([0, WEIGHT_TITLE, 1, WEIGHT_BODY])
        );
        let kinds = meta["filters"]["kind"].as_array().unwrap();
        let decision = kinds.iter().position(|k| k == "decision").unwrap();
        assert_eq!(
            data(&site, ix, &format!("f/kind/{decision}")),
            serde_json::json!([0])
        );
        assert_eq!(meta["filters"]["team"], serde_json::json!(["Payments"]));
        // The fragment files given out while building are the ones made on demand.
        let emitted = std::sync::Mutex::new(BTreeMap::new());
        let again = build(&site, &|name, bytes| {
            emitted.lock().unwrap().insert(name, bytes);
        });
        let emitted = emitted.into_inner().unwrap();
        let fragment_names: Vec<String> = ix.names().filter(|n| n.starts_with("d/")).collect();
        assert_eq!(emitted.keys().cloned().collect::<Vec<_>>(), fragment_names);
        for (name, bytes) in &emitted {
            assert_eq!(ix.file(&site, name).as_deref(), Some(&bytes[..]), "{name}");
        }
        assert_eq!(ix.files, again.files, "deterministic");
        assert_eq!(ix.fragments, again.fragments, "deterministic");
        assert!(ix.has("d/0.js") && !ix.has("d/1.js") && !ix.has("d/00.js"));
    }

    #[test]
    fn only_the_first_megabyte_of_a_body_is_indexed() {
        let filler = "lorem ".repeat(MAX_INDEXED_HTML_BYTES / 6 + 1);
        let (_dir, site) = crate::render::test_site(&[(
            "features/big.md",
            &format!("---\nid: BIG-1\ntitle: Big\n---\nEarlyword.\n\n{filler}\n\nLateword.\n"),
        )]);
        let ix = &build(&site, &|_, _| {});
        let meta = data(&site, ix, "meta");
        let indexed = |word: &str| {
            meta["chunks"]
                .as_array()
                .unwrap()
                .iter()
                .enumerate()
                .any(|(n, c)| {
                    c[0].as_str().unwrap() <= word
                        && c[1].as_str().unwrap() >= word
                        && data(&site, ix, &format!("w/{n}")).get(word).is_some()
                })
        };
        assert!(indexed("earlyword") && indexed("lorem"));
        assert!(!indexed("lateword"));
    }

    #[test]
    fn js_order_sorts_by_utf16_units() {
        // In UTF-8 U+1F600 sorts after U+FF5E; in UTF-16 its lead surrogate (0xD83D)
        // sorts before 0xFF5E, and JavaScript compares UTF-16.
        assert_eq!(js_order("\u{1F600}", "\u{FF5E}"), std::cmp::Ordering::Less);
        assert_eq!("\u{1F600}".cmp("\u{FF5E}"), std::cmp::Ordering::Greater);
    }
}
