//! The cache's on-disk form: a pulled module's rows kept in blocks of up to
//! [`BLOCK_ROWS`] rows per IndexedDB record, each block carrying arrays of its
//! rows' look-up keys under multi-entry indexes.
//!
//! Why blocks: IndexedDB's cost is per record and per index entry. Measured
//! here in Chromium, a record per customer (with the five look-up indexes)
//! stores 200,000 customers in about 20 s; blocks of 200 with the same
//! look-ups take about 5 s, and reading everything back at start-up is four
//! times faster. A look-up fetches one block and picks its row out in well
//! under a millisecond.
//!
//! A block record: `id` (the block's number, zero-padded), `rows` (the JSON
//! array of the rows' contract JSON, so money keeps its exact digits), `n`
//! (how many rows), `ids` (under the `by_id` index, to find a row's block
//! when it changes or is deleted) and one array per look-up field of the
//! module ([`super::rows::indexes`]).

use super::rows::{indexes, json_array, Cached, Codec, StoredRow};
use crate::error::AppError;
use crate::storage::db::put_all;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use possum_contract::endpoints::PullModule;
use serde::Serialize;
use serde_json::value::RawValue;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use uuid::Uuid;
use wasm_bindgen::JsValue;

/// Rows per block: small enough that a look-up parses little, large enough
/// that a 200,000-row pull is about a thousand records.
pub const BLOCK_ROWS: usize = 200;

/// The index every block store has: which block holds the row with an id.
pub const BY_ID: (&str, &str) = ("by_id", "ids");

fn block_key(number: u32) -> String {
    format!("{number:08}")
}

fn block_number(key: &str) -> Result<u32, AppError> {
    key.parse().map_err(|_| AppError::unreadable(format!("“{key}” is not a block of the cache")))
}

/// A block as it is written: its look-up keys beside the rows.
#[derive(Serialize)]
struct BlockRecord {
    id: String,
    rows: String,
    n: usize,
    ids: Vec<String>,
    #[serde(flatten)]
    keys: BTreeMap<&'static str, BTreeSet<String>>,
}

impl BlockRecord {
    fn of(module: PullModule, number: u32, rows: &[StoredRow]) -> Self {
        let mut keys: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
        for row in rows {
            for (_, field) in indexes(module) {
                keys.entry(field).or_default().extend(row.keys.values(field).into_iter().map(str::to_string));
            }
        }
        BlockRecord {
            id: block_key(number),
            rows: json_array(rows),
            n: rows.len(),
            ids: rows.iter().map(|r| r.id.to_string()).collect(),
            keys,
        }
    }
}

/// The JSON text of a block's rows, read back from IndexedDB.
fn rows_text(module: PullModule, block: &JsValue) -> Result<String, AppError> {
    js_sys::Reflect::get(block, &"rows".into())
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| unreadable(module, "has no rows"))
}

fn unreadable(module: PullModule, why: &str) -> AppError {
    AppError::unreadable(format!("a block of the {} cache {why}", module.name()))
}

/// `text` of a block of `E`'s module parsed as `T` (its rows, or one row).
fn parse<'a, E: Cached, T: serde::Deserialize<'a>>(text: &'a str) -> Result<T, AppError> {
    serde_json::from_str(text).map_err(|e| unreadable(E::MODULE, &format!("is unreadable: {e}")))
}

/// The rows of a block read back from IndexedDB.
pub fn rows_of<E: Cached>(block: &JsValue) -> Result<Vec<E>, AppError> {
    parse::<E, _>(&rows_text(E::MODULE, block)?)
}

/// The first row of a block whose `field` holds `key`. The block's rows are
/// split as JSON text first and only those up to the match are parsed.
pub fn first_row_with<E: Cached>(block: &JsValue, field: &str, key: &str) -> Result<Option<E>, AppError> {
    let text = rows_text(E::MODULE, block)?;
    for raw in parse::<E, Vec<&RawValue>>(&text)? {
        let row: E = parse::<E, _>(raw.get())?;
        if row.keys().values(field).contains(&key) {
            return Ok(Some(row));
        }
    }
    Ok(None)
}

/// The rows of a block in the stored form.
fn stored_rows_of(codec: Codec, block: &JsValue) -> Result<Vec<StoredRow>, AppError> {
    (codec.rows)(&rows_text(codec.module, block)?)
        .map_err(|e| unreadable(codec.module, &format!("is unreadable: {e}")))
}

/// The number of rows a block holds.
pub fn count_of(block: &JsValue) -> u32 {
    js_sys::Reflect::get(block, &"n".into()).ok().and_then(|n| n.as_f64()).unwrap_or(0.0) as u32
}

/// Puts rows into a block store and takes them out, within the caller's
/// transaction: a changed row is replaced in its block, a new one goes to the
/// last block until it is full, a deleted one leaves its block (and an
/// emptied block goes). Nothing is written until [`BlockWriter::flush`].
pub struct BlockWriter<'a> {
    store: &'a ObjectStore<'a>,
    codec: Codec,
    /// The store held rows when the writer began: every row is looked for in it.
    had_rows: bool,
    /// The block of each row this writer has placed or found.
    placed: HashMap<u128, u32>,
    /// Blocks read or written by this writer, by number.
    open: BTreeMap<u32, Vec<StoredRow>>,
    /// Blocks changed since the last flush.
    dirty: BTreeSet<u32>,
    /// The block new rows go to.
    tail: u32,
}

impl<'a> BlockWriter<'a> {
    /// A writer of `module`'s blocks in `store`.
    pub async fn new(store: &'a ObjectStore<'a>, module: PullModule) -> Result<Self, AppError> {
        let keys: Vec<String> = store.get_all_keys().primitive()?.await?.collect::<Result<_, _>>()?;
        let last = keys.iter().map(|k| block_number(k)).collect::<Result<Vec<_>, _>>()?.into_iter().max();
        let mut writer = Self {
            store,
            codec: Codec::of(module),
            had_rows: last.is_some(),
            placed: HashMap::new(),
            open: BTreeMap::new(),
            dirty: BTreeSet::new(),
            tail: 0,
        };
        if let Some(last) = last {
            writer.tail = last;
            if writer.load(last).await?.len() >= BLOCK_ROWS {
                writer.tail = last + 1;
            }
        }
        Ok(writer)
    }

    /// The block that holds row `id`, if any.
    async fn locate(&mut self, id: Uuid) -> Result<Option<u32>, AppError> {
        if let Some(block) = self.placed.get(&id.as_u128()) {
            return Ok(Some(*block));
        }
        if !self.had_rows {
            return Ok(None);
        }
        let index = self.store.index(BY_ID.0)?;
        let key: Option<String> = index.get_key(id.to_string()).primitive()?.await?;
        key.map(|k| block_number(&k)).transpose()
    }

    /// The rows of block `number`, read from the store the first time.
    async fn load(&mut self, number: u32) -> Result<&mut Vec<StoredRow>, AppError> {
        if !self.open.contains_key(&number) {
            let stored: Option<JsValue> = self.store.get(block_key(number)).primitive()?.await?;
            let rows = match stored {
                Some(block) => stored_rows_of(self.codec, &block)?,
                None => Vec::new(),
            };
            for row in &rows {
                self.placed.insert(row.id.as_u128(), number);
            }
            self.open.insert(number, rows);
        }
        Ok(self.open.get_mut(&number).expect("loaded above"))
    }

    /// Stores `row`, replacing the row with its id wherever it is.
    pub async fn upsert(&mut self, row: StoredRow) -> Result<(), AppError> {
        let id = row.id;
        let block = match self.locate(id).await? {
            Some(block) => block,
            None => {
                if self.load(self.tail).await?.len() >= BLOCK_ROWS {
                    self.tail += 1;
                }
                self.tail
            }
        };
        let rows = self.load(block).await?;
        match rows.iter_mut().find(|r| r.id == id) {
            Some(existing) => *existing = row,
            None => rows.push(row),
        }
        self.placed.insert(id.as_u128(), block);
        self.dirty.insert(block);
        Ok(())
    }

    /// Takes row `id` out of its block (a row the cache does not hold is no change).
    pub async fn delete(&mut self, id: Uuid) -> Result<(), AppError> {
        let Some(block) = self.locate(id).await? else { return Ok(()) };
        self.load(block).await?.retain(|r| r.id != id);
        self.placed.remove(&id.as_u128());
        self.dirty.insert(block);
        Ok(())
    }

    /// Writes every changed block (an empty one is deleted), in chunks that
    /// leave the main thread free between them. Keeps only the last block
    /// open, so a long pull does not hold its rows in memory.
    pub async fn flush(&mut self) -> Result<(), AppError> {
        let mut records = Vec::new();
        for number in std::mem::take(&mut self.dirty) {
            let rows = self.open.get(&number).map(Vec::as_slice).unwrap_or_default();
            if rows.is_empty() {
                self.store.delete(block_key(number)).primitive()?;
            } else {
                records.push(BlockRecord::of(self.codec.module, number, rows));
            }
        }
        let text = serde_json::to_string(&records)?;
        put_all(self.store, &text).await?;
        let tail = self.tail;
        self.open.retain(|number, _| *number == tail);
        Ok(())
    }
}
