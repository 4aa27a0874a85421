//! AdminWeb sign-in: a form post sets an HttpOnly, SameSite=Strict session cookie.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use spinneret_core::{Core, Error, ErrorKind};

use crate::rest::error::ApiError;

const SESSION_COOKIE: &str = "spinneret_session";
pub const LOGIN_PAGE: &str = "/admin/login";

/// Pages without a session go to the login page; server functions answer 401.
pub async fn require_session(
    State(core): State<Core>,
    jar: CookieJar,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if path == LOGIN_PAGE {
        return next.run(request).await;
    }
    let user = match jar.get(SESSION_COOKIE) {
        Some(cookie) => core.admins().session_user(cookie.value()).await,
        None => Ok(None),
    };
    match user {
        Ok(Some(_)) => next.run(request).await,
        Ok(None) if path.starts_with("/api/") => ApiError(Error::unauthorized()).into_response(),
        Ok(None) => Redirect::to(LOGIN_PAGE).into_response(),
        Err(err) => ApiError(err).into_response(),
    }
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: SecretString,
}

pub async fn login(
    State(core): State<Core>,
    client: Option<Extension<ConnectInfo<SocketAddr>>>,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Response {
    let admins = core.admins();
    let client = client.map(|Extension(ConnectInfo(address))| address.ip());
    let outcome = match admins.sign_in(client, &form.username, &form.password).await {
        Ok(()) => admins.open_session(&form.username).await,
        Err(err) => Err(err),
    };
    match outcome {
        Ok(token) => {
            let cookie = Cookie::build((SESSION_COOKIE, token.expose_secret().to_owned()))
                .http_only(true)
                .same_site(SameSite::Strict)
                .path("/");
            (jar.add(cookie), Redirect::to("/admin")).into_response()
        }
        Err(err) if err.kind() == ErrorKind::Unauthorized => {
            tracing::warn!(username = %form.username, "AdminWeb sign-in refused");
            Redirect::to(&format!("{LOGIN_PAGE}?error=1")).into_response()
        }
        Err(err) if err.kind() == ErrorKind::TooManyRequests => {
            tracing::warn!(username = %form.username, "AdminWeb sign-in throttled");
            Redirect::to(&format!("{LOGIN_PAGE}?error=throttled")).into_response()
        }
        Err(err) => ApiError(err).into_response(),
    }
}

pub async fn logout(State(core): State<Core>, jar: CookieJar) -> Response {
    if let Some(cookie) = jar.get(SESSION_COOKIE)
        && let Err(err) = core.admins().close_session(cookie.value()).await
    {
        return ApiError(err).into_response();
    }
    let expired = Cookie::build(SESSION_COOKIE).path("/");
    (jar.remove(expired), Redirect::to(LOGIN_PAGE)).into_response()
}
