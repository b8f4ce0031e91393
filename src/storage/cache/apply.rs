//! Storing a pull: each module's rows in blocks (`blocks.rs`) with its
//! marker (`marker.rs`), and the staging area of a pull that spans several pages.
//!
//! A pull that fits one page is stored at once: its rows, its tombstones and
//! the module's new marker in one strict transaction. A longer pull is staged
//! page by page and stored whole with its last page, so a failure half-way
//! leaves the module exactly as it was before the pull, and the next cycle
//! resumes from the staged cursor.

use super::blocks::BlockWriter;
use super::marker::{set_marker, staged_key, staging_marker, Marker, Staged, MARKERS, STAGING};
use super::rows::{json_array, store_name, Codec, StoredRow};
use crate::error::AppError;
use crate::storage::db::{commit, put_json, Storage};
use indexed_db_futures::prelude::*;
use possum_contract::endpoints::PullModule;
use possum_contract::sync::SyncPage;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use uuid::Uuid;

/// A staged page as kept in the staging area: its rows and tombstones, as JSON text.
#[derive(Serialize, Deserialize)]
struct StagedPage {
    items: Box<RawValue>,
    deleted: Vec<Uuid>,
}

impl Storage {
    /// Stores a module's whole pull when it fits one page: its rows, its
    /// tombstones and the module's new marker in one strict transaction, so the
    /// marker never passes data that was not stored.
    pub async fn apply_page(
        &self,
        module: PullModule,
        page: SyncPage<StoredRow>,
        marker: &Marker,
    ) -> Result<(), AppError> {
        self.apply_staged(module, page, marker, 0).await
    }

    /// Keeps page number `page_no` of a pull that has more pages aside, with the
    /// cursor to resume from, without touching the module's cached rows or its
    /// marker: until the last page arrives the cashier sees the cache exactly as
    /// it was before this pull. A closed tab resumes from the staged cursor.
    /// The page is kept as one JSON text: one value to write and read back.
    pub async fn stage_page(
        &self,
        module: PullModule,
        page: &SyncPage<StoredRow>,
        cursor: &Marker,
        page_no: u32,
    ) -> Result<(), AppError> {
        let text = serde_json::to_string(&StagedPage {
            items: RawValue::from_string(json_array(&page.items))?,
            deleted: page.deleted.clone(),
        })?;
        let tx = self.readwrite(&[STAGING, MARKERS])?;
        let store = tx.object_store(STAGING)?;
        store.put(text).with_key(staged_key(module, page_no)).primitive()?;
        put_json(
            &tx,
            MARKERS,
            &staging_marker(module),
            &Staged { cursor: cursor.clone(), pages: page_no + 1 },
        )?;
        commit(tx).await
    }

    /// Ends a pull: the `pages` staged pages in order, then `last`, then the
    /// module's new marker, all in one strict transaction that also empties
    /// the staging area. A failure anywhere leaves the cache as it was. A
    /// staged page that is lost or unreadable (from an older version, or
    /// damaged) also drops the staged pull, so the next cycle pulls the module
    /// again from its marker instead of failing here for ever.
    pub async fn apply_staged(
        &self,
        module: PullModule,
        last: SyncPage<StoredRow>,
        marker: &Marker,
        pages: u32,
    ) -> Result<(), AppError> {
        let applied = self.apply_staged_pages(module, last, marker, pages).await;
        if let Err(AppError::StagingLost(_)) = &applied {
            self.drop_staged(module, pages).await?;
        }
        applied
    }

    async fn apply_staged_pages(
        &self,
        module: PullModule,
        last: SyncPage<StoredRow>,
        marker: &Marker,
        pages: u32,
    ) -> Result<(), AppError> {
        if pages == 0 && last.items.is_empty() && last.deleted.is_empty() {
            return self.advance_marker(module, marker).await;
        }
        let name = store_name(module);
        let codec = Codec::of(module);
        let tx = self.readwrite(&[name, STAGING, MARKERS])?;
        let store = tx.object_store(name)?;
        let staging = tx.object_store(STAGING)?;
        let mut writer = BlockWriter::new(&store, module).await?;
        for page_no in 0..pages {
            let key = staged_key(module, page_no);
            let text: Option<String> = staging.get(key.as_str()).primitive()?.await.unwrap_or(None);
            let lost = |why: &str| {
                AppError::StagingLost(format!(
                    "staged page {page_no} of {} {why}; the module will be pulled again",
                    module.name()
                ))
            };
            let text = text.ok_or_else(|| lost("is missing or not in the stored form"))?;
            let page: StagedPage = serde_json::from_str(&text).map_err(|_| lost("does not parse"))?;
            let items = (codec.rows)(page.items.get()).map_err(|_| lost("does not parse"))?;
            write_page(&mut writer, items, &page.deleted).await?;
            staging.delete(key).primitive()?;
        }
        write_page(&mut writer, last.items, &last.deleted).await?;
        set_marker(&tx, module, marker)?;
        commit(tx).await
    }

    /// A pull that brought nothing moves only the marker, in a transaction
    /// that leaves the module's store alone: most background syncs bring
    /// nothing, and a cashier's look-up in that store must not wait for one
    /// (a read waits for a write transaction on its store, strict commit included).
    async fn advance_marker(&self, module: PullModule, marker: &Marker) -> Result<(), AppError> {
        let tx = self.readwrite(&[MARKERS])?;
        set_marker(&tx, module, marker)?;
        commit(tx).await
    }

    /// Forgets a staged pull of `module` (its cursor and up to `pages` pages); the cache is untouched.
    async fn drop_staged(&self, module: PullModule, pages: u32) -> Result<(), AppError> {
        let tx = self.readwrite(&[STAGING, MARKERS])?;
        let staging = tx.object_store(STAGING)?;
        for page_no in 0..pages {
            staging.delete(staged_key(module, page_no)).primitive()?;
        }
        tx.object_store(MARKERS)?.delete(staging_marker(module)).primitive()?;
        commit(tx).await
    }

    /// Forgets a cached module (rows, marker, staged pages) so the next pull
    /// fetches it whole. Never used on what the terminal produced.
    pub async fn forget_module(&self, module: PullModule) -> Result<(), AppError> {
        let name = store_name(module);
        let tx = self.readwrite(&[name, MARKERS, STAGING])?;
        tx.object_store(name)?.clear()?;
        let markers = tx.object_store(MARKERS)?;
        markers.delete(module.name()).primitive()?;
        markers.delete(staging_marker(module)).primitive()?;
        commit(tx).await
    }
}

/// One page's rows and tombstones into the blocks, then the changed blocks written.
async fn write_page(
    writer: &mut BlockWriter<'_>,
    items: Vec<StoredRow>,
    deleted: &[Uuid],
) -> Result<(), AppError> {
    for item in items {
        writer.upsert(item).await?;
    }
    for id in deleted {
        writer.delete(*id).await?;
    }
    writer.flush().await
}
