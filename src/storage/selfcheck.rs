//! The start-up self-check: stores that are missing are re-created, cached
//! data that no longer reads is forgotten and pulled again, and what the
//! terminal produced (outbox, sales, parked carts) is only ever reported,
//! never changed.

use super::cache::{store_name, Cached};
use super::db::Storage;
use super::reserve::RESERVE;
use super::schema::expected_stores;
use crate::error::AppError;
use possum_contract::catalogue::{Category, ProductCombination, User};
use possum_contract::endpoints::PullModule;
use possum_contract::loyalty::{DiscountProgram, Subscription};
use possum_contract::settings::Setting;

/// What the check found, in words for the status area and the device log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    pub problems: Vec<String>,
}

/// Small modules are read whole; the big ones (products, customers) are read
/// by the screens that show them, which report an unreadable row themselves.
async fn check_rows<E: Cached>(storage: &Storage, report: &mut CheckReport) -> Result<(), AppError> {
    if let Err(e) = storage.all::<E>().await {
        report.problems.push(format!("{e}; {} will be pulled again", E::MODULE.name()));
        storage.forget_module(E::MODULE).await?;
    }
    Ok(())
}

/// Checks `storage` and repairs what can be repaired; returns the storage to
/// go on with (a new connection when stores had to be re-created).
pub async fn run(mut storage: Storage) -> Result<(Storage, CheckReport), AppError> {
    let mut report = CheckReport::default();
    let present = storage.store_names();
    let missing: Vec<&str> =
        expected_stores().into_iter().filter(|s| !present.iter().any(|p| p == s)).collect();
    if !missing.is_empty() {
        report.problems.push(format!("missing stores re-created: {}", missing.join(", ")));
        storage = storage.repair().await?;
        for module in PullModule::ALL.into_iter().filter(|m| missing.contains(&store_name(*m))) {
            storage.forget_module(module).await?;
        }
        // A re-created reserve is pulled whole again (the sets unsent orders took stay taken).
        if missing.contains(&RESERVE) {
            storage.forget_reserve_marker().await?;
        }
    }
    for module in PullModule::ALL {
        let marker = storage.marker(module).await.err().or(storage.staged(module).await.err());
        if let Some(e) = marker {
            report.problems.push(format!("{e}; {} will be pulled again", module.name()));
            storage.forget_module(module).await?;
        }
    }
    check_rows::<Setting>(&storage, &mut report).await?;
    check_rows::<User>(&storage, &mut report).await?;
    check_rows::<Category>(&storage, &mut report).await?;
    check_rows::<ProductCombination>(&storage, &mut report).await?;
    check_rows::<DiscountProgram>(&storage, &mut report).await?;
    check_rows::<Subscription>(&storage, &mut report).await?;
    if let Err(e) = storage.load_cart().await {
        report.problems.push(format!("{e}; the saved cart was cleared"));
        storage.clear_cart().await?;
    }
    let outbox = storage.outbox().await?;
    for (_, why) in &outbox.unreadable {
        report.problems.push(format!("{why} (kept as it is; export it from the outbox)"));
    }
    if let Err(e) = storage.shift().await {
        report.problems.push(format!("{e} (the cash drawer's shift is kept as it is)"));
    }
    Ok((storage, report))
}
