//! A JSON reader that keeps every value's line and column and accepts what JSON-with-comments
//! accepts (`//` and `/* */` comments, trailing commas), noting where it met them, so each
//! runtime can be as strict as it really is and every finding can point into the file.
//!
//! Why not serde_json: findings name the line and column of one rule inside an array, and
//! serde_json keeps no positions; and Cursor's `permissions.json` allows comments while Claude
//! Code's settings do not, so the reader must accept both and say which it saw.

/// A position in a file: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// One JSON value and where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Node>),
    /// Members in file order; a repeated key is kept twice (the last one wins, as in
    /// JavaScript's `JSON.parse`, see `Node::get`).
    Object(Vec<(Key, Node)>),
}

/// An object key and where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

/// A parsed file: the root value and what a strict JSON reader would have refused.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub root: Node,
    /// Where each comment starts.
    pub comments: Vec<Pos>,
    /// Where each trailing comma is.
    pub trailing_commas: Vec<Pos>,
}

/// Why the text is not JSON even with comments allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
}

impl Node {
    /// The member `key` of an object (the last one, if repeated).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Object(members) => members.iter().rev().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self.value {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// What kind of value this is, for messages.
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    /// The value as serde_json's, positions dropped.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Number::from_f64(*n).map_or(serde_json::Value::Null, serde_json::Value::Number),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Array(items) => serde_json::Value::Array(items.iter().map(Node::to_json).collect()),
            Value::Object(members) => serde_json::Value::Object(members.iter().map(|(k, v)| (k.name.clone(), v.to_json())).collect()),
        }
    }
}

/// Deeper nesting than any settings file; bounds the recursion.
const MAX_DEPTH: usize = 128;

/// Parses `text`, accepting comments and trailing commas and recording where they are.
pub fn parse(text: &str) -> Result<Document, SyntaxError> {
    let mut p = Parser { chars: text.chars().collect(), i: 0, line: 1, column: 1, comments: Vec::new(), trailing: Vec::new() };
    // A byte-order mark is accepted by `JSON.parse` callers that strip it; Node's fs does not,
    // but every editor hides it, so it is skipped rather than reported as a syntax error.
    if p.peek() == Some('\u{feff}') {
        p.bump();
    }
    p.blank()?;
    let root = p.value(0)?;
    p.blank()?;
    if p.peek().is_some() {
        return Err(p.error("unexpected text after the end of the value"));
    }
    Ok(Document { root, comments: p.comments, trailing_commas: p.trailing })
}

struct Parser {
    chars: Vec<char>,
    i: usize,
    line: usize,
    column: usize,
    comments: Vec<Pos>,
    trailing: Vec<Pos>,
}

impl Parser {
    fn pos(&self) -> Pos {
        Pos { line: self.line, column: self.column }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn error(&self, message: &str) -> SyntaxError {
        SyntaxError { pos: self.pos(), message: message.into() }
    }

    /// Skips whitespace and comments.
    fn blank(&mut self) -> Result<(), SyntaxError> {
        loop {
            match (self.peek(), self.chars.get(self.i + 1).copied()) {
                (Some(' ' | '\t' | '\n' | '\r'), _) => {
                    self.bump();
                }
                (Some('/'), Some('/')) => {
                    self.comments.push(self.pos());
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                (Some('/'), Some('*')) => {
                    let start = self.pos();
                    self.comments.push(start);
                    self.bump();
                    self.bump();
                    loop {
                        match self.bump() {
                            None => return Err(SyntaxError { pos: start, message: "unclosed `/*` comment".into() }),
                            Some('*') if self.peek() == Some('/') => {
                                self.bump();
                                break;
                            }
                            Some(_) => {}
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        let pos = self.pos();
        let value = match self.peek() {
            Some('{') => self.object(depth)?,
            Some('[') => self.array(depth)?,
            Some('"') => Value::String(self.string()?),
            Some('t') => self.word("true", Value::Bool(true))?,
            Some('f') => self.word("false", Value::Bool(false))?,
            Some('n') => self.word("null", Value::Null)?,
            Some(c) if c == '-' || c.is_ascii_digit() => self.number()?,
            Some(c) => return Err(self.error(&format!("unexpected `{c}`"))),
            None => return Err(self.error("unexpected end of file")),
        };
        Ok(Node { pos, value })
    }

    fn word(&mut self, word: &str, value: Value) -> Result<Value, SyntaxError> {
        for expected in word.chars() {
            if self.peek() != Some(expected) {
                return Err(self.error(&format!("expected `{word}`")));
            }
            self.bump();
        }
        Ok(value)
    }

    fn number(&mut self) -> Result<Value, SyntaxError> {
        let start = self.i;
        let pos = self.pos();
        while self.peek().is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')) {
            self.bump();
        }
        let text: String = self.chars.get(start..self.i).unwrap_or_default().iter().collect();
        text.parse::<f64>().map(Value::Number).map_err(|_| SyntaxError { pos, message: format!("`{text}` is not a number") })
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        let start = self.pos();
        self.bump();
        let mut out = String::new();
        loop {
            match self.bump() {
                None | Some('\n') => return Err(SyntaxError { pos: start, message: "unclosed string".into() }),
                Some('"') => return Ok(out),
                Some('\\') => match self.bump() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some('r') => out.push('\r'),
                    Some('b') => out.push('\u{8}'),
                    Some('f') => out.push('\u{c}'),
                    Some('u') => {
                        let mut code = 0u32;
                        for _ in 0..4 {
                            let digit = self.bump().and_then(|c| c.to_digit(16)).ok_or_else(|| self.error("bad `\\u` escape"))?;
                            code = code * 16 + digit;
                        }
                        out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                    }
                    Some(c @ ('"' | '\\' | '/')) => out.push(c),
                    _ => return Err(self.error("bad escape in string")),
                },
                Some(c) => out.push(c),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        self.bump();
        let mut items = Vec::new();
        loop {
            self.blank()?;
            if self.peek() == Some(']') {
                self.bump();
                return Ok(Value::Array(items));
            }
            items.push(self.value(depth + 1)?);
            self.blank()?;
            match self.peek() {
                Some(',') => {
                    let comma = self.pos();
                    self.bump();
                    self.blank()?;
                    if self.peek() == Some(']') {
                        self.trailing.push(comma);
                    }
                }
                Some(']') => {}
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        self.bump();
        let mut members = Vec::new();
        loop {
            self.blank()?;
            match self.peek() {
                Some('}') => {
                    self.bump();
                    return Ok(Value::Object(members));
                }
                Some('"') => {}
                _ => return Err(self.error("expected a `\"key\"` or `}`")),
            }
            let pos = self.pos();
            let name = self.string()?;
            self.blank()?;
            if self.peek() != Some(':') {
                return Err(self.error("expected `:` after the key"));
            }
            self.bump();
            self.blank()?;
            let value = self.value(depth + 1)?;
            members.push((Key { name, pos }, value));
            self.blank()?;
            match self.peek() {
                Some(',') => {
                    let comma = self.pos();
                    self.bump();
                    self.blank()?;
                    if self.peek() == Some('}') {
                        self.trailing.push(comma);
                    }
                }
                Some('}') => {}
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_keeps_its_line_and_column() {
        let doc = parse("{\n  \"permissions\": {\n    \"deny\": [\"Bash(curl:*)\", \"Read(./.env)\"]\n  }\n}").unwrap();
        let deny = doc.root.get("permissions").and_then(|p| p.get("deny")).and_then(Node::as_array).unwrap();
        assert_eq!(deny[0].pos, Pos { line: 3, column: 14 });
        assert_eq!(deny[1].pos, Pos { line: 3, column: 30 });
        assert!(doc.comments.is_empty() && doc.trailing_commas.is_empty());
    }

    #[test]
    fn comments_and_trailing_commas_are_accepted_and_recorded() {
        let doc = parse("// team settings\n{ /* a */ \"a\": [1, 2,], }").unwrap();
        assert_eq!(doc.comments, vec![Pos { line: 1, column: 1 }, Pos { line: 2, column: 3 }]);
        assert_eq!(doc.trailing_commas.len(), 2);
        assert_eq!(doc.root.get("a").unwrap().to_json(), serde_json::json!([1.0, 2.0]));
    }

    #[test]
    fn syntax_errors_point_where_the_reading_stopped() {
        let check = |text: &str, line: usize, column: usize| {
            let e = parse(text).unwrap_err();
            assert_eq!((e.pos.line, e.pos.column), (line, column), "{text:?}: {e:?}");
        };
        check("{\"a\": }", 1, 7);
        check("{\n\"a\" 1}", 2, 5);
        check("[1, 2", 1, 6);
        check("\"open", 1, 1);
        check("{} x", 1, 4);
    }

    #[test]
    fn escapes_and_a_repeated_key_read_as_javascript_reads_them() {
        let doc = parse(r#"{"k": "a\u0041\n\"", "k": "last"}"#).unwrap();
        assert_eq!(doc.root.get("k").and_then(Node::as_str), Some("last"));
        let first = &doc.root.as_object().unwrap()[0].1;
        assert_eq!(first.as_str(), Some("aA\n\""));
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = "[".repeat(500);
        assert!(parse(&deep).unwrap_err().message.contains("nested"));
    }
}
