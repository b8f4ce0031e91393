//! A terminal login's password changes (`admin set-password`): the tokens
//! issued before it stop working at once; weak passwords are refused.

use crate::common::*;
use possum_backoffice::demo::{DEMO_PASSWORD, DEMO_USERNAME};
use std::io::Write;
use std::process::{Command, Stdio};

const NEW_PASSWORD: &str = "correct horse battery staple 7";

async fn pull_status(server: &Server, t: &Terminal) -> (u16, serde_json::Value) {
    let path = format!("/api/Category/GetCategories?TerminalId={}", t.claims.terminal);
    let response = server.get(t, &path).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

/// `possum-backoffice admin set-password USERNAME` on the server's data folder, the password on stdin.
fn set_password_cli(server: &Server, username: &str, stdin: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_possum-backoffice"))
        .arg("admin")
        .args(server.storage_args())
        .args(["set-password", username])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn a_password_change_ends_the_tokens_issued_before_it() {
    let server = Server::start().await;
    let before = server.demo_terminal().await;
    assert_eq!(pull_status(&server, &before).await.0, 200);

    // The operator changes the password from the shell while the server runs.
    let weak = set_password_cli(&server, DEMO_USERNAME, "password123\n");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("too easy to guess"), "{weak:?}");
    assert_eq!(pull_status(&server, &before).await.0, 200, "a refused change changes nothing");

    let done = set_password_cli(&server, DEMO_USERNAME, &format!("{NEW_PASSWORD}\n"));
    assert!(done.status.success(), "{done:?}");
    let (status, body) = pull_status(&server, &before).await;
    assert_eq!(status, 401);
    assert!(body["Message"].as_str().unwrap().contains("password has changed"), "{body}");

    let old = server.token_raw(&grant(DEMO_USERNAME, DEMO_PASSWORD)).await;
    assert_eq!(old.status(), 400, "the old password no longer signs in");
    let after = server.sign_in(DEMO_USERNAME, NEW_PASSWORD).await;
    assert_eq!(pull_status(&server, &after).await.0, 200);
    assert_eq!(after.claims.pwd_gen, before.claims.pwd_gen + 1);
    // Another login of the tenant keeps its tokens.
    let kiosk = server.sign_in("kiosk.terminal@possum.com", DEMO_PASSWORD).await;
    assert_eq!(pull_status(&server, &kiosk).await.0, 200);
}

#[tokio::test]
async fn set_password_refuses_weak_passwords_and_unknown_logins() {
    let server = Server::start().await;
    let store = &server.state.store;
    for weak in ["", "12345678", "SuperSecret1", "terminal.user@possum.com", "Possum2024!"] {
        let refused = possum_backoffice::auth::set_password(store, DEMO_USERNAME, weak);
        assert!(
            matches!(&refused, Err(possum_backoffice::error::ApiError::BadRequest(m)) if m.contains("too easy to guess")),
            "{weak}: {refused:?}"
        );
    }
    let unknown = possum_backoffice::auth::set_password(store, "nobody@possum.com", NEW_PASSWORD);
    assert!(matches!(unknown, Err(possum_backoffice::error::ApiError::NotFound(_))), "{unknown:?}");
    server.demo_terminal().await;
}
