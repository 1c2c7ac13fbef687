//! The hooks the store calls on every write.

use cairn_schema::ObjectType;
use cairn_store::add_error as add;
use cairn_store::{FieldErrors, Hooks, Invalid, Record, Value};

use crate::auth::{hash_password, is_hashed, new_token_key};
use crate::Settings;

/// Every model rule, registered by object type, under the settings that change them
/// (ENFORCE_GLOBAL_UNIQUE).
pub fn hooks(settings: &Settings) -> Hooks {
    let mut h = Hooks::none();
    h.validate("users.user", |w, t, old, new, errors| {
        crate::users::validate_user(w, t, new, errors)?;
        hash_new_password(t, old, new, errors);
        if let Some(d) = t.field_index("date_joined") {
            if new.values[d].is_null() {
                new.values[d] = Value::Time(chrono::Utc::now());
            }
        }
        Ok(())
    });
    let zone_name = settings.time_zone.clone();
    let zone = crate::timezone::Zone::named(&zone_name).unwrap_or_default();
    h.validate("users.token", move |_, t, old, new, errors| {
        if old.is_none() {
            crate::users::validate_token_expiry(zone, &zone_name, t, new, errors);
        }
        if let Some(k) = t.field_index("key") {
            match &new.values[k] {
                Value::Null => new.values[k] = Value::Text(new_token_key()),
                Value::Text(s) if s.is_empty() => new.values[k] = Value::Text(new_token_key()),
                Value::Text(s) if s.len() < 40 => add(errors, "key", Invalid::TooShort(40)),
                _ => {}
            }
        }
        Ok(())
    });
    // Relations NetBox's serializers let a request leave out but its models hold NOT
    // NULL: full_clean() refuses them.
    for (label, field) in [("tenancy.contactassignment", "role"), ("ipam.asn", "rir")] {
        h.validate(label, move |_, t, _, new, errors| {
            if t.field_index(field)
                .is_some_and(|i| new.values[i].is_null())
            {
                add(errors, field, "This field cannot be null.");
            }
            Ok(())
        });
    }
    crate::custom_fields::register(&mut h);
    crate::dcim::register(&mut h);
    crate::ipam::register(&mut h, settings);
    h
}

/// Passwords arrive in clear text and are stored as argon2 hashes.
fn hash_new_password(
    t: &ObjectType,
    old: Option<&Record>,
    new: &mut Record,
    errors: &mut FieldErrors,
) {
    let Some(p) = t.field_index("password") else {
        return;
    };
    let changed = old.is_none_or(|o| o.values[p] != new.values[p]);
    if let Value::Text(clear) = &new.values[p] {
        if changed && !clear.is_empty() && !is_hashed(clear) {
            match hash_password(clear) {
                Ok(h) => new.values[p] = Value::Text(h),
                Err(e) => add(errors, "password", e),
            }
        }
    }
}
