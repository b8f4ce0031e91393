//! SQL storage: one master database and one database per tenant.
//!
//! Each database is used through a single connection behind a mutex, on the
//! blocking thread pool. SQLite admits one writer at a time anyway; one
//! connection per tenant makes every request see a consistent snapshot and
//! keeps tenants independent of each other.

pub mod clock;
pub mod entity;
pub mod migrations;

use crate::error::{ApiError, ApiResult};
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// One SQLite database, used from async code through [`Db::run`].
pub struct Db {
    conn: Mutex<Connection>,
}

impl Db {
    fn open(path: &Path, migrations: rusqlite_migration::Migrations<'static>) -> Result<Self, String> {
        let mut conn = Connection::open(path).map_err(|e| format!("open {}: {e}", path.display()))?;
        // WAL lets the admin CLI write while the server reads; FULL makes each commit durable.
        conn.pragma_update(None, "journal_mode", "WAL").map_err(|e| e.to_string())?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(|e| e.to_string())?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(|e| e.to_string())?;
        conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(|e| e.to_string())?;
        migrations.to_latest(&mut conn).map_err(|e| format!("migrate {}: {e}", path.display()))?;
        Ok(Self { conn: Mutex::new(conn) })
    }

    /// Runs `work` with the connection on the blocking pool.
    pub async fn run<R: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&mut Connection) -> ApiResult<R> + Send + 'static,
    ) -> ApiResult<R> {
        let db = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let mut conn = db.conn.lock().map_err(|_| ApiError::Internal("database lock poisoned".into()))?;
            work(&mut conn)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("database task: {e}")))?
    }

    /// Runs `work` on the calling thread (CLI and start-up code).
    pub fn run_blocking<R>(&self, work: impl FnOnce(&mut Connection) -> ApiResult<R>) -> ApiResult<R> {
        let mut conn = self.conn.lock().map_err(|_| ApiError::Internal("database lock poisoned".into()))?;
        work(&mut conn)
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
    pub master: Arc<Db>,
    tenants: Mutex<HashMap<Uuid, Arc<Db>>>,
}

impl Store {
    pub fn open(dir: &Path) -> Result<Self, String> {
        std::fs::create_dir_all(dir.join("tenants")).map_err(|e| format!("create {}: {e}", dir.display()))?;
        let master = Db::open(&dir.join("master.sqlite"), migrations::master())?;
        Ok(Self { dir: dir.to_path_buf(), master: Arc::new(master), tenants: Mutex::new(HashMap::new()) })
    }

    fn tenant_path(&self, id: Uuid) -> PathBuf {
        self.dir.join("tenants").join(format!("{id}.sqlite"))
    }

    /// The database of tenant `id`, opened (and migrated) on first use.
    pub fn tenant(&self, id: Uuid) -> ApiResult<Arc<Db>> {
        let mut open = self.tenants.lock().map_err(|_| ApiError::Internal("tenant map poisoned".into()))?;
        if let Some(db) = open.get(&id) {
            return Ok(Arc::clone(db));
        }
        let path = self.tenant_path(id);
        if !path.exists() {
            return Err(ApiError::Unauthorized("the tenant of this token does not exist".into()));
        }
        let db = Arc::new(Db::open(&path, migrations::tenant()).map_err(ApiError::Internal)?);
        open.insert(id, Arc::clone(&db));
        Ok(db)
    }

    /// Creates tenant `name` with an empty, migrated database.
    pub fn create_tenant(&self, name: &str) -> ApiResult<TenantInfo> {
        let id = Uuid::new_v4();
        let db = Db::open(&self.tenant_path(id), migrations::tenant()).map_err(ApiError::Internal)?;
        self.master.run_blocking(|conn| {
            conn.execute(
                "INSERT INTO tenants (id, name, created_at) VALUES (?1, ?2, ?3)",
                rusqlite::params![id.to_string(), name, clock::now_us()],
            )?;
            Ok(())
        })?;
        self.tenants
            .lock()
            .map_err(|_| ApiError::Internal("tenant map poisoned".into()))?
            .insert(id, Arc::new(db));
        Ok(TenantInfo { id, name: name.into() })
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
