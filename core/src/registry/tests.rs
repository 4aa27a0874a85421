use spinneret_drivers::model::{
    CloudDriverInfo, ConnectionConfigInfo, CredentialInfo, HIDDEN_SECRET, KeyValue, RegionInfo,
};

use spinneret_drivers::Provider;

use crate::test_support::storage_tests;
use crate::{Core, ErrorKind};

pub(crate) fn driver(name: &str, provider: &str) -> CloudDriverInfo {
    CloudDriverInfo {
        driver_name: name.into(),
        provider_name: provider.into(),
        driver_lib_file_name: String::new(),
    }
}

pub(crate) fn mock_credential(name: &str, mock_name: &str) -> CredentialInfo {
    CredentialInfo {
        credential_name: name.into(),
        provider_name: "MOCK".into(),
        key_value_info_list: vec![KeyValue::new("MockName", mock_name)],
    }
}

pub(crate) fn mock_region(name: &str) -> RegionInfo {
    RegionInfo {
        region_name: name.into(),
        provider_name: "mock".into(),
        key_value_info_list: vec![KeyValue::new("Region", "default")],
        available_zone_list: Vec::new(),
    }
}

pub(crate) fn connection(
    name: &str,
    provider: &str,
    driver: &str,
    credential: &str,
    region: &str,
) -> ConnectionConfigInfo {
    ConnectionConfigInfo {
        config_name: name.into(),
        provider_name: provider.into(),
        driver_name: driver.into(),
        credential_name: credential.into(),
        region_name: region.into(),
    }
}

pub(crate) async fn register_mock_connection(core: &Core) {
    register_mock_connection_with(core, mock_credential("mock-cred", "tenant-a")).await;
}

/// Registers `mock-config` with the given credential (named `mock-cred`).
pub(crate) async fn register_mock_connection_with(core: &Core, credential: CredentialInfo) {
    let registry = core.registry();
    registry
        .put_driver(driver("mock-driver", "MOCK"))
        .await
        .unwrap();
    registry.put_credential(credential).await.unwrap();
    registry
        .put_region(mock_region("mock-region"))
        .await
        .unwrap();
    registry
        .put_connection(connection(
            "mock-config",
            "MOCK",
            "mock-driver",
            "mock-cred",
            "mock-region",
        ))
        .await
        .unwrap();
}

async fn records_round_trip_with_upsert(core: Core) {
    let registry = core.registry();
    let saved = registry
        .put_driver(driver(" aws-driver01 ", "aws"))
        .await
        .unwrap();
    assert_eq!(saved.driver_name, "aws-driver01");
    assert_eq!(saved.provider_name, "AWS");
    assert_eq!(saved.driver_lib_file_name, "aws-driver-v1.0.so");

    let mut renamed_lib = driver("aws-driver01", "AWS");
    renamed_lib.driver_lib_file_name = "custom.so".into();
    registry.put_driver(renamed_lib).await.unwrap();
    let listed = registry.list_drivers(None).await.unwrap();
    assert_eq!(listed.len(), 1, "POST of an existing name updates it");
    assert_eq!(listed[0].driver_lib_file_name, "custom.so");

    registry
        .put_driver(driver("mock-driver", "MOCK"))
        .await
        .unwrap();
    let aws_only = registry.list_drivers(Some("aws")).await.unwrap();
    assert_eq!(
        aws_only
            .iter()
            .map(|d| d.driver_name.as_str())
            .collect::<Vec<_>>(),
        ["aws-driver01"]
    );

    let region = registry
        .put_region(mock_region("mock-region"))
        .await
        .unwrap();
    assert_eq!(region.provider_name, "MOCK");
    assert_eq!(registry.get_region("mock-region").await.unwrap(), region);

    registry.delete_driver("aws-driver01").await.unwrap();
    let err = registry.get_driver("aws-driver01").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.message(), "driver 'aws-driver01' is not registered");
    assert_eq!(
        registry
            .delete_driver("aws-driver01")
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
}

async fn credential_values_are_hidden_and_sealed(core: Core) {
    let registry = core.registry();
    let saved = registry
        .put_credential(mock_credential("mock-cred", "plaintext-mock-name-1234"))
        .await
        .unwrap();
    assert_eq!(
        saved.key_value_info_list,
        [KeyValue::new("MockName", HIDDEN_SECRET)]
    );
    assert_eq!(registry.get_credential("mock-cred").await.unwrap(), saved);
    assert_eq!(registry.list_credentials(None).await.unwrap(), [saved]);

    use sea_orm::EntityTrait;
    let row = crate::entity::credential::Entity::find_by_id("mock-cred".to_owned())
        .one(&core.inner.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!row.sealed_values.contains("plaintext-mock-name-1234"));
    assert!(row.sealed_values.contains("MockName"));

    use secrecy::ExposeSecret;
    let opened = registry.open_credential("mock-cred").await.unwrap();
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0].0, "MockName");
    assert_eq!(
        opened[0].1.expose_secret(),
        "plaintext-mock-name-1234",
        "the vault opens what it sealed"
    );
}

async fn bad_input_names_the_field(core: Core) {
    let registry = core.registry();
    let err = registry.put_driver(driver("d", "gcp")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(
        err.message()
            .starts_with("ProviderName: unknown provider 'gcp'")
    );

    let mut missing = mock_credential("c", "x");
    missing.key_value_info_list.clear();
    let err = registry.put_credential(missing).await.unwrap_err();
    assert_eq!(
        err.message(),
        "KeyValueInfoList: a MOCK credential needs the key 'MockName'"
    );

    let aws_region = RegionInfo {
        region_name: "ohio".into(),
        provider_name: "AWS".into(),
        key_value_info_list: vec![KeyValue::new("Region", "us-east-2")],
        available_zone_list: Vec::new(),
    };
    let err = registry.put_region(aws_region).await.unwrap_err();
    assert_eq!(
        err.message(),
        "KeyValueInfoList: a AWS region needs the key 'Zone'"
    );
    assert!(
        registry.list_regions(None).await.unwrap().is_empty(),
        "nothing stored on error"
    );

    let err = registry.list_drivers(Some("gcp")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
}

async fn connection_references_are_checked(core: Core) {
    let registry = core.registry();
    registry
        .put_driver(driver("mock-driver", "MOCK"))
        .await
        .unwrap();
    registry
        .put_driver(driver("aws-driver", "AWS"))
        .await
        .unwrap();
    registry
        .put_credential(mock_credential("mock-cred", "a"))
        .await
        .unwrap();
    registry
        .put_region(mock_region("mock-region"))
        .await
        .unwrap();

    let dangling = connection("c", "MOCK", "mock-driver", "nope", "mock-region");
    let err = registry.put_connection(dangling).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(
        err.message(),
        "CredentialName: credential 'nope' is not registered"
    );

    let mismatched = connection("c", "MOCK", "aws-driver", "mock-cred", "mock-region");
    let err = registry.put_connection(mismatched).await.unwrap_err();
    assert_eq!(
        err.message(),
        "DriverName: driver 'aws-driver' is for provider AWS, not MOCK"
    );

    let saved = registry
        .put_connection(connection(
            "c",
            "mock",
            "mock-driver",
            "mock-cred",
            "mock-region",
        ))
        .await
        .unwrap();
    assert_eq!(saved.provider_name, "MOCK");
    assert_eq!(registry.count_connections(None).await.unwrap(), 1);
    assert_eq!(registry.count_connections(Some("MOCK")).await.unwrap(), 1);
    assert_eq!(registry.count_connections(Some("aws")).await.unwrap(), 0);

    let counts = registry.counts().await.unwrap();
    assert_eq!(
        (counts.drivers, counts.credentials, counts.regions),
        (2, 1, 1)
    );
    assert_eq!(
        counts.connections_by_provider,
        [
            (Provider::Aws, 0),
            (Provider::Azure, 0),
            (Provider::Mock, 1)
        ]
    );
}

async fn records_in_use_cannot_be_deleted(core: Core) {
    register_mock_connection(&core).await;
    let registry = core.registry();
    let err = registry.delete_credential("mock-cred").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(
        err.message(),
        "cannot delete credential 'mock-cred': it is used by connection config(s) mock-config"
    );
    assert_eq!(
        registry
            .delete_driver("mock-driver")
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Conflict
    );
    assert_eq!(
        registry
            .delete_region("mock-region")
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Conflict
    );
    assert!(
        registry.get_credential("mock-cred").await.is_ok(),
        "a refused delete keeps the record"
    );

    let err = registry
        .put_driver(driver("mock-driver", "AWS"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(
        err.message()
            .contains("change the provider from MOCK to AWS"),
        "{err}"
    );

    registry.delete_connection("mock-config").await.unwrap();
    registry.delete_credential("mock-cred").await.unwrap();
    registry.delete_region("mock-region").await.unwrap();
    registry.delete_driver("mock-driver").await.unwrap();
    assert_eq!(
        registry
            .delete_connection("mock-config")
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
}

async fn the_mock_cloud_registers_in_one_step_and_again(core: Core) {
    let registry = core.registry();
    let config = registry.register_mock_cloud().await.unwrap();
    assert_eq!(
        config,
        connection(
            "mock-config",
            "MOCK",
            "mock-driver",
            "mock-credential",
            "mock-region"
        )
    );
    assert_eq!(
        registry.register_mock_cloud().await.unwrap(),
        config,
        "a second click changes nothing"
    );
    assert_eq!(registry.count_connections(None).await.unwrap(), 1);
    assert_eq!(
        core.list_images("mock-config").await.unwrap().len(),
        5,
        "the connection works"
    );

    let registry_with_aws = crate::test_support::sqlite_core().await;
    let other = registry_with_aws.0.registry();
    other
        .put_driver(driver("mock-driver", "AWS"))
        .await
        .unwrap();
    let err = other.register_mock_cloud().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(
        err.message(),
        "driver 'mock-driver' is already registered for AWS; the mock cloud needs that name"
    );
    assert_eq!(
        other.count_connections(None).await.unwrap(),
        0,
        "nothing half-registered"
    );
}

async fn a_page_without_a_connection_gets_the_remembered_or_healthy_one(core: Core) {
    let registry = core.registry();
    assert_eq!(registry.pick_connection([None]).await.unwrap(), None);
    registry.register_mock_cloud().await.unwrap();
    registry
        .put_connection(connection(
            "a-first-by-name",
            "MOCK",
            "mock-driver",
            "mock-credential",
            "mock-region",
        ))
        .await
        .unwrap();
    let picked = |preferred: Vec<Option<String>>| async {
        registry
            .pick_connection(preferred)
            .await
            .unwrap()
            .map(|c| c.config_name)
    };
    assert_eq!(picked(vec![None]).await.as_deref(), Some("a-first-by-name"));
    assert_eq!(
        picked(vec![Some("gone".into()), Some("mock-config".into())])
            .await
            .as_deref(),
        Some("mock-config"),
        "a remembered connection that no longer exists is skipped"
    );

    core.list_images("mock-config").await.unwrap();
    core.history().flush().await;
    assert_eq!(
        core.history()
            .last_healthy_connection()
            .await
            .unwrap()
            .as_deref(),
        Some("mock-config")
    );
    assert_eq!(
        registry
            .connection_scope("mock-config")
            .await
            .unwrap()
            .describe(),
        "mock-config (MOCK, default)",
        "the region's Region key names it"
    );
    assert_eq!(
        registry.connection_scope("nope").await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

storage_tests!(
    a_page_without_a_connection_gets_the_remembered_or_healthy_one,
    the_mock_cloud_registers_in_one_step_and_again,
    records_round_trip_with_upsert,
    credential_values_are_hidden_and_sealed,
    bad_input_names_the_field,
    connection_references_are_checked,
    records_in_use_cannot_be_deleted,
);

/// A record read by name is served from memory until the registry changes. A change made
/// behind the registry's back (another process on one SQLite file) is seen after the next
/// write here, or after the time to live; on PostgreSQL a notification brings it at once
/// (the server's replica tests).
#[tokio::test]
async fn records_are_read_from_memory_until_the_registry_changes() {
    use sea_orm::ConnectionTrait;

    let (core, _db) = crate::test_support::sqlite_core().await;
    let registry = core.registry();
    registry
        .put_driver(driver("aws-driver", "AWS"))
        .await
        .unwrap();
    let read = registry.get_driver("aws-driver").await.unwrap();
    core.inner
        .db
        .execute_unprepared("UPDATE cloud_driver SET lib_file_name = 'behind.so'")
        .await
        .unwrap();
    assert_eq!(registry.get_driver("aws-driver").await.unwrap(), read);

    registry
        .put_driver(driver("azure-driver", "AZURE"))
        .await
        .unwrap();
    assert_eq!(
        registry
            .get_driver("aws-driver")
            .await
            .unwrap()
            .driver_lib_file_name,
        "behind.so"
    );
}
