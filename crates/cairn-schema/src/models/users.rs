//! users: users, groups and API tokens. Object permissions are not declared yet, so the
//! `permissions` fields of users and groups are left out.

use crate::field::*;
use crate::object_type::{with_note, Display, ExtraFilter, Key, ObjectType, RowText};

pub fn types() -> Vec<ObjectType> {
    vec![user(), group(), token(), object_permission()]
}

fn user_display(r: &dyn RowText) -> String {
    let full_name = format!("{} {}", r.text("first_name"), r.text("last_name"));
    with_note(r.text("username"), full_name.trim())
}

/// Not change logged and without `created`/`last_updated` (Django's auth user).
fn user() -> ObjectType {
    ObjectType::new("users", "user", "users")
        .verbose("user", "users")
        .ui("users/users")
        .table("users_user")
        .fields(vec![
            string("username", 150)
                .required()
                .unique()
                .help("Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only."),
            string("password", 128).required().write_only().no_filter(),
            string("first_name", 150),
            string("last_name", 150),
            email("email", 254).label("Email address"),
            boolean("is_staff")
                .label("Staff status")
                .help("Designates whether the user can log into this admin site."),
            boolean("is_active").default_bool(true).label("Active").help(
                "Designates whether this user should be treated as active. Unselect this instead of deleting accounts.",
            ),
            boolean("is_superuser").read_only().write_only(),
            datetime("date_joined"),
            datetime("last_login"),
            m2m("groups", "users.group"),
            m2m("permissions", "users.objectpermission").stored_by("users"),
        ])
        .brief(&["username"])
        .display(Display::Fn(user_display))
        .ordering(&["username"])
        .key(Key::Field("username"))
        .path_filter("group_id", &["groups"], Key::Id)
        .path_filter("group", &["groups"], Key::Name)
        .search(&["username", "first_name", "last_name", "email"])
        .no_timestamps()
}

fn group() -> ObjectType {
    ObjectType::new("users", "group", "groups")
        .verbose("group", "groups")
        .ui("users/groups")
        .fields(vec![
            string("name", 150).required().unique(),
            description(),
            m2m("permissions", "users.objectpermission").stored_by("groups"),
            // The users' side of `User.groups`, for the `user_id` filter.
            m2m("users", "users.user")
                .stored_by("groups")
                .read_only()
                .write_only(),
        ])
        .brief(&["name", "description"])
        // Counted through the users' `groups` many-to-many.
        .count("user_count", "users.user", "groups", false)
        .annotated()
        .key(Key::Name)
        .search(&["name", "description"])
        .no_timestamps()
}

fn token_display(r: &dyn RowText) -> String {
    let key = r.text("key");
    if key.is_empty() {
        return String::new();
    }
    let tail: String = {
        let chars: Vec<char> = key.chars().collect();
        chars[chars.len().saturating_sub(6)..].iter().collect()
    };
    format!("{}{tail}", "*".repeat(34))
}

/// The key is never returned (NetBox's default ALLOW_TOKEN_RETRIEVAL = False), so the
/// brief form holds only `write_enabled` and `description`.
fn token() -> ObjectType {
    ObjectType::new("users", "token", "tokens")
        .verbose("token", "tokens")
        .ui("users/tokens")
        .fields(vec![
            fk("user", "users.user", OnDelete::Cascade).required(),
            datetime("expires"),
            datetime("last_used").read_only(),
            string("key", 40).unique().shown_on_create(),
            boolean("write_enabled")
                .default_bool(true)
                .help("Permit create/update/delete operations using this key"),
            description(),
            str_list("allowed_ips"),
        ])
        .brief(&["write_enabled", "description"])
        .display(Display::Fn(token_display))
        .ordering(&["-created"])
        .key(Key::Id)
        .search(&["description"])
        .created_only()
}

/// Object permissions: object types × actions × JSON constraints, granted to users and
/// groups. Enforcing them is separate work; the objects are here so that users and groups
/// carry `permissions` as NetBox's do.
fn object_permission() -> ObjectType {
    ObjectType::new("users", "objectpermission", "permissions")
        .verbose("permission", "permissions")
        .ui("users/permissions")
        .fields(vec![
            name(100),
            description(),
            boolean("enabled").default_bool(true),
            m2m("object_types", "core.objecttype").required(),
            str_list("actions")
                .required()
                .help("The list of actions granted by this permission"),
            json("constraints")
                .help("Queryset filter matching the applicable objects of the selected type(s)"),
            m2m("groups", "users.group"),
            m2m("users", "users.user"),
        ])
        .brief(&["name", "description", "enabled", "object_types", "actions"])
        .extra_filter(ExtraFilter::ListHas {
            name: "can_view",
            field: "actions",
            value: "view",
        })
        .extra_filter(ExtraFilter::ListHas {
            name: "can_add",
            field: "actions",
            value: "add",
        })
        .extra_filter(ExtraFilter::ListHas {
            name: "can_change",
            field: "actions",
            value: "change",
        })
        .extra_filter(ExtraFilter::ListHas {
            name: "can_delete",
            field: "actions",
            value: "delete",
        })
        .key(Key::Name)
        .search(&["name", "description"])
        .no_timestamps()
}
