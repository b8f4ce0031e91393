//! A fault mode for tests (`serve --faults seed=42,rate=0.3`): the back
//! office misbehaves the way a shop's network and servers do, at random but
//! replayably from the seed. Off unless asked for; never for `/Token` or the
//! app's own files, so a terminal can always start and sign in.
//!
//! The faults, each as likely as the others once a request is picked:
//! a 500, 502, 503 or 429 before the request is handled; a delay before it is
//! handled; the connection cut after a 200's headers, before the request is
//! handled ("dropped"); the request handled (and stored) and then a 502
//! instead of its answer; the request handled and its 200 cut before the
//! body (the two "stored, but the terminal never heard" cases).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What `--faults` asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaultPlan {
    pub seed: u64,
    /// The share of API requests that meet a fault (0 to 1).
    pub rate: f64,
    /// The longest delay, in milliseconds.
    pub max_delay_ms: u64,
}

impl FromStr for FaultPlan {
    type Err = String;

    /// `seed=42,rate=0.3,delay=1500` (each part optional: seed 0, rate 0.2, delay 2000).
    fn from_str(text: &str) -> Result<Self, String> {
        let mut plan = FaultPlan { seed: 0, rate: 0.2, max_delay_ms: 2_000 };
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').ok_or_else(|| format!("“{part}” is not key=value"))?;
            let bad = |e: &dyn std::fmt::Display| format!("{key}: {e}");
            match key {
                "seed" => plan.seed = value.parse().map_err(|e| bad(&e))?,
                "rate" => plan.rate = value.parse().map_err(|e| bad(&e))?,
                "delay" => plan.max_delay_ms = value.parse().map_err(|e| bad(&e))?,
                _ => return Err(format!("unknown fault setting “{key}” (seed, rate, delay)")),
            }
        }
        if !(0.0..=1.0).contains(&plan.rate) {
            return Err("rate must be from 0 to 1".into());
        }
        Ok(plan)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Status(u16),
    Delay(u64),
    DropBeforeHandling,
    StoreThenFail,
    StoreThenCut,
}

/// The running fault mode: one seeded generator shared by every request.
#[derive(Clone)]
pub struct Faults {
    plan: FaultPlan,
    rng: Arc<Mutex<StdRng>>,
}

impl Faults {
    pub fn new(plan: FaultPlan) -> Self {
        Self { plan, rng: Arc::new(Mutex::new(StdRng::seed_from_u64(plan.seed))) }
    }

    /// The fault for the next request, if any.
    pub fn pick(&self) -> Option<Fault> {
        let mut rng = self.rng.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if !rng.gen_bool(self.plan.rate) {
            return None;
        }
        Some(match rng.gen_range(0..8) {
            0 => Fault::Status(500),
            1 => Fault::Status(502),
            2 => Fault::Status(503),
            3 => Fault::Status(429),
            4 => Fault::Delay(rng.gen_range(0..=self.plan.max_delay_ms)),
            5 => Fault::DropBeforeHandling,
            6 => Fault::StoreThenFail,
            _ => Fault::StoreThenCut,
        })
    }
}

/// A 200 whose body fails after the headers: the client's connection breaks.
fn cut() -> Response {
    let broken = futures_util::stream::once(async {
        Err::<bytes::Bytes, _>(std::io::Error::other("fault mode: connection cut"))
    });
    (StatusCode::OK, [("content-type", "application/json")], Body::from_stream(broken)).into_response()
}

pub async fn layer(State(faults): State<Option<Faults>>, request: Request, next: Next) -> Response {
    let Some(faults) = faults.filter(|_| request.uri().path().starts_with("/api/")) else {
        return next.run(request).await;
    };
    let fault = faults.pick();
    if let Some(f) = fault {
        tracing::info!(path = %request.uri().path(), fault = ?f, "fault mode");
    }
    match fault {
        None => next.run(request).await,
        Some(Fault::Status(code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, [("content-type", "application/json")], r#"{"Message":"Fault mode."}"#).into_response()
        }
        Some(Fault::Delay(ms)) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(request).await
        }
        Some(Fault::DropBeforeHandling) => cut(),
        Some(Fault::StoreThenFail) => {
            drop(next.run(request).await);
            (StatusCode::BAD_GATEWAY, r#"{"Message":"Fault mode."}"#).into_response()
        }
        Some(Fault::StoreThenCut) => {
            drop(next.run(request).await);
            cut()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_reads_from_the_command_line() {
        assert_eq!(
            "seed=7,rate=0.5,delay=100".parse(),
            Ok(FaultPlan { seed: 7, rate: 0.5, max_delay_ms: 100 })
        );
        assert_eq!("".parse::<FaultPlan>().map(|p| p.rate), Ok(0.2));
        assert!("rate=2".parse::<FaultPlan>().is_err());
        assert!("speed=1".parse::<FaultPlan>().is_err());
    }

    #[test]
    fn the_same_seed_gives_the_same_faults_and_every_kind_occurs() {
        let plan = FaultPlan { seed: 42, rate: 0.5, max_delay_ms: 10 };
        let (a, b) = (Faults::new(plan), Faults::new(plan));
        let run: Vec<Option<Fault>> = (0..400).map(|_| a.pick()).collect();
        assert_eq!(run, (0..400).map(|_| b.pick()).collect::<Vec<_>>());
        let faulted = run.iter().flatten().count();
        assert!((150..250).contains(&faulted), "{faulted}");
        for kind in [Fault::Status(429), Fault::DropBeforeHandling, Fault::StoreThenFail, Fault::StoreThenCut]
        {
            assert!(run.contains(&Some(kind)), "{kind:?}");
        }
    }
}
