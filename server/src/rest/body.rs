//! JSON request bodies, read the way CB-Spider's Go decoder reads them: object keys match
//! struct fields case-insensitively, unknown keys are ignored, and errors say where.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::Value;
use spinneret_core::Error;

use super::error::ApiError;

/// A JSON body deserialized into `T`; a bad body is a 400 naming the position or field.
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|err| {
            if err.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                Error::invalid(format!("request body: {}", err.body_text()))
            }
        })?;
        Ok(Self(parse(&bytes)?))
    }
}

/// The largest request body the server reads; CB-Spider's bodies are a few kilobytes.
pub(crate) const BODY_LIMIT: usize = 1024 * 1024;

fn too_large() -> Error {
    Error::new(
        spinneret_core::ErrorKind::TooLarge,
        format!("request body is larger than {} KiB", BODY_LIMIT / 1024),
    )
}

pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::invalid(
            "request body is empty; expected a JSON object",
        ));
    }
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|err| Error::invalid(format!("malformed JSON: {err}")))?;
    serde_path_to_error::deserialize(CaseInsensitive(value)).map_err(|err| {
        let path = err.path().to_string();
        if path == "." {
            Error::invalid(format!("request body: {}", err.inner()))
        } else {
            Error::invalid(format!("{path}: {}", err.inner()))
        }
    })
}

/// A JSON value whose objects, when read as structs, match field names case-insensitively.
struct CaseInsensitive(Value);

impl<'de> IntoDeserializer<'de, serde_json::Error> for CaseInsensitive {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for CaseInsensitive {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Array(items) => {
                let mut seq = SeqDeserializer::new(items.into_iter().map(CaseInsensitive));
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Value::Object(map) => visitor.visit_map(MapDeserializer::new(
                map.into_iter().map(|(k, v)| (k, CaseInsensitive(v))),
            )),
            scalar => scalar.deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            value => visitor.visit_some(CaseInsensitive(value)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let Value::Object(map) = self.0 else {
            return self.deserialize_any(visitor);
        };
        let entries = map.into_iter().map(|(key, value)| {
            let field = match fields.iter().find(|field| field.eq_ignore_ascii_case(&key)) {
                Some(field) => (*field).to_owned(),
                None => key,
            };
            (field, CaseInsensitive(value))
        });
        visitor.visit_map(MapDeserializer::new(entries))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use spinneret_drivers::model::{CredentialInfo, KeyValue};

    use super::*;

    #[test]
    fn keys_match_in_any_case_and_unknown_keys_are_ignored() {
        let body = br#"{"credentialname":"c1","PROVIDERNAME":"mock","Extra":1,
            "keyValueInfoList":[{"key":"MockName","VALUE":"m"}]}"#;
        let info: CredentialInfo = parse(body).unwrap();
        assert_eq!(info.credential_name, "c1");
        assert_eq!(info.provider_name, "mock");
        assert_eq!(info.key_value_info_list, [KeyValue::new("MockName", "m")]);
    }

    #[test]
    fn malformed_json_names_the_position() {
        let err = parse::<CredentialInfo>(b"{\"CredentialName\": }").unwrap_err();
        assert_eq!(err.kind(), spinneret_core::ErrorKind::Invalid);
        assert!(err.message().starts_with("malformed JSON: "), "{err}");
        assert!(err.message().contains("line 1 column 20"), "{err}");
    }

    #[test]
    fn wrong_types_name_the_field() {
        let err = parse::<CredentialInfo>(br#"{"KeyValueInfoList":[{"Key":5}]}"#).unwrap_err();
        assert!(
            err.message()
                .starts_with("KeyValueInfoList[0].Key: invalid type"),
            "{err}"
        );
    }

    #[test]
    fn empty_body_is_refused() {
        let err = parse::<CredentialInfo>(b"  ").unwrap_err();
        assert_eq!(
            err.message(),
            "request body is empty; expected a JSON object"
        );
    }
}
