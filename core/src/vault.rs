//! The credential vault: the only code that encrypts or decrypts credential values.
//!
//! Values are sealed with AES-256-GCM under the deployment's master key, with a fresh random
//! 96-bit nonce each, the key's id stored beside the ciphertext, and the value's owner (for
//! example `credential:aws-cred01:ClientSecret`) bound in as associated data, so a sealed
//! value copied to another record or key does not open.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use secrecy::{ExposeSecret, SecretBox, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

const KEY_LEN: usize = 32;

/// The 256-bit master key. Its `Debug` shows nothing of it.
pub struct MasterKey(SecretBox<[u8; KEY_LEN]>);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(<redacted>)")
    }
}

impl MasterKey {
    pub fn generate() -> Self {
        let key = Aes256Gcm::generate_key(&mut OsRng);
        Self(SecretBox::new(Box::new(key.into())))
    }

    /// Parses a key given as base64 of 32 bytes (what `openssl rand -base64 32` prints).
    pub fn from_base64(encoded: &str) -> Result<Self> {
        let bytes = BASE64.decode(encoded.trim()).map_err(|_| {
            Error::invalid("SPINNERET_MASTER_KEY: not valid base64 (expected 32 bytes, base64)")
        })?;
        let key: [u8; KEY_LEN] = bytes.try_into().map_err(|bytes: Vec<u8>| {
            Error::invalid(format!(
                "SPINNERET_MASTER_KEY: decodes to {} bytes, expected {KEY_LEN}",
                bytes.len()
            ))
        })?;
        Ok(Self(SecretBox::new(Box::new(key))))
    }

    /// A key for another purpose, derived so that it reveals nothing of this one.
    pub fn derive(&self, purpose: &str) -> [u8; KEY_LEN] {
        use hmac::{Hmac, Mac};
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.0.expose_secret())
            .expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// Reads the key file, or creates it with mode 0600 on first start.
    pub fn load_or_create(path: &Path) -> Result<Self> {
        match std::fs::read_to_string(path) {
            Ok(encoded) => Self::from_base64(&encoded).map_err(|err| {
                Error::invalid(format!(
                    "master key file {}: {}",
                    path.display(),
                    err.message()
                ))
            }),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                let key = Self::generate();
                let mut file = OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(path)
                    .map_err(|err| {
                        Error::internal(format!("creating master key file {}", path.display()), err)
                    })?;
                writeln!(file, "{}", BASE64.encode(key.0.expose_secret())).map_err(|err| {
                    Error::internal(format!("writing master key file {}", path.display()), err)
                })?;
                Ok(key)
            }
            Err(err) => Err(Error::internal(
                format!("reading master key file {}", path.display()),
                err,
            )),
        }
    }

    /// A short public id of the key: which key sealed a value, without revealing the key.
    fn id(&self) -> String {
        let digest = Sha256::new()
            .chain_update(b"spinneret-master-key-id\0")
            .chain_update(self.0.expose_secret())
            .finalize();
        digest[..8].iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// An encrypted value as stored: which key, the nonce and the ciphertext (with its tag).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sealed {
    pub key_id: String,
    pub nonce: String,
    pub ciphertext: String,
}

/// Seals and opens values under one master key.
pub struct Vault {
    key_id: String,
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl Vault {
    pub fn new(key: &MasterKey) -> Self {
        Self {
            key_id: key.id(),
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key.0.expose_secret())),
        }
    }

    /// Encrypts `plaintext` for `owner`, which must be given again to open it.
    pub fn seal(&self, owner: &str, plaintext: &str) -> Sealed {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let ciphertext = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: owner.as_bytes(),
                },
            )
            .expect("AES-GCM encryption fails only for inputs over 64 GiB");
        Sealed {
            key_id: self.key_id.clone(),
            nonce: BASE64.encode(nonce),
            ciphertext: BASE64.encode(ciphertext),
        }
    }

    /// Decrypts a sealed value. Refuses values sealed under another key, for another owner,
    /// or altered in any bit.
    pub fn open(&self, owner: &str, sealed: &Sealed) -> Result<SecretString> {
        if sealed.key_id != self.key_id {
            return Err(Error::invalid(format!(
                "{owner}: sealed with master key '{}', but this server has key '{}'",
                sealed.key_id, self.key_id
            )));
        }
        let refused = || Error::invalid(format!("{owner}: stored value failed authentication"));
        let nonce_bytes = BASE64.decode(&sealed.nonce).map_err(|_| refused())?;
        if nonce_bytes.len() != 12 {
            return Err(refused());
        }
        let ciphertext = BASE64.decode(&sealed.ciphertext).map_err(|_| refused())?;
        let plaintext = self
            .cipher
            .decrypt(
                Nonce::from_slice(&nonce_bytes),
                Payload {
                    msg: &ciphertext,
                    aad: owner.as_bytes(),
                },
            )
            .map_err(|_| refused())?;
        String::from_utf8(plaintext)
            .map(SecretString::from)
            .map_err(|_| refused())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWNER: &str = "credential:aws-cred:ClientSecret";

    #[test]
    fn round_trip() {
        let vault = Vault::new(&MasterKey::generate());
        let sealed = vault.seal(OWNER, "wJalrXUtnFEMI");
        assert!(!sealed.ciphertext.contains("wJalrXUtnFEMI"));
        assert_eq!(
            vault.open(OWNER, &sealed).unwrap().expose_secret(),
            "wJalrXUtnFEMI"
        );
    }

    #[test]
    fn each_seal_uses_a_fresh_nonce() {
        let vault = Vault::new(&MasterKey::generate());
        let a = vault.seal(OWNER, "same");
        let b = vault.seal(OWNER, "same");
        assert_ne!(a.nonce, b.nonce);
        assert_ne!(a.ciphertext, b.ciphertext);
    }

    #[test]
    fn tampered_ciphertext_is_refused() {
        let vault = Vault::new(&MasterKey::generate());
        let mut sealed = vault.seal(OWNER, "secret");
        let mut bytes = BASE64.decode(&sealed.ciphertext).unwrap();
        bytes[0] ^= 1;
        sealed.ciphertext = BASE64.encode(bytes);
        let err = vault.open(OWNER, &sealed).unwrap_err();
        assert!(err.message().contains("failed authentication"), "{err}");
    }

    #[test]
    fn wrong_key_is_refused() {
        let sealed = Vault::new(&MasterKey::generate()).seal(OWNER, "secret");
        let other = Vault::new(&MasterKey::generate());
        let err = other.open(OWNER, &sealed).unwrap_err();
        assert!(err.message().contains("master key"), "{err}");
        // Even with the key id forged to match, the tag check refuses it.
        let forged = Sealed {
            key_id: other.key_id.clone(),
            ..sealed
        };
        assert!(other.open(OWNER, &forged).is_err());
    }

    #[test]
    fn value_moved_to_another_owner_is_refused() {
        let vault = Vault::new(&MasterKey::generate());
        let sealed = vault.seal(OWNER, "secret");
        assert!(
            vault
                .open("credential:other:ClientSecret", &sealed)
                .is_err()
        );
    }

    #[test]
    fn master_key_file_is_created_private_and_reused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        let first = Vault::new(&MasterKey::load_or_create(&path).unwrap());
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let sealed = first.seal(OWNER, "kept");
        let second = Vault::new(&MasterKey::load_or_create(&path).unwrap());
        assert_eq!(second.open(OWNER, &sealed).unwrap().expose_secret(), "kept");
    }

    #[test]
    fn bad_master_key_names_the_setting() {
        let err = MasterKey::from_base64("c2hvcnQ=").unwrap_err();
        assert_eq!(
            err.message(),
            "SPINNERET_MASTER_KEY: decodes to 5 bytes, expected 32"
        );
        assert!(format!("{:?}", MasterKey::generate()).contains("redacted"));
    }
}
