//! Business rules the registry cannot express, as write-path hooks, plus accounts
//! (passwords, tokens).

pub mod auth;
mod hooks;

pub use hooks::DomainHooks;
