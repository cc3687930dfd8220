//! What-if: which single change (or smallest set of changes) would have saved the team. The
//! catalogue of mitigations is derived from the scenario (`mitigation`), each runs as a patched
//! copy of the scenario file (`matrix`), and the matrix is laid out as text, Markdown, JSON or
//! HTML (`render`).

mod matrix;
mod mitigation;
mod render;

pub use matrix::{MAX_SET, Matrix, Outcome, Row, Source, judge, matrix, sufficient};
pub use mitigation::{FORBID_DESTRUCTIVE_ON_CRITICAL, Mitigation, catalogue};
pub use render::{html_section, markdown, text};
