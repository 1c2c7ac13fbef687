//! Passwords (argon2) and API tokens: NetBox's v1 `Token <40 hex>` and v2
//! `Bearer nbt_<key>.<secret>`.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::Utc;
use rand::RngCore;

use cairn_store::{Col, Conn, Result, Schema, Value};

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
    if let Some(k) = header.strip_prefix("Token ") {
        return Some(k.trim().to_string());
    }
    if let Some(k) = header.strip_prefix("Bearer ") {
        let k = k.trim();
        return Some(k.strip_prefix("nbt_").unwrap_or(k).to_string());
    }
    None
}

pub fn authenticate_token(
    conn: &mut Conn,
    _s: &Schema,
    key: &str,
) -> Result<std::result::Result<Principal, AuthError>> {
    let row = conn.query_one(
        "SELECT t.id, t.write_enabled, t.expires, u.id, u.username, u.is_superuser, u.is_staff, u.is_active, t.last_used \
         FROM users_token t JOIN users_user u ON u.id = t.user_id WHERE t.key = ?",
        &[key.into()],
        &[Col::Int, Col::Bool, Col::Time, Col::Int, Col::Text, Col::Bool, Col::Bool, Col::Bool, Col::Time],
    )?;
    let Some(r) = row else {
        return Ok(Err(AuthError::Invalid));
    };
    if let Value::Time(exp) = &r[2] {
        if *exp < Utc::now() {
            return Ok(Err(AuthError::Expired));
        }
    }
    if r[7].as_bool() == Some(false) {
        return Ok(Err(AuthError::Inactive));
    }
    let token_id = r[0].as_i64();
    // Like NetBox, record use at most once a minute so reads stay reads.
    let stale = match &r[8] {
        Value::Time(t) => (Utc::now() - *t).num_seconds() > 60,
        _ => true,
    };
    if let (Some(id), true) = (token_id, stale) {
        conn.execute(
            "UPDATE users_token SET last_used = ? WHERE id = ?",
            &[Value::Time(Utc::now()), Value::Int(id)],
        )?;
    }
    Ok(Ok(Principal {
        user_id: r[3].as_i64().unwrap_or(0),
        username: r[4].as_str().unwrap_or_default().to_string(),
        is_superuser: r[5].as_bool().unwrap_or(false),
        is_staff: r[6].as_bool().unwrap_or(false),
        write_enabled: r[1].as_bool().unwrap_or(false),
        token_id,
    }))
}

/// Checks a username and password; returns the user's id.
pub fn check_password(conn: &mut Conn, username: &str, password: &str) -> Result<Option<i64>> {
    let row = conn.query_one(
        "SELECT id, password, is_active FROM users_user WHERE username = ?",
        &[username.into()],
        &[Col::Int, Col::Text, Col::Bool],
    )?;
    Ok(row.and_then(|r| {
        let ok = r[2].as_bool().unwrap_or(false)
            && verify_password(password, r[1].as_str().unwrap_or_default());
        if ok {
            r[0].as_i64()
        } else {
            None
        }
    }))
}
