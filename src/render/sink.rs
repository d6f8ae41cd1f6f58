//! Render stage, sink: where rendered files go. The render stage writes each route's
//! bytes into a [`Sink`]; the write stage's staging folder is one, and `check` and tests
//! use the in-memory ones here. The interface belongs to render, its producer, so the
//! write stage depends on render and never the other way round.

use std::collections::BTreeMap;
use std::io;
use std::sync::Mutex;

/// Where rendered files go.
pub trait Sink: Sync {
    /// Stores a file at `path` (relative to the site root, `/`-separated).
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()>;

    /// Stores a file at `path` whose bytes `write` produces, for files too large to
    /// hold in memory whole (the site-wide JSON). By default they are collected first.
    fn put_with(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        self.put(path, &bytes)
    }
}

/// Files kept in memory (`check`, `serve`, tests).
#[derive(Debug, Default)]
pub struct MemorySink {
    pub files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl Sink for MemorySink {
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.files
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(path.to_string(), bytes.to_vec());
        Ok(())
    }
}

/// A sink that discards everything (`check`).
#[derive(Debug, Default)]
pub struct NullSink;

impl Sink for NullSink {
    fn put(&self, _: &str, _: &[u8]) -> io::Result<()> {
        Ok(())
    }
}
