//! Each token's reach: every call each operation can make on the world (`State::probes`), the
//! target and class the provider would read from it (`State::probe`) and the provider's own
//! decision (`State::authorize_call`). A token that can mint tokens reaches what they reach.
//!
//! Why grouped by principal: the decision reads a principal's reach and scopes, never its name,
//! so tokens alike in both are decided once; the answer is the provider's either way.

use std::collections::BTreeSet;

use mock_provider::auth::Principal;
use mock_provider::ops::{Op, OpClass};
use mock_provider::{Probe, State, TokenKind};

use super::purpose::findings;
use super::{Facts, Reached, ScopeInput, TokenReach};

/// One allowed call: the operation, the probe (index into the world's probes) and its class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Allowed {
    pub probe: usize,
    pub class: OpClass,
}

/// One token's reach, with each allowed probe and how it is reached (`None`: directly).
pub(crate) type WithProbes = (TokenReach, Vec<(Allowed, Option<String>)>);

/// The world's probes, every operation's, in catalogue order.
pub(crate) struct Probes {
    pub all: Vec<Probe>,
}

impl Probes {
    pub fn of(state: &State) -> Probes {
        Probes { all: Op::ALL.iter().flat_map(|op| state.probes(*op)).collect() }
    }
}

/// What `who` may do directly: each probe the provider allows.
fn direct(state: &State, probes: &Probes, who: &Principal) -> Vec<Allowed> {
    let mut out = Vec::new();
    for (i, p) in probes.all.iter().enumerate() {
        let (Some(target), class) = state.probe(who, p.op, &p.arguments) else { continue };
        if state.authorize_call(who, p.op, class, &target).allowed() {
            out.push(Allowed { probe: i, class });
        }
    }
    out
}

/// Everything `who` reaches, directly and through the tokens it can mint (and those they can
/// mint), each with how: `None` for direct, the minted token's description otherwise.
fn closure(state: &State, facts: &Facts, probes: &Probes, who: &Principal, memo: &mut Memo) -> Vec<(Allowed, Option<String>)> {
    let mut out: Vec<(Allowed, Option<String>)> = memo.direct(state, probes, who).iter().map(|a| (*a, None)).collect();
    let mut seen: BTreeSet<usize> = out.iter().map(|(a, _)| a.probe).collect();
    let mut minted: Vec<TokenKind> = Vec::new();
    let mut queue: Vec<(Principal, Vec<Allowed>, Option<String>)> = vec![(who.clone(), memo.direct(state, probes, who).to_vec(), None)];
    while let Some((minter, allowed, how)) = queue.pop() {
        for a in allowed {
            let p = &probes.all[a.probe];
            let Some(kind) = state.minted_kind(&minter, p.op, &p.arguments) else { continue };
            if minted.contains(&kind) {
                continue;
            }
            minted.push(kind.clone());
            let token = state.principal_of_kind(&kind, None);
            let what = format!("a {} token minted with `{}` on {}", kind.label(), p.op, facts.resource(state, p).label);
            let via = match &how {
                Some(h) => format!("{what}, by {h}"),
                None => what,
            };
            let reached = memo.direct(state, probes, &token).to_vec();
            for r in &reached {
                if seen.insert(r.probe) {
                    out.push((*r, Some(via.clone())));
                }
            }
            queue.push((token, reached, Some(via)));
        }
    }
    out.sort_by_key(|(a, _)| a.probe);
    out
}

/// Direct reach by principal, decided once per distinct (reach, scopes).
#[derive(Default)]
struct Memo {
    seen: Vec<(Principal, Vec<Allowed>)>,
}

impl Memo {
    fn direct(&mut self, state: &State, probes: &Probes, who: &Principal) -> &[Allowed] {
        let at = match self.seen.iter().position(|(p, _)| p.reach == who.reach && p.scopes == who.scopes) {
            Some(i) => i,
            None => {
                self.seen.push((who.clone(), direct(state, probes, who)));
                self.seen.len() - 1
            }
        };
        &self.seen[at].1
    }
}

/// Every scenario token's reach, with its allowed probes (for the agent's paths).
pub(crate) fn all(input: &ScopeInput<'_>, facts: &Facts, probes: &Probes) -> Vec<WithProbes> {
    let state = input.state;
    let mut memo = Memo::default();
    // What any caller may do, with no token at all (telemetry), is nobody's reach.
    let anyone: BTreeSet<usize> = direct(state, probes, &Principal::anonymous()).into_iter().map(|a| a.probe).collect();
    let mut out = Vec::new();
    for t in &input.scenario.tokens {
        let Some(token) = state.token_named(&t.name) else { continue };
        let who = state.principal_of(token);
        let mut allowed = closure(state, facts, probes, &who, &mut memo);
        allowed.retain(|(a, _)| !anyone.contains(&a.probe));
        let reach: Vec<Reached> = allowed
            .iter()
            .map(|(a, via)| {
                let p = &probes.all[a.probe];
                Reached { operation: p.op, class: a.class, resource: facts.resource(state, p), via: via.clone() }
            })
            .collect();
        let mut operations: Vec<Op> = reach.iter().map(|r| r.operation).collect();
        operations.sort();
        operations.dedup();
        let beyond_purpose = findings(&t.name, &t.purpose, &operations, &reach);
        out.push((
            TokenReach {
                token: t.name.clone(),
                kind: token.kind.label().to_string(),
                purpose: t.purpose.clone(),
                operations,
                reach,
                beyond_purpose,
            },
            allowed,
        ));
    }
    out
}
