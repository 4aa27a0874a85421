//! How the AdminWeb shows a cloud's images and specs (the catalogue pages' tables and the VM
//! form's searchable entries) and the call history.

use spinneret_drivers::model::{
    ApiStats, CallLogRecord, ImageInfo, OSArchitecture, OSPlatform, VMSpecInfo,
};

use super::{Choice, Table};

/// CB-Spider's marker for a value that does not apply.
fn known(value: &str) -> Option<&str> {
    let value = value.trim();
    (!value.is_empty() && value != "-1" && value != "NA").then_some(value)
}

/// E.g. "Ubuntu 22.04 · Linux/UNIX · x86_64".
fn image_detail(image: &ImageInfo) -> String {
    let platform =
        (image.os_platform != OSPlatform::NotApplicable).then_some(image.os_platform.as_str());
    let architecture = (image.os_architecture != OSArchitecture::NotApplicable)
        .then_some(image.os_architecture.as_str());
    [known(&image.os_distribution), platform, architecture]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
}

pub fn image_choices(images: &[ImageInfo]) -> Vec<Choice> {
    images
        .iter()
        .map(|image| Choice {
            value: image.iid.name_id.clone(),
            detail: image_detail(image),
        })
        .collect()
}

/// Memory in the largest whole unit: "512 MiB", "4 GiB".
fn memory(mib: &str) -> Option<String> {
    let mib: u64 = known(mib)?.parse().ok()?;
    Some(if mib >= 1024 && mib.is_multiple_of(1024) {
        format!("{} GiB", mib / 1024)
    } else {
        format!("{mib} MiB")
    })
}

/// The images page's table.
pub fn image_table(images: &[ImageInfo]) -> Table {
    Table::of(
        images,
        &[
            ("Name", |image| image.iid.name_id.clone()),
            ("Platform", |image| image.os_platform.as_str().to_owned()),
            ("Distribution", |image| image.os_distribution.clone()),
            ("Architecture", |image| {
                image.os_architecture.as_str().to_owned()
            }),
            ("Disk (GB)", |image| image.os_disk_size_gb.clone()),
            ("Status", |image| image.image_status.as_str().to_owned()),
        ],
    )
}

/// The specs page's table.
pub fn spec_table(specs: &[VMSpecInfo]) -> Table {
    Table::of(
        specs,
        &[
            ("Name", |spec| spec.name.clone()),
            ("vCPUs", |spec| spec.vcpu.count.clone()),
            ("Clock (GHz)", |spec| spec.vcpu.clock_ghz.clone()),
            ("Memory (MiB)", |spec| spec.mem_size_mib.clone()),
            ("GPUs", |spec| {
                spec.gpu
                    .iter()
                    .map(|gpu| format!("{} × {} {}", gpu.count, gpu.mfr, gpu.model))
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
        ],
    )
}

/// E.g. "2 vCPU · 4 GiB · GPU 1 × NVIDIA T4", or "… · no GPU".
fn spec_detail(spec: &VMSpecInfo) -> String {
    let cpus = known(&spec.vcpu.count).map(|count| format!("{count} vCPU"));
    let gpus = if spec.gpu.is_empty() {
        "no GPU".to_owned()
    } else {
        let each = spec
            .gpu
            .iter()
            .map(|gpu| {
                let count = known(&gpu.count).unwrap_or("1");
                let model = [known(&gpu.mfr), known(&gpu.model)]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                format!("{count} × {model}")
            })
            .collect::<Vec<_>>()
            .join(", ");
        format!("GPU {each}")
    };
    [cpus, memory(&spec.mem_size_mib), Some(gpus)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
}

pub fn spec_choices(specs: &[VMSpecInfo]) -> Vec<Choice> {
    specs
        .iter()
        .map(|spec| Choice {
            value: spec.name.clone(),
            detail: spec_detail(spec),
        })
        .collect()
}

/// The call history's records.
pub fn call_table(records: &[CallLogRecord]) -> Table {
    Table::of(
        records,
        &[
            ("Time", |r| r.time.clone()),
            ("Connection", |r| r.connection_name.clone()),
            ("Resource type", |r| r.resource_type.clone()),
            ("Resource", |r| r.resource_name.clone()),
            ("API", |r| r.cloud_os_api.clone()),
            ("Elapsed (s)", |r| r.elapsed_time.clone()),
            ("Error", |r| r.error_msg.clone()),
            ("Request id", |r| r.request_id.clone()),
        ],
    )
}

/// The call history's statistics per API.
pub fn stats_table(stats: &[ApiStats]) -> Table {
    Table::of(
        stats,
        &[
            ("Cloud", |s| s.cloud_os.clone()),
            ("API", |s| s.cloud_os_api.clone()),
            ("Calls", |s| s.count.to_string()),
            ("Errors", |s| s.errors.to_string()),
            ("p50 (ms)", |s| format!("{:.2}", s.p50_ms)),
            ("p99 (ms)", |s| format!("{:.2}", s.p99_ms)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use spinneret_drivers::model::{GpuInfo, VCpuInfo};

    use super::*;

    #[test]
    fn an_image_reads_as_distribution_platform_and_architecture() {
        let image = ImageInfo {
            os_distribution: "Ubuntu 22.04".to_owned(),
            os_platform: OSPlatform::LinuxUnix,
            os_architecture: OSArchitecture::X86_64,
            ..ImageInfo::default()
        };
        assert_eq!(image_detail(&image), "Ubuntu 22.04 · Linux/UNIX · x86_64");
        assert_eq!(image_detail(&ImageInfo::default()), "");
    }

    #[test]
    fn a_spec_reads_as_cpus_memory_and_gpus() {
        let mut spec = VMSpecInfo {
            vcpu: VCpuInfo {
                count: "2".to_owned(),
                clock_ghz: "-1".to_owned(),
            },
            mem_size_mib: "4096".to_owned(),
            ..VMSpecInfo::default()
        };
        assert_eq!(spec_detail(&spec), "2 vCPU · 4 GiB · no GPU");
        spec.mem_size_mib = "512".to_owned();
        spec.gpu = vec![GpuInfo {
            count: "4".to_owned(),
            mfr: "NVIDIA".to_owned(),
            model: "T4".to_owned(),
            ..GpuInfo::default()
        }];
        assert_eq!(spec_detail(&spec), "2 vCPU · 512 MiB · GPU 4 × NVIDIA T4");
    }
}
