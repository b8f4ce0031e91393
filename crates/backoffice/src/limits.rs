//! The numbers that bound what one client, one tenant or everyone together may
//! take from the server: threads, queues, connections and time. README
//! ("Limits and abuse") lists them; tests shrink them to reach them quickly.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Limits {
    /// Argon2 checks running at once, one OS thread each (each holds 19 MiB).
    pub hash_threads: usize,
    /// Checks waiting for a hash thread; past this `/Token` answers 503 at once.
    pub hash_queue: usize,
    /// Reader connections per database, beside its one writer (WAL: readers
    /// run beside the writer). 0 sends reads to the writer.
    pub db_readers: usize,
    /// Requests waiting for one database's writer (or for its readers); past
    /// this the request answers 503 at once instead of queueing.
    pub db_queue: usize,
    /// Connections of this instance to PostgreSQL (`--database-url`), shared
    /// by every tenant; each tenant takes at most one writer and `db_readers`
    /// of them at once.
    pub pg_connections: usize,
    /// Time to send a request's headers, which is also how long a kept-alive
    /// connection may sit idle before the next request (hyper uses one timer
    /// for both).
    pub header_timeout: Duration,
    /// Longest pause between two pieces of a request body.
    pub body_idle_timeout: Duration,
    /// Longest time to send a whole request body.
    pub body_timeout: Duration,
    /// Connections served at once; further ones wait in the listen backlog
    /// until a connection ends.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            hash_threads: cores,
            hash_queue: 4 * cores,
            db_readers: 3,
            db_queue: 64,
            pg_connections: 16,
            header_timeout: Duration::from_secs(15),
            body_idle_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(60),
            max_connections: 1_000,
        }
    }
}

/// File descriptors kept free of connections: databases (three files per
/// connection in WAL mode), the built terminal's files, logs.
pub const RESERVED_FILES: u64 = 256;

/// Raises this process's open-file limit to its hard limit where the system
/// allows it, and answers how many connections that leaves room for.
pub fn raise_open_file_limit(wanted_connections: usize) -> usize {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(files) => {
            let room = files.saturating_sub(RESERVED_FILES).max(16);
            let connections = wanted_connections.min(usize::try_from(room).unwrap_or(usize::MAX));
            if connections < wanted_connections {
                tracing::warn!(
                    files,
                    connections,
                    "the open-file limit leaves room for fewer connections than asked; raise it (ulimit -n, LimitNOFILE=)"
                );
            }
            connections
        }
        Err(error) => {
            tracing::warn!(%error, "could not read or raise the open-file limit");
            wanted_connections
        }
    }
}
