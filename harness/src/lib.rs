//! The firedrill harness: scenario files, scripted agents, the guardrail stack, backups, runs
//! and incident reports.

pub mod scenario;
pub mod shell;
