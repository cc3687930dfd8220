//! Did-you-mean suggestions: the closest allowed name to a misspelled one.

/// The candidate closest to `typed` by edit distance, if it is close enough to be a likely typo.
pub(crate) fn closest<'a, I>(typed: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    // Allow about one edit per four characters, and at least one: `pg-dat` → `pg-data`, but
    // not `pocketos/db` → `pocketos/api`.
    let limit = (typed.chars().count() / 4).max(1);
    candidates
        .into_iter()
        .map(|candidate| (score(typed, candidate), candidate))
        .filter(|(d, candidate)| *d <= limit && *candidate != typed)
        .min_by_key(|(d, _)| *d)
        .map(|(_, candidate)| candidate)
}

/// Candidates as a list for a hint: "`a`, `b`, `c`", or "none" when there are none.
pub(crate) fn list<'a, I>(candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    let items: Vec<String> = candidates.into_iter().map(|c| format!("`{c}`")).collect();
    if items.is_empty() { "none".to_owned() } else { items.join(", ") }
}

/// Edit distance, except that a leading part of the name, such as `size` for `size_mb`, is as
/// close as one edit: people drop suffixes more than they mistype.
fn score(typed: &str, candidate: &str) -> usize {
    let prefix = typed.len() >= 3 && (candidate.starts_with(typed) || typed.starts_with(candidate));
    if prefix { distance(typed, candidate).min(1) } else { distance(typed, candidate) }
}

/// Levenshtein distance over characters, with an adjacent swap counted as one edit.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rolling rows: two back is needed for transpositions.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let substitution = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + substitution);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::{closest, distance};

    #[test]
    fn distance_counts_edits_and_swaps() {
        for (a, b, expected) in [
            ("", "", 0),
            ("abc", "abc", 0),
            ("abc", "", 3),
            ("offsite_backups", "offsite_backup", 1),
            ("pg-dat", "pg-data", 1),
            ("ab", "ba", 1),
            ("kitten", "sitting", 3),
        ] {
            assert_eq!(distance(a, b), expected, "{a} vs {b}");
        }
    }

    #[test]
    fn closest_suggests_only_plausible_typos() {
        let names = ["offsite_backup", "monitor", "recovery", "seed"];
        for (typed, expected) in [
            ("offsite_backups", Some("offsite_backup")),
            ("monitr", Some("monitor")),
            ("sed", Some("seed")),
            ("banana", None),
            ("monitoring", Some("monitor")),
            ("se", None),
            ("seed", None),
        ] {
            assert_eq!(closest(typed, names), expected, "{typed}");
        }
    }
}
