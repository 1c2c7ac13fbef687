//! Passwords (argon2) and API tokens: NetBox's v1 `Token <40 hex>` and v2
//! `Bearer nbt_<key>.<secret>`.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Utc};
use rand::RngCore;

use cairn_store::{read, Conn, Filter, Result, Schema, Value};

use crate::fields::{get, text};

pub fn hash_password(clear: &str) -> std::result::Result<String, String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(clear.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

pub fn is_hashed(s: &str) -> bool {
    s.starts_with("$argon2")
}

pub fn verify_password(clear: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(clear.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// 40 random hex characters.
pub fn new_token_key() -> String {
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A caller authenticated by token or password.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: i64,
    pub username: String,
    pub is_superuser: bool,
    pub is_staff: bool,
    pub write_enabled: bool,
    pub token_id: Option<i64>,
    /// When the token was last recorded as used.
    pub last_used: Option<DateTime<Utc>>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum AuthError {
    /// No credentials at all.
    Missing,
    Invalid,
    Expired,
    Inactive,
}

/// The token key from an `Authorization` header value: `Token <key>` or
/// `Bearer nbt_<key>.<secret>` (the whole `<key>.<secret>` is the stored key of v2 tokens).
pub fn token_from_header(header: &str) -> Option<String> {
    let header = header.trim();
    if header.contains(char::is_control) {
        return None;
    }
    if let Some(k) = header.strip_prefix("Token ") {
        return Some(k.trim().to_string());
    }
    if let Some(k) = header.strip_prefix("Bearer ") {
        let k = k.trim();
        return Some(k.strip_prefix("nbt_").unwrap_or(k).to_string());
    }
    None
}

/// The token with this key and its user, checked for expiry and an active user. Reading
/// only: recording the use is the caller's business.
pub fn authenticate_token(
    conn: &mut Conn,
    s: &Schema,
    key: &str,
) -> Result<std::result::Result<Principal, AuthError>> {
    let (Some(tt), Some(ut)) = (s.reg.get("users.token"), s.reg.get("users.user")) else {
        return Ok(Err(AuthError::Invalid));
    };
    let Some((token, Some(user))) =
        read::first_with_parent(conn, s, tt, &Filter::eq("key", key), "user")?
    else {
        return Ok(Err(AuthError::Invalid));
    };
    if let Value::Time(exp) = get(tt, &token, "expires") {
        if *exp < Utc::now() {
            return Ok(Err(AuthError::Expired));
        }
    }
    if get(ut, &user, "is_active").as_bool() == Some(false) {
        return Ok(Err(AuthError::Inactive));
    }
    let flag = |t, r, n| get(t, r, n).as_bool().unwrap_or(false);
    Ok(Ok(Principal {
        user_id: user.id,
        username: text(ut, &user, "username").to_string(),
        is_superuser: flag(ut, &user, "is_superuser"),
        is_staff: flag(ut, &user, "is_staff"),
        write_enabled: flag(tt, &token, "write_enabled"),
        token_id: Some(token.id),
        last_used: match get(tt, &token, "last_used") {
            Value::Time(t) => Some(*t),
            _ => None,
        },
    }))
}

/// Checks a username and password; returns the user's id.
pub fn check_password(
    conn: &mut Conn,
    s: &Schema,
    username: &str,
    password: &str,
) -> Result<Option<i64>> {
    let Some(ut) = s.reg.get("users.user") else {
        return Ok(None);
    };
    let mut q = read::Query::all();
    q.filter = Filter::eq("username", username);
    q.limit = Some(1);
    let Some(user) = read::select(conn, s, ut, &q)?.pop() else {
        return Ok(None);
    };
    let ok = get(ut, &user, "is_active").as_bool().unwrap_or(false)
        && verify_password(password, text(ut, &user, "password"));
    Ok(ok.then_some(user.id))
}
