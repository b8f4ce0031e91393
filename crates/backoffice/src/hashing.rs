//! Argon2 on a few OS threads of its own, fed by a bounded queue.
//!
//! One check of a default argon2id hash fills 19 MiB. On tokio's blocking pool
//! (up to 512 threads) a flood of sign-ins ran hundreds at once, and glibc
//! keeps a malloc arena per thread, so that memory was never given back. Here
//! at most `threads` checks run at once, at most `queue` more wait, and the
//! rest are refused at once with 503: memory stays at `threads` × 19 MiB
//! whatever arrives. Sign-ins and staff PIN checks share the pool.

use crate::error::{ApiError, ApiResult};
use argon2::password_hash::{rand_core::OsRng, Output, ParamsString, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use tokio::sync::{oneshot, OwnedSemaphorePermit, Semaphore};

thread_local! {
    /// This thread's argon2 memory (19 MiB with the default parameters), kept
    /// from one check to the next. Allocated and freed per check (as
    /// `PasswordVerifier` does), glibc kept every one of those 64-byte-aligned
    /// buffers: the process grew by 19 MB a check, on the same thread.
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Argon2 of `secret` and `salt` into `out`, in this thread's kept memory.
fn argon2_into(argon: &Argon2<'_>, params: &Params, secret: &[u8], salt: &[u8], out: &mut [u8]) -> bool {
    MEMORY.with_borrow_mut(|memory| {
        let blocks = params.block_count();
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        argon.hash_password_into_with_memory(secret, salt, out, &mut memory[..blocks]).is_ok()
    })
}

/// An argon2id hash (PHC string, random salt, default parameters) of a
/// password or PIN, on the calling thread (start-up, demo data, the admin CLI;
/// async code uses [`HashPool::hash`]).
pub fn hash_secret(secret: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    let params = Params::default();
    let mut salt_bytes = [0u8; Salt::MAX_LENGTH];
    let raw_salt = salt.as_salt().decode_b64(&mut salt_bytes).expect("a generated salt decodes");
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    assert!(
        argon2_into(&argon, &params, secret.as_bytes(), raw_salt, &mut out),
        "argon2 with default parameters"
    );
    PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).expect("default parameters print"),
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).expect("a 32-byte output")),
    }
    .to_string()
}

/// Whether `secret` matches the PHC string `phc` (any argon2 variant and
/// parameters), on the calling thread; the comparison takes constant time.
pub fn verify_secret(secret: &str, phc: &str) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else { return false };
    let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else { return false };
    let Ok(algorithm) = Algorithm::try_from(hash.algorithm) else { return false };
    let Ok(version) = hash.version.map_or(Ok(Version::default()), Version::try_from) else { return false };
    let Ok(params) = Params::try_from(&hash) else { return false };
    let mut salt_bytes = [0u8; Salt::MAX_LENGTH];
    let Ok(raw_salt) = salt.decode_b64(&mut salt_bytes) else { return false };
    let mut out = [0u8; Output::MAX_LENGTH];
    let out = &mut out[..expected.len()];
    let argon = Argon2::new(algorithm, version, params.clone());
    argon2_into(&argon, &params, secret.as_bytes(), raw_salt, out)
        && Output::new(out).is_ok_and(|computed| computed == expected)
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

    #[test]
    fn hashes_verify_both_ways_with_the_stock_argon2() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let ours = hash_secret("SuperSecret123!");
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default().verify_password(b"SuperSecret123!", &parsed).is_ok());
        assert!(ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{ours}");
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default().hash_password(b"1234", &salt).unwrap().to_string();
        assert!(verify_secret("1234", &theirs));
        assert!(!verify_secret("1235", &theirs));
        assert!(!verify_secret("1234", "not a hash"));
        let argon2i = Argon2::new(Algorithm::Argon2i, Version::V0x10, Params::new(64, 1, 1, None).unwrap());
        let other = argon2i.hash_password(b"pin", &salt).unwrap().to_string();
        assert!(
            verify_secret("pin", &other) && !verify_secret("pim", &other),
            "other variants and parameters"
        );
    }

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
