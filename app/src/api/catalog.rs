//! Server functions for what a connection's cloud offers, the remembered connection, and the
//! call history.

use leptos::prelude::*;
use spinneret_drivers::model::{ApiStats, CallLogRecord, ImageInfo, VMSpecInfo};

#[cfg(feature = "ssr")]
use super::ssr::{core, in_request, user_error};

/// The cookie that remembers the connection picked in the top bar for this browser session.
#[cfg(feature = "ssr")]
const CONNECTION_COOKIE: &str = "spinneret_connection";

/// The connection picked earlier in this browser session, if it still exists.
#[server(endpoint = "connection/remembered")]
pub async fn remembered_connection() -> Result<Option<String>, ServerFnError> {
    let jar: axum_extra::extract::CookieJar = leptos_axum::extract().await?;
    let remembered = jar.get(CONNECTION_COOKIE).and_then(|cookie| {
        form_urlencoded::parse(format!("name={}", cookie.value()).as_bytes())
            .next()
            .map(|(_, name)| name.into_owned())
    });
    let Some(name) = remembered else {
        return Ok(None);
    };
    let exists = core()?.registry().get_connection(&name).await.is_ok();
    Ok(exists.then_some(name))
}

/// Remembers the picked connection for this browser session.
#[server(endpoint = "connection/remember")]
pub async fn remember_connection(name: String) -> Result<(), ServerFnError> {
    use axum_extra::extract::cookie::{Cookie, SameSite};

    core()?
        .registry()
        .get_connection(&name)
        .await
        .map_err(user_error)?;
    // Names may hold characters a cookie value cannot.
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    let cookie = Cookie::build((CONNECTION_COOKIE, encoded))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .build();
    let value = http::HeaderValue::from_str(&cookie.to_string())
        .map_err(|_| ServerFnError::new("the connection cookie could not be written"))?;
    expect_context::<leptos_axum::ResponseOptions>().append_header(http::header::SET_COOKIE, value);
    Ok(())
}

#[server(endpoint = "images/list")]
pub async fn list_images(connection: String) -> Result<Vec<ImageInfo>, ServerFnError> {
    in_request(core()?.list_images(&connection))
        .await
        .map_err(user_error)
}

#[server(endpoint = "specs/list")]
pub async fn list_specs(connection: String) -> Result<Vec<VMSpecInfo>, ServerFnError> {
    in_request(core()?.list_specs(&connection))
        .await
        .map_err(user_error)
}

/// The call history's filters as the AdminWeb sends them.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HistoryQuery {
    pub connection: String,
    pub resource_type: String,
    pub api: String,
    pub errors_only: bool,
}

#[cfg(feature = "ssr")]
impl HistoryQuery {
    fn filter(self) -> spinneret_core::history::CallFilter {
        let given = |value: String| (!value.trim().is_empty()).then(|| value.trim().to_owned());
        spinneret_core::history::CallFilter {
            connection_name: given(self.connection),
            resource_type: given(self.resource_type),
            api: given(self.api),
            errors_only: self.errors_only,
            ..Default::default()
        }
    }
}

#[server(endpoint = "history/list")]
pub async fn call_history(
    query: HistoryQuery,
) -> Result<(Vec<CallLogRecord>, Vec<ApiStats>), ServerFnError> {
    let core = core()?;
    let filter = query.filter();
    let records = core.history().list(&filter).await.map_err(user_error)?;
    let stats = core.history().stats(&filter).await.map_err(user_error)?;
    Ok((records, stats))
}
