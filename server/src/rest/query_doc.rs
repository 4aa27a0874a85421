//! How the query-reading extractors describe themselves in the API document, so each route's
//! parameters come from what its handler actually reads.

use utoipa::PartialSchema;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::{Required, Schema};

fn optional_builder<S: PartialSchema>(name: &str, description: &str) -> ParameterBuilder {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(S::schema()))
}

/// An optional query parameter of the given schema.
pub fn optional<S: PartialSchema>(name: &str, description: &str) -> Parameter {
    optional_builder::<S>(name, description).build()
}

/// The optional `?ConnectionName=`, with the name "Try the mock cloud" registers as its
/// example, so the viewer's "Try it out" and the API fuzzer reach a real connection.
pub fn connection_name(description: &str) -> Parameter {
    optional_builder::<String>("ConnectionName", description)
        .example(Some(serde_json::json!("mock-config")))
        .build()
}

/// A required query parameter whose values are the given strings.
pub fn one_of(name: &str, description: &str, values: &[&str]) -> Parameter {
    let schema = utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(values.iter().copied()))
        .build();
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::True)
        .description(Some(description))
        .schema(Some(Schema::Object(schema)))
        .build()
}
