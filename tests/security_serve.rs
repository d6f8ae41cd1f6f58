//! `specsite serve` against hostile requests and awkward files, over real HTTP on
//! 127.0.0.1 with the real binary: Host and Origin checks (DNS rebinding), slow
//! clients, and errors that must clear once fixed.

mod common;
use common::server::*;

use std::path::PathBuf;

const ALPHA: &str = "---\nid: A-1\ntitle: Alpha feature\n---\nSee [the notes](notes.txt).\n";

/// A site with one feature linking a text file.
fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("specs");
    std::fs::create_dir_all(root.join("features")).unwrap();
    std::fs::write(root.join("features/a.md"), ALPHA).unwrap();
    std::fs::write(root.join("features/notes.txt"), "notes\n").unwrap();
    (dir, root)
}

#[cfg(unix)]
#[test]
fn a_link_out_of_source_replaced_by_a_file_clears_its_error() {
    let (dir, root) = site();
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("notes.txt"), "secret\n").unwrap();
    std::fs::write(
        outside.join("b.md"),
        "---\nid: B-1\ntitle: Outside\n---\nSecret.\n",
    )
    .unwrap();
    // Both a linked asset and a markdown file point out of SOURCE.
    let notes = root.join("features/notes.txt");
    std::fs::remove_file(&notes).unwrap();
    std::os::unix::fs::symlink(outside.join("notes.txt"), &notes).unwrap();
    let b = root.join("features/b.md");
    std::os::unix::fs::symlink(outside.join("b.md"), &b).unwrap();

    let server = Server::start(&root);
    let page = server.get("/features/a-1/");
    assert!(
        page.body.contains("specsite-overlay"),
        "the links are reported"
    );
    assert!(page.body.contains("points outside SOURCE"));
    assert_eq!(server.get("/features/b-1/").status, 404);

    std::fs::remove_file(&notes).unwrap();
    std::fs::write(&notes, "fixed notes\n").unwrap();
    std::fs::remove_file(&b).unwrap();
    std::fs::write(&b, "---\nid: B-1\ntitle: Beta inside\n---\nFixed.\n").unwrap();
    eventually("the fixed files are served and the overlay is gone", || {
        let a = server.get("/features/a-1/");
        let b = server.get("/features/b-1/");
        !a.body.contains("specsite-overlay")
            && b.status == 200
            && b.body.contains("<h1>Beta inside</h1>")
            && !b.body.contains("specsite-overlay")
    });
    assert_eq!(
        server.get("/files/features/notes.txt").body,
        "fixed notes\n"
    );
}
