//! specsite turns a repository of product specs (feature PRDs, decision records and
//! roadmaps written in markdown) into a cross-linked static site.
//!
//! The pipeline runs in stages, each in its own module, passing one typed model forward:
//!
//! ```text
//! load ──► parse ──► model ──► link ──► render ──► write
//! (files)  (front    (typed    (graph,  (pages)   (atomic
//!           matter,   Documents) indexes)           output)
//!           markdown)
//! ```
//!
//! [`build`] drives the stages; the `build`, `check` and `serve` commands are different
//! drivers of the same stages. See ARCHITECTURE.md for the map.

pub mod config;
pub mod diagnostic;
pub mod driver;
pub mod escape;
pub mod files;
pub mod history;
pub mod link;
pub mod load;
pub mod model;
pub mod parse;
pub mod paths;
pub mod render;
pub mod text;
pub mod url;
pub mod write;
