//! `World::fork`: a copy of a built world (its history already synthesized) for one more run,
//! at the cost of cloning the provider's state and the off-site store's objects.
//!
//! INVARIANT: a run on a fork reports byte for byte what a run on a fresh build of the same
//! scenario reports for the same steps (`generate::campaign`'s tests check it). History makes
//! no request, so a provider wrapped around the state after history has nothing else to copy.

use mock_provider::Provider;

use super::World;

impl World {
    /// A copy of this world as it was built: the provider's state (after history), the repository,
    /// keys and environment, and the off-site job over a fork of its store.
    pub fn fork(&self, seed: u64) -> World {
        World {
            provider: Provider::from_state(self.provider.snapshot(), seed),
            repo: self.repo.clone(),
            keys: self.keys.clone(),
            agent_env: self.agent_env.clone(),
            held: self.held.clone(),
            offsite: self.offsite.as_ref().map(crate::recovery::OffsiteJob::fork),
            start: self.start,
            history_start: self.history_start,
            history: self.history.clone(),
        }
    }
}
