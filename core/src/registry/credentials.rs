use sea_orm::ActiveValue::Set;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use spinneret_drivers::model::{CredentialInfo, HIDDEN_SECRET, KeyValue};

use super::{Checked, Referenced, Registry, validate};
use crate::entity::{connection_config, credential};
use crate::error::{Error, Result};
use crate::vault::Sealed;

const CREDENTIAL: Referenced = Referenced {
    kind: "credential",
    column: connection_config::Column::CredentialName,
};

/// One stored credential value: the key in clear, the value sealed by the vault.
#[derive(Serialize, Deserialize)]
struct SealedKeyValue {
    key: String,
    sealed: Sealed,
}

/// What the vault binds a value to, so it opens only for this credential and key.
fn owner(credential: &str, key: &str) -> String {
    format!("credential:{credential}:{key}")
}

/// Every response shows the keys but hides the values.
fn hidden(
    name: String,
    provider: String,
    keys: impl IntoIterator<Item = String>,
) -> CredentialInfo {
    CredentialInfo {
        credential_name: name,
        provider_name: provider,
        key_value_info_list: keys
            .into_iter()
            .map(|key| KeyValue::new(key, HIDDEN_SECRET))
            .collect(),
    }
}

fn info(row: credential::Model) -> Result<CredentialInfo> {
    let sealed: Vec<SealedKeyValue> = serde_json::from_str(&row.sealed_values)
        .map_err(|err| Error::internal(format!("reading stored credential '{}'", row.name), err))?;
    Ok(hidden(
        row.name,
        row.provider,
        sealed.into_iter().map(|kv| kv.key),
    ))
}

impl Registry {
    /// Registers a credential, or replaces the one of that name. Its values are sealed before
    /// they reach the database and are never returned.
    pub(crate) async fn put_credential(&self, request: CredentialInfo) -> Result<CredentialInfo> {
        let checked = self.check_credential(request).await?;
        self.save_credential(checked).await
    }

    /// The credential as it would be saved: names and keys checked, values in clear.
    pub(crate) async fn check_credential(
        &self,
        request: CredentialInfo,
    ) -> Result<Checked<CredentialInfo>> {
        let name = validate::name("CredentialName", &request.credential_name)?;
        let provider = validate::provider(&request.provider_name)?;
        let values = validate::key_values(
            "credential",
            provider,
            provider.credential_keys(),
            &request.key_value_info_list,
        )?;
        let stored = self
            .stored_provider::<credential::Entity>(credential::Column::Provider, &name)
            .await?;
        self.refuse_provider_change(CREDENTIAL, &name, stored, provider)
            .await?;
        Ok(Checked(CredentialInfo {
            credential_name: name,
            provider_name: provider.name().to_owned(),
            key_value_info_list: values,
        }))
    }

    /// Seals and stores a checked credential; answers with its values hidden.
    pub(crate) async fn save_credential(
        &self,
        Checked(checked): Checked<CredentialInfo>,
    ) -> Result<CredentialInfo> {
        let name = checked.credential_name;
        let sealed: Vec<SealedKeyValue> = checked
            .key_value_info_list
            .iter()
            .map(|kv| SealedKeyValue {
                key: kv.key.clone(),
                sealed: self.vault.seal(&owner(&name, &kv.key), &kv.value),
            })
            .collect();
        let sealed_values = serde_json::to_string(&sealed)
            .map_err(|err| Error::internal("encoding sealed credential values", err))?;
        let row = credential::ActiveModel {
            name: Set(name.clone()),
            provider: Set(checked.provider_name.clone()),
            sealed_values: Set(sealed_values),
        };
        self.upsert(
            row,
            credential::Column::Name,
            &[
                credential::Column::Provider,
                credential::Column::SealedValues,
            ],
        )
        .await?;
        Ok(hidden(
            name,
            checked.provider_name,
            checked.key_value_info_list.into_iter().map(|kv| kv.key),
        ))
    }

    /// The connection configs that use the credential.
    pub(crate) async fn connections_with_credential(&self, name: &str) -> Result<Vec<String>> {
        self.configs_using(CREDENTIAL.column, name).await
    }

    pub async fn list_credentials(&self, provider: Option<&str>) -> Result<Vec<CredentialInfo>> {
        self.list::<credential::Entity>(
            credential::Column::Provider,
            credential::Column::Name,
            provider,
        )
        .await?
        .into_iter()
        .map(info)
        .collect()
    }

    pub async fn get_credential(&self, name: &str) -> Result<CredentialInfo> {
        info(
            self.find::<credential::Entity>(CREDENTIAL.kind, name)
                .await?,
        )
    }

    /// Checks at start-up that this server's master key opens the stored credentials, so a
    /// replica started with the wrong key refuses to start instead of failing each request.
    pub async fn check_master_key(&self) -> Result<()> {
        use sea_orm::EntityTrait;
        let Some(row) = credential::Entity::find().one(&self.db).await? else {
            return Ok(());
        };
        self.open_credential(&row.name).await.map(drop).map_err(|err| {
            Error::invalid(format!(
                "SPINNERET_MASTER_KEY does not open the stored credentials ({}); start this server with the key the database was first used with",
                err.message()
            ))
        })
    }

    /// Decrypts a credential's values for a driver that is connecting.
    pub(crate) async fn open_credential(&self, name: &str) -> Result<Vec<(String, SecretString)>> {
        let row = self
            .find::<credential::Entity>(CREDENTIAL.kind, name)
            .await?;
        let sealed: Vec<SealedKeyValue> = serde_json::from_str(&row.sealed_values)
            .map_err(|err| Error::internal(format!("reading stored credential '{name}'"), err))?;
        sealed
            .into_iter()
            .map(|kv| {
                let value = self.vault.open(&owner(name, &kv.key), &kv.sealed)?;
                Ok((kv.key, value))
            })
            .collect()
    }

    pub async fn delete_credential(&self, name: &str) -> Result<()> {
        self.delete_referenced::<credential::Entity>(CREDENTIAL, name)
            .await
    }
}
