//! Browser tests: run in headless Chromium by `wasm-pack test --headless --chrome`.

mod support;

use possum_terminal::session::Session;
use possum_terminal::storage::Storage;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn unique_name(what: &str) -> String {
    format!("possum-test-{what}-{}", uuid::Uuid::new_v4())
}

fn sample_session() -> Session {
    Session {
        base_url: "http://127.0.0.1:8080".into(),
        username: "terminal.user@possum.com".into(),
        access_token: "a.b.c".into(),
        expires: chrono::DateTime::parse_from_rfc3339("2030-01-15T12:00:00Z").unwrap().into(),
        terminal_id: uuid::Uuid::new_v4(),
        client_number: 1,
    }
}

#[wasm_bindgen_test]
async fn a_session_survives_closing_and_reopening_the_database() {
    let name = unique_name("session");
    let store = Storage::open(&name).await.expect("open IndexedDB");
    assert_eq!(store.load_session().await, Ok(None));
    let session = sample_session();
    store.save_session(&session).await.expect("save");
    drop(store);

    let reopened = Storage::open(&name).await.expect("reopen IndexedDB");
    assert_eq!(reopened.load_session().await, Ok(Some(session)));
    reopened.clear_session().await.expect("clear");
    assert_eq!(reopened.load_session().await, Ok(None));
    reopened.delete().await.expect("delete the test database");
}

async fn next_frame() {
    support::sleep(50).await;
}

#[wasm_bindgen_test]
async fn the_app_mounts_and_offers_first_run_setup() {
    // The app uses the default database; start from a clean one.
    if let Ok(store) = Storage::open_default().await {
        store.clear_session().await.unwrap();
    }
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), possum_terminal::App);

    // Loading the saved session from IndexedDB takes a moment.
    let mut form = None;
    for _ in 0..40 {
        next_frame().await;
        form = host.query_selector("form").unwrap();
        if form.is_some() {
            break;
        }
    }
    assert!(form.is_some(), "the setup form appears: {}", host.inner_html());
    assert_eq!(host.query_selector("h1").unwrap().unwrap().text_content().unwrap(), "POSSUM Terminal");
    for (id, label) in
        [("base-url", "Back-office address"), ("username", "Terminal user name"), ("password", "Password")]
    {
        let found = host.query_selector(&format!("label[for='{id}']")).unwrap().expect("a label per field");
        assert_eq!(found.text_content().unwrap(), label);
    }
    let base_url: web_sys::HtmlInputElement =
        host.query_selector("#base-url").unwrap().unwrap().unchecked_into();
    assert_eq!(base_url.value(), web_sys::window().unwrap().location().origin().unwrap());
    drop(handle);
}
