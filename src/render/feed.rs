//! Render stage, `/feed.xml`: an Atom feed (RFC 4287) of spec changes — new specs,
//! features shipping, decisions taken and status updates — newest first.
//!
//! A change is what a document's dates say: `created` is a new spec (from front matter
//! or, without it, the commit that added the file), `shipped` a feature shipping, a
//! decision's `date` the decision. Status changes come from the git history when there
//! is one (every status the document took, on the day of its commit); without it,
//! `updated` stands for a change to the current status. An entry's id is the document's
//! absolute URL with the event and its date as the fragment, so it stays the same from
//! build to build.

use crate::config::Kind;
use crate::link::{DocId, Site};
use jiff::civil::Date;
use serde::Serialize;

/// The newest entries kept; older ones drop out of the feed.
pub const MAX_ENTRIES: usize = 100;

/// One change to show.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Event {
    date: Date,
    doc: DocId,
    /// `created`, `shipped`, `decided`, `updated` or `status-<slug>`: the fragment of
    /// the id.
    what: String,
    title: String,
}

/// A date as an RFC 3339 timestamp at midnight UTC.
pub fn rfc3339(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

fn events(site: &Site) -> Vec<Event> {
    let mut out = Vec::new();
    for (d, doc) in site.docs.iter().enumerate() {
        if doc.kind == Kind::Page || !crate::link::is_published(&site.graph, d, doc) {
            continue;
        }
        let label = format!("{} {}", doc.id, doc.title);
        let status = doc.status.as_ref().map_or("", |s| s.raw.as_str());
        let mut push = |date: Option<Date>, what: &str, title: String| {
            if let Some(date) = date {
                out.push(Event {
                    date,
                    doc: d,
                    what: what.to_string(),
                    title,
                });
            }
        };
        let kind = doc.kind.as_str();
        push(doc.dates.created, "created", format!("New {kind}: {label}"));
        let mut taken = vec![doc.dates.created];
        match doc.kind {
            Kind::Feature => {
                push(doc.dates.shipped, "shipped", format!("Shipped: {label}"));
                taken.push(doc.dates.shipped);
            }
            Kind::Decision if doc.dates.date != doc.dates.created => {
                let verb = if status.is_empty() { "taken" } else { status };
                push(
                    doc.dates.date,
                    "decided",
                    format!("Decision {verb}: {label}"),
                );
                taken.push(doc.dates.date);
            }
            _ => {}
        }
        let steps = site.history.docs.get(d).and_then(Option::as_ref);
        if let Some(h) = steps.filter(|h| !h.steps.is_empty()) {
            // The first status is the document's creation; later ones are changes.
            for step in &h.steps[1..] {
                if !taken.contains(&Some(step.date)) {
                    let what = format!("status-{}", crate::text::slug(&step.name));
                    push(Some(step.date), &what, format!("Now {}: {label}", step.raw));
                }
            }
        } else if !taken.contains(&doc.dates.updated) && !status.is_empty() {
            // An update on a day that already has an event adds nothing new.
            push(
                doc.dates.updated,
                "updated",
                format!("Now {status}: {label}"),
            );
        }
    }
    // Newest first; same day by document path, then event, so the order is stable.
    out.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| site.docs[a.doc].source.cmp(&site.docs[b.doc].source))
            .then_with(|| a.what.cmp(&b.what))
    });
    out.truncate(MAX_ENTRIES);
    out
}

/// The feed as data for the `feed.xml` template, which writes it as Atom (a site
/// overrides it with its own `templates/feed.xml`). Text is left raw: the template
/// engine escapes every value for XML (see [`super::theme`]).
#[derive(Debug, Serialize)]
pub struct FeedView<'a> {
    /// The feed's id: the site's base URL.
    pub id: &'a str,
    pub title: &'a str,
    /// The site's description; empty when it has none.
    pub subtitle: &'a str,
    /// The newest entry's date (today without entries), RFC 3339.
    pub updated: String,
    /// The feed's own absolute URL.
    pub self_link: String,
    /// The site's home page.
    pub link: &'a str,
    /// The feed's author, taken by entries without owners, as Atom requires one.
    pub author: &'a str,
    pub generator_version: &'static str,
    /// Newest first, at most [`MAX_ENTRIES`].
    pub entries: Vec<EntryView<'a>>,
}

/// One change in the feed.
#[derive(Debug, Serialize)]
pub struct EntryView<'a> {
    /// The document's absolute URL with the event and its date as the fragment.
    pub id: String,
    pub title: String,
    /// RFC 3339.
    pub updated: String,
    /// The document's absolute URL.
    pub link: String,
    /// The document's owners' names.
    pub authors: Vec<&'a str>,
    /// The document's kind, then its status when it has one.
    pub categories: Vec<&'a str>,
    /// The document's summary; empty when it has none.
    pub summary: &'a str,
}

/// The feed's data.
pub fn view(site: &Site) -> FeedView<'_> {
    let base = site.config.base_url.as_str();
    let events = events(site);
    let updated = events.first().map_or(site.today, |e| e.date);
    let entries = events
        .iter()
        .map(|e| {
            let doc = &site.docs[e.doc];
            let link = format!("{base}{}", doc.url);
            let mut categories = vec![doc.kind.as_str()];
            categories.extend(doc.status.as_ref().map(|s| s.name.as_str()));
            EntryView {
                id: format!("{link}#{}-{}", e.what, e.date),
                title: e.title.clone(),
                updated: rfc3339(e.date),
                link,
                authors: site.graph.owners[e.doc]
                    .iter()
                    .map(|&p| site.people.list[p].name.as_str())
                    .collect(),
                categories,
                summary: &doc.body.summary,
            }
        })
        .collect();
    FeedView {
        id: base,
        title: &site.config.title,
        subtitle: &site.config.description,
        updated: rfc3339(updated),
        self_link: format!("{base}feed.xml"),
        link: base,
        author: &site.config.title,
        generator_version: env!("CARGO_PKG_VERSION"),
        entries,
    }
}

#[cfg(test)]
mod tests {
    use crate::render::{Route, test_session, test_site};
    use quick_xml::events::Event as Xml;
    use std::collections::{BTreeMap, HashSet};

    /// The feed read back with a real XML parser: feed-level elements, and per entry
    /// each child element's text and every `href`.
    #[derive(Debug, Default)]
    struct Parsed {
        feed: BTreeMap<String, String>,
        feed_links: Vec<String>,
        entries: Vec<BTreeMap<String, String>>,
        entry_links: Vec<Vec<String>>,
    }

    fn parse(bytes: &[u8]) -> Parsed {
        let mut reader = quick_xml::Reader::from_reader(bytes);
        let mut p = Parsed::default();
        let mut stack: Vec<String> = Vec::new();
        let mut text = String::new();
        let mut buf = Vec::new();
        loop {
            let event = reader.read_event_into(&mut buf).expect("well-formed XML");
            match event {
                Xml::Start(e) | Xml::Empty(e) if e.name().as_ref() == "link" => {
                    let href = e
                        .attributes()
                        .map(|a| a.expect("attribute"))
                        .find(|a| a.key.as_ref() == "href")
                        .map(|a| {
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .expect("value")
                                .into_owned()
                        })
                        .expect("link has href");
                    if stack.last().map(String::as_str) == Some("entry") {
                        p.entry_links.last_mut().unwrap().push(href);
                    } else {
                        p.feed_links.push(href);
                    }
                }
                Xml::Start(e) => {
                    let name = e.name().as_ref().to_string();
                    if name == "entry" {
                        p.entries.push(BTreeMap::new());
                        p.entry_links.push(Vec::new());
                    }
                    stack.push(name);
                    text.clear();
                }
                Xml::Text(t) => text.push_str(&t.xml10_content()),
                Xml::GeneralRef(r) => {
                    let entity = format!("&{};", &*r);
                    text.push_str(&quick_xml::escape::unescape(&entity).expect("known entity"));
                }
                Xml::End(_) => {
                    let name = stack.pop().unwrap_or_default();
                    if stack.len() == 1 {
                        p.feed.insert(name, std::mem::take(&mut text));
                    } else if stack.len() == 2 && stack[1] == "entry" {
                        p.entries
                            .last_mut()
                            .unwrap()
                            .insert(name, std::mem::take(&mut text));
                    }
                    text.clear();
                }
                Xml::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        p
    }

    /// The feed of the site made of `files`, rendered with its theme.
    fn atom(files: &[(&str, &str)]) -> Vec<u8> {
        let (_dir, site) = test_site(files);
        test_session(site)
            .render(&Route::Feed)
            .expect("feed renders")
    }

    fn is_rfc3339(s: &str) -> bool {
        s.parse::<jiff::Timestamp>().is_ok() && s.ends_with('Z') && s.contains('T')
    }

    const CONFIG: &str = "title = \"ACME specs\"\nbase_url = \"https://specs.example.com/sub/\"\n";

    fn files() -> Vec<(&'static str, &'static str)> {
        vec![
            ("specsite.toml", CONFIG),
            (
                "features/pay.md",
                "---\nid: PAY-1\ntitle: Payouts & <fees>\nstatus: shipped\nowner: Maya\ncreated: 2026-01-05\nshipped: 2026-02-10\n---\nFast payouts.\n",
            ),
            (
                "features/draft.md",
                "---\nid: GRO-2\ntitle: Referrals\nstatus: in-progress\ncreated: 2026-01-20\nupdated: 2026-02-20\n---\nInvite friends.\n",
            ),
            (
                "decisions/0001-keys.md",
                "---\nid: ADR-0001\ntitle: Idempotency keys\nstatus: accepted\ndate: 2026-02-01\n---\nUse keys.\n",
            ),
            (
                "guides/intro.md",
                "# Intro\n\nA plain page is not a change.\n",
            ),
        ]
    }

    #[test]
    fn feed_follows_the_atom_rules_that_matter() {
        let bytes = atom(&files());
        let p = parse(&bytes);
        let base = "https://specs.example.com/sub/";
        assert_eq!(p.feed["id"], base);
        assert_eq!(p.feed["title"], "ACME specs");
        assert!(is_rfc3339(&p.feed["updated"]), "{}", p.feed["updated"]);
        assert!(p.feed_links.contains(&format!("{base}feed.xml")));
        // created, shipped (PAY-1), created, updated (GRO-2), decided (ADR-0001).
        assert_eq!(p.entries.len(), 5, "{p:#?}");
        let ids: HashSet<&str> = p.entries.iter().map(|e| e["id"].as_str()).collect();
        assert_eq!(ids.len(), p.entries.len(), "entry ids are unique");
        let mut previous = String::from("9999");
        for (e, links) in p.entries.iter().zip(&p.entry_links) {
            assert!(e["id"].starts_with(base), "{}", e["id"]);
            assert!(is_rfc3339(&e["updated"]), "{}", e["updated"]);
            assert!(e["updated"] <= previous, "newest first");
            previous = e["updated"].clone();
            assert!(!links.is_empty());
            for l in links {
                assert!(l.starts_with("https://"), "absolute link {l}");
            }
        }
        assert_eq!(p.feed["updated"], p.entries[0]["updated"]);
        let titles: Vec<&str> = p.entries.iter().map(|e| e["title"].as_str()).collect();
        assert_eq!(
            titles,
            [
                "Now in-progress: GRO-2 Referrals",
                "Shipped: PAY-1 Payouts & <fees>",
                "Decision accepted: ADR-0001 Idempotency keys",
                "New feature: GRO-2 Referrals",
                "New feature: PAY-1 Payouts & <fees>",
            ]
        );
        assert_eq!(
            p.entries[1]["id"],
            "https://specs.example.com/sub/features/pay-1/#shipped-2026-02-10"
        );
    }

    #[test]
    fn entry_ids_are_stable_across_builds_and_edits() {
        let first = parse(&atom(&files()));
        let mut changed = files();
        changed[2].1 = "---\nid: GRO-2\ntitle: Referrals, renamed\nstatus: review\ncreated: 2026-01-20\nupdated: 2026-02-25\n---\nInvite friends.\n";
        let second = parse(&atom(&changed));
        let ids =
            |p: &Parsed| -> HashSet<String> { p.entries.iter().map(|e| e["id"].clone()).collect() };
        let (a, b) = (ids(&first), ids(&second));
        // Every event that still happened keeps its id; the new update is a new entry.
        assert_eq!(a.intersection(&b).count(), 4);
        assert!(b.contains("https://specs.example.com/sub/features/gro-2/#updated-2026-02-25"));
        assert_eq!(atom(&files()), atom(&files()), "byte-identical");
    }
}
