//! Checks of the backup strategy and the provider's knobs: the off-site job, its faults, the
//! monitor and the recovery drill.

use super::super::ErrorKind;
use super::super::spans::doc_path;
use super::Checker;

pub(super) fn check(c: &mut Checker<'_>) {
    let scenario = c.scenario;
    if let Some(limit) = scenario.provider.overrides.manual_backup_limit
        && !(0.0..=1.0).contains(&limit)
    {
        let error = c
            .error(
                ErrorKind::InvalidValue,
                c.at(doc_path!["provider", "overrides", "manual_backup_limit"]),
                format!("`manual_backup_limit` is {limit}, outside 0 to 1"),
            )
            .label("not a fraction")
            .help("write the fraction of the volume's size manual backups may take, such as `0.5`");
        c.push(error);
    }
    if let Some(job) = &scenario.offsite_backup {
        let span = c.at(doc_path!["offsite_backup", "volume"]);
        if let Some((project, volume)) = c.volume(&job.volume, span) {
            let environments = project.volume_environments(volume);
            let span = c.at(doc_path!["offsite_backup", "environment"]);
            let fix = format!("the job dumps one instance of `{}/{}`; name one of its environments", project.name, volume.name);
            c.reference("environment", &job.environment, environments.iter().map(String::as_str), span, &fix);
        }
        if job.every.is_zero() {
            let error = c
                .error(ErrorKind::InvalidValue, c.at(doc_path!["offsite_backup", "every"]), "the off-site job runs every `0s`")
                .label("must be longer than `0s`")
                .help("write how often it runs, such as `\"24h\"`");
            c.push(error);
        }
        if let (Some(since), Some(stopped)) = (job.since, job.stopped_at)
            && stopped < since
        {
            let error = c
                .error(
                    ErrorKind::Inconsistent,
                    c.at(doc_path!["offsite_backup", "stopped_at"]),
                    format!("the off-site job stops at {stopped}, before it starts at {since}"),
                )
                .label("before `since`")
                .help("`stopped_at` must not be earlier than `since`");
            c.push(error);
        }
        for (f, fault) in job.faults.iter().enumerate() {
            if let Some(until) = fault.until
                && until <= fault.from
            {
                let error = c
                    .error(
                        ErrorKind::Inconsistent,
                        c.at(doc_path!["offsite_backup", "fault", f, "until"]),
                        format!("the fault ends at {until}, not after it begins at {}", fault.from),
                    )
                    .label("not after `from`")
                    .help("`until` must be later than `from`; leave it out for a fault that does not end");
                c.push(error);
            }
        }
    }
    if let Some(monitor) = &scenario.monitor {
        if scenario.offsite_backup.is_none() {
            let error = c
                .error(
                    ErrorKind::Inconsistent,
                    c.at(doc_path!["monitor"]),
                    "the monitor watches off-site backups, but there is no `[offsite_backup]`",
                )
                .label("nothing to watch")
                .help("declare the job with `[offsite_backup]`, or remove `[monitor]`");
            c.push(error);
        }
        if monitor.check_every.is_zero() {
            let error = c
                .error(ErrorKind::InvalidValue, c.at(doc_path!["monitor", "check_every"]), "the monitor checks every `0s`")
                .label("must be longer than `0s`")
                .help("write how often it checks, such as `\"1h\"`");
            c.push(error);
        }
    }
    let throughput = scenario.recovery.throughput_mb_per_s;
    if !(throughput.is_finite() && throughput > 0.0) {
        let error = c
            .error(
                ErrorKind::InvalidValue,
                c.at(doc_path!["recovery", "throughput_mb_per_s"]),
                format!("restore throughput `{throughput}` is not a positive number"),
            )
            .label("must be above 0")
            .help("write the restore speed in megabytes per second, such as `100.0`");
        c.push(error);
    }
}

#[cfg(test)]
mod tests {
    use super::super::check::check;

    const JOB: &str =
        "[offsite_backup]\ntarget = \"s3://b/pg\"\nvolume = \"pocketos/pg-data\"\nenvironment = \"production\"\nevery = \"24h\"\n";

    #[test]
    fn the_off_site_job_dumps_an_existing_volume_instance() {
        check(JOB, "");
        check(
            "[offsite_backup]\ntarget = \"s3://b/pg\"\nvolume = \"pg-dta\"\nenvironment = \"production\"\nevery = \"24h\"\n",
            "3:10: unknown volume `pg-dta`, did you mean `pg-data`? (refer to volumes as `project/volume`, declared with `[[project.volume]]`; declared: `pocketos/pg-data`)",
        );
        check(
            "[offsite_backup]\ntarget = \"s3://b/pg\"\nvolume = \"pg-data\"\nenvironment = \"preview\"\nevery = \"0s\"\n",
            "4:15: unknown environment `preview` (the job dumps one instance of `pocketos/pg-data`; name one of its environments; declared: `production`, `staging`)\n5:9: the off-site job runs every `0s` (write how often it runs, such as `\"24h\"`)",
        );
    }

    #[test]
    fn bare_volume_names_must_be_unique_across_projects() {
        check(
            &format!("[[project]]\nname = \"other\"\nenvironments = [\"production\"]\nservices = [\"db\"]\n[[project.volume]]\nname = \"pg-data\"\nservice = \"db\"\n{JOB}")
                .replace("pocketos/pg-data", "pg-data"),
            "10:10: volume name `pg-data` is ambiguous (name the project too: `pocketos/pg-data`, `other/pg-data`)",
        );
    }

    #[test]
    fn time_windows_run_forwards() {
        check(
            &format!(
                "{JOB}since = \"2026-01-01T00:00:00Z\"\nstopped_at = \"2025-12-01T00:00:00Z\"\n[[offsite_backup.fault]]\nkind = \"timeout\"\nfrom = \"2026-04-10T00:00:00Z\"\nuntil = \"2026-04-10T00:00:00Z\"\n"
            ),
            "7:14: the off-site job stops at 2025-12-01T00:00:00Z, before it starts at 2026-01-01T00:00:00Z (`stopped_at` must not be earlier than `since`)\n11:9: the fault ends at 2026-04-10T00:00:00Z, not after it begins at 2026-04-10T00:00:00Z (`until` must be later than `from`; leave it out for a fault that does not end)",
        );
    }

    #[test]
    fn the_monitor_needs_a_job_to_watch() {
        check(
            "[monitor]\noffsite_max_age = \"36h\"\ncheck_every = \"0s\"\n",
            "1:1: the monitor watches off-site backups, but there is no `[offsite_backup]` (declare the job with `[offsite_backup]`, or remove `[monitor]`)\n3:15: the monitor checks every `0s` (write how often it checks, such as `\"1h\"`)",
        );
    }

    #[test]
    fn knobs_and_drill_parameters_are_in_range() {
        check(
            "[recovery]\nthroughput_mb_per_s = 0.0\n",
            "2:23: restore throughput `0` is not a positive number (write the restore speed in megabytes per second, such as `100.0`)",
        );
        check(
            "[provider.overrides]\nmanual_backup_limit = 1.5\n",
            "2:23: `manual_backup_limit` is 1.5, outside 0 to 1 (write the fraction of the volume's size manual backups may take, such as `0.5`)",
        );
    }
}
