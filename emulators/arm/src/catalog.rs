//! The region's VM sizes and a small marketplace image catalogue, the same in every region.

use serde_json::{Value, json};

/// (name, cores, memory in MB, GPUs)
pub const SIZES: &[(&str, u32, u32, u32)] = &[
    ("Standard_B1s", 1, 1024, 0),
    ("Standard_B2s", 2, 4096, 0),
    ("Standard_D2s_v5", 2, 8192, 0),
    ("Standard_NC6s_v3", 6, 114_688, 1),
];

/// (publisher, offer, sku, versions, operating system)
pub const IMAGES: &[(&str, &str, &str, &[&str], &str)] = &[
    (
        "Canonical",
        "0001-com-ubuntu-server-jammy",
        "22_04-lts-gen2",
        &["22.04.202404090", "22.04.202410020"],
        "Linux",
    ),
    (
        "Canonical",
        "ubuntu-24_04-lts",
        "server",
        &["24.04.202411030"],
        "Linux",
    ),
    (
        "Debian",
        "debian-12",
        "12-gen2",
        &["0.20241004.1892"],
        "Linux",
    ),
    (
        "MicrosoftWindowsServer",
        "WindowsServer",
        "2022-datacenter-g2",
        &["20348.2762.241006"],
        "Windows",
    ),
];

pub fn sizes() -> Value {
    let value: Vec<Value> = SIZES
        .iter()
        .map(|(name, cores, memory, _)| {
            json!({
                "name": name,
                "numberOfCores": cores,
                "memoryInMB": memory,
                "maxDataDiskCount": 4,
                "osDiskSizeInMB": 1_047_552,
                "resourceDiskSizeInMB": 16_384,
            })
        })
        .collect();
    json!({ "value": value })
}

pub fn size_exists(name: &str) -> bool {
    SIZES
        .iter()
        .any(|(known, ..)| known.eq_ignore_ascii_case(name))
}

/// The image's operating system, or `None` when the URN names no image. `latest` is any
/// version.
pub fn image_os(publisher: &str, offer: &str, sku: &str, version: &str) -> Option<&'static str> {
    IMAGES.iter().find_map(|(p, o, s, versions, os)| {
        let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        (same(p, publisher)
            && same(o, offer)
            && same(s, sku)
            && (version.eq_ignore_ascii_case("latest")
                || versions.iter().any(|v| same(v, version))))
        .then_some(*os)
    })
}

/// The images API: `publishers[/{p}/artifacttypes/vmimage/offers[/{o}/skus[/{s}/versions[/{v}]]]]`,
/// `path` being the segments after `publishers`. Lists are bare JSON arrays, as ARM gives them.
pub fn images(base_id: &str, location: &str, path: &[String]) -> Option<Value> {
    let entry = |name: &str, id: String| json!({ "name": name, "location": location, "id": id });
    fn unique(mut names: Vec<&'static str>) -> Vec<&'static str> {
        names.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        names
    }
    let same = |a: &str, b: &String| a.eq_ignore_ascii_case(b);
    let publishers = format!("{base_id}/publishers");
    match path {
        [] => Some(Value::Array(
            unique(IMAGES.iter().map(|image| image.0).collect())
                .into_iter()
                .map(|p| entry(p, format!("{publishers}/{p}")))
                .collect(),
        )),
        [p, _, _, offers] if offers.eq_ignore_ascii_case("offers") => {
            let found: Vec<&str> = unique(IMAGES.iter().filter(|i| same(i.0, p)).map(|i| i.1).collect());
            (!found.is_empty()).then(|| {
                Value::Array(
                    found
                        .into_iter()
                        .map(|o| entry(o, format!("{publishers}/{p}/artifacttypes/vmimage/offers/{o}")))
                        .collect(),
                )
            })
        }
        [p, _, _, _, o, skus] if skus.eq_ignore_ascii_case("skus") => {
            let found: Vec<&str> = IMAGES
                .iter()
                .filter(|i| same(i.0, p) && same(i.1, o))
                .map(|i| i.2)
                .collect();
            (!found.is_empty()).then(|| {
                Value::Array(
                    found
                        .into_iter()
                        .map(|s| entry(s, format!("{publishers}/{p}/artifacttypes/vmimage/offers/{o}/skus/{s}")))
                        .collect(),
                )
            })
        }
        [p, _, _, _, o, _, s, versions] if versions.eq_ignore_ascii_case("versions") => IMAGES
            .iter()
            .find(|i| same(i.0, p) && same(i.1, o) && same(i.2, s))
            .map(|i| {
                Value::Array(
                    i.3.iter()
                        .map(|v| entry(v, format!("{publishers}/{p}/artifacttypes/vmimage/offers/{o}/skus/{s}/versions/{v}")))
                        .collect(),
                )
            }),
        [p, _, _, _, o, _, s, _, v] => image_os(p, o, s, v).map(|os| {
            json!({
                "name": v,
                "location": location,
                "id": format!("{publishers}/{p}/artifacttypes/vmimage/offers/{o}/skus/{s}/versions/{v}"),
                "properties": {
                    "osDiskImage": { "operatingSystem": os },
                    "architecture": "x64",
                    "hyperVGeneration": "V2",
                },
            })
        }),
        _ => None,
    }
}
