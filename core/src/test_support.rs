//! Storage test harness: every storage test runs on a fresh SQLite file and on a fresh
//! database in the local PostgreSQL.

use sea_orm::{ConnectionTrait, Database};

use crate::Core;
use crate::vault::MasterKey;

/// Where the PostgreSQL storage tests connect to create their databases.
const POSTGRES_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// Keeps a test's database alive, and removes it afterwards.
pub enum TestDb {
    Sqlite { _dir: tempfile::TempDir },
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    pub async fn cleanup(self) {
        if let TestDb::Postgres { admin_url, name } = self {
            let admin = Database::connect(admin_url.as_str())
                .await
                .expect("PostgreSQL admin connection");
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await
                .expect("drop test database");
        }
    }
}

pub async fn sqlite_core() -> (Core, TestDb) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
    let core = Core::open(&url, &MasterKey::generate(), crate::CoreOptions::default())
        .await
        .expect("open SQLite core");
    (core, TestDb::Sqlite { _dir: dir })
}

/// A fresh database in the local PostgreSQL (`SPINNERET_TEST_POSTGRES_URL` overrides where).
pub async fn postgres_core() -> (Core, TestDb) {
    let admin_url = std::env::var("SPINNERET_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| POSTGRES_ADMIN_URL.to_owned());
    let name = format!("spinneret_test_{}", uuid_like());
    let admin = Database::connect(admin_url.as_str())
        .await
        .unwrap_or_else(|err| {
            panic!("PostgreSQL must be reachable at {admin_url} for the storage tests: {err}")
        });
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("create test database");
    let (base, _) = admin_url.rsplit_once('/').expect("URL names a database");
    let core = Core::open(
        &format!("{base}/{name}"),
        &MasterKey::generate(),
        crate::CoreOptions::default(),
    )
    .await
    .expect("open PostgreSQL core");
    (core, TestDb::Postgres { admin_url, name })
}

fn uuid_like() -> String {
    use rand::Rng;
    let value: u64 = rand::thread_rng().r#gen();
    format!("{}_{value:016x}", std::process::id())
}

/// Runs each named `async fn(Core)` on SQLite and on PostgreSQL, as two tests.
macro_rules! storage_tests {
    ($($test:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let (core, db) = $crate::test_support::sqlite_core().await;
                    super::$test(core).await;
                    db.cleanup().await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let (core, db) = $crate::test_support::postgres_core().await;
                    super::$test(core).await;
                    db.cleanup().await;
                }
            )+
        }
    };
}

pub(crate) use storage_tests;
