//! `firedrill fuzz`: a scenario's `[generate]` campaign. A progress bar on a terminal, plain lines
//! otherwise; the summary; the first failing program shrunk and written as a scenario file.
//! Exit 0: every invariant held, not vacuously; 1: a violation, or a vacuous campaign; 2: bad
//! input.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use harness::generate::{Campaign, Options, Shard, Verdict, regression, summary};
use harness::runner::{Problem, load};

use super::out::{say, tell, tell_raw};

#[derive(clap::Args)]
pub struct Args {
    /// A scenario file with `[generate]`.
    file: PathBuf,
    /// How many programs to run (default: the file's `[generate] cases`).
    #[arg(long)]
    cases: Option<u32>,
    /// The campaign's seed (default: the file's `[generate] seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Where the shrunk failing program is written as a scenario file.
    #[arg(long, default_value = "scenarios/regressions")]
    out: PathBuf,
    /// Run shard I of N (`2/4`): N shards together run exactly the cases one run does.
    #[arg(long, value_parser = Shard::parse, default_value = "1/1")]
    shard: Shard,
}

fn bad(p: &Problem) -> ExitCode {
    tell_raw!("{}", p.render());
    ExitCode::from(2)
}

pub fn fuzz(args: Args) -> ExitCode {
    let scenario = match load(&args.file) {
        Ok(s) => s,
        Err(p) => return bad(&p),
    };
    let Some(generate) = scenario.generate.clone() else {
        tell!("error: `{}` has no `[generate]`\n  help: add `[generate]` and `[invariants]`; see scenarios/README.md", args.file.display());
        return ExitCode::from(2);
    };
    let shown = args.file.display().to_string();
    let campaign = match Campaign::new(scenario, &shown) {
        Ok(c) => c,
        Err(e) => return bad(&Problem::Run(Box::new(e))),
    };
    let options = Options { cases: args.cases.unwrap_or(generate.cases), seed: args.seed.unwrap_or(generate.seed), shard: args.shard };
    let mine = (0..options.cases).filter(|i| options.shard.owns(*i)).count() as u64;
    tell!(
        "fuzz {shown}: {mine} case(s) of {} (shard {}/{}), seed {}, {} action(s) in the alphabet",
        options.cases,
        options.shard.index,
        options.shard.count,
        options.seed,
        campaign.alphabet().len()
    );
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(mine);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} cases, {msg}") {
            bar.set_style(style);
        }
        bar
    });
    let (mut done, mut broken) = (0u64, 0u64);
    let outcome = campaign.run(options, |c| {
        done += 1;
        broken += u64::from(!c.violations.is_empty());
        match &bar {
            Some(bar) => {
                bar.set_message(format!("{broken} violation(s)"));
                bar.inc(1);
            }
            // Plain lines: one every tenth of the campaign, and the last.
            None if done == mine || done % (mine / 10).max(1) == 0 => tell!("{done}/{mine} cases, {broken} violation(s)"),
            None => {}
        }
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) => return bad(&Problem::Run(Box::new(e))),
    };
    say!("{}", summary(&generate, &outcome).trim_end());
    if let Some(shrunk) = &outcome.shrunk {
        match regression::write(&campaign, shrunk, &args.file, options.seed, &args.out) {
            Ok(path) => say!("wrote {}: `firedrill run {}` reproduces it", path.display(), path.display()),
            Err(e) => {
                tell!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    match Verdict::of(&generate, &outcome) {
        Verdict::Held => ExitCode::SUCCESS,
        Verdict::Vacuous | Verdict::Broken(_) => ExitCode::from(1),
    }
}
