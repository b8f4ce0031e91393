//! A network printer through its HTTP interface, Epson ePOS-Print: the
//! document as ePOS-Print XML posted to
//! `http(s)://<address>/cgi-bin/epos/service.cgi?devid=local_printer&timeout=…`,
//! the printer's SOAP answer read by `possum_print::epos::answer`. Works in
//! every browser (no Web Serial or WebUSB needed), across origins: the
//! printer answers the CORS preflight itself.
//!
//! This is the one network call outside `sync/`: it talks to a device in
//! the shop, not to the back office, and shares nothing with `sync/api.rs`.
//!
//! The page must be allowed to reach the printer: a terminal served over
//! HTTPS can only post to an `https://` printer address (the browser blocks
//! mixed content), and the printer's certificate must be trusted by the tablet.

use super::deadline::Deadline;
use super::error::PrintError;
use gloo_net::http::Request;
use possum_print::epos::{self, answer};
use possum_print::status::PrinterProblem;

/// What the printer is told it may take (its `timeout`): a little less than
/// our own deadline, so it answers (with its status) before we stop listening.
fn printer_timeout(deadline: &Deadline) -> u32 {
    deadline.ms().saturating_sub(deadline.ms() / 5).max(1)
}

/// Posts `xml` (an ePOS-Print job from `possum_print::epos::encode`) to the
/// printer at `address` within `deadline`. Answers the warnings of a printed
/// job (a paper roll nearly empty); a refusal, silence or garbage is an error.
pub async fn send(address: &str, xml: String, deadline: Deadline) -> Result<Vec<PrinterProblem>, PrintError> {
    let url = epos::service_url(address, printer_timeout(&deadline))
        .map_err(|e| PrintError::Misconfigured(vec![e.to_string()]))?;
    // Aborting on the way out (done or not) ends a request that outlived its deadline.
    let abort = web_sys::AbortController::new().map_err(|e| PrintError::Unreachable(format!("{e:?}")))?;
    let _on_exit = AbortOnDrop(abort.clone());
    let signal = abort.signal();
    // gloo-net adds a stray `&` to a URL that carries its own query, so the
    // query goes in as parameters.
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let query: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let exchange = async {
        let request = Request::post(path)
            .query(query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .header("Content-Type", epos::CONTENT_TYPE)
            .header("SOAPAction", "\"\"")
            .abort_signal(Some(&signal))
            .body(xml)
            .map_err(|e| PrintError::Encode(e.to_string()))?;
        let response = request.send().await.map_err(|e| PrintError::Unreachable(e.to_string()))?;
        let status = response.status();
        let body = response.text().await.map_err(|e| PrintError::Unreachable(e.to_string()))?;
        Ok((status, body))
    };
    let (status, body) = deadline.run(exchange).await?;
    if status != 200 {
        return Err(PrintError::Refused(format!("HTTP {status}")));
    }
    read(&body)
}

/// What a printer's answer says about the job.
pub fn read(body: &str) -> Result<Vec<PrinterProblem>, PrintError> {
    let answer = answer::parse(body).map_err(|e| PrintError::Garbage(e.to_string()))?;
    let problems = answer.status.problems();
    if answer.success {
        return Ok(problems);
    }
    let stopping: Vec<PrinterProblem> =
        problems.into_iter().filter(|p| *p != PrinterProblem::PaperNearEnd).collect();
    if stopping.is_empty() {
        Err(PrintError::Refused(if answer.code.is_empty() { "no reason given".into() } else { answer.code }))
    } else {
        Err(PrintError::Printer(stopping))
    }
}

struct AbortOnDrop(web_sys::AbortController);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
