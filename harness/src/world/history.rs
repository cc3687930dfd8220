//! Synthesizing history: the provider's schedules and the team's off-site job run from the start
//! of history to the scenario's start, so the world has the backups and dumps it would have.

use mock_provider::Provider;
use mock_provider::time::Instant;

use crate::agent::Channel;
use crate::recovery::OffsiteJob;
use crate::report::TimelineEvent;

/// Runs history from `history_start` to `start` and says what it did.
pub fn synthesize(provider: &Provider, offsite: Option<&mut OffsiteJob>, history_start: Instant, start: Instant) -> TimelineEvent {
    // Provider schedules run first: nothing in history changes a volume's write model, so the
    // off-site job can read any past instant's records from the state at `start`.
    provider.advance_to(start);
    let mut event =
        TimelineEvent::new(history_start, "history", Channel::Simulated, format!("history synthesized from {history_start} to {start}"));
    let stats = provider.with_state(|s| s.stats());
    event.effect.push(format!("provider took {} scheduled backups and expired {}", stats.backups_taken, stats.backups_expired));
    if let Some(job) = offsite {
        provider.with_state(|s| job.run_history(s, start));
        event.effect.push(job.history_summary());
    }
    event
}
