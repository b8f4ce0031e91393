//! Customers created at this terminal: cached at once and queued.

use super::records::{commit_announced, json, row, OUTBOX};
use crate::error::AppError;
use crate::storage::cache::{store_name, BlockWriter, StoredRow};
use crate::storage::db::Storage;
use indexed_db_futures::prelude::*;
use possum_contract::customer::{Customer, CustomerChange};
use possum_contract::endpoints::{PullModule, PushKind};
use possum_register::outbox::Entry;

impl Storage {
    /// Caches a customer created at this terminal (so it is found and can buy
    /// at once) and queues its `PostCustomer` record, in one transaction.
    pub async fn create_customer(
        &self,
        customer: &Customer,
        change: &CustomerChange,
    ) -> Result<(), AppError> {
        let customers = store_name(PullModule::Customers);
        let tx = self.readwrite(&[customers, OUTBOX])?;
        let store = tx.object_store(customers)?;
        let mut writer = BlockWriter::new(&store, PullModule::Customers).await?;
        writer.upsert(StoredRow::of(customer).map_err(AppError::Encoding)?).await?;
        writer.flush().await?;
        let entry = Entry::new(change.id, PushKind::Customer, json(change)?, None, change.changed_at);
        tx.object_store(OUTBOX)?.add(row(&entry)?).serde()?;
        commit_announced(tx).await
    }
}
