//! A connection's account is fixed while it has resources.
//!
//! Rows name resources by their cloud ids, which mean something only in the account and
//! region they were made in. So every create remembers which account its connection reaches,
//! and a change to a credential, region or connection config that would point a connection
//! with resources at another account or region is refused with 409 naming them. Rotating a
//! key within the same account is a change like any other.

use std::sync::Arc;

use sea_orm::ActiveValue::Set;
use sea_orm::EntityTrait;
use sea_orm::sea_query::OnConflict;
use secrecy::SecretString;
use spinneret_drivers::contract::{CloudAccount, Connection, ConnectionInfo};
use spinneret_drivers::model::{ConnectionConfigInfo, CredentialInfo, RegionInfo};

use crate::Core;
use crate::entity::connection_account;
use crate::error::{Error, Result};

impl Core {
    /// Registers a credential, or replaces it unless that moves a connection with resources
    /// to another account.
    pub async fn put_credential(&self, request: CredentialInfo) -> Result<CredentialInfo> {
        let registry = self.registry();
        let checked = registry.check_credential(request).await?;
        let values: Vec<(String, SecretString)> = checked
            .key_value_info_list
            .iter()
            .map(|kv| (kv.key.clone(), SecretString::from(kv.value.clone())))
            .collect();
        for connection in registry
            .connections_with_credential(&checked.credential_name)
            .await?
        {
            let mut after = registry.connection_info(&connection).await?;
            after.credential.clone_from(&values);
            self.keep_account(after).await?;
        }
        registry.save_credential(checked).await
    }

    /// Registers a region, or replaces it unless that moves a connection with resources to
    /// another account or region.
    pub async fn put_region(&self, request: RegionInfo) -> Result<RegionInfo> {
        let registry = self.registry();
        let checked = registry.check_region(request).await?;
        for connection in registry
            .connections_with_region(&checked.region_name)
            .await?
        {
            let mut after = registry.connection_info(&connection).await?;
            after.region.clone_from(&checked.key_value_info_list);
            self.keep_account(after).await?;
        }
        registry.save_region(checked).await
    }

    /// Registers a connection config, or replaces it unless it has resources and the change
    /// points it at another provider, account or region.
    pub async fn put_connection(
        &self,
        request: ConnectionConfigInfo,
    ) -> Result<ConnectionConfigInfo> {
        let registry = self.registry();
        let checked = registry.check_connection(request).await?;
        if let Some(stored) = registry.find_connection(&checked.config_name).await? {
            if stored.provider_name != checked.provider_name {
                self.refuse_if_resources(&stored.config_name, |resources| {
                    format!(
                        "cannot change connection config '{}' from {} to {}: it has {resources} at {}",
                        stored.config_name,
                        stored.provider_name,
                        checked.provider_name,
                        stored.provider_name
                    )
                })
                .await?;
                // Nothing is there: the next create remembers the new provider's account.
                self.forget_account(&stored.config_name).await?;
            } else {
                let after = registry.connection_info_of(&checked).await?;
                self.keep_account(after).await?;
            }
        }
        registry.save_connection(checked).await
    }

    /// Connects for a create or a registration: the connection is about to hold a resource,
    /// so the account it reaches is remembered first.
    pub(crate) async fn connect_to_add(&self, connection: &str) -> Result<Arc<dyn Connection>> {
        let cloud = self.connect(connection).await?;
        self.remember_account(connection, cloud.as_ref()).await;
        Ok(cloud)
    }

    /// Remembers which account a connection reaches. Best effort: when the cloud cannot tell,
    /// a later registry change asks it again.
    async fn remember_account(&self, connection: &str, cloud: &dyn Connection) {
        let remembered = async {
            if self.remembered_account(connection).await?.is_some() {
                return Ok(());
            }
            let account = cloud.account().await?;
            connection_account::Entity::insert(connection_account::ActiveModel {
                connection_name: Set(connection.to_owned()),
                account: Set(account.account),
                region: Set(account.region),
            })
            .on_conflict(
                OnConflict::column(connection_account::Column::ConnectionName)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&self.inner.db)
            .await?;
            Ok::<_, Error>(())
        };
        if let Err(err) = remembered.await {
            tracing::warn!(connection, error = %err, "could not tell which account the connection reaches");
        }
    }

    async fn remembered_account(&self, connection: &str) -> Result<Option<CloudAccount>> {
        Ok(
            connection_account::Entity::find_by_id(connection.to_owned())
                .one(&self.inner.db)
                .await?
                .map(|row| CloudAccount {
                    account: row.account,
                    region: row.region,
                }),
        )
    }

    /// Refuses a change that would connect `after.connection_name` to another account or
    /// region while it has resources. Without resources the remembered account is dropped:
    /// the next create remembers the new one.
    async fn keep_account(&self, after: ConnectionInfo) -> Result<()> {
        let connection = after.connection_name.clone();
        let resources = self.resources_named(&connection).await?;
        if resources.is_empty() {
            return self.forget_account(&connection).await;
        }
        let before = match self.remembered_account(&connection).await? {
            Some(account) => account,
            None => self.account_of(self.registry().connection_info(&connection).await?).await.map_err(|err| {
                Error::conflict(format!(
                    "cannot tell which account connection '{connection}' reaches now, where it has {resources}, so it cannot be changed: {}",
                    err.message()
                ))
            })?,
        };
        let reached = self.account_of(after).await.map_err(|err| {
            Error::conflict(format!(
                "cannot confirm that connection '{connection}' would still reach {before}, where it has {resources}: {}",
                err.message()
            ))
        })?;
        if reached != before {
            return Err(Error::conflict(format!(
                "cannot point connection '{connection}' at {reached}: it has {resources} in {before}; delete them first, or register a new connection config"
            )));
        }
        Ok(())
    }

    async fn forget_account(&self, connection: &str) -> Result<()> {
        connection_account::Entity::delete_by_id(connection.to_owned())
            .exec(&self.inner.db)
            .await?;
        Ok(())
    }

    /// 409 with `message` (given the resources named) while the connection has resources.
    async fn refuse_if_resources(
        &self,
        connection: &str,
        message: impl FnOnce(&str) -> String,
    ) -> Result<()> {
        let resources = self.resources_named(connection).await?;
        if resources.is_empty() {
            Ok(())
        } else {
            Err(Error::conflict(message(&resources)))
        }
    }

    /// The connection's resources as a message names them ("VPC 'vpc-01', VM 'vm-01'"), or
    /// "" when it has none. A subnet goes with its VPC.
    async fn resources_named(&self, connection: &str) -> Result<String> {
        let records = self.store().list(connection, None).await?;
        Ok(records
            .iter()
            .filter(|record| record.parent.is_empty())
            .map(|record| format!("{} '{}'", record.kind, record.name))
            .collect::<Vec<_>>()
            .join(", "))
    }

    /// The account a connection made with `info` reaches, as its driver reports it.
    async fn account_of(&self, info: ConnectionInfo) -> Result<CloudAccount> {
        let cloud = self.inner.drivers.open(&self.inner.history, info).await?;
        Ok(cloud.account().await?)
    }
}

#[cfg(test)]
mod tests {
    use spinneret_drivers::model::{KeyPairReqInfo, KeyValue};

    use super::*;
    use crate::ErrorKind;
    use crate::registry::tests::{
        connection, driver, mock_credential, mock_region, register_mock_connection_with,
    };
    use crate::test_support::storage_tests;

    const CONN: &str = "mock-config";

    fn key_pair(name: &str) -> KeyPairReqInfo {
        KeyPairReqInfo { name: name.into() }
    }

    fn with_key(mut credential: CredentialInfo, key: &str, value: &str) -> CredentialInfo {
        credential
            .key_value_info_list
            .push(KeyValue::new(key, value));
        credential
    }

    fn refused(err: Error, naming: &[&str]) {
        assert_eq!(err.kind(), ErrorKind::Conflict, "{}", err.message());
        for part in naming {
            assert!(
                err.message().contains(part),
                "{:?} names {part}",
                err.message()
            );
        }
    }

    async fn a_connection_with_resources_keeps_its_account(core: Core) {
        register_mock_connection_with(&core, mock_credential("mock-cred", "tenant-a")).await;
        core.create_key_pair(CONN, key_pair("key-01"))
            .await
            .unwrap();

        // Another account, another region, another credential's account: each refused.
        let moved = core
            .put_credential(mock_credential("mock-cred", "tenant-b"))
            .await
            .unwrap_err();
        refused(
            moved,
            &["mock-config", "key pair 'key-01'", "region default"],
        );
        let mut region = mock_region("mock-region");
        region.key_value_info_list = vec![KeyValue::new("Region", "eu")];
        let moved = core.put_region(region).await.unwrap_err();
        refused(moved, &["region eu", "key pair 'key-01'"]);
        core.put_credential(mock_credential("other-cred", "tenant-b"))
            .await
            .unwrap();
        let moved = core
            .put_connection(connection(
                CONN,
                "MOCK",
                "mock-driver",
                "other-cred",
                "mock-region",
            ))
            .await
            .unwrap_err();
        refused(moved, &["key pair 'key-01'"]);

        // Nothing refused was saved: the key pair still reads at its account.
        core.get_key_pair(CONN, "key-01").await.unwrap();

        // Within the account, keys and faults may change, and so may the credential's name.
        let faults = with_key(mock_credential("mock-cred", "tenant-a"), "DelayAPI", "*=1");
        core.put_credential(faults).await.unwrap();
        core.put_credential(mock_credential("same-cred", "tenant-a"))
            .await
            .unwrap();
        core.put_connection(connection(
            CONN,
            "MOCK",
            "mock-driver",
            "same-cred",
            "mock-region",
        ))
        .await
        .unwrap();
        core.get_key_pair(CONN, "key-01").await.unwrap();
    }

    async fn a_connection_keeps_its_provider_while_it_has_resources(core: Core) {
        register_mock_connection_with(&core, mock_credential("mock-cred", "tenant-a")).await;
        core.create_key_pair(CONN, key_pair("key-01"))
            .await
            .unwrap();
        let registry = core.registry();
        registry
            .put_driver(driver("aws-driver", "AWS"))
            .await
            .unwrap();
        core.put_credential(CredentialInfo {
            credential_name: "aws-cred".into(),
            provider_name: "AWS".into(),
            key_value_info_list: vec![
                KeyValue::new("ClientId", "AKIAEXAMPLE"),
                KeyValue::new("ClientSecret", "secret"),
            ],
        })
        .await
        .unwrap();
        core.put_region(RegionInfo {
            region_name: "aws-region".into(),
            provider_name: "AWS".into(),
            key_value_info_list: vec![
                KeyValue::new("Region", "us-east-1"),
                KeyValue::new("Zone", "us-east-1a"),
            ],
            available_zone_list: Vec::new(),
        })
        .await
        .unwrap();
        let moved = core
            .put_connection(connection(
                CONN,
                "AWS",
                "aws-driver",
                "aws-cred",
                "aws-region",
            ))
            .await
            .unwrap_err();
        refused(moved, &["from MOCK to AWS", "key pair 'key-01'"]);
        let kept = registry.get_connection(CONN).await.unwrap();
        assert_eq!(kept.provider_name, "MOCK");

        // Emptied, it may change provider, and forgets the account it had.
        core.delete_key_pair(CONN, "key-01", false).await.unwrap();
        core.put_connection(connection(
            CONN,
            "AWS",
            "aws-driver",
            "aws-cred",
            "aws-region",
        ))
        .await
        .unwrap();
        assert_eq!(core.remembered_account(CONN).await.unwrap(), None);
    }

    async fn without_resources_a_connection_may_move(core: Core) {
        register_mock_connection_with(&core, mock_credential("mock-cred", "tenant-a")).await;
        core.create_key_pair(CONN, key_pair("key-01"))
            .await
            .unwrap();
        core.delete_key_pair(CONN, "key-01", false).await.unwrap();
        core.put_credential(mock_credential("mock-cred", "tenant-b"))
            .await
            .unwrap();
        // The next create remembers the new account, which is then the one kept.
        core.create_key_pair(CONN, key_pair("key-02"))
            .await
            .unwrap();
        let moved = core
            .put_credential(mock_credential("mock-cred", "tenant-a"))
            .await
            .unwrap_err();
        refused(moved, &["key pair 'key-02'"]);
    }

    /// Rows made before accounts were remembered: the account is asked with today's settings.
    async fn an_unremembered_account_is_asked_for(core: Core) {
        register_mock_connection_with(&core, mock_credential("mock-cred", "tenant-a")).await;
        core.create_key_pair(CONN, key_pair("key-01"))
            .await
            .unwrap();
        connection_account::Entity::delete_by_id(CONN.to_owned())
            .exec(&core.inner.db)
            .await
            .unwrap();
        let moved = core
            .put_credential(mock_credential("mock-cred", "tenant-b"))
            .await
            .unwrap_err();
        refused(moved, &["key pair 'key-01'"]);
        core.put_credential(with_key(
            mock_credential("mock-cred", "tenant-a"),
            "FailAPI",
            "StartVM",
        ))
        .await
        .unwrap();
    }

    storage_tests!(
        a_connection_with_resources_keeps_its_account,
        a_connection_keeps_its_provider_while_it_has_resources,
        without_resources_a_connection_may_move,
        an_unremembered_account_is_asked_for,
    );
}
