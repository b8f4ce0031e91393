//! Generates the translation module (`crate::i18n`) from `locales/` and fails
//! the build when a word is missing in one language: a cashier must never
//! meet a key or a fallback in the wrong language.

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::collections::BTreeSet;
use std::error::Error;
use std::path::{Path, PathBuf};

/// The languages on screen; the first is the fallback for a tablet in any
/// other language.
const LOCALES: [&str; 2] = ["en", "sv"];
/// One file per part of the terminal, so parts can be translated apart.
const NAMESPACES: [&str; 5] = ["common", "start", "sale", "drawer", "sync"];

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=locales");
    for ns in NAMESPACES {
        same_keys(ns)?;
    }
    let mut cfg = Config::new(LOCALES[0])?;
    for locale in &LOCALES[1..] {
        cfg = cfg.add_locale(locale)?;
    }
    // `interpolate_display`: `t_string!`/`td_string!` with `{{ values }}`, for
    // words outside a view (a status sentence, an error's text, an aria-label).
    let cfg = cfg.add_namespaces(NAMESPACES)?.parse_options(ParseOptions::new().interpolate_display(true));
    let infos = TranslationsInfos::parse(cfg)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR unset")?).join("i18n");
    infos.generate_i18n_module(out)?;
    Ok(())
}

/// Every language of `ns` has exactly the keys English has, and no value is
/// empty. leptos_i18n only warns about a missing key (and shows English).
fn same_keys(ns: &str) -> Result<(), Box<dyn Error>> {
    let keys = |locale: &str| -> Result<BTreeSet<String>, Box<dyn Error>> {
        let path = Path::new("locales").join(locale).join(format!("{ns}.json"));
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut out = BTreeSet::new();
        flatten("", &value, &mut out).map_err(|key| format!("{}: \"{key}\" is empty", path.display()))?;
        Ok(out)
    };
    let english = keys(LOCALES[0])?;
    for locale in &LOCALES[1..] {
        let other = keys(locale)?;
        let missing: Vec<_> = english.difference(&other).collect();
        let extra: Vec<_> = other.difference(&english).collect();
        if !missing.is_empty() || !extra.is_empty() {
            return Err(format!(
                "locales/{locale}/{ns}.json does not match locales/en/{ns}.json: missing {missing:?}, not in English {extra:?}"
            )
            .into());
        }
    }
    Ok(())
}

fn flatten(prefix: &str, value: &serde_json::Value, out: &mut BTreeSet<String>) -> Result<(), String> {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                flatten(&path, inner, out)?;
            }
            Ok(())
        }
        serde_json::Value::String(s) if s.trim().is_empty() => Err(prefix.to_string()),
        _ => {
            out.insert(prefix.to_string());
            Ok(())
        }
    }
}
