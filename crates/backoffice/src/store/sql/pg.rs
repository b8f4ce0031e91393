//! The interface over PostgreSQL: the blocking `postgres` client (tokio-postgres
//! underneath), pooled by r2d2, one pool per instance whatever the number of
//! tenants (each transaction names its tenant's schema, see `store/mod.rs`).
//!
//! Statements are prepared once per connection and kept: PostgreSQL parses a
//! kept statement again when the `search_path` differs from the last use, so
//! one kept statement serves every tenant's schema.

use super::{Error, Result, Row, Value};
use bytes::BytesMut;
use postgres::error::SqlState;
use postgres::types::{IsNull, ToSql, Type};
use postgres::{Client, NoTls, Statement};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Statements kept per connection before the cache starts again.
const MAX_KEPT_STATEMENTS: usize = 512;
/// How long a start, a request or the CLI waits for a connection to be made.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(n) => match *ty {
                Type::INT8 => n.to_sql(ty, out),
                Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
                Type::BOOL => (*n != 0).to_sql(ty, out),
                Type::FLOAT8 => (*n as f64).to_sql(ty, out),
                _ => n.to_string().as_str().to_sql(ty, out),
            },
            Value::Real(f) => match *ty {
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                _ => f.to_sql(ty, out),
            },
            Value::Text(s) => s.as_str().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// SQLite's `?1` placeholders as PostgreSQL's `$1` (quoted text left alone).
pub fn translate(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    for c in sql.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => out.push('$'),
            _ => out.push(c),
        }
    }
    out
}

fn decode(row: &postgres::Row) -> Result<Row> {
    let conversion = |i: usize, e: postgres::Error| Error::Conversion(i, e.to_string());
    let mut values = Vec::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        let value = match *column.type_() {
            Type::INT8 => row.try_get::<_, Option<i64>>(i).map(|v| v.map(Value::Int)),
            Type::INT4 => row.try_get::<_, Option<i32>>(i).map(|v| v.map(Value::from)),
            Type::INT2 => row.try_get::<_, Option<i16>>(i).map(|v| v.map(Value::from)),
            Type::BOOL => row.try_get::<_, Option<bool>>(i).map(|v| v.map(Value::from)),
            Type::FLOAT8 => row.try_get::<_, Option<f64>>(i).map(|v| v.map(Value::Real)),
            Type::FLOAT4 => row.try_get::<_, Option<f32>>(i).map(|v| v.map(|f| Value::Real(f64::from(f)))),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
                row.try_get::<_, Option<String>>(i).map(|v| v.map(Value::Text))
            }
            ref other => {
                return Err(Error::Conversion(i, format!("a column of type {other} is not read here")))
            }
        };
        values.push(value.map_err(|e| conversion(i, e))?.unwrap_or(Value::Null));
    }
    Ok(Row(values))
}

/// One connection and the statements prepared on it.
pub struct Conn {
    /// Always `Some` until dropped (see the `Drop` below).
    client: Option<Client>,
    statements: HashMap<String, Statement>,
    /// Set when a transaction could not be ended: the pool drops the connection.
    pub(crate) broken: bool,
}

impl Drop for Conn {
    /// Closing a client runs the client's own small runtime, which tokio
    /// refuses inside another: a pool dropped by async code closes its
    /// connections on a thread of their own.
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                std::thread::spawn(move || drop(client));
            }
        }
    }
}

impl Conn {
    fn client(&mut self) -> &mut Client {
        self.client.as_mut().expect("a connection has its client until dropped")
    }

    fn statement(&mut self, sql: &str) -> Result<Statement> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        if self.statements.len() >= MAX_KEPT_STATEMENTS {
            self.statements.clear();
        }
        let statement = self.client().prepare(&translate(sql))?;
        self.statements.insert(sql.to_string(), statement.clone());
        Ok(statement)
    }

    pub(super) fn execute(&mut self, sql: &str, params: &[Value]) -> Result<usize> {
        let statement = self.statement(sql)?;
        let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        Ok(self.client().execute(&statement, &params)? as usize)
    }

    pub(super) fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let statement = self.statement(sql)?;
        let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        self.client().query(&statement, &params)?.iter().map(decode).collect()
    }

    /// Statements without parameters, in one round trip (`BEGIN; SET LOCAL …`).
    pub fn batch(&mut self, sql: &str) -> Result<()> {
        Ok(self.client().batch_execute(sql)?)
    }

    /// Ends a failed transaction; a connection that cannot is not used again.
    pub fn rollback(&mut self) {
        if self.client().batch_execute("ROLLBACK").is_err() {
            self.broken = true;
        }
    }
}

/// Makes and checks the pool's connections.
pub struct Manager {
    config: postgres::Config,
}

impl Manager {
    fn connect(&self) -> std::result::Result<Conn, postgres::Error> {
        let mut client = self.config.connect(NoTls)?;
        // A write waiting for another instance's lock gives up (503) rather
        // than hold its connection for ever; so does a transaction left open.
        client.batch_execute(
            "SET lock_timeout = '10s'; SET idle_in_transaction_session_timeout = '60s'; SET TIME ZONE 'UTC'",
        )?;
        Ok(Conn { client: Some(client), statements: HashMap::new(), broken: false })
    }
}

impl r2d2::ManageConnection for Manager {
    type Connection = Conn;
    type Error = postgres::Error;

    fn connect(&self) -> std::result::Result<Conn, postgres::Error> {
        Manager::connect(self)
    }

    fn is_valid(&self, conn: &mut Conn) -> std::result::Result<(), postgres::Error> {
        conn.client().simple_query("").map(|_| ())
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        conn.broken || conn.client.as_ref().is_none_or(Client::is_closed)
    }
}

/// The instance's connections to PostgreSQL, and an async permit per
/// connection: a request waits for a permit without a thread, so taking a
/// connection from r2d2 afterwards never waits for another request.
pub struct Pool {
    connections: r2d2::Pool<Manager>,
    permits: Arc<Semaphore>,
    /// The URL without its password, for messages.
    pub shown: String,
}

/// The URL as it may be shown: no password.
pub fn without_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{}{user}{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

impl Pool {
    /// Opens a pool of at most `size` connections to `url`, after making one
    /// to prove the URL works: a wrong or unreachable URL is one clear line.
    pub fn open(url: &str, size: usize) -> std::result::Result<Arc<Self>, String> {
        let shown = without_password(url);
        let mut config: postgres::Config =
            url.parse().map_err(|e| format!("the database URL {shown} is not valid: {e}"))?;
        config.connect_timeout(CONNECT_TIMEOUT);
        let manager = Manager { config };
        let first =
            manager.connect().map_err(|e| format!("cannot use the database {shown}: {}", reason(&e)))?;
        let size = size.max(1);
        let connections = r2d2::Pool::builder()
            .max_size(u32::try_from(size).unwrap_or(u32::MAX))
            .min_idle(Some(0))
            .test_on_check_out(false)
            .connection_timeout(CONNECT_TIMEOUT)
            .build_unchecked(manager);
        drop(first);
        Ok(Arc::new(Self { connections, permits: Arc::new(Semaphore::new(size)), shown }))
    }

    /// The right to one connection, waited for without a thread.
    pub async fn permit(&self) -> OwnedSemaphorePermit {
        Arc::clone(&self.permits).acquire_owned().await.expect("the pool's semaphore is never closed")
    }

    /// A connection (made anew when the last one broke); 503 when none can be made.
    pub fn get(&self) -> Result<r2d2::PooledConnection<Manager>> {
        self.connections.get().map_err(|e| Error::Unavailable(e.to_string()))
    }
}

/// A failure with the server's words and code, for the log.
pub fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!(
            "{} ({}){}",
            db.message(),
            db.code().code(),
            db.detail().map(|d| format!(": {d}")).unwrap_or_default()
        ),
        None => e.to_string(),
    }
}

/// The server's own words for a failure, else the client's.
fn reason(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => match std::error::Error::source(e) {
            Some(cause) => format!("{e}: {cause}"),
            None => e.to_string(),
        },
    }
}

/// A failure that passes: the connection is gone, the server is shutting
/// down or not ready, a lock was not granted in time.
pub fn is_transient(e: &postgres::Error) -> bool {
    match e.code() {
        Some(code) => {
            code.code().starts_with("08")
                || [
                    SqlState::ADMIN_SHUTDOWN,
                    SqlState::CRASH_SHUTDOWN,
                    SqlState::CANNOT_CONNECT_NOW,
                    SqlState::TOO_MANY_CONNECTIONS,
                    SqlState::LOCK_NOT_AVAILABLE,
                    SqlState::QUERY_CANCELED,
                ]
                .contains(code)
        }
        None => e.is_closed() || e.as_db_error().is_none() && io_error(e),
    }
}

fn io_error(e: &postgres::Error) -> bool {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if s.is::<std::io::Error>() {
            return true;
        }
        source = s.source();
    }
    false
}

/// Lost a race with another transaction; running it again is right.
pub fn is_retryable(e: &postgres::Error) -> bool {
    e.code()
        .is_some_and(|c| *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_the_postgres_way_outside_quotes() {
        assert_eq!(translate("SELECT ?1, '?2' FROM t WHERE a = ?2"), "SELECT $1, '?2' FROM t WHERE a = $2");
    }

    #[test]
    fn a_shown_url_names_no_password() {
        assert_eq!(without_password("postgres://possum:s3cret@db:5432/x"), "postgres://possum@db:5432/x");
        assert_eq!(without_password("postgres://db/x"), "postgres://db/x");
    }
}
