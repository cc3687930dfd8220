//! The `cargo test` runner: every scenario file in a folder (every row of a file's `[[case]]`
//! boundary table, as `<file>@<row>`) becomes a named test with its own insta snapshot of the
//! incident report, plus a `…::is_deterministic` test that runs it twice
//! and compares the reports byte for byte.
//!
//! Two ways in: `Drills::main` from a harness-less test target (one libtest-mimic trial per
//! file, filtered and run in parallel by libtest's own arguments), and `Drills::check` from an
//! ordinary `#[test]` (every file run, every failure reported at once).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub use libtest_mimic::{Arguments, Conclusion};
use libtest_mimic::{Failed, Trial};

use super::file::{Problem, load_rows_as, runtime};
use super::files::{scenario_files, test_name};
use crate::generate::{Campaign, Options, Outcome, Shard, Verdict, cases_from_env, summary};
use crate::guardrails::Guardrail;
use crate::report::{IncidentReport, expected_got};
use crate::run::Run;
use crate::scenario::{Generate, Scenario};

/// Makes the guardrails each drill of a folder runs with (a guardrail is not shared between
/// runs, so each drill gets fresh ones).
pub type GuardrailFactory = dyn Fn() -> Vec<Box<dyn Guardrail>> + Send + Sync;

/// A folder of scenario files, as tests.
#[must_use]
pub struct Drills {
    dir: PathBuf,
    seed: Option<u64>,
    snapshots: Option<PathBuf>,
    filter: Option<String>,
    guardrails: Option<std::sync::Arc<GuardrailFactory>>,
}

/// One scenario file's place in the folder.
#[derive(Clone)]
struct Case {
    file: PathBuf,
    /// The path reports name: relative to the folder's parent (`scenarios/x.toml`), so snapshots
    /// match wherever the repository is checked out.
    shown: PathBuf,
    name: String,
    /// The row of the file's boundary table, if it has one: the test is `<file>@<row>`.
    row: Option<String>,
    snapshots: PathBuf,
}

impl Drills {
    /// Every `*.toml` under `dir` (a relative path means the package root under `cargo test`).
    pub fn new(dir: impl AsRef<Path>) -> Self {
        Drills { dir: absolute(dir.as_ref()), seed: None, snapshots: None, filter: None, guardrails: None }
    }

    /// Runs every scenario with this seed instead of its own.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Keeps snapshots in `dir` instead of `<folder>/snapshots`.
    pub fn snapshots(mut self, dir: impl AsRef<Path>) -> Self {
        self.snapshots = Some(absolute(dir.as_ref()));
        self
    }

    /// Only scenarios whose test name contains `text`.
    pub fn filter(mut self, text: impl Into<String>) -> Self {
        self.filter = Some(text.into());
        self
    }

    /// Runs every drill with the guardrails `make` returns (written in Rust: the team's own proxy
    /// or policy logic), in addition to what the scenario declares.
    pub fn guardrails(mut self, make: impl Fn() -> Vec<Box<dyn Guardrail>> + Send + Sync + 'static) -> Self {
        self.guardrails = Some(std::sync::Arc::new(make));
        self
    }

    fn cases(&self) -> Result<Vec<Case>, String> {
        let files = scenario_files(std::slice::from_ref(&self.dir))?;
        let root = self.dir.parent().map(Path::to_path_buf).unwrap_or_else(|| self.dir.clone());
        let snapshots = self.snapshots.clone().unwrap_or_else(|| self.dir.join("snapshots"));
        let mut cases = Vec::new();
        for file in files {
            let name = test_name(&self.dir, &file);
            let shown = file.strip_prefix(&root).map(Path::to_path_buf).unwrap_or_else(|_| file.clone());
            // A file that does not load is one test, which fails with its problems.
            let rows: Vec<Option<String>> = match load_rows_as(&file, &shown) {
                Ok(rows) => rows.into_iter().map(|r| r.name).collect(),
                Err(_) => vec![None],
            };
            for row in rows {
                let name = row.as_ref().map_or_else(|| name.clone(), |r| format!("{name}@{r}"));
                cases.push(Case { name, shown: shown.clone(), snapshots: snapshots.clone(), file: file.clone(), row });
            }
        }
        Ok(cases.into_iter().filter(|c| self.filter.as_ref().is_none_or(|f| c.name.contains(f.as_str()))).collect())
    }

    /// For a harness-less test target (`harness = false`): one test per scenario file (per row of a boundary table), run by
    /// libtest-mimic with the process's test arguments. Returns the process's exit code.
    pub fn main(self) -> ExitCode {
        match self.trials(&Arguments::from_args()) {
            Ok(conclusion) => conclusion.exit_code(),
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        }
    }

    /// `main` with explicit test-runner arguments; the conclusion counts passed and failed tests.
    pub fn trials(self, args: &Arguments) -> Result<Conclusion, String> {
        let mut trials = Vec::new();
        for case in self.cases()? {
            let (c, seed, guardrails) = (case.clone(), self.seed, self.guardrails.clone());
            trials.push(Trial::test(case.name.clone(), move || drill(&c, seed, guardrails.as_deref()).map_err(Failed::from)));
            let (c, seed, guardrails) = (case.clone(), self.seed, self.guardrails.clone());
            trials.push(Trial::test(format!("{}::is_deterministic", case.name), move || {
                deterministic(&c, seed, guardrails.as_deref()).map_err(Failed::from)
            }));
        }
        Ok(libtest_mimic::run(args, trials))
    }

    /// From an ordinary `#[test]`: runs every drill and its determinism check, and returns every
    /// failure at once (`Err` lists them all), so one red test says everything that broke.
    pub fn check(self) -> Result<usize, String> {
        let cases = self.cases()?;
        if cases.is_empty() {
            return Err(format!("no scenario files (*.toml) under `{}`", self.dir.display()));
        }
        let mut failures = Vec::new();
        for case in &cases {
            let g = self.guardrails.as_deref();
            if let Err(e) = drill(case, self.seed, g) {
                failures.push(format!("{}: {e}", case.name));
            }
            if let Err(e) = deterministic(case, self.seed, g) {
                failures.push(format!("{}::is_deterministic: {e}", case.name));
            }
        }
        if failures.is_empty() { Ok(cases.len()) } else { Err(failures.join("\n\n")) }
    }
}

/// `Drills::new(dir).main()`: the few lines a team's harness-less `tests/drills.rs` needs.
pub fn drills(dir: impl AsRef<Path>) -> ExitCode {
    Drills::new(dir).main()
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        return p.to_path_buf();
    }
    // `cargo test` runs test binaries from the package root, so relative folders mean that.
    match std::env::var_os("CARGO_MANIFEST_DIR") {
        Some(root) => PathBuf::from(root).join(p),
        None => p.to_path_buf(),
    }
}

fn play(case: &Case, seed: Option<u64>, guardrails: Option<&GuardrailFactory>) -> Result<IncidentReport, String> {
    let rows = load_rows_as(&case.file, &case.shown).map_err(|p| p.render())?;
    let row = rows
        .into_iter()
        .find(|r| r.name == case.row)
        .ok_or_else(|| format!("{} no longer has the row `{}`", case.shown.display(), case.row.as_deref().unwrap_or("")))?;
    let rt = runtime().map_err(|p| p.render())?;
    let shown = case.shown.display().to_string();
    let (mut scenario, text) = (row.scenario, row.text);
    if let Some(s) = seed {
        scenario.seed = s;
    }
    let weigh_mitigations = !scenario.expect.sufficient_mitigations.is_empty();
    rt.block_on(async move {
        let mut b = Run::builder(scenario).path(shown).source(text);
        for g in guardrails.map(|make| make()).unwrap_or_default() {
            b = b.boxed_guardrail(g);
        }
        b.start().await?.run_to_end().await
    })
    .map_err(|e| Problem::Run(Box::new(e)).render())
    .and_then(|mut report| {
        if !weigh_mitigations {
            return Ok(report);
        }
        rt.block_on(crate::whatif::judge(&case.file, &case.shown, seed, &mut report)).map_err(|p| p.render())?;
        Ok(report)
    })
}

/// The scenario of a file with `[generate]` and its `[generate]`: it runs as a campaign, not as
/// one drill.
fn generated(case: &Case) -> Result<Option<(Scenario, Generate)>, String> {
    let scenario = super::load_as(&case.file, &case.shown).map_err(|p| p.render())?;
    Ok(scenario.generate.clone().map(|g| (scenario, g)))
}

/// A `[generate]` file's campaign of `cases` cases.
fn campaign(scenario: Scenario, generate: &Generate, case: &Case, cases: u32) -> Result<Outcome, String> {
    let c = Campaign::new(scenario, &case.shown.display().to_string()).map_err(|e| Problem::Run(Box::new(e)).render())?;
    c.run(Options { cases, seed: generate.seed, shard: Shard::WHOLE }, |_| {}).map_err(|e| Problem::Run(Box::new(e)).render())
}

/// The file's cases (raised by `FIREDRILL_FUZZ_CASES`), judged by what the file expects
/// (`Verdict::passes`); the summary says what failed.
fn fuzz(scenario: Scenario, generate: &Generate, case: &Case) -> Result<(), String> {
    let outcome = campaign(scenario, generate, case, cases_from_env(generate))?;
    if Verdict::of(generate, &outcome).passes(generate) {
        return Ok(());
    }
    let expected = if generate.expect_violation.is_empty() {
        "every invariant to hold, with a destructive call reaching the provider".to_string()
    } else {
        format!("the campaign to break {}", generate.expect_violation.iter().map(|n| n.key()).collect::<Vec<_>>().join(", "))
    };
    Err(format!("the campaign of {} expected {expected}:\n{}", case.shown.display(), summary(generate, &outcome)))
}

fn drill(case: &Case, seed: Option<u64>, guardrails: Option<&GuardrailFactory>) -> Result<(), String> {
    if let Some((scenario, generate)) = generated(case)? {
        return fuzz(scenario, &generate, case);
    }
    let report = play(case, seed, guardrails)?;
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(&case.snapshots);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_input_file(&case.file);
    let snapshot_name = case.name.replace("::", "__");
    // Both checks run, so a failing expectation is reported in words even when the snapshot
    // changed too (insta prints the diff itself).
    let snapshot = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        settings.bind(|| insta::assert_yaml_snapshot!(snapshot_name, &report));
    }));
    let mut problems: Vec<String> = Vec::new();
    let failed: Vec<String> =
        report.failed_expectations().map(|e| format!("  ✗ {}: {}", e.name, expected_got(&e.expected, &e.actual))).collect();
    if !failed.is_empty() {
        problems.push(format!("{} expectation(s) failed in {}:\n{}", failed.len(), case.shown.display(), failed.join("\n")));
    }
    if snapshot.is_err() {
        problems.push(format!(
            "the incident report of {} differs from its snapshot (diff above); if the change is intended, accept it with `cargo insta review`",
            case.shown.display()
        ));
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n")) }
}

fn deterministic(case: &Case, seed: Option<u64>, guardrails: Option<&GuardrailFactory>) -> Result<(), String> {
    if let Some((scenario, generate)) = generated(case)? {
        // The first cases of the campaign twice: the same programs, played the same way.
        let few = generate.cases.min(16);
        let (a, b) = (campaign(scenario.clone(), &generate, case, few)?, campaign(scenario, &generate, case, few)?);
        return if a.cases == b.cases { Ok(()) } else { Err(format!("two campaigns of {} ran different cases", case.file.display())) };
    }
    let (ja, jb) = (play(case, seed, guardrails)?.to_json(), play(case, seed, guardrails)?.to_json());
    if ja == jb {
        return Ok(());
    }
    let line = ja.lines().zip(jb.lines()).position(|(x, y)| x != y).unwrap_or(0);
    Err(format!("two runs of {} differ from line {} of the JSON report", case.file.display(), line + 1))
}
