use leptos::prelude::*;

use super::FormErrors;

/// The outcome of the last form submission: a short confirmation, or the server's error inline.
#[component]
pub fn ActionStatus(#[prop(into)] result: Signal<Option<Result<String, String>>>) -> impl IntoView {
    // Inside a form with field errors, the message names the field as the form does.
    let form = use_context::<FormErrors>();
    move || match result.get() {
        None => None,
        Some(Ok(done)) => Some(view! { <p class="notice ok" role="status">{done}</p> }.into_any()),
        Some(Err(error)) => {
            let error = form.map_or(error.clone(), |form| form.worded(&error));
            Some(view! { <p class="notice error" role="alert">{error}</p> }.into_any())
        }
    }
}

/// The outcome of a server action as [`ActionStatus`] shows it: `done` describes a success,
/// errors show the server's message.
pub fn outcome<S>(
    action: ServerAction<S>,
    done: impl Fn(&S::Output) -> String + Send + Sync + 'static,
) -> Signal<Option<Result<String, String>>>
where
    S: server_fn::ServerFn<Error = ServerFnError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || {
        action
            .value()
            .get()
            .map(|result| result.as_ref().map(&done).map_err(crate::api::error_text))
    })
}
