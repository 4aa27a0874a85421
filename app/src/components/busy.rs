//! What an operator sees while something runs: nothing is clickable before it works, a
//! running action shows how long it has taken, and a double click sends one request.

use std::time::Duration;

use leptos::prelude::*;

/// Whether the WASM has taken over the page.
#[derive(Clone, Copy)]
struct Hydrated(ReadSignal<bool>);

/// Tracks hydration once for the whole app: false in the server's HTML and until hydration
/// ends, so buttons that need the WASM stay disabled until they work.
pub fn provide_hydrated() {
    let (hydrated, set_hydrated) = signal(false);
    // Effects run only in the browser, once the page is hydrated.
    Effect::new(move |_| set_hydrated.set(true));
    provide_context(Hydrated(hydrated));
}

/// Whether the page is hydrated, as [`provide_hydrated`] tracks it.
pub fn use_hydrated() -> ReadSignal<bool> {
    expect_context::<Hydrated>().0
}

/// Dispatches the input `make` builds, unless `action` already runs: a double click, or a
/// click while the previous one is in flight, sends one request.
pub fn dispatch_once<S>(action: ServerAction<S>, make: impl FnOnce() -> S)
where
    S: server_fn::ServerFn<Error = ServerFnError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    if !action.pending().get_untracked() {
        action.dispatch(make());
    }
}

/// Whether `action` runs with an input that `matches`: which row's button is the busy one.
pub fn running_for<S>(
    action: ServerAction<S>,
    matches: impl Fn(&S) -> bool + Send + Sync + 'static,
) -> Signal<bool>
where
    S: server_fn::ServerFn<Error = ServerFnError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    Signal::derive(move || {
        action.pending().get()
            && action
                .input()
                .with(|input| input.as_ref().is_some_and(&matches))
    })
}

/// While `busy`: a spinner, `what` is doing, and the seconds it has taken so far.
#[component]
pub fn Busy(#[prop(into)] busy: Signal<bool>, what: &'static str) -> impl IntoView {
    let seconds = RwSignal::new(0u32);
    Effect::new(move |_| {
        if busy.get() {
            seconds.set(0);
            if let Ok(handle) = set_interval_with_handle(
                move || seconds.update(|seconds| *seconds += 1),
                Duration::from_secs(1),
            ) {
                on_cleanup(move || handle.clear());
            }
        }
    });
    move || {
        busy.get().then(|| {
            view! {
                <span class="busy" role="status">
                    <span class="spinner" aria-hidden="true"></span>
                    {what} " " {move || format!("{} s", seconds.get())}
                </span>
            }
        })
    }
}

/// A form's submit button: disabled until the page is hydrated (when `needs_js`) and while
/// `action` runs, with a [`Busy`] beside it.
#[component]
pub fn SubmitButton<S>(
    action: ServerAction<S>,
    text: &'static str,
    /// What the running action is doing, e.g. "Creating the VPC…".
    busy: &'static str,
    /// The form posts JSON built by the page, so it cannot work before hydration.
    #[prop(optional)]
    needs_js: bool,
) -> impl IntoView
where
    S: server_fn::ServerFn<Error = ServerFnError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let hydrated = use_hydrated();
    let pending = action.pending();
    view! {
        <div class="submit-row">
            <button type="submit" disabled=move || (needs_js && !hydrated.get()) || pending.get()>
                {text}
            </button>
            <Busy busy=pending what=busy />
        </div>
    }
}
