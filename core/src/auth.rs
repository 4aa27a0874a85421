//! Admin accounts: argon2id password hashes, HTTP Basic checks with a short-lived cache, and
//! the AdminWeb's login sessions.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD as BASE64, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use rand::RngCore;
use rand::rngs::OsRng;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use crate::entity::{admin_account, web_session};
use crate::error::{Error, Result};

/// How long an AdminWeb login lasts.
pub const SESSION_TTL: Duration = Duration::from_secs(12 * 60 * 60);

/// How long a verified Basic header is trusted without running argon2 again.
const VERIFIED_TTL: Duration = Duration::from_secs(60);

/// Failed sign-ins an address may make per window before it is refused with 429.
const MAX_FAILURES: u32 = 10;
/// The window failed sign-ins are counted in, from an address's first failure.
const FAILURE_WINDOW: Duration = Duration::from_secs(60);

/// What start-up did to the admin account.
#[derive(Debug)]
pub enum AdminBootstrap {
    /// The stored account already matches.
    Kept,
    /// The account was created or its password changed from the configured one.
    Saved,
    /// No password was configured or stored: this one was generated and must be shown once.
    Generated(SecretString),
}

#[derive(Clone)]
struct Verified {
    username: String,
    /// The password generation this verification belongs to; a change makes it stale.
    generation: u64,
}

pub struct Admins {
    db: DatabaseConnection,
    /// Keyed by HMAC(header) under `cache_key`, so the cache never holds a password.
    verified: moka::future::Cache<[u8; 32], Verified>,
    cache_key: [u8; 32],
    generation: AtomicU64,
    /// Checked for unknown users too, so timing does not reveal which usernames exist.
    dummy_hash: Arc<str>,
    /// Failed sign-ins per client address in its current window.
    failures: moka::sync::Cache<IpAddr, Arc<AtomicU32>>,
    /// argon2 takes about 19 MiB per check: at most one check per core runs at a time, so a
    /// flood of bad passwords queues instead of exhausting memory.
    hashing: Arc<Semaphore>,
}

impl Admins {
    pub(crate) fn new(db: DatabaseConnection) -> Self {
        let mut cache_key = [0u8; 32];
        OsRng.fill_bytes(&mut cache_key);
        let dummy_hash = hash_password(&SecretString::from(random_token())).into();
        Self {
            db,
            verified: moka::future::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(VERIFIED_TTL)
                .build(),
            cache_key,
            generation: AtomicU64::new(0),
            dummy_hash,
            failures: moka::sync::Cache::builder()
                .max_capacity(100_000)
                .time_to_live(FAILURE_WINDOW)
                .build(),
            hashing: Arc::new(Semaphore::new(
                std::thread::available_parallelism().map_or(2, usize::from),
            )),
        }
    }

    /// Makes sure an admin account exists at start-up. A configured password is stored (and
    /// replaces a different one); without one, a first start generates a password.
    pub async fn bootstrap(
        &self,
        username: &str,
        password: Option<&SecretString>,
    ) -> Result<AdminBootstrap> {
        let username = crate::registry::validate::name("SPIDER_USERNAME", username)?;
        self.retire_others(&username).await?;
        match password {
            Some(password) => {
                if self.authenticate(&username, password).await.is_ok() {
                    return Ok(AdminBootstrap::Kept);
                }
                self.set_password(&username, password).await?;
                Ok(AdminBootstrap::Saved)
            }
            None if admin_account::Entity::find().count(&self.db).await? > 0 => {
                Ok(AdminBootstrap::Kept)
            }
            None => {
                let generated = SecretString::from(random_token());
                self.set_password(&username, &generated).await?;
                Ok(AdminBootstrap::Generated(generated))
            }
        }
    }

    /// Removes every admin account but `username`, and their sessions: renaming the admin
    /// (`SPIDER_USERNAME`) disables the old name. Without a configured password, the old
    /// account's password carries over to the new name.
    async fn retire_others(&self, username: &str) -> Result<()> {
        let others = admin_account::Entity::find()
            .filter(admin_account::Column::Username.ne(username))
            .all(&self.db)
            .await?;
        let Some(kept) = others.first() else {
            return Ok(());
        };
        let exists = admin_account::Entity::find_by_id(username.to_owned())
            .one(&self.db)
            .await?
            .is_some();
        if !exists {
            admin_account::Entity::insert(admin_account::ActiveModel {
                username: Set(username.to_owned()),
                password_hash: Set(kept.password_hash.clone()),
            })
            .exec_without_returning(&self.db)
            .await?;
        }
        for old in &others {
            tracing::warn!(old = %old.username, new = %username, "the admin was renamed; the old name no longer signs in");
            web_session::Entity::delete_many()
                .filter(web_session::Column::Username.eq(old.username.as_str()))
                .exec(&self.db)
                .await?;
            admin_account::Entity::delete_by_id(old.username.clone())
                .exec(&self.db)
                .await?;
        }
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.verified.invalidate_all();
        Ok(())
    }

    /// Creates the account or changes its password. Cached verifications and open sessions of
    /// the old password stop working at once.
    pub async fn set_password(&self, username: &str, password: &SecretString) -> Result<()> {
        if password.expose_secret().is_empty() {
            return Err(Error::invalid("password must not be empty"));
        }
        let hash = self
            .spawn_argon2({
                let password = password.clone();
                move || hash_password(&password)
            })
            .await?;
        admin_account::Entity::insert(admin_account::ActiveModel {
            username: Set(username.to_owned()),
            password_hash: Set(hash),
        })
        .on_conflict(
            OnConflict::column(admin_account::Column::Username)
                .update_column(admin_account::Column::PasswordHash)
                .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await?;
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.verified.invalidate_all();
        web_session::Entity::delete_many()
            .filter(web_session::Column::Username.eq(username))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Checks a username and password against the stored argon2id hash, off the async runtime.
    pub async fn authenticate(&self, username: &str, password: &SecretString) -> Result<()> {
        let stored = admin_account::Entity::find_by_id(username.to_owned())
            .one(&self.db)
            .await?;
        let known = stored.is_some();
        let hash = stored.map_or_else(|| self.dummy_hash.to_string(), |row| row.password_hash);
        let password = password.clone();
        let matches = self
            .spawn_argon2(move || verify_password(&hash, &password))
            .await?;
        if known && matches {
            Ok(())
        } else {
            Err(Error::unauthorized())
        }
    }

    /// Checks a sign-in from `client`, counting failures per address: after
    /// [`MAX_FAILURES`] in a window the address gets 429 until the window ends, without a
    /// password check.
    pub async fn sign_in(
        &self,
        client: Option<IpAddr>,
        username: &str,
        password: &SecretString,
    ) -> Result<()> {
        // Only addresses that failed have an entry: a good sign-in stores nothing.
        let failed_before = client.and_then(|address| self.failures.get(&address));
        if failed_before
            .as_ref()
            .is_some_and(|failed| failed.load(Ordering::SeqCst) >= MAX_FAILURES)
        {
            return Err(Error::too_many_requests(
                "too many failed sign-ins from this address; try again in a minute",
                FAILURE_WINDOW,
            ));
        }
        let outcome = self.authenticate(username, password).await;
        if let (Err(err), Some(address)) = (&outcome, client)
            && err.kind() == crate::ErrorKind::Unauthorized
        {
            self.failures
                .get_with(address, Arc::default)
                .fetch_add(1, Ordering::SeqCst);
        }
        outcome
    }

    /// Checks an `Authorization: Basic ...` header value from `client` and returns the
    /// admin's name; failures count as for [`Admins::sign_in`].
    ///
    /// A header verified in the last minute is accepted from the cache in microseconds.
    pub async fn authenticate_basic(&self, header: &str, client: Option<IpAddr>) -> Result<String> {
        let cache_key = self.cache_key_of(header);
        let generation = self.generation.load(Ordering::SeqCst);
        if let Some(hit) = self.verified.get(&cache_key).await
            && hit.generation == generation
        {
            return Ok(hit.username);
        }
        let (username, password) = parse_basic(header).ok_or_else(Error::unauthorized)?;
        self.sign_in(client, &username, &password).await?;
        self.verified
            .insert(
                cache_key,
                Verified {
                    username: username.clone(),
                    generation,
                },
            )
            .await;
        Ok(username)
    }

    /// Starts an AdminWeb session and returns the cookie's token. Only its hash is stored.
    pub async fn open_session(&self, username: &str) -> Result<SecretString> {
        let now = unix_now();
        web_session::Entity::delete_many()
            .filter(web_session::Column::ExpiresAt.lte(now))
            .exec(&self.db)
            .await?;
        let token = random_token();
        web_session::Entity::insert(web_session::ActiveModel {
            token_hash: Set(token_hash(&token)),
            username: Set(username.to_owned()),
            expires_at: Set(now + SESSION_TTL.as_secs() as i64),
        })
        .exec_without_returning(&self.db)
        .await?;
        Ok(SecretString::from(token))
    }

    /// The admin a session token belongs to, if it is open and not expired.
    pub async fn session_user(&self, token: &str) -> Result<Option<String>> {
        let session = web_session::Entity::find_by_id(token_hash(token))
            .filter(web_session::Column::ExpiresAt.gt(unix_now()))
            .one(&self.db)
            .await?;
        Ok(session.map(|row| row.username))
    }

    pub async fn close_session(&self, token: &str) -> Result<()> {
        web_session::Entity::delete_by_id(token_hash(token))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    fn cache_key_of(&self, header: &str) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.cache_key)
            .expect("HMAC takes keys of any length");
        mac.update(header.as_bytes());
        mac.finalize().into_bytes().into()
    }
}

/// Splits `Basic base64(user:password)`; the scheme matches case-insensitively.
fn parse_basic(header: &str) -> Option<(String, SecretString)> {
    let (scheme, encoded) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(BASE64.decode(encoded.trim()).ok()?).ok()?;
    let (username, password) = decoded.split_once(':')?;
    Some((username.to_owned(), SecretString::from(password.to_owned())))
}

impl Admins {
    /// argon2 costs tens of milliseconds of CPU: keep it off the async workers, a bounded
    /// number at a time.
    async fn spawn_argon2<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        let permit = self
            .hashing
            .clone()
            .acquire_owned()
            .await
            .map_err(|err| Error::internal("password hashing is shut down", err))?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|err| Error::internal("password hashing task failed", err))
    }
}

fn hash_password(password: &SecretString) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.expose_secret().as_bytes(), &salt)
        .expect("argon2 with default parameters accepts any password")
        .to_string()
}

fn verify_password(hash: &str, password: &SecretString) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.expose_secret().as_bytes(), &parsed)
            .is_ok()
    })
}

/// 24 URL-safe characters from 18 random bytes (144 bits).
fn random_token() -> String {
    let mut bytes = [0u8; 18];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64)
}

#[cfg(test)]
mod tests;
