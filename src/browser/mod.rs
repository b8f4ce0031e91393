//! The browser's edges, each a capability of its own: `tabs.rs` (Web Locks
//! and BroadcastChannel), `pwa.rs` (the service worker), `quota.rs`
//! (persistent storage and its size), `export.rs` (a file download).

pub mod export;
pub mod pwa;
pub mod quota;
pub mod tabs;
