//! The optional rate limiter: Railway's hourly budget per token, on the simulated clock.
//!
//! Why keyed by the resolved token: `Bearer <t>`, `bearer <t>`, `Bearer  <t>` and a bare `<t>`
//! all reach the same token, so they share one budget; keying on the raw header gave each
//! spelling a fresh one. Credentials that name no token (none, unknown, malformed) share a
//! single budget, so inventing headers buys nothing. Only the current window is kept: the map
//! holds at most one count per token plus one, whatever the request stream.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;

use super::RateLimit;
use crate::model::Id;
use crate::provider::Provider;
use crate::request::Credentials;

pub(crate) struct RateLimiter {
    limit: RateLimit,
    windows: Mutex<Window>,
}

/// The counts of one hour of simulated time; `None` is every credential that names no token.
#[derive(Default)]
struct Window {
    hour: i64,
    counts: HashMap<Option<Id>, u32>,
}

/// What the limiter lets through: the values of the `X-RateLimit-*` headers.
pub(crate) struct Allowed {
    limit: u32,
    remaining: u32,
    reset: i64,
}

impl Allowed {
    pub(crate) fn apply(&self, resp: &mut Response) {
        let h = resp.headers_mut();
        h.insert("x-ratelimit-limit", HeaderValue::from(self.limit));
        h.insert("x-ratelimit-remaining", HeaderValue::from(self.remaining));
        h.insert("x-ratelimit-reset", HeaderValue::from(self.reset));
    }
}

/// A request over the budget: what its 429 says.
pub(crate) struct Limited {
    allowed: Allowed,
    retry_after: i64,
}

impl Limited {
    pub(crate) fn response(&self) -> Response {
        let mut resp = super::envelope::refuse(StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED", "Rate limit exceeded");
        resp.headers_mut().insert("retry-after", HeaderValue::from(self.retry_after));
        self.allowed.apply(&mut resp);
        resp
    }
}

impl RateLimiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        RateLimiter { limit, windows: Mutex::new(Window::default()) }
    }

    /// Counts one request; `Err` is the 429 to send instead of an answer.
    pub(crate) fn check(&self, provider: &Provider, credentials: &Credentials) -> Result<Allowed, Limited> {
        let key = token_of(provider, credentials);
        let now = provider.now().0;
        let hour = now.div_euclid(3600);
        let count = {
            let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
            if w.hour != hour {
                // The clock only moves forward: older windows can never count again.
                w.counts.clear();
                w.hour = hour;
            }
            let c = w.counts.entry(key).or_insert(0);
            *c = c.saturating_add(1);
            *c
        };
        let reset = (hour + 1) * 3600;
        let per_hour = self.limit.per_hour;
        if count > per_hour {
            return Err(Limited { allowed: Allowed { limit: per_hour, remaining: 0, reset }, retry_after: reset - now });
        }
        Ok(Allowed { limit: per_hour, remaining: per_hour - count, reset })
    }

    #[cfg(test)]
    fn keys(&self) -> usize {
        self.windows.lock().unwrap_or_else(|p| p.into_inner()).counts.len()
    }
}

/// The token the provider would resolve these credentials to, as `Provider::execute` does.
fn token_of(provider: &Provider, credentials: &Credentials) -> Option<Id> {
    let (header, secret) = credentials.secret()?;
    let principal = provider.with_state(|s| s.principal_for_secret(secret))?;
    if header == crate::request::PROJECT_ACCESS_TOKEN && principal.kind_label() != "project" {
        return None;
    }
    principal.token_id
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Profile;

    fn creds(authorization: Option<String>, project: Option<String>) -> Credentials {
        Credentials { authorization, project_access_token: project, ..Credentials::default() }
    }

    #[test]
    fn every_spelling_of_one_token_shares_one_budget() {
        let p = Provider::demo(Profile::railway()).unwrap();
        let owner = p.with_state(|s| s.token_named("owner").unwrap().secret.clone());
        let limiter = RateLimiter::new(RateLimit { per_hour: 4 });
        for (n, header) in
            [format!("Bearer {owner}"), format!("bearer {owner}"), format!("Bearer  {owner}"), owner.clone()].into_iter().enumerate()
        {
            let allowed = limiter.check(&p, &creds(Some(header.clone()), None)).ok().unwrap();
            assert_eq!(allowed.remaining, 3 - n as u32, "{header}");
        }
        assert!(limiter.check(&p, &creds(Some(format!("Bearer {owner}")), None)).is_err(), "the fifth spelling is over the budget");
    }

    #[test]
    fn credentials_that_name_no_token_share_one_bounded_budget() {
        let p = Provider::demo(Profile::railway()).unwrap();
        let limiter = RateLimiter::new(RateLimit { per_hour: 1_000_000 });
        for n in 0..2000 {
            let junk = format!("Bearer firedrill-fake-{n}-{}", "x".repeat(1000));
            assert!(limiter.check(&p, &creds(Some(junk), None)).is_ok());
            assert!(limiter.check(&p, &creds(None, Some(format!("nope-{n}")))).is_ok());
        }
        assert!(limiter.check(&p, &creds(None, None)).is_ok());
        assert_eq!(limiter.keys(), 1, "one shared bucket for every unknown credential");
    }

    #[test]
    fn a_new_hour_forgets_the_old_counts() {
        let p = Provider::demo(Profile::railway()).unwrap();
        let owner = p.with_state(|s| s.token_named("owner").unwrap().secret.clone());
        let limiter = RateLimiter::new(RateLimit { per_hour: 1 });
        assert!(limiter.check(&p, &creds(Some(owner.clone()), None)).is_ok());
        assert!(limiter.check(&p, &creds(Some(owner.clone()), None)).is_err());
        p.advance_by(crate::time::Duration::hours(1));
        assert!(limiter.check(&p, &creds(Some(owner), None)).is_ok());
        assert_eq!(limiter.keys(), 1);
    }
}
