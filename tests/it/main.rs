//! The workspace's one integration-test binary: each module is a feature, tested from outside.

// The `cargo test` entry point for teams (`firedrill::drills`), on scratch folders.
mod drills_library;
