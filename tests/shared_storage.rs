//! The connection the sale screen keeps open for its look-ups, in headless
//! Chromium: it is reused, it never blocks a schema upgrade, and a look-up
//! it was closed under is answered on a new one.

mod support;

use futures::future::{select, Either};
use possum_contract::endpoints::PullModule;
use possum_terminal::error::AppError;
use possum_terminal::storage::shared;
use possum_terminal::storage::{Storage, DB_NAME, DB_VERSION};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// `future`, or a failure after `ms` (a blocked upgrade would never finish).
async fn within<T>(ms: i32, what: &str, future: impl std::future::Future<Output = T>) -> T {
    match select(Box::pin(future), Box::pin(support::sleep(ms))).await {
        Either::Left((done, _)) => done,
        Either::Right(_) => panic!("{what} did not finish within {ms} ms"),
    }
}

#[wasm_bindgen_test]
async fn the_kept_connection_is_reused_gives_way_to_an_upgrade_and_opens_again() {
    let kept = shared::shared().await.unwrap();
    assert!(Rc::ptr_eq(&kept, &shared::shared().await.unwrap()), "one connection for every look-up");

    // An upgrade (another tab's new version, or the self-check's repair) while
    // a look-up still holds the kept connection.
    let upgraded = within(5_000, "the upgrade", Storage::open_at(DB_NAME, DB_VERSION + 1)).await.unwrap();
    drop(upgraded);
    assert!(kept.count(PullModule::Customers).await.is_err(), "the kept connection closed itself");

    let fresh = shared::shared().await.unwrap();
    assert!(!Rc::ptr_eq(&kept, &fresh), "the next look-up opens a new connection");
    assert_eq!(fresh.count(PullModule::Customers).await, Ok(0));
    // A look-up under way when an upgrade closes the kept connection is
    // answered on a new one; a failure of any other kind is the answer.
    let calls = Cell::new(0);
    let count = shared::read(|storage| {
        let calls = &calls;
        async move {
            calls.set(calls.get() + 1);
            if calls.get() == 1 {
                drop(
                    within(5_000, "the second upgrade", Storage::open_at(DB_NAME, DB_VERSION + 2))
                        .await
                        .unwrap(),
                );
            }
            storage.count(PullModule::Customers).await
        }
    })
    .await;
    assert_eq!((count, calls.get()), (Ok(0), 2));
    let refused = Cell::new(0);
    let answer: Result<(), AppError> = shared::read(|_| {
        refused.set(refused.get() + 1);
        async { Err(AppError::unreadable("a block of the customers cache is unreadable")) }
    })
    .await;
    assert!(answer.is_err());
    assert_eq!(refused.get(), 1, "not tried twice");

    drop((kept, fresh));
    within(5_000, "deleting the database", async {
        Storage::open_default().await.unwrap().delete().await.unwrap()
    })
    .await;
}
