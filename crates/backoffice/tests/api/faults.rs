//! The fault mode seen from a client: every kind of failure happens, and a
//! client that resends until it hears "acknowledged" gets each record stored
//! exactly once, including when the back office stored it and the answer
//! was lost.

use crate::common::*;
use possum_backoffice::faults::FaultPlan;
use possum_contract::activity::PushResponse;
use serde_json::json;

#[tokio::test]
async fn resending_until_acknowledged_stores_every_record_once_through_every_fault() {
    let plan = FaultPlan { seed: 7, rate: 0.6, max_delay_ms: 20 };
    let server = Server::start_with(|c| possum_backoffice::Config { faults: Some(plan), ..c }).await;
    let t = server.demo_terminal().await;
    let ids: Vec<String> = (0..40).map(|_| new_id()).collect();
    let (mut statuses, mut cut, mut attempts) = (std::collections::BTreeMap::<u16, u32>::new(), 0, 0);
    for id in &ids {
        let record = json!([{ "Id": id, "TerminalId": t.claims.terminal, "Level": "Info", "Category": "test", "Message": "m",
            "Context": null, "CreatedAt": "2026-11-23T10:00:00Z" }]);
        loop {
            attempts += 1;
            // A cut connection fails the request itself or the reading of its body.
            let Ok(response) = server.post_json(&t, "/api/Callback/PostDeviceLog", &record).send().await
            else {
                cut += 1;
                continue;
            };
            let status = response.status().as_u16();
            *statuses.entry(status).or_default() += 1;
            let Ok(text) = response.text().await else {
                cut += 1;
                continue;
            };
            if status == 200 {
                let answer: PushResponse = serde_json::from_str(&text).unwrap();
                if answer.acknowledged.iter().any(|a| a.to_string() == *id) {
                    break;
                }
            }
        }
    }
    // Every failure kind was met on the way…
    for code in [200, 429, 500, 502, 503] {
        assert!(statuses.contains_key(&code), "{code} in {statuses:?}");
    }
    assert!(cut > 0, "no answer was cut: {statuses:?}");
    assert!(attempts > ids.len() * 2, "{attempts} attempts");
    // …and each record is stored once.
    let db = server.state.store.tenant(t.claims.tenant).unwrap();
    let stored: Vec<String> = db
        .read_blocking(|conn| {
            let rows: Vec<String> = conn.query_map(
                "SELECT id FROM pushed WHERE kind = 'DeviceLog' ORDER BY id",
                possum_backoffice::params![],
                |r| r.get(0),
            )?;
            Ok(rows)
        })
        .unwrap();
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(stored, expected);
}
