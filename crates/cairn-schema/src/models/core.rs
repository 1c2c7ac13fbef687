//! core: object types (NetBox's content types) and the change log.

use crate::choices;
use crate::field::*;
use crate::object_type::{Display, Key, ObjectType, RowText};

choices!(OBJECT_CHANGE_ACTION,
    "create" => "Created" / "green",
    "update" => "Updated" / "blue",
    "delete" => "Deleted" / "red",
);

pub fn types() -> Vec<ObjectType> {
    vec![object_type(), object_change()]
}

fn object_type_display(r: &dyn RowText) -> String {
    format!(
        "{} > {}",
        r.text("app_name"),
        capitalize(&r.text("model_name"))
    )
}

/// Rows are synced from the registry at start-up; the descriptive columns are stored so
/// that they filter and serialize like any other field.
fn object_type() -> ObjectType {
    ObjectType::new("core", "objecttype", "object-types")
        .verbose("object type", "object types")
        .fields(vec![
            string("app_label", 100).required(),
            string("app_name", 100).read_only(),
            string("model", 100).required(),
            string("model_name", 100).read_only(),
            string("model_name_plural", 100).read_only(),
            boolean("public").read_only(),
            str_list("features").read_only(),
            boolean("is_plugin_model").read_only(),
            string("rest_api_endpoint", 200).null().read_only(),
            text("description").read_only(),
        ])
        .brief(&[])
        .display(Display::Fn(object_type_display))
        .ordering(&["app_label", "model"])
        .key(Key::Id)
        .search(&["app_label", "model"])
        .read_only()
        .no_timestamps()
}

/// "<app> | <model verbose name> <object> <action> by <user>", as Django prints a content
/// type: the object type's display ("Tenancy > Tenant Group") with each word of the model
/// lower-cased again unless it is an acronym ("IP Address" → "IP address").
fn object_change_display(r: &dyn RowText) -> String {
    let shown = r.text("changed_object_type");
    let content_type = match shown.split_once(" > ") {
        Some((app, model)) => {
            let words: Vec<String> = model
                .split(' ')
                .map(|w| match w.chars().filter(|c| c.is_uppercase()).count() {
                    1 => w.to_lowercase(),
                    _ => w.to_string(),
                })
                .collect();
            format!("{app} | {}", words.join(" "))
        }
        None => shown,
    };
    format!(
        "{content_type} {} {} by {}",
        r.text("object_repr"),
        r.text("action").to_lowercase(),
        r.text("user_name"),
    )
}

fn object_change() -> ObjectType {
    ObjectType::new("core", "objectchange", "object-changes")
        .verbose("object change", "object changes")
        .ui("core/changelog")
        .fields(vec![
            datetime("time").read_only().not_null(),
            fk("user", "users.user", OnDelete::SetNull).read_only(),
            string("user_name", 150).read_only(),
            string("request_id", 36).read_only(),
            choice("action", &OBJECT_CHANGE_ACTION)
                .read_only()
                .not_null(),
            generic("changed_object", "changed_object_type", "changed_object_id").read_only(),
            // Not shown (NetBox's serializer leaves it out), but filtered on.
            generic("related_object", "related_object_type", "related_object_id")
                .read_only()
                .write_only(),
            string("object_repr", 200).read_only().write_only(),
            string("message", 200).read_only(),
            json("prechange_data").read_only(),
            json("postchange_data").read_only(),
        ])
        .brief(&[])
        .display(Display::Fn(object_change_display))
        .ordering(&["-time", "-id"])
        .key(Key::Id)
        .search(&["user_name", "object_repr", "message"])
        .read_only()
        .no_timestamps()
}

#[cfg(test)]
mod tests {
    use super::object_change_display;
    use crate::object_type::RowText;

    struct Change(&'static str);

    impl RowText for Change {
        fn text(&self, field: &str) -> String {
            match field {
                "changed_object_type" => self.0,
                "object_repr" => "x",
                "action" => "Created",
                "user_name" => "admin",
                _ => "",
            }
            .to_string()
        }
        fn id(&self) -> i64 {
            1
        }
    }

    #[test]
    fn changes_name_their_type_as_django_prints_a_content_type() {
        for (shown, want) in [
            ("DCIM > Site", "DCIM | site x created by admin"),
            (
                "Tenancy > Tenant Group",
                "Tenancy | tenant group x created by admin",
            ),
            ("IPAM > IP Address", "IPAM | IP address x created by admin"),
            ("IPAM > VLAN Group", "IPAM | VLAN group x created by admin"),
        ] {
            assert_eq!(object_change_display(&Change(shown)), want);
        }
    }
}
