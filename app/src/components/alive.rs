use std::future::IntoFuture;

use leptos::prelude::*;

/// A resource's value to await, or `None` once its page is gone: `alive(list)?.await`.
///
/// When a client hangs up mid-page, Leptos's server-side suspense can poll the page's futures
/// once more after the page's reactive owner was disposed, and awaiting a disposed resource
/// panics. Every `Suspend` awaits its resources through this, and renders nothing for a page
/// nobody will see.
pub fn alive<T, Ser>(
    resource: Resource<T, Ser>,
) -> Option<<Resource<T, Ser> as IntoFuture>::IntoFuture>
where
    T: Clone + Send + Sync + 'static,
{
    (!resource.is_disposed()).then(|| resource.into_future())
}
