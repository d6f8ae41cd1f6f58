//! "Did you mean …?": the known name closest to a misspelt one, with the work bounded
//! whatever the input. An edit distance costs the product of the two lengths, and a
//! site's broken links, anchors and owners are each compared with a whole candidate list
//! (every id, every file name, every heading of the target), so unbounded this is
//! quadratic: a file of 20,000 broken anchors, or a 1 MB spec of broken wiki links,
//! would take minutes. Three bounds keep it linear:
//!
//! - a candidate whose length differs from the name's by more than the distance allowed
//!   cannot match, and is skipped before any distance is computed;
//! - names longer than [`MAX_CHARS`] get no suggestion (a typo is not what makes them
//!   unknown);
//! - [`Suggester`] answers each distinct name once per candidate list, and computes at
//!   most [`MAX_PER_FILE`] new answers per file; beyond that, diagnostics go without a
//!   suggestion.

use rustc_hash::FxHashMap;
use std::hash::Hash;

/// Distinct names a file gets suggestions computed for; the rest get none.
pub const MAX_PER_FILE: usize = 50;

/// Names longer than this (in characters) get no suggestion.
pub const MAX_CHARS: usize = 100;

/// How far a candidate of `len` characters may be from the name and still be suggested.
fn allowed_distance(len: usize) -> usize {
    2.max(len / 3)
}

/// The closest candidate to `raw` (case-insensitively) when one is near enough to
/// suggest; the first of equally close ones.
pub fn closest<'a>(raw: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    closest_counted(raw, candidates, &mut 0)
}

/// [`closest`], adding to `distances` the number of edit distances computed.
fn closest_counted<'a>(
    raw: &str,
    candidates: impl Iterator<Item = &'a str>,
    distances: &mut u64,
) -> Option<&'a str> {
    let raw = raw.to_lowercase();
    let raw_len = raw.chars().count();
    if raw_len > MAX_CHARS {
        return None;
    }
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        let allowed = allowed_distance(c.chars().count());
        // The distance is at least the difference in length (of the lowercased texts,
        // which are what is compared).
        let lower_len = c.chars().flat_map(char::to_lowercase).count();
        if raw_len.abs_diff(lower_len) > allowed {
            continue;
        }
        *distances += 1;
        let d = strsim::damerau_levenshtein(&raw, &c.to_lowercase());
        if d <= allowed && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Suggestions for one pass over a site: answers cached per candidate list (`P` names
/// the list) and name, and a budget of new answers per file.
pub struct Suggester<P> {
    cache: FxHashMap<(P, String), Option<String>>,
    left: usize,
    /// Edit distances computed so far, for tests that the work is bounded.
    pub distances: u64,
}

impl<P: Hash + Eq> Default for Suggester<P> {
    fn default() -> Self {
        Suggester {
            cache: FxHashMap::default(),
            left: MAX_PER_FILE,
            distances: 0,
        }
    }
}

impl<P: Hash + Eq> Suggester<P> {
    /// Starts the budget of a new file.
    pub fn next_file(&mut self) {
        self.left = MAX_PER_FILE;
    }

    /// The suggestion for `raw` among the candidates of `pool`, which `candidates`
    /// lists (called only when the answer is not cached and the file's budget allows).
    pub fn suggest<'a, I: Iterator<Item = &'a str>>(
        &mut self,
        pool: P,
        raw: &str,
        candidates: impl FnOnce() -> I,
    ) -> Option<String> {
        let key = (pool, raw.to_lowercase());
        if let Some(found) = self.cache.get(&key) {
            return found.clone();
        }
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let found = closest_counted(raw, candidates(), &mut self.distances).map(str::to_string);
        self.cache.insert(key, found.clone());
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_and_only_near_enough() {
        let ids = ["PAY-101", "PAY-102", "checkout-redesign"];
        assert_eq!(closest("pay-10l", ids.iter().copied()), Some("PAY-101"));
        assert_eq!(
            closest("chekout-redesing", ids.iter().copied()),
            Some("checkout-redesign")
        );
        assert_eq!(closest("unrelated", ids.iter().copied()), None);
        assert_eq!(closest(&"x".repeat(MAX_CHARS + 1), ["x"].into_iter()), None);
    }

    #[test]
    fn candidates_of_another_length_cost_no_distance() {
        // 1,000 candidates, none within reach by length: no distance is computed.
        let far: Vec<String> = (0..1000).map(|i| format!("{i:0>30}")).collect();
        let mut n = 0;
        assert_eq!(
            closest_counted("abc", far.iter().map(String::as_str), &mut n),
            None
        );
        assert_eq!(n, 0);
        // Within reach by length: each is compared.
        let near: Vec<String> = (0..10).map(|i| format!("ab{i}")).collect();
        let mut n = 0;
        let got = closest_counted("abc", near.iter().map(String::as_str), &mut n);
        assert_eq!(got, Some("ab0"));
        assert_eq!(n, 10);
    }

    #[test]
    fn work_per_file_is_capped_and_repeats_are_cached() {
        let ids: Vec<String> = (0..200).map(|i| format!("doc-{i:03}")).collect();
        let mut s: Suggester<u8> = Suggester::default();
        let mut suggested = 0;
        // 10,000 broken links in one file, 1,000 distinct targets, each one typo away.
        for i in 0..10_000 {
            let target = format!("dok-{:03}", i % 1000);
            let list = || ids.iter().map(String::as_str);
            if s.suggest(0, &target, list).is_some() {
                suggested += 1;
            }
        }
        // Only the first MAX_PER_FILE distinct targets were worked out (and each of
        // them repeats ten times in the file); each cost at most one distance per id.
        assert_eq!(suggested, MAX_PER_FILE * 10);
        assert!(
            s.distances <= (MAX_PER_FILE * ids.len()) as u64,
            "{}",
            s.distances
        );
        // A new file has a new budget, and what was worked out stays known.
        s.next_file();
        let before = s.distances;
        assert_eq!(
            s.suggest(0, "dok-000", || ids.iter().map(String::as_str))
                .as_deref(),
            Some("doc-000")
        );
        assert_eq!(s.distances, before);
        assert!(
            s.suggest(0, "dok-999", || ids.iter().map(String::as_str))
                .is_some()
        );
        assert!(s.distances > before);
    }
}
