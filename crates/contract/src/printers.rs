//! The printers of a cash desk, as the settings carry them (issue 21).
//!
//! The seed names "printers" among the settings of `GET /api/Setting/GetSettings`
//! and says nothing of their shape; this is the project's decision. One
//! [`Printer`] is one device on one cash desk: what it prints (its role), how
//! the tablet reaches it, its paper and code page, and whether the cash drawer
//! hangs on it.
//!
//! A printer row must never stop the settings from loading: every field has a
//! default and every closed set of names keeps a name it does not know
//! (`Unsupported`), so a misconfigured printer parses, [`Printer::problems`]
//! says what is wrong with it in words staff understand, and the terminal skips
//! it and uses the others.

use serde::{Deserialize, Serialize};

/// A closed set of names carried as a string: a name this build does not know
/// is kept as `Unsupported(name)` for validation to report, rather than failing
/// the whole settings value.
macro_rules! named {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(from = "String", into = "String")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A name this build does not know, kept as written.
            Unsupported(String),
        }

        impl $name {
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            pub fn name(&self) -> &str {
                match self {
                    $($name::$variant => stringify!($variant),)+
                    $name::Unsupported(name) => name,
                }
            }
        }

        impl From<String> for $name {
            fn from(name: String) -> Self {
                $name::KNOWN.iter().find(|k| k.name() == name).cloned().unwrap_or($name::Unsupported(name))
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.name().to_string()
            }
        }
    };
}

named! {
    /// What a printer is for.
    PrinterRole {
        /// Sale, refund and copy receipts; the cash drawer usually hangs on it.
        Receipt,
        /// A ticket for the wash bay or the kitchen.
        BayTicket,
        /// X and Z reports.
        Report,
    }
}

named! {
    /// How the tablet reaches the printer.
    Connection {
        /// WebUSB: the device is chosen once on the tablet and remembered there.
        Usb,
        /// Web Serial (a serial cable, or Bluetooth serial): chosen once on the tablet, at `BaudRate`.
        Serial,
        /// The printer's HTTP interface (Epson ePOS-Print) at `Address`.
        Network,
    }
}

named! {
    /// The printer's character code table (ESC/POS `ESC t n`). All four hold
    /// the Swedish letters å ä ö Å Ä Ö and é.
    #[derive(Default)]
    CodePage {
        /// PC437 (`n` = 0), the power-on table of every ESC/POS printer.
        Pc437,
        /// PC850 Multilingual (`n` = 2).
        Pc850,
        /// PC858 (`n` = 19): PC850 with the euro sign. The default.
        #[default]
        Pc858,
        /// PC865 Nordic (`n` = 5), for printers without PC858.
        Pc865,
    }
}

/// The paper widths a receipt layout exists for.
pub const PAPER_WIDTHS_MM: [u16; 2] = [58, 80];

/// Serial speeds a receipt printer is set to (its DIP switches or utility).
pub const BAUD_RATES: [u32; 6] = [2_400, 4_800, 9_600, 19_200, 38_400, 115_200];

/// One printer of a cash desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Printer {
    /// What staff call it ("Receipt printer at the till").
    pub name: String,
    pub role: PrinterRole,
    pub connection: Connection,
    /// For a network printer: `host:port`, or a URL (`http://192.168.1.50`,
    /// `https://tm-t88.local:8043`). Ignored for USB and serial.
    pub address: Option<String>,
    /// For a serial printer; ignored otherwise.
    pub baud_rate: Option<u32>,
    /// 58 or 80.
    pub paper_width_mm: u16,
    pub code_page: CodePage,
    /// Whether the cash drawer is wired to this printer (it opens on the printer's pulse).
    pub cash_drawer: bool,
}

impl Default for Printer {
    fn default() -> Self {
        Printer {
            name: String::new(),
            role: PrinterRole::Receipt,
            connection: Connection::Usb,
            address: None,
            baud_rate: None,
            paper_width_mm: 80,
            code_page: CodePage::default(),
            cash_drawer: false,
        }
    }
}

impl Printer {
    /// What is wrong with this printer's settings, one sentence each; empty when it can be used.
    pub fn problems(&self) -> Vec<String> {
        let name = if self.name.trim().is_empty() { "A printer" } else { self.name.trim() };
        let mut problems = Vec::new();
        if self.name.trim().is_empty() {
            problems.push("A printer has no name.".to_string());
        }
        if let PrinterRole::Unsupported(role) = &self.role {
            problems.push(format!("{name}: “{role}” is not a printer role (Receipt, BayTicket or Report)."));
        }
        match &self.connection {
            Connection::Network => match self.address.as_deref().map(str::trim) {
                None | Some("") => problems.push(format!("{name}: a network printer needs an address.")),
                Some(address) => {
                    if let Err(why) = check_address(address) {
                        problems.push(format!("{name}: “{address}” is not a printer address: {why}."));
                    }
                }
            },
            Connection::Serial => {
                if let Some(rate) = self.baud_rate.filter(|r| !BAUD_RATES.contains(r)) {
                    problems.push(format!(
                        "{name}: {rate} is not a serial speed a printer uses ({}).",
                        list(&BAUD_RATES)
                    ));
                }
            }
            Connection::Usb => {}
            Connection::Unsupported(how) => {
                problems.push(format!("{name}: “{how}” is not a connection (Usb, Serial or Network)."));
            }
        }
        if !PAPER_WIDTHS_MM.contains(&self.paper_width_mm) {
            problems.push(format!(
                "{name}: {} mm is not a paper width receipts are laid out for ({} mm).",
                self.paper_width_mm,
                list(&PAPER_WIDTHS_MM).replace(", ", " or ")
            ));
        }
        if let CodePage::Unsupported(page) = &self.code_page {
            problems.push(format!("{name}: “{page}” is not a code page (Pc437, Pc850, Pc858 or Pc865)."));
        }
        if self.cash_drawer && self.role != PrinterRole::Receipt {
            problems.push(format!("{name}: only a receipt printer opens the cash drawer."));
        }
        problems
    }

    /// The serial speed to open the port at: the configured one, or 9600 (the factory setting of most printers).
    pub fn serial_baud_rate(&self) -> u32 {
        self.baud_rate.unwrap_or(9_600)
    }
}

/// What is wrong with a cash desk's printers as a whole (each printer's own
/// problems included): two printers with one name, or two cash drawers.
pub fn desk_problems(printers: &[Printer]) -> Vec<String> {
    let mut problems: Vec<String> = printers.iter().flat_map(Printer::problems).collect();
    for (i, p) in printers.iter().enumerate() {
        if !p.name.trim().is_empty() && printers[..i].iter().any(|q| q.name.trim() == p.name.trim()) {
            problems.push(format!("Two printers are called “{}”.", p.name.trim()));
        }
    }
    if printers.iter().filter(|p| p.cash_drawer).count() > 1 {
        problems.push("Only one printer of a cash desk can have the cash drawer.".to_string());
    }
    problems
}

fn list<T: ToString>(items: &[T]) -> String {
    items.iter().map(T::to_string).collect::<Vec<_>>().join(", ")
}

/// Accepts `host:port` and `http(s)://host[:port][/path]`; the host is a DNS
/// name, an IPv4 address or a bracketed IPv6 address.
fn check_address(address: &str) -> Result<(), &'static str> {
    if address.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("it contains spaces");
    }
    let (rest, url) = match address.split_once("://") {
        Some(("http" | "https", rest)) => (rest, true),
        Some(_) => return Err("only http and https addresses reach a printer"),
        None => (address, false),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if !url && authority.len() != rest.len() {
        return Err("write host:port, or a whole URL starting with http://");
    }
    let (host, port) = split_port(authority)?;
    match port {
        Some(port) => {
            let n: u32 = port.parse().map_err(|_| "the port is not a number")?;
            if !(1..=65_535).contains(&n) || port.starts_with('0') {
                return Err("the port is not from 1 to 65535");
            }
        }
        None if !url => {
            return Err("the port is missing (host:port), or write it as a URL starting with http://")
        }
        None => {}
    }
    check_host(host)
}

fn split_port(authority: &str) -> Result<(&str, Option<&str>), &'static str> {
    if authority.starts_with('[') {
        let end = authority.find(']').ok_or("the IPv6 address has no closing bracket")?;
        let (host, rest) = authority.split_at(end + 1);
        return match rest {
            "" => Ok((host, None)),
            _ => rest
                .strip_prefix(':')
                .map(|p| (host, Some(p)))
                .ok_or("unexpected text after the IPv6 address"),
        };
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => Ok((host, Some(port))),
        None => Ok((authority, None)),
    }
}

fn check_host(host: &str) -> Result<(), &'static str> {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.parse::<std::net::Ipv6Addr>().map(|_| ()).map_err(|_| "the IPv6 address is not valid");
    }
    if host.is_empty() {
        return Err("the host is missing");
    }
    if host.len() > 253 {
        return Err("the host name is too long");
    }
    if host.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return host.parse::<std::net::Ipv4Addr>().map(|_| ()).map_err(|_| "the IPv4 address is not valid");
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if host.split('.').all(label_ok) {
        Ok(())
    } else {
        Err("the host name has characters a host name cannot have")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn network(address: &str) -> Printer {
        Printer {
            name: "Till".into(),
            connection: Connection::Network,
            address: Some(address.into()),
            ..Printer::default()
        }
    }

    #[test]
    fn a_printer_travels_in_pascal_case_and_round_trips() {
        let p = Printer {
            name: "Kassa 1".into(),
            role: PrinterRole::Receipt,
            connection: Connection::Network,
            address: Some("192.168.1.50:8008".into()),
            baud_rate: None,
            paper_width_mm: 58,
            code_page: CodePage::Pc865,
            cash_drawer: true,
        };
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "Name": "Kassa 1", "Role": "Receipt", "Connection": "Network",
                "Address": "192.168.1.50:8008", "BaudRate": null, "PaperWidthMm": 58,
                "CodePage": "Pc865", "CashDrawer": true
            })
        );
        assert_eq!(serde_json::from_value::<Printer>(json).unwrap(), p);
        assert!(p.problems().is_empty(), "{:?}", p.problems());
    }

    #[test]
    fn a_misconfigured_printer_still_parses_and_says_what_is_wrong() {
        let p: Printer = serde_json::from_value(serde_json::json!({
            "Role": "Kitchen", "Connection": "Bluetooth", "PaperWidthMm": 76, "CodePage": "Pc1252"
        }))
        .unwrap();
        assert_eq!(p.role, PrinterRole::Unsupported("Kitchen".into()));
        assert_eq!(p.connection, Connection::Unsupported("Bluetooth".into()));
        assert_eq!(p.code_page, CodePage::Unsupported("Pc1252".into()));
        let problems = p.problems();
        assert_eq!(problems.len(), 5, "{problems:?}");
        assert_eq!(problems[0], "A printer has no name.");
        assert!(problems[1].contains("“Kitchen” is not a printer role"), "{problems:?}");
        assert!(problems[2].contains("“Bluetooth” is not a connection"), "{problems:?}");
        assert!(problems[3].contains("76 mm is not a paper width"), "{problems:?}");
        assert!(problems[4].contains("“Pc1252” is not a code page"), "{problems:?}");
        // Unknown names survive a round trip as written.
        assert_eq!(serde_json::to_value(&p).unwrap()["Role"], "Kitchen");
    }

    #[test]
    fn network_addresses_are_host_port_or_a_url() {
        for ok in [
            "192.168.1.50:80",
            "tm-t88.local:8008",
            "printer:9100",
            "http://192.168.1.50",
            "https://tm-t88.local:8043",
            "http://192.168.1.50/cgi-bin/epos/service.cgi",
            "[fe80::1]:8008",
            "http://[::1]:8080/",
        ] {
            assert!(network(ok).problems().is_empty(), "{ok}: {:?}", network(ok).problems());
        }
        for (bad, why) in [
            ("192.168.1.50", "the port is missing"),
            ("192.168.1.50:0", "the port is not from 1 to 65535"),
            ("192.168.1.50:70000", "the port is not from 1 to 65535"),
            ("192.168.1.50:http", "the port is not a number"),
            ("300.1.1.1:80", "the IPv4 address is not valid"),
            ("ftp://printer", "only http and https"),
            ("printer:80/path", "write host:port"),
            ("my printer:80", "it contains spaces"),
            ("print_er:80", "characters a host name cannot have"),
            ("-printer:80", "characters a host name cannot have"),
            (":80", "the host is missing"),
            ("http://", "the host is missing"),
            ("[fe80::1:8008", "no closing bracket"),
            ("[zz::1]:8008", "the IPv6 address is not valid"),
        ] {
            let problems = network(bad).problems();
            assert_eq!(problems.len(), 1, "{bad}: {problems:?}");
            assert!(problems[0].contains(why), "{bad}: {problems:?}");
        }
        let missing = Printer { address: None, ..network("") };
        assert_eq!(missing.problems(), vec!["Till: a network printer needs an address.".to_string()]);
        assert_eq!(network("  ").problems(), vec!["Till: a network printer needs an address.".to_string()]);
    }

    #[test]
    fn serial_speeds_and_drawers_are_checked() {
        let serial = Printer { name: "Till".into(), connection: Connection::Serial, ..Printer::default() };
        assert!(serial.problems().is_empty());
        assert_eq!(serial.serial_baud_rate(), 9_600);
        let odd = Printer { baud_rate: Some(12_345), ..serial.clone() };
        assert!(odd.problems()[0].contains("12345 is not a serial speed"), "{:?}", odd.problems());
        let ticket = Printer {
            name: "Bay".into(),
            role: PrinterRole::BayTicket,
            cash_drawer: true,
            ..Printer::default()
        };
        assert_eq!(ticket.problems(), vec!["Bay: only a receipt printer opens the cash drawer.".to_string()]);
    }

    #[test]
    fn a_desk_has_unique_names_and_one_drawer() {
        let a = Printer { name: "Till".into(), cash_drawer: true, ..Printer::default() };
        let b = Printer { name: " Till ".into(), cash_drawer: true, ..Printer::default() };
        assert!(desk_problems(std::slice::from_ref(&a)).is_empty());
        assert_eq!(
            desk_problems(&[a, b]),
            vec![
                "Two printers are called “Till”.".to_string(),
                "Only one printer of a cash desk can have the cash drawer.".to_string()
            ]
        );
    }
}
