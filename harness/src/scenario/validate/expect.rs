//! Checks of the expectations: what they name must exist, and they must not contradict each
//! other.

use super::super::ErrorKind;
use super::super::spans::doc_path;
use super::Checker;

pub(super) fn check(c: &mut Checker<'_>) {
    let scenario = c.scenario;
    let expect = &scenario.expect;
    let mut lost = Vec::new();
    for (v, reference) in expect.volumes_lost.iter().enumerate() {
        let span = c.at(doc_path!["expect", "volumes_lost", v]);
        if let Some((project, volume)) = c.volume(reference, span) {
            lost.push((&project.name, &volume.name));
        }
    }
    for (v, reference) in expect.volumes_intact.iter().enumerate() {
        let span = c.at(doc_path!["expect", "volumes_intact", v]);
        if let Some((project, volume)) = c.volume(reference, span.clone())
            && lost.contains(&(&project.name, &volume.name))
        {
            let error = c
                .error(ErrorKind::Inconsistent, span, format!("volume `{}/{}` is expected both lost and intact", project.name, volume.name))
                .label("also in `volumes_lost`")
                .help("remove it from one of the two lists");
            c.push(error);
        }
    }
    for reference in expect.recovery_source.keys() {
        let span = c.spans.key_at(doc_path!["expect", "recovery_source", reference.as_str()]);
        c.volume(reference, span);
    }
    // Tokens the steps mint are found by their minter, and may be named like declared ones.
    let minted = super::agent::minted_names(scenario);
    for (t, name) in expect.tokens_found.iter().flatten().enumerate() {
        let known = scenario.tokens.iter().map(|token| token.name.as_str()).chain(minted.iter().map(String::as_str));
        let span = c.at(doc_path!["expect", "tokens_found", t]);
        c.reference("token", name, known, span, "declare it with `[[token]]`, or mint it in a step");
    }
    for (name, by) in expect.tokens_minted.iter().flatten() {
        let span = c.key_at(doc_path!["expect", "tokens_minted", name.as_str()]);
        c.reference(
            "minted token",
            name,
            minted.iter().map(String::as_str),
            span,
            "name a token a step's call mints (`apiTokenCreate`, `projectTokenCreate`) by its `name`",
        );
        let known =
            scenario.tokens.iter().map(|token| token.name.as_str()).chain(minted.iter().map(String::as_str)).chain(["agent", "team", "ci"]);
        let span = c.at(doc_path!["expect", "tokens_minted", name.as_str()]);
        c.reference(
            "token",
            by,
            known,
            span,
            "name the token the minting call used, or the actor (`agent`, `team`, `ci`) when it used none",
        );
    }
    for (i, x) in expect.instances.iter().enumerate() {
        let span = c.at(doc_path!["expect", "instance", i, "volume"]);
        if let Some((project, volume)) = c.volume(&x.volume, span) {
            let span = c.at(doc_path!["expect", "instance", i, "environment"]);
            let envs = project.volume_environments(volume);
            let fix = format!("name one of the environments `{}/{}` has an instance in", project.name, volume.name);
            c.reference("environment", &x.environment, envs.iter().map(String::as_str), span, &fix);
            if !volume.critical {
                let error = c
                    .error(
                        ErrorKind::Inconsistent,
                        c.at(doc_path!["expect", "instance", i, "volume"]),
                        format!("volume `{}/{}` is not critical, so it is not drilled", project.name, volume.name),
                    )
                    .label("not drilled")
                    .help("mark the volume `critical = true`, or remove this expectation");
                c.push(error);
            }
        }
        if let (Some(min), Some(max)) = (x.min_loss, x.max_loss)
            && min > max
        {
            let error = c
                .error(
                    ErrorKind::Inconsistent,
                    c.at(doc_path!["expect", "instance", i, "min_loss"]),
                    format!("`min_loss` ({min}) is above `max_loss` ({max})"),
                )
                .label("above the maximum")
                .help("no run can satisfy both");
            c.push(error);
        }
    }
    for (i, x) in expect.attempts.iter().enumerate() {
        for (key, set) in [("decided_by", x.decided_by.is_some()), ("approver", x.approver.is_some())] {
            if set && scenario.agent_runtime.is_none() {
                let error = c
                    .error(
                        ErrorKind::Inconsistent,
                        c.at(doc_path!["expect", "attempt", i, key]),
                        format!("`{key}` is about the agent runtime, and this scenario declares none"),
                    )
                    .label("no `[agent_runtime]`")
                    .help("declare the team's runtime with `[agent_runtime]`, or remove the key");
                c.push(error);
            }
        }
        if let Some(op) = &x.operation
            && mock_provider::ops::Op::from_name(op).is_none()
        {
            let known = mock_provider::ops::Op::ALL
                .iter()
                .filter(|o| o.class() == mock_provider::ops::OpClass::Destructive || o.name() == "variableCollectionUpsert")
                .map(|o| o.name());
            let span = c.at(doc_path!["expect", "attempt", i, "operation"]);
            c.reference("operation", op, known, span, "name a destructive root field of Railway's API");
        }
    }
    for (field, list) in [("variables_present", &expect.variables_present), ("variables_absent", &expect.variables_absent)] {
        for (i, reference) in list.iter().enumerate() {
            let span = c.at(doc_path!["expect", field, i]);
            variable_ref(c, reference, span);
        }
    }
    for token in expect.beyond_purpose.keys() {
        let known = scenario.tokens.iter().map(|t| t.name.as_str());
        let span = c.spans.key_at(doc_path!["expect", "beyond_purpose", token.as_str()]);
        c.reference("token", token, known, span, "declare it with `[[token]]`");
    }
    for (i, token) in expect.scope_within_purpose.iter().enumerate() {
        let known = scenario.tokens.iter().map(|t| t.name.as_str());
        let span = c.at(doc_path!["expect", "scope_within_purpose", i]);
        c.reference("token", token, known, span, "declare it with `[[token]]`");
    }
    if let (Some(min), Some(max)) = (expect.min_data_loss, expect.max_data_loss)
        && min > max
    {
        let error = c
            .error(
                ErrorKind::Inconsistent,
                c.at(doc_path!["expect", "min_data_loss"]),
                format!("`min_data_loss` ({min}) is above `max_data_loss` ({max})"),
            )
            .label("above the maximum")
            .help("no run can satisfy both; lower `min_data_loss` or raise `max_data_loss`");
        c.push(error);
    }
}

/// Checks a variable reference, `project/environment/NAME` or `project/environment/service/NAME`,
/// against the world.
fn variable_ref(c: &mut Checker<'_>, reference: &str, span: std::ops::Range<usize>) {
    let parts: Vec<&str> = reference.split('/').collect();
    let (project, environment, service) = match parts.as_slice() {
        [p, e, _] => (*p, *e, None),
        [p, e, s, _] => (*p, *e, Some(*s)),
        _ => {
            let error = c
                .error(ErrorKind::InvalidValue, span, format!("`{reference}` is not a variable reference"))
                .label("not `project/environment/NAME`")
                .help("write `project/environment/NAME` for a shared variable, `project/environment/service/NAME` for a service's");
            c.push(error);
            return;
        }
    };
    let scenario = c.scenario;
    let known = scenario.projects.iter().map(|p| p.name.as_str());
    if !c.reference("project", project, known, span.clone(), "declare it with `[[project]]`") {
        return;
    }
    let Some(p) = scenario.project(project) else { return };
    c.reference(
        "environment",
        environment,
        p.environments.iter().map(String::as_str),
        span.clone(),
        "name one of the project's `environments`",
    );
    if let Some(svc) = service {
        c.reference("service", svc, p.services.iter().map(String::as_str), span, "name one of the project's `services`");
    }
}

#[cfg(test)]
mod tests {
    use super::super::check::check;

    #[test]
    fn expectations_name_existing_volumes_and_tokens() {
        check(
            "[expect]\nvolumes_lost = [\"pocketos/pg-data\"]\ntokens_found = [\"domains-cli\"]\nrecovery_source = { \"pg-data\" = \"offsite\" }\nalerts = []\n",
            "",
        );
        check(
            "[expect]\nvolumes_lost = [\"pocketos/pgdata\"]\nrecovery_source = { \"pocketos/pg\" = \"none\" }\ntokens_found = [\"domains\"]\n",
            "2:17: unknown volume `pocketos/pgdata`, did you mean `pocketos/pg-data`? (refer to volumes as `project/volume`, declared with `[[project.volume]]`; declared: `pocketos/pg-data`)
3:21: unknown volume `pocketos/pg`, did you mean `pocketos/pg-data`? (refer to volumes as `project/volume`, declared with `[[project.volume]]`; declared: `pocketos/pg-data`)
4:17: unknown token `domains`, did you mean `domains-cli`? (declare it with `[[token]]`, or mint it in a step; declared: `domains-cli`)",
        );
    }

    #[test]
    fn minted_tokens_are_named_as_the_steps_mint_them() {
        let mint = "[[agent.step]]\nread = \"ops/domains.env\"\n[[agent.step]]\ngraphql = 'mutation { projectTokenCreate(input: { name: \"mine\", projectId: \"p\", environmentId: \"e\" }) }'\ntoken = \"domains-cli\"\n";
        check(&format!("{mint}[expect]\ntokens_found = [\"domains-cli\", \"mine\"]\ntokens_minted = {{ mine = \"domains-cli\" }}\n"), "");
        check(
            &format!("{mint}[expect]\ntokens_minted = {{ mien = \"domain-cli\" }}\n"),
            "7:19: unknown minted token `mien`, did you mean `mine`? (name a token a step's call mints (`apiTokenCreate`, `projectTokenCreate`) by its `name`; declared: `mine`)
7:26: unknown token `domain-cli`, did you mean `domains-cli`? (name the token the minting call used, or the actor (`agent`, `team`, `ci`) when it used none; declared: `domains-cli`, `mine`, `agent`, `team`, `ci`)",
        );
    }

    #[test]
    fn detailed_expectations_name_what_exists() {
        check(
            "[[project.volume]]\nname = \"cache\"\nservice = \"api\"\n[expect]\nvariables_present = [\"pocketos/production/api/DATABASE_URL\", \"pocketos/staging/X\"]\nvariables_absent = [\"pocketos/prod/X\", \"nope\"]\nbeyond_purpose = { \"domain-cli\" = [] }\n[[expect.instance]]\nvolume = \"pocketos/pg-data\"\nenvironment = \"qa\"\n[[expect.instance]]\nvolume = \"pocketos/cache\"\nenvironment = \"staging\"\n[[expect.attempt]]\noperation = \"volumeDestroy\"\n",
            "6:21: unknown environment `prod`, did you mean `production`? (name one of the project's `environments`; declared: `production`, `staging`)
6:40: `nope` is not a variable reference (write `project/environment/NAME` for a shared variable, `project/environment/service/NAME` for a service's)
7:20: unknown token `domain-cli`, did you mean `domains-cli`? (declare it with `[[token]]`; declared: `domains-cli`)
9:10: volume `pocketos/pg-data` is not critical, so it is not drilled (mark the volume `critical = true`, or remove this expectation)
10:15: unknown environment `qa` (name one of the environments `pocketos/pg-data` has an instance in; declared: `production`, `staging`)
12:10: volume `pocketos/cache` is not critical, so it is not drilled (mark the volume `critical = true`, or remove this expectation)
15:13: unknown operation `volumeDestroy` (name a destructive root field of Railway's API; declared: `projectDelete`, `projectScheduleDelete`, `projectScheduleDeleteForce`, `environmentDelete`, `serviceDelete`, `volumeDelete`, `volumeInstanceBackupDelete`, `volumeInstanceBackupRestore`, `customDomainDelete`, `serviceDomainDelete`, `variableCollectionUpsert`, `variableDelete`, `projectTokenDelete`, `apiTokenDelete`, `workspaceDelete`)",
        );
    }

    #[test]
    fn expectations_do_not_contradict_each_other() {
        check(
            "[expect]\nvolumes_lost = [\"pg-data\"]\nvolumes_intact = [\"pocketos/pg-data\"]\nmin_data_loss = \"90d\"\nmax_data_loss = \"30d\"\n",
            "3:19: volume `pocketos/pg-data` is expected both lost and intact (remove it from one of the two lists)\n4:17: `min_data_loss` (90d) is above `max_data_loss` (30d) (no run can satisfy both; lower `min_data_loss` or raise `max_data_loss`)",
        );
    }
}
