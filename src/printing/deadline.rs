//! Every conversation with a printer has a deadline: a printer that is off,
//! waiting for paper with its buffer full, or half-disconnected can leave a
//! write, a read or a fetch pending forever, and a sale must never wait on it.
//!
//! [`within`] races the work against the page's own timer. Racing (rather
//! than relying on each API's own cancellation) keeps the guarantee for
//! every transport alike: Web Serial and WebUSB have no timeouts, and a
//! fetch's abort signal does not cover a stub or a stalled body. Whoever
//! started the work still cleans up after a timeout (closes the port,
//! aborts the fetch).

use super::error::PrintError;
use futures::future::{select, Either};
use std::future::Future;
use wasm_bindgen_futures::JsFuture;

/// How long closing a device may take after a job's deadline.
pub(crate) const CLOSE_MS: u32 = 1_000;

/// Resolves after `ms` milliseconds (the page's `setTimeout`).
pub async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let delay = i32::try_from(ms).unwrap_or(i32::MAX);
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, delay);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// The moment a print must be over by; one deadline spans the steps of a
/// job (find the device, open it, ask its state, send), and each step runs
/// [`Deadline::run`] with what is left, so the steps in between (closing a
/// port after a timeout) still happen.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    ms: u32,
    end: f64,
}

impl Deadline {
    pub fn after(ms: u32) -> Deadline {
        Deadline { ms, end: js_sys::Date::now() + f64::from(ms) }
    }

    /// The whole time allowed, in ms.
    pub fn ms(&self) -> u32 {
        self.ms
    }

    /// What is left of it, in ms.
    pub fn left(&self) -> u32 {
        (self.end - js_sys::Date::now()).clamp(0.0, f64::from(self.ms)) as u32
    }

    /// `work`'s answer, or [`PrintError::Timeout`] (of the whole deadline) when it is over first.
    pub async fn run<T>(&self, work: impl Future<Output = Result<T, PrintError>>) -> Result<T, PrintError> {
        within(self.left(), work).await.map_err(|e| match e {
            PrintError::Timeout(_) => PrintError::Timeout(self.ms),
            e => e,
        })
    }
}

/// `work`'s answer, or [`PrintError::Timeout`] once `ms` have passed.
pub async fn within<T>(ms: u32, work: impl Future<Output = Result<T, PrintError>>) -> Result<T, PrintError> {
    let work = std::pin::pin!(work);
    let timer = std::pin::pin!(sleep(ms));
    match select(work, timer).await {
        Either::Left((answer, _)) => answer,
        Either::Right(((), _)) => Err(PrintError::Timeout(ms)),
    }
}

/// Awaits a JavaScript promise, its rejection as the device error it names.
pub(crate) async fn device_call(
    promise: Result<js_sys::Promise, wasm_bindgen::JsValue>,
) -> Result<wasm_bindgen::JsValue, PrintError> {
    let promise = promise.map_err(PrintError::from_device)?;
    JsFuture::from(promise).await.map_err(PrintError::from_device)
}

/// Runs a clean-up step (closing a port) for at most `ms`: a device that
/// hangs on closing must not hold the cashier either.
pub(crate) async fn clean_up(ms: u32, work: impl Future<Output = ()>) {
    let _ = within(ms, async {
        work.await;
        Ok(())
    })
    .await;
}

/// Waits for a device call that may fail, its result of no interest (a clean-up step).
pub(crate) async fn settle(promise: Result<js_sys::Promise, wasm_bindgen::JsValue>) {
    if let Ok(promise) = promise {
        let _ = JsFuture::from(promise).await;
    }
}
