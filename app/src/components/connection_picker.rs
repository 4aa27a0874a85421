use leptos::prelude::*;

use crate::api::{RememberConnection, list_connections, remembered_connection};

/// The connection every resource page works on, picked in the top bar.
#[derive(Clone, Copy)]
pub struct SelectedConnection(pub RwSignal<Option<String>>);

/// The connection picked in the top bar; `None` until one exists.
pub fn use_selected_connection() -> RwSignal<Option<String>> {
    expect_context::<SelectedConnection>().0
}

/// The picked connection's name as a form sends it: empty when there is none, which the
/// server refuses with a clear message.
pub fn use_connection_name() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let selected = use_selected_connection();
    move || selected.get_untracked().unwrap_or_default()
}

/// Makes the picked connection available to the frame's picker and its pages.
pub fn provide_selected_connection() {
    provide_context(SelectedConnection(RwSignal::new(None)));
}

/// The top bar's connection dropdown. The choice is remembered in a cookie for the browser
/// session; the first connection is picked when none was.
#[component]
pub fn ConnectionPicker() -> impl IntoView {
    let selected = use_selected_connection();
    let remember = ServerAction::<RememberConnection>::new();
    // Reloaded on every page change, so a connection registered a moment ago is offered.
    let pathname = leptos_router::hooks::use_location().pathname;
    let choices = Resource::new(
        move || pathname.get(),
        |_| async {
            let names: Vec<String> = list_connections()
                .await?
                .into_iter()
                .map(|c| c.config_name)
                .collect();
            let remembered = remembered_connection().await?;
            let initial = remembered.or_else(|| names.first().cloned());
            Ok::<_, ServerFnError>((names, initial))
        },
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let (names, initial) = choices.await.unwrap_or_default();
                let still_listed = selected
                    .get_untracked()
                    .is_some_and(|name| names.contains(&name));
                if !still_listed {
                    selected.set(initial);
                }
                view! {
                    <label class="connection-picker">
                        <span>"Connection"</span>
                        <select
                            on:change=move |ev| {
                                let name = event_target_value(&ev);
                                selected.set(Some(name.clone()));
                                remember.dispatch(RememberConnection { name });
                            }
                        >
                            {names
                                .into_iter()
                                .map(|name| {
                                    let is_selected = {
                                        let name = name.clone();
                                        move || selected.get().as_deref() == Some(name.as_str())
                                    };
                                    view! { <option value=name.clone() selected=is_selected>{name.clone()}</option> }
                                })
                                .collect_view()}
                        </select>
                    </label>
                }
            })}
        </Transition>
    }
}
