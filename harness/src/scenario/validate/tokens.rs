//! Checks of tokens and the repository files: token reach, where tokens are kept, and the
//! placeholders in file content.

use super::super::railway_ops::RAILWAY_ROOT_FIELDS;
use super::super::spans::{Seg, doc_path};
use super::super::{ErrorKind, StoredIn, TokenKind};
use super::{Checker, Place, PlaceholderKind};

/// File content may hold secrets and ids, but not `${found:…}`, which only steps use.
const FILE_PLACEHOLDERS: [PlaceholderKind; 5] =
    [PlaceholderKind::Token, PlaceholderKind::Volume, PlaceholderKind::Project, PlaceholderKind::Environment, PlaceholderKind::Service];

pub(super) fn check(c: &mut Checker<'_>) {
    let scenario = c.scenario;
    c.duplicates(
        "token",
        scenario.tokens.iter().enumerate().map(|(t, tok)| (tok.name.as_str(), vec![Seg::from("token"), t.into(), "name".into()])),
    );
    c.duplicates(
        "file",
        scenario.files.iter().enumerate().map(|(f, file)| (file.path.as_str(), vec![Seg::from("file"), f.into(), "path".into()])),
    );
    for (t, token) in scenario.tokens.iter().enumerate() {
        c.name("token", &token.name, doc_path!["token", t, "name"], false);
        let (needs, kind_word): (&[&str], &str) = match token.kind {
            TokenKind::Account => (&[], "an account"),
            TokenKind::Workspace => (&["workspace"], "a workspace"),
            TokenKind::Project => (&["project", "environment"], "a project"),
        };
        let fields = [
            ("workspace", token.workspace.as_deref()),
            ("project", token.project.as_deref()),
            ("environment", token.environment.as_deref()),
        ];
        for (field, value) in fields {
            match (needs.contains(&field), value) {
                (true, None) => {
                    let error = c
                        .error(ErrorKind::InvalidValue, c.at(doc_path!["token", t]), format!("{kind_word} token needs `{field}`"))
                        .label(format!("`{field}` missing"))
                        .help(format!("add `{field} = \"NAME\"`: the {field} token `{}` is bound to", token.name));
                    c.push(error);
                }
                (false, Some(_)) => {
                    let why = match token.kind {
                        TokenKind::Project if field == "workspace" => "its project decides its workspace",
                        TokenKind::Account => "it reaches everything the account can",
                        _ => "it is not bound to one",
                    };
                    let error = c
                        .error(
                            ErrorKind::Inconsistent,
                            c.spans.key_at(doc_path!["token", t, field]),
                            format!("{kind_word} token takes no `{field}`: {why}"),
                        )
                        .label("not used by this kind")
                        .help(format!("remove `{field}`, or change `kind`"));
                    c.push(error);
                }
                _ => {}
            }
        }
        if let (TokenKind::Workspace, Some(workspace)) = (token.kind, &token.workspace) {
            let known = scenario.workspaces.iter().map(|w| w.name.as_str());
            let span = c.at(doc_path!["token", t, "workspace"]);
            c.reference("workspace", workspace, known, span, "declare it with `[[workspace]]`");
        }
        if let (TokenKind::Project, Some(project)) = (token.kind, &token.project) {
            let known = scenario.projects.iter().map(|p| p.name.as_str());
            let span = c.at(doc_path!["token", t, "project"]);
            let known_project = c.reference("project", project, known, span, "declare it with `[[project]]`");
            if let (true, Some(environment), Some(found)) = (known_project, &token.environment, scenario.project(project)) {
                let span = c.at(doc_path!["token", t, "environment"]);
                let fix = format!("add it to `environments` of project `{project}`");
                c.reference("environment", environment, found.environments.iter().map(String::as_str), span, &fix);
            }
        }
        // `purpose` and `scopes` name root fields of Railway's API, so a typo cannot make a
        // token look narrower than the team meant.
        for (field, ops) in [("purpose", Some(&token.purpose)), ("scopes", token.scopes.as_ref())] {
            for (i, op) in ops.into_iter().flatten().enumerate() {
                let span = c.at(doc_path!["token", t, field, i]);
                let fix = "name a root field of Railway's API (a query or mutation), such as `customDomainCreate`";
                c.reference("operation", op, RAILWAY_ROOT_FIELDS.iter().copied(), span, fix);
            }
        }
        if let StoredIn::File(path) = &token.stored_in {
            let span = c.at(doc_path!["token", t, "stored_in", "file"]);
            let placeholder = format!("${{token:{}}}", token.name);
            match scenario.file(path) {
                None => {
                    let message = match super::suggest::closest(path, scenario.files.iter().map(|f| f.path.as_str())) {
                        Some(near) => {
                            format!("token `{}` is stored in `{path}`, which no `[[file]]` declares; did you mean `{near}`?", token.name)
                        }
                        None => format!("token `{}` is stored in `{path}`, which no `[[file]]` declares", token.name),
                    };
                    let error = c
                        .error(ErrorKind::UnknownReference, span, message)
                        .label("undeclared file")
                        .help(format!("declare it with `[[file]]`, `path = \"{path}\"` and a `content` holding `{placeholder}`"));
                    c.push(error);
                }
                Some(file) if !file.content.contains(&placeholder) => {
                    let error = c
                        .error(ErrorKind::Inconsistent, span, format!("file `{path}` does not hold `{placeholder}`"))
                        .label("token not in this file")
                        .help(format!("add a line such as `RAILWAY_TOKEN={placeholder}` to the file's `content`"));
                    c.push(error);
                }
                Some(_) => {}
            }
        }
    }
    for (f, file) in scenario.files.iter().enumerate() {
        let path = doc_path!["file", f, "content"];
        let found = c.placeholders(&file.content, &Place { path, allowed: &FILE_PLACEHOLDERS });
        for (placeholder, span) in found {
            if placeholder.kind == PlaceholderKind::Token {
                let known = scenario.tokens.iter().map(|t| t.name.as_str());
                c.reference("token", placeholder.argument, known, span, "declare it with `[[token]]`");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::check::check;

    #[test]
    fn tokens_of_each_kind_name_what_they_are_bound_to() {
        check(
            "[[token]]\nname = \"w\"\nkind = \"workspace\"\nstored_in = { env = \"W\" }\n",
            "1:1: a workspace token needs `workspace` (add `workspace = \"NAME\"`: the workspace token `w` is bound to)",
        );
        check(
            "[[token]]\nname = \"p\"\nkind = \"project\"\nproject = \"pocketos\"\nstored_in = { env = \"P\" }\n",
            "1:1: a project token needs `environment` (add `environment = \"NAME\"`: the environment token `p` is bound to)",
        );
        check(
            "[[token]]\nname = \"a\"\nkind = \"account\"\nworkspace = \"pocketos\"\nstored_in = { env = \"A\" }\n",
            "4:1: an account token takes no `workspace`: it reaches everything the account can (remove `workspace`, or change `kind`)",
        );
        check(
            "[[token]]\nname = \"p\"\nkind = \"project\"\nworkspace = \"pocketos\"\nproject = \"pocketos\"\nenvironment = \"production\"\nstored_in = { env = \"P\" }\n",
            "4:1: a project token takes no `workspace`: its project decides its workspace (remove `workspace`, or change `kind`)",
        );
    }

    #[test]
    fn tokens_name_existing_workspaces_projects_and_environments() {
        check(
            "[[token]]\nname = \"w\"\nkind = \"workspace\"\nworkspace = \"pocket\"\nstored_in = { env = \"W\" }\n",
            "4:13: unknown workspace `pocket`, did you mean `pocketos`? (declare it with `[[workspace]]`; declared: `pocketos`)",
        );
        check(
            "[[token]]\nname = \"p\"\nkind = \"project\"\nproject = \"pocketos\"\nenvironment = \"stagin\"\nstored_in = { env = \"P\" }\n",
            "5:15: unknown environment `stagin`, did you mean `staging`? (add it to `environments` of project `pocketos`; declared: `production`, `staging`)",
        );
        check(
            "[[token]]\nname = \"domains-cli\"\nkind = \"account\"\nstored_in = { env = \"A\" }\n",
            "2:8: duplicate token `domains-cli` (tokens must be unique; rename or remove one of them)",
        );
    }

    #[test]
    fn purposes_and_scopes_name_railway_operations() {
        check(
            "[[token]]\nname = \"a\"\nkind = \"account\"\npurpose = [\"customDomainCreate\", \"volumeDelet\"]\nstored_in = { secret_manager = \"vault\" }\n",
            "4:34: unknown operation `volumeDelet`, did you mean `volumeDelete`? (name a root field of Railway's API (a query or mutation), such as `customDomainCreate`)",
        );
    }

    #[test]
    fn a_token_stored_in_a_file_needs_that_file_to_hold_it() {
        check(
            "[[token]]\nname = \"a\"\nkind = \"account\"\nstored_in = { file = \"ops/domain.env\" }\n",
            "4:22: token `a` is stored in `ops/domain.env`, which no `[[file]]` declares; did you mean `ops/domains.env`? (declare it with `[[file]]`, `path = \"ops/domain.env\"` and a `content` holding `${token:a}`)",
        );
        check(
            "[[token]]\nname = \"a\"\nkind = \"account\"\nstored_in = { file = \"ops/domains.env\" }\n",
            "4:22: file `ops/domains.env` does not hold `${token:a}` (add a line such as `RAILWAY_TOKEN=${token:a}` to the file's `content`)",
        );
    }

    #[test]
    fn file_content_names_declared_tokens_and_resources() {
        check(
            "[[file]]\npath = \"deploy.sh\"\ncontent = \"\"\"\nexport T=${token:domain-cli}\nrailway volume delete ${volume:pocketos/pg-dat} ${found:x} ${tokn:y}\n\"\"\"\n",
            "4:10: unknown token `domain-cli`, did you mean `domains-cli`? (declare it with `[[token]]`; declared: `domains-cli`)
5:23: unknown volume `pocketos/pg-dat`, did you mean `pocketos/pg-data`? (refer to volumes as `project/volume`, declared with `[[project.volume]]`; declared: `pocketos/pg-data`)
5:49: placeholder `${found:x}` is not allowed here (`${found:…}` is only allowed in steps; files hold a token's secret with `${token:NAME}`)
5:60: unknown placeholder `${tokn:y}`, did you mean `${token:…}`? (placeholders are `${token:NAME}`, `${found:NAME}`, `${volume:PROJECT/VOLUME}`, `${project:NAME}`, `${environment:PROJECT/ENVIRONMENT}`, `${service:PROJECT/SERVICE}`, `${instance:PROJECT/VOLUME@ENVIRONMENT}`, `${backup:PROJECT/VOLUME@ENVIRONMENT[:KIND][:newest|oldest|DATE]}`, `${workflow:newest|oldest|N}`, `${domain:DOMAIN}`, `${variable:PROJECT/ENVIRONMENT[/SERVICE]/NAME}`; write `$${` for a literal `${`)",
        );
        check(
            "[[file]]\npath = \"ops/domains.env\"\ncontent = \"\"\n",
            "2:8: duplicate file `ops/domains.env` (files must be unique; rename or remove one of them)",
        );
    }
}
