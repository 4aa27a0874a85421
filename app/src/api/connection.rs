//! Server functions for the connection a page works on: which one it is, and remembering the
//! operator's choice.

use leptos::prelude::*;
use spinneret_drivers::model::ConnectionScope;

#[cfg(feature = "ssr")]
use super::ssr::{core, user_error};

/// The query parameter that names a page's connection.
pub const CONNECTION_PARAM: &str = "connection";

/// `path` for `connection`: how links keep the operator on the same connection.
pub fn connection_href(path: &str, connection: Option<&str>) -> String {
    match connection {
        Some(name) => {
            let encoded: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
            format!("{path}?{CONNECTION_PARAM}={encoded}")
        }
        None => path.to_owned(),
    }
}

/// The cookie that remembers the connection last picked in this browser.
#[cfg(feature = "ssr")]
const CONNECTION_COOKIE: &str = "spinneret_connection";

/// How long the browser remembers the picked connection: a new session starts where the last
/// one left off.
#[cfg(feature = "ssr")]
const REMEMBER_FOR: time::Duration = time::Duration::days(365);

#[cfg(feature = "ssr")]
async fn remembered_connection() -> Result<Option<String>, ServerFnError> {
    let jar: axum_extra::extract::CookieJar = leptos_axum::extract().await?;
    Ok(jar.get(CONNECTION_COOKIE).and_then(|cookie| {
        form_urlencoded::parse(format!("name={}", cookie.value()).as_bytes())
            .next()
            .map(|(_, name)| name.into_owned())
    }))
}

/// The connection a page works on: `requested` (the page's `?connection=`), else the one
/// this browser used last, else the one whose cloud answered most recently, else the first.
/// `None` when no connection is registered.
#[server(name = ResolveConnection, endpoint = "connection/scope")]
pub async fn connection_scope(
    requested: Option<String>,
) -> Result<Option<ConnectionScope>, ServerFnError> {
    let core = core()?;
    let registry = core.registry();
    let name = match requested {
        Some(name) => name,
        None => {
            let remembered = remembered_connection().await?;
            let healthy = core
                .history()
                .last_healthy_connection()
                .await
                .map_err(user_error)?;
            match registry
                .pick_connection([remembered, healthy])
                .await
                .map_err(user_error)?
            {
                Some(connection) => connection.config_name,
                None => return Ok(None),
            }
        }
    };
    registry
        .connection_scope(&name)
        .await
        .map(Some)
        .map_err(user_error)
}

/// Remembers the picked connection in this browser.
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
        .max_age(REMEMBER_FOR)
        .build();
    let value = http::HeaderValue::from_str(&cookie.to_string())
        .map_err(|_| ServerFnError::new("the connection cookie could not be written"))?;
    expect_context::<leptos_axum::ResponseOptions>().append_header(http::header::SET_COOKIE, value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::connection_href;

    #[test]
    fn links_name_their_connection_safely() {
        assert_eq!(connection_href("/admin/vms", None), "/admin/vms");
        assert_eq!(
            connection_href("/admin/vms", Some("aws-config")),
            "/admin/vms?connection=aws-config"
        );
        assert_eq!(
            connection_href("/admin/vpcs", Some("a&b c")),
            "/admin/vpcs?connection=a%26b+c"
        );
    }
}
