//! An environment's serialized config, as Railway's `Environment.config` returns it: the
//! resource graph of one environment in the shape of Railway's environment JSON schema
//! (`services`, `volumes`, `sharedVariables`; the Railway CLI's `EnvironmentConfig`).
//!
//! Why it exists: `railway status` reads it to list an environment's volumes and buckets. Only
//! what the mock models is written; everything else (build, deploy, sources) is left out, which
//! the schema allows since every key is optional.

use serde_json::{Map, Value, json};

use super::State;
use crate::model::ScheduleKind;

impl State {
    /// The config of one environment. Variable values appear only when `decrypt_variables` is
    /// set: without it Railway hands back sealed values, and the mock will not invent ciphertext,
    /// so it leaves variables out rather than return something a client could mistake for them.
    pub(crate) fn environment_config(&self, environment_id: &str, decrypt_variables: bool) -> Value {
        let Some(env) = self.environments.get(environment_id) else { return json!({}) };
        let mut services = Map::new();
        for service in self.services_of(&env.project_id) {
            let mut entry = Map::new();
            let mounts: Map<String, Value> = self
                .instances_in_environment(environment_id)
                .into_iter()
                .filter(|i| i.mounted && i.service_id.as_deref() == Some(service.id.as_str()))
                .map(|i| {
                    // Shortest period first, whatever order the schedules were made in.
                    // (`ScheduleKind` serializes as Railway's enum values.)
                    let mut kinds: Vec<ScheduleKind> = self.schedules_of(&i.id).into_iter().map(|s| s.kind).collect();
                    kinds.sort_by_key(|k| k.every());
                    (i.volume_id.clone(), json!({ "mountPath": i.mount_path, "backupSchedules": kinds }))
                })
                .collect();
            if !mounts.is_empty() {
                entry.insert("volumeMounts".into(), Value::Object(mounts));
            }
            let domains = |names: Vec<(String, Option<i32>)>| -> Value {
                names.into_iter().map(|(d, port)| (d, json!({ "port": port }))).collect::<Map<String, Value>>().into()
            };
            let service_domains =
                self.service_domains_of(&service.id, environment_id).into_iter().map(|d| (d.domain.clone(), d.target_port));
            let custom_domains = self.custom_domains_of(&service.id, environment_id).into_iter().map(|d| (d.domain.clone(), d.target_port));
            entry.insert(
                "networking".into(),
                json!({
                    "serviceDomains": domains(service_domains.collect()),
                    "customDomains": domains(custom_domains.collect()),
                }),
            );
            if decrypt_variables {
                entry.insert("variables".into(), variables(self.own_variables(&env.project_id, environment_id, Some(&service.id))));
            }
            services.insert(service.id.clone(), Value::Object(entry));
        }
        let volumes: Map<String, Value> = self
            .instances_in_environment(environment_id)
            .into_iter()
            // No `region`: the mock does not model regions, and the key is optional.
            .map(|i| (i.volume_id.clone(), json!({ "sizeMB": i.size_mb, "isDeleted": i.pending_deletion })))
            .collect();
        let mut config = Map::new();
        config.insert("services".into(), Value::Object(services));
        config.insert("volumes".into(), Value::Object(volumes));
        if decrypt_variables {
            config.insert("sharedVariables".into(), variables(self.own_variables(&env.project_id, environment_id, None)));
        }
        Value::Object(config)
    }

    /// The variables set at exactly one scope (the environment's shared ones, or one service's).
    fn own_variables(&self, project_id: &str, environment_id: &str, service_id: Option<&str>) -> Vec<(&str, &str)> {
        self.variables
            .iter()
            .filter(|(scope, _)| {
                scope.project_id == project_id && scope.environment_id == environment_id && scope.service_id.as_deref() == service_id
            })
            .flat_map(|(_, vars)| vars.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .collect()
    }
}

fn variables(vars: Vec<(&str, &str)>) -> Value {
    vars.into_iter().map(|(k, v)| (k.to_string(), json!({ "value": v }))).collect::<Map<String, Value>>().into()
}

#[cfg(test)]
mod tests {
    use crate::profile::Profile;
    use crate::state::State;
    use crate::world::{DEMO_HISTORY, WorldSpec, demo_start};

    fn demo() -> State {
        let mut s = State::build(Profile::railway(), 7, demo_start() - DEMO_HISTORY, &WorldSpec::demo()).unwrap();
        s.advance_to(demo_start());
        s
    }

    #[test]
    fn config_lists_the_environments_volume_mounts_with_their_backup_schedules() {
        let s = demo();
        let project = s.project_id("pocketos").unwrap();
        let staging = s.environment_id(&project, "staging").unwrap();
        let volume = s.volume_id(&project, "pg-data").unwrap();
        let postgres = s.service_id(&project, "postgres").unwrap();
        let config = s.environment_config(&staging, false);
        let mount = &config["services"][&postgres]["volumeMounts"][&volume];
        assert_eq!(mount["mountPath"], "/var/lib/postgresql/data", "{config:#}");
        assert_eq!(mount["backupSchedules"], serde_json::json!(["DAILY", "WEEKLY"]), "{config:#}");
        assert!(config["volumes"][&volume]["sizeMB"].as_i64().is_some_and(|mb| mb > 0), "{config:#}");
    }

    #[test]
    fn config_carries_variable_values_only_when_asked_to_decrypt() {
        let s = demo();
        let project = s.project_id("pocketos").unwrap();
        let production = s.environment_id(&project, "production").unwrap();
        let api = s.service_id(&project, "api").unwrap();
        let sealed = s.environment_config(&production, false);
        assert!(sealed["services"][&api].get("variables").is_none(), "{sealed:#}");
        assert!(sealed.get("sharedVariables").is_none(), "{sealed:#}");
        let open = s.environment_config(&production, true);
        assert!(open["services"][&api]["variables"]["DATABASE_URL"]["value"].is_string(), "{open:#}");
    }
}
