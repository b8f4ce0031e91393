//! The printer's answer to an ePOS-Print job:
//!
//! ```xml
//! <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
//!   <response success="true" code="" status="251658262" battery="0"
//!             xmlns="http://www.epson-pos.com/schemas/2011/03/epos-print"/>
//! </s:Body></s:Envelope>
//! ```
//!
//! `success` says whether it printed, `code` why not (`EPTR_REC_EMPTY`,
//! `EPTR_COVER_OPEN`, `SchemaError`…), `status` is the ASB word of
//! [`crate::status`]. Anything else (not XML, no envelope, no response, a
//! status that is not a number) is garbage and is reported as such: the job
//! may or may not have printed.

use crate::status::PrinterStatus;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// An answer longer than this is not a printer's (a real one is about 300 bytes).
pub const MAX_ANSWER_BYTES: usize = 16 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub success: bool,
    /// Empty on success.
    pub code: String,
    pub status: PrinterStatus,
    /// The `status` word as the printer sent it.
    pub asb: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("the printer's answer is {0} bytes, more than a printer sends")]
    TooLong(usize),
    #[error("the printer's answer is not XML: {0}")]
    NotXml(String),
    #[error("the printer's answer has no ePOS-Print response in a SOAP envelope")]
    NoResponse,
    #[error("the printer's answer has {name}=\"{value}\", which is not a {expected}")]
    BadAttribute { name: &'static str, value: String, expected: &'static str },
    #[error("the printer's answer has no {0} attribute")]
    Missing(&'static str),
}

/// Reads a printer's answer.
pub fn parse(body: &str) -> Result<Answer, AnswerError> {
    if body.len() > MAX_ANSWER_BYTES {
        return Err(AnswerError::TooLong(body.len()));
    }
    let mut reader = Reader::from_str(body);
    let mut path: Vec<Vec<u8>> = Vec::new();
    let mut found: Option<Answer> = None;
    loop {
        let event = reader.read_event().map_err(|e| AnswerError::NotXml(e.to_string()))?;
        match event {
            Event::Start(e) => {
                check_response(&e, &path, &mut found)?;
                path.push(e.local_name().as_ref().to_vec());
            }
            Event::Empty(e) => check_response(&e, &path, &mut found)?,
            Event::End(_) => {
                path.pop();
            }
            Event::Text(t) if !t.iter().all(u8::is_ascii_whitespace) && path.is_empty() => {
                return Err(AnswerError::NotXml("text outside the envelope".into()));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    found.ok_or(AnswerError::NoResponse)
}

fn check_response(
    e: &BytesStart<'_>,
    path: &[Vec<u8>],
    found: &mut Option<Answer>,
) -> Result<(), AnswerError> {
    let in_body = path.len() == 2 && path[0] == b"Envelope" && path[1] == b"Body";
    if path.is_empty() && e.local_name().as_ref() != b"Envelope" {
        return Err(AnswerError::NoResponse);
    }
    if !in_body || e.local_name().as_ref() != b"response" || found.is_some() {
        return Ok(());
    }
    let mut success = None;
    let mut code = String::new();
    let mut asb = None;
    for attribute in e.attributes() {
        let attribute = attribute.map_err(|e| AnswerError::NotXml(e.to_string()))?;
        let value = attribute.unescape_value().map_err(|e| AnswerError::NotXml(e.to_string()))?.into_owned();
        match attribute.key.local_name().as_ref() {
            b"success" => {
                success = Some(match value.as_str() {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(AnswerError::BadAttribute {
                            name: "success",
                            value,
                            expected: "true or false",
                        })
                    }
                })
            }
            b"code" => code = value,
            b"status" => {
                asb = Some(value.trim().parse::<u32>().map_err(|_| AnswerError::BadAttribute {
                    name: "status",
                    value: value.clone(),
                    expected: "status word",
                })?)
            }
            _ => {}
        }
    }
    let success = success.ok_or(AnswerError::Missing("success"))?;
    let asb = asb.ok_or(AnswerError::Missing("status"))?;
    *found = Some(Answer { success, code, status: PrinterStatus::from_asb(asb), asb });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::{asb, PrinterProblem};

    fn envelope(response: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>{response}</s:Body></s:Envelope>"#
        )
    }

    #[test]
    fn a_printed_job() {
        let body = envelope(
            r#"<response success="true" code="" status="251658262" battery="0" xmlns="http://www.epson-pos.com/schemas/2011/03/epos-print"></response>"#,
        );
        let answer = parse(&body).unwrap();
        assert!(answer.success);
        assert_eq!(answer.code, "");
        assert_eq!(answer.asb, 251_658_262);
        assert!(answer.status.can_print() && !answer.status.drawer_open);
    }

    #[test]
    fn a_job_refused_for_want_of_paper_or_an_open_cover() {
        let status = asb::OFF_LINE | asb::RECEIPT_END | asb::DRAWER_KICK;
        let body = envelope(&format!(
            r#"<response success="false" code="EPTR_REC_EMPTY" status="{status}" battery="0"/>"#
        ));
        let answer = parse(&body).unwrap();
        assert!(!answer.success);
        assert_eq!(answer.code, "EPTR_REC_EMPTY");
        assert_eq!(answer.status.problems(), vec![PrinterProblem::PaperEnd, PrinterProblem::Offline]);

        let cover =
            envelope(r#"<epos:response xmlns:epos="x" success="false" code="EPTR_COVER_OPEN" status="40"/>"#);
        assert_eq!(parse(&cover).unwrap().status.problems()[0], PrinterProblem::CoverOpen);
    }

    #[test]
    fn garbage_is_reported_not_taken_for_an_answer() {
        assert!(matches!(parse("<html><body>502 Bad Gateway</body></html>"), Err(AnswerError::NoResponse)));
        assert!(matches!(parse("\u{0}\u{1}garbage"), Err(AnswerError::NotXml(_))));
        assert!(matches!(parse(""), Err(AnswerError::NoResponse)));
        assert!(matches!(
            parse(&envelope("<response success=\"true\" status=\"2\">")),
            Err(AnswerError::NotXml(_))
        ));
        assert!(matches!(parse(&envelope("<other/>")), Err(AnswerError::NoResponse)));
        // A response outside the body is not the printer's answer.
        assert!(matches!(
            parse(r#"<s:Envelope xmlns:s="s"><response success="true" status="2"/></s:Envelope>"#),
            Err(AnswerError::NoResponse)
        ));
        assert_eq!(
            parse(&envelope(r#"<response success="yes" status="2"/>"#)),
            Err(AnswerError::BadAttribute {
                name: "success",
                value: "yes".into(),
                expected: "true or false"
            })
        );
        assert_eq!(
            parse(&envelope(r#"<response success="true" status="-1"/>"#)),
            Err(AnswerError::BadAttribute { name: "status", value: "-1".into(), expected: "status word" })
        );
        assert_eq!(parse(&envelope(r#"<response status="2"/>"#)), Err(AnswerError::Missing("success")));
        assert_eq!(parse(&envelope(r#"<response success="true"/>"#)), Err(AnswerError::Missing("status")));
        let huge = envelope(&" ".repeat(MAX_ANSWER_BYTES));
        assert_eq!(parse(&huge), Err(AnswerError::TooLong(huge.len())));
    }
}
