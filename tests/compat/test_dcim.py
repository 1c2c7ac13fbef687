"""DCIM endpoints via pynetbox: CRUD for every device, rack, power and component model,
plus template instantiation, modules, rack placement and elevation, filters and choices."""
import hashlib
import uuid

import pynetbox
import pytest


@pytest.fixture(scope="module")
def env(nb):
    """Shared parents for the CRUD specs (names carry a uuid fragment)."""
    u = uuid.uuid4().hex[:10]
    site = nb.dcim.sites.create(name=f"DCIM site {u}", slug=f"dcim-site-{u}", status="active")
    maker = nb.dcim.manufacturers.create(name=f"DCIM maker {u}", slug=f"dcim-maker-{u}")
    role = nb.dcim.device_roles.create(name=f"DCIM role {u}", slug=f"dcim-role-{u}", color="00ff00")
    # a parent device type so that device bays / device-bay templates are allowed
    dtype = nb.dcim.device_types.create(manufacturer=maker.id, model=f"DCIM chassis {u}",
                                        slug=f"dcim-chassis-{u}", subdevice_role="parent")
    mtype = nb.dcim.module_types.create(manufacturer=maker.id, model=f"DCIM card {u}")
    device = nb.dcim.devices.create(name=f"DCIM dev {u}", device_type=dtype.id, role=role.id, site=site.id)
    panel = nb.dcim.power_panels.create(site=site.id, name=f"DCIM panel {u}")
    admin = nb.users.users.get(username="admin")
    return {"site": site, "maker": maker, "role": role, "dt": dtype, "mt": mtype,
            "device": device, "panel": panel, "user": admin}


def _mac(u):
    h = hashlib.sha1(u.encode()).hexdigest()[:10].upper()
    return "02:" + ":".join(h[i:i + 2] for i in range(0, 10, 2))


def _rear_port_template(nb, e, u):
    return nb.dcim.rear_port_templates.create(device_type=e["dt"].id, name=f"RPT-for-{u}", type="8p8c").id


def _rear_port(nb, e, u):
    return nb.dcim.rear_ports.create(device=e["device"].id, name=f"RP-for-{u}", type="8p8c").id


def _rack(nb, e, u):
    return nb.dcim.racks.create(name=f"Resv rack {u}", site=e["site"].id).id


def _module_bay(nb, e, u):
    return nb.dcim.module_bays.create(device=e["device"].id, name=f"Slot-for-{u}").id


def _module_type(nb, e, u):
    return nb.dcim.module_types.create(manufacturer=e["maker"].id, model=f"Card-for-{u}").id


# (endpoint attribute, payload factory(nb, env, uid), lookup field, field to update, new value)
SPECS = [
    ("manufacturers", lambda nb, e, u: {"name": f"Maker {u}", "slug": f"maker-{u}"}, "slug", "description", "changed"),
    ("platforms", lambda nb, e, u: {"name": f"Platform {u}", "slug": f"platform-{u}"}, "slug", "description", "changed"),
    ("device_roles", lambda nb, e, u: {"name": f"Role {u}", "slug": f"role-{u}"}, "slug", "color", "ff0000"),
    ("rack_types", lambda nb, e, u: {"manufacturer": e["maker"].id, "model": f"RT {u}", "slug": f"rt-{u}",
                                     "form_factor": "4-post-cabinet"}, "slug", "u_height", 48),
    ("rack_roles", lambda nb, e, u: {"name": f"Rack role {u}", "slug": f"rack-role-{u}"}, "slug", "description", "changed"),
    ("racks", lambda nb, e, u: {"name": f"Rack {u}", "site": e["site"].id}, "name", "status", "reserved"),
    ("rack_reservations", lambda nb, e, u: {"rack": _rack(nb, e, u), "units": [1, 2], "user": e["user"].id,
                                            "description": f"Resv {u}"}, "description", "units", [3, 4, 5]),
    ("device_types", lambda nb, e, u: {"manufacturer": e["maker"].id, "model": f"DT {u}", "slug": f"dt-{u}"},
     "slug", "u_height", 2),
    ("module_type_profiles", lambda nb, e, u: {"name": f"Profile {u}"}, "name", "description", "changed"),
    ("module_types", lambda nb, e, u: {"manufacturer": e["maker"].id, "model": f"MT {u}"}, "model", "part_number", "PN-1"),
    # component templates
    ("console_port_templates", lambda nb, e, u: {"device_type": e["dt"].id, "name": f"con {u}"}, "name", "type", "rj-45"),
    ("console_server_port_templates", lambda nb, e, u: {"device_type": e["dt"].id, "name": f"cs {u}"}, "name", "type", "rj-45"),
    ("power_port_templates", lambda nb, e, u: {"device_type": e["dt"].id, "name": f"PSU {u}"}, "name", "maximum_draw", 500),
    ("power_outlet_templates", lambda nb, e, u: {"device_type": e["dt"].id, "name": f"PO {u}"}, "name", "type", "iec-60320-c13"),
    ("interface_templates", lambda nb, e, u: {"device_type": e["dt"].id, "name": f"eth {u}", "type": "1000base-t"},
     "name", "mgmt_only", True),
    ("front_port_templates", lambda nb, e, u: {"device_type": e["dt"].id, "name": f"FPT {u}", "type": "8p8c",
                                               "rear_port": _rear_port_template(nb, e, u)}, "name", "label", "front"),
    ("rear_port_templates", lambda nb, e, u: {"device_type": e["dt"].id, "name": f"RPT {u}", "type": "8p8c"},
     "name", "positions", 4),
    ("module_bay_templates", lambda nb, e, u: {"device_type": e["dt"].id, "name": f"MBT {u}"}, "name", "position", "7"),
    ("device_bay_templates", lambda nb, e, u: {"device_type": e["dt"].id, "name": f"DBT {u}"}, "name", "label", "bay"),
    ("inventory_item_templates", lambda nb, e, u: {"device_type": e["dt"].id, "name": f"IIT {u}"}, "name", "part_id", "X1"),
    # devices and modules
    ("devices", lambda nb, e, u: {"name": f"Device {u}", "device_type": e["dt"].id, "role": e["role"].id,
                                  "site": e["site"].id}, "name", "status", "planned"),
    ("modules", lambda nb, e, u: {"device": e["device"].id, "module_bay": _module_bay(nb, e, u),
                                  "module_type": _module_type(nb, e, u), "serial": f"SN{u}"}, "serial", "status", "offline"),
    # components
    ("console_ports", lambda nb, e, u: {"device": e["device"].id, "name": f"con {u}"}, "name", "speed", 9600),
    ("console_server_ports", lambda nb, e, u: {"device": e["device"].id, "name": f"cs {u}"}, "name", "type", "rj-45"),
    ("power_ports", lambda nb, e, u: {"device": e["device"].id, "name": f"PSU {u}"}, "name", "allocated_draw", 200),
    ("power_outlets", lambda nb, e, u: {"device": e["device"].id, "name": f"PO {u}"}, "name", "feed_leg", "A"),
    ("interfaces", lambda nb, e, u: {"device": e["device"].id, "name": f"eth {u}", "type": "1000base-t"},
     "name", "mtu", 9000),
    ("front_ports", lambda nb, e, u: {"device": e["device"].id, "name": f"FP {u}", "type": "8p8c",
                                      "rear_port": _rear_port(nb, e, u)}, "name", "description", "changed"),
    ("rear_ports", lambda nb, e, u: {"device": e["device"].id, "name": f"RP {u}", "type": "8p8c"}, "name", "positions", 2),
    ("module_bays", lambda nb, e, u: {"device": e["device"].id, "name": f"MB {u}"}, "name", "position", "9"),
    ("device_bays", lambda nb, e, u: {"device": e["device"].id, "name": f"DB {u}"}, "name", "description", "changed"),
    ("inventory_items", lambda nb, e, u: {"device": e["device"].id, "name": f"II {u}"}, "name", "serial", "S123"),
    ("inventory_item_roles", lambda nb, e, u: {"name": f"IIR {u}", "slug": f"iir-{u}"}, "slug", "color", "0000ff"),
    ("virtual_chassis", lambda nb, e, u: {"name": f"VC {u}"}, "name", "domain", "dom"),
    ("virtual_device_contexts", lambda nb, e, u: {"name": f"VDC {u}", "device": e["device"].id, "status": "active"},
     "name", "status", "offline"),
    ("power_panels", lambda nb, e, u: {"site": e["site"].id, "name": f"Panel {u}"}, "name", "description", "changed"),
    ("power_feeds", lambda nb, e, u: {"power_panel": e["panel"].id, "name": f"Feed {u}"}, "name", "status", "planned"),
    ("mac_addresses", lambda nb, e, u: {"mac_address": _mac(u)}, "mac_address", "description", "changed"),
]
IDS = [s[0] for s in SPECS]


def _field(record, name):
    value = getattr(record, name)
    # choice fields (e.g. status) come back as {"value": ..., "label": ...}
    return getattr(value, "value", value)


@pytest.mark.parametrize("ep,factory,key,field,new", SPECS, ids=IDS)
def test_crud_roundtrip(nb, env, uid, ep, factory, key, field, new):
    endpoint = getattr(nb.dcim, ep)
    payload = factory(nb, env, uid)

    obj = endpoint.create(payload)
    assert isinstance(obj.id, int) and obj.id > 0
    assert getattr(obj, key) == payload[key]
    assert obj.url.endswith(f"/api/dcim/{ep.replace('_', '-')}/{obj.id}/")

    got = endpoint.get(obj.id)
    assert got is not None and got.id == obj.id
    assert getattr(got, key) == payload[key]

    got = endpoint.get(**{key: payload[key]})
    assert got is not None and got.id == obj.id

    assert [r.id for r in endpoint.filter(**{key: payload[key]})] == [obj.id]
    assert endpoint.count(**{key: payload[key]}) == 1
    assert [r.id for r in endpoint.filter(id=obj.id)] == [obj.id]

    setattr(got, field, new)
    assert got.save() is True
    again = endpoint.get(obj.id)
    assert _field(again, field) == new
    assert getattr(again, key) == payload[key]
    assert again.save() is False

    assert again.delete() is True
    assert endpoint.get(obj.id) is None


# bulk create / bulk delete for the endpoints where many-at-once is the usual workflow
BULK = {"manufacturers", "device_roles", "racks", "device_types", "module_types", "console_port_templates",
        "interface_templates", "front_port_templates", "rear_port_templates", "module_bay_templates",
        "devices", "modules", "console_ports", "power_ports", "power_outlets", "interfaces", "front_ports",
        "rear_ports", "module_bays", "device_bays", "inventory_items", "power_feeds", "mac_addresses",
        "rack_reservations", "virtual_device_contexts"}
BULK_SPECS = [s for s in SPECS if s[0] in BULK]


@pytest.mark.parametrize("ep,factory,key,field,new", BULK_SPECS, ids=[s[0] for s in BULK_SPECS])
def test_bulk_create(nb, env, uid, ep, factory, key, field, new):
    endpoint = getattr(nb.dcim, ep)
    payloads = [factory(nb, env, uid + "a"), factory(nb, env, uid + "b")]
    created = endpoint.create(payloads)
    assert isinstance(created, list) and len(created) == 2
    ids = [r.id for r in created]
    assert len(set(ids)) == 2
    assert [getattr(r, key) for r in created] == [p[key] for p in payloads]
    assert {r.id for r in endpoint.filter(id=ids)} == set(ids)
    assert endpoint.filter(id=ids).delete() is True
    assert endpoint.count(id=ids) == 0


# ---------------------------------------------------------------- behaviour


def _names(records):
    return [r.name for r in records]


def test_device_instantiates_templates(nb, env, uid):
    dt = nb.dcim.device_types.create(manufacturer=env["maker"].id, model=f"Switch {uid}", slug=f"switch-{uid}")
    nb.dcim.interface_templates.create([
        {"device_type": dt.id, "name": "Ethernet1/10", "type": "10gbase-x-sfpp"},
        {"device_type": dt.id, "name": "Ethernet1/2", "type": "10gbase-x-sfpp"},
        {"device_type": dt.id, "name": "Ethernet1/1", "type": "10gbase-x-sfpp"},
        {"device_type": dt.id, "name": "mgmt0", "type": "1000base-t", "mgmt_only": True},
    ])
    nb.dcim.console_port_templates.create(device_type=dt.id, name="con0", type="rj-45")
    psu = nb.dcim.power_port_templates.create(device_type=dt.id, name="PSU1", maximum_draw=300)
    nb.dcim.power_outlet_templates.create(device_type=dt.id, name="PO1", power_port=psu.id)
    rear = nb.dcim.rear_port_templates.create(device_type=dt.id, name="R1", type="8p8c", positions=2)
    nb.dcim.front_port_templates.create(device_type=dt.id, name="F1", type="8p8c",
                                        rear_port=rear.id, rear_port_position=2)
    nb.dcim.module_bay_templates.create(device_type=dt.id, name="Slot 1", position="1")
    nb.dcim.inventory_item_templates.create(device_type=dt.id, name="Fan tray")

    dev = nb.dcim.devices.create(name=f"sw {uid}", device_type=dt.id, role=env["role"].id, site=env["site"].id)
    ifaces = list(nb.dcim.interfaces.filter(device_id=dev.id))
    assert _names(ifaces) == ["Ethernet1/1", "Ethernet1/2", "Ethernet1/10", "mgmt0"]
    assert all(i.device.id == dev.id for i in ifaces)
    assert {i.name: i.type.value for i in ifaces}["Ethernet1/10"] == "10gbase-x-sfpp"
    assert [i.name for i in ifaces if i.mgmt_only] == ["mgmt0"]

    assert _names(nb.dcim.console_ports.filter(device_id=dev.id)) == ["con0"]
    ports = list(nb.dcim.power_ports.filter(device_id=dev.id))
    assert _names(ports) == ["PSU1"] and ports[0].maximum_draw == 300
    outlets = list(nb.dcim.power_outlets.filter(device_id=dev.id))
    assert _names(outlets) == ["PO1"] and outlets[0].power_port.id == ports[0].id
    rears = list(nb.dcim.rear_ports.filter(device_id=dev.id))
    fronts = list(nb.dcim.front_ports.filter(device_id=dev.id))
    assert _names(rears) == ["R1"] and rears[0].positions == 2
    assert _names(fronts) == ["F1"]
    assert fronts[0].rear_port.id == rears[0].id and fronts[0].rear_port_position == 2
    assert _names(nb.dcim.module_bays.filter(device_id=dev.id)) == ["Slot 1"]
    assert _names(nb.dcim.inventory_items.filter(device_id=dev.id)) == ["Fan tray"]

    got = nb.dcim.devices.get(dev.id)
    assert got.interface_count == 4
    assert got.console_port_count == 1
    assert got.device_type.id == dt.id
    assert nb.dcim.device_types.get(dt.id).device_count == 1

    # component names are unique per device
    with pytest.raises(pynetbox.RequestError) as exc:
        nb.dcim.interfaces.create(device=dev.id, name="mgmt0", type="virtual")
    assert exc.value.req.status_code == 400

    bays = list(nb.dcim.module_bays.filter(device_id=dev.id))
    assert got.delete() is True
    # the components went with the device (a filter by its id is now refused, as NetBox
    # refuses ids of no object)
    assert all(nb.dcim.interfaces.get(i.id) is None for i in ifaces)
    assert all(nb.dcim.front_ports.get(f.id) is None for f in fronts)
    assert all(nb.dcim.rear_ports.get(r.id) is None for r in rears)
    assert all(nb.dcim.module_bays.get(b.id) is None for b in bays)
    with pytest.raises(pynetbox.RequestError) as exc:
        nb.dcim.interfaces.count(device_id=dev.id)
    assert exc.value.req.status_code == 400
    # the templates stay with the device type
    assert nb.dcim.interface_templates.count(device_type_id=dt.id) == 4


def test_interface_filters(nb, env, uid):
    dev = nb.dcim.devices.create(name=f"if {uid}", device_type=env["dt"].id, role=env["role"].id,
                                 site=env["site"].id)
    nb.dcim.interfaces.create([
        {"device": dev.id, "name": "xe-0/0/1", "type": "10gbase-x-sfpp"},
        {"device": dev.id, "name": "xe-0/0/2", "type": "10gbase-x-sfpp", "mark_connected": True},
        {"device": dev.id, "name": "em0", "type": "1000base-t", "mgmt_only": True},
        {"device": dev.id, "name": "lo0", "type": "virtual"},
    ])
    assert nb.dcim.interfaces.count(device_id=dev.id) == 4
    assert _names(nb.dcim.interfaces.filter(device_id=dev.id, mgmt_only=True)) == ["em0"]
    assert nb.dcim.interfaces.count(device_id=dev.id, mgmt_only=False) == 3
    assert _names(nb.dcim.interfaces.filter(device_id=dev.id, type="10gbase-x-sfpp")) == ["xe-0/0/1", "xe-0/0/2"]
    assert nb.dcim.interfaces.count(device_id=dev.id, type=["virtual", "1000base-t"]) == 2
    assert nb.dcim.interfaces.count(device=dev.name) == 4
    # no cables anywhere: cabled=False is everything, cabled=True nothing
    assert nb.dcim.interfaces.count(device_id=dev.id, cabled=False) == 4
    assert nb.dcim.interfaces.count(device_id=dev.id, cabled=True) == 0
    # mark_connected counts as occupied
    assert _names(nb.dcim.interfaces.filter(device_id=dev.id, occupied=True)) == ["xe-0/0/2"]
    marked = nb.dcim.interfaces.get(device_id=dev.id, name="xe-0/0/2")
    assert dict(marked)["_occupied"] is True


def test_interface_natural_order(nb, env, uid):
    """NetBox orders interfaces by naturalize_interface(): slot/subslot/position numbers first (absent = last),
    then the type prefix, then the id -- so xe-0/0/2 precedes em0, and Ethernet1/2 precedes Ethernet1/10."""
    dev = nb.dcim.devices.create(name=f"ord {uid}", device_type=env["dt"].id, role=env["role"].id,
                                 site=env["site"].id)
    names = ["lo0", "xe-0/0/10", "em0", "Ethernet1/10", "xe-0/0/2", "Ethernet1/2", "Vlan10", "Vlan2"]
    nb.dcim.interfaces.create([{"device": dev.id, "name": n, "type": "virtual"} for n in names])
    assert _names(nb.dcim.interfaces.filter(device_id=dev.id)) == [
        "xe-0/0/2", "xe-0/0/10", "Ethernet1/2", "Ethernet1/10", "Vlan2", "Vlan10", "em0", "lo0"]


def test_module_instantiates_templates(nb, env, uid):
    dt = nb.dcim.device_types.create(manufacturer=env["maker"].id, model=f"Chassis {uid}", slug=f"chassis-{uid}")
    nb.dcim.module_bay_templates.create([
        {"device_type": dt.id, "name": "Slot 3", "position": "3"},
        {"device_type": dt.id, "name": "Slot 4", "position": "4"},
    ])
    card = nb.dcim.module_types.create(manufacturer=env["maker"].id, model=f"LC {uid}")
    nb.dcim.interface_templates.create([
        {"module_type": card.id, "name": "Ethernet{module}/1", "type": "10gbase-x-sfpp"},
        {"module_type": card.id, "name": "Ethernet{module}/2", "type": "10gbase-x-sfpp"},
    ])
    nb.dcim.console_port_templates.create(module_type=card.id, name="con{module}")

    dev = nb.dcim.devices.create(name=f"rtr {uid}", device_type=dt.id, role=env["role"].id, site=env["site"].id)
    bay = nb.dcim.module_bays.get(device_id=dev.id, name="Slot 3")
    assert bay.position == "3"
    module = nb.dcim.modules.create(device=dev.id, module_bay=bay.id, module_type=card.id)
    assert module.module_bay.id == bay.id

    ifaces = list(nb.dcim.interfaces.filter(device_id=dev.id))
    assert _names(ifaces) == ["Ethernet3/1", "Ethernet3/2"]
    assert all(i.module.id == module.id for i in ifaces)
    assert _names(nb.dcim.interfaces.filter(module_id=module.id)) == ["Ethernet3/1", "Ethernet3/2"]
    assert _names(nb.dcim.console_ports.filter(device_id=dev.id)) == ["con3"]
    assert [m.id for m in nb.dcim.modules.filter(device_id=dev.id)] == [module.id]

    # a second module in the same bay is rejected
    with pytest.raises(pynetbox.RequestError) as exc:
        nb.dcim.modules.create(device=dev.id, module_bay=bay.id, module_type=card.id)
    assert exc.value.req.status_code == 400

    assert module.delete() is True
    assert nb.dcim.interfaces.count(device_id=dev.id) == 0
    assert nb.dcim.console_ports.count(device_id=dev.id) == 0


def test_rack_placement_and_elevation(nb, env, uid):
    rack = nb.dcim.racks.create(name=f"Placement {uid}", site=env["site"].id, u_height=42)
    assert rack.u_height == 42 and rack.status.value == "active"
    assert rack.width.value == 19
    full = nb.dcim.device_types.create(manufacturer=env["maker"].id, model=f"Full {uid}", slug=f"full-{uid}",
                                       u_height=1, is_full_depth=True)
    half = nb.dcim.device_types.create(manufacturer=env["maker"].id, model=f"Half {uid}", slug=f"half-{uid}",
                                       u_height=1, is_full_depth=False)
    base = {"role": env["role"].id, "site": env["site"].id, "rack": rack.id}

    a = nb.dcim.devices.create(name=f"a {uid}", device_type=full.id, position=10, face="front", **base)
    assert a.position == 10 and a.face.value == "front" and a.rack.id == rack.id

    # same U, same face
    with pytest.raises(pynetbox.RequestError) as exc:
        nb.dcim.devices.create(name=f"b {uid}", device_type=full.id, position=10, face="front", **base)
    assert exc.value.req.status_code == 400
    assert "position" in exc.value.error
    assert "U10" in exc.value.error and "already occupied" in exc.value.error
    # a full-depth device also blocks the rear
    with pytest.raises(pynetbox.RequestError) as exc:
        nb.dcim.devices.create(name=f"b {uid}", device_type=half.id, position=10, face="rear", **base)
    assert exc.value.req.status_code == 400 and "position" in exc.value.error
    # beyond the top of the rack
    with pytest.raises(pynetbox.RequestError) as exc:
        nb.dcim.devices.create(name=f"b {uid}", device_type=half.id, position=43, face="front", **base)
    assert exc.value.req.status_code == 400 and "position" in exc.value.error
    # a position needs a face
    with pytest.raises(pynetbox.RequestError) as exc:
        nb.dcim.devices.create(name=f"b {uid}", device_type=half.id, position=20, **base)
    assert exc.value.req.status_code == 400 and "face" in exc.value.error

    # half-depth devices share a U front and rear
    hf = nb.dcim.devices.create(name=f"hf {uid}", device_type=half.id, position=12, face="front", **base)
    hr = nb.dcim.devices.create(name=f"hr {uid}", device_type=half.id, position=12, face="rear", **base)

    # moving a device onto an occupied U via save() is rejected as well
    hf.position = 10
    with pytest.raises(pynetbox.RequestError) as exc:
        hf.save()
    assert exc.value.req.status_code == 400 and "position" in exc.value.error

    assert {d.id for d in nb.dcim.devices.filter(rack_id=rack.id)} == {a.id, hf.id, hr.id}
    assert [d.id for d in nb.dcim.devices.filter(rack_id=rack.id, position=10)] == [a.id]
    assert {d.id for d in nb.dcim.devices.filter(rack_id=rack.id, face="rear")} == {hr.id}

    units = nb.dcim.racks.get(rack.id).elevation.list()
    assert len(units) == 84  # 42 U in half-U steps
    by_id = {float(u.id): u for u in units}
    assert by_id[42.5].name == "U42.5" and by_id[1.0].name == "U1"
    assert float(units[0].id) == 42.5 and float(units[-1].id) == 1.0  # top down
    assert by_id[10.0].device.id == a.id and by_id[10.0].occupied is True
    assert by_id[12.0].device.id == hf.id
    assert by_id[11.0].device is None and by_id[11.0].occupied is False
    assert by_id[10.0].face.value == "front"

    # limit=0: pynetbox drops detail-endpoint kwargs when it fetches the second page
    rear = {float(u.id): u for u in rack.elevation.list(face="rear", limit=0)}
    assert len(rear) == 84 and rear[12.0].face.value == "rear"
    assert rear[12.0].device.id == hr.id
    assert rear[10.0].device.id == a.id  # full depth shows on both faces

    svg = rack.elevation.list(render="svg")
    assert isinstance(svg, str) and "<svg" in svg


def test_rack_reservation_units(nb, env, uid):
    rack = nb.dcim.racks.create(name=f"Resv {uid}", site=env["site"].id, u_height=10)
    r = nb.dcim.rack_reservations.create(rack=rack.id, units=[1, 2], user=env["user"].id, description=f"a {uid}")
    assert r.units == [1, 2] and r.user.id == env["user"].id
    with pytest.raises(pynetbox.RequestError) as exc:
        nb.dcim.rack_reservations.create(rack=rack.id, units=[2, 3], user=env["user"].id, description=f"b {uid}")
    assert exc.value.req.status_code == 400 and "units" in exc.value.error
    with pytest.raises(pynetbox.RequestError) as exc:
        nb.dcim.rack_reservations.create(rack=rack.id, units=[11], user=env["user"].id, description=f"c {uid}")
    assert exc.value.req.status_code == 400 and "units" in exc.value.error
    assert [x.id for x in nb.dcim.rack_reservations.filter(rack_id=rack.id)] == [r.id]


def test_device_filters(nb, uid):
    site = nb.dcim.sites.create(name=f"F site {uid}", slug=f"f-site-{uid}", status="active")
    other = nb.dcim.sites.create(name=f"F other {uid}", slug=f"f-other-{uid}", status="active")
    maker = nb.dcim.manufacturers.create(name=f"F maker {uid}", slug=f"f-maker-{uid}")
    role = nb.dcim.device_roles.create(name=f"F role {uid}", slug=f"f-role-{uid}")
    role2 = nb.dcim.device_roles.create(name=f"F role2 {uid}", slug=f"f-role2-{uid}")
    dt = nb.dcim.device_types.create(manufacturer=maker.id, model=f"F box {uid}", slug=f"f-box-{uid}")
    dt2 = nb.dcim.device_types.create(manufacturer=maker.id, model=f"F box2 {uid}", slug=f"f-box2-{uid}")
    rack = nb.dcim.racks.create(name=f"F rack {uid}", site=site.id)
    vc = nb.dcim.virtual_chassis.create(name=f"F vc {uid}")

    d1 = nb.dcim.devices.create(name=f"d1 {uid}", device_type=dt.id, role=role.id, site=site.id, rack=rack.id)
    d2 = nb.dcim.devices.create(name=f"d2 {uid}", device_type=dt2.id, role=role2.id, site=site.id,
                                virtual_chassis=vc.id, vc_position=1, status="planned")
    d3 = nb.dcim.devices.create(name=f"d3 {uid}", device_type=dt.id, role=role.id, site=other.id)
    mine = {d1.id, d2.id, d3.id}

    def ids(**kw):
        return {d.id for d in nb.dcim.devices.filter(**kw)}

    assert ids(site_id=site.id) == {d1.id, d2.id}
    assert ids(site=other.slug) == {d3.id}
    assert ids(site_id=[site.id, other.id]) == mine
    assert ids(rack_id=rack.id) == {d1.id}
    assert ids(role=role.slug) == {d1.id, d3.id}
    assert ids(role_id=role2.id) == {d2.id}
    assert ids(manufacturer=maker.slug) == mine
    assert ids(manufacturer_id=maker.id) == mine
    assert ids(device_type_id=dt.id) == {d1.id, d3.id}
    assert ids(device_type_id=dt2.id) == {d2.id}
    assert ids(manufacturer=maker.slug, has_primary_ip=False) == mine
    assert ids(manufacturer=maker.slug, has_primary_ip=True) == set()
    assert ids(manufacturer=maker.slug, virtual_chassis_member=False) == {d1.id, d3.id}
    assert ids(manufacturer=maker.slug, virtual_chassis_member=True) == {d2.id}
    assert ids(virtual_chassis_id=vc.id) == {d2.id}
    assert ids(manufacturer=maker.slug, status="planned") == {d2.id}
    assert ids(manufacturer=maker.slug, status=["active", "planned"]) == mine
    assert ids(name=d3.name) == {d3.id}
    assert ids(q=f"d3 {uid}") == {d3.id}
    assert nb.dcim.devices.count(manufacturer=maker.slug) == 3
    assert ids(site_id=site.id, role=role.slug) == {d1.id}


def test_device_names_unique_per_site(nb, env, uid):
    nb.dcim.devices.create(name=f"dup {uid}", device_type=env["dt"].id, role=env["role"].id, site=env["site"].id)
    with pytest.raises(pynetbox.RequestError) as exc:
        nb.dcim.devices.create(name=f"dup {uid}", device_type=env["dt"].id, role=env["role"].id,
                               site=env["site"].id)
    assert exc.value.req.status_code == 400
    # unnamed devices may repeat
    a = nb.dcim.devices.create(device_type=env["dt"].id, role=env["role"].id, site=env["site"].id)
    b = nb.dcim.devices.create(device_type=env["dt"].id, role=env["role"].id, site=env["site"].id)
    assert a.name is None and b.name is None and a.id != b.id
    a.delete()
    b.delete()


def test_virtual_chassis_master(nb, env, uid):
    vc = nb.dcim.virtual_chassis.create(name=f"Stack {uid}")
    m1 = nb.dcim.devices.create(name=f"m1 {uid}", device_type=env["dt"].id, role=env["role"].id,
                                site=env["site"].id, virtual_chassis=vc.id, vc_position=1)
    nb.dcim.devices.create(name=f"m2 {uid}", device_type=env["dt"].id, role=env["role"].id,
                           site=env["site"].id, virtual_chassis=vc.id, vc_position=2)
    with pytest.raises(pynetbox.RequestError) as exc:
        nb.dcim.devices.create(name=f"m3 {uid}", device_type=env["dt"].id, role=env["role"].id,
                               site=env["site"].id, virtual_chassis=vc.id, vc_position=2)
    assert exc.value.req.status_code == 400
    assert "Device with this Virtual chassis and VC position already exists." in exc.value.error

    got = nb.dcim.virtual_chassis.get(vc.id)
    assert got.member_count == 2
    got.master = m1.id
    assert got.save() is True
    again = nb.dcim.virtual_chassis.get(vc.id)
    assert again.master.id == m1.id
    assert nb.dcim.devices.get(m1.id).virtual_chassis.id == vc.id
    assert {d.vc_position for d in nb.dcim.devices.filter(virtual_chassis_id=vc.id)} == {1, 2}


def test_device_bay_holds_child(nb, env, uid):
    child_type = nb.dcim.device_types.create(manufacturer=env["maker"].id, model=f"Blade {uid}",
                                             slug=f"blade-{uid}", u_height=0, subdevice_role="child")
    bay = nb.dcim.device_bays.create(device=env["device"].id, name=f"Blade bay {uid}")
    child = nb.dcim.devices.create(name=f"blade {uid}", device_type=child_type.id, role=env["role"].id,
                                   site=env["site"].id)
    bay.installed_device = child.id
    assert bay.save() is True
    assert nb.dcim.device_bays.get(bay.id).installed_device.id == child.id
    # a child sits in one bay only
    other = nb.dcim.device_bays.create(device=env["device"].id, name=f"Blade bay 2 {uid}")
    other.installed_device = child.id
    with pytest.raises(pynetbox.RequestError) as exc:
        other.save()
    assert exc.value.req.status_code == 400 and "installed_device" in exc.value.error
    got = nb.dcim.devices.get(child.id)
    assert got.parent_device is not None
    assert got.parent_device.id == env["device"].id
    assert got.parent_device.device_bay.id == bay.id


def test_device_bays_need_parent_device_type(nb, env, uid):
    plain = nb.dcim.device_types.create(manufacturer=env["maker"].id, model=f"Plain {uid}", slug=f"plain-{uid}")
    d = nb.dcim.devices.create(name=f"plain {uid}", device_type=plain.id, role=env["role"].id, site=env["site"].id)
    with pytest.raises(pynetbox.RequestError) as exc:
        nb.dcim.device_bays.create(device=d.id, name="bay")
    assert exc.value.req.status_code == 400 and "does not support device bays" in exc.value.error
    with pytest.raises(pynetbox.RequestError) as exc:
        nb.dcim.device_bay_templates.create(device_type=plain.id, name="bay")
    assert exc.value.req.status_code == 400


def test_power_feed_defaults_and_panel(nb, env, uid):
    feed = nb.dcim.power_feeds.create(power_panel=env["panel"].id, name=f"PF {uid}")
    got = nb.dcim.power_feeds.get(feed.id)
    assert got.status.value == "active" and got.type.value == "primary"
    assert got.supply.value == "ac" and got.phase.value == "single-phase"
    assert got.voltage == 120 and got.amperage == 15 and got.max_utilization == 80
    assert got.power_panel.id == env["panel"].id
    assert feed.id in {f.id for f in nb.dcim.power_feeds.filter(power_panel_id=env["panel"].id)}
    assert env["panel"].id in {p.id for p in nb.dcim.power_panels.filter(site_id=env["site"].id)}


def test_mac_address_assignment(nb, env, uid):
    iface = nb.dcim.interfaces.create(device=env["device"].id, name=f"macif {uid}", type="1000base-t")
    mac = nb.dcim.mac_addresses.create(mac_address=_mac(uid), assigned_object_type="dcim.interface",
                                       assigned_object_id=iface.id)
    got = nb.dcim.mac_addresses.get(mac.id)
    assert got.assigned_object_type == "dcim.interface" and got.assigned_object_id == iface.id
    assert got.assigned_object.id == iface.id
    assert [m.id for m in nb.dcim.mac_addresses.filter(interface_id=iface.id)] == [mac.id]
    assert mac.id in {m.id for m in nb.dcim.mac_addresses.filter(device_id=env["device"].id)}
    i = nb.dcim.interfaces.get(iface.id)
    i.primary_mac_address = mac.id
    assert i.save() is True
    again = nb.dcim.interfaces.get(iface.id)
    assert again.primary_mac_address.id == mac.id
    assert again.mac_address == _mac(uid)  # read-only mirror of the primary MAC
    assert [m.id for m in again.mac_addresses] == [mac.id]


def test_choices(nb):
    iface = nb.dcim.interfaces.choices()
    types = {c["value"] for c in iface["type"]}
    assert {"10gbase-x-sfpp", "1000base-t", "virtual", "lag", "100gbase-x-qsfp28"} <= types
    status = {c["value"]: c["display_name"] for c in nb.dcim.devices.choices()["status"]}
    assert {"offline", "active", "planned", "staged", "failed", "inventory", "decommissioning"} <= set(status)
    assert status["active"] == "Active"
    dev = nb.dcim.devices.choices()
    assert {c["value"] for c in dev["face"]} == {"front", "rear"}
    assert "front-to-rear" in {c["value"] for c in dev["airflow"]}
    racks = nb.dcim.racks.choices()
    assert {"reserved", "available", "planned", "active", "deprecated"} <= {c["value"] for c in racks["status"]}
    assert 19 in {c["value"] for c in racks["width"]}
    feeds = nb.dcim.power_feeds.choices()
    assert {c["value"] for c in feeds["supply"]} == {"ac", "dc"}
    assert {c["value"] for c in feeds["phase"]} == {"single-phase", "three-phase"}
    assert "8p8c" in {c["value"] for c in nb.dcim.front_ports.choices()["type"]}
    assert "rj-45" in {c["value"] for c in nb.dcim.console_ports.choices()["type"]}
    assert "iec-60320-c14" in {c["value"] for c in nb.dcim.power_ports.choices()["type"]}
    assert "active" in {c["value"] for c in nb.dcim.virtual_device_contexts.choices()["status"]}
