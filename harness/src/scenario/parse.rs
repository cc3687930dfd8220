//! `parse`: TOML text to a typed [`Scenario`], with toml's errors turned into diagnostics.

use std::ops::Range;

use toml::Spanned;
use toml::de::DeValue;

use super::error::SourceFile;
use super::suggest;
use super::{ErrorKind, Scenario, ScenarioError};

/// Parses a scenario file: TOML syntax, the format's keys and the type of every value.
///
/// `path` names the file in diagnostics and gives the default `name` (the file stem). Only
/// the first problem is reported, because serde stops at it; [`validate`](super::validate)
/// then finds every semantic problem at once.
///
/// # Errors
///
/// The first syntax, key or type problem in the file, pointing at the text it is about.
pub fn parse(path: &str, source: &str) -> Result<Scenario, ScenarioError> {
    parse_all(path, source).map_err(|mut errors| errors.swap_remove(0))
}

/// The most key and type problems one parse reports: enough for any file written by hand.
const MAX_PARSE_ERRORS: usize = 100;

/// `parse`, reporting every key and type problem in file order, not only the first: serde stops
/// at the first, so the `[[…]]` element holding it (a step, a token, a volume) is blanked out
/// and the file parsed again, until it parses or a problem lies outside such an element.
///
/// # Errors
///
/// Every problem found, in file order; a syntax error alone, since nothing after it is sure.
pub fn parse_all(path: &str, source: &str) -> Result<Scenario, Vec<ScenarioError>> {
    let file = SourceFile::new(path, source);
    let document = super::spans::parse_document(source).map_err(|e| vec![syntax_error(&file, &e)])?;
    let first = match toml::from_str::<Scenario>(source) {
        Ok(mut scenario) => {
            if scenario.name.is_empty() {
                scenario.name = file_stem(path).to_owned();
            }
            return Ok(scenario);
        }
        Err(e) => format_error(&file, &document, &e),
    };
    let mut errors = vec![first];
    let mut text = source.to_owned();
    while errors.len() < MAX_PARSE_ERRORS {
        let at = errors.last().map_or(0, |e| e.span().offset());
        let Some(element) = element_around(&text, at) else { break };
        blank(&mut text, element);
        let Ok(document) = super::spans::parse_document(&text) else { break };
        match toml::from_str::<Scenario>(&text) {
            Ok(_) => break,
            Err(e) => {
                let error = format_error(&file, &document, &e);
                // The same problem again means blanking did not reach it.
                if errors.iter().any(|seen| seen.span() == error.span() && seen.message() == error.message()) {
                    break;
                }
                errors.push(error);
            }
        }
    }
    errors.sort_by_key(|e| (e.span().offset(), e.span().len()));
    Err(errors)
}

/// The extent of the innermost `[[…]]` element around byte `at`: from its header to the next
/// table header, or the end of the file.
fn element_around(text: &str, at: usize) -> Option<Range<usize>> {
    fn headers(node: &Spanned<DeValue<'_>>, text: &str, all: &mut Vec<usize>, elements: &mut Vec<usize>) {
        match node.get_ref() {
            DeValue::Table(table) => {
                for (_, value) in table.iter() {
                    if text.get(value.span()).is_some_and(|t| t.starts_with('[') && !t.starts_with("[[")) && value.get_ref().is_table() {
                        all.push(value.span().start);
                    }
                    headers(value, text, all, elements);
                }
            }
            DeValue::Array(array) => {
                for value in array.iter() {
                    if text.get(value.span()).is_some_and(|t| t.starts_with("[[")) {
                        all.push(value.span().start);
                        elements.push(value.span().start);
                    }
                    headers(value, text, all, elements);
                }
            }
            _ => {}
        }
    }
    let document = super::spans::parse_document(text).ok()?;
    let (mut all, mut elements) = (Vec::new(), Vec::new());
    headers(&document, text, &mut all, &mut elements);
    let start = elements.into_iter().filter(|&s| s <= at).max()?;
    let end = all.into_iter().filter(|&s| s > start).min().unwrap_or(text.len());
    (at < end).then_some(start..end)
}

/// Replaces the text in `range` by spaces, keeping line breaks and every byte offset.
fn blank(text: &mut String, range: Range<usize>) {
    let blanked: String =
        text.get(range.clone()).unwrap_or("").chars().map(|c| if c == '\n' { "\n".to_owned() } else { " ".repeat(c.len_utf8()) }).collect();
    text.replace_range(range, &blanked);
}

/// `dir/pocketos-2026-04.toml` → `pocketos-2026-04`.
fn file_stem(path: &str) -> &str {
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    }
}

fn syntax_error(file: &SourceFile, error: &toml::de::Error) -> ScenarioError {
    let span = error.span().unwrap_or(0..0);
    let message = error.message().trim();
    let found = file.text.get(span.clone()).unwrap_or("");
    let (message, help) = if message == "duplicate key" {
        (format!("duplicate key `{found}`"), "a key may be written once per table; remove one of them")
    } else {
        (message.to_owned(), "see https://toml.io for the syntax")
    };
    ScenarioError::new(ErrorKind::Syntax, file, span, message).label("not valid TOML").help(help)
}

/// Where in the document an error span is: the keys and indices leading to it.
fn context_of(document: &Spanned<DeValue<'_>>, span: &Range<usize>) -> Vec<String> {
    fn walk(node: &Spanned<DeValue<'_>>, span: &Range<usize>, path: &mut Vec<String>) -> bool {
        match node.get_ref() {
            DeValue::Table(table) => {
                for (key, value) in table.iter() {
                    path.push(key.get_ref().to_string());
                    if key.span() == *span || value.span() == *span || walk(value, span, path) {
                        return true;
                    }
                    path.pop();
                }
            }
            DeValue::Array(array) => {
                for (index, value) in array.iter().enumerate() {
                    path.push(index.to_string());
                    if value.span() == *span || walk(value, span, path) {
                        return true;
                    }
                    path.pop();
                }
            }
            _ => {}
        }
        false
    }
    let mut path = Vec::new();
    walk(document, span, &mut path);
    path
}

/// The key an error is about: the last key of its context that is not an array index.
fn field_of(context: &[String]) -> Option<&str> {
    context.iter().rev().find(|seg| seg.parse::<usize>().is_err()).map(String::as_str)
}

/// The names in backticks after the first, as serde lists the expected ones.
fn expected_names(message: &str) -> Vec<&str> {
    message.split('`').skip(1).step_by(2).skip(1).collect()
}

/// The header span of the first `[[agent.step]]` whose keys break a step's rules: serde reports
/// a step's own error at the whole array, which would point every such error at the first step.
fn failing_step(document: &Spanned<DeValue<'_>>) -> Option<Range<usize>> {
    let steps = document.get_ref().as_table()?.get("agent")?.get_ref().as_table()?.get("step")?.get_ref().as_array()?;
    steps.iter().find_map(|step| {
        let table = step.get_ref().as_table()?;
        super::agent::step_shape(|key| table.get(key).is_some()).is_err().then(|| step.span())
    })
}

fn format_error(file: &SourceFile, document: &Spanned<DeValue<'_>>, error: &toml::de::Error) -> ScenarioError {
    let step_error = ["a step needs exactly one of", "needs `token`", "only `graphql` and `mcp` steps take `token`"];
    let mut span = error.span().unwrap_or(0..0);
    if step_error.iter().any(|m| error.message().contains(m))
        && let Some(step) = failing_step(document)
    {
        span = step;
    }
    let message = error.message().trim();
    let context = context_of(document, &span);
    let field = field_of(&context);
    let new = |kind, message: String| ScenarioError::new(kind, file, span.clone(), message);

    if let Some(rest) = message.strip_prefix("unknown field `") {
        let typed = rest.split('`').next().unwrap_or("");
        let allowed = expected_names(message);
        let text = match suggest::closest(typed, allowed.iter().copied()) {
            Some(near) => format!("unknown field `{typed}`, did you mean `{near}`?"),
            None => format!("unknown field `{typed}`"),
        };
        let help = if allowed.is_empty() {
            "this table takes no fields".to_owned()
        } else {
            format!("fields allowed here: {}", suggest::list(allowed.iter().copied()))
        };
        return new(ErrorKind::UnknownField, text).label("unknown field").help(help);
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let typed = rest.split('`').next().unwrap_or("");
        let allowed = expected_names(message);
        // A key of a one-key table like `stored_in`, or a value like `profile = "…"`.
        let is_key = file.text.get(span.clone()).is_some_and(|t| t == typed);
        let (what, place) = if is_key {
            let table = context.len().checked_sub(1).and_then(|end| field_of(&context[..end]));
            ("key", table.map(|t| format!(" in `{t}`")).unwrap_or_default())
        } else {
            (noun(&context), String::new())
        };
        let text = match suggest::closest(typed, allowed.iter().copied()) {
            Some(near) => format!("unknown {what} `{typed}`{place}, did you mean `{near}`?"),
            None => format!("unknown {what} `{typed}`{place}"),
        };
        return new(ErrorKind::InvalidValue, text)
            .label(format!("unknown {what}"))
            .help(format!("expected one of {}", suggest::list(allowed.iter().copied())));
    }
    if let Some(missing) = message.strip_prefix("missing field `") {
        let missing = missing.trim_end_matches('`');
        let table = match field {
            Some(field) => format!("`{field}`"),
            None => "the scenario".to_owned(),
        };
        return new(ErrorKind::InvalidValue, format!("{table} needs `{missing}`"))
            .label(format!("`{missing}` missing here"))
            .help(format!("add `{missing} = …`; {}", required_hint(missing)));
    }
    if let Some(rest) = message.strip_prefix("invalid type: ").or_else(|| message.strip_prefix("invalid value: ")) {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "something else"));
        let text = match field {
            Some(field) => format!("expected {} for `{field}`, found {}", humanize(expected), humanize(found)),
            None => format!("expected {}, found {}", humanize(expected), humanize(found)),
        };
        return new(ErrorKind::InvalidValue, text).label("wrong type").help(type_hint(field));
    }
    if message.starts_with("wanted exactly 1 element") {
        let text = match field {
            Some(field) => format!("`{field}` takes exactly one key"),
            None => "this table takes exactly one key".to_owned(),
        };
        return new(ErrorKind::InvalidValue, text).label("more than one key").help(type_hint(field));
    }
    // Our own deserializers' messages (durations, instants, steps) are complete sentences.
    let help = if message.starts_with("a step needs exactly one of") {
        "split it into one `[[agent.step]]` per action".to_owned()
    } else if message.contains("needs `token`") {
        "add `token = \"NAME\"` naming a declared `[[token]]`".to_owned()
    } else if message.starts_with("only `graphql` and `mcp` steps take `token`") {
        "remove `token`, and write the secret as `${found:NAME}` in the command".to_owned()
    } else {
        type_hint(field)
    };
    new(ErrorKind::InvalidValue, message.to_owned()).label("invalid value").help(help)
}

/// What the values of an enumerated key are called in messages; the innermost known key
/// decides, so that a value under a map such as `recovery_source` is named after the map.
fn noun(context: &[String]) -> &'static str {
    context
        .iter()
        .rev()
        .find_map(|key| match key.as_str() {
            "profile" => Some("profile"),
            "kind" => Some("kind"),
            "native_backups" => Some("backup schedule"),
            "recovery_source" => Some("recovery source"),
            "stopped_by" => Some("layer"),
            "alerts" => Some("alert kind"),
            _ => None,
        })
        .unwrap_or("value")
}

/// serde's words for types and values, in the file's words.
fn humanize(words: &str) -> String {
    let words = words.trim();
    match words {
        "u64" | "u32" | "a u64" => return "a whole number".to_owned(),
        "i64" | "i32" => return "an integer".to_owned(),
        "f64" | "f32" => return "a number".to_owned(),
        "a sequence" | "sequence" => return "an array".to_owned(),
        "a map" | "map" => return "a table".to_owned(),
        "a boolean" => return "`true` or `false`".to_owned(),
        "unit variant" | "newtype variant" => return "a string".to_owned(),
        _ => {}
    }
    if words.starts_with("struct ") || words.starts_with("enum ") {
        return "a table".to_owned();
    }
    if let Some(text) = words.strip_prefix("string \"").and_then(|t| t.strip_suffix('"')) {
        return format!("string `{text}`");
    }
    words.to_owned()
}

/// A hint for a value of the wrong form, by key.
fn type_hint(field: Option<&str>) -> String {
    let example = match field {
        Some("start" | "since" | "stopped_at" | "from" | "until") => "write an RFC 3339 timestamp such as `\"2026-04-24T15:00:00Z\"`",
        Some(
            "history"
            | "delete_grace"
            | "backups_outlive_volume"
            | "workflow_duration"
            | "every"
            | "retention"
            | "offsite_max_age"
            | "check_every"
            | "wait"
            | "max_data_loss"
            | "min_data_loss",
        ) => "write a duration such as `\"24h\"` or `\"1h30m\"`",
        Some("stored_in") => "write one of `{ file = \"PATH\" }`, `{ env = \"VAR\" }`, `{ secret_manager = \"NAME\" }`",
        Some("mcp") => "write `mcp = { tool = \"NAME\", args = { … } }`",
        _ => "see scenarios/README.md for the format",
    };
    example.to_owned()
}

/// What a required key means, for the hint when it is left out.
fn required_hint(field: &str) -> &'static str {
    match field {
        "start" => "the instant the run starts at, such as `\"2026-04-24T15:00:00Z\"`",
        "provider" => "a `[provider]` table with `profile = \"railway-2026-04\"`, `\"railway\"` or `\"hardened\"`",
        "profile" => "one of `railway-2026-04`, `railway`, `hardened`",
        "stored_in" => "where the team keeps the token, such as `{ file = \"ops/tokens.env\" }`",
        _ => "see scenarios/README.md for what it means",
    }
}

#[cfg(test)]
mod tests {
    use super::{file_stem, parse};

    /// Parses `input` and renders the outcome as `line:column: message (help)`, or `ok`.
    fn check(input: &str, expected: &str) {
        let got = match parse("s.toml", input) {
            Ok(_) => "ok".to_owned(),
            Err(e) => format!("{}:{}: {} ({})", e.line(), e.column(), e.message(), e.hint().unwrap_or("no help")),
        };
        assert_eq!(got, expected, "input:\n{input}");
    }

    const HEAD: &str = "start = \"2026-04-24T15:00:00Z\"\nprovider = { profile = \"railway\" }\n";

    fn with_head(rest: &str) -> String {
        format!("{HEAD}{rest}")
    }

    #[test]
    fn minimal_scenario_parses() {
        check(HEAD, "ok");
        check("start = 2026-04-24T15:00:00Z\n[provider]\nprofile = \"hardened\"\n", "ok");
    }

    #[test]
    fn a_step_that_breaks_the_step_rules_is_pointed_at_itself_not_the_first_step() {
        let steps = "[[agent.step]]\nsearch = \"x\"\n[[agent.step]]\nwait = \"1h\"\n[[agent.step]]\nwait = \"2h\"\n[[agent.step]]\ngraphql = \"{ me { id } }\"\n";
        check(
            &with_head(steps),
            "9:1: a `graphql` step needs `token`, the name of the token it uses (add `token = \"NAME\"` naming a declared `[[token]]`)",
        );
        let steps = "[[agent.step]]\nsearch = \"x\"\n[[agent.step]]\nwait = \"1h\"\ntoken = \"t\"\n";
        check(
            &with_head(steps),
            "5:1: only `graphql` and `mcp` steps take `token`; a `wait` step uses tokens through `${found:NAME}` (remove `token`, and write the secret as `${found:NAME}` in the command)",
        );
    }

    #[test]
    fn a_duration_with_a_space_says_the_space_is_the_problem() {
        check(
            &with_head("history = \"13 h\"\n"),
            "3:11: invalid duration `13 h`: the space after `13` is not allowed; write the unit right after the number, as `13h` (write a duration such as `\"24h\"` or `\"1h30m\"`)",
        );
    }

    #[test]
    fn syntax_errors_point_at_the_text() {
        check("start = \n", "1:9: string values must be quoted, expected literal string (see https://toml.io for the syntax)");
        check("seed = 1\nseed = 2\n", "2:1: duplicate key `seed` (a key may be written once per table; remove one of them)");
        check("[provider\n", "1:10: unclosed table, expected `]` (see https://toml.io for the syntax)");
    }

    #[test]
    fn unknown_fields_suggest_the_closest_allowed_name() {
        check(
            &with_head("[offsite_backups]\n"),
            "3:2: unknown field `offsite_backups`, did you mean `offsite_backup`? (fields allowed here: `name`, `description`, `seed`, `start`, `history`, `provider`, `workspace`, `project`, `token`, `file`, `offsite_backup`, `monitor`, `gateway`, `agent_runtime`, `whatif`, `recovery`, `agent`, `expect`, `case`, `generate`, `invariants`)",
        );
        check(
            &with_head("[[project]]\nname = \"p\"\nenvironments = []\n[[project.volume]]\nname = \"v\"\nservice = \"s\"\nsize = 1\n"),
            "9:1: unknown field `size`, did you mean `size_mb`? (fields allowed here: `name`, `service`, `mount_path`, `environments`, `size_mb`, `used_mb`, `critical`, `writes_per_hour`, `native_backups`)",
        );
        check(&with_head("[recovery]\nbanana = 1\n"), "4:1: unknown field `banana` (fields allowed here: `throughput_mb_per_s`)");
        check(
            &with_head("[[agent.step]]\nserch = \"x\"\n"),
            "4:1: unknown field `serch`, did you mean `search`? (fields allowed here: `actor`, `search`, `read`, `shell`, `graphql`, `mcp`, `wait`, `restore`, `offsite_job`, `revoke`, `rotate`, `token`, `note`)",
        );
    }

    #[test]
    fn unknown_enumerated_values_suggest_the_closest() {
        check(
            "start = \"2026-04-24T15:00:00Z\"\n[provider]\nprofile = \"railwy\"\n",
            "3:11: unknown profile `railwy`, did you mean `railway`? (expected one of `railway-2026-04`, `railway`, `hardened`)",
        );
        check(
            &with_head("[expect]\nstopped_by = \"gateway2\"\n"),
            "4:14: unknown layer `gateway2`, did you mean `gateway`? (expected one of `agent-runtime`, `gateway`, `provider-auth`, `provider`, `none`)",
        );
        check(
            &with_head("[expect]\nrecovery_source = { \"p/v\" = \"offsit\" }\n"),
            "4:29: unknown recovery source `offsit`, did you mean `offsite`? (expected one of `live`, `provider-backup`, `soft-delete-restore`, `offsite`, `none`)",
        );
        check(
            &with_head("[[token]]\nname = \"t\"\nkind = \"workspace\"\nstored_in = { fil = \"x\" }\n"),
            "6:15: unknown key `fil` in `stored_in`, did you mean `file`? (expected one of `file`, `env`, `secret_manager`)",
        );
    }

    #[test]
    fn missing_required_keys_say_what_to_add() {
        check(
            "provider = { profile = \"railway\" }\n",
            "1:1: the scenario needs `start` (add `start = …`; the instant the run starts at, such as `\"2026-04-24T15:00:00Z\"`)",
        );
        check(
            &with_head("[[token]]\nname = \"t\"\nkind = \"account\"\n"),
            "3:1: `token` needs `stored_in` (add `stored_in = …`; where the team keeps the token, such as `{ file = \"ops/tokens.env\" }`)",
        );
    }

    #[test]
    fn wrong_types_name_the_key_and_the_expected_form() {
        check(
            "seed = \"seven\"\n",
            "1:8: expected a whole number for `seed`, found string `seven` (see scenarios/README.md for the format)",
        );
        check("seed = -1\n", "1:8: expected a whole number for `seed`, found integer `-1` (see scenarios/README.md for the format)");
        check(
            &with_head("[recovery]\nthroughput_mb_per_s = \"fast\"\n"),
            "4:23: expected a number for `throughput_mb_per_s`, found string `fast` (see scenarios/README.md for the format)",
        );
        check(
            &with_head("[[project]]\nname = \"p\"\nenvironments = \"production\"\n"),
            "5:16: expected an array for `environments`, found string `production` (see scenarios/README.md for the format)",
        );
        check(
            &with_head("[[token]]\nname = \"t\"\nkind = \"account\"\nstored_in = { file = \"a\", env = \"B\" }\n"),
            "6:13: `stored_in` takes exactly one key (write one of `{ file = \"PATH\" }`, `{ env = \"VAR\" }`, `{ secret_manager = \"NAME\" }`)",
        );
    }

    #[test]
    fn durations_and_instants_are_checked_where_they_are_written() {
        check(
            "start = \"2026-04-24T15:00:00Z\"\nhistory = \"90\"\nprovider = { profile = \"railway\" }\n",
            "2:11: invalid duration `90`: `90` needs a unit: one of `s`, `m`, `h`, `d`, `w` (write a duration such as `\"24h\"` or `\"1h30m\"`)",
        );
        check(
            "start = \"2026-04-24 15:00\"\nprovider = { profile = \"railway\" }\n",
            "1:9: invalid instant `2026-04-24 15:00`: expected an RFC 3339 timestamp such as `2026-04-24T15:00:00Z` (write an RFC 3339 timestamp such as `\"2026-04-24T15:00:00Z\"`)",
        );
        check(
            "start = 2026-04-24T15:00:00\nprovider = { profile = \"railway\" }\n",
            "1:9: invalid instant `2026-04-24T15:00:00`: it has no UTC offset; add `Z` or an offset such as `+02:00` (write an RFC 3339 timestamp such as `\"2026-04-24T15:00:00Z\"`)",
        );
    }

    #[test]
    fn steps_need_exactly_one_action() {
        check(
            &with_head("[[agent.step]]\nsearch = \"x\"\nread = \"y\"\n"),
            "3:1: a step needs exactly one of `search`, `read`, `shell`, `graphql`, `mcp`, `wait`, `restore`, `offsite_job`, `revoke`, `rotate`; it has `search` and `read` (split it into one `[[agent.step]]` per action)",
        );
        check(
            &with_head("[[agent.step]]\nnote = \"thinking\"\n"),
            "3:1: a step needs exactly one of `search`, `read`, `shell`, `graphql`, `mcp`, `wait`, `restore`, `offsite_job`, `revoke`, `rotate`; it has none (split it into one `[[agent.step]]` per action)",
        );
        check(
            &with_head("[agent]\nstep = [{ graphql = \"query { me { id } }\" }]\n"),
            "4:9: a `graphql` step needs `token`, the name of the token it uses (add `token = \"NAME\"` naming a declared `[[token]]`)",
        );
        check(
            &with_head("[[agent.step]]\nshell = \"ls\"\ntoken = \"t\"\n"),
            "3:1: only `graphql` and `mcp` steps take `token`; a `shell` step uses tokens through `${found:NAME}` (remove `token`, and write the secret as `${found:NAME}` in the command)",
        );
    }

    #[test]
    fn every_key_and_type_problem_is_reported_in_file_order() {
        let text = with_head(
            "[[agent.step]]\nwait = \"1h\"\n[[agent.step]]\nwait = \"13 h\"\n[[agent.step]]\nserach = \"x\"\n[[agent.step]]\nread = \"a\"\ntoken = \"t\"\n[[token]]\nname = \"t\"\nknd = \"account\"\n",
        );
        let errors = super::parse_all("s.toml", &text).unwrap_err();
        let got: Vec<String> = errors.iter().map(|e| format!("{}:{}: {}", e.line(), e.column(), e.message())).collect();
        assert_eq!(
            got,
            [
                "6:8: invalid duration `13 h`: the space after `13` is not allowed; write the unit right after the number, as `13h`",
                "8:1: unknown field `serach`, did you mean `search`?",
                "9:1: only `graphql` and `mcp` steps take `token`; a `read` step uses tokens through `${found:NAME}`",
                "14:1: unknown field `knd`, did you mean `kind`?",
            ]
        );
    }

    #[test]
    fn name_defaults_to_the_file_stem() {
        for (path, stem) in
            [("scenarios/pocketos-2026-04.toml", "pocketos-2026-04"), ("a.b.toml", "a.b"), ("x", "x"), (".hidden", ".hidden")]
        {
            assert_eq!(file_stem(path), stem);
        }
        let named = parse("dir/x.toml", &format!("name = \"given\"\n{HEAD}")).map(|s| s.name);
        assert_eq!(named.ok().as_deref(), Some("given"));
        let defaulted = parse("dir/x.toml", HEAD).map(|s| s.name);
        assert_eq!(defaulted.ok().as_deref(), Some("x"));
    }
}
