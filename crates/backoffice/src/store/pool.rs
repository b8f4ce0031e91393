//! A few connections to one SQLite file, lent to async code, and the turns
//! of a tenant's share of the PostgreSQL pool ([`Line`]).
//!
//! A request waits for its turn on a tokio semaphore, which holds no thread;
//! only once a connection is free does its SQL go to the blocking pool. The
//! waiting line is bounded: past it a request is answered 503 at once, so one
//! tenant's flood can neither park every blocking thread nor grow without end.

use crate::error::{ApiError, ApiResult};
use rusqlite::Connection;
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
use tokio::sync::Semaphore;

/// Seconds a request refused for a full line is asked to wait.
const RETRY_AFTER_SECONDS: u64 = 1;

/// `n` turns and a waiting line of `queue` requests.
pub(super) struct Line {
    /// One permit per turn: the right to use one connection.
    turns: Arc<Semaphore>,
    /// The turns plus the waiting line: every request inside holds one.
    admitted: Arc<Semaphore>,
}

impl Line {
    pub(super) fn new(n: usize, queue: usize) -> Self {
        assert!(n > 0, "a line needs a turn");
        Self { turns: Arc::new(Semaphore::new(n)), admitted: Arc::new(Semaphore::new(n + queue)) }
    }

    /// Waits (without a thread) for a turn, or refuses at once when the line is full.
    pub(super) async fn turn(&self) -> ApiResult<Turn> {
        let admitted = Arc::clone(&self.admitted).try_acquire_owned().map_err(|_| {
            ApiError::busy(
                "Too many requests are waiting for this database; try again shortly.",
                RETRY_AFTER_SECONDS,
            )
        })?;
        let turn = Arc::clone(&self.turns)
            .acquire_owned()
            .await
            .map_err(|_| ApiError::Internal("database pool closed".into()))?;
        Ok(Turn { _admitted: admitted, _turn: turn })
    }
}

pub(super) struct Pool {
    connections: Vec<Mutex<Connection>>,
    pub(super) line: Line,
}

impl Pool {
    pub(super) fn new(connections: Vec<Connection>, queue: usize) -> Self {
        let line = Line::new(connections.len(), queue);
        Self { connections: connections.into_iter().map(Mutex::new).collect(), line }
    }

    /// A free connection, for the holder of a [`Turn`]: one is free unless
    /// [`Pool::first`] holds it outside the turns, then this waits for it.
    pub(super) fn free(&self) -> MutexGuard<'_, Connection> {
        for connection in &self.connections {
            match connection.try_lock() {
                Ok(free) => return free,
                Err(TryLockError::Poisoned(poisoned)) => return poisoned.into_inner(),
                Err(TryLockError::WouldBlock) => {}
            }
        }
        self.first()
    }

    /// The first connection, taken on the calling thread (the CLI, start-up, tests).
    pub(super) fn first(&self) -> MutexGuard<'_, Connection> {
        // A panic inside a transaction rolled it back as it unwound: the connection is sound.
        self.connections[0].lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The right to one connection of a pool, and a place in its line, until dropped.
pub(super) struct Turn {
    _admitted: tokio::sync::OwnedSemaphorePermit,
    _turn: tokio::sync::OwnedSemaphorePermit,
}
