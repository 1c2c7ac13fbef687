//! The hooks the store calls on every write.

use cairn_schema::ObjectType;
use cairn_store::add_error as add;
use cairn_store::{Action, FieldErrors, Record, Result, Value, Writer};

use crate::auth::{hash_password, is_hashed, new_token_key};
use crate::Settings;

/// The domain's rules, under the settings that change them (ENFORCE_GLOBAL_UNIQUE).
#[derive(Default)]
pub struct DomainHooks {
    settings: Settings,
}

impl DomainHooks {
    pub fn new(settings: Settings) -> DomainHooks {
        DomainHooks { settings }
    }
}

impl cairn_store::Hooks for DomainHooks {
    fn validate(
        &self,
        w: &mut Writer<'_>,
        t: &ObjectType,
        old: Option<&Record>,
        new: &mut Record,
        errors: &mut FieldErrors,
    ) -> Result<()> {
        match t.label().as_str() {
            "users.user" => {
                hash_new_password(t, old, new, errors);
                if let Some(d) = t.field_index("date_joined") {
                    if new.values[d].is_null() {
                        new.values[d] = Value::Time(chrono::Utc::now());
                    }
                }
            }
            "users.token" => {
                if let Some(k) = t.field_index("key") {
                    match &new.values[k] {
                        Value::Null => new.values[k] = Value::Text(new_token_key()),
                        Value::Text(s) if s.is_empty() => {
                            new.values[k] = Value::Text(new_token_key())
                        }
                        Value::Text(s) if s.len() < 40 => {
                            add(
                                errors,
                                "key",
                                "Ensure this field has at least 40 characters.",
                            );
                        }
                        _ => {}
                    }
                }
            }
            label if label.starts_with("dcim.") => {
                crate::dcim::validate(w, t, old, new, errors)?;
            }
            label if label.starts_with("ipam.") => {
                crate::ipam::validate(w, &self.settings, t, old, new, errors)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn after_write(
        &self,
        w: &mut Writer<'_>,
        t: &ObjectType,
        action: Action,
        old: Option<&Record>,
        new: &Record,
    ) -> Result<()> {
        match t.app {
            "dcim" => crate::dcim::after_write(w, t, action, new),
            "ipam" => crate::ipam::after_write(w, t, action, old, new),
            _ => Ok(()),
        }
    }

    fn after_delete(&self, w: &mut Writer<'_>, t: &ObjectType, old: &Record) -> Result<()> {
        match t.app {
            "ipam" => crate::ipam::after_delete(w, t, old),
            _ => Ok(()),
        }
    }
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
