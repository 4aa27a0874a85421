//! The OpenAPI document of the REST API, assembled from the routes' own descriptions, and the
//! Swagger UI that shows it. The UI's files are compiled into the binary (the crate's
//! `vendored` feature), so the viewer works with no internet.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{InfoBuilder, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

/// Where the Swagger UI is served, as in CB-Spider (`/spider/api/index.html` works too).
pub const VIEWER_PATH: &str = "/spider/api";
/// Where the document is served.
pub const DOCUMENT_PATH: &str = "/spider/api/openapi.json";

const SCHEME: &str = "basic";

/// The whole document: the `/spider` routes' descriptions, the routes served at the root
/// (`/metrics`, and the public routes again for load balancers, their operation ids made
/// unique), and HTTP Basic on every route that does not opt out.
pub fn document(mut spider: OpenApi, root: OpenApi) -> OpenApi {
    let mut taken: std::collections::HashSet<String> = spider
        .paths
        .paths
        .values_mut()
        .flat_map(operations)
        .filter_map(|operation| operation.operation_id.clone())
        .collect();
    for (path, mut item) in root.paths.paths {
        for operation in operations(&mut item) {
            if let Some(id) = &mut operation.operation_id
                && !taken.insert(id.clone())
            {
                id.push_str("_at_root");
            }
        }
        spider.paths.paths.insert(path, item);
    }
    spider.info = InfoBuilder::new()
        .title("Spinneret REST API")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(
            "CB-Spider compatible: the same paths and JSON keys. Request keys match in any case. \
             Every answer is a JSON object; errors are {\"message\": ...}.",
        ))
        .build();
    spider
        .components
        .get_or_insert_with(Default::default)
        .add_security_scheme(
            SCHEME,
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Basic).build()),
        );
    spider.security = Some(vec![SecurityRequirement::new(SCHEME, Vec::<String>::new())]);
    spider
}

fn operations(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
    .into_iter()
    .filter_map(Option::as_mut)
}

/// The Swagger UI at [`VIEWER_PATH`], reading the document from [`DOCUMENT_PATH`].
pub fn viewer(document: OpenApi) -> SwaggerUi {
    SwaggerUi::new(VIEWER_PATH).url(DOCUMENT_PATH, document)
}
