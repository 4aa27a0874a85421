//! The connection a page works on lives in its URL (`?connection=`), not in shared state: a
//! page rendered for one connection can never act on another, the server and the browser
//! always agree on it, and links, bookmarks and the dashboard's counts can name it.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

use crate::api::{RememberConnection, connection_scope, list_connections};

/// The query parameter that names a page's connection.
const PARAM: &str = "connection";

/// The connection the page's URL names, if it names one.
pub fn use_connection_param() -> Memo<Option<String>> {
    let query = use_query_map();
    Memo::new(move |_| {
        query
            .with(|query| query.get(PARAM))
            .filter(|name| !name.is_empty())
    })
}

/// `path` for `connection`: how links keep the operator on the same connection.
pub fn connection_href(path: &str, connection: Option<&str>) -> String {
    match connection {
        Some(name) => {
            let encoded: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
            format!("{path}?{PARAM}={encoded}")
        }
        None => path.to_owned(),
    }
}

/// The top bar's connection dropdown. Picking one opens the same page for it and remembers
/// the choice in this browser. Without JavaScript it is a plain GET form.
#[component]
pub fn ConnectionPicker() -> impl IntoView {
    let requested = use_connection_param();
    let pathname = use_location().pathname;
    let navigate = use_navigate();
    let remember = ServerAction::<RememberConnection>::new();
    // Reloaded on every page change, so a connection registered a moment ago is offered.
    let choices = Resource::new(
        move || (pathname.get(), requested.get()),
        |(_, requested)| async move {
            let names: Vec<String> = list_connections()
                .await?
                .into_iter()
                .map(|c| c.config_name)
                .collect();
            let current = connection_scope(requested).await?.map(|scope| scope.name);
            Ok::<_, ServerFnError>((names, current))
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
                    let (names, current) = choices.await.unwrap_or_default();
                    view! {
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
                    }
                })
            }}
        </Transition>
    }
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
