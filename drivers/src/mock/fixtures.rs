//! The mock cloud's images and specs: CB-Spider's fixture names and values.

use crate::model::{
    GpuInfo, Iid, ImageInfo, ImageStatus, OSArchitecture, OSPlatform, VCpuInfo, VMSpecInfo,
};

/// (id, architecture, platform, distribution, disk size in GB)
const IMAGES: [(&str, OSArchitecture, OSPlatform, &str, u32); 5] = [
    (
        "mock-vmimage-01",
        OSArchitecture::X86_64,
        OSPlatform::LinuxUnix,
        "Ubuntu 18.04",
        35,
    ),
    (
        "mock-vmimage-02",
        OSArchitecture::Arm64,
        OSPlatform::LinuxUnix,
        "CentOS 8",
        40,
    ),
    (
        "mock-vmimage-03",
        OSArchitecture::X86_64,
        OSPlatform::Windows,
        "Windows Server 2019",
        50,
    ),
    (
        "mock-vmimage-04",
        OSArchitecture::Arm64,
        OSPlatform::LinuxUnix,
        "Ubuntu 22.04",
        35,
    ),
    (
        "mock-vmimage-05",
        OSArchitecture::X86_64,
        OSPlatform::LinuxUnix,
        "Amazon Linux 2",
        30,
    ),
];

/// One spec row of mock-driver.md; GPUs are NVIDIA V100s.
struct SpecFixture {
    name: &'static str,
    vcpus: u32,
    clock_ghz: &'static str,
    mem_mib: u32,
    gpu_count: u32,
    gpu_mem_gb: u32,
}

const SPECS: [SpecFixture; 4] = [
    SpecFixture {
        name: "mock-vmspec-01",
        vcpus: 4,
        clock_ghz: "2.7",
        mem_mib: 32768,
        gpu_count: 2,
        gpu_mem_gb: 512,
    },
    SpecFixture {
        name: "mock-vmspec-02",
        vcpus: 4,
        clock_ghz: "3.2",
        mem_mib: 32768,
        gpu_count: 1,
        gpu_mem_gb: 512,
    },
    SpecFixture {
        name: "mock-vmspec-03",
        vcpus: 8,
        clock_ghz: "2.7",
        mem_mib: 62464,
        gpu_count: 0,
        gpu_mem_gb: 0,
    },
    SpecFixture {
        name: "mock-vmspec-04",
        vcpus: 8,
        clock_ghz: "2.7",
        mem_mib: 1024,
        gpu_count: 0,
        gpu_mem_gb: 0,
    },
];

pub fn images() -> Vec<ImageInfo> {
    IMAGES
        .iter()
        .map(
            |&(id, os_architecture, os_platform, distribution, disk_gb)| ImageInfo {
                iid: Iid::new(id, id),
                name: id.replace("mock-vmimage-", "mock-vmimage-name-"),
                os_architecture,
                os_platform,
                os_distribution: distribution.to_owned(),
                os_disk_type: "gp3".to_owned(),
                os_disk_size_gb: disk_gb.to_string(),
                image_status: ImageStatus::Available,
                key_value_list: Vec::new(),
            },
        )
        .collect()
}

pub fn specs(region: &str) -> Vec<VMSpecInfo> {
    SPECS
        .iter()
        .map(|spec| VMSpecInfo {
            region: region.to_owned(),
            name: spec.name.to_owned(),
            vcpu: VCpuInfo {
                count: spec.vcpus.to_string(),
                clock_ghz: spec.clock_ghz.to_owned(),
            },
            mem_size_mib: spec.mem_mib.to_string(),
            disk_size_gb: "-1".to_owned(),
            gpu: (spec.gpu_count > 0)
                .then(|| GpuInfo {
                    count: spec.gpu_count.to_string(),
                    mfr: "NVIDIA".to_owned(),
                    model: "V100".to_owned(),
                    mem_size_gb: spec.gpu_mem_gb.to_string(),
                    total_mem_size_gb: (spec.gpu_count * spec.gpu_mem_gb).to_string(),
                })
                .into_iter()
                .collect(),
            key_value_list: Vec::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn fixtures_match_cb_spiders_mock() {
        let images = images();
        assert_eq!(images.len(), 5);
        assert_eq!(
            serde_json::to_value(&images[1]).unwrap(),
            json!({"IId":{"NameId":"mock-vmimage-02","SystemId":"mock-vmimage-02"},"Name":"mock-vmimage-name-02",
                "OSArchitecture":"arm64","OSPlatform":"Linux/UNIX","OSDistribution":"CentOS 8","OSDiskType":"gp3",
                "OSDiskSizeGB":"40","ImageStatus":"Available"})
        );
        assert_eq!(images[2].os_platform, OSPlatform::Windows);

        let specs = specs("default");
        assert_eq!(
            serde_json::to_value(&specs[0]).unwrap(),
            json!({"Region":"default","Name":"mock-vmspec-01","VCpu":{"Count":"4","ClockGHz":"2.7"},
                "MemSizeMiB":"32768","DiskSizeGB":"-1",
                "Gpu":[{"Count":"2","Mfr":"NVIDIA","Model":"V100","MemSizeGB":"512","TotalMemSizeGB":"1024"}]})
        );
        assert!(specs[2].gpu.is_empty());
        assert_eq!(specs[3].mem_size_mib, "1024");
    }
}
