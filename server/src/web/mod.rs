//! The AdminWeb: Leptos pages and server functions behind a login session, plus its assets.

mod session;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::post;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use spinneret_app::{App, shell};
use tower_http::services::{ServeDir, ServeFile};

use crate::AppState;

pub fn router(state: &AppState) -> Router<AppState> {
    let core = state.core.clone();
    let options = state.leptos.clone();
    let site_root = std::path::PathBuf::from(options.site_root.as_ref());
    Router::new()
        .leptos_routes_with_context(
            state,
            generate_route_list(App),
            move || provide_context(core.clone()),
            move || shell(options.clone()),
        )
        .route_layer(from_fn_with_state(
            state.core.clone(),
            session::require_session,
        ))
        .route("/auth/login", post(session::login))
        .route("/auth/logout", post(session::logout))
        .nest_service("/pkg", ServeDir::new(site_root.join("pkg")))
        .route_service(
            "/favicon.ico",
            ServeFile::new(site_root.join("favicon.ico")),
        )
        .route_service(
            "/favicon.svg",
            ServeFile::new(site_root.join("favicon.svg")),
        )
}
