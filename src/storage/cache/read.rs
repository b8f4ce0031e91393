//! Reading the pulled cache back: a module whole, a row by a look-up index,
//! every row under a key, how many rows a module holds.

use super::blocks::{count_of, first_row_with, rows_of, BY_ID};
use super::rows::{index_field, store_name, Cached};
use crate::error::{AppError, StorageError};
use crate::storage::db::Storage;
use indexed_db_futures::prelude::*;
use possum_contract::campaign::{campaigns_from_rows, Campaign};
use possum_contract::endpoints::PullModule;
use possum_contract::settings::{Setting, TerminalSettings};
use wasm_bindgen::JsValue;

impl Storage {
    /// The terminal's settings, from the cached settings rows (the defaults
    /// for what they do not say).
    pub async fn settings(&self) -> Result<TerminalSettings, AppError> {
        let rows: Vec<Setting> = self.all().await?;
        Ok(TerminalSettings::from_rows(&rows).0)
    }

    /// The valid campaigns among the cached settings rows (a malformed one is
    /// skipped; `catalogue::Offers` keeps the problems for the screen).
    pub async fn campaigns(&self) -> Result<Vec<Campaign>, AppError> {
        let rows: Vec<Setting> = self.all().await?;
        Ok(campaigns_from_rows(&rows).0)
    }

    /// Every cached row of `E`. A block that no longer parses is reported, never skipped silently.
    pub async fn all<E: Cached>(&self) -> Result<Vec<E>, AppError> {
        let name = store_name(E::MODULE);
        let tx = self.db().transaction(name).build()?;
        let blocks = tx.object_store(name)?.get_all::<JsValue>().primitive()?.await?;
        let mut rows = Vec::new();
        for block in blocks {
            rows.extend(rows_of::<E>(&block?)?);
        }
        Ok(rows)
    }

    /// The row of `E` whose `index` holds `key` (a cashier's look-up).
    pub async fn find<E: Cached>(&self, index: &str, key: &str) -> Result<Option<E>, AppError> {
        Ok(self.find_first::<E>(&[(index, key)]).await?.map(|(_, row)| row))
    }

    /// The first of `look_ups` (index, key), in their order, that finds a row
    /// of `E`, with that row: a customer by card, tag or plate. One transaction
    /// with every request issued at once, and only the rows up to the match
    /// parsed: a look-up costs one IndexedDB round trip, not one per index.
    pub async fn find_first<E: Cached>(
        &self,
        look_ups: &[(&str, &str)],
    ) -> Result<Option<(usize, E)>, AppError> {
        let name = store_name(E::MODULE);
        let tx = self.db().transaction(name).build()?;
        let store = tx.object_store(name)?;
        let mut requests = Vec::with_capacity(look_ups.len());
        for (index, key) in look_ups {
            let field = index_field(E::MODULE, index).ok_or_else(|| {
                AppError::Storage(StorageError::Failed(format!("{name} has no index {index}")))
            })?;
            let request = store.index(index)?.get_all::<JsValue>().with_query(*key).primitive()?;
            requests.push((field, *key, request));
        }
        for (position, (field, key, request)) in requests.into_iter().enumerate() {
            for block in request.await? {
                if let Some(row) = first_row_with::<E>(&block?, field, key)? {
                    return Ok(Some((position, row)));
                }
            }
        }
        Ok(None)
    }

    /// Every row of `E` whose `index` holds `key` (a customer's deposit history).
    pub async fn find_all<E: Cached>(&self, index: &str, key: &str) -> Result<Vec<E>, AppError> {
        let name = store_name(E::MODULE);
        let field = index_field(E::MODULE, index)
            .ok_or_else(|| AppError::Storage(StorageError::Failed(format!("{name} has no index {index}"))))?;
        let tx = self.db().transaction(name).build()?;
        let store = tx.object_store(name)?;
        let blocks = store.index(index)?.get_all::<JsValue>().with_query(key).primitive()?.await?;
        let mut found = Vec::new();
        for block in blocks {
            let rows = rows_of::<E>(&block?)?;
            found.extend(rows.into_iter().filter(|row| row.keys().values(field).contains(&key)));
        }
        Ok(found)
    }

    /// How many rows the module holds: the entries of its by-id index (no block is read).
    pub async fn count(&self, module: PullModule) -> Result<u32, AppError> {
        let name = store_name(module);
        let tx = self.db().transaction(name).build()?;
        let store = tx.object_store(name)?;
        Ok(store.index(BY_ID.0)?.count().await?)
    }

    /// Rows per block (tests).
    pub async fn block_sizes(&self, module: PullModule) -> Result<Vec<u32>, AppError> {
        let name = store_name(module);
        let tx = self.db().transaction(name).build()?;
        let blocks = tx.object_store(name)?.get_all::<JsValue>().primitive()?.await?;
        blocks.map(|b| Ok(count_of(&b?))).collect()
    }
}
