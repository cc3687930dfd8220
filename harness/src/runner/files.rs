//! Finding scenario files: every `*.toml` under the given paths, in a stable order.
//!
//! A folder is walked once whatever links point into it: each directory is entered at most once
//! by its canonical path, so a link to a parent (or two links to each other) is reported, not
//! followed round, and a file reached twice runs once.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The most scenario files one walk collects: far more than any team's corpus, few enough that a
/// mistaken path (`/`) fails at once instead of walking a disk.
pub use crate::scenario::limits::MAX_SCENARIO_FILES;

/// Scenario files under `paths`, and what the walk skipped and why.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Walk {
    pub files: Vec<PathBuf>,
    /// Links that lead back into a folder already walked, as warnings for the user.
    pub skipped: Vec<String>,
}

/// Scenario files under `paths` (files as given, directories recursively, `snapshots/` and
/// `target/` skipped), sorted so runs and test lists never depend on the file system's order.
pub fn scenario_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    walk(paths).map(|w| w.files)
}

/// `scenario_files`, with the links it did not follow.
pub fn walk(paths: &[PathBuf]) -> Result<Walk, String> {
    let mut w = Walker { seen_dirs: BTreeSet::new(), seen_files: BTreeSet::new(), out: Walk::default() };
    for p in paths {
        if p.is_dir() {
            w.dir(p).map_err(|e| format!("cannot read `{}`: {e}", p.display()))?;
        } else if p.is_file() {
            w.file(p.clone())?;
        } else {
            return Err(format!("`{}` does not exist", p.display()));
        }
    }
    w.out.files.sort();
    Ok(w.out)
}

struct Walker {
    seen_dirs: BTreeSet<PathBuf>,
    /// Canonical paths of the files collected, so a file reached through a link runs once.
    seen_files: BTreeSet<PathBuf>,
    out: Walk,
}

impl Walker {
    fn file(&mut self, path: PathBuf) -> Result<(), String> {
        let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if !self.seen_files.insert(canonical) {
            return Ok(());
        }
        if self.out.files.len() == MAX_SCENARIO_FILES {
            return Err(format!(
                "more than {MAX_SCENARIO_FILES} scenario files under the given paths (the walk stopped at `{}`); give the folder of your scenarios",
                path.display()
            ));
        }
        self.out.files.push(path);
        Ok(())
    }

    fn dir(&mut self, dir: &Path) -> std::io::Result<()> {
        let canonical = std::fs::canonicalize(dir)?;
        if !self.seen_dirs.insert(canonical.clone()) {
            self.out.skipped.push(format!(
                "`{}` leads back to `{}`, which is already walked; not followed again",
                dir.display(),
                canonical.display()
            ));
            return Ok(());
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?;
        entries.sort();
        for path in entries {
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n == "snapshots" || n == "target") {
                    continue;
                }
                self.dir(&path)?;
            } else if path.extension().is_some_and(|e| e == "toml") {
                self.file(path).map_err(std::io::Error::other)?;
            }
        }
        Ok(())
    }
}

/// A test name for a scenario file: its path under `root`, without extension, `/` as `::`.
pub fn test_name(root: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(root).unwrap_or(file);
    let rel = rel.with_extension("");
    rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("::")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.toml"), "").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/b.toml"), "").unwrap();
        dir
    }

    #[test]
    fn a_link_back_to_the_folder_is_reported_and_not_followed() {
        let dir = folder();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("again")).unwrap();
        let w = walk(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(w.files.len(), 2, "{:?}", w.files);
        assert_eq!(w.skipped.len(), 2, "{:?}", w.skipped);
    }

    #[test]
    fn two_folders_linked_to_each_other_are_each_walked_once() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["x", "y"] {
            std::fs::create_dir(dir.path().join(name)).unwrap();
            std::fs::write(dir.path().join(name).join(format!("{name}.toml")), "").unwrap();
        }
        std::os::unix::fs::symlink(dir.path().join("y"), dir.path().join("x/to-y")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("x"), dir.path().join("y/to-x")).unwrap();
        let w = walk(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(w.files.len(), 2, "{:?}", w.files);
    }

    #[test]
    fn a_file_reached_through_a_link_runs_once() {
        let dir = folder();
        std::os::unix::fs::symlink(dir.path().join("a.toml"), dir.path().join("sub/a-again.toml")).unwrap();
        assert_eq!(scenario_files(&[dir.path().to_path_buf()]).unwrap().len(), 2);
    }

    #[test]
    fn a_walk_that_finds_more_files_than_the_limit_stops_with_an_error() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..=MAX_SCENARIO_FILES {
            std::fs::write(dir.path().join(format!("{i}.toml")), "").unwrap();
        }
        let err = scenario_files(&[dir.path().to_path_buf()]).unwrap_err();
        assert!(err.contains("more than 10000 scenario files"), "{err}");
    }

    #[test]
    fn a_path_that_does_not_exist_is_an_error() {
        assert!(scenario_files(&[PathBuf::from("/no/such/folder")]).is_err());
    }
}
