//! The workspace's one integration-test binary: each module is a feature, tested from outside.

// Helpers shared by the tests fail the test that called them, which is what a panic does here.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers: a panic fails the calling test")]

// The `cargo test` entry point for teams (`firedrill::drills`), on scratch folders.
mod drills_library;
// `serve` over real HTTP on loopback: the endpoint, admin surface, rate limits, concurrent clients.
mod serve;
// Every error answer of `serve` in Railway's envelope, with a code and a trace id.
mod envelope;
// Requests built to crash, hang or exhaust `serve`, sent to a child process: limits and memory.
mod hostile;
// `serve --scenario`: a scenario's world over HTTP and its incident report.
mod serve_scenario;
// The real Railway CLI (when FIREDRILL_RAILWAY_CLI names one) against the served mock.
mod railway_cli;
// The `firedrill` binary: exit codes, diagnostics and formats, as users run it.
mod cli;
// The team's own proxy as the gateway: a real HAProxy started by the run, when installed.
mod gateway_proxy;
// The HTML report in a real browser (headless Chromium), when installed.
mod html_report;
// `firedrill whatif`: which mitigation would have saved us.
mod whatif;
// `firedrill scope`: baselines in CI, bad baseline files, output formats.
mod scope;
// `firedrill explain` and `check` on agent runtime settings files shaped like real teams' files.
mod explain;
// `firedrill fuzz`: generated agents' campaigns, the shrunk file they write, shards, exit codes.
mod fuzz;
