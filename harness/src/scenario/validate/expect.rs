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
    for (t, name) in expect.tokens_found.iter().flatten().enumerate() {
        let known = scenario.tokens.iter().map(|token| token.name.as_str());
        let span = c.at(doc_path!["expect", "tokens_found", t]);
        c.reference("token", name, known, span, "declare it with `[[token]]`");
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
4:17: unknown token `domains`, did you mean `domains-cli`? (declare it with `[[token]]`; declared: `domains-cli`)",
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
