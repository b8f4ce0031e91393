//! The signing module: the project's stand-in for a control unit, with Web
//! Crypto. NOT certified (see the module above). The key pair is made once
//! per tablet (`generate`), its private key not extractable and kept in
//! IndexedDB as the `CryptoKey` it is; the code of a receipt is the base64 of
//! the key's ECDSA P-256 / SHA-256 signature over `ControlData::canonical()`
//! (IEEE P1363 form, r‖s, 64 bytes: what Web Crypto makes and the back
//! office's `p256` verifies).

use super::ControlUnit;
use crate::error::AppError;
use base64::Engine;
use possum_contract::register::ControlData;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn subtle() -> Result<web_sys::SubtleCrypto, AppError> {
    let crypto = web_sys::window().and_then(|w| w.crypto().ok()).ok_or_else(|| {
        AppError::Browser("This browser has no Web Crypto: receipts cannot be signed.".into())
    })?;
    Ok(crypto.subtle())
}

fn failed(what: &str, e: JsValue) -> AppError {
    let why =
        e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|| format!("{e:?}"));
    AppError::Browser(format!("The signing module could not {what}: {why}"))
}

fn object(entries: &[(&str, &str)]) -> js_sys::Object {
    let object = js_sys::Object::new();
    for (key, value) in entries {
        let _ = js_sys::Reflect::set(&object, &(*key).into(), &(*value).into());
    }
    object
}

/// A new key pair: (private key, not extractable; public key as SPKI DER, base64).
pub async fn generate() -> Result<(web_sys::CryptoKey, String), AppError> {
    let subtle = subtle()?;
    let algorithm = object(&[("name", "ECDSA"), ("namedCurve", "P-256")]);
    let usages = js_sys::Array::of2(&"sign".into(), &"verify".into());
    let promise =
        subtle.generate_key_with_object(&algorithm, false, &usages).map_err(|e| failed("make its key", e))?;
    let pair = JsFuture::from(promise).await.map_err(|e| failed("make its key", e))?;
    let key = |name: &str| -> Result<web_sys::CryptoKey, AppError> {
        js_sys::Reflect::get(&pair, &name.into())
            .ok()
            .and_then(|k| k.dyn_into().ok())
            .ok_or_else(|| AppError::Browser(format!("The signing module's new key has no {name}.")))
    };
    let (private, public) = (key("privateKey")?, key("publicKey")?);
    let promise = subtle.export_key("spki", &public).map_err(|e| failed("export its public key", e))?;
    let spki = JsFuture::from(promise).await.map_err(|e| failed("export its public key", e))?;
    let der = js_sys::Uint8Array::new(&spki).to_vec();
    Ok((private, base64::engine::general_purpose::STANDARD.encode(der)))
}

/// The signing module of a register: its key and the control unit id the back office issued it.
pub struct SigningModule {
    pub key: web_sys::CryptoKey,
    pub control_unit_id: String,
}

impl ControlUnit for SigningModule {
    fn id(&self) -> &str {
        &self.control_unit_id
    }

    async fn register(&self, data: &ControlData) -> Result<String, AppError> {
        let algorithm = object(&[("name", "ECDSA"), ("hash", "SHA-256")]);
        let text = data.canonical();
        let promise = subtle()?
            .sign_with_object_and_u8_array(&algorithm, &self.key, text.as_bytes())
            .map_err(|e| failed("sign the receipt", e))?;
        let signature = JsFuture::from(promise).await.map_err(|e| failed("sign the receipt", e))?;
        let bytes = js_sys::Uint8Array::new(&signature).to_vec();
        Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
    }
}
