//! Checks of the team's world: workspaces, projects, environments, services, volumes,
//! variables and domains.

use super::super::ErrorKind;
use super::super::spans::{Seg, doc_path};
use super::{Checker, Place, PlaceholderKind};

/// Id placeholders are allowed in variable values; secrets are not, as variables are not
/// repository files the agent reads.
const VARIABLE_PLACEHOLDERS: [PlaceholderKind; 4] =
    [PlaceholderKind::Volume, PlaceholderKind::Project, PlaceholderKind::Environment, PlaceholderKind::Service];

pub(super) fn check(c: &mut Checker<'_>) {
    let scenario = c.scenario;
    for (w, workspace) in scenario.workspaces.iter().enumerate() {
        c.name("workspace", &workspace.name, doc_path!["workspace", w, "name"], false);
    }
    c.duplicates(
        "workspace",
        scenario.workspaces.iter().enumerate().map(|(w, ws)| (ws.name.as_str(), vec![Seg::from("workspace"), w.into(), "name".into()])),
    );
    c.duplicates(
        "project",
        scenario.projects.iter().enumerate().map(|(p, pr)| (pr.name.as_str(), vec![Seg::from("project"), p.into(), "name".into()])),
    );
    let mut domains = Vec::new();
    for (p, project) in scenario.projects.iter().enumerate() {
        c.name("project", &project.name, doc_path!["project", p, "name"], true);
        match &project.workspace {
            Some(workspace) => {
                let known = scenario.workspaces.iter().map(|w| w.name.as_str());
                let span = c.at(doc_path!["project", p, "workspace"]);
                c.reference("workspace", workspace, known, span, "declare it with `[[workspace]]`");
            }
            None if scenario.workspaces.len() != 1 => {
                let (message, help) = if scenario.workspaces.is_empty() {
                    (
                        format!("project `{}` belongs to no workspace", project.name),
                        "declare one with `[[workspace]]` and `name = \"…\"`".to_owned(),
                    )
                } else {
                    (
                        format!("project `{}` needs `workspace`", project.name),
                        format!("the scenario declares {} workspaces; add `workspace = \"NAME\"` naming one", scenario.workspaces.len()),
                    )
                };
                let error = c.error(ErrorKind::UnknownReference, c.at(doc_path!["project", p]), message).label("no workspace").help(help);
                c.push(error);
            }
            None => {}
        }
        for (e, environment) in project.environments.iter().enumerate() {
            c.name("environment", environment, doc_path!["project", p, "environments", e], true);
        }
        for (s, service) in project.services.iter().enumerate() {
            c.name("service", service, doc_path!["project", p, "services", s], true);
        }
        c.duplicates(
            "environment",
            project
                .environments
                .iter()
                .enumerate()
                .map(|(e, env)| (env.as_str(), vec![Seg::from("project"), p.into(), "environments".into(), e.into()])),
        );
        c.duplicates(
            "service",
            project
                .services
                .iter()
                .enumerate()
                .map(|(s, svc)| (svc.as_str(), vec![Seg::from("project"), p.into(), "services".into(), s.into()])),
        );
        let environments = || project.environments.iter().map(String::as_str);
        let services = || project.services.iter().map(String::as_str);
        let env_fix = format!("add it to `environments` of project `{}`", project.name);
        let service_fix = format!("add it to `services` of project `{}`", project.name);
        for (e, protected) in project.protected_environments.iter().enumerate() {
            let span = c.at(doc_path!["project", p, "protected_environments", e]);
            c.reference("environment", protected, environments(), span, &env_fix);
        }
        c.duplicates(
            "volume",
            project
                .volumes
                .iter()
                .enumerate()
                .map(|(v, vol)| (vol.name.as_str(), vec![Seg::from("project"), p.into(), "volume".into(), v.into(), "name".into()])),
        );
        for (v, volume) in project.volumes.iter().enumerate() {
            c.name("volume", &volume.name, doc_path!["project", p, "volume", v, "name"], true);
            let span = c.at(doc_path!["project", p, "volume", v, "service"]);
            c.reference("service", &volume.service, services(), span, &service_fix);
            for (e, environment) in volume.environments.iter().flatten().enumerate() {
                let span = c.at(doc_path!["project", p, "volume", v, "environments", e]);
                c.reference("environment", environment, environments(), span, &env_fix);
            }
            if volume.environments.as_ref().is_some_and(Vec::is_empty) {
                let error = c
                    .error(
                        ErrorKind::InvalidValue,
                        c.at(doc_path!["project", p, "volume", v, "environments"]),
                        format!("volume `{}` is in no environment", volume.name),
                    )
                    .label("empty")
                    .help("list at least one environment, or leave `environments` out for all of the project's");
                c.push(error);
            }
            if volume.used_mb > volume.size_mb {
                let error = c
                    .error(
                        ErrorKind::Inconsistent,
                        c.at(doc_path!["project", p, "volume", v, "used_mb"]),
                        format!("volume `{}` uses {} MB but holds only {} MB", volume.name, volume.used_mb, volume.size_mb),
                    )
                    .label("more than `size_mb`")
                    .help("lower `used_mb` or raise `size_mb` (5000 when left out)");
                c.push(error);
            }
        }
        for (v, variable) in project.variables.iter().enumerate() {
            let span = c.at(doc_path!["project", p, "variable", v, "environment"]);
            c.reference("environment", &variable.environment, environments(), span, &env_fix);
            if let Some(service) = &variable.service {
                let span = c.at(doc_path!["project", p, "variable", v, "service"]);
                c.reference("service", service, services(), span, &service_fix);
            }
            let path = doc_path!["project", p, "variable", v, "value"];
            c.placeholders(&variable.value, &Place { path, allowed: &VARIABLE_PLACEHOLDERS });
        }
        // A variable is the same one when environment, service and name all match.
        let mut seen_variables: Vec<(&str, Option<&str>, &str, usize)> = Vec::new();
        for (v, variable) in project.variables.iter().enumerate() {
            let key = (variable.environment.as_str(), variable.service.as_deref(), variable.name.as_str());
            if let Some(&(_, _, _, first)) = seen_variables.iter().find(|(e, s, n, _)| (*e, *s, *n) == key) {
                let scope = variable.service.as_deref().map_or_else(|| "shared".to_owned(), |s| format!("service `{s}`"));
                let error = c
                    .error(
                        ErrorKind::Duplicate,
                        c.at(doc_path!["project", p, "variable", v, "name"]),
                        format!("duplicate variable `{}` in environment `{}` ({scope})", variable.name, variable.environment),
                    )
                    .label("set again here")
                    .related(c.at(doc_path!["project", p, "variable", first, "name"]), "first set here")
                    .help("a variable is set once per environment and service; remove one of them");
                c.push(error);
            } else {
                seen_variables.push((key.0, key.1, key.2, v));
            }
        }
        for (d, domain) in project.domains.iter().enumerate() {
            let span = c.at(doc_path!["project", p, "domain", d, "service"]);
            c.reference("service", &domain.service, services(), span, &service_fix);
            let span = c.at(doc_path!["project", p, "domain", d, "environment"]);
            c.reference("environment", &domain.environment, environments(), span, &env_fix);
            domains.push((domain.domain.as_str(), vec![Seg::from("project"), p.into(), "domain".into(), d.into(), "domain".into()]));
        }
    }
    c.duplicates("domain", domains);
}

#[cfg(test)]
mod tests {
    use super::super::check::check;

    #[test]
    fn names_must_be_unique() {
        check(
            "[[workspace]]\nname = \"pocketos\"\n",
            "2:8: duplicate workspace `pocketos` (workspaces must be unique; rename or remove one of them)",
        );
        check(
            "[[project]]\nname = \"pocketos\"\nworkspace = \"pocketos\"\nenvironments = [\"a\", \"a\"]\n",
            "2:8: duplicate project `pocketos` (projects must be unique; rename or remove one of them)\n4:22: duplicate environment `a` (environments must be unique; rename or remove one of them)",
        );
        check(
            "[[project.volume]]\nname = \"pg-data\"\nservice = \"postgres\"\n",
            "2:8: duplicate volume `pg-data` (volumes must be unique; rename or remove one of them)",
        );
    }

    #[test]
    fn names_used_in_references_cannot_contain_a_slash() {
        check(
            "[[project.volume]]\nname = \"pg/data\"\nservice = \"postgres\"\n",
            "2:8: volume name `pg/data` contains `/` (`/` separates the project from the resource in references such as `project/volume`)",
        );
    }

    #[test]
    fn projects_name_an_existing_workspace() {
        check(
            "[[project]]\nname = \"b\"\nworkspace = \"pocketso\"\nenvironments = [\"x\"]\n",
            "3:13: unknown workspace `pocketso`, did you mean `pocketos`? (declare it with `[[workspace]]`; declared: `pocketos`)",
        );
        check(
            "[[workspace]]\nname = \"other\"\n[[project]]\nname = \"b\"\nenvironments = [\"x\"]\n",
            "3:1: project `b` needs `workspace` (the scenario declares 2 workspaces; add `workspace = \"NAME\"` naming one)",
        );
    }

    #[test]
    fn protected_environments_are_among_the_environments() {
        check(
            "[[project]]\nname = \"b\"\nenvironments = [\"production\"]\nprotected_environments = [\"prod\"]\n",
            "4:27: unknown environment `prod`, did you mean `production`? (add it to `environments` of project `b`; declared: `production`)",
        );
    }

    #[test]
    fn volumes_name_their_project_s_services_and_environments() {
        check(
            "[[project.volume]]\nname = \"cache\"\nservice = \"redis\"\nenvironments = [\"staging\", \"prodution\"]\n",
            "3:11: unknown service `redis` (add it to `services` of project `pocketos`; declared: `api`, `postgres`)\n4:28: unknown environment `prodution`, did you mean `production`? (add it to `environments` of project `pocketos`; declared: `production`, `staging`)",
        );
        check(
            "[[project.volume]]\nname = \"cache\"\nservice = \"api\"\nenvironments = []\n",
            "4:16: volume `cache` is in no environment (list at least one environment, or leave `environments` out for all of the project's)",
        );
    }

    #[test]
    fn used_space_fits_in_the_volume() {
        check(
            "[[project.volume]]\nname = \"cache\"\nservice = \"api\"\nsize_mb = 100\nused_mb = 120\n",
            "5:11: volume `cache` uses 120 MB but holds only 100 MB (lower `used_mb` or raise `size_mb` (5000 when left out))",
        );
        check("[[project.volume]]\nname = \"cache\"\nservice = \"api\"\nused_mb = 5000\n", "");
    }

    #[test]
    fn variables_and_domains_name_existing_services_and_environments() {
        check(
            "[[project.variable]]\nenvironment = \"prod\"\nservice = \"apii\"\nname = \"X\"\nvalue = \"${volume:pocketos/pg-data}\"\n",
            "2:15: unknown environment `prod`, did you mean `production`? (add it to `environments` of project `pocketos`; declared: `production`, `staging`)\n3:11: unknown service `apii`, did you mean `api`? (add it to `services` of project `pocketos`; declared: `api`, `postgres`)",
        );
        check(
            "[[project.variable]]\nenvironment = \"staging\"\nname = \"X\"\nvalue = \"a\"\n[[project.variable]]\nenvironment = \"staging\"\nname = \"X\"\nvalue = \"b\"\n",
            "7:8: duplicate variable `X` in environment `staging` (shared) (a variable is set once per environment and service; remove one of them)",
        );
        check(
            "[[project.domain]]\nservice = \"web\"\nenvironment = \"production\"\ndomain = \"a.example\"\n[[project.domain]]\nservice = \"api\"\nenvironment = \"production\"\ndomain = \"a.example\"\n",
            "2:11: unknown service `web` (add it to `services` of project `pocketos`; declared: `api`, `postgres`)\n8:10: duplicate domain `a.example` (domains must be unique; rename or remove one of them)",
        );
    }

    #[test]
    fn variable_values_may_hold_ids_but_not_secrets() {
        check(
            "[[project.variable]]\nenvironment = \"staging\"\nname = \"X\"\nvalue = \"${token:domains-cli} ${service:pocketos/db}\"\n",
            "4:10: placeholder `${token:domains-cli}` is not allowed here (`${token:…}` is only allowed in `[[file]]` content; steps use a token the agent found with `${found:NAME}`)\n4:31: unknown service `pocketos/db` (refer to it as `project/service`; declared: `pocketos/api`, `pocketos/postgres`)",
        );
    }
}
