//! Approvers: who answers when the runtime asks. Models of a person (approves everything,
//! nothing, everything but destructive calls, after reading only the first N characters, with a
//! probability drawn from a seeded generator, until tired) and of the runtimes' classifiers
//! (Claude Code's `auto`, Cursor's Auto-review), which are declared the same way.
//!
//! Why `&self` with interior state: a guardrail judges through `&self`, and an approver that
//! draws randomness or gets tired must remember across prompts. The state is a `Mutex`; a run
//! asks one prompt at a time, so it is never contended, and the answers are a function of the
//! seed and the order of prompts only.

use std::sync::Mutex;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::guardrails::Answer;

/// What an approver is shown.
#[derive(Clone, Debug)]
pub struct Prompt<'a> {
    /// The prompt's text, as the runtime's dialog shows it.
    pub text: &'a str,
    /// Whether the call names a destructive operation of the provider.
    pub destructive: bool,
    /// Which prompt this is for this approver, from 1.
    pub number: u32,
}

/// The answer, and what part of the prompt the approver read if not all of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub answer: Answer,
    pub read: Option<String>,
}

/// Someone (or something) that answers the runtime's approval prompts.
pub trait Approver: Send + Sync {
    /// The approver in a few words, for the report.
    fn describe(&self) -> String;
    fn answer(&self, prompt: &Prompt<'_>) -> Reply;
}

fn reply(approved: bool) -> Reply {
    Reply { answer: if approved { Answer::Approved } else { Answer::Refused }, read: None }
}

/// Approves every prompt.
#[derive(Clone, Debug)]
pub struct ApprovesEverything;
/// `approves_everything()`.
pub fn approves_everything() -> ApprovesEverything {
    ApprovesEverything
}
impl Approver for ApprovesEverything {
    fn describe(&self) -> String {
        "approves everything".into()
    }
    fn answer(&self, _: &Prompt<'_>) -> Reply {
        reply(true)
    }
}

/// Refuses every prompt.
#[derive(Clone, Debug)]
pub struct ApprovesNothing;
/// `approves_nothing()`.
pub fn approves_nothing() -> ApprovesNothing {
    ApprovesNothing
}
impl Approver for ApprovesNothing {
    fn describe(&self) -> String {
        "approves nothing".into()
    }
    fn answer(&self, _: &Prompt<'_>) -> Reply {
        reply(false)
    }
}

/// Approves everything except calls that name a destructive operation.
#[derive(Clone, Debug)]
pub struct ApprovesAllButDestructive;
/// `approves_all_but_destructive()`.
pub fn approves_all_but_destructive() -> ApprovesAllButDestructive {
    ApprovesAllButDestructive
}
impl Approver for ApprovesAllButDestructive {
    fn describe(&self) -> String {
        "approves everything but destructive calls".into()
    }
    fn answer(&self, prompt: &Prompt<'_>) -> Reply {
        reply(!prompt.destructive)
    }
}

/// Reads only the first `n` characters, and approves unless those look destructive.
#[derive(Clone, Debug)]
pub struct ReadsFirst {
    n: usize,
}
/// `reads_first(40)`: a person who reads 40 characters of the prompt and decides on those.
pub fn reads_first(n: usize) -> ReadsFirst {
    ReadsFirst { n }
}
impl Approver for ReadsFirst {
    fn describe(&self) -> String {
        format!("approves after reading the first {} characters", self.n)
    }
    fn answer(&self, prompt: &Prompt<'_>) -> Reply {
        let read: String = prompt.text.chars().take(self.n).collect();
        let whole = read.chars().count() == prompt.text.chars().count();
        let alarming = looks_destructive(&read) || (whole && prompt.destructive);
        Reply { answer: if alarming { Answer::Refused } else { Answer::Approved }, read: (!whole).then_some(read) }
    }
}

/// Words that make a reader stop: a destructive operation's name, or a deleting verb.
pub fn looks_destructive(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    super::call::names_destructive_op(text)
        || ["delete", "destroy", "drop ", "rm -rf", "rm -r ", "truncate", "purge", "wipe"].iter().any(|w| lower.contains(w))
}

/// Approves each prompt with probability `p`, drawn from a generator seeded by the caller.
pub struct ApprovesWithProbability {
    p: f64,
    seed: u64,
    rng: Mutex<ChaCha8Rng>,
}
/// `approves_with_probability(0.3, seed)`; `Err` unless `p` is within 0 and 1.
pub fn approves_with_probability(p: f64, seed: u64) -> Result<ApprovesWithProbability, String> {
    if !(0.0..=1.0).contains(&p) {
        return Err(format!("an approval probability is between 0 and 1, not {p}"));
    }
    Ok(ApprovesWithProbability { p, seed, rng: Mutex::new(ChaCha8Rng::seed_from_u64(seed)) })
}
impl Approver for ApprovesWithProbability {
    fn describe(&self) -> String {
        format!("approves with probability {} (seed {})", self.p, self.seed)
    }
    fn answer(&self, _: &Prompt<'_>) -> Reply {
        let draw: f64 = match self.rng.lock() {
            Ok(mut rng) => rng.random(),
            // A poisoned lock means a panic elsewhere already failed the run; answer no.
            Err(_) => return reply(false),
        };
        reply(draw < self.p)
    }
}

/// Careful for the first `n` prompts (approves all but destructive calls), then tired: approves
/// everything.
#[derive(Clone, Debug)]
pub struct ApprovesWhenTired {
    n: u32,
}
/// `approves_when_tired(3)`: after 3 prompts, approves everything.
pub fn approves_when_tired(n: u32) -> ApprovesWhenTired {
    ApprovesWhenTired { n }
}
impl Approver for ApprovesWhenTired {
    fn describe(&self) -> String {
        format!("careful for {} prompts, then approves everything", self.n)
    }
    fn answer(&self, prompt: &Prompt<'_>) -> Reply {
        reply(prompt.number > self.n || !prompt.destructive)
    }
}

/// A runtime's classifier (Claude Code's `auto` mode, Cursor's Auto-review), declared as one of
/// the models above: the report names it as the classifier.
pub struct Classifier {
    name: &'static str,
    model: Box<dyn Approver>,
}
/// `classifier("Claude Code's auto-mode classifier", approves_all_but_destructive())`.
pub fn classifier(name: &'static str, model: impl Approver + 'static) -> Classifier {
    Classifier { name, model: Box::new(model) }
}
impl Approver for Classifier {
    fn describe(&self) -> String {
        format!("{}, simulated as one that {}", self.name, self.model.describe())
    }
    fn answer(&self, prompt: &Prompt<'_>) -> Reply {
        self.model.answer(prompt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(a: &dyn Approver, text: &str, destructive: bool, number: u32) -> Answer {
        a.answer(&Prompt { text, destructive, number }).answer
    }

    const CURL: &str = r#"Bash command: curl -X POST https://backboard.railway.app/graphql/v2 -d '{"query":"mutation { volumeDelete(volumeId: \"v\") }"}'"#;

    #[test]
    fn each_approver_model_answers_as_named() {
        use Answer::*;
        for (approver, destructive, expected) in [
            (Box::new(approves_everything()) as Box<dyn Approver>, true, Approved),
            (Box::new(approves_nothing()), false, Refused),
            (Box::new(approves_all_but_destructive()), true, Refused),
            (Box::new(approves_all_but_destructive()), false, Approved),
            (Box::new(reads_first(40)), true, Approved),
            (Box::new(reads_first(400)), true, Refused),
        ] {
            assert_eq!(ask(approver.as_ref(), CURL, destructive, 1), expected, "{}", approver.describe());
        }
    }

    #[test]
    fn a_reader_of_40_characters_reports_what_they_read() {
        let r = reads_first(40).answer(&Prompt { text: CURL, destructive: true, number: 1 });
        assert_eq!(r.read.as_deref(), Some("Bash command: curl -X POST https://backb"));
    }

    #[test]
    fn a_tired_approver_approves_everything_after_n_prompts() {
        let a = approves_when_tired(2);
        let answers: Vec<Answer> = (1..=4).map(|n| ask(&a, CURL, true, n)).collect();
        assert_eq!(answers, [Answer::Refused, Answer::Refused, Answer::Approved, Answer::Approved]);
    }

    #[test]
    fn a_probabilistic_approver_is_the_same_for_the_same_seed_and_differs_across_seeds() {
        let run = |seed| {
            let a = approves_with_probability(0.5, seed).unwrap();
            (1..=64).map(|n| ask(&a, CURL, true, n) == Answer::Approved).collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
        let approved = run(7).iter().filter(|a| **a).count();
        assert!((16..=48).contains(&approved), "about half of 64: {approved}");
        assert!(approves_with_probability(1.5, 0).is_err());
        assert!(run_all(approves_with_probability(0.0, 1).unwrap(), false));
        assert!(run_all(approves_with_probability(1.0, 1).unwrap(), true));
    }

    fn run_all(a: ApprovesWithProbability, approved: bool) -> bool {
        (1..=20).all(|n| (ask(&a, CURL, true, n) == Answer::Approved) == approved)
    }
}
