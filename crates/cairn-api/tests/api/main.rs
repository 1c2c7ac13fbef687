//! HTTP integration tests: every REST convention and model, on SQLite and (when
//! configured) PostgreSQL.

mod harness;

mod audit;
mod auth;
mod changelog;
mod components;
mod conventions;
mod custom_fields;
mod dcim;
mod errors;
mod filters;
mod ipam;
mod models;
mod openapi;
mod operations;
mod placement;
mod settings;
mod storage;
mod wire;
