//! The parse-only floor for `scripts/bench.sh`: reads every markdown file of SOURCE and
//! parses it (front matter and comrak, with highlighting), then stops: no model, no
//! links, no pages, nothing written. The gap between this and `specsite build` is the
//! cost of everything after parsing.
//!
//! `cargo run --release --example parse_only -- SOURCE`

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use rayon::prelude::*;
use specsite::config::Config;
use specsite::load;
use specsite::parse::Parser;
use std::path::PathBuf;

fn main() {
    let source = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let config = match Config::load(&source, None) {
        Ok(c) => c,
        Err(d) => {
            eprintln!("{}: {}", d.file, d.message);
            std::process::exit(1);
        }
    };
    let files = load::load(&source, &config, None).files;
    let parser = Parser::new(&config);
    let bytes: usize = files
        .into_par_iter()
        .map(|f| parser.parse(&f).body.html.len())
        .sum();
    println!("parsed {bytes} bytes of HTML");
}
