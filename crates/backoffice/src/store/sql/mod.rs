//! The storage interface every handler is written against: one transaction
//! type, [`Tx`], with `execute`, `query_row` and `query_map`, over SQLite
//! (rusqlite) or PostgreSQL (the blocking `postgres` client).
//!
//! SQL is written once, in SQLite's form with numbered placeholders (`?1`),
//! which the PostgreSQL side rewrites to `$1`. The few places where the two
//! dialects differ ask [`Dialect`] for the piece (`max(a, b)` against
//! `GREATEST(a, b)`, reading a field of a JSON body). Values cross as
//! [`Value`] and rows as [`Row`], so no driver type leaks into business code.
//!
//! A transaction is begun and ended by its database (`Db::write`,
//! `Db::read`): commit when the work answers `Ok`, roll back otherwise.

mod lite;
pub mod pg;
mod value;

pub use value::{FromValue, Row, ToValue, Value};

use std::cell::RefCell;

/// Why a statement failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `query_row` found no row (see [`OptionalExtension`]).
    #[error("the query answered no row")]
    NoRow,
    #[error("column {0}: {1}")]
    Conversion(usize, String),
    /// Stored data that cannot be read back (a JSON body, an id).
    #[error("stored data: {0}")]
    Data(String),
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("postgres: {}", pg::describe(.0))]
    Postgres(#[from] postgres::Error),
    /// No connection could be had: the database is down or unreachable.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
}

impl Error {
    /// A stored JSON body that does not read as its type.
    pub fn data(e: impl std::fmt::Display) -> Self {
        Error::Data(e.to_string())
    }

    /// The database cannot answer now but may soon: a lost connection, a
    /// server shutting down or starting, a lock not granted in time. The
    /// request answers 503 and the client retries.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Unavailable(_) => true,
            Error::Postgres(e) => pg::is_transient(e),
            Error::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => {
                matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            }
            _ => false,
        }
    }

    /// The transaction lost a race with another one (a deadlock, a
    /// serialization failure) and may simply be run again.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Error::Postgres(e) if pg::is_retryable(e))
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// `query_row(...).optional()`: no row is `None`, as with rusqlite.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(Error::NoRow) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Which SQL a transaction speaks, for the few pieces that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The larger of two values (SQLite's scalar `max`, PostgreSQL's `GREATEST`).
    pub fn greatest(self) -> &'static str {
        match self {
            Dialect::Sqlite => "max",
            Dialect::Postgres => "GREATEST",
        }
    }

    /// The smaller of two values.
    pub fn least(self) -> &'static str {
        match self {
            Dialect::Sqlite => "min",
            Dialect::Postgres => "LEAST",
        }
    }

    /// The text of the field `key` of the JSON held in text `column`.
    pub fn json_text(self, column: &str, path: &[&str]) -> String {
        match self {
            Dialect::Sqlite => format!("json_extract({column}, '$.{}')", path.join(".")),
            Dialect::Postgres => format!("({column}::jsonb #>> '{{{}}}')", path.join(",")),
        }
    }
}

/// A transaction of one database, lent to business code by `Db::write` or `Db::read`.
pub struct Tx<'c>(Inner<'c>);

enum Inner<'c> {
    Lite(&'c rusqlite::Connection),
    /// The client is used by one statement at a time; each query's rows are
    /// collected before the next runs, so the cell is never borrowed twice.
    Pg(RefCell<&'c mut pg::Conn>),
}

impl<'c> Tx<'c> {
    pub(crate) fn sqlite(conn: &'c rusqlite::Connection) -> Self {
        Tx(Inner::Lite(conn))
    }

    pub(crate) fn postgres(conn: &'c mut pg::Conn) -> Self {
        Tx(Inner::Pg(RefCell::new(conn)))
    }

    pub fn dialect(&self) -> Dialect {
        match self.0 {
            Inner::Lite(_) => Dialect::Sqlite,
            Inner::Pg(_) => Dialect::Postgres,
        }
    }

    /// Runs a statement; answers the number of rows it changed.
    pub fn execute(&self, sql: &str, params: &[Value]) -> Result<usize> {
        match &self.0 {
            Inner::Lite(conn) => lite::execute(conn, sql, params),
            Inner::Pg(conn) => conn.borrow_mut().execute(sql, params),
        }
    }

    /// Every row of a query, each through `f`.
    pub fn query_map<T>(
        &self,
        sql: &str,
        params: &[Value],
        mut f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        let rows = match &self.0 {
            Inner::Lite(conn) => lite::query(conn, sql, params)?,
            Inner::Pg(conn) => conn.borrow_mut().query(sql, params)?,
        };
        rows.iter().map(&mut f).collect()
    }

    /// The first row of a query through `f`, or [`Error::NoRow`].
    pub fn query_row<T>(&self, sql: &str, params: &[Value], f: impl FnOnce(&Row) -> Result<T>) -> Result<T> {
        let rows = match &self.0 {
            Inner::Lite(conn) => lite::query(conn, sql, params)?,
            Inner::Pg(conn) => conn.borrow_mut().query(sql, params)?,
        };
        rows.first().map_or(Err(Error::NoRow), f)
    }

    /// Statements without parameters or answers, run as one (savepoints).
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match &self.0 {
            Inner::Lite(conn) => Ok(conn.execute_batch(sql)?),
            Inner::Pg(conn) => conn.borrow_mut().batch(sql),
        }
    }
}
