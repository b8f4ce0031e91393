//! A [`Document`] for a network printer's HTTP interface: Epson ePOS-Print
//! XML, a SOAP envelope posted to [`SERVICE_PATH`] on the printer (TM-m30,
//! TM-T88VI and later, or a TM-i / TM-Intelligent print server in front of an
//! older one). The printer answers with a SOAP `response` that [`answer`] reads.
//!
//! Text is Unicode here: the printer picks its own code page. Every `text`
//! element carries its whole style (`align`, `em`, `dw`, `dh`), so each line
//! reads on its own. Text is escaped with quick-xml's escaping.

pub mod answer;

use crate::document::{Align, Block, Document};
use quick_xml::escape::escape;

/// Where the job is posted: the printer's own device id, and how long the
/// printer may wait for paper or a closed cover (ms) before it answers.
/// [`service_url`] makes the whole address with another timeout.
pub const SERVICE_PATH: &str = "/cgi-bin/epos/service.cgi?devid=local_printer&timeout=10000";

/// The printer's own device id: a TM printer answers to `local_printer`.
pub const DEVICE_ID: &str = "local_printer";

/// The longest wait a job may ask of the printer (ePOS-Print allows 300 s; a till never waits that long).
pub const MAX_PRINTER_TIMEOUT_MS: u32 = 60_000;

/// The URL a job for the printer at `address` is posted to, asking the
/// printer to answer within `timeout_ms` (1 ms to [`MAX_PRINTER_TIMEOUT_MS`]).
///
/// `address` is a printer row's `Address`, already checked by
/// `Printer::problems`: `host:port` (plain HTTP), or an `http(s)://` URL
/// whose scheme, host and port are kept and whose path, if any, is not: the
/// service has one path on every TM printer.
pub fn service_url(address: &str, timeout_ms: u32) -> Result<String, AddressError> {
    let address = address.trim();
    let (scheme, rest) = match address.split_once("://") {
        Some((scheme @ ("http" | "https"), rest)) => (scheme, rest),
        Some((scheme, _)) => return Err(AddressError::Scheme(scheme.to_string())),
        None => ("http", address),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains(|c: char| c.is_whitespace() || c == '@') {
        return Err(AddressError::Host(address.to_string()));
    }
    let timeout = timeout_ms.clamp(1, MAX_PRINTER_TIMEOUT_MS);
    Ok(format!("{scheme}://{authority}/cgi-bin/epos/service.cgi?devid={DEVICE_ID}&timeout={timeout}"))
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("“{0}” is not a way to reach a printer: use http or https")]
    Scheme(String),
    #[error("“{0}” names no printer host")]
    Host(String),
}

/// The request's `Content-Type`. Epson's own SDK also sends `SOAPAction: ""`.
pub const CONTENT_TYPE: &str = "text/xml; charset=utf-8";

pub const SOAP_NAMESPACE: &str = "http://schemas.xmlsoap.org/soap/envelope/";
pub const EPOS_PRINT_NAMESPACE: &str = "http://www.epson-pos.com/schemas/2011/03/epos-print";

/// The drawer pulse: drawer port pin 2, on for 100 ms (the ESC/POS encoder's pulse too).
const PULSE: &str = r#"<pulse drawer="drawer_1" time="pulse_100"/>"#;

fn align(align: Align) -> &'static str {
    match align {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
    }
}

/// The request body: one element per line of the document.
pub fn encode(doc: &Document) -> String {
    let mut xml = String::new();
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str(&format!("<s:Envelope xmlns:s=\"{SOAP_NAMESPACE}\">\n<s:Body>\n"));
    xml.push_str(&format!("<epos-print xmlns=\"{EPOS_PRINT_NAMESPACE}\">\n"));
    let centre = || r#"<text align="center"/>"#.to_string();
    for block in doc.blocks() {
        let element = match block {
            Block::Text(line) => format!(
                r#"<text align="{}" em="{}" dw="{}" dh="{}">{}&#10;</text>"#,
                align(line.style.align),
                line.style.bold,
                line.style.size.double_width(),
                line.style.size.double_height(),
                escape(line.text.as_str())
            ),
            Block::Ean13(code) => format!(
                "{}\n<barcode type=\"ean13\" hri=\"below\" font=\"font_a\" width=\"3\" height=\"153\">{}</barcode>",
                centre(),
                escape(code.as_str())
            ),
            Block::Qr(data) => format!(
                "{}\n<symbol type=\"qrcode_model_2\" level=\"level_m\" width=\"{}\">{}</symbol>",
                centre(),
                doc.paper().qr_module(),
                escape(data.as_str())
            ),
            Block::Feed(lines) => format!(r#"<feed line="{lines}"/>"#),
            Block::Cut => r#"<cut type="feed"/>"#.to_string(),
            Block::DrawerKick => PULSE.to_string(),
        };
        xml.push_str(&element);
        xml.push('\n');
    }
    xml.push_str("</epos-print>\n</s:Body>\n</s:Envelope>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Paper, Size, Style};

    #[test]
    fn a_printer_address_becomes_its_service_url() {
        let url = |a: &str| service_url(a, 8_000);
        assert_eq!(
            url("192.168.1.50:8008").unwrap(),
            "http://192.168.1.50:8008/cgi-bin/epos/service.cgi?devid=local_printer&timeout=8000"
        );
        assert_eq!(
            url(" https://tm-t88.local:8043/cgi-bin/epos/service.cgi?devid=x ").unwrap(),
            "https://tm-t88.local:8043/cgi-bin/epos/service.cgi?devid=local_printer&timeout=8000"
        );
        assert_eq!(
            url("http://[fe80::1]").unwrap(),
            "http://[fe80::1]/cgi-bin/epos/service.cgi?devid=local_printer&timeout=8000"
        );
        assert!(service_url("printer:80", 0).unwrap().ends_with("timeout=1"));
        assert!(service_url("printer:80", 999_999).unwrap().ends_with("timeout=60000"));
        assert_eq!(url("ftp://printer"), Err(AddressError::Scheme("ftp".into())));
        assert_eq!(url("http:///x"), Err(AddressError::Host("http:///x".into())));
        assert_eq!(url("http://user@printer"), Err(AddressError::Host("http://user@printer".into())));
        assert_eq!(url(""), Err(AddressError::Host(String::new())));
        // The golden jobs' path is the one this makes at the printer's default timeout.
        assert!(service_url("p:80", 10_000).unwrap().ends_with(SERVICE_PATH));
    }

    #[test]
    fn each_block_is_its_epos_print_element() {
        let mut doc = Document::new(Paper::Mm58);
        doc.text("Kaffe & <bulle>", Style::CENTER.bold().size(Size::DoubleHeight))
            .text("\"Tvätt\"", Style::PLAIN)
            .drawer_kick()
            .feed(2);
        doc.ean13("7310000000010").unwrap();
        doc.qr("https://fb.example/r?a=1&b=2").unwrap();
        doc.cut();
        let xml = encode(&doc);
        let body: Vec<&str> = xml.lines().skip(4).collect();
        assert_eq!(
            body,
            vec![
                r#"<text align="center" em="true" dw="false" dh="true">Kaffe &amp; &lt;bulle&gt;&#10;</text>"#,
                r#"<text align="left" em="false" dw="false" dh="false">&quot;Tvätt&quot;&#10;</text>"#,
                r#"<pulse drawer="drawer_1" time="pulse_100"/>"#,
                r#"<feed line="2"/>"#,
                r#"<text align="center"/>"#,
                r#"<barcode type="ean13" hri="below" font="font_a" width="3" height="153">7310000000010</barcode>"#,
                r#"<text align="center"/>"#,
                r#"<symbol type="qrcode_model_2" level="level_m" width="5">https://fb.example/r?a=1&amp;b=2</symbol>"#,
                r#"<cut type="feed"/>"#,
                "</epos-print>",
                "</s:Body>",
                "</s:Envelope>",
            ]
        );
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"));
    }
}
