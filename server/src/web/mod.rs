//! The AdminWeb: Leptos pages and server functions behind a login session, plus its assets.

mod assets;
mod render_to_end;
mod session;

pub use assets::Assets;

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::post;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use spinneret_app::{App, shell};
use tower_http::limit::RequestBodyLimitLayer;

use crate::AppState;
use crate::rest::BODY_LIMIT;

pub fn router(state: &AppState, assets: &Assets) -> Router<AppState> {
    let core = state.core.clone();
    let options = state.leptos.clone();
    Router::new()
        .leptos_routes_with_context(
            state,
            generate_route_list(App),
            move || provide_context(core.clone()),
            move || shell(options.clone()),
        )
        .route_layer(from_fn(render_to_end::render_to_end))
        .route_layer(from_fn_with_state(
            state.core.clone(),
            session::require_session,
        ))
        .route("/auth/login", post(session::login))
        .route("/auth/logout", post(session::logout))
        // Server functions read their bodies whole: a larger one is refused with 413 before.
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .merge(assets.router())
}
