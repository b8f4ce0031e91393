//! One database as business code uses it: [`Db::write`] and [`Db::read`] lend
//! a transaction ([`Tx`]) on the blocking pool after an async turn, and end it
//! (commit on `Ok`, roll back on `Err`).
//!
//! - SQLite: one writer and a few WAL readers of the database's own file.
//! - PostgreSQL: connections of the instance's one pool, in the tenant's
//!   schema. A tenant gets at most one writer and a few reader turns per
//!   instance, so it never holds more than its share of the pool. Every
//!   write transaction of a tenant first locks the tenant's change-clock row,
//!   so a tenant's writes run one at a time across every instance (as
//!   SQLite's single writer has them) and stamps grow in commit order; every
//!   read is one REPEATABLE READ snapshot, so a pull page's rows and its
//!   cursor agree (see `clock.rs`).

use super::pool::{Line, Pool};
use super::sql::{self, pg, Tx};
use crate::error::{ApiError, ApiResult};
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// A transaction lost to a deadlock or a serialization failure is run again this often.
const RETRIES: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Write,
    Read,
}

pub(super) enum Kind {
    Lite {
        writer: Pool,
        /// `None` when reads go to the writer.
        readers: Option<Pool>,
    },
    Pg {
        pool: Arc<pg::Pool>,
        /// The schema of the tenant (or of the master tables).
        schema: String,
        /// Whether writes lock the change clock first (tenants, not the master).
        clock: bool,
        writer: Line,
        readers: Line,
    },
}

/// One database, used from async code through [`Db::write`] and [`Db::read`].
pub struct Db {
    pub(super) kind: Kind,
    /// Requests in flight for this database, each from its token check to its answer.
    pub(super) requests: Arc<Semaphore>,
}

/// A request's place among its database's requests in flight (see [`Db::enter`]).
pub struct Entry {
    _place: OwnedSemaphorePermit,
}

impl Db {
    /// A place among this database's requests in flight, for a whole request,
    /// or 503 at once when its connections and line are all taken.
    pub fn enter(&self) -> ApiResult<Entry> {
        Arc::clone(&self.requests).try_acquire_owned().map(|place| Entry { _place: place }).map_err(|_| {
            ApiError::busy("Too many requests are waiting for this shop's data; try again shortly.", 1)
        })
    }

    /// Runs `work` in a write transaction on the blocking pool, after waiting
    /// (without a thread) for its turn; 503 when too many already wait.
    pub async fn write<R: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnMut(&Tx<'_>) -> ApiResult<R> + Send + 'static,
    ) -> ApiResult<R> {
        self.lend(Mode::Write, work).await
    }

    /// Runs read-only `work` in one read transaction (one snapshot) on a reader.
    pub async fn read<R: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnMut(&Tx<'_>) -> ApiResult<R> + Send + 'static,
    ) -> ApiResult<R> {
        self.lend(Mode::Read, work).await
    }

    async fn lend<R: Send + 'static>(
        self: &Arc<Self>,
        mode: Mode,
        work: impl FnMut(&Tx<'_>) -> ApiResult<R> + Send + 'static,
    ) -> ApiResult<R> {
        let line = match (&self.kind, mode) {
            (Kind::Lite { writer, .. }, Mode::Write) => &writer.line,
            (Kind::Lite { writer, readers }, Mode::Read) => &readers.as_ref().unwrap_or(writer).line,
            (Kind::Pg { writer, .. }, Mode::Write) => writer,
            (Kind::Pg { readers, .. }, Mode::Read) => readers,
        };
        let turn = line.turn().await?;
        // A tenant's turn first, then one of the instance's connections.
        let permit = match &self.kind {
            Kind::Pg { pool, .. } => Some(pool.permit().await),
            Kind::Lite { .. } => None,
        };
        let db = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let _held = (turn, permit);
            db.run(mode, work)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("database task: {e}")))?
    }

    /// Runs `work` in a write transaction, blocking the calling thread (CLI, start-up, tests).
    pub fn write_blocking<R: Send>(&self, work: impl FnMut(&Tx<'_>) -> ApiResult<R> + Send) -> ApiResult<R> {
        self.run_blocking(Mode::Write, work)
    }

    /// Runs `work` in a read transaction, blocking the calling thread.
    pub fn read_blocking<R: Send>(&self, work: impl FnMut(&Tx<'_>) -> ApiResult<R> + Send) -> ApiResult<R> {
        self.run_blocking(Mode::Read, work)
    }

    /// [`Db::read_blocking`] on the calling thread, for work that cannot move
    /// to another (it holds another database's transaction): outside any
    /// async runtime, or on SQLite.
    pub fn read_here<R>(&self, work: impl FnMut(&Tx<'_>) -> ApiResult<R>) -> ApiResult<R> {
        self.run(Mode::Read, work)
    }

    fn run_blocking<R: Send>(
        &self,
        mode: Mode,
        work: impl FnMut(&Tx<'_>) -> ApiResult<R> + Send,
    ) -> ApiResult<R> {
        match self.kind {
            Kind::Lite { .. } => self.run(mode, work),
            Kind::Pg { .. } => off_runtime(|| self.run(mode, work)),
        }
    }

    fn run<R>(&self, mode: Mode, mut work: impl FnMut(&Tx<'_>) -> ApiResult<R>) -> ApiResult<R> {
        match &self.kind {
            Kind::Lite { writer, readers } => {
                let pool = match mode {
                    Mode::Write => writer,
                    Mode::Read => readers.as_ref().unwrap_or(writer),
                };
                let mut conn = pool.free();
                let behavior = match mode {
                    Mode::Write => rusqlite::TransactionBehavior::Immediate,
                    Mode::Read => rusqlite::TransactionBehavior::Deferred,
                };
                let tx = conn.transaction_with_behavior(behavior).map_err(sql::Error::from)?;
                let answer = work(&Tx::sqlite(&tx))?;
                tx.commit().map_err(sql::Error::from)?;
                Ok(answer)
            }
            Kind::Pg { pool, schema, clock, .. } => {
                let mut conn = pool.get()?;
                let begin = match (mode, clock) {
                    (Mode::Read, _) => format!(
                        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL search_path TO {schema}"
                    ),
                    (Mode::Write, false) => format!("BEGIN; SET LOCAL search_path TO {schema}"),
                    (Mode::Write, true) => format!(
                        "BEGIN; SET LOCAL search_path TO {schema}; SELECT 1 FROM change_clock FOR UPDATE"
                    ),
                };
                let mut attempt = 0;
                loop {
                    attempt += 1;
                    match once(&mut conn, &begin, &mut work) {
                        Err(ApiError::Storage(e)) if e.is_retryable() && attempt < RETRIES => {
                            tracing::debug!(error = %e, attempt, "running a transaction again");
                        }
                        other => return other,
                    }
                }
            }
        }
    }
}

/// Runs `work` on a thread outside any async runtime: the blocking
/// PostgreSQL client runs a small runtime of its own for each call, which
/// tokio refuses inside another (a test's, or a request's async code).
pub(crate) fn off_runtime<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    if tokio::runtime::Handle::try_current().is_err() {
        return work();
    }
    std::thread::scope(|scope| match scope.spawn(work).join() {
        Ok(answer) => answer,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

/// One attempt of a PostgreSQL transaction.
fn once<R>(conn: &mut pg::Conn, begin: &str, work: &mut impl FnMut(&Tx<'_>) -> ApiResult<R>) -> ApiResult<R> {
    if let Err(e) = conn.batch(begin) {
        conn.rollback();
        return Err(e.into());
    }
    let answer = work(&Tx::postgres(conn));
    match answer {
        Ok(answer) => match conn.batch("COMMIT") {
            Ok(()) => Ok(answer),
            Err(e) => {
                conn.rollback();
                Err(e.into())
            }
        },
        Err(e) => {
            conn.rollback();
            Err(e)
        }
    }
}
