//! The pulled cache in IndexedDB: each module's rows in blocks (`blocks.rs`),
//! its marker, and the staging area of a pull that spans several pages.
//!
//! A pull that fits one page is stored at once: its rows, its tombstones and
//! the module's new marker in one strict transaction. A longer pull is staged
//! page by page and stored whole with its last page, so a failure half-way
//! leaves the module exactly as it was before the pull, and the next cycle
//! resumes from the staged cursor.

use crate::blocks::{count_of, first_row_with, rows_of, BlockWriter, BY_ID};
use crate::cached::{index_field, json_array, store_name, Cached, Codec, StoredRow};
use crate::error::AppError;
use crate::storage::{put_json, read_fields, storage_error, Storage, MARKERS, STAGING};
use crate::sync::Marker;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use indexed_db_futures::KeyRange;
use possum_contract::endpoints::PullModule;
use possum_contract::sync::SyncPage;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use uuid::Uuid;
use wasm_bindgen::JsValue;

/// A staged page as kept in the staging area: its rows and tombstones, as JSON text.
#[derive(Serialize, Deserialize)]
struct StagedPage {
    items: Box<RawValue>,
    deleted: Vec<Uuid>,
}

/// A multi-page pull under way: the cursor of its last staged page and how many pages wait.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staged {
    pub cursor: Marker,
    pub pages: u32,
}

fn staged_key(module: PullModule, page_no: u32) -> String {
    format!("{}/{page_no:06}", module.name())
}

fn staging_marker(module: PullModule) -> String {
    format!("staging:{}", module.name())
}

/// A row of a version 2–4 store: one record per row.
#[derive(Deserialize)]
struct OldRow {
    id: String,
    json: String,
}

/// Moves a version 2–4 store of rows (`old`) into blocks (`blocks`), within
/// the upgrade transaction, a chunk of rows at a time.
pub(crate) async fn migrate_rows(
    module: PullModule,
    old: &ObjectStore<'_>,
    blocks: &ObjectStore<'_>,
) -> Result<(), AppError> {
    const CHUNK: u32 = 5_000;
    let codec = Codec::of(module);
    let mut writer = BlockWriter::new(blocks, module).await?;
    let mut after: Option<String> = None;
    loop {
        let found = match &after {
            Some(last) => old
                .get_all::<JsValue>()
                .with_query::<String, _>(KeyRange::LowerBound(last.clone(), true))
                .with_limit(CHUNK)
                .primitive(),
            None => old.get_all::<JsValue>().with_limit(CHUNK).primitive(),
        }
        .map_err(storage_error)?
        .await
        .map_err(storage_error)?;
        let rows: Vec<OldRow> = read_fields(found, &["id", "json"], old.name().as_str())?;
        let Some(last) = rows.last() else { return Ok(()) };
        after = Some(last.id.clone());
        for row in &rows {
            let unreadable = |e| {
                AppError::Storage(format!(
                    "a cached row of {} ({}) is unreadable: {e}",
                    store_name(module),
                    row.id
                ))
            };
            for stored in (codec.rows)(&format!("[{}]", row.json)).map_err(unreadable)? {
                writer.upsert(stored).await?;
            }
        }
        writer.flush().await?;
    }
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
            items: RawValue::from_string(json_array(&page.items)).map_err(storage_error)?,
            deleted: page.deleted.clone(),
        })
        .map_err(storage_error)?;
        let tx = self.readwrite(&[STAGING, MARKERS])?;
        let store = tx.object_store(STAGING).map_err(storage_error)?;
        store.put(text).with_key(staged_key(module, page_no)).primitive().map_err(storage_error)?;
        put_json(
            &tx,
            MARKERS,
            &staging_marker(module),
            &Staged { cursor: cursor.clone(), pages: page_no + 1 },
        )?;
        tx.commit().await.map_err(storage_error)
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
        let store = tx.object_store(name).map_err(storage_error)?;
        let staging = tx.object_store(STAGING).map_err(storage_error)?;
        let mut writer = BlockWriter::new(&store, module).await?;
        for page_no in 0..pages {
            let key = staged_key(module, page_no);
            let text: Option<String> = staging
                .get(key.as_str())
                .primitive()
                .map_err(storage_error)?
                .await
                .map_err(storage_error)
                .unwrap_or(None);
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
            staging.delete(key).primitive().map_err(storage_error)?;
        }
        write_page(&mut writer, last.items, &last.deleted).await?;
        set_marker(&tx, module, marker)?;
        tx.commit().await.map_err(storage_error)
    }

    /// A pull that brought nothing moves only the marker, in a transaction
    /// that leaves the module's store alone: most background syncs bring
    /// nothing, and a cashier's look-up in that store must not wait for one
    /// (a read waits for a write transaction on its store, strict commit included).
    async fn advance_marker(&self, module: PullModule, marker: &Marker) -> Result<(), AppError> {
        let tx = self.readwrite(&[MARKERS])?;
        set_marker(&tx, module, marker)?;
        tx.commit().await.map_err(storage_error)
    }

    /// Forgets a staged pull of `module` (its cursor and up to `pages` pages); the cache is untouched.
    async fn drop_staged(&self, module: PullModule, pages: u32) -> Result<(), AppError> {
        let tx = self.readwrite(&[STAGING, MARKERS])?;
        let staging = tx.object_store(STAGING).map_err(storage_error)?;
        for page_no in 0..pages {
            staging.delete(staged_key(module, page_no)).primitive().map_err(storage_error)?;
        }
        tx.object_store(MARKERS)
            .map_err(storage_error)?
            .delete(staging_marker(module))
            .primitive()
            .map_err(storage_error)?;
        tx.commit().await.map_err(storage_error)
    }

    /// Where a staged pull of `module` stands, if one is under way.
    pub async fn staged(&self, module: PullModule) -> Result<Option<Staged>, AppError> {
        self.read_json(MARKERS, &staging_marker(module)).await
    }

    pub async fn marker(&self, module: PullModule) -> Result<Option<Marker>, AppError> {
        self.read_json(MARKERS, module.name()).await
    }

    /// Forgets a cached module (rows, marker, staged pages) so the next pull
    /// fetches it whole. Never used on what the terminal produced.
    pub async fn forget_module(&self, module: PullModule) -> Result<(), AppError> {
        let name = store_name(module);
        let tx = self.readwrite(&[name, MARKERS, STAGING])?;
        tx.object_store(name).map_err(storage_error)?.clear().map_err(storage_error)?;
        let markers = tx.object_store(MARKERS).map_err(storage_error)?;
        markers.delete(module.name()).primitive().map_err(storage_error)?;
        markers.delete(staging_marker(module)).primitive().map_err(storage_error)?;
        tx.commit().await.map_err(storage_error)
    }

    /// Every cached row of `E`. A block that no longer parses is reported, never skipped silently.
    pub async fn all<E: Cached>(&self) -> Result<Vec<E>, AppError> {
        let name = store_name(E::MODULE);
        let tx = self.db().transaction(name).build().map_err(storage_error)?;
        let blocks = tx
            .object_store(name)
            .map_err(storage_error)?
            .get_all::<JsValue>()
            .primitive()
            .map_err(storage_error)?
            .await
            .map_err(storage_error)?;
        let mut rows = Vec::new();
        for block in blocks {
            rows.extend(rows_of::<E>(&block.map_err(storage_error)?)?);
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
        let tx = self.db().transaction(name).build().map_err(storage_error)?;
        let store = tx.object_store(name).map_err(storage_error)?;
        let mut requests = Vec::with_capacity(look_ups.len());
        for (index, key) in look_ups {
            let field = index_field(E::MODULE, index)
                .ok_or_else(|| AppError::Storage(format!("{name} has no index {index}")))?;
            let request = store
                .index(index)
                .map_err(storage_error)?
                .get_all::<JsValue>()
                .with_query(*key)
                .primitive()
                .map_err(storage_error)?;
            requests.push((field, *key, request));
        }
        for (position, (field, key, request)) in requests.into_iter().enumerate() {
            for block in request.await.map_err(storage_error)? {
                if let Some(row) = first_row_with::<E>(&block.map_err(storage_error)?, field, key)? {
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
            .ok_or_else(|| AppError::Storage(format!("{name} has no index {index}")))?;
        let tx = self.db().transaction(name).build().map_err(storage_error)?;
        let store = tx.object_store(name).map_err(storage_error)?;
        let blocks = store
            .index(index)
            .map_err(storage_error)?
            .get_all::<JsValue>()
            .with_query(key)
            .primitive()
            .map_err(storage_error)?
            .await
            .map_err(storage_error)?;
        let mut found = Vec::new();
        for block in blocks {
            let rows = rows_of::<E>(&block.map_err(storage_error)?)?;
            found.extend(rows.into_iter().filter(|row| row.keys().values(field).contains(&key)));
        }
        Ok(found)
    }

    /// How many rows the module holds: the entries of its by-id index (no block is read).
    pub async fn count(&self, module: PullModule) -> Result<u32, AppError> {
        let name = store_name(module);
        let tx = self.db().transaction(name).build().map_err(storage_error)?;
        let store = tx.object_store(name).map_err(storage_error)?;
        store.index(BY_ID.0).map_err(storage_error)?.count().await.map_err(storage_error)
    }

    /// Rows per block (tests).
    pub async fn block_sizes(&self, module: PullModule) -> Result<Vec<u32>, AppError> {
        let name = store_name(module);
        let tx = self.db().transaction(name).build().map_err(storage_error)?;
        let blocks = tx
            .object_store(name)
            .map_err(storage_error)?
            .get_all::<JsValue>()
            .primitive()
            .map_err(storage_error)?
            .await
            .map_err(storage_error)?;
        blocks.map(|b| b.map(|b| count_of(&b)).map_err(storage_error)).collect()
    }
}

/// The module's new marker, and no staged pull of it left, within `tx` (which includes MARKERS).
fn set_marker(tx: &Transaction<'_>, module: PullModule, marker: &Marker) -> Result<(), AppError> {
    put_json(tx, MARKERS, module.name(), marker)?;
    tx.object_store(MARKERS)
        .map_err(storage_error)?
        .delete(staging_marker(module))
        .primitive()
        .map_err(storage_error)?;
    Ok(())
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
