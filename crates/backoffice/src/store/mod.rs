//! SQL storage: one master database and one database per tenant.
//!
//! Each database has one writer connection and a few reader connections
//! (WAL: readers see the last commit while the writer works), lent to async
//! code by `pool.rs`: waiting for a connection holds no thread, and each
//! database's waiting line is bounded, so one busy tenant never stalls
//! another, nor the master look-up behind every request.

pub mod clock;
pub mod entity;
pub mod migrations;
mod pool;

use crate::error::{ApiError, ApiResult};
use crate::limits::Limits;
use pool::Pool;
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use uuid::Uuid;

/// One SQLite database, used from async code through [`Db::run`] (writes) and [`Db::read`].
pub struct Db {
    writer: Pool,
    /// `None` when reads go to the writer.
    readers: Option<Pool>,
    /// Requests in flight for this database, each from its token check to its answer.
    requests: Arc<Semaphore>,
}

/// A request's place among its database's requests in flight (see [`Db::enter`]).
pub struct Entry {
    _place: OwnedSemaphorePermit,
}

fn connect(path: &Path) -> Result<Connection, String> {
    let conn = Connection::open(path).map_err(|e| format!("open {}: {e}", path.display()))?;
    conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(|e| e.to_string())?;
    Ok(conn)
}

impl Db {
    /// Opens the database with a line of `line` requests waiting per pool.
    fn open(
        path: &Path,
        migrations: rusqlite_migration::Migrations<'static>,
        limits: &Limits,
        line: usize,
    ) -> Result<Self, String> {
        let mut conn = connect(path)?;
        // WAL lets readers and the admin CLI work beside the writer; FULL makes each commit durable.
        conn.pragma_update(None, "journal_mode", "WAL").map_err(|e| e.to_string())?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(|e| e.to_string())?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(|e| e.to_string())?;
        migrations.to_latest(&mut conn).map_err(|e| format!("migrate {}: {e}", path.display()))?;
        let readers = (0..limits.db_readers)
            .map(|_| {
                let reader = connect(path)?;
                // A write sent to a reader by mistake fails instead of racing the writer.
                reader.pragma_update(None, "query_only", "ON").map_err(|e| e.to_string())?;
                Ok(reader)
            })
            .collect::<Result<Vec<_>, String>>()?;
        let in_flight = 1 + readers.len() + limits.db_queue;
        Ok(Self {
            writer: Pool::new(vec![conn], line),
            readers: (!readers.is_empty()).then(|| Pool::new(readers, line)),
            requests: Arc::new(Semaphore::new(in_flight)),
        })
    }

    /// A place among this database's requests in flight, for a whole request,
    /// or 503 at once when its connections and line are all taken.
    pub fn enter(&self) -> ApiResult<Entry> {
        Arc::clone(&self.requests).try_acquire_owned().map(|place| Entry { _place: place }).map_err(|_| {
            ApiError::busy("Too many requests are waiting for this shop's data; try again shortly.", 1)
        })
    }

    /// Runs `work` with the writer connection on the blocking pool, after
    /// waiting (without a thread) for its turn; 503 when too many already wait.
    pub async fn run<R: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&mut Connection) -> ApiResult<R> + Send + 'static,
    ) -> ApiResult<R> {
        self.lend(|db| &db.writer, work).await
    }

    /// Runs read-only `work` on a reader connection (the writer when there
    /// are none). Several statements that must agree belong in one
    /// transaction: each statement alone may see a later commit.
    pub async fn read<R: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&mut Connection) -> ApiResult<R> + Send + 'static,
    ) -> ApiResult<R> {
        self.lend(|db| db.readers.as_ref().unwrap_or(&db.writer), work).await
    }

    async fn lend<R: Send + 'static>(
        self: &Arc<Self>,
        pool: fn(&Db) -> &Pool,
        work: impl FnOnce(&mut Connection) -> ApiResult<R> + Send + 'static,
    ) -> ApiResult<R> {
        let turn = pool(self).turn().await?;
        let db = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            work(&mut pool(&db).free())
        })
        .await
        .map_err(|e| ApiError::Internal(format!("database task: {e}")))?
    }

    /// Runs `work` with the writer connection on the calling thread (CLI and start-up code).
    pub fn run_blocking<R>(&self, work: impl FnOnce(&mut Connection) -> ApiResult<R>) -> ApiResult<R> {
        work(&mut self.writer.first())
    }
}

#[derive(Debug, Clone)]
pub struct TenantInfo {
    pub id: Uuid,
    pub name: String,
}

/// The data folder: `master.sqlite` and `tenants/<tenant id>.sqlite`.
pub struct Store {
    dir: PathBuf,
    limits: Limits,
    pub master: Arc<Db>,
    tenants: Mutex<HashMap<Uuid, Arc<Db>>>,
}

impl Store {
    /// The data folder with the default [`Limits`].
    pub fn open(dir: &Path) -> Result<Self, String> {
        Self::open_with(dir, &Limits::default())
    }

    pub fn open_with(dir: &Path, limits: &Limits) -> Result<Self, String> {
        std::fs::create_dir_all(dir.join("tenants")).map_err(|e| format!("create {}: {e}", dir.display()))?;
        // Every request's token check reads the master database: its line is
        // as long as there may be requests (one per connection); each tenant's
        // line (`Db::enter`) keeps any one tenant from filling it.
        let master =
            Db::open(&dir.join("master.sqlite"), migrations::master(), limits, limits.max_connections)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            limits: limits.clone(),
            master: Arc::new(master),
            tenants: Mutex::new(HashMap::new()),
        })
    }

    fn tenant_path(&self, id: Uuid) -> PathBuf {
        self.dir.join("tenants").join(format!("{id}.sqlite"))
    }

    fn open_tenants(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, Arc<Db>>> {
        // The map is only read and inserted into: it is whole even after a panic.
        self.tenants.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The database of tenant `id`, opened (and migrated) on first use, on the
    /// calling thread. Async code uses [`Store::tenant_for_request`].
    pub fn tenant(&self, id: Uuid) -> ApiResult<Arc<Db>> {
        if let Some(db) = self.open_tenants().get(&id) {
            return Ok(Arc::clone(db));
        }
        let path = self.tenant_path(id);
        if !path.exists() {
            return Err(ApiError::Unauthorized("the tenant of this token does not exist".into()));
        }
        // Opened outside the map's lock: migrating one tenant holds up no other.
        let db = Arc::new(
            Db::open(&path, migrations::tenant(), &self.limits, self.limits.db_queue)
                .map_err(ApiError::Internal)?,
        );
        Ok(Arc::clone(self.open_tenants().entry(id).or_insert(db)))
    }

    /// [`Store::tenant`] for async code: opening a database the first time is
    /// file work and runs on the blocking pool.
    pub async fn tenant_for_request(self: &Arc<Self>, id: Uuid) -> ApiResult<Arc<Db>> {
        if let Some(db) = self.open_tenants().get(&id) {
            return Ok(Arc::clone(db));
        }
        let store = Arc::clone(self);
        tokio::task::spawn_blocking(move || store.tenant(id))
            .await
            .map_err(|e| ApiError::Internal(format!("open tenant: {e}")))?
    }

    /// Creates tenant `name` with an empty, migrated database.
    pub fn create_tenant(&self, name: &str) -> ApiResult<TenantInfo> {
        let id = Uuid::new_v4();
        let db = Db::open(&self.tenant_path(id), migrations::tenant(), &self.limits, self.limits.db_queue)
            .map_err(ApiError::Internal)?;
        self.master.run_blocking(|conn| {
            conn.execute(
                "INSERT INTO tenants (id, name, created_at) VALUES (?1, ?2, ?3)",
                rusqlite::params![id.to_string(), name, clock::now_us()],
            )?;
            Ok(())
        })?;
        self.open_tenants().insert(id, Arc::new(db));
        Ok(TenantInfo { id, name: name.into() })
    }

    /// The name of tenant `id` (read on the master's readers).
    pub async fn tenant_name(&self, id: Uuid) -> ApiResult<String> {
        self.master
            .read(move |conn| {
                Ok(conn.query_row("SELECT name FROM tenants WHERE id = ?1", [id.to_string()], |row| {
                    row.get(0)
                })?)
            })
            .await
    }

    pub fn find_tenant(&self, name: &str) -> ApiResult<Option<TenantInfo>> {
        self.master.run_blocking(|conn| {
            Ok(conn
                .query_row("SELECT id, name FROM tenants WHERE name = ?1", [name], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
                })
                .optional()?
                .and_then(|(id, name)| Some(TenantInfo { id: id.parse().ok()?, name })))
        })
    }
}
