//! The AdminWeb's static files. The WASM, its JS glue and the stylesheet are served under a
//! path named by their content (`/pkg/<hash>/…`): a browser may keep them for a year, and a
//! page never mixes files of two builds. Browsers that accept brotli or gzip get the copies
//! `./run` compressed at build time.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::http::{HeaderValue, header};
use base64::Engine;
use sha2::{Digest, Sha256};
use tower::ServiceBuilder;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// Where the site's built files are, and the content-named path they are served under.
#[derive(Clone, Debug)]
pub struct Assets {
    site_root: PathBuf,
    /// `pkg/<hash>`: the `site_pkg_dir` the page's links use.
    pub pkg_path: String,
}

impl Assets {
    /// Names the files under `site_root/pkg` by a hash of their names and contents. The
    /// `.br`/`.gz` copies are made from those files, so they are not read. A missing
    /// directory (no AdminWeb build) still gives a stable name.
    pub fn load(site_root: &Path) -> std::io::Result<Self> {
        let dir = site_root.join("pkg");
        let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries
                .map(|entry| entry.map(|entry| entry.path()))
                .collect::<Result<_, _>>()?,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(err) => return Err(err),
        };
        files.sort();
        let mut hasher = Sha256::new();
        let compressed = |file: &PathBuf| {
            file.extension()
                .is_some_and(|extension| extension == "br" || extension == "gz")
        };
        for file in files
            .iter()
            .filter(|file| file.is_file() && !compressed(file))
        {
            hasher.update(file.file_name().unwrap_or_default().as_encoded_bytes());
            hasher.update(std::fs::read(file)?);
        }
        let digest = hasher.finalize();
        let hash = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..12]);
        Ok(Self {
            site_root: site_root.to_owned(),
            pkg_path: format!("pkg/{hash}"),
        })
    }

    /// Serves the content-named files, immutable, and the favicons.
    pub fn router<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        let immutable = SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
        let daily = SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=86400"),
        );
        let pkg = ServeDir::new(self.site_root.join("pkg"))
            .precompressed_br()
            .precompressed_gzip();
        let favicon = |name: &str| {
            ServiceBuilder::new()
                .layer(daily.clone())
                .service(ServeFile::new(self.site_root.join(name)))
        };
        Router::new()
            .nest_service(
                &format!("/{}", self.pkg_path),
                ServiceBuilder::new().layer(immutable).service(pkg),
            )
            .route_service("/favicon.ico", favicon("favicon.ico"))
            .route_service("/favicon.svg", favicon("favicon.svg"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_changes_with_the_content_only() {
        let site = tempfile::tempdir().unwrap();
        let pkg = site.path().join("pkg");
        std::fs::create_dir(&pkg).unwrap();
        std::fs::write(pkg.join("spinneret.js"), "one").unwrap();
        let first = Assets::load(site.path()).unwrap().pkg_path;
        assert_eq!(Assets::load(site.path()).unwrap().pkg_path, first);
        std::fs::write(pkg.join("spinneret.js"), "two").unwrap();
        let second = Assets::load(site.path()).unwrap().pkg_path;
        assert_ne!(second, first);
        assert!(second.starts_with("pkg/") && second.len() == "pkg/".len() + 16);
        std::fs::write(pkg.join("spinneret.js.br"), "compressed copy").unwrap();
        assert_eq!(
            Assets::load(site.path()).unwrap().pkg_path,
            second,
            "compressed copies are not read"
        );
    }
}
