//! The clock: `advance_to` runs everything due on the way to an instant, in time order, from a
//! due-queue, so its cost follows the work done rather than the world's size times its events.
//!
//! Why this shape: the old loop rescanned every schedule, backup, workflow, instance and project
//! to find the next due instant, once per event: a world of 800 projects with daily backups took
//! seconds and each doubling quadrupled it. Here the queue is built once per advance from what is
//! due by the target instant, and only the common events (a schedule's run, a backup's expiry)
//! are kept in it precisely. The rare ones (a workflow completing, a purge, a scheduled project
//! deletion) can change anything, so after one the queue is rebuilt from the state; they happen
//! at most once per request that caused them.
//!
//! Scheduled runs whose backup would be born and expire before anything could touch it (before
//! the next rare event, or by the target instant when there is none) are counted in `stats`
//! without being materialized, computed arithmetically per schedule: a span of any length costs
//! a bounded number of steps per schedule and per rare event.

use std::collections::BTreeSet;

use super::{Action, Cause, Change, State};
use crate::model::*;
use crate::ops::ResourceKind;
use crate::time::{Duration, Instant};

/// What is due, in the order `advance_to` runs things due at one instant: workflows first (they
/// were requested earlier), then schedules, expiry, purges and scheduled project deletions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Due {
    Workflow,
    Schedule,
    Expiry,
    Purge,
    ProjectDeletion,
}

impl Due {
    fn rare(self) -> bool {
        matches!(self, Due::Workflow | Due::Purge | Due::ProjectDeletion)
    }
}

/// Everything due by `until`, by (instant, kind, id).
struct Queue {
    until: Instant,
    /// The first rare event, as of the build: only a build adds rare entries.
    rare_at: Option<Instant>,
    active: BTreeSet<(Instant, Due, Id)>,
    /// Schedules on instances that are not serving: they skip their runs, so they never make
    /// the clock stop, but they move on whenever it stops at or past their next run.
    passive: BTreeSet<(Instant, Id)>,
}

impl Queue {
    fn build(s: &State, until: Instant) -> Queue {
        let mut q = Queue { until, rare_at: None, active: BTreeSet::new(), passive: BTreeSet::new() };
        for w in s.workflows.values().filter(|w| w.status == WorkflowStatus::Running) {
            q.add(w.completes_at, Due::Workflow, &w.id);
        }
        for sc in s.schedules.values() {
            q.add_schedule(s, sc);
        }
        for b in s.backups.values() {
            if let Some(e) = b.expires_at {
                q.add(e, Due::Expiry, &b.id);
            }
        }
        for i in s.instances.values().filter(|i| i.pending_deletion) {
            if let Some(t) = i.deleted_at {
                q.add(t, Due::Purge, &i.id);
            }
        }
        for p in s.projects.values() {
            if let Some(t) = p.delete_scheduled_for {
                q.add(t, Due::ProjectDeletion, &p.id);
            }
        }
        q.rare_at = q.active.iter().filter(|(_, due, _)| due.rare()).map(|(t, _, _)| *t).min();
        q
    }

    fn add(&mut self, at: Instant, due: Due, id: &str) {
        if at <= self.until {
            self.active.insert((at, due, id.to_string()));
        }
    }

    fn add_schedule(&mut self, s: &State, sc: &Schedule) {
        if s.instances.get(&sc.volume_instance_id).is_some_and(|i| i.is_live() && i.mounted) {
            self.add(sc.next_run_at, Due::Schedule, &sc.id);
        } else if sc.next_run_at <= self.until {
            self.passive.insert((sc.next_run_at, sc.id.clone()));
        }
    }

    fn next(&self) -> Option<Instant> {
        self.active.first().map(|(t, _, _)| *t)
    }

    /// Entries due at or before `now`: those that sort before the next second's first entry.
    fn due_by(&self, now: Instant) -> impl Iterator<Item = &(Instant, Due, Id)> {
        self.active.range(..(now + Duration::seconds(1), Due::Workflow, String::new()))
    }

    /// True when something of kind `due` is due at or before `now`.
    fn any_due(&self, due: Due, now: Instant) -> bool {
        self.due_by(now).any(|(_, d, _)| *d == due)
    }

    /// Removes and returns, in id order, the ids of kind `due` due at or before `now`.
    fn take(&mut self, due: Due, now: Instant) -> Vec<Id> {
        let hits: Vec<(Instant, Due, Id)> = self.due_by(now).filter(|(_, d, _)| *d == due).cloned().collect();
        let mut ids = Vec::with_capacity(hits.len());
        for hit in hits {
            self.active.remove(&hit);
            ids.push(hit.2);
        }
        if due == Due::Schedule {
            while let Some((t, _)) = self.passive.first()
                && *t <= now
            {
                if let Some((_, id)) = self.passive.pop_first() {
                    ids.push(id);
                }
            }
        }
        ids.sort();
        ids.dedup();
        ids
    }
}

impl State {
    /// Moves the clock to `t`, running everything due on the way in time order.
    /// Time never goes backwards: an earlier `t` is ignored.
    pub fn advance_to(&mut self, t: Instant) {
        let mut q = Queue::build(self, t);
        let mut fresh = true;
        loop {
            if fresh {
                // Nothing but schedules and expiry can happen before the next rare event, so a
                // run whose backup expires before it is counted, not materialized.
                let horizon = q.rare_at.map_or(t, |r| r - Duration::seconds(1));
                self.horizon = Some(horizon);
                self.count_unobservable_runs(&mut q, horizon);
                fresh = false;
            }
            let Some(next) = q.next() else { break };
            if next > t {
                break;
            }
            if next > self.now {
                self.now = next;
            }
            let now = self.now;
            if q.any_due(Due::Workflow, now) {
                self.complete_workflows_due();
                q = Queue::build(self, t);
                fresh = true;
            }
            for id in q.take(Due::Schedule, now) {
                for backup in self.run_schedule(&id) {
                    if let Some(e) = self.backups.get(&backup).and_then(|b| b.expires_at) {
                        q.add(e, Due::Expiry, &backup);
                    }
                }
                if let Some(sc) = self.schedules.get(&id) {
                    q.add_schedule(self, sc);
                }
            }
            for id in q.take(Due::Expiry, now) {
                self.expire_backup(&id, now);
            }
            let rare = q.any_due(Due::Purge, now) || q.any_due(Due::ProjectDeletion, now);
            if rare {
                self.purge_due();
                self.delete_scheduled_projects_due();
                q = Queue::build(self, t);
                fresh = true;
            }
        }
        if t > self.now {
            self.now = t;
        }
        self.horizon = None;
    }

    /// Counts, without materializing, every run of a serving schedule whose backup would be
    /// born and expire by `horizon`: arithmetic per schedule, whatever the span.
    fn count_unobservable_runs(&mut self, q: &mut Queue, horizon: Instant) {
        let entries: Vec<(Instant, Due, Id)> = q.active.iter().filter(|(_, d, _)| *d == Due::Schedule).cloned().collect();
        for entry in entries {
            let Some(sc) = self.schedules.get_mut(&entry.2) else { continue };
            let (every, retention) = (sc.kind.every().as_secs(), sc.kind.retention().as_secs());
            let last = horizon.0.saturating_sub(retention);
            if every <= 0 || sc.next_run_at.0 > last {
                continue;
            }
            let runs = (last - sc.next_run_at.0) / every + 1;
            sc.next_run_at = Instant(sc.next_run_at.0.saturating_add(runs.saturating_mul(every)));
            let runs = runs as u64;
            self.stats.backups_taken += runs;
            self.stats.backups_expired += runs;
            q.active.remove(&entry);
            let sc = sc.clone();
            q.add_schedule(self, &sc);
        }
    }

    fn complete_workflows_due(&mut self) {
        let now = self.now;
        let due: Vec<Id> = self
            .workflows
            .values()
            .filter(|w| w.status == WorkflowStatus::Running && w.completes_at <= now)
            .map(|w| w.id.clone())
            .collect();
        for id in due {
            let origin = self.workflows.get(&id).and_then(|w| w.origin);
            self.caused_by(origin, |s| s.complete_workflow(&id));
        }
    }

    fn expire_backup(&mut self, id: &str, now: Instant) {
        if self.backups.get(id).is_none_or(|b| b.expires_at.is_none_or(|e| e > now)) {
            return;
        }
        if let Some(b) = self.backups.remove(id) {
            self.stats.backups_expired += 1;
            let label = self.backup_label(&b);
            self.caused_by(b.doomed_by, |s| s.push(Cause::Expiry, Change::new(Action::Expired, ResourceKind::Backup, &b.id, label)));
        }
    }

    fn delete_scheduled_projects_due(&mut self) {
        let now = self.now;
        let projects: Vec<Id> =
            self.projects.values().filter(|p| p.delete_scheduled_for.is_some_and(|t| t <= now)).map(|p| p.id.clone()).collect();
        for id in projects {
            let origin = self.projects.get(&id).and_then(|p| p.delete_scheduled_by);
            self.caused_by(origin, |s| {
                for c in s.delete_project_now(&id) {
                    s.push(Cause::Purge, c);
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;
    use crate::state::Command;
    use crate::world::{DEMO_HISTORY, WorldSpec, demo_start};

    /// The clock as a direct reading of its rules: at every step, rescan everything for the
    /// next due instant and run everything due, with the same horizon (one second before the
    /// next rare event, else the target). Quadratic, and obviously right.
    fn naive_advance_to(s: &mut State, t: Instant) {
        loop {
            let workflows = s.workflows.values().filter(|w| w.status == WorkflowStatus::Running).map(|w| w.completes_at).min();
            let purges = s.instances.values().filter(|i| i.pending_deletion).filter_map(|i| i.deleted_at).min();
            let projects = s.projects.values().filter_map(|p| p.delete_scheduled_for).min();
            let rare = [workflows, purges, projects].into_iter().flatten().min();
            s.horizon = Some(match rare {
                Some(r) if r <= t => r - Duration::seconds(1),
                _ => t,
            });
            let schedules = s
                .schedules
                .values()
                .filter(|sc| s.instances.get(&sc.volume_instance_id).is_some_and(|i| i.is_live() && i.mounted))
                .map(|sc| sc.next_run_at)
                .min();
            let expiries = s.backups.values().filter_map(|b| b.expires_at).min();
            let Some(next) = [schedules, expiries, rare].into_iter().flatten().min() else { break };
            if next > t {
                break;
            }
            s.now = s.now.max(next);
            let now = s.now;
            s.complete_workflows_due();
            let due: Vec<Id> = s.schedules.values().filter(|sc| sc.next_run_at <= now).map(|sc| sc.id.clone()).collect();
            for id in due {
                s.run_schedule(&id);
            }
            let expired: Vec<Id> = s.backups.values().filter(|b| b.expires_at.is_some_and(|e| e <= now)).map(|b| b.id.clone()).collect();
            for id in expired {
                s.expire_backup(&id, now);
            }
            s.purge_due();
            s.delete_scheduled_projects_due();
        }
        s.now = s.now.max(t);
        s.horizon = None;
    }

    /// Everything the clock can change, except where a schedule that is not serving will next
    /// run (it moves on whenever the clock stops, and the naive clock stops more often; it is
    /// renormalized when the instance serves again).
    fn observable(s: &State) -> String {
        let serving: Vec<&Schedule> =
            s.schedules.values().filter(|sc| s.instances.get(&sc.volume_instance_id).is_some_and(|i| i.is_live() && i.mounted)).collect();
        format!(
            "now {}\nstats {:?}\nevents {:#?}\nbackups {:#?}\ninstances {:#?}\nworkflows {:#?}\nprojects {:?}\nschedules {:?} serving {:#?}",
            s.now,
            s.stats,
            s.events,
            s.backups,
            s.instances,
            s.workflows,
            s.projects.keys().collect::<Vec<_>>(),
            s.schedules.keys().collect::<Vec<_>>(),
            serving
        )
    }

    fn demo(profile: Profile) -> State {
        let mut s = State::build(profile, 7, demo_start() - DEMO_HISTORY, &WorldSpec::demo()).unwrap();
        naive_advance_to(&mut s, demo_start());
        s
    }

    fn owner(s: &State) -> crate::auth::Principal {
        s.principal_of(s.token_named("owner").unwrap())
    }

    fn pg_data(s: &State) -> Id {
        s.volume_id(&s.project_id("pocketos").unwrap(), "pg-data").unwrap()
    }

    /// Sets up something pending, then advances both clocks by `span` in `steps` equal steps.
    fn check(what: &str, profile: Profile, setup: impl Fn(&mut State), span: Duration, steps: i64) {
        let mut fast = demo(profile);
        let mut naive = fast.clone();
        setup(&mut fast);
        setup(&mut naive);
        for n in 1..=steps {
            let t = demo_start() + Duration::seconds(span.as_secs() * n / steps);
            fast.advance_to(t);
            naive_advance_to(&mut naive, t);
            assert_eq!(observable(&fast), observable(&naive), "{what}, step {n} of {steps} to {t}");
        }
        assert!(fast.invariant_violations().is_empty(), "{what}: {:?}", fast.invariant_violations());
    }

    #[test]
    fn the_due_queue_clock_does_what_the_naive_clock_does() {
        let nothing = |_: &mut State| {};
        let delete_volume = |s: &mut State| {
            let (who, v) = (owner(s), pg_data(s));
            assert!(s.execute(&who, Command::VolumeDelete { volume_id: v }).result.is_ok());
        };
        let manual_backup = |s: &mut State| {
            let who = owner(s);
            let instance = s.instances.values().find(|i| i.is_live()).unwrap().id.clone();
            assert!(s.execute(&who, Command::VolumeInstanceBackupCreate { volume_instance_id: instance, name: None }).result.is_ok());
        };
        let restore_oldest = |s: &mut State| {
            let who = owner(s);
            let b = s.backups.values().min_by_key(|b| b.created_at).unwrap().clone();
            let cmd = Command::VolumeInstanceBackupRestore { backup_id: b.id, volume_instance_id: b.volume_instance_id };
            assert!(s.execute(&who, cmd).result.is_ok());
        };
        let schedule_project_deletion = |s: &mut State| {
            let who = owner(s);
            let id = s.project_id("pocketos").unwrap();
            assert!(s.execute(&who, Command::ProjectScheduleDelete { id }).result.is_ok());
        };
        let everything = |s: &mut State| {
            manual_backup(s);
            restore_oldest(s);
            delete_volume(s);
        };
        for (what, setup) in [
            ("a quiet world", &nothing as &dyn Fn(&mut State)),
            ("a soft-deleted volume", &delete_volume),
            ("a manual backup", &manual_backup),
            ("a restore", &restore_oldest),
            ("a scheduled project deletion", &schedule_project_deletion),
            ("a backup, a restore and a deletion", &everything),
        ] {
            for profile in [Profile::railway(), Profile::railway_2026_04(), Profile::hardened()] {
                for (span, steps) in [
                    (Duration::hours(1), 1),
                    (Duration::days(3), 1),
                    (Duration::days(3), 7),
                    (Duration::days(45), 1),
                    (Duration::days(45), 13),
                    (Duration::days(400), 3),
                ] {
                    check(&format!("{what} under {} over {span}", profile.name), profile.clone(), setup, span, steps);
                }
            }
        }
    }

    #[test]
    fn a_span_of_centuries_takes_a_bounded_number_of_steps() {
        // Not a timing: the counters prove the runs were counted, and the test finishing proves
        // the clock did not step through them one by one.
        let mut s = demo(Profile::railway());
        let before = s.stats;
        let span = Duration::days(365 * 300);
        s.advance_to(demo_start() + span);
        let daily = s.schedules.values().filter(|sc| sc.kind == ScheduleKind::Daily).count() as u64;
        assert!(s.stats.backups_taken - before.backups_taken >= daily * 365 * 299, "{:?}", s.stats);
        assert!(s.backups.len() < 50, "only the backups still within retention exist: {}", s.backups.len());
        assert!(s.invariant_violations().is_empty(), "{:?}", s.invariant_violations());
    }
}
