//! Images and VM specs of the connection the page is opened for.

use leptos::prelude::*;
use leptos_meta::Title;
use spinneret_drivers::model::{ImageInfo, VMSpecInfo};

use crate::api::{list_images, list_specs};
use crate::components::{Column, ConnectionScoped, DataGrid, LiveRecords, scoped_records};

fn image_grid(images: Vec<ImageInfo>) -> impl IntoView {
    let columns = vec![
        Column {
            header: "Name",
            cell: |image: &ImageInfo| image.iid.name_id.clone(),
        },
        Column {
            header: "Platform",
            cell: |image: &ImageInfo| image.os_platform.as_str().to_owned(),
        },
        Column {
            header: "Distribution",
            cell: |image: &ImageInfo| image.os_distribution.clone(),
        },
        Column {
            header: "Architecture",
            cell: |image: &ImageInfo| image.os_architecture.as_str().to_owned(),
        },
        Column {
            header: "Disk (GB)",
            cell: |image: &ImageInfo| image.os_disk_size_gb.clone(),
        },
        Column {
            header: "Status",
            cell: |image: &ImageInfo| image.image_status.as_str().to_owned(),
        },
    ];
    view! { <DataGrid rows=Signal::derive(move || images.clone()) columns label="images" /> }
}

fn spec_grid(specs: Vec<VMSpecInfo>) -> impl IntoView {
    let columns = vec![
        Column {
            header: "Name",
            cell: |spec: &VMSpecInfo| spec.name.clone(),
        },
        Column {
            header: "vCPUs",
            cell: |spec: &VMSpecInfo| spec.vcpu.count.clone(),
        },
        Column {
            header: "Clock (GHz)",
            cell: |spec: &VMSpecInfo| spec.vcpu.clock_ghz.clone(),
        },
        Column {
            header: "Memory (MiB)",
            cell: |spec: &VMSpecInfo| spec.mem_size_mib.clone(),
        },
        Column {
            header: "GPUs",
            cell: |spec: &VMSpecInfo| {
                spec.gpu
                    .iter()
                    .map(|gpu| format!("{} × {} {}", gpu.count, gpu.mfr, gpu.model))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        },
    ];
    view! { <DataGrid rows=Signal::derive(move || specs.clone()) columns label="specs" /> }
}

#[component]
pub fn ImagesPage() -> impl IntoView {
    view! {
        <Title text="Images · Spinneret" />
        <h1>"VM images"</h1>
        <p class="lead">"The images the connection's cloud offers in its region."</p>
        <ConnectionScoped page=|scope| {
            view! {
                <section class="card">
                    <h2>"Images in " {scope.name.clone()}</h2>
                    <LiveRecords records=scoped_records(&scope, list_images, || ()) render=image_grid />
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
            view! {
                <section class="card">
                    <h2>"Specs in " {scope.name.clone()}</h2>
                    <LiveRecords records=scoped_records(&scope, list_specs, || ()) render=spec_grid />
                </section>
            }
        } />
    }
}
