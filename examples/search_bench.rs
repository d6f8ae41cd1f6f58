//! Measures the search index on a site: its size, and how long it takes to build
//! against the rest of the build (load → link, and rendering every other route).
//!
//! ```sh
//! cargo run --release --example search_bench -- SOURCE [RUNS]
//! ```
//!
//! Each run times the stages in turn, in alternating order (index first on even runs)
//! so machine noise falls on both sides; the medians are printed. Both run in
//! parallel, as in `build`. What one query
//! downloads is measured in a real browser by `tests/browser/query-bytes.mjs`.

use rayon::prelude::*;
use specsite::driver::build::{self, Options};
use specsite::render::{Renderer, Session, search, theme::Theme};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(source) = args.next() else {
        eprintln!("usage: search_bench SOURCE [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let opts = Options::new(&source);
    let config = Arc::new(build::load_config(&opts).unwrap_or_else(|d| {
        eprintln!("{}", d.message);
        std::process::exit(1)
    }));
    let theme = || Theme::load(opts.source.as_path(), &config).expect("theme");
    let (mut load, mut pages, mut index) = (Vec::new(), Vec::new(), Vec::new());
    let mut summary = None;
    for run in 0..runs {
        let t = Instant::now();
        let (site, _) = build::load_site(&opts, config.clone());
        load.push(t.elapsed());
        let session = Session::new(site, Arc::new(Renderer::new(theme())));
        let site = session.site();
        let time_pages = || {
            let t = Instant::now();
            let routes = session.routes();
            routes.par_iter().for_each(|r| {
                let _ = session.render(r);
            });
            (t.elapsed(), routes.len())
        };
        let time_index = || {
            let t = Instant::now();
            let ix = search::build(site, &|_, _| {});
            (t.elapsed(), ix)
        };
        let ((p, n), (i, ix)) = if run % 2 == 0 {
            let i = time_index();
            (time_pages(), i)
        } else {
            let p = time_pages();
            (p, time_index())
        };
        pages.push(p);
        index.push(i);
        let names: Vec<String> = ix.names().collect();
        let count = |prefix: &str| names.iter().filter(|n| n.starts_with(prefix)).count();
        summary = Some(format!(
            "documents indexed: {}\npages rendered: {n}\nindex: {} files, {} bytes (meta {} bytes, {} word chunks, {} fragments, {} filter files)",
            count("d/"),
            names.len(),
            ix.total_bytes(site),
            ix.file(site, "meta.js").map_or(0, |b| b.len()),
            count("w/"),
            count("d/"),
            count("f/"),
        ));
    }
    let (l, p, i) = (median(load), median(pages), median(index));
    println!("{}", summary.unwrap_or_default());
    println!("runs: {runs} (medians; stage order alternates between runs)");
    println!("load..link: {:.3} s", l.as_secs_f64());
    println!("render pages (no writing): {:.3} s", p.as_secs_f64());
    println!("search index: {:.3} s", i.as_secs_f64());
    println!(
        "index / (load + render): {:.2}",
        i.as_secs_f64() / (l + p).as_secs_f64()
    );
}
