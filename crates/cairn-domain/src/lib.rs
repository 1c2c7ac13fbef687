//! Business rules the registry cannot express, as write-path hooks, plus accounts
//! (passwords, tokens).

pub mod auth;
mod dcim;
mod fields;
mod hooks;
pub mod import;
pub mod ipam;
mod jsonschema;

pub use hooks::DomainHooks;
