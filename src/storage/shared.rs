//! One connection to the terminal's database kept open for the sale screen's
//! look-ups (a customer by card, tag or plate), so that a look-up costs one
//! transaction and not an `open` as well.
//!
//! Why: measured in the benchmark, opening the database took 1–3 ms of a
//! 5 ms look-up and, now and then, 14 ms, which made the 99th percentile.
//! Everything else opens its own short-lived [`Storage`].
//!
//! A connection left open blocks a schema upgrade or a deletion of the
//! database by another tab (or by this tab's self-check repair). So the kept
//! connection closes itself on the first `versionchange` event and is
//! forgotten, as it is when the browser closes it; the next look-up opens a
//! new one.

use super::db::Storage;
use crate::error::AppError;
use std::cell::RefCell;
use std::future::poll_fn;
use std::rc::Rc;

thread_local! {
    static KEPT: RefCell<Option<Rc<Storage>>> = const { RefCell::new(None) };
}

/// The kept connection, opened on first use.
pub async fn shared() -> Result<Rc<Storage>, AppError> {
    if let Some(kept) = KEPT.with_borrow(Clone::clone) {
        return Ok(kept);
    }
    let opened = Storage::open_default().await?;
    // Another look-up may have opened one meanwhile: keep the first, close ours.
    if let Some(kept) = KEPT.with_borrow(Clone::clone) {
        return Ok(kept);
    }
    let mut changes = opened.db().version_changes()?;
    let kept = Rc::new(opened);
    KEPT.set(Some(kept.clone()));
    wasm_bindgen_futures::spawn_local(async move {
        // The next version change, or None once the browser has closed it.
        let _ = poll_fn(|cx| changes.poll_recv(cx)).await;
        changes.db().clone().close();
        KEPT.set(None);
    });
    Ok(kept)
}

/// Runs a read on the kept connection. If the connection was closed under
/// it (an upgrade began while it ran), the read runs once more on a new one,
/// so that a look-up during another tab's upgrade still answers; any other
/// failure is the answer.
pub async fn read<T, F, Fut>(read: F) -> Result<T, AppError>
where
    F: Fn(Rc<Storage>) -> Fut,
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    let used = shared().await?;
    match read(used.clone()).await {
        Err(_) if !KEPT.with_borrow(|kept| kept.as_ref().is_some_and(|kept| Rc::ptr_eq(kept, &used))) => {
            read(shared().await?).await
        }
        answer => answer,
    }
}
