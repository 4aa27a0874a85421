use leptos::prelude::*;
use spinneret_drivers::model::VMStatus;

/// A VM status as a coloured badge: settled and well, on its way, broken, or at rest.
#[component]
pub fn StatusBadge(status: VMStatus) -> impl IntoView {
    let tone = match status {
        VMStatus::Running => "running",
        VMStatus::Failed | VMStatus::NotExist => "failed",
        VMStatus::Suspended | VMStatus::Terminated => "idle",
        _ => "transitional",
    };
    view! { <span class=format!("badge {tone}")>{status.as_str()}</span> }
}
