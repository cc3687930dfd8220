//! Checks of `[generate]` and `[invariants]`: a program length the format allows, at least one
//! kind of action to draw, a campaign that runs something, and invariants that can be judged.

use super::super::ErrorKind;
use super::super::limits::MAX_STEPS;
use super::super::spans::doc_path;
use super::Checker;

pub(super) fn check(c: &mut Checker<'_>) {
    let scenario = c.scenario;
    if let Some(g) = &scenario.generate {
        if g.cases == 0 {
            let error = c
                .error(ErrorKind::InvalidValue, c.at(doc_path!["generate", "cases"]), "a campaign of 0 cases runs nothing")
                .label("no cases")
                .help("leave `cases` out for 256, or give a positive number");
            c.push(error);
        }
        if g.max_steps > MAX_STEPS {
            let error = c
                .error(
                    ErrorKind::InvalidValue,
                    c.at(doc_path!["generate", "max_steps"]),
                    format!("programs of up to {} steps; a scenario has at most {MAX_STEPS}", g.max_steps),
                )
                .label("too long")
                .help("a shrunk program is written as a scenario file, which must load");
            c.push(error);
        }
        if g.min_steps == 0 || g.min_steps > g.max_steps {
            let error = c
                .error(
                    ErrorKind::Inconsistent,
                    c.at(doc_path!["generate", "min_steps"]),
                    format!("`min_steps = {}` with `max_steps = {}`", g.min_steps, g.max_steps),
                )
                .label("no program has this length")
                .help("a program has at least one step, and `min_steps` is at most `max_steps`");
            c.push(error);
        }
        if g.weights.all().iter().all(|(_, w)| *w == 0) {
            let error = c
                .error(ErrorKind::InvalidValue, c.at(doc_path!["generate", "weights"]), "every kind of action has weight 0")
                .label("nothing to draw")
                .help("give at least one of `search`, `read`, `read_call`, `write_call`, `destructive_call`, `wait` a positive weight");
            c.push(error);
        }
        let calls = g.weights.read_call + g.weights.write_call + g.weights.destructive_call;
        if g.channels.is_empty() && calls > 0 {
            let error = c
                .error(ErrorKind::Inconsistent, c.at(doc_path!["generate", "channels"]), "calls have weight but no channel to go through")
                .label("no channel")
                .help("list at least one of `shell`, `graphql`, `mcp`, or give the call weights 0");
            c.push(error);
        }
        let enabled = scenario.invariants.as_ref().map(|i| i.enabled()).unwrap_or_default();
        for (i, name) in g.expect_violation.iter().enumerate() {
            if !enabled.contains(name) {
                let error = c
                    .error(
                        ErrorKind::Inconsistent,
                        c.at(doc_path!["generate", "expect_violation", i]),
                        format!("the campaign is expected to break `{name}`, which `[invariants]` does not turn on"),
                    )
                    .label("not checked")
                    .help(format!("add `{}` to `[invariants]`", name.key()));
                c.push(error);
            }
        }
        if enabled.is_empty() {
            let error = c
                .error(ErrorKind::Inconsistent, c.at(doc_path!["generate"]), "a generated agent with no invariant to check")
                .label("nothing is judged")
                .help("add `[invariants]`, such as `max_data_loss = \"24h\"` or `tokens_within_purpose = true`");
            c.push(error);
        }
    } else if scenario.invariants.is_some() {
        let error = c
            .error(ErrorKind::Inconsistent, c.at(doc_path!["invariants"]), "`[invariants]` without `[generate]`")
            .label("checked after generated runs only")
            .help("add `[generate]`, or state what a scripted run must show with `[expect]`");
        c.push(error);
    }
    if let Some(inv) = &scenario.invariants {
        if inv.private_files_unread && !scenario.files.iter().any(|f| f.private) {
            let error = c
                .error(ErrorKind::Inconsistent, c.at(doc_path!["invariants", "private_files_unread"]), "no `[[file]]` is marked private")
                .label("holds trivially")
                .help("mark the files the agent must not read secrets from with `private = true`");
            c.push(error);
        }
        if inv.offsite_max_age.is_some() && scenario.offsite_backup.is_none() {
            let error = c
                .error(ErrorKind::Inconsistent, c.at(doc_path!["invariants", "offsite_max_age"]), "there is no `[offsite_backup]` to age")
                .label("no off-site job")
                .help("declare the team's off-site job with `[offsite_backup]`");
            c.push(error);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::check::check;

    #[test]
    fn a_generated_agent_with_an_invariant_is_valid() {
        check("[generate]\ncases = 8\n[invariants]\nmax_data_loss = \"24h\"\n", "");
    }

    #[test]
    fn a_program_length_no_program_has_is_refused_where_it_is_written() {
        check(
            "[generate]\nmin_steps = 5\nmax_steps = 2\n[invariants]\ntokens_within_purpose = true\n",
            "2:13: `min_steps = 5` with `max_steps = 2` (a program has at least one step, and `min_steps` is at most `max_steps`)",
        );
    }

    #[test]
    fn a_campaign_of_zero_cases_or_no_weight_is_refused() {
        check(
            "[generate]\ncases = 0\nweights = { search = 0, read = 0, read_call = 0, write_call = 0, destructive_call = 0, wait = 0 }\n[invariants]\ntokens_within_purpose = true\n",
            "2:9: a campaign of 0 cases runs nothing (leave `cases` out for 256, or give a positive number)\n3:11: every kind of action has weight 0 (give at least one of `search`, `read`, `read_call`, `write_call`, `destructive_call`, `wait` a positive weight)",
        );
    }

    #[test]
    fn invariants_need_a_generated_agent_and_a_generated_agent_needs_invariants() {
        check(
            "[invariants]\ntokens_within_purpose = true\n",
            "1:1: `[invariants]` without `[generate]` (add `[generate]`, or state what a scripted run must show with `[expect]`)",
        );
        check(
            "[generate]\ncases = 4\n",
            "1:1: a generated agent with no invariant to check (add `[invariants]`, such as `max_data_loss = \"24h\"` or `tokens_within_purpose = true`)",
        );
    }

    #[test]
    fn an_expected_violation_must_be_an_invariant_that_is_checked() {
        check(
            "[generate]\nexpect_violation = [\"max_data_loss\"]\n[invariants]\ntokens_within_purpose = true\n",
            "2:21: the campaign is expected to break `max_data_loss`, which `[invariants]` does not turn on (add `max_data_loss` to `[invariants]`)",
        );
    }

    #[test]
    fn private_files_unread_needs_a_private_file() {
        check(
            "[generate]\n[invariants]\nprivate_files_unread = true\n",
            "3:24: no `[[file]]` is marked private (mark the files the agent must not read secrets from with `private = true`)",
        );
    }
}
