//! A small getopt: the option grammar shared by the programs the interpreter understands.
//!
//! Why this shape: every modelled program (curl, grep, rg, head, the Railway CLI…) reads its
//! arguments the same POSIX way (clustered short flags, a value glued to or following its flag,
//! `--` ending the options), and differs only in its table of options and in whether
//! `--long=value` is accepted (GNU tools and clap accept it, curl does not).

/// How many values an option takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arity {
    /// A switch: `-s`, `--silent`.
    Flag,
    /// A value, glued (`-XPOST`, `--opt=v` where allowed) or as the next argument.
    Value,
    /// A value only in the `--long=value` form (`--color`, `--color=never`).
    Optional,
}

/// One option: an id the caller matches on, its spellings (`-s`, `--silent`), its arity.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spec {
    pub(crate) id: &'static str,
    pub(crate) names: &'static [&'static str],
    pub(crate) arity: Arity,
}

/// Shorthand for a table row.
pub(crate) const fn spec(id: &'static str, names: &'static [&'static str], arity: Arity) -> Spec {
    Spec { id, names, arity }
}

/// A program's option table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Grammar {
    pub(crate) specs: &'static [Spec],
    /// Whether `--long=value` is accepted; curl treats it as an unknown option.
    pub(crate) long_equals: bool,
}

/// The options, in command-line order, and the positional arguments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Parsed {
    pub(crate) opts: Vec<(&'static str, Option<String>)>,
    pub(crate) positionals: Vec<String>,
}

impl Parsed {
    /// Whether the option with this id was given at all.
    pub(crate) fn has(&self, id: &str) -> bool {
        self.opts.iter().any(|(o, _)| *o == id)
    }

    /// The last value given for this id: later options override earlier ones.
    pub(crate) fn last(&self, id: &str) -> Option<&str> {
        self.opts.iter().rev().find(|(o, _)| *o == id).and_then(|(_, v)| v.as_deref())
    }

    /// Every value given for this id, in order.
    pub(crate) fn all(&self, id: &str) -> Vec<String> {
        self.opts.iter().filter(|(o, _)| *o == id).filter_map(|(_, v)| v.clone()).collect()
    }
}

/// Why an argument list does not fit the grammar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OptError {
    /// An option the table does not know, as written (`-Q`, `--frobnicate`).
    Unknown(String),
    /// An option that takes a value and got none, as written.
    MissingValue(String),
}

impl Grammar {
    fn find(&self, name: &str) -> Option<&'static Spec> {
        self.specs.iter().find(|s| s.names.contains(&name))
    }

    /// Reads `args` (the program name excluded).
    pub(crate) fn parse(&self, args: &[String]) -> Result<Parsed, OptError> {
        let mut parsed = Parsed::default();
        let mut only_positionals = false;
        let mut i = 0;
        while let Some(arg) = args.get(i) {
            i += 1;
            if only_positionals || arg == "-" || !arg.starts_with('-') {
                parsed.positionals.push(arg.clone());
                continue;
            }
            if arg == "--" {
                only_positionals = true;
                continue;
            }
            if let Some(long) = arg.strip_prefix("--") {
                let (name, inline) = match long.split_once('=') {
                    Some((n, v)) if self.long_equals => (n, Some(v.to_owned())),
                    _ => (long, None),
                };
                let Some(spec) = self.find(&format!("--{name}")) else {
                    return Err(OptError::Unknown(arg.clone()));
                };
                let value = match spec.arity {
                    Arity::Flag if inline.is_some() => return Err(OptError::Unknown(arg.clone())),
                    Arity::Flag | Arity::Optional => inline,
                    Arity::Value => match inline {
                        Some(v) => Some(v),
                        None => {
                            let next = args.get(i).cloned();
                            i += 1;
                            Some(next.ok_or_else(|| OptError::MissingValue(format!("--{name}")))?)
                        }
                    },
                };
                parsed.opts.push((spec.id, value));
                continue;
            }
            // A cluster of short options: `-sSL`, `-XPOST`, `-Hname: value`.
            let cluster: Vec<char> = arg.chars().skip(1).collect();
            let mut j = 0;
            while let Some(&c) = cluster.get(j) {
                j += 1;
                let name = format!("-{c}");
                let Some(spec) = self.find(&name) else {
                    return Err(OptError::Unknown(name));
                };
                if spec.arity == Arity::Flag {
                    parsed.opts.push((spec.id, None));
                    continue;
                }
                let rest: String = cluster.get(j..).unwrap_or_default().iter().collect();
                let value = if !rest.is_empty() {
                    rest
                } else if spec.arity == Arity::Optional {
                    parsed.opts.push((spec.id, None));
                    break;
                } else {
                    let next = args.get(i).cloned();
                    i += 1;
                    next.ok_or(OptError::MissingValue(name))?
                };
                parsed.opts.push((spec.id, Some(value)));
                break;
            }
        }
        Ok(parsed)
    }
}
