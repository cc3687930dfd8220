//! Checks of the bounds a scenario must stay within (`scenario::limits`): simulated time, the
//! number of steps, and how often the off-site job and the monitor run over the whole run.

use mock_provider::time::Duration;

use super::super::ErrorKind;
use super::super::limits::{MAX_MONITOR_CHECKS, MAX_OFFSITE_RUNS, MAX_SIMULATED_SPAN, MAX_STEPS};
use super::super::spans::doc_path;
use super::Checker;

pub(super) fn check(c: &mut Checker<'_>) {
    let scenario = c.scenario;
    if scenario.history > MAX_SIMULATED_SPAN {
        let error = c
            .error(
                ErrorKind::InvalidValue,
                c.at(doc_path!["history"]),
                format!("a history of {} is longer than {MAX_SIMULATED_SPAN}", scenario.history),
            )
            .label("too long")
            .help(format!("firedrill simulates at most {MAX_SIMULATED_SPAN} of history; a few months show a backup strategy's failures"));
        c.push(error);
    }
    let steps = &scenario.agent.steps;
    if steps.len() > MAX_STEPS {
        let error = c
            .error(
                ErrorKind::InvalidValue,
                c.at(doc_path!["agent", "step", MAX_STEPS]),
                format!("{} steps; a scenario has at most {MAX_STEPS}", steps.len()),
            )
            .label("one step too many")
            .help("split the scenario, or let a generated agent (`[generate]`) try the variations");
        c.push(error);
    }
    let mut waited = Duration::ZERO;
    for (i, step) in steps.iter().enumerate() {
        if let crate::agent::Action::Wait(crate::agent::Wait::For(duration)) = &step.action {
            waited = waited + *duration;
            if *duration > MAX_SIMULATED_SPAN {
                let error = c
                    .error(
                        ErrorKind::InvalidValue,
                        c.at(doc_path!["agent", "step", i, "wait"]),
                        format!("a wait of {duration} is longer than {MAX_SIMULATED_SPAN}"),
                    )
                    .label("too long")
                    .help(format!("one step waits at most {MAX_SIMULATED_SPAN}"));
                c.push(error);
            }
        }
    }
    // The whole simulated span: history, then every wait of the agent.
    let span = scenario.history + waited;
    if let Some(job) = &scenario.offsite_backup
        && !job.every.is_zero()
    {
        let runs = span.as_secs() / job.every.as_secs().max(1);
        if runs.unsigned_abs() > MAX_OFFSITE_RUNS {
            let error = c
                .error(
                    ErrorKind::InvalidValue,
                    c.at(doc_path!["offsite_backup", "every"]),
                    format!("the off-site job would run {runs} times over the run's {span}; at most {MAX_OFFSITE_RUNS}"),
                )
                .label("too often for this span")
                .help(format!(
                    "run it less often (at least every {}), or shorten `history`",
                    Duration(span.as_secs() / MAX_OFFSITE_RUNS as i64 + 1)
                ));
            c.push(error);
        }
    }
    if let Some(monitor) = &scenario.monitor
        && !monitor.check_every.is_zero()
    {
        let checks = span.as_secs() / monitor.check_every.as_secs().max(1);
        if checks.unsigned_abs() > MAX_MONITOR_CHECKS {
            let error = c
                .error(
                    ErrorKind::InvalidValue,
                    c.at(doc_path!["monitor", "check_every"]),
                    format!("the monitor would check {checks} times over the run's {span}; at most {MAX_MONITOR_CHECKS}"),
                )
                .label("too often for this span")
                .help(format!("check less often (at least every {})", Duration(span.as_secs() / MAX_MONITOR_CHECKS as i64 + 1)));
            c.push(error);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::check::check;

    #[test]
    fn simulated_time_is_bounded_where_it_is_written() {
        let text = super::super::check::WORLD.replacen("[provider]", "history = \"800d\"\n[provider]", 1);
        let errors = super::super::super::load("s.toml", &text).unwrap_err();
        let got: Vec<String> = errors.iter().map(|e| format!("{}:{}: {}", e.line(), e.column(), e.message())).collect();
        assert_eq!(got, ["2:11: a history of 800d is longer than 732d"]);
        check(
            "[[agent.step]]\nwait = \"15250284452471w\"\n",
            "2:8: a wait of 106751991167297d is longer than 732d (one step waits at most 732d)",
        );
    }

    #[test]
    fn a_scenario_has_at_most_ten_thousand_steps_and_the_first_step_too_many_is_pointed_at() {
        let steps = "[[agent.step]]\nwait = \"1s\"\n".repeat(10_001);
        check(
            &steps,
            "20001:1: 10001 steps; a scenario has at most 10000 (split the scenario, or let a generated agent (`[generate]`) try the variations)",
        );
    }

    #[test]
    fn an_off_site_job_or_a_monitor_that_would_run_too_often_is_refused_at_its_period() {
        check(
            "[offsite_backup]\ntarget = \"s3://b/pg\"\nvolume = \"pocketos/pg-data\"\nenvironment = \"production\"\nevery = \"1s\"\n",
            "5:9: the off-site job would run 8640000 times over the run's 100d; at most 10000 (run it less often (at least every 14m25s), or shorten `history`)",
        );
        check(
            "[offsite_backup]\ntarget = \"s3://b/pg\"\nvolume = \"pocketos/pg-data\"\nenvironment = \"production\"\nevery = \"24h\"\n[monitor]\noffsite_max_age = \"36h\"\ncheck_every = \"1s\"\n",
            "8:15: the monitor would check 8640000 times over the run's 100d; at most 100000 (check less often (at least every 1m27s))",
        );
    }
}
