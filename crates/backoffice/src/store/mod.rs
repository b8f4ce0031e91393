//! SQL storage: the master database (tenants, terminal logins, sign-in
//! throttling) and one database per tenant, on SQLite or PostgreSQL.
//!
//! - SQLite (the default, `--data-dir`): `master.sqlite` and
//!   `tenants/<id>.sqlite`, each with one writer and a few WAL readers
//!   (`pool.rs`).
//! - PostgreSQL (`--database-url`): one database for every tenant, the
//!   master tables in the schema `possum`, each tenant's tables in a schema
//!   of its own (`tenant_<id>`), one connection pool per instance
//!   (`sql/pg.rs`). Why a schema per tenant: docs/openapi.yaml, "Storage".
//!
//! Either way waiting for a connection holds no thread, and each database's
//! line is bounded, so one busy tenant never stalls another, nor the master
//! look-up behind every request.

pub mod clock;
mod db;
pub mod entity;
pub mod migrations;
mod pg_schema;
mod pool;
pub mod sql;

pub use db::{Db, Entry};
pub use sql::{OptionalExtension, Tx};

use crate::error::{ApiError, ApiResult};
use crate::limits::Limits;
use db::Kind;
use pool::{Line, Pool};
use rusqlite::Connection;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;
use uuid::Uuid;

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Storage {
    /// `master.sqlite` and `tenants/` in this folder.
    Sqlite(PathBuf),
    /// A PostgreSQL database, `postgres://user:password@host:port/database`.
    Postgres(String),
}

fn connect(path: &Path) -> Result<Connection, String> {
    let conn = Connection::open(path).map_err(|e| format!("open {}: {e}", path.display()))?;
    conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(|e| e.to_string())?;
    Ok(conn)
}

/// Opens a SQLite database with a line of `line` requests waiting per pool.
fn open_sqlite(
    path: &Path,
    migrations: rusqlite_migration::Migrations<'static>,
    limits: &Limits,
    line: usize,
) -> Result<Db, String> {
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
    Ok(Db {
        kind: Kind::Lite {
            writer: Pool::new(vec![conn], line),
            readers: (!readers.is_empty()).then(|| Pool::new(readers, line)),
        },
        requests: Arc::new(Semaphore::new(in_flight)),
    })
}

/// A database of the PostgreSQL pool: the tables of `schema`, with a tenant's share of turns.
fn open_postgres(pool: &Arc<sql::pg::Pool>, schema: String, clock: bool, limits: &Limits, line: usize) -> Db {
    let readers = limits.db_readers.max(1);
    Db {
        kind: Kind::Pg {
            pool: Arc::clone(pool),
            schema,
            clock,
            writer: Line::new(1, line),
            readers: Line::new(readers, line),
        },
        requests: Arc::new(Semaphore::new(1 + readers + limits.db_queue)),
    }
}

#[derive(Debug, Clone)]
pub struct TenantInfo {
    pub id: Uuid,
    pub name: String,
}

enum Backend {
    Sqlite { dir: PathBuf },
    Postgres { pool: Arc<sql::pg::Pool> },
}

/// The master database and the tenants' databases, opened on first use.
pub struct Store {
    backend: Backend,
    limits: Limits,
    pub master: Arc<Db>,
    tenants: Mutex<HashMap<Uuid, Arc<Db>>>,
}

/// The schema of tenant `id` on PostgreSQL.
pub fn tenant_schema(id: Uuid) -> String {
    format!("tenant_{}", id.simple())
}

impl Store {
    /// The SQLite data folder with the default [`Limits`].
    pub fn open(dir: &Path) -> Result<Self, String> {
        Self::open_with(dir, &Limits::default())
    }

    pub fn open_with(dir: &Path, limits: &Limits) -> Result<Self, String> {
        Self::open_storage(&Storage::Sqlite(dir.to_path_buf()), limits)
    }

    /// Opens (and migrates) the master database of `storage`.
    pub fn open_storage(storage: &Storage, limits: &Limits) -> Result<Self, String> {
        // Every request's token check reads the master database: its line is
        // as long as there may be requests (one per connection); each tenant's
        // line (`Db::enter`) keeps any one tenant from filling it.
        let (backend, master) = match storage {
            Storage::Sqlite(dir) => {
                std::fs::create_dir_all(dir.join("tenants"))
                    .map_err(|e| format!("create {}: {e}", dir.display()))?;
                let master = open_sqlite(
                    &dir.join("master.sqlite"),
                    migrations::master(),
                    limits,
                    limits.max_connections,
                )?;
                (Backend::Sqlite { dir: dir.clone() }, master)
            }
            Storage::Postgres(url) => {
                let pool = db::off_runtime(|| sql::pg::Pool::open(url, limits.pg_connections))?;
                db::off_runtime(|| pg_schema::migrate(&pool, pg_schema::MASTER_SCHEMA, pg_schema::master()))
                    .map_err(|e| format!("prepare the database {}: {e}", pool.shown))?;
                let master = open_postgres(
                    &pool,
                    pg_schema::MASTER_SCHEMA.into(),
                    false,
                    limits,
                    limits.max_connections,
                );
                (Backend::Postgres { pool }, master)
            }
        };
        Ok(Self {
            backend,
            limits: limits.clone(),
            master: Arc::new(master),
            tenants: Mutex::new(HashMap::new()),
        })
    }

    /// Whether this store is on PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(self.backend, Backend::Postgres { .. })
    }

    fn open_tenants(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, Arc<Db>>> {
        // The map is only read and inserted into: it is whole even after a panic.
        self.tenants.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Opens (creating and migrating as needed) the database of tenant `id`.
    fn open_tenant(&self, id: Uuid) -> ApiResult<Db> {
        match &self.backend {
            Backend::Sqlite { dir } => {
                let path = dir.join("tenants").join(format!("{id}.sqlite"));
                open_sqlite(&path, migrations::tenant(), &self.limits, self.limits.db_queue)
                    .map_err(ApiError::Internal)
            }
            Backend::Postgres { pool } => {
                let schema = tenant_schema(id);
                db::off_runtime(|| pg_schema::migrate(pool, &schema, pg_schema::tenant()))?;
                Ok(open_postgres(pool, schema, true, &self.limits, self.limits.db_queue))
            }
        }
    }

    fn tenant_exists(&self, id: Uuid) -> ApiResult<bool> {
        match &self.backend {
            Backend::Sqlite { dir } => Ok(dir.join("tenants").join(format!("{id}.sqlite")).exists()),
            Backend::Postgres { .. } => self.master.read_blocking(|tx| {
                Ok(tx
                    .query_row("SELECT 1 FROM tenants WHERE id = ?1", crate::params![id], |_| Ok(()))
                    .optional()?
                    .is_some())
            }),
        }
    }

    /// The database of tenant `id`, opened (and migrated) on first use, on the
    /// calling thread. Async code uses [`Store::tenant_for_request`].
    pub fn tenant(&self, id: Uuid) -> ApiResult<Arc<Db>> {
        if let Some(db) = self.open_tenants().get(&id) {
            return Ok(Arc::clone(db));
        }
        if !self.tenant_exists(id)? {
            return Err(ApiError::Unauthorized("the tenant of this token does not exist".into()));
        }
        // Opened outside the map's lock: migrating one tenant holds up no other.
        let db = Arc::new(self.open_tenant(id)?);
        Ok(Arc::clone(self.open_tenants().entry(id).or_insert(db)))
    }

    /// [`Store::tenant`] for async code: opening a database the first time is
    /// blocking work and runs on the blocking pool.
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
        self.create_tenant_with_id(Uuid::new_v4(), name)
    }

    /// Creates tenant `name` under `id`.
    pub fn create_tenant_with_id(&self, id: Uuid, name: &str) -> ApiResult<TenantInfo> {
        self.create_tenant_with(id, name, |_| Ok(()))
    }

    /// Creates tenant `name` under `id` (a tenant copied keeps its id) and
    /// fills its database in one write transaction first: the tenant exists
    /// once it is whole, and a failed fill leaves no tenant behind.
    pub fn create_tenant_with(
        &self,
        id: Uuid,
        name: &str,
        mut fill: impl FnMut(&Tx<'_>) -> ApiResult<()> + Send,
    ) -> ApiResult<TenantInfo> {
        let db = self.open_tenant(id)?;
        db.write_blocking(&mut fill)?;
        self.master.write_blocking(|tx| {
            tx.execute(
                "INSERT INTO tenants (id, name, created_at) VALUES (?1, ?2, ?3)",
                crate::params![id, name, clock::now_us()],
            )?;
            Ok(())
        })?;
        self.open_tenants().insert(id, Arc::new(db));
        Ok(TenantInfo { id, name: name.into() })
    }

    /// The name of tenant `id` (read on the master's readers).
    pub async fn tenant_name(&self, id: Uuid) -> ApiResult<String> {
        self.master
            .read(move |tx| {
                Ok(tx.query_row("SELECT name FROM tenants WHERE id = ?1", crate::params![id], |row| {
                    row.get(0)
                })?)
            })
            .await
    }

    pub fn find_tenant(&self, name: &str) -> ApiResult<Option<TenantInfo>> {
        self.master.read_blocking(|tx| {
            Ok(tx
                .query_row("SELECT id, name FROM tenants WHERE name = ?1", crate::params![name], |row| {
                    Ok((row.get::<String>(0)?, row.get::<String>(1)?))
                })
                .optional()?
                .and_then(|(id, name)| Some(TenantInfo { id: id.parse().ok()?, name })))
        })
    }

    /// Runs `work` while holding the store-wide lock `name` (PostgreSQL: an
    /// advisory lock, so two instances starting at once do not both create
    /// the demo tenant; SQLite: one process serves a data folder).
    pub fn exclusively<R: Send>(
        &self,
        name: &str,
        work: impl FnOnce() -> ApiResult<R> + Send,
    ) -> ApiResult<R> {
        match &self.backend {
            Backend::Sqlite { .. } => work(),
            Backend::Postgres { pool } => db::off_runtime(|| {
                let mut conn = pool.get()?;
                let key = format!("SELECT pg_advisory_lock(hashtext('possum:{name}'))");
                conn.batch(&key)?;
                let answer = work();
                let unlock = format!("SELECT pg_advisory_unlock(hashtext('possum:{name}'))");
                if conn.batch(&unlock).is_err() {
                    conn.broken = true;
                }
                answer
            }),
        }
    }
}
