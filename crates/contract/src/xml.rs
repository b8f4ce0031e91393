//! The `application/xml` / `text/xml` forms of `api/Sale` (seed 003).
//!
//! The XML shape differs from the JSON one (the payment method is a name, the
//! items sit in `<Items><SaleItem>…`), so it has its own mirror types here and
//! converts to and from the one model. Leaf values are read as text and parsed
//! by hand so that every problem gets a clear message.

use crate::error::{ApplicationErrorCode, ErrorResponse};
use crate::sale::{PaymentMethod, SaleItem, SaleRequestModel, SaleResponseModel};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

const XSD: &str = "http://www.w3.org/2001/XMLSchema";
const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum XmlError {
    #[error("the XML body is not readable: {0}")]
    Syntax(String),
    #[error("{field} is not a valid {expected}: {value:?}")]
    Value { field: &'static str, expected: &'static str, value: String },
}

#[derive(Serialize, Deserialize, Default)]
#[serde(rename = "SaleRequestModel", deny_unknown_fields)]
struct XmlSaleRequest {
    #[serde(rename = "@xmlns:xsd", default)]
    xsd: Option<String>,
    #[serde(rename = "@xmlns:xsi", default)]
    xsi: Option<String>,
    #[serde(rename = "CardNumber", default, skip_serializing_if = "Option::is_none")]
    card_number: Option<String>,
    #[serde(rename = "CardUID", default, skip_serializing_if = "Option::is_none")]
    card_uid: Option<String>,
    #[serde(rename = "LicensePlate", default, skip_serializing_if = "Option::is_none")]
    license_plate: Option<String>,
    #[serde(rename = "ClientNumber", default)]
    client_number: Option<String>,
    #[serde(rename = "PriceGroup", default)]
    price_group: Option<String>,
    #[serde(rename = "Items", default)]
    items: XmlItems,
    #[serde(rename = "CashierCardNumber", default, skip_serializing_if = "Option::is_none")]
    cashier_card_number: Option<String>,
    #[serde(rename = "PaymentMethod", default)]
    payment_method: Option<String>,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct XmlItems {
    #[serde(rename = "SaleItem", default)]
    items: Vec<XmlSaleItem>,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct XmlSaleItem {
    #[serde(rename = "ArticleNumber", default, skip_serializing_if = "Option::is_none")]
    article_number: Option<String>,
    #[serde(rename = "Quantity", default)]
    quantity: Option<String>,
    #[serde(rename = "Price", default)]
    price: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename = "SaleResponseModel")]
struct XmlSaleResponse {
    #[serde(rename = "@xmlns:xsd", default)]
    xsd: Option<String>,
    #[serde(rename = "@xmlns:xsi", default)]
    xsi: Option<String>,
    #[serde(rename = "FeedbackPortalUrl", default, skip_serializing_if = "Option::is_none")]
    feedback_portal_url: Option<String>,
    #[serde(rename = "Token", default, skip_serializing_if = "Option::is_none")]
    token: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename = "Error")]
struct XmlError_ {
    #[serde(rename = "@xmlns:xsd", default)]
    xsd: Option<String>,
    #[serde(rename = "@xmlns:xsi", default)]
    xsi: Option<String>,
    #[serde(rename = "Data", default, skip_serializing_if = "Option::is_none")]
    data: Option<XmlData>,
    #[serde(rename = "ApplicationErrorCode")]
    code: String,
    #[serde(rename = "ApplicationMessage")]
    message: String,
}

#[derive(Serialize, Deserialize)]
struct XmlData {
    #[serde(rename = "string", default)]
    values: Vec<String>,
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

fn parse_leaf<T: FromStr>(
    field: &'static str,
    expected: &'static str,
    value: Option<String>,
) -> Result<Option<T>, XmlError> {
    match non_empty(value) {
        None => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| XmlError::Value { field, expected, value: text }),
    }
}

fn syntax(e: impl std::fmt::Display) -> XmlError {
    XmlError::Syntax(e.to_string())
}

pub fn sale_request_from_xml(xml: &str) -> Result<SaleRequestModel, XmlError> {
    let raw: XmlSaleRequest = quick_xml::de::from_str(xml).map_err(syntax)?;
    let payment_method = match non_empty(raw.payment_method) {
        None => PaymentMethod::default(),
        Some(text) => match text.parse::<i64>() {
            Ok(code) => PaymentMethod::from(code),
            Err(_) => PaymentMethod::from_name(&text),
        },
    };
    let items = raw
        .items
        .items
        .into_iter()
        .map(|item| {
            Ok(SaleItem {
                article_number: item.article_number,
                quantity: parse_leaf("Quantity", "whole number", item.quantity)?.unwrap_or(0),
                price: parse_leaf::<Decimal>("Price", "decimal number", item.price)?.unwrap_or_default(),
            })
        })
        .collect::<Result<_, XmlError>>()?;
    Ok(SaleRequestModel {
        price_group: parse_leaf("PriceGroup", "number from 0 to 255", raw.price_group)?.unwrap_or(0),
        items,
        cashier_card_number: raw.cashier_card_number,
        payment_method,
        card_number: non_empty(raw.card_number),
        card_uid: parse_leaf("CardUID", "whole number", raw.card_uid)?,
        license_plate: non_empty(raw.license_plate),
        client_number: parse_leaf("ClientNumber", "number from 0 to 255", raw.client_number)?.unwrap_or(0),
    })
}

fn to_xml<T: Serialize>(value: &T) -> String {
    quick_xml::se::to_string(value).expect("the XML mirror types always serialise")
}

pub fn sale_request_to_xml(model: &SaleRequestModel) -> String {
    to_xml(&XmlSaleRequest {
        xsd: Some(XSD.into()),
        xsi: Some(XSI.into()),
        card_number: model.card_number.clone(),
        card_uid: model.card_uid.map(|v| v.to_string()),
        license_plate: model.license_plate.clone(),
        client_number: Some(model.client_number.to_string()),
        price_group: Some(model.price_group.to_string()),
        items: XmlItems {
            items: model
                .items
                .iter()
                .map(|i| XmlSaleItem {
                    article_number: i.article_number.clone(),
                    quantity: Some(i.quantity.to_string()),
                    price: Some(i.price.normalize().to_string()),
                })
                .collect(),
        },
        cashier_card_number: model.cashier_card_number.clone(),
        payment_method: Some(model.payment_method.name().into()),
    })
}

pub fn sale_response_to_xml(model: &SaleResponseModel) -> String {
    to_xml(&XmlSaleResponse {
        xsd: Some(XSD.into()),
        xsi: Some(XSI.into()),
        feedback_portal_url: model.feedback_portal_url.clone(),
        token: model.token.clone(),
    })
}

pub fn sale_response_from_xml(xml: &str) -> Result<SaleResponseModel, XmlError> {
    let raw: XmlSaleResponse = quick_xml::de::from_str(xml).map_err(syntax)?;
    Ok(SaleResponseModel {
        feedback_portal_url: non_empty(raw.feedback_portal_url),
        token: non_empty(raw.token),
    })
}

pub fn error_to_xml(error: &ErrorResponse) -> String {
    to_xml(&XmlError_ {
        xsd: Some(XSD.into()),
        xsi: Some(XSI.into()),
        data: error.data.clone().map(|values| XmlData { values }),
        code: error.application_error_code.code().to_string(),
        message: error.application_message.clone(),
    })
}

pub fn error_from_xml(xml: &str) -> Result<ErrorResponse, XmlError> {
    let raw: XmlError_ = quick_xml::de::from_str(xml).map_err(syntax)?;
    let code: i32 =
        parse_leaf("ApplicationErrorCode", "whole number", Some(raw.code))?.ok_or(XmlError::Value {
            field: "ApplicationErrorCode",
            expected: "whole number",
            value: String::new(),
        })?;
    Ok(ErrorResponse {
        data: raw.data.map(|d| d.values),
        application_error_code: ApplicationErrorCode::from(code),
        application_message: raw.message,
    })
}
