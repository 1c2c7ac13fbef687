//! dcim: manufacturers, platforms, device roles, rack types, rack roles, racks, rack
//! reservations, device/module types and profiles, devices, modules, virtual chassis,
//! virtual device contexts, power panels and feeds, MAC addresses, inventory item roles.
//!
//! Component templates and components live in `dcim_components`.

use crate::choices;
use crate::field::*;
use crate::object_type::{
    with_note, Display, ExtraFilter, Key, ObjectType, RowText, UniqueTogether,
};

/// NetBox's `ColorChoices.COLOR_GREY`, the default of role colours.
const GREY: &str = "9e9e9e";

choices!(RACK_FORM_FACTOR,
    "2-post-frame" => "2-post frame",
    "4-post-frame" => "4-post frame",
    "4-post-cabinet" => "4-post cabinet",
    "wall-frame" => "Wall-mounted frame",
    "wall-frame-vertical" => "Wall-mounted frame (vertical)",
    "wall-cabinet" => "Wall-mounted cabinet",
    "wall-cabinet-vertical" => "Wall-mounted cabinet (vertical)",
);

// NetBox's values are integers; choice values here are strings (see `rack_base`).
choices!(numeric RACK_WIDTH,
    10 => "10 inches",
    19 => "19 inches",
    21 => "21 inches",
    23 => "23 inches",
);

choices!(RACK_STATUS,
    "reserved" => "Reserved" / "yellow",
    "available" => "Available" / "green",
    "planned" => "Planned" / "cyan",
    "active" => "Active" / "blue",
    "deprecated" => "Deprecated" / "red",
);

choices!(RACK_DIMENSION_UNIT,
    "mm" => "Millimeters",
    "in" => "Inches",
);

choices!(RACK_AIRFLOW,
    "front-to-rear" => "Front to rear",
    "rear-to-front" => "Rear to front",
);

choices!(WEIGHT_UNIT,
    "kg" => "Kilograms",
    "g" => "Grams",
    "lb" => "Pounds",
    "oz" => "Ounces",
);

choices!(RACK_RESERVATION_STATUS,
    "pending" => "Pending" / "cyan",
    "active" => "Active" / "green",
    "stale" => "Stale" / "orange",
);

choices!(SUBDEVICE_ROLE,
    "parent" => "Parent",
    "child" => "Child",
);

choices!(DEVICE_AIRFLOW,
    "front-to-rear" => "Front to rear",
    "rear-to-front" => "Rear to front",
    "left-to-right" => "Left to right",
    "right-to-left" => "Right to left",
    "side-to-rear" => "Side to rear",
    "rear-to-side" => "Rear to side",
    "bottom-to-top" => "Bottom to top",
    "top-to-bottom" => "Top to bottom",
    "passive" => "Passive",
    "mixed" => "Mixed",
);

choices!(MODULE_AIRFLOW,
    "front-to-rear" => "Front to rear",
    "rear-to-front" => "Rear to front",
    "left-to-right" => "Left to right",
    "right-to-left" => "Right to left",
    "side-to-rear" => "Side to rear",
    "passive" => "Passive",
);

choices!(DEVICE_FACE,
    "front" => "Front",
    "rear" => "Rear",
);

choices!(DEVICE_STATUS,
    "offline" => "Offline" / "gray",
    "active" => "Active" / "green",
    "planned" => "Planned" / "cyan",
    "staged" => "Staged" / "blue",
    "failed" => "Failed" / "red",
    "inventory" => "Inventory" / "purple",
    "decommissioning" => "Decommissioning" / "yellow",
);

choices!(MODULE_STATUS,
    "offline" => "Offline" / "gray",
    "active" => "Active" / "green",
    "planned" => "Planned" / "cyan",
    "staged" => "Staged" / "blue",
    "failed" => "Failed" / "red",
    "decommissioning" => "Decommissioning" / "yellow",
);

choices!(VDC_STATUS,
    "active" => "Active" / "green",
    "planned" => "Planned" / "cyan",
    "offline" => "Offline" / "red",
);

choices!(POWER_FEED_STATUS,
    "offline" => "Offline" / "gray",
    "active" => "Active" / "green",
    "planned" => "Planned" / "blue",
    "failed" => "Failed" / "red",
);

choices!(POWER_FEED_TYPE,
    "primary" => "Primary" / "green",
    "redundant" => "Redundant" / "cyan",
);

choices!(POWER_FEED_SUPPLY,
    "ac" => "AC",
    "dc" => "DC",
);

choices!(POWER_FEED_PHASE,
    "single-phase" => "Single phase",
    "three-phase" => "Three-phase",
);

pub fn types() -> Vec<ObjectType> {
    vec![
        manufacturer(),
        platform(),
        device_role(),
        rack_type(),
        rack_role(),
        rack(),
        rack_reservation(),
        device_type(),
        module_type_profile(),
        module_type(),
        device(),
        module(),
        virtual_chassis(),
        virtual_device_context(),
        power_panel(),
        power_feed(),
        mac_address(),
        inventory_item_role(),
    ]
}

// Shared field groups.

/// NetBox's `WeightMixin`.
fn weight_fields() -> Vec<Field> {
    vec![
        decimal("weight", 8, 2).null(),
        choice("weight_unit", &WEIGHT_UNIT),
    ]
}

/// A `DecimalField` with only a lower bound.
fn decimal_min(name: &'static str, max_digits: u8, places: u8, min: f64) -> Field {
    Field::new(
        name,
        FieldKind::Decimal {
            max_digits,
            places,
            min: Some(min),
            max: None,
        },
    )
}

fn small_uint(name: &'static str) -> Field {
    int(name, Some(0), Some(32767))
}

fn outer_dimension(name: &'static str, help: &'static str) -> Field {
    small_uint(name).help(help)
}

fn u_height_rack() -> Field {
    int("u_height", Some(1), Some(100))
        .default_int(42)
        .label("Height (U)")
        .help("Height in rack units")
}

fn starting_unit() -> Field {
    int("starting_unit", Some(1), Some(32767))
        .default_int(1)
        .help("Starting unit for rack")
}

fn desc_units() -> Field {
    boolean("desc_units")
        .label("Descending units")
        .help("Units are numbered top-to-bottom")
}

fn max_weight() -> Field {
    int("max_weight", Some(0), Some(2_147_483_647)).help("Maximum load capacity for the rack")
}

fn mounting_depth() -> Field {
    small_uint("mounting_depth").help(
        "Maximum depth of a mounted device, in millimeters. For four-post racks, this is the distance between the front and rear rails.",
    )
}

/// NetBox's `RackBase` physical attributes shared by rack types and racks (in the rack
/// type's order; the rack's serializer orders them slightly differently). `width` is an
/// integer choice in NetBox: here its values are the strings "10", "19", …
fn rack_width() -> Field {
    choice("width", &RACK_WIDTH).default_int(19)
}

fn airflow(set: &'static crate::ChoiceSet) -> Field {
    choice("airflow", set)
}

fn asset_tag(help: &'static str) -> Field {
    string("asset_tag", 50).blank_null().unique().help(help)
}

fn serial() -> Field {
    string("serial", 50).label("Serial number")
}

fn latitude() -> Field {
    decimal("latitude", 8, 6)
        .bounds(-90.0, 90.0)
        .null()
        .help("GPS coordinate in decimal format (xx.yyyyyy)")
}

fn longitude() -> Field {
    decimal("longitude", 9, 6)
        .bounds(-180.0, 180.0)
        .null()
        .help("GPS coordinate in decimal format (xx.yyyyyy)")
}

fn part_number() -> Field {
    string("part_number", 50).help("Discrete part number (optional)")
}

fn ip_fk(name: &'static str) -> Field {
    fk(name, "ipam.ipaddress", OnDelete::SetNull).unique()
}

fn config_template() -> Field {
    fk(
        "config_template",
        "extras.configtemplate",
        OnDelete::Protect,
    )
}

/// `region`/`site_group` (and optionally `site`) filters through a path ending at a site.
fn site_filters(
    t: ObjectType,
    region: &'static [&'static str],
    group: &'static [&'static str],
) -> ObjectType {
    t.path_filter("region_id", region, Key::Id)
        .path_filter("region", region, Key::Slug)
        .path_filter("site_group_id", group, Key::Id)
        .path_filter("site_group", group, Key::Slug)
}

/// `interface[_id]` and `device[_id]` filters on what a generic `assigned_object` is,
/// when it is a device interface.
pub(crate) fn interface_assignment_filters(t: ObjectType) -> ObjectType {
    t.generic_to(
        "assigned_object",
        ("interface", "interface_id"),
        "dcim.interface",
        &[],
    )
    .generic_to(
        "assigned_object",
        ("device", "device_id"),
        "dcim.interface",
        &["device"],
    )
}

fn tenancy_filters(t: ObjectType) -> ObjectType {
    t.path_filter("tenant_group_id", &["tenant", "group"], Key::Id)
        .path_filter("tenant_group", &["tenant", "group"], Key::Slug)
}

// Manufacturers, platforms, roles.

fn manufacturer() -> ObjectType {
    ObjectType::new("dcim", "manufacturer", "manufacturers")
        .verbose("manufacturer", "manufacturers")
        .ui("dcim/manufacturers")
        .fields(vec![name(100).unique(), slug(100).unique(), description()])
        .brief(&["name", "slug", "description"])
        .netbox_model()
        .contacts()
        .count("devicetype_count", "dcim.devicetype", "manufacturer", false)
        .count(
            "inventoryitem_count",
            "dcim.inventoryitem",
            "manufacturer",
            false,
        )
        .count("platform_count", "dcim.platform", "manufacturer", false)
        .search(&["name", "slug", "description"])
}

/// A tree since 4.4. Names and slugs are unique per manufacturer, and among platforms
/// without one.
fn platform() -> ObjectType {
    ObjectType::new("dcim", "platform", "platforms")
        .verbose("platform", "platforms")
        .ui("dcim/platforms")
        .fields(vec![
            fk("parent", "dcim.platform", OnDelete::Cascade),
            name(100),
            slug(100),
            fk("manufacturer", "dcim.manufacturer", OnDelete::Protect),
            config_template(),
            description(),
            comments(),
        ])
        .brief(&[
            "name",
            "slug",
            "description",
            "device_count",
            "virtualmachine_count",
            "_depth",
        ])
        .netbox_model()
        .tree()
        .unique_among_siblings(&[], "manufacturer", &["name", "slug"])
        .unique_message(&["name"], true, "Platform name must be unique.")
        .unique_message(&["slug"], true, "Platform slug must be unique.")
        .count("device_count", "dcim.device", "platform", true)
        .count(
            "virtualmachine_count",
            "virtualization.virtualmachine",
            "platform",
            true,
        )
        .search(&["name", "slug", "description"])
}

/// A tree since 4.4; names and slugs unique per parent and among top-level roles.
fn device_role() -> ObjectType {
    ObjectType::new("dcim", "devicerole", "device-roles")
        .verbose("device role", "device roles")
        .ui("dcim/device-roles")
        .fields(vec![
            name(100),
            slug(100),
            color("color").default_str(GREY),
            boolean("vm_role")
                .default_bool(true)
                .label("VM role")
                .help("Virtual machines may be assigned to this role"),
            config_template(),
            fk("parent", "dcim.devicerole", OnDelete::Cascade),
            description(),
            comments(),
        ])
        .brief(&[
            "name",
            "slug",
            "description",
            "device_count",
            "virtualmachine_count",
            "_depth",
        ])
        .netbox_model()
        .tree()
        .unique_among_siblings(&[], "parent", &["name", "slug"])
        .unique_message(
            &["name"],
            true,
            "A top-level device role with this name already exists.",
        )
        .unique_message(
            &["slug"],
            true,
            "A top-level device role with this slug already exists.",
        )
        .count("device_count", "dcim.device", "role", true)
        .count(
            "virtualmachine_count",
            "virtualization.virtualmachine",
            "role",
            true,
        )
        .search(&["name", "slug", "description"])
}

fn rack_role() -> ObjectType {
    ObjectType::new("dcim", "rackrole", "rack-roles")
        .verbose("rack role", "rack roles")
        .ui("dcim/rack-roles")
        .fields(vec![
            name(100).unique(),
            slug(100).unique(),
            color("color").default_str(GREY),
            description(),
        ])
        .brief(&["name", "slug", "description", "rack_count"])
        .netbox_model()
        .count("rack_count", "dcim.rack", "role", false)
        .search(&["name", "slug", "description"])
}

fn inventory_item_role() -> ObjectType {
    ObjectType::new("dcim", "inventoryitemrole", "inventory-item-roles")
        .verbose("inventory item role", "inventory item roles")
        .ui("dcim/inventory-item-roles")
        .fields(vec![
            name(100).unique(),
            slug(100).unique(),
            color("color").default_str(GREY),
            description(),
        ])
        .brief(&["name", "slug", "description", "inventoryitem_count"])
        .netbox_model()
        .count("inventoryitem_count", "dcim.inventoryitem", "role", false)
        .search(&["name", "slug", "description"])
}

// Racks.

/// `form_factor` may be omitted from the request (OPTIONS says not required) but never
/// stored empty: the model column is NOT NULL.
fn rack_type() -> ObjectType {
    let mut fields = vec![
        fk("manufacturer", "dcim.manufacturer", OnDelete::Protect).required(),
        string("model", 100).required(),
        slug(100).unique(),
        description(),
        choice("form_factor", &RACK_FORM_FACTOR).not_null(),
        rack_width(),
        u_height_rack(),
        starting_unit(),
        desc_units(),
        outer_dimension("outer_width", "Outer dimension of rack (width)"),
        outer_dimension("outer_height", "Outer dimension of rack (height)"),
        outer_dimension("outer_depth", "Outer dimension of rack (depth)"),
        choice("outer_unit", &RACK_DIMENSION_UNIT),
    ];
    let mut weight = weight_fields();
    let unit = weight.pop();
    fields.extend(weight);
    fields.push(max_weight());
    fields.extend(unit);
    fields.extend([mounting_depth(), comments()]);
    ObjectType::new("dcim", "racktype", "rack-types")
        .verbose("rack type", "rack types")
        .ui("dcim/rack-types")
        .fields(fields)
        .brief(&["manufacturer", "model", "slug", "description"])
        .display(Display::Field("model"))
        .netbox_model()
        // NetBox orders by manufacturer (i.e. its name), then model.
        .ordering(&["manufacturer", "model"])
        .unique_set(&["manufacturer", "model"])
        .unique_set(&["manufacturer", "slug"])
        .search(&["model", "description", "comments"])
}

fn rack_display(r: &dyn RowText) -> String {
    with_note(r.text("name"), &r.text("facility_id"))
}

/// Names and facility ids are unique within a location only (racks without a location
/// are not constrained).
fn rack() -> ObjectType {
    let mut fields = vec![
        string("name", 100).required(),
        string("facility_id", 50).blank_null().label("Facility ID"),
        fk("site", "dcim.site", OnDelete::Protect).required(),
        fk("location", "dcim.location", OnDelete::SetNull),
        fk("tenant", "tenancy.tenant", OnDelete::Protect),
        choice("status", &RACK_STATUS).default_str("active"),
        fk("role", "dcim.rackrole", OnDelete::Protect),
        serial(),
        asset_tag("A unique tag used to identify this rack"),
        fk("rack_type", "dcim.racktype", OnDelete::Protect),
        choice("form_factor", &RACK_FORM_FACTOR),
        rack_width(),
        u_height_rack(),
        starting_unit(),
    ];
    let mut weight = weight_fields();
    let unit = weight.pop();
    fields.extend(weight);
    fields.push(max_weight());
    fields.extend(unit);
    fields.extend([
        desc_units(),
        outer_dimension("outer_width", "Outer dimension of rack (width)"),
        outer_dimension("outer_height", "Outer dimension of rack (height)"),
        outer_dimension("outer_depth", "Outer dimension of rack (depth)"),
        choice("outer_unit", &RACK_DIMENSION_UNIT),
        mounting_depth(),
        airflow(&RACK_AIRFLOW),
        description(),
        comments(),
    ]);
    let t = ObjectType::new("dcim", "rack", "racks")
        .verbose("rack", "racks")
        .ui("dcim/racks")
        .fields(fields)
        .brief(&["name", "description", "device_count"])
        .display(Display::Fn(rack_display))
        .netbox_model()
        .contacts()
        .natural("name")
        // NetBox orders by site, location (their names), then name.
        .ordering(&["site", "location", "_name"])
        .key(Key::Name)
        .unique_set(&["location", "name"])
        .unique_set(&["location", "facility_id"])
        .count("device_count", "dcim.device", "rack", false)
        .count("powerfeed_count", "dcim.powerfeed", "rack", false)
        .path_filter("manufacturer_id", &["rack_type", "manufacturer"], Key::Id)
        .path_filter("manufacturer", &["rack_type", "manufacturer"], Key::Slug)
        .search(&[
            "name",
            "facility_id",
            "serial",
            "asset_tag",
            "description",
            "comments",
        ]);
    tenancy_filters(site_filters(t, &["site", "region"], &["site", "group"]))
}

fn rack_reservation_display(r: &dyn RowText) -> String {
    format!("Reservation for rack {}", r.text("rack"))
}

fn rack_reservation() -> ObjectType {
    let t = ObjectType::new("dcim", "rackreservation", "rack-reservations")
        .verbose("rack reservation", "rack reservations")
        .ui("dcim/rack-reservations")
        .fields(vec![
            fk("rack", "dcim.rack", OnDelete::Cascade).required(),
            Field::new(
                "units",
                FieldKind::IntList {
                    min: None,
                    max: None,
                },
            )
            .required()
            .bounds(0.0, 32767.0),
            choice("status", &RACK_RESERVATION_STATUS).default_str("active"),
            fk("user", "users.user", OnDelete::Protect).required(),
            fk("tenant", "tenancy.tenant", OnDelete::Protect),
            description().required(),
            comments(),
        ])
        .brief(&["units", "status", "user", "description"])
        .display(Display::Fn(rack_reservation_display))
        .netbox_model()
        .related_in_change_log(&["rack"])
        .ordering(&["created", "id"])
        .key(Key::Id)
        .path_filter("site_id", &["rack", "site"], Key::Id)
        .path_filter("site", &["rack", "site"], Key::Slug)
        .path_filter("location_id", &["rack", "location"], Key::Id)
        .path_filter("location", &["rack", "location"], Key::Slug)
        .search(&["description"]);
    tenancy_filters(site_filters(
        t,
        &["rack", "site", "region"],
        &["rack", "site", "group"],
    ))
}

// Device and module types.

/// Image uploads are not supported: the images always show as null.
fn image(name: &'static str) -> Field {
    json(name).computed()
}

fn device_type() -> ObjectType {
    let mut fields = vec![
        fk("manufacturer", "dcim.manufacturer", OnDelete::Protect).required(),
        fk("default_platform", "dcim.platform", OnDelete::SetNull),
        string("model", 100).required(),
        slug(100),
        part_number(),
        // NetBox's serializer labels it "Position (U)" (sic).
        decimal_min("u_height", 4, 1, 0.0)
            .default_int(1)
            .label("Position (U)"),
        boolean("exclude_from_utilization")
            .help("Devices of this type are excluded when calculating rack utilization."),
        boolean("is_full_depth")
            .default_bool(true)
            .help("Device consumes both front and rear rack faces."),
        choice("subdevice_role", &SUBDEVICE_ROLE),
        airflow(&DEVICE_AIRFLOW),
    ];
    fields.extend(weight_fields());
    fields.extend([
        image("front_image"),
        image("rear_image"),
        description(),
        comments(),
    ]);
    let mut t = ObjectType::new("dcim", "devicetype", "device-types")
        .verbose("device type", "device types")
        .ui("dcim/device-types")
        .fields(fields)
        .brief(&[
            "manufacturer",
            "model",
            "slug",
            "description",
            "device_count",
        ])
        .display(Display::Field("model"))
        .netbox_model()
        // NetBox orders by manufacturer (i.e. its name), then model.
        .ordering(&["manufacturer", "model"])
        .unique_set(&["manufacturer", "model"])
        .unique_set(&["manufacturer", "slug"])
        .count("device_count", "dcim.device", "device_type", false)
        .search(&["model", "part_number", "description", "comments"]);
    // NetBox's counter-cache columns (integers to OPTIONS).
    for (name, model) in [
        ("console_port_template_count", "dcim.consoleporttemplate"),
        (
            "console_server_port_template_count",
            "dcim.consoleserverporttemplate",
        ),
        ("power_port_template_count", "dcim.powerporttemplate"),
        ("power_outlet_template_count", "dcim.poweroutlettemplate"),
        ("interface_template_count", "dcim.interfacetemplate"),
        ("front_port_template_count", "dcim.frontporttemplate"),
        ("rear_port_template_count", "dcim.rearporttemplate"),
        ("device_bay_template_count", "dcim.devicebaytemplate"),
        ("module_bay_template_count", "dcim.modulebaytemplate"),
        (
            "inventory_item_template_count",
            "dcim.inventoryitemtemplate",
        ),
    ] {
        t = t.count(name, model, "device_type", false).annotated();
    }
    has_templates(t, "device_type", true)
}

/// `console_ports=true` and the like: types with (or, given false, without) templates of
/// that kind; module types have no bays or inventory items among theirs.
fn has_templates(mut t: ObjectType, field: &'static str, all: bool) -> ObjectType {
    let kinds: &[(&'static str, &'static [&'static str])] = &[
        ("console_ports", &["dcim.consoleporttemplate"]),
        ("console_server_ports", &["dcim.consoleserverporttemplate"]),
        ("power_ports", &["dcim.powerporttemplate"]),
        ("power_outlets", &["dcim.poweroutlettemplate"]),
        ("interfaces", &["dcim.interfacetemplate"]),
        (
            "pass_through_ports",
            &["dcim.frontporttemplate", "dcim.rearporttemplate"],
        ),
        ("device_bays", &["dcim.devicebaytemplate"]),
        ("module_bays", &["dcim.modulebaytemplate"]),
        ("inventory_items", &["dcim.inventoryitemtemplate"]),
    ];
    let n = if all { kinds.len() } else { 6 };
    for &(name, models) in &kinds[..n] {
        t = t.extra_filter(ExtraFilter::HasRelated {
            name,
            models,
            field,
        });
    }
    t
}

/// Module types' `module_type` filter on modules names a profile by name.
fn module_type_profile() -> ObjectType {
    ObjectType::new("dcim", "moduletypeprofile", "module-type-profiles")
        .verbose("module type profile", "module type profiles")
        .ui("dcim/module-type-profiles")
        .fields(vec![
            name(100).unique(),
            description(),
            json("schema"),
            comments(),
        ])
        .brief(&["name", "description"])
        .netbox_model()
        .key(Key::Name)
        .search(&["name", "description", "comments"])
}

/// `attributes` is NetBox's `attribute_data`.
fn module_type() -> ObjectType {
    let mut fields = vec![
        fk("profile", "dcim.moduletypeprofile", OnDelete::Protect),
        fk("manufacturer", "dcim.manufacturer", OnDelete::Protect).required(),
        string("model", 100).required(),
        part_number(),
        airflow(&MODULE_AIRFLOW),
    ];
    fields.extend(weight_fields());
    fields.extend([description(), json("attributes"), comments()]);
    let t = ObjectType::new("dcim", "moduletype", "module-types")
        .verbose("module type", "module types")
        .ui("dcim/module-types")
        .fields(fields)
        .brief(&["profile", "manufacturer", "model", "description"])
        .display(Display::Field("model"))
        .netbox_model()
        // NetBox orders by profile, manufacturer (their names), then model.
        .ordering(&["profile", "manufacturer", "model"])
        // Modules' `module_type` filter takes the model name.
        .key(Key::Field("model"))
        .unique_set(&["manufacturer", "model"])
        .search(&["model", "part_number", "description", "comments"]);
    has_templates(t, "module_type", false)
}

// Devices.

/// NetBox's `Device.__str__`: the name (or "<virtual chassis>:<position>") with the asset
/// tag, else the type with the asset tag or the id. NetBox prefixes the type with its
/// manufacturer, which a display function cannot reach: only the model is shown.
fn device_display(r: &dyn RowText) -> String {
    let mut label = r.text("name");
    if label.is_empty() {
        let vc = r.text("virtual_chassis");
        if !vc.is_empty() {
            label = format!("{vc}:{}", r.text("vc_position"));
        }
    }
    let tag = r.text("asset_tag");
    match (label.is_empty(), tag.is_empty()) {
        (false, false) => format!("{label} ({tag})"),
        (false, true) => label,
        (true, false) => format!("{} ({tag})", r.text("device_type")),
        (true, true) => format!("{} ({})", r.text("device_type"), r.id()),
    }
}

fn device() -> ObjectType {
    let mut t = ObjectType::new("dcim", "device", "devices")
        .verbose("device", "devices")
        .ui("dcim/devices")
        .fields(vec![
            string("name", 64).blank_null(),
            fk("device_type", "dcim.devicetype", OnDelete::Protect).required(),
            fk("role", "dcim.devicerole", OnDelete::Protect).required(),
            fk("tenant", "tenancy.tenant", OnDelete::Protect),
            fk("platform", "dcim.platform", OnDelete::SetNull),
            serial().help("Chassis serial number, assigned by the manufacturer"),
            asset_tag("A unique tag used to identify this device"),
            fk("site", "dcim.site", OnDelete::Protect).required(),
            fk("location", "dcim.location", OnDelete::Protect),
            fk("rack", "dcim.rack", OnDelete::Protect),
            // The serializer says min 0.5; the model's validators (1 to 100.5) win.
            decimal("position", 4, 1)
                .bounds(1.0, 100.5)
                .null()
                .label("Position (U)"),
            choice("face", &DEVICE_FACE),
            latitude(),
            longitude(),
            // The device holding this one in a device bay (needs device bays).
            json("parent_device").parent_through(
                "dcim.devicebay",
                "installed_device",
                "device",
                "device_bay",
            ),
            choice("status", &DEVICE_STATUS).default_str("active"),
            airflow(&DEVICE_AIRFLOW),
            // primary_ip6, else primary_ip4 (PREFER_IPV4 off); needs IP addresses.
            fk("primary_ip", "ipam.ipaddress", OnDelete::SetNull).either("primary_ip6", "primary_ip4"),
            ip_fk("primary_ip4").verbose("primary IPv4"),
            ip_fk("primary_ip6").verbose("primary IPv6"),
            ip_fk("oob_ip").verbose("OOB IP"),
            fk("cluster", "virtualization.cluster", OnDelete::SetNull),
            fk("virtual_chassis", "dcim.virtualchassis", OnDelete::SetNull),
            int("vc_position", Some(0), Some(255)).verbose("VC position"),
            int("vc_priority", Some(0), Some(255))
                .label("VC priority")
                .help("Virtual chassis master election priority"),
            description(),
            comments(),
            config_template(),
            // Rendered from config contexts (not built yet).
            json("config_context")
                .computed()
                .default(Default::EmptyObject),
            json("local_context_data").help(
                "Local config context data takes precedence over source contexts in the final rendered config context",
            ),
        ])
        .brief(&["name", "description"])
        .display(Display::Fn(device_display))
        .netbox_model()
        .contacts()
        .natural("name")
        .ordering(&["_name", "id"])
        .key(Key::Name)
        .unique_set(&["rack", "position", "face"])
        .unique_set(&["virtual_chassis", "vc_position"])
        .path_filter("manufacturer_id", &["device_type", "manufacturer"], Key::Id)
        .path_filter("manufacturer", &["device_type", "manufacturer"], Key::Slug)
        .path_filter("model", &["device_type"], Key::Slug)
        .path_filter("cluster_group_id", &["cluster", "group"], Key::Id)
        .path_filter("cluster_group", &["cluster", "group"], Key::Slug)
        .extra_filter(ExtraFilter::AnySet {
            name: "has_primary_ip",
            fields: &["primary_ip4", "primary_ip6"],
        })
        .extra_filter(ExtraFilter::AnySet {
            name: "has_oob_ip",
            fields: &["oob_ip"],
        })
        .extra_filter(ExtraFilter::AnySet {
            name: "virtual_chassis_member",
            fields: &["virtual_chassis"],
        })
        .extra_filter(ExtraFilter::AnySet {
            name: "local_context_data",
            fields: &["local_context_data"],
        })
        .field_path("is_full_depth", &["device_type"], "is_full_depth")
        .extra_filter(ExtraFilter::HasRelated {
            name: "has_virtual_device_context",
            models: &["dcim.virtualdevicecontext"],
            field: "device",
        })
        // Has an interface with one of the MAC addresses.
        .extra_filter(ExtraFilter::Reverse {
            name: "mac_address",
            model: "dcim.interface",
            field: "device",
            param: "mac_address",
        })
        // Installed in a bay of the devices, or in the bays, named.
        .extra_filter(ExtraFilter::Reverse {
            name: "parent_device_id",
            model: "dcim.devicebay",
            field: "installed_device",
            param: "device_id",
        })
        .extra_filter(ExtraFilter::Reverse {
            name: "parent_bay_id",
            model: "dcim.devicebay",
            field: "installed_device",
            param: "id",
        });
    for (name, models) in [
        ("console_ports", &["dcim.consoleport"][..]),
        ("console_server_ports", &["dcim.consoleserverport"]),
        ("power_ports", &["dcim.powerport"]),
        ("power_outlets", &["dcim.poweroutlet"]),
        ("interfaces", &["dcim.interface"]),
        ("pass_through_ports", &["dcim.frontport", "dcim.rearport"]),
        ("module_bays", &["dcim.modulebay"]),
        ("device_bays", &["dcim.devicebay"]),
    ] {
        t = t.extra_filter(ExtraFilter::HasRelated {
            name,
            models,
            field: "device",
        });
    }
    t = t.search(&["name", "serial", "asset_tag", "description", "comments"]);
    // Names are unique per site and tenant, and per site among devices without a tenant,
    // compared case-insensitively.
    t.unique_together.push(UniqueTogether {
        fields: vec!["name", "site", "tenant"],
        when_null: Vec::new(),
        message: "Constraint “dcim_device_unique_name_site_tenant” is violated.".into(),
        error_field: "",
        lower: vec!["name"],
    });
    t.unique_together.push(UniqueTogether {
        fields: vec!["name", "site"],
        when_null: vec!["tenant"],
        message: "Device name must be unique per site.".into(),
        error_field: "",
        lower: vec!["name"],
    });
    // NetBox's counter-cache columns (integers to OPTIONS).
    for (name, model) in [
        ("console_port_count", "dcim.consoleport"),
        ("console_server_port_count", "dcim.consoleserverport"),
        ("power_port_count", "dcim.powerport"),
        ("power_outlet_count", "dcim.poweroutlet"),
        ("interface_count", "dcim.interface"),
        ("front_port_count", "dcim.frontport"),
        ("rear_port_count", "dcim.rearport"),
        ("device_bay_count", "dcim.devicebay"),
        ("module_bay_count", "dcim.modulebay"),
        ("inventory_item_count", "dcim.inventoryitem"),
    ] {
        t = t.count(name, model, "device", false).annotated();
    }
    tenancy_filters(site_filters(t, &["site", "region"], &["site", "group"]))
}

/// NetBox shows "<bay name>: <module type> (<id>)"; the bay's display is used here, which
/// adds the bay's label in parentheses when it has one.
fn module_display(r: &dyn RowText) -> String {
    format!(
        "{}: {} ({})",
        r.text("module_bay"),
        r.text("module_type"),
        r.id()
    )
}

fn module() -> ObjectType {
    let t = ObjectType::new("dcim", "module", "modules")
        .verbose("module", "modules")
        .ui("dcim/modules")
        .fields(vec![
            fk("device", "dcim.device", OnDelete::Cascade).required(),
            fk("module_bay", "dcim.modulebay", OnDelete::Cascade)
                .required()
                .unique(),
            fk("module_type", "dcim.moduletype", OnDelete::Protect).required(),
            choice("status", &MODULE_STATUS).default_str("active"),
            serial(),
            asset_tag("A unique tag used to identify this device"),
            description(),
            comments(),
        ])
        .brief(&["device", "module_bay", "module_type", "description"])
        .display(Display::Fn(module_display))
        .netbox_model()
        .ordering(&["module_bay_id"])
        .key(Key::Id)
        .path_filter("manufacturer_id", &["module_type", "manufacturer"], Key::Id)
        .path_filter("manufacturer", &["module_type", "manufacturer"], Key::Slug)
        .path_filter("site_id", &["device", "site"], Key::Id)
        .path_filter("site", &["device", "site"], Key::Slug)
        .path_filter("location_id", &["device", "location"], Key::Id)
        .path_filter("location", &["device", "location"], Key::Slug)
        .path_filter("rack_id", &["device", "rack"], Key::Id)
        .path_filter("rack", &["device", "rack"], Key::Name)
        .search(&["serial", "asset_tag", "description", "comments"]);
    site_filters(
        t,
        &["device", "site", "region"],
        &["device", "site", "group"],
    )
}

/// Members are the devices pointing here; `members` cannot be listed by the schema (a
/// reverse FK), so it shows empty.
fn virtual_chassis() -> ObjectType {
    let t = ObjectType::new("dcim", "virtualchassis", "virtual-chassis")
        .verbose("virtual chassis", "virtual chassis")
        .ui("dcim/virtual-chassis")
        .fields(vec![
            string("name", 64).required(),
            string("domain", 30),
            fk("master", "dcim.device", OnDelete::Protect).unique(),
            description(),
            comments(),
            json("members").reverse_of("dcim.device", "virtual_chassis"),
        ])
        .brief(&["name", "master", "description", "member_count"])
        .netbox_model()
        .natural("name")
        .ordering(&["_name"])
        .key(Key::Name)
        .count("member_count", "dcim.device", "virtual_chassis", false)
        .annotated()
        .path_filter("site_id", &["master", "site"], Key::Id)
        .path_filter("site", &["master", "site"], Key::Slug)
        .path_filter("tenant_id", &["master", "tenant"], Key::Id)
        .path_filter("tenant", &["master", "tenant"], Key::Slug)
        .search(&["name", "description", "domain"]);
    site_filters(
        t,
        &["master", "site", "region"],
        &["master", "site", "group"],
    )
}

fn virtual_device_context() -> ObjectType {
    let t = ObjectType::new("dcim", "virtualdevicecontext", "virtual-device-contexts")
        .verbose("virtual device context", "virtual device contexts")
        .ui("dcim/virtual-device-contexts")
        .fields(vec![
            string("name", 64).required(),
            fk("device", "dcim.device", OnDelete::Protect).required(),
            small_uint("identifier"),
            fk("tenant", "tenancy.tenant", OnDelete::Protect),
            fk("primary_ip", "ipam.ipaddress", OnDelete::SetNull)
                .either("primary_ip6", "primary_ip4"),
            ip_fk("primary_ip4"),
            ip_fk("primary_ip6"),
            choice("status", &VDC_STATUS).required(),
            description(),
            comments(),
            // The interfaces' side of `Interface.vdcs`, for the `interface_id` filter.
            m2m("interfaces", "dcim.interface")
                .stored_by("vdcs")
                .read_only()
                .write_only(),
        ])
        .brief(&["name", "device", "identifier", "description"])
        .netbox_model()
        .natural("name")
        .ordering(&["_name"])
        .key(Key::Name)
        .unique_set(&["device", "identifier"])
        .extra_filter(ExtraFilter::AnySet {
            name: "has_primary_ip",
            fields: &["primary_ip4", "primary_ip6"],
        })
        .unique_set(&["device", "name"])
        // Counted through the interfaces' `vdcs` many-to-many.
        .count("interface_count", "dcim.interface", "vdcs", false)
        // Unlike elsewhere, `device=` takes ids here.
        .path_filter("device", &["device"], Key::Id)
        .search(&["name", "description"]);
    tenancy_filters(t)
}

// Power.

fn power_panel() -> ObjectType {
    let t = ObjectType::new("dcim", "powerpanel", "power-panels")
        .verbose("power panel", "power panels")
        .ui("dcim/power-panels")
        .fields(vec![
            fk("site", "dcim.site", OnDelete::Protect).required(),
            fk("location", "dcim.location", OnDelete::Protect),
            string("name", 100).required(),
            description(),
            comments(),
        ])
        .brief(&["name", "description", "powerfeed_count"])
        .netbox_model()
        .contacts()
        .natural("name")
        // NetBox orders by site (i.e. its name), then name.
        .ordering(&["site", "_name"])
        .key(Key::Name)
        .unique_set(&["site", "name"])
        .count("powerfeed_count", "dcim.powerfeed", "power_panel", false)
        .search(&["name", "description"]);
    site_filters(t, &["site", "region"], &["site", "group"])
}

/// Cable paths are not built yet: the link and endpoint fields show their empty values.
/// `available_power` is stored for its filter (computed on save by NetBox).
fn power_feed() -> ObjectType {
    let t = ObjectType::new("dcim", "powerfeed", "power-feeds")
        .verbose("power feed", "power feeds")
        .ui("dcim/power-feeds")
        .fields(vec![
            fk("power_panel", "dcim.powerpanel", OnDelete::Protect).required(),
            fk("rack", "dcim.rack", OnDelete::Protect),
            string("name", 100).required(),
            choice("status", &POWER_FEED_STATUS).default_str("active"),
            choice("type", &POWER_FEED_TYPE).default_str("primary"),
            choice("supply", &POWER_FEED_SUPPLY).default_str("ac"),
            choice("phase", &POWER_FEED_PHASE).default_str("single-phase"),
            int("voltage", Some(-32768), Some(32767)).default_int(120),
            int("amperage", Some(1), Some(32767)).default_int(15),
            int("max_utilization", Some(1), Some(100))
                .default_int(80)
                .help("Maximum permissible draw (percentage)"),
            boolean("mark_connected").help("Treat as if a cable is connected"),
            fk("cable", "dcim.cable", OnDelete::SetNull).read_only(),
            text("cable_end").null().read_only(),
            json("link_peers").computed().default(Default::EmptyList),
            json("link_peers_type").computed(),
            json("connected_endpoints").computed(),
            json("connected_endpoints_type").computed(),
            json("connected_endpoints_reachable").computed(),
            description(),
            fk("tenant", "tenancy.tenant", OnDelete::Protect),
            comments(),
            int("available_power", Some(0), None)
                .default_int(0)
                .read_only()
                .write_only(),
            json("_occupied").any_of(&["mark_connected", "cable"]),
        ])
        .brief(&["name", "cable", "description", "_occupied"])
        .netbox_model()
        .natural("name")
        // NetBox orders by power panel (i.e. its name), then name.
        .ordering(&["power_panel", "_name"])
        .key(Key::Name)
        .unique_set(&["power_panel", "name"])
        .path_filter("site_id", &["power_panel", "site"], Key::Id)
        .path_filter("site", &["power_panel", "site"], Key::Slug)
        .search(&["name", "description", "comments"]);
    tenancy_filters(site_filters(
        t,
        &["power_panel", "site", "region"],
        &["power_panel", "site", "group"],
    ))
}

// Addressing.

/// Assigned to interfaces or VM interfaces (any type is accepted here).
fn mac_address() -> ObjectType {
    let t = ObjectType::new("dcim", "macaddress", "mac-addresses")
        .verbose("MAC address", "MAC addresses")
        .ui("dcim/mac-addresses")
        .fields(vec![
            Field::new("mac_address", FieldKind::Mac)
                .required()
                .label("MAC address"),
            generic(
                "assigned_object",
                "assigned_object_type",
                "assigned_object_id",
            )
            .to_models(&["dcim.interface", "virtualization.vminterface"]),
            description(),
            comments(),
        ])
        .brief(&["mac_address", "description"])
        .display(Display::Field("mac_address"))
        .netbox_model()
        .ordering(&["mac_address", "id"])
        .key(Key::Field("mac_address"))
        .search(&["mac_address", "description"]);
    interface_assignment_filters(t)
        .extra_filter(ExtraFilter::AnySet {
            name: "assigned",
            fields: &["assigned_object"],
        })
        // Some interface's primary MAC address.
        .extra_filter(ExtraFilter::HasRelated {
            name: "primary",
            models: &["dcim.interface", "virtualization.vminterface"],
            field: "primary_mac_address",
        })
}
