//! Business rules the registry cannot express, as write-path hooks, plus accounts
//! (passwords, tokens).

pub mod auth;
mod custom_fields;
mod dcim;
mod fields;
mod hooks;
pub mod housekeeping;
pub mod ipam;
mod jsonschema;
pub mod settings;
pub mod timezone;
pub mod users;

pub use hooks::hooks;
pub use settings::Settings;
pub use timezone::Zone;
