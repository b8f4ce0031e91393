//! Every sample of the seed documents parses into the contract types and
//! serialises back to the same JSON (names, casing and values exactly).
//!
//! The samples are kept here verbatim so the tests run anywhere; when the seed
//! folder is beside the repository, a test also proves they are still the
//! seed's own text and that no JSON sample of the seed is left untested.

use possum_contract::error::{ApplicationErrorCode, ErrorResponse};
use possum_contract::sale::{PaymentMethod, SaleRequestModel, SaleResponseModel};
use possum_contract::sync::SyncWindow;
use possum_contract::token::{TokenRequest, TokenResponse};
use possum_contract::xml;
use pretty_assertions::assert_eq;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

const TOKEN_RESPONSE: &str = r#"{
  "access_token": "<jwt>",
  "token_type": "bearer",
  "expires_in": 1209599,
  ".issued": "2023-09-01T12:00:00Z",
  ".expires": "2023-09-15T12:00:00Z"
}"#;

const TOKEN_FORM: &str = "grant_type=password&username=terminal.user@possum.com&password=SuperSecret123!";

const PULL_QUERY: &str =
    "LastExecutedDate=2023-09-01T00:00:00Z&CurrentDate=2023-09-02T00:00:00Z&TerminalId={guid}";

const SALE_REQUEST: &str = r#"{
  "PriceGroup": 64,
  "Items": [
    {
      "ArticleNumber": "sample string 1",
      "Quantity": 2,
      "Price": 1.0
    },
    {
      "ArticleNumber": "sample string 1",
      "Quantity": 2,
      "Price": 1.0
    }
  ],
  "CashierCardNumber": "sample string 2",
  "PaymentMethod": 0,
  "CardNumber": "sample string 3",
  "CardUID": 1,
  "LicensePlate": "sample string 4",
  "ClientNumber": 64
}"#;

const SALE_RESPONSE: &str = r#"{
  "FeedbackPortalUrl": "sample string 1",
  "Token": "sample string 2"
}"#;

const ERROR_RESPONSE: &str = r#"{
  "Data": null,
  "ApplicationErrorCode": 16,
  "ApplicationMessage": "ArticleBlocked"
}"#;

const SALE_REQUEST_XML: &str = r#"<SaleRequestModel xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <CardNumber>sample string 3</CardNumber>
  <CardUID>1</CardUID>
  <LicensePlate>sample string 4</LicensePlate>
  <ClientNumber>64</ClientNumber>
  <PriceGroup>64</PriceGroup>
  <Items>
    <SaleItem>
      <ArticleNumber>sample string 1</ArticleNumber>
      <Quantity>2</Quantity>
      <Price>1</Price>
    </SaleItem>
    <SaleItem>
      <ArticleNumber>sample string 1</ArticleNumber>
      <Quantity>2</Quantity>
      <Price>1</Price>
    </SaleItem>
  </Items>
  <CashierCardNumber>sample string 2</CashierCardNumber>
  <PaymentMethod>CashPayment</PaymentMethod>
</SaleRequestModel>"#;

const SALE_RESPONSE_XML: &str = r#"<SaleResponseModel xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <FeedbackPortalUrl>sample string 1</FeedbackPortalUrl>
  <Token>sample string 2</Token>
</SaleResponseModel>"#;

const ERROR_XML: &str = r#"<Error xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <ApplicationErrorCode>16</ApplicationErrorCode>
  <ApplicationMessage>ArticleBlocked</ApplicationMessage>
</Error>"#;

/// Parses `sample` as `T`, serialises it back and demands the very same JSON.
fn round_trip<T: Serialize + DeserializeOwned>(sample: &str) -> T {
    let parsed: T = serde_json::from_str(sample).expect("sample parses into the contract type");
    let back = serde_json::to_value(&parsed).unwrap();
    let original: Value = serde_json::from_str(sample).unwrap();
    assert_eq!(back, original);
    // Numbers keep their digits: 1.0 stays 1.0, never 1 or 1.00.
    assert_eq!(serde_json::to_string(&back).unwrap(), serde_json::to_string(&original).unwrap());
    parsed
}

#[test]
fn token_response_round_trips() {
    let token: TokenResponse = round_trip(TOKEN_RESPONSE);
    assert_eq!(token.token_type, "bearer");
    assert_eq!(token.expires_in, possum_contract::token::TOKEN_LIFETIME_SECONDS);
    assert_eq!(token.expires - token.issued, chrono::Duration::days(14));
}

#[test]
fn token_request_form_round_trips() {
    let form: TokenRequest = serde_urlencoded_like::parse(TOKEN_FORM);
    assert_eq!(form, TokenRequest::password("terminal.user@possum.com", "SuperSecret123!"));
}

#[test]
fn pull_window_query_round_trips() {
    let guid = "8a1f8f76-3c1e-4f4e-9a55-0a2d2b9f6b11";
    let query = PULL_QUERY.replace("{guid}", guid);
    let window: SyncWindow = serde_urlencoded_like::parse(&query);
    assert_eq!(window.terminal_id.to_string(), guid);
    assert_eq!(window.last_executed_date.unwrap().to_rfc3339(), "2023-09-01T00:00:00+00:00");
    assert_eq!(serde_urlencoded_like::render(&window), query);
}

#[test]
fn sale_request_round_trips() {
    let sale: SaleRequestModel = round_trip(SALE_REQUEST);
    assert_eq!(sale.payment_method, PaymentMethod::CashPayment);
    assert_eq!(sale.items.len(), 2);
    assert_eq!(sale.items[0].price.to_string(), "1.0");
    assert_eq!(sale.card_uid, Some(1));
}

#[test]
fn sale_response_round_trips() {
    let response: SaleResponseModel = round_trip(SALE_RESPONSE);
    assert_eq!(response.token.as_deref(), Some("sample string 2"));
}

#[test]
fn error_response_round_trips() {
    let error: ErrorResponse = round_trip(ERROR_RESPONSE);
    assert_eq!(error.application_error_code, ApplicationErrorCode::ArticleBlocked);
    assert_eq!(error.application_message, "ArticleBlocked");
}

#[test]
fn xml_samples_parse_to_the_same_models_as_json() {
    let from_json: SaleRequestModel = serde_json::from_str(SALE_REQUEST).unwrap();
    let from_xml = xml::sale_request_from_xml(SALE_REQUEST_XML).unwrap();
    assert_eq!(from_xml, from_json);
    let response = xml::sale_response_from_xml(SALE_RESPONSE_XML).unwrap();
    assert_eq!(response, serde_json::from_str::<SaleResponseModel>(SALE_RESPONSE).unwrap());
    let error = xml::error_from_xml(ERROR_XML).unwrap();
    assert_eq!(error, serde_json::from_str::<ErrorResponse>(ERROR_RESPONSE).unwrap());
}

#[test]
fn xml_samples_serialise_back_to_the_seed_text() {
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").replace("> <", "><");
    let model = xml::sale_request_from_xml(SALE_REQUEST_XML).unwrap();
    assert_eq!(squash(&xml::sale_request_to_xml(&model)), squash(SALE_REQUEST_XML));
    let response = xml::sale_response_from_xml(SALE_RESPONSE_XML).unwrap();
    assert_eq!(squash(&xml::sale_response_to_xml(&response)), squash(SALE_RESPONSE_XML));
    let error = xml::error_from_xml(ERROR_XML).unwrap();
    assert_eq!(squash(&xml::error_to_xml(&error)), squash(ERROR_XML));
}

#[test]
fn every_documented_error_code_has_its_number_and_name() {
    let expected = [
        (1, "CardNotFound"),
        (2, "ClientNotFound"),
        (3, "CashierCardInvalid"),
        (4, "EmptyArticleNumber"),
        (5, "PaymentMethodNotSupported"),
        (7, "CreditLineReached"),
        (8, "NotEnoughCredit"),
        (9, "AlreadyReceivedBirthdayWash"),
        (10, "NoBirthdayAvailable"),
        (11, "NoWashItemBirthdayWash"),
        (12, "BirthdayWashNotInConfiguredTimePeriod"),
        (13, "ClientNotAllowed"),
        (14, "ArticleNotFound"),
        (15, "CardLocked"),
        (16, "ArticleBlocked"),
    ];
    for (number, name) in expected {
        let code = ApplicationErrorCode::from(number);
        assert_eq!((code.code(), code.name()), (number, name));
        assert_eq!(ApplicationErrorCode::from_name(name), Some(code));
    }
    assert_eq!(ApplicationErrorCode::from(6), ApplicationErrorCode::Unknown(6));
}

#[test]
fn unknown_payment_methods_parse_and_stay_unsupported() {
    let sale: SaleRequestModel = serde_json::from_str(r#"{"PaymentMethod": 42}"#).unwrap();
    assert_eq!(sale.payment_method, PaymentMethod::Unsupported(42));
    assert_eq!(serde_json::to_value(sale.payment_method).unwrap(), serde_json::json!(42));
}

#[test]
fn unknown_fields_in_a_sale_are_refused() {
    let err = serde_json::from_str::<SaleRequestModel>(r#"{"PriceGroup": 1, "Discount": 5}"#).unwrap_err();
    assert!(err.to_string().contains("unknown field `Discount`"), "{err}");
}

/// The seed's own text, when the seed folder is beside the repository.
fn seed_texts() -> Option<Vec<String>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(dir).ok()? {
        let path = entry.ok()?.path();
        if path.extension().is_some_and(|e| e == "txt") {
            texts.push(std::fs::read_to_string(path).ok()?);
        }
    }
    Some(texts)
}

/// The top-level JSON objects of a text: a line that is `{` up to the line that is `}`.
fn json_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in text.lines() {
        match (&mut current, line.trim_end()) {
            (None, "{") => current = Some(vec!["{"]),
            (Some(lines), "}") => {
                lines.push("}");
                let block = lines.join("\n");
                if serde_json::from_str::<Value>(&block).is_ok() {
                    blocks.push(block);
                }
                current = None;
            }
            (Some(lines), l) => lines.push(l),
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn the_kept_samples_are_the_seed_text_and_cover_every_json_sample() {
    let Some(texts) = seed_texts() else {
        eprintln!("seed folder not beside the repository; the kept samples stand in for it");
        return;
    };
    let all = texts.join("\n");
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    for sample in [
        TOKEN_RESPONSE,
        SALE_REQUEST,
        SALE_RESPONSE,
        ERROR_RESPONSE,
        SALE_REQUEST_XML,
        SALE_RESPONSE_XML,
        ERROR_XML,
        TOKEN_FORM,
        PULL_QUERY,
    ] {
        assert!(squash(&all).contains(&squash(sample)), "not in the seed any more: {sample}");
    }
    let kept: Vec<Value> = [TOKEN_RESPONSE, SALE_REQUEST, SALE_RESPONSE, ERROR_RESPONSE]
        .iter()
        .map(|s| serde_json::from_str(s).unwrap())
        .collect();
    let found = json_blocks(&all);
    assert_eq!(found.len(), kept.len(), "the seed has JSON samples this test does not know");
    for block in found {
        let value: Value = serde_json::from_str(&block).unwrap();
        assert!(kept.contains(&value), "untested seed sample: {block}");
    }
}

/// Form and query strings, as the terminal and axum read and write them.
mod serde_urlencoded_like {
    use serde::{de::DeserializeOwned, Serialize};

    pub fn parse<T: DeserializeOwned>(s: &str) -> T {
        serde_urlencoded::from_str(s).expect("form parses")
    }

    /// Renders and decodes the percent-escapes so it reads like the seed.
    pub fn render<T: Serialize>(value: &T) -> String {
        let encoded = serde_urlencoded::to_string(value).unwrap();
        encoded.replace("%3A", ":").replace("%40", "@").replace("%21", "!")
    }
}
