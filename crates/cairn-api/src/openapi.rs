//! The OpenAPI 3 document at `/api/schema/`, in the shape of NetBox's (drf-spectacular's):
//! the same paths, operation ids, query parameters and component names, generated from
//! the registry. Generated clients and the Ansible inventory read it.

use cairn_schema::{ExtraFilter, Field, FieldKind, Key, ObjectType};
use cairn_store::query;
use cairn_store::schema::Schema;
use serde_json::{json, Map, Value as Json};

/// Object types are named "app.model" on the wire, not nested.
const OBJECT_TYPE: &str = "core.objecttype";
const SLUG_PATTERN: &str = "^[-a-zA-Z0-9_]+$";
const COLOR_PATTERN: &str = "^[0-9a-f]{6}$";
const LOOKUPS: &[&str] = &[
    "n", "ic", "nic", "iew", "niew", "isw", "nisw", "ie", "nie", "empty", "regex", "iregex", "lt",
    "lte", "gt", "gte",
];

/// The whole document for the registry in use.
pub fn document(s: &Schema) -> Json {
    let mut doc = Doc {
        s,
        paths: Map::new(),
        schemas: Map::new(),
    };
    for t in s.reg.types() {
        doc.model(t);
    }
    doc.special_paths();
    doc.nested_tags();
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "NetBox REST API",
            "version": crate::NETBOX_VERSION,
            "license": {"name": "Apache v2 License"},
        },
        "paths": doc.paths,
        "components": {
            "schemas": doc.schemas,
            "securitySchemes": {
                "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
                "tokenAuth": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "Token-based authentication with required prefix \"Token\"",
                },
            },
        },
        "servers": [{"url": "", "description": "Cairn"}],
    })
}

struct Doc<'a> {
    s: &'a Schema,
    paths: Map<String, Json>,
    schemas: Map<String, Json>,
}

/// NetBox's component name for a model: its class name.
fn name(t: &ObjectType) -> String {
    match t.label().as_str() {
        "ipam.service" => "Service".into(),
        "ipam.servicetemplate" => "ServiceTemplate".into(),
        "users.objectpermission" => "ObjectPermission".into(),
        _ => t
            .verbose_name
            .split([' ', '-'])
            .map(cairn_schema::field::capitalize)
            .collect(),
    }
}

/// The read-only properties every object starts with: `id`, `url`, `display_url` (for
/// models with a page of their own) and `display`.
fn identity(display_url: bool) -> Map<String, Json> {
    let mut props = Map::new();
    props.insert("id".into(), json!({"type": "integer", "readOnly": true}));
    let uri = json!({"type": "string", "format": "uri", "readOnly": true});
    props.insert("url".into(), uri.clone());
    if display_url {
        props.insert("display_url".into(), uri);
    }
    props.insert(
        "display".into(),
        json!({"type": "string", "readOnly": true}),
    );
    props
}

fn reference(name: &str) -> Json {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn security() -> Json {
    json!([{"cookieAuth": []}, {"tokenAuth": []}])
}

fn id_param(t: &ObjectType) -> Json {
    json!({
        "in": "path",
        "name": "id",
        "schema": {"type": "integer"},
        "description": format!("A unique integer value identifying this {}.", t.verbose_name),
        "required": true,
    })
}

fn body(schema: Json) -> Json {
    json!({
        "content": {
            "application/json": {"schema": schema},
            "multipart/form-data": {"schema": schema},
        },
        "required": true,
    })
}

fn response(code: &str, schema: Option<Json>) -> Json {
    let r = match schema {
        Some(s) => json!({"content": {"application/json": {"schema": s}}, "description": ""}),
        None => json!({"description": "No response body"}),
    };
    json!({ code: r })
}

fn array_of(schema: Json) -> Json {
    json!({"type": "array", "items": schema})
}

/// Relations NetBox's serializers declare with its older nested serializers (besides a
/// tree's `parent`); they make the model's request component a `Writable…` one.
const LEGACY_NESTED: &[(&str, &str)] = &[
    ("dcim.interface", "parent"),
    ("dcim.interface", "bridge"),
    ("dcim.interface", "lag"),
    ("dcim.interfacetemplate", "bridge"),
    ("dcim.module", "module_bay"),
    ("dcim.virtualchassis", "master"),
    ("dcim.frontport", "rear_port"),
    ("ipam.ipaddress", "nat_inside"),
    ("ipam.vlan", "qinq_svlan"),
];

/// Whether NetBox's request component for the model is its `Writable…` one: as its
/// schema generator decides, when the serializer has a choice or a legacy nested field.
fn writable_prefix(t: &ObjectType) -> &'static str {
    let label = t.label();
    let differs = t.fields.iter().any(|f| {
        (matches!(f.kind, FieldKind::Choice(_)) && !f.plain)
            || (t.tree && f.name == "parent" && !f.plain)
            || LEGACY_NESTED.contains(&(label.as_str(), f.name))
    });
    if differs {
        "Writable"
    } else {
        ""
    }
}

/// The component a model's lists and details answer with (NetBox's devices carry their
/// config context).
fn full_name(t: &ObjectType) -> String {
    match t.label().as_str() {
        "dcim.device" => "DeviceWithConfigContext".into(),
        _ => name(t),
    }
}

impl Doc<'_> {
    fn target_name(&self, label: &str) -> Option<String> {
        self.s.reg.get(label).map(name)
    }

    fn model(&mut self, t: &ObjectType) {
        let n = full_name(t);
        let listed = n.clone();
        self.schemas.insert(n.clone(), self.read_schema(t, false));
        self.schemas
            .insert(format!("Brief{}", name(t)), self.read_schema(t, true));
        self.schemas.insert(
            format!("Paginated{listed}List"),
            json!({
                "type": "object",
                "required": ["count", "results"],
                "properties": {
                    "count": {"type": "integer"},
                    "next": {"type": "string", "nullable": true, "format": "uri"},
                    "previous": {"type": "string", "nullable": true, "format": "uri"},
                    "results": array_of(reference(&listed)),
                },
            }),
        );
        let base = format!("/api/{}/{}/", t.app, t.endpoint);
        let op = format!("{}_{}", t.app, t.endpoint.replace('-', "_"));
        let tags = json!([t.app]);
        let mut list = json!({
            "get": {
                "operationId": format!("{op}_list"),
                "description": format!("Get a list of {} objects.", t.verbose_name),
                "parameters": self.list_params(t),
                "tags": tags,
                "security": security(),
                "responses": response("200", Some(reference(&format!("Paginated{listed}List")))),
            },
        });
        let mut detail = json!({
            "get": {
                "operationId": format!("{op}_retrieve"),
                "description": format!("Get a {} object.", t.verbose_name),
                "parameters": [id_param(t)],
                "tags": tags,
                "security": security(),
                "responses": response("200", Some(reference(&listed))),
            },
        });
        if !t.read_only {
            let w = writable_prefix(t);
            let write = format!("{w}{n}Request");
            let bulk = format!("{n}Request");
            self.schemas
                .insert(write.clone(), self.request_schema(t, false, true));
            if bulk != write {
                self.schemas
                    .insert(bulk.clone(), self.request_schema(t, false, true));
            }
            self.schemas.insert(
                format!("Patched{w}{n}Request"),
                self.request_schema(t, false, false),
            );
            self.schemas.insert(
                format!("Brief{}Request", name(t)),
                self.request_schema(t, true, true),
            );
            let one = reference(&listed);
            let many = array_of(reference(&n));
            list["post"] = json!({
                "operationId": format!("{op}_create"),
                "description": format!("Post a list of {} objects.", t.verbose_name),
                "tags": tags,
                "requestBody": body(json!({"oneOf": [reference(&write), array_of(reference(&write))]})),
                "security": security(),
                "responses": response("201", Some(one.clone())),
            });
            for (m, verb, desc) in [
                ("put", "bulk_update", "Put"),
                ("patch", "bulk_partial_update", "Patch"),
                ("delete", "bulk_destroy", "Delete"),
            ] {
                let ok = if m == "delete" {
                    response("204", None)
                } else {
                    response("200", Some(many.clone()))
                };
                list[m] = json!({
                    "operationId": format!("{op}_{verb}"),
                    "description": format!("{desc} a list of {} objects.", t.verbose_name),
                    "tags": tags,
                    "requestBody": body(array_of(reference(&bulk))),
                    "security": security(),
                    "responses": ok,
                });
            }
            for (m, verb, desc, req) in [
                ("put", "update", "Put", Some(write.clone())),
                (
                    "patch",
                    "partial_update",
                    "Patch",
                    Some(format!("Patched{w}{n}Request")),
                ),
                ("delete", "destroy", "Delete", None),
            ] {
                let mut o = json!({
                    "operationId": format!("{op}_{verb}"),
                    "description": format!("{desc} a {} object.", t.verbose_name),
                    "parameters": [id_param(t)],
                    "tags": tags,
                    "security": security(),
                    "responses": match req {
                        Some(_) => response("200", Some(one.clone())),
                        None => response("204", None),
                    },
                });
                if let Some(r) = req {
                    o["requestBody"] = body(reference(&r));
                    if m == "patch" {
                        o["requestBody"]["required"] = json!(false);
                    }
                }
                detail[m] = o;
            }
        }
        // NetBox still serves object types under extras, under their own operation ids.
        if t.label() == "core.objecttype" {
            let mut legacy = (list.clone(), detail.clone());
            legacy.0["get"]["operationId"] = json!("extras_object_types_list");
            legacy.0["get"]["tags"] = json!(["extras"]);
            legacy.1["get"]["operationId"] = json!("extras_object_types_retrieve");
            legacy.1["get"]["tags"] = json!(["extras"]);
            self.paths
                .insert("/api/extras/object-types/".into(), legacy.0);
            self.paths
                .insert("/api/extras/object-types/{id}/".into(), legacy.1);
        }
        self.paths.insert(base.clone(), list);
        self.paths.insert(format!("{base}{{id}}/"), detail);
    }

    /// The response form (`brief`: the brief one) of a model.
    fn read_schema(&self, t: &ObjectType, brief: bool) -> Json {
        let mut props = identity(t.ui_path.is_some() && !brief);
        let mut required = vec!["id", "url", "display"];
        let wanted = |name: &str| !brief || t.brief.is_empty() || t.brief.contains(&name);
        for f in &t.fields {
            if f.write_only {
                continue;
            }
            if let FieldKind::GenericFk { ct, fk } = f.kind {
                for (k, v) in [
                    (ct, json!({"type": "string", "nullable": true})),
                    (
                        fk,
                        json!({"type": "integer", "format": "int64", "nullable": true}),
                    ),
                    (f.name, json!({"nullable": true, "readOnly": true})),
                ] {
                    if wanted(k) {
                        props.insert(k.into(), v);
                    }
                }
                continue;
            }
            if !wanted(f.name) {
                continue;
            }
            if f.required {
                required.push(f.name);
            }
            props.insert(f.name.into(), self.read_field(f));
        }
        if !brief || t.brief.is_empty() {
            if t.features.tags {
                props.insert("tags".into(), array_of(reference("NestedTag")));
            }
            if t.features.custom_fields {
                props.insert(
                    "custom_fields".into(),
                    json!({"type": "object", "additionalProperties": {}}),
                );
            }
            if t.timestamps {
                let ts = json!({"type": "string", "format": "date-time", "readOnly": true, "nullable": true});
                props.insert("created".into(), ts.clone());
                if t.show_last_updated {
                    props.insert("last_updated".into(), ts);
                }
            }
        }
        for c in &t.counts {
            if wanted(c.name) {
                props.insert(
                    c.name.into(),
                    json!({"type": "integer", "format": "int64", "readOnly": true}),
                );
            }
        }
        json!({"type": "object", "properties": props, "required": required})
    }

    fn nested_ref(&self, target: &str, suffix: &str) -> Json {
        if target == OBJECT_TYPE {
            return json!({"type": "string"});
        }
        match self.target_name(target) {
            Some(n) => reference(&format!("Brief{n}{suffix}")),
            None => json!({"type": "object"}),
        }
    }

    fn read_field(&self, f: &Field) -> Json {
        let mut s = if f.via.is_some() || f.compute.is_some() {
            json!({"type": "string", "readOnly": true})
        } else if let Some(target) = f.either.and(f.fk_target()) {
            json!({"allOf": [self.nested_ref(target, "")], "readOnly": true})
        } else if let Some((model, _)) = f.reverse {
            match f.through {
                Some((parent_fk, _)) => {
                    let parent = self
                        .s
                        .reg
                        .get(model)
                        .and_then(|m| m.field(parent_fk))
                        .and_then(Field::fk_target)
                        .unwrap_or(model);
                    json!({"allOf": [self.nested_ref(parent, "")], "readOnly": true, "nullable": true})
                }
                None if matches!(f.kind, FieldKind::ForeignKey { .. }) => {
                    json!({"allOf": [self.nested_ref(model, "")], "nullable": true})
                }
                None => {
                    json!({"type": "array", "items": self.nested_ref(model, ""), "readOnly": true})
                }
            }
        } else {
            match f.kind {
                FieldKind::ForeignKey { target, .. } if target == OBJECT_TYPE => {
                    self.nested_ref(target, "")
                }
                FieldKind::ForeignKey { target, .. } if !f.plain => {
                    json!({"allOf": [self.nested_ref(target, "")]})
                }
                FieldKind::ManyToMany { target } => array_of(self.nested_ref(target, "")),
                FieldKind::Choice(set) if !f.plain => json!({
                    "type": "object",
                    "properties": {
                        "value": choice_values(set.choices.iter().map(|c| c.value), set.numeric),
                        "label": {"type": "string", "enum": set.choices.iter().map(|c| c.label).collect::<Vec<_>>()},
                    },
                }),
                _ => value_schema(f),
            }
        };
        if f.nullable && s.get("type").and_then(Json::as_str) != Some("array") {
            s["nullable"] = json!(true);
        }
        if f.read_only {
            s["readOnly"] = json!(true);
        }
        if !f.help.is_empty() {
            s["description"] = json!(f.help);
        }
        s
    }

    /// A request form: `brief` keeps the brief fields; `create` marks required fields.
    fn request_schema(&self, t: &ObjectType, brief: bool, create: bool) -> Json {
        let mut props = Map::new();
        let mut required = Vec::new();
        for f in &t.fields {
            if f.read_only || (brief && !t.brief.contains(&f.name)) {
                continue;
            }
            if let FieldKind::GenericFk { ct, fk } = f.kind {
                props.insert(ct.into(), json!({"type": "string", "nullable": f.nullable}));
                props.insert(
                    fk.into(),
                    json!({"type": "integer", "format": "int64", "nullable": f.nullable}),
                );
                if f.required && create {
                    required.extend([ct, fk]);
                }
                continue;
            }
            let mut s = match f.kind {
                FieldKind::ManyToMany { target } if target == OBJECT_TYPE => {
                    array_of(self.nested_ref(target, ""))
                }
                FieldKind::ForeignKey { target, .. } if !f.plain && target != OBJECT_TYPE => {
                    json!({
                        "oneOf": [{"type": "integer"}, {"allOf": [self.nested_ref(target, "Request")], "nullable": true}],
                    })
                }
                FieldKind::ForeignKey { target, .. } | FieldKind::ManyToMany { target }
                    if target == OBJECT_TYPE =>
                {
                    self.nested_ref(target, "")
                }
                FieldKind::ManyToMany { .. } => array_of(json!({"type": "integer"})),
                FieldKind::Choice(set) => {
                    choice_values(set.choices.iter().map(|c| c.value), set.numeric)
                }
                _ => value_schema(f),
            };
            if f.nullable && s.get("type").and_then(Json::as_str) != Some("array") {
                s["nullable"] = json!(true);
            }
            if f.required && s.get("type").and_then(Json::as_str) == Some("string") {
                s["minLength"] = json!(1);
            }
            if f.write_only {
                s["writeOnly"] = json!(true);
            }
            if !f.help.is_empty() {
                s["description"] = json!(f.help);
            }
            if f.required && create {
                required.push(f.name);
            }
            props.insert(f.name.into(), s);
        }
        if !brief {
            if t.features.tags {
                props.insert("tags".into(), array_of(reference("NestedTagRequest")));
            }
            if t.features.custom_fields {
                props.insert(
                    "custom_fields".into(),
                    json!({"type": "object", "additionalProperties": {}}),
                );
            }
        }
        let mut out = json!({"type": "object", "properties": props});
        if !required.is_empty() {
            out["required"] = json!(required);
        }
        out
    }

    /// The filters NetBox has for the model that Cairn reads, with paging and ordering.
    fn list_params(&self, t: &ObjectType) -> Json {
        let mut names: Vec<&String> = self
            .s
            .reg
            .netbox_filters(t)
            .map(|set| set.iter().collect())
            .unwrap_or_default();
        names.sort();
        let mut params: Vec<Json> = names
            .into_iter()
            .filter(|n| query::reads(self.s, t, n))
            .map(|n| self.filter_param(t, n))
            .collect();
        params.extend([
            json!({"name": "limit", "required": false, "in": "query", "description": "Number of results to return per page.", "schema": {"type": "integer"}}),
            json!({"name": "offset", "required": false, "in": "query", "description": "The initial index from which to return the results.", "schema": {"type": "integer"}}),
            json!({"name": "ordering", "required": false, "in": "query", "description": "Which field to use when ordering the results.", "schema": {"type": "string"}}),
        ]);
        params.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
        Json::Array(params)
    }

    fn filter_param(&self, t: &ObjectType, name: &str) -> Json {
        let item = self.filter_item(t, name);
        if name == "q" || name.ends_with("_by_request") || item["type"] == "boolean" {
            return json!({"in": "query", "name": name, "schema": item});
        }
        json!({
            "in": "query",
            "name": name,
            "schema": array_of(item),
            "explode": true,
            "style": "form",
        })
    }

    /// The type of one value of a filter, from what the filter reads.
    fn filter_item(&self, t: &ObjectType, name: &str) -> Json {
        if name == "q" {
            return json!({"type": "string"});
        }
        if name.ends_with("_by_request") {
            return json!({"type": "string", "format": "uuid"});
        }
        let (base, lookup) = match name.rsplit_once("__") {
            Some((b, l)) if LOOKUPS.contains(&l) => (b, l),
            _ => (name, ""),
        };
        if lookup == "empty" {
            return json!({"type": "boolean"});
        }
        let integer = json!({"type": "integer"});
        let string = json!({"type": "string"});
        if base == "id" || t.counts.iter().any(|c| c.name == base) {
            return integer;
        }
        if base == "created" || base == "last_updated" {
            return json!({"type": "string", "format": "date-time"});
        }
        if let Some(f) = t.field(base) {
            return match f.kind {
                FieldKind::ForeignKey { .. } | FieldKind::ManyToMany { .. } => string,
                FieldKind::Choice(set) if lookup.is_empty() || lookup == "n" => {
                    choice_values(set.choices.iter().map(|c| c.value), set.numeric)
                }
                _ => value_schema(f),
            };
        }
        if let Some(f) = base.strip_suffix("_id").and_then(|b| t.field(b)) {
            if f.fk_target().is_some() || matches!(f.kind, FieldKind::ManyToMany { .. }) {
                return integer;
            }
        }
        if let Some(p) = t.path_filters.iter().find(|p| p.name == base) {
            return if p.key == Key::Id { integer } else { string };
        }
        if let Some(p) = t.field_paths.iter().find(|p| p.name == base) {
            return self.path_field_item(t, p.path, p.field).unwrap_or(string);
        }
        match t.extra_filters.iter().find(|e| e.name() == base) {
            Some(
                ExtraFilter::AnySet { .. }
                | ExtraFilter::HasRelated { .. }
                | ExtraFilter::ListHas { .. }
                | ExtraFilter::GenericTypeIn { .. },
            ) => json!({"type": "boolean"}),
            Some(
                ExtraFilter::GenericTo { key: Key::Id, .. }
                | ExtraFilter::EmptyOrHas { .. }
                | ExtraFilter::PresentInVrf { by_id: true, .. }
                | ExtraFilter::VirtualChassisInterfaces { by_id: true, .. },
            ) => integer,
            _ if base.ends_with("_id") => integer,
            _ => string,
        }
    }

    /// The value type of the field at the end of FK `path` from `t`.
    fn path_field_item(&self, t: &ObjectType, path: &[&str], field: &str) -> Option<Json> {
        let mut at = t;
        for step in path {
            at = self.s.reg.get(at.field(step)?.fk_target()?)?;
        }
        Some(value_schema(at.field(field)?))
    }

    /// The form tags take inside other objects, and the one they are given in.
    fn nested_tags(&mut self) {
        let Some(tag) = self.s.reg.get("extras.tag") else {
            return;
        };
        let mut read = identity(true);
        let mut write = Map::new();
        for name in ["name", "slug", "color"] {
            if let Some(f) = tag.field(name) {
                read.insert(name.into(), value_schema(f));
                let mut w = value_schema(f);
                w["minLength"] = json!(1);
                write.insert(name.into(), w);
            }
        }
        self.schemas.insert(
            "NestedTag".into(),
            json!({"type": "object", "properties": read, "required": ["display", "id", "name", "slug", "url"]}),
        );
        self.schemas.insert(
            "NestedTagRequest".into(),
            json!({"type": "object", "properties": write, "required": ["name", "slug"]}),
        );
    }

    /// Endpoints beyond a model's list and detail that Cairn serves.
    fn special_paths(&mut self) {
        let open = |op: &str, tag: &str| {
            json!({
                "operationId": op,
                "tags": [tag],
                "security": security(),
                "responses": response("200", Some(json!({"type": "object", "additionalProperties": {}}))),
            })
        };
        self.paths.insert(
            "/api/status/".into(),
            json!({"get": open("status_retrieve", "status")}),
        );
        let mut schema = open("schema_retrieve", "schema");
        schema["parameters"] = json!([
            {"in": "query", "name": "format", "schema": {"type": "string", "enum": ["json"]}},
        ]);
        self.paths
            .insert("/api/schema/".into(), json!({ "get": schema }));
        self.paths.insert(
            "/api/users/config/".into(),
            json!({"get": open("users_config_retrieve", "users")}),
        );
        self.schemas.insert(
            "TokenProvisionRequest".into(),
            json!({
                "type": "object",
                "properties": {
                    "expires": {"type": "string", "format": "date-time", "nullable": true},
                    "write_enabled": {"type": "boolean"},
                    "description": {"type": "string", "maxLength": 200},
                    "username": {"type": "string", "writeOnly": true, "minLength": 1},
                    "password": {"type": "string", "writeOnly": true, "minLength": 1},
                },
                "required": ["password", "username"],
            }),
        );
        if let Some(mut token) = self.schemas.get("Token").cloned() {
            token["properties"]["key"] = json!({"type": "string", "readOnly": true});
            self.schemas.insert("TokenProvision".into(), token);
        }
        self.paths.insert(
            "/api/users/tokens/provision/".into(),
            json!({"post": {
                "operationId": "users_tokens_provision_create",
                "tags": ["users"],
                "requestBody": body(reference("TokenProvisionRequest")),
                "security": security(),
                "responses": response("201", Some(reference("TokenProvision"))),
            }}),
        );
        if let Some(rack) = self.s.reg.get("dcim.rack") {
            let mut get = open("dcim_racks_elevation_retrieve", "dcim");
            get["parameters"] = json!([
                id_param(rack),
                {"in": "query", "name": "face", "schema": {"type": "string", "enum": ["front", "rear"], "default": "front"}},
                {"in": "query", "name": "exclude", "schema": {"type": "integer"}},
                {"in": "query", "name": "expand_devices", "schema": {"type": "boolean", "default": true}},
                {"in": "query", "name": "include_images", "schema": {"type": "boolean", "default": true}},
                {"in": "query", "name": "render", "schema": {"type": "string", "enum": ["json", "svg"], "default": "json"}},
                {"in": "query", "name": "limit", "schema": {"type": "integer"}},
                {"in": "query", "name": "offset", "schema": {"type": "integer"}},
            ]);
            self.paths.insert(
                "/api/dcim/racks/{id}/elevation/".into(),
                json!({"get": get}),
            );
        }
        let vrf = || json!({"allOf": [reference("BriefVRF")], "readOnly": true, "nullable": true});
        let available = [
            (
                "prefixes",
                "available-ips",
                "AvailableIP",
                "IPAddress",
                json!({"family": {"type": "integer", "readOnly": true}, "address": {"type": "string", "readOnly": true}, "vrf": vrf(), "description": {"type": "string"}}),
            ),
            (
                "ip-ranges",
                "available-ips",
                "AvailableIP",
                "IPAddress",
                Json::Null,
            ),
            (
                "prefixes",
                "available-prefixes",
                "AvailablePrefix",
                "Prefix",
                json!({"family": {"type": "integer", "readOnly": true}, "prefix": {"type": "string", "readOnly": true}, "vrf": vrf()}),
            ),
            (
                "vlan-groups",
                "available-vlans",
                "AvailableVLAN",
                "VLAN",
                json!({"vid": {"type": "integer", "readOnly": true}, "group": {"allOf": [reference("BriefVLANGroup")], "readOnly": true, "nullable": true}}),
            ),
            (
                "asn-ranges",
                "available-asns",
                "AvailableASN",
                "ASN",
                json!({"asn": {"type": "integer", "readOnly": true}, "description": {"type": "string"}}),
            ),
        ];
        for (endpoint, action, free, made, props) in available {
            let Some(parent) = self
                .s
                .reg
                .types()
                .iter()
                .find(|t| t.app == "ipam" && t.endpoint == endpoint)
            else {
                continue;
            };
            if !props.is_null() {
                self.schemas
                    .insert(free.into(), json!({"type": "object", "properties": props}));
            }
            let op = format!(
                "ipam_{}_{}",
                endpoint.replace('-', "_"),
                action.replace('-', "_")
            );
            self.paths.insert(
                format!("/api/ipam/{endpoint}/{{id}}/{action}/"),
                json!({
                    "get": {
                        "operationId": format!("{op}_list"),
                        "parameters": [id_param(parent)],
                        "tags": ["ipam"],
                        "security": security(),
                        "responses": response("200", Some(array_of(reference(free)))),
                    },
                    "post": {
                        "operationId": format!("{op}_create"),
                        "parameters": [id_param(parent)],
                        "tags": ["ipam"],
                        "requestBody": body(array_of(reference(&format!("{made}Request")))),
                        "security": security(),
                        "responses": response("201", Some(array_of(reference(made)))),
                    },
                }),
            );
        }
    }
}

/// A choice's value: strings, or integers for numeric choice sets.
fn choice_values<'a>(values: impl Iterator<Item = &'a str>, numeric: bool) -> Json {
    if numeric {
        let ints: Vec<i64> = values.filter_map(|v| v.parse().ok()).collect();
        json!({"type": "integer", "enum": ints})
    } else {
        json!({"type": "string", "enum": values.collect::<Vec<_>>()})
    }
}

/// The schema of a plain (non-relation) value of the field's kind.
fn value_schema(f: &Field) -> Json {
    match f.kind {
        FieldKind::Str { max_len } => json!({"type": "string", "maxLength": max_len}),
        FieldKind::Slug { max_len } => {
            json!({"type": "string", "maxLength": max_len, "pattern": SLUG_PATTERN})
        }
        FieldKind::Url { max_len } => {
            json!({"type": "string", "format": "uri", "maxLength": max_len})
        }
        FieldKind::Email { max_len } => {
            json!({"type": "string", "format": "email", "maxLength": max_len})
        }
        FieldKind::Color => json!({"type": "string", "pattern": COLOR_PATTERN, "maxLength": 6}),
        FieldKind::Int { min, max } => {
            let mut s = json!({"type": "integer"});
            if let Some(v) = min {
                s["minimum"] = json!(v);
            }
            if let Some(v) = max {
                s["maximum"] = json!(v);
            }
            s
        }
        FieldKind::Decimal { min, max, .. } => {
            let mut s = json!({"type": "number", "format": "double"});
            if let Some(v) = min {
                s["minimum"] = json!(v);
            }
            if let Some(v) = max {
                s["maximum"] = json!(v);
            }
            s
        }
        FieldKind::Bool => json!({"type": "boolean"}),
        FieldKind::Date => json!({"type": "string", "format": "date"}),
        FieldKind::DateTime => json!({"type": "string", "format": "date-time"}),
        FieldKind::Json => json!({}),
        FieldKind::ForeignKey { .. } => json!({"type": "integer"}),
        FieldKind::ManyToMany { .. } => array_of(json!({"type": "integer"})),
        FieldKind::Choice(set) => choice_values(set.choices.iter().map(|c| c.value), set.numeric),
        FieldKind::StrList => array_of(json!({"type": "string"})),
        FieldKind::IntList { .. } => array_of(json!({"type": "integer"})),
        FieldKind::Text
        | FieldKind::IpAddress
        | FieldKind::IpPrefix
        | FieldKind::Mac
        | FieldKind::GenericFk { .. } => json!({"type": "string"}),
    }
}
