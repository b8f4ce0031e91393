//! Version 2–4 kept a pulled module as one record per row; version 5 keeps
//! blocks of rows. The upgrade moves a tablet's rows into blocks in place,
//! so it keeps its cache (and sells offline) across the update.

use super::blocks::BlockWriter;
use super::rows::{store_name, Codec};
use crate::error::AppError;
use crate::storage::db::read_fields;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use possum_contract::endpoints::PullModule;
use serde::Deserialize;
use wasm_bindgen::JsValue;

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
        }?
        .await?;
        let rows: Vec<OldRow> = read_fields(found, &["id", "json"], old.name().as_str())?;
        let Some(last) = rows.last() else { return Ok(()) };
        after = Some(last.id.clone());
        for row in &rows {
            let unreadable = |e| {
                AppError::unreadable(format!(
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
