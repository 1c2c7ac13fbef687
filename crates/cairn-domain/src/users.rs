//! Rules of users and tokens from NetBox's models and Django's user model: usernames of
//! letters, digits and @/./+/-/_, unique whatever their case; passwords that pass
//! NetBox's default validators (checked on API input, as NetBox's serializer does);
//! tokens created with an expiry in the past are refused.

use chrono::Utc;

use cairn_schema::ObjectType;
use cairn_store::add_error as add;
use cairn_store::{read, FieldErrors, Filter, Invalid, Op, Record, Result, Writer};

use crate::fields::{get, text};
use crate::timezone::Zone;

/// Django's UnicodeUsernameValidator: word characters and @ . + - only.
fn username_ok(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '@' | '.' | '+' | '-'))
}

pub fn validate_user(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let name = text(t, new, "username").to_string();
    if !name.is_empty() && !username_ok(&name) {
        add(
            errors,
            "username",
            "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.",
        );
    }
    // Django's model words this one itself.
    if let Some(taken) = errors.get_mut("username") {
        for why in taken.iter_mut() {
            if matches!(why, Invalid::Taken { .. }) {
                *why = "A user with that username already exists.".into();
            }
        }
        return Ok(());
    }
    let same = Filter::and(vec![
        Filter::cmp("username", Op::IExact, name),
        !Filter::eq("id", new.id),
    ]);
    if read::exists(w.conn, w.s, t, &same)? {
        add(
            errors,
            "__all__",
            "A user with this username already exists.",
        );
    }
    Ok(())
}

/// The problems NetBox's default AUTH_PASSWORD_VALIDATORS find with a password: at least
/// 12 characters, and a numeral, an upper-case and a lower-case letter (the first missing
/// one).
pub fn password_problems(password: &str) -> Vec<String> {
    let mut out = Vec::new();
    if password.chars().count() < 12 {
        out.push("This password is too short. It must contain at least 12 characters.".into());
    }
    if !password.chars().any(|c| c.is_numeric()) {
        out.push("Password must have at least one numeral.".into());
    } else if !password.chars().any(char::is_uppercase) {
        out.push("Password must have at least one uppercase letter.".into());
    } else if !password.chars().any(char::is_lowercase) {
        out.push("Password must have at least one lowercase letter.".into());
    }
    out
}

/// A new token may not expire in the past.
pub fn validate_token_expiry(
    zone: Zone,
    name: &str,
    t: &ObjectType,
    new: &Record,
    errors: &mut FieldErrors,
) {
    let cairn_store::Value::Time(expires) = get(t, new, "expires") else {
        return;
    };
    let now = Utc::now();
    if *expires <= now {
        add(
            errors,
            "expires",
            format!(
                "Expiration time must be in the future. Current server time is {} ({name}).",
                zone.wall_clock(&now)
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::{password_problems, username_ok};

    #[test]
    fn passwords_follow_netboxs_default_validators() {
        assert!(password_problems("Secret-pass-123").is_empty());
        assert_eq!(
            password_problems("short"),
            [
                "This password is too short. It must contain at least 12 characters.",
                "Password must have at least one numeral."
            ]
        );
        assert_eq!(
            password_problems("alllowercase-123"),
            ["Password must have at least one uppercase letter."]
        );
    }

    #[test]
    fn usernames_are_word_characters_and_a_few_marks() {
        assert!(username_ok("jo.smith+ops@example-1"));
        assert!(username_ok("ünï"));
        assert!(!username_ok("bad name!"));
    }
}
