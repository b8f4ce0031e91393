//! How failures are classified, in headless Chromium (the DOMExceptions are
//! the browser's own): by the browser's error name, never by message text.

use indexed_db_futures::error::{Error as DbError, UnexpectedDataError};
use possum_terminal::error::{AppError, StorageError};
use possum_terminal::storage::Storage;
use std::collections::HashMap;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn exception(name: &str) -> web_sys::DomException {
    web_sys::DomException::new_with_message_and_name("the browser's words", name).unwrap()
}

#[wasm_bindgen_test]
fn an_aborted_commit_is_an_abort_not_a_full_disk() {
    // What indexed_db_futures answers for a commit that ended in an abort.
    // (Its text, "…but it was aborted", used to be read as a full disk.)
    let aborted = AppError::from(DbError::MissingData(UnexpectedDataError::TransactionAborted));
    assert_eq!(aborted, AppError::Storage(StorageError::Aborted));
    assert!(!aborted.to_string().contains("full"), "{aborted}");
    assert!(aborted.stops_sales(), "the sale was not stored: no sale goes on until staff look");
    // The transaction's own error, when the browser names one, says what happened.
    assert_eq!(StorageError::aborted(None), StorageError::Aborted);
    assert_eq!(StorageError::aborted(Some(exception("QuotaExceededError"))), StorageError::Full);
    assert!(matches!(StorageError::aborted(Some(exception("UnknownError"))), StorageError::Failed(_)));
}

#[wasm_bindgen_test]
fn a_request_refused_for_quota_is_a_full_disk_and_the_rest_keep_their_name() {
    let full = AppError::from(DbError::from(exception("QuotaExceededError")));
    assert_eq!(full, AppError::Storage(StorageError::Full));
    assert!(full.to_string().contains("storage is full") && full.stops_sales());
    assert!(matches!(
        AppError::from(DbError::from(exception("VersionError"))),
        AppError::Storage(StorageError::Version(_))
    ));
    let constraint = AppError::from(DbError::from(exception("ConstraintError")));
    assert!(matches!(constraint, AppError::Storage(StorageError::Failed(_))), "{constraint:?}");
}

#[wasm_bindgen_test]
fn a_record_that_does_not_encode_is_no_storage_failure_and_stops_no_sale() {
    // serde_json refuses a map whose keys are not strings.
    let error = serde_json::to_string(&HashMap::from([((1, 2), 3)])).unwrap_err();
    let error = AppError::from(error);
    assert!(matches!(error, AppError::Encoding(_)), "{error:?}");
    assert!(!error.stops_sales());
    assert!(!error.to_string().contains("storage"), "{error}");
}

#[wasm_bindgen_test]
async fn a_database_newer_than_the_terminal_is_a_version_error_and_opens_as_it_is() {
    let name = format!("possum-test-version-{}", uuid::Uuid::new_v4());
    let newer = Storage::open_at(&name, possum_terminal::storage::DB_VERSION + 2).await.unwrap();
    drop(newer);
    let refused = Storage::open_at(&name, possum_terminal::storage::DB_VERSION).await.err();
    assert!(matches!(refused, Some(AppError::Storage(StorageError::Version(_)))), "{refused:?}");
    let opened = Storage::open(&name).await.expect("opened at the version on disk");
    assert_eq!(opened.db_version(), possum_terminal::storage::DB_VERSION + 2);
    opened.delete().await.unwrap();
}
