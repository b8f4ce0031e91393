//! The shop's time zone from the browser's own database (`Intl`), for
//! `possum_pricing::shop::shop_time`: the back office reads the same IANA
//! zones from chrono-tz, which would cost the terminal about 130 KB
//! compressed. A name `Intl` does not know is no zone (the rule then says
//! UTC); one it knows only in another case is none either, since chrono-tz
//! takes names exactly as written.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use js_sys::{Array, Object, Reflect};
use possum_register::deals::ZoneRules;
use wasm_bindgen::{JsCast, JsValue};

/// The browser's time zone database.
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserZones;

fn get(object: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(object, &key.into()).ok().filter(|v| !v.is_undefined())
}

/// An `Intl.DateTimeFormat` giving every field as a number, in `zone`; `None`
/// when the browser knows no such zone (its constructor throws).
fn formatter(zone: &str) -> Option<js_sys::Intl::DateTimeFormat> {
    let options = Object::new();
    let set = |k: &str, v: &str| Reflect::set(&options, &k.into(), &v.into()).is_ok();
    let all = set("timeZone", zone)
        && set("hourCycle", "h23")
        && ["year", "month", "day", "hour", "minute", "second"].iter().all(|f| set(f, "numeric"));
    let constructor = get(&js_sys::global(), "Intl").and_then(|intl| get(&intl, "DateTimeFormat"))?;
    let args = Array::of2(&"en-US".into(), &options);
    let constructor: &js_sys::Function = constructor.unchecked_ref();
    let made = Reflect::construct(constructor, &args).ok().filter(|_| all)?;
    let format: js_sys::Intl::DateTimeFormat = made.unchecked_into();
    let resolved = get(&format.resolved_options(), "timeZone").and_then(|z| z.as_string())?;
    let only_case_differs = resolved != zone && resolved.eq_ignore_ascii_case(zone);
    (!only_case_differs).then_some(format)
}

impl ZoneRules for BrowserZones {
    fn offset(&self, zone: &str, at: DateTime<Utc>) -> Option<FixedOffset> {
        let format = formatter(zone)?;
        let seconds = at.timestamp();
        let date = js_sys::Date::new(&JsValue::from_f64(seconds as f64 * 1000.0));
        let mut fields = [0i64; 6];
        for part in format.format_to_parts(&date).iter() {
            let kind = get(&part, "type").and_then(|t| t.as_string()).unwrap_or_default();
            let value = get(&part, "value").and_then(|v| v.as_string()).and_then(|v| v.parse().ok());
            let slot = ["year", "month", "day", "hour", "minute", "second"].iter().position(|f| *f == kind);
            if let (Some(slot), Some(value)) = (slot, value) {
                fields[slot] = value;
            }
        }
        let [year, month, day, hour, minute, second] = fields;
        let local = NaiveDate::from_ymd_opt(year as i32, month as u32, day as u32)?.and_hms_opt(
            hour as u32 % 24,
            minute as u32,
            second as u32,
        )?;
        let utc = DateTime::from_timestamp(seconds, 0)?.naive_utc();
        FixedOffset::east_opt(i32::try_from((local - utc).num_seconds()).ok()?)
    }
}
