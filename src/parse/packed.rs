//! Parse stage, storage: a rendered body kept lz4-compressed from parsing until its page
//! is rendered. Every body is held for the whole build (pages need the link graph, which
//! needs every document first), and HTML with highlighting compresses about fivefold,
//! so at 100,000 documents this is the difference between a few hundred megabytes and
//! a few gigabytes. lz4 unpacks at gigabytes a second: a page pays microseconds.

use std::fmt;

/// HTML text, compressed.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct PackedHtml {
    bytes: Box<[u8]>,
    len: usize,
}

impl PackedHtml {
    pub fn pack(html: &str) -> Self {
        if html.is_empty() {
            return PackedHtml::default();
        }
        PackedHtml {
            bytes: lz4_flex::compress(html.as_bytes()).into_boxed_slice(),
            len: html.len(),
        }
    }

    /// The HTML again.
    pub fn unpack(&self) -> String {
        if self.len == 0 {
            return String::new();
        }
        // Only `pack` makes the bytes, from a `str`: neither step can fail, and a
        // failure would show as an empty body rather than a panic.
        lz4_flex::decompress(&self.bytes, self.len)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default()
    }

    /// Length of the HTML in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes held in memory.
    pub fn packed_len(&self) -> usize {
        self.bytes.len()
    }
}

impl From<&str> for PackedHtml {
    fn from(html: &str) -> Self {
        PackedHtml::pack(html)
    }
}

impl fmt::Debug for PackedHtml {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.unpack())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_compresses_repetitive_html() {
        let html = "<p>Héllo <span class=\"hl-k\">fn</span></p>\n".repeat(200);
        let packed = PackedHtml::pack(&html);
        assert_eq!(packed.unpack(), html);
        assert_eq!(packed.len(), html.len());
        assert!(
            packed.packed_len() * 4 < html.len(),
            "{}",
            packed.packed_len()
        );
        assert!(PackedHtml::pack("").is_empty());
        assert_eq!(PackedHtml::pack("").unpack(), "");
    }
}
