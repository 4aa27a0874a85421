use std::time::Instant;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use secrecy::{ExposeSecret, SecretString};

use super::AdminBootstrap;
use crate::test_support::storage_tests;
use crate::{Core, ErrorKind};

fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", BASE64.encode(format!("{user}:{password}")))
}

fn secret(value: &str) -> SecretString {
    SecretString::from(value.to_owned())
}

async fn bootstrap_generates_a_password_once(core: Core) {
    let admins = core.admins();
    let AdminBootstrap::Generated(password) = admins.bootstrap("admin", None).await.unwrap() else {
        panic!("a first start without a password generates one");
    };
    assert!(password.expose_secret().len() >= 20);
    admins.authenticate("admin", &password).await.unwrap();
    assert!(matches!(
        admins.bootstrap("admin", None).await.unwrap(),
        AdminBootstrap::Kept
    ));
    assert!(matches!(
        admins.bootstrap("admin", Some(&password)).await.unwrap(),
        AdminBootstrap::Kept
    ));
    assert!(matches!(
        admins
            .bootstrap("admin", Some(&secret("new-pass")))
            .await
            .unwrap(),
        AdminBootstrap::Saved
    ));
    assert_eq!(
        admins
            .authenticate("admin", &password)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Unauthorized
    );
}

async fn basic_auth_checks_user_and_password(core: Core) {
    let admins = core.admins();
    admins
        .set_password("admin", &secret("s3cret"))
        .await
        .unwrap();
    assert_eq!(
        admins
            .authenticate_basic(&basic("admin", "s3cret"), None)
            .await
            .unwrap(),
        "admin"
    );
    for wrong in [
        basic("admin", "wrong"),
        basic("nobody", "s3cret"),
        "Bearer abc".to_owned(),
        "Basic !!!".to_owned(),
        "Basic".to_owned(),
    ] {
        let err = admins.authenticate_basic(&wrong, None).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unauthorized, "{wrong}");
    }
}

async fn verified_headers_are_cached_until_the_password_changes(core: Core) {
    let admins = core.admins();
    admins
        .set_password("admin", &secret("first"))
        .await
        .unwrap();
    let header = basic("admin", "first");
    admins.authenticate_basic(&header, None).await.unwrap();
    let started = Instant::now();
    for _ in 0..100 {
        admins.authenticate_basic(&header, None).await.unwrap();
    }
    // 100 argon2 checks would take seconds; cached ones take microseconds each.
    assert!(
        started.elapsed().as_millis() < 200,
        "took {:?}",
        started.elapsed()
    );

    admins
        .set_password("admin", &secret("second"))
        .await
        .unwrap();
    let err = admins.authenticate_basic(&header, None).await.unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::Unauthorized,
        "a password change invalidates the cache at once"
    );
    admins
        .authenticate_basic(&basic("admin", "second"), None)
        .await
        .unwrap();
}

async fn sessions_open_and_close(core: Core) {
    let admins = core.admins();
    admins.set_password("admin", &secret("pw")).await.unwrap();
    let token = admins.open_session("admin").await.unwrap();
    assert_eq!(
        admins
            .session_user(token.expose_secret())
            .await
            .unwrap()
            .as_deref(),
        Some("admin")
    );
    assert_eq!(admins.session_user("forged").await.unwrap(), None);
    admins.close_session(token.expose_secret()).await.unwrap();
    assert_eq!(
        admins.session_user(token.expose_secret()).await.unwrap(),
        None
    );

    let token = admins.open_session("admin").await.unwrap();
    admins.set_password("admin", &secret("pw2")).await.unwrap();
    assert_eq!(
        admins.session_user(token.expose_secret()).await.unwrap(),
        None,
        "a password change ends open sessions"
    );
}

async fn an_address_that_keeps_failing_is_refused_for_a_while(core: Core) {
    let admins = core.admins();
    admins
        .set_password("admin", &secret("right"))
        .await
        .unwrap();
    let flooding = Some(std::net::IpAddr::from([192, 0, 2, 7]));
    for _ in 0..super::MAX_FAILURES {
        let err = admins
            .authenticate_basic(&basic("admin", "wrong"), flooding)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unauthorized);
    }
    let started = Instant::now();
    let refused = admins
        .authenticate_basic(&basic("admin", "right"), flooding)
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::TooManyRequests);
    assert_eq!(refused.retry_after(), Some(super::FAILURE_WINDOW));
    assert!(
        started.elapsed().as_millis() < 5,
        "refused without a password check"
    );
    // Another address is not affected.
    let elsewhere = Some(std::net::IpAddr::from([192, 0, 2, 8]));
    admins
        .authenticate_basic(&basic("admin", "right"), elsewhere)
        .await
        .unwrap();
}

async fn renaming_the_admin_disables_the_old_name(core: Core) {
    let admins = core.admins();
    admins
        .bootstrap("admin", Some(&secret("pw")))
        .await
        .unwrap();
    let old_session = admins.open_session("admin").await.unwrap();
    admins.bootstrap("root", None).await.unwrap();
    admins.authenticate("root", &secret("pw")).await.unwrap();
    let refused = admins
        .authenticate("admin", &secret("pw"))
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Unauthorized);
    assert_eq!(
        admins
            .session_user(old_session.expose_secret())
            .await
            .unwrap(),
        None
    );
}

storage_tests!(
    renaming_the_admin_disables_the_old_name,
    an_address_that_keeps_failing_is_refused_for_a_while,
    bootstrap_generates_a_password_once,
    basic_auth_checks_user_and_password,
    verified_headers_are_cached_until_the_password_changes,
    sessions_open_and_close,
);
