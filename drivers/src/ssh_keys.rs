//! Real SSH key material for the key pairs Spinneret generates itself (the mock's and
//! Azure's), so the private key works with ssh tooling and the fingerprint is the one
//! `ssh-keygen -l` shows.

use ssh_key::rand_core::OsRng;
use ssh_key::{Algorithm, HashAlg, LineEnding, PrivateKey};

use crate::contract::{DriverError, DriverErrorKind, DriverResult};

/// A freshly generated ed25519 key pair in OpenSSH formats.
pub(crate) struct GeneratedKey {
    /// OpenSSH PEM text; handed out once, never stored.
    pub(crate) private_key: String,
    /// The OpenSSH public key line.
    pub(crate) public_key: String,
    /// `SHA256:...`
    pub(crate) fingerprint: String,
}

pub(crate) fn generate(comment: &str) -> DriverResult<GeneratedKey> {
    let mut key = PrivateKey::random(&mut OsRng, Algorithm::Ed25519).map_err(key_error)?;
    key.set_comment(comment);
    let public = key.public_key();
    Ok(GeneratedKey {
        private_key: key
            .to_openssh(LineEnding::LF)
            .map_err(key_error)?
            .to_string(),
        public_key: public.to_openssh().map_err(key_error)?,
        fingerprint: public.fingerprint(HashAlg::Sha256).to_string(),
    })
}

fn key_error(err: ssh_key::Error) -> DriverError {
    DriverError::new(
        DriverErrorKind::Cloud,
        format!("generating the SSH key failed: {err}"),
    )
}

#[cfg(test)]
mod tests {
    use ssh_key::PublicKey;

    use super::*;

    #[test]
    fn keys_are_real_openssh_ed25519_keys() {
        let key = generate("kp-01").unwrap();
        assert!(
            key.private_key
                .starts_with("-----BEGIN OPENSSH PRIVATE KEY-----\n")
        );
        assert!(key.public_key.starts_with("ssh-ed25519 "));
        assert!(key.fingerprint.starts_with("SHA256:"));

        let parsed = PrivateKey::from_openssh(&key.private_key).unwrap();
        let public = PublicKey::from_openssh(&key.public_key).unwrap();
        assert_eq!(parsed.public_key().key_data(), public.key_data());
        assert_eq!(
            public.fingerprint(HashAlg::Sha256).to_string(),
            key.fingerprint
        );
        assert_eq!(public.comment(), "kp-01");
    }
}
