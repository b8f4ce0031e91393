//! The API description names every route the server has.

use possum_contract::endpoints::{PullModule, PushKind, INVOICE_COUNTER, SALE, TOKEN};

#[test]
fn the_openapi_document_describes_every_endpoint() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.yaml")).unwrap();
    let paths = PullModule::ALL
        .iter()
        .map(|m| m.path())
        .chain(PushKind::ALL.iter().map(|k| k.path()))
        .chain([TOKEN, SALE, INVOICE_COUNTER]);
    for path in paths {
        assert!(doc.contains(&format!("\n  {path}:\n")), "docs/openapi.yaml does not describe {path}");
    }
}
