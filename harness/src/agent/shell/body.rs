//! Reading a GraphQL request as the provider will see it: its JSON body and its headers.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::curl::GraphqlCall;

/// A GraphQL request body: `{query, variables?, operationName?}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphqlBody {
    pub query: String,
    /// Absent or `null` is `None`.
    pub variables: Option<Map<String, Value>>,
    #[serde(rename = "operationName")]
    pub operation_name: Option<String>,
}

/// Why a body is not a GraphQL request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    #[error("the request has no body")]
    NoBody,
    /// The harness reads the file and calls `parse_graphql_body` on its content.
    #[error("the body is read from the file `{0}`")]
    FromFile(String),
    #[error("the body is not json: {0}")]
    NotJson(String),
    #[error("the body is not a json object")]
    NotAnObject,
    #[error("the body has no `query` string")]
    NoQuery,
    #[error("`variables` is not an object")]
    VariablesNotAnObject,
    #[error("`operationName` is not a string")]
    OperationNameNotAString,
}

/// The call's inline body as a GraphQL request.
pub fn graphql_body(call: &GraphqlCall) -> Result<GraphqlBody, BodyError> {
    match (&call.body, &call.body_from_file) {
        (Some(body), _) => parse_graphql_body(body),
        (None, Some(path)) => Err(BodyError::FromFile(path.clone())),
        (None, None) => Err(BodyError::NoBody),
    }
}

/// A body's text as a GraphQL request; for bodies the harness read from a file.
pub fn parse_graphql_body(text: &str) -> Result<GraphqlBody, BodyError> {
    let value: Value = serde_json::from_str(text).map_err(|e| BodyError::NotJson(e.to_string()))?;
    let Value::Object(mut object) = value else {
        return Err(BodyError::NotAnObject);
    };
    let Some(Value::String(query)) = object.remove("query") else {
        return Err(BodyError::NoQuery);
    };
    let variables = match object.remove("variables") {
        None | Some(Value::Null) => None,
        Some(Value::Object(map)) => Some(map),
        Some(_) => return Err(BodyError::VariablesNotAnObject),
    };
    let operation_name = match object.remove("operationName") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name),
        Some(_) => return Err(BodyError::OperationNameNotAString),
    };
    Ok(GraphqlBody { query, variables, operation_name })
}

/// The first header called `name`, compared case-insensitively as HTTP does.
pub fn header<'a>(call: &'a GraphqlCall, name: &str) -> Option<&'a str> {
    call.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}
