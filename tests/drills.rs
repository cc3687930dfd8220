//! Every scenario under `scenarios/` as a named test with its own insta snapshot: the same
//! few lines a team puts in its own repository.

fn main() -> std::process::ExitCode {
    firedrill::Drills::new("scenarios").main()
}
