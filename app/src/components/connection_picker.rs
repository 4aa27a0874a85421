//! The connection a page works on lives in its URL (`?connection=`), not in shared state: a
//! page rendered for one connection can never act on another, the server and the browser
//! always agree on it, and links, bookmarks and the dashboard's counts can name it.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

use spinneret_drivers::model::ConnectionScope;

use super::alive;

use crate::api::{
    CONNECTION_PARAM as PARAM, RememberConnection, connection_href, connection_scope,
    list_connections,
};

/// The connection the page works on, resolved once per page and shared by the picker and the
/// page's content.
pub type PageConnection = Resource<Result<Option<ConnectionScope>, ServerFnError>>;

/// The connection the page's URL names, if it names one.
pub fn use_connection_param() -> Memo<Option<String>> {
    let query = use_query_map();
    Memo::new(move |_| {
        query
            .with(|query| query.get(PARAM))
            .filter(|name| !name.is_empty())
    })
}

/// Resolves the page's connection from its URL, for the frame's picker and its page. Keyed
/// by the URL's value alone, so the server and the browser resolve the same one.
pub fn provide_page_connection() {
    let requested = use_connection_param();
    let scope: PageConnection = Resource::new(move || requested.get(), connection_scope);
    provide_context(scope);
}

/// The page's connection, as [`provide_page_connection`] resolves it.
pub fn use_page_connection() -> PageConnection {
    expect_context::<PageConnection>()
}

/// The top bar's connection dropdown. Picking one opens the same page for it and remembers
/// the choice in this browser. Without JavaScript it is a plain GET form.
#[component]
pub fn ConnectionPicker() -> impl IntoView {
    let current = use_page_connection();
    let pathname = use_location().pathname;
    let navigate = use_navigate();
    let remember = ServerAction::<RememberConnection>::new();
    // Reloaded on every page change, so a connection registered a moment ago is offered.
    let names = Resource::new(
        move || pathname.get(),
        |_| async {
            let connections = list_connections().await?;
            Ok::<_, ServerFnError>(
                connections
                    .into_iter()
                    .map(|c| c.config_name)
                    .collect::<Vec<_>>(),
            )
        },
    );
    let switch = move |ev: leptos::ev::Event| {
        let name = event_target_value(&ev);
        let href = connection_href(&pathname.get_untracked(), Some(&name));
        remember.dispatch(RememberConnection { name });
        navigate(&href, NavigateOptions::default());
    };
    view! {
        <Transition fallback=|| ()>
            {move || {
                let switch = switch.clone();
                Suspend::new(async move {
                    let names = alive(names)?.await.unwrap_or_default();
                    let current = alive(current)?.await.ok().flatten().map(|scope| scope.name);
                    Some(view! {
                        <form method="get" class="connection-picker">
                            <label>
                                <span>"Connection"</span>
                                <select name=PARAM on:change=switch>
                                    {names
                                        .into_iter()
                                        .map(|name| {
                                            let selected = current.as_deref() == Some(name.as_str());
                                            view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
                                        })
                                        .collect_view()}
                                </select>
                            </label>
                            // For browsers without JavaScript; hidden once the page is hydrated.
                            // (Not <noscript>: its content is text to a scripting browser,
                            // which hydration cannot match.)
                            <button type="submit" class="secondary switch">"Switch"</button>
                        </form>
                    })
                })
            }}
        </Transition>
    }
}
