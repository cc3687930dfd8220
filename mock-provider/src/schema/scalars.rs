//! Railway's custom scalars: `DateTime` (RFC 3339 strings) and `EnvironmentVariables` (a JSON
//! object of name → value).

use std::collections::BTreeMap;

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};

use crate::time::Instant;

// Railway's `DateTime`: an RFC 3339 instant with millisecond precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateTime(pub Instant);

impl From<Instant> for DateTime {
    fn from(t: Instant) -> Self {
        DateTime(t)
    }
}

#[Scalar(name = "DateTime")]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => Instant::parse(s).map(DateTime).map_err(InputValueError::custom),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339())
    }
}

// Railway's `EnvironmentVariables`: `Record<string, string>` as a JSON object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnvironmentVariables(pub BTreeMap<String, String>);

#[Scalar(name = "EnvironmentVariables")]
impl ScalarType for EnvironmentVariables {
    fn parse(value: Value) -> InputValueResult<Self> {
        if !matches!(value, Value::Object(_)) {
            return Err(InputValueError::expected_type(value));
        }
        let json = value.into_json().map_err(InputValueError::custom)?;
        serde_json::from_value::<BTreeMap<String, String>>(json)
            .map(EnvironmentVariables)
            .map_err(|e| InputValueError::custom(format!("variables must map names to strings: {e}")))
    }

    fn to_value(&self) -> Value {
        let mut map = async_graphql::indexmap::IndexMap::new();
        for (k, v) in &self.0 {
            map.insert(async_graphql::Name::new(k), Value::String(v.clone()));
        }
        Value::Object(map)
    }
}

// Railway's `DeploymentMeta`: free-form JSON about a deployment. The mock has no deployments, so
// it only ever appears in documents, never in answers.
#[derive(Clone, Debug, PartialEq)]
pub struct DeploymentMeta(pub Value);

#[Scalar(name = "DeploymentMeta")]
impl ScalarType for DeploymentMeta {
    fn parse(value: Value) -> InputValueResult<Self> {
        Ok(DeploymentMeta(value))
    }

    fn to_value(&self) -> Value {
        self.0.clone()
    }
}

// Railway's `EnvironmentConfig`: an environment's serialized config, a JSON object in the shape
// of Railway's environment schema. Output only in the mock.
#[derive(Clone, Debug, PartialEq)]
pub struct EnvironmentConfig(pub serde_json::Value);

#[Scalar(name = "EnvironmentConfig")]
impl ScalarType for EnvironmentConfig {
    fn parse(value: Value) -> InputValueResult<Self> {
        value.into_json().map(EnvironmentConfig).map_err(InputValueError::custom)
    }

    fn to_value(&self) -> Value {
        Value::from_json(self.0.clone()).unwrap_or(Value::Null)
    }
}
