//! Argon2 on a few OS threads of its own, fed by a bounded queue.
//!
//! One check of a default argon2id hash fills 19 MiB. On tokio's blocking pool
//! (up to 512 threads) a flood of sign-ins ran hundreds at once, and glibc
//! keeps a malloc arena per thread, so that memory was never given back. Here
//! at most `threads` checks run at once, at most `queue` more wait, and the
//! rest are refused at once with 503: memory stays at `threads` × 19 MiB
//! whatever arrives. Sign-ins and staff PIN checks share the pool.

use crate::error::{ApiError, ApiResult};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use tokio::sync::{oneshot, OwnedSemaphorePermit, Semaphore};

/// An argon2id hash (PHC string, random salt) of a password or PIN, on the
/// calling thread (start-up, demo data and the admin CLI).
pub fn hash_secret(secret: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .expect("argon2 with default parameters")
        .to_string()
}

/// Whether `secret` matches the PHC string `phc`, on the calling thread.
pub fn verify_secret(secret: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .is_ok_and(|hash| Argon2::default().verify_password(secret.as_bytes(), &hash).is_ok())
}

type Job = Box<dyn FnOnce() + Send>;

/// Seconds a refused caller is asked to wait: a check takes tens of milliseconds.
const RETRY_AFTER_SECONDS: u64 = 1;

#[derive(Default)]
struct Gauge {
    running: AtomicUsize,
    peak: AtomicUsize,
}

pub struct HashPool {
    jobs: SyncSender<Job>,
    /// One permit per job admitted (running or waiting): `threads + queue`.
    admitted: Arc<Semaphore>,
    gauge: Arc<Gauge>,
}

impl HashPool {
    pub fn new(threads: usize, queue: usize) -> Self {
        let threads = threads.max(1);
        let (jobs, receiver) = sync_channel::<Job>(threads + queue);
        let receiver = Arc::new(Mutex::new(receiver));
        for n in 0..threads {
            let receiver = Arc::clone(&receiver);
            std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || work(&receiver))
                .expect("start a hash thread");
        }
        Self { jobs, admitted: Arc::new(Semaphore::new(threads + queue)), gauge: Arc::default() }
    }

    /// A place in the pool, taken before any other work for the request is
    /// done, or 503 with `Retry-After` when every place is taken.
    pub fn reserve(&self) -> ApiResult<HashSlot> {
        let permit = Arc::clone(&self.admitted).try_acquire_owned().map_err(|_| {
            ApiError::busy(
                "The server is checking too many passwords at once; try again shortly.",
                RETRY_AFTER_SECONDS,
            )
        })?;
        Ok(HashSlot { jobs: self.jobs.clone(), gauge: Arc::clone(&self.gauge), permit })
    }

    /// Whether `secret` matches `phc`, or 503 when the pool is full.
    pub async fn verify(&self, secret: String, phc: String) -> ApiResult<bool> {
        self.reserve()?.verify(secret, phc).await
    }

    /// A new argon2id hash of `secret`, or 503 when the pool is full.
    pub async fn hash(&self, secret: String) -> ApiResult<String> {
        self.reserve()?.run(move || hash_secret(&secret)).await
    }

    /// The most checks that ever ran at once (tests and the benchmark).
    pub fn peak_running(&self) -> usize {
        self.gauge.peak.load(Ordering::SeqCst)
    }
}

fn work(receiver: &Mutex<Receiver<Job>>) {
    loop {
        // The lock is held only while waiting for the next job, never while running one.
        let next = receiver.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).recv();
        match next {
            Ok(job) => job(),
            Err(_) => return, // the pool is gone
        }
    }
}

/// A reserved place in the [`HashPool`]; running it gives the place back.
pub struct HashSlot {
    jobs: SyncSender<Job>,
    gauge: Arc<Gauge>,
    permit: OwnedSemaphorePermit,
}

impl HashSlot {
    pub async fn verify(self, secret: String, phc: String) -> ApiResult<bool> {
        self.run(move || verify_secret(&secret, &phc)).await
    }

    async fn run<R: Send + 'static>(self, work: impl FnOnce() -> R + Send + 'static) -> ApiResult<R> {
        let (answer, answered) = oneshot::channel();
        let (gauge, permit) = (self.gauge, self.permit);
        let job: Job = Box::new(move || {
            let now = gauge.running.fetch_add(1, Ordering::SeqCst) + 1;
            gauge.peak.fetch_max(now, Ordering::SeqCst);
            let result = work();
            gauge.running.fetch_sub(1, Ordering::SeqCst);
            drop(permit);
            // The caller may have gone (its client hung up): the result is dropped.
            let _ = answer.send(result);
        });
        match self.jobs.try_send(job) {
            Ok(()) => {}
            // Never with a permit in hand (the channel holds as many jobs as there are permits).
            Err(TrySendError::Full(_)) => {
                return Err(ApiError::busy("The server is checking too many passwords at once.", 1))
            }
            Err(TrySendError::Disconnected(_)) => {
                return Err(ApiError::Internal("the hash threads stopped".into()))
            }
        }
        answered.await.map_err(|_| ApiError::Internal("a hash thread dropped its job".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn at_most_threads_run_and_queue_wait_the_rest_are_refused() {
        let pool = HashPool::new(2, 3);
        let slots: Vec<_> = (0..5).map(|_| pool.reserve().unwrap()).collect();
        assert!(matches!(pool.reserve(), Err(ApiError::Wait(_))), "a sixth place is refused");
        let phc = hash_secret("right");
        let checks: Vec<_> = slots
            .into_iter()
            .enumerate()
            .map(|(i, slot)| {
                let guess = if i == 0 { "right" } else { "wrong" };
                tokio::spawn(slot.verify(guess.into(), phc.clone()))
            })
            .collect();
        let mut results = Vec::new();
        for check in checks {
            results.push(check.await.unwrap().unwrap());
        }
        assert_eq!(results, [true, false, false, false, false]);
        assert!(pool.peak_running() <= 2, "peak {}", pool.peak_running());
        assert!(pool.verify("x".into(), phc).await.is_ok(), "places come back once checks end");
    }
}
