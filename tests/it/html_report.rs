//! The HTML incident report as a person sees it: rendered by headless Chromium (Debian's
//! `chromium` package), which must load it from disk with no console message (a blocked load,
//! a script error, a CSP violation would each print one), and whose DOM must hold the picture's
//! elements the report claims. Skipped with a message when Chromium is absent; CI installs it.
//! With `FIREDRILL_WRITE_SCREENSHOT=1` the desktop screenshot is written to
//! `docs/incident-report.png`, the picture in the README.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn chromium() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").into_iter().flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>());
    on_path.flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name))).find(|p| p.is_file())
}

/// Chromium, headless, kept off every network: no background services, every request through
/// a proxy at a closed loopback port.
fn headless(binary: &Path, profile: &Path, args: &[&str], page: &Path) -> Output {
    Command::new(binary)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-extensions",
            "--proxy-server=http://127.0.0.1:9",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap()
}

/// The incident's report as HTML, written by `firedrill run --format html --out`.
fn incident_page(dir: &Path) -> PathBuf {
    let out = Command::new(env!("CARGO_BIN_EXE_firedrill"))
        .args(["run", "scenarios/pocketos-2026-04.toml", "--format", "html", "--out"])
        .arg(dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    dir.join("pocketos-2026-04.html")
}

fn console_lines(o: &Output) -> Vec<String> {
    String::from_utf8_lossy(&o.stderr).lines().filter(|l| l.contains(":CONSOLE")).map(str::to_string).collect()
}

#[test]
fn the_incident_report_opens_from_disk_in_chromium_with_no_console_message_and_its_picture() {
    let Some(binary) = chromium() else {
        eprintln!("skipped: Chromium is not installed (apt-get install chromium)");
        return;
    };
    let scratch = tempfile::tempdir().unwrap();
    let page = incident_page(scratch.path());
    let dom = headless(&binary, &scratch.path().join("profile"), &["--dump-dom"], &page);
    assert!(dom.status.success(), "{}", String::from_utf8_lossy(&dom.stderr));
    assert_eq!(console_lines(&dom), Vec::<String>::new(), "the page loaded without a console message");
    let dom = String::from_utf8_lossy(&dom.stdout);
    for (what, id) in
        [("the destructive call", "destructive-call-1"), ("the recovery point", "recovery-point"), ("the loss window", "loss-window")]
    {
        assert!(dom.contains(&format!("id=\"{id}\"")), "the picture shows {what}");
    }
    assert!(dom.contains("<h2>Destructive attempts</h2>") && dom.contains("<tr id=\"event-1\">"), "the text report's sections follow");

    for (name, size) in [("desktop", "1200,1000"), ("phone", "390,1400")] {
        let shot = scratch.path().join(format!("{name}.png"));
        let o = headless(
            &binary,
            &scratch.path().join("profile"),
            &[&format!("--window-size={size}"), &format!("--screenshot={}", shot.display())],
            &page,
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(console_lines(&o), Vec::<String>::new());
        let png = std::fs::read(&shot).unwrap();
        assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000, "{name}: a screenshot with something on it ({} bytes)", png.len());
        if name == "desktop" && std::env::var_os("FIREDRILL_WRITE_SCREENSHOT").is_some() {
            let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
            std::fs::create_dir_all(&docs).unwrap();
            std::fs::write(docs.join("incident-report.png"), &png).unwrap();
        }
    }
}

#[test]
fn a_page_that_loads_something_is_caught_by_the_console_check() {
    let Some(binary) = chromium() else {
        eprintln!("skipped: Chromium is not installed (apt-get install chromium)");
        return;
    };
    let scratch = tempfile::tempdir().unwrap();
    let page = incident_page(scratch.path());
    // The check must be able to fail: the same page with one remote image in it.
    let text = std::fs::read_to_string(&page).unwrap().replacen("<main>", "<main><img src=\"http://127.0.0.1:9/x.png\" alt=\"\">", 1);
    std::fs::write(&page, text).unwrap();
    let dom = headless(&binary, &scratch.path().join("profile"), &["--dump-dom"], &page);
    assert_eq!(console_lines(&dom).len(), 1, "{}", String::from_utf8_lossy(&dom.stderr));
}
