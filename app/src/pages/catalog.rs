//! Images and VM specs of the connection the page is opened for.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{image_table, spec_table};
use crate::components::{ConnectionScoped, ServerTable};

#[component]
pub fn ImagesPage() -> impl IntoView {
    view! {
        <Title text="Images · Spinneret" />
        <h1>"VM images"</h1>
        <p class="lead">"The images the connection's cloud offers in its region."</p>
        <ConnectionScoped page=|scope| {
            let connection = scope.name.clone();
            let table = Resource::new(|| (), move |_| image_table(connection.clone()));
            view! {
                <section class="card">
                    <h2>"Images in " {scope.name}</h2>
                    <ServerTable table label="images" />
                </section>
            }
        } />
    }
}

#[component]
pub fn SpecsPage() -> impl IntoView {
    view! {
        <Title text="Specs · Spinneret" />
        <h1>"VM specs"</h1>
        <p class="lead">"The instance types the connection's cloud offers in its region."</p>
        <ConnectionScoped page=|scope| {
            let connection = scope.name.clone();
            let table = Resource::new(|| (), move |_| spec_table(connection.clone()));
            view! {
                <section class="card">
                    <h2>"Specs in " {scope.name}</h2>
                    <ServerTable table label="specs" />
                </section>
            }
        } />
    }
}
