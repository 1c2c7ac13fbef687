//! Business rules the registry cannot express, as write-path hooks, plus accounts
//! (passwords, tokens).

pub mod auth;
mod dcim;
mod hooks;
pub mod import;

pub use hooks::DomainHooks;
