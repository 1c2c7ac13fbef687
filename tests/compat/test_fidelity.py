"""Behaviours found by running scripts written for NetBox 4.4 against Cairn: each one
broke a real client before it matched NetBox."""
import json

import pynetbox
import pytest
import requests


@pytest.fixture
def parts(nb, uid):
    site = nb.dcim.sites.create(name=f"Fid site {uid}", slug=f"fid-site-{uid}")
    maker = nb.dcim.manufacturers.create(name=f"Fid maker {uid}", slug=f"fid-maker-{uid}")
    role = nb.dcim.device_roles.create(name=f"Fid role {uid}", slug=f"fid-role-{uid}")
    dtype = nb.dcim.device_types.create(manufacturer=maker.id, model=f"Fid box {uid}",
                                        slug=f"fid-box-{uid}")
    return {"site": site, "role": role, "dt": dtype}


def _device(nb, p, name):
    return nb.dcim.devices.create(name=name, device_type=p["dt"].id, role=p["role"].id,
                                  site=p["site"].id)


def test_unknown_related_id_is_a_400(nb):
    with pytest.raises(pynetbox.RequestError) as exc:
        list(nb.dcim.devices.filter(site_id=2147483000))
    assert exc.value.req.status_code == 400
    assert json.loads(exc.value.error) == {
        "site_id": ["Select a valid choice. 2147483000 is not one of the available choices."]
    }


def test_parameters_netbox_lacks_are_ignored(nb, parts, uid):
    panel = nb.dcim.power_panels.create(site=parts["site"].id, name=f"Fid panel {uid}")
    feed = nb.dcim.power_feeds.create(power_panel=panel.id, name=f"Fid feed {uid}")
    # NetBox's power feed filters have power_panel_id, not power_panel: the unknown
    # parameter (with an id the Ansible collection sends) changes nothing.
    assert {f.id for f in nb.dcim.power_feeds.filter(power_panel=panel.id, name=feed.name)} == {feed.id}
    assert {f.id for f in nb.dcim.power_feeds.filter(power_panel_id=panel.id)} == {feed.id}


def test_prefix_with_host_bits_is_refused(nb):
    with pytest.raises(pynetbox.RequestError) as exc:
        nb.ipam.prefixes.create(prefix="10.231.0.1/24")
    assert exc.value.req.status_code == 400 and "prefix" in exc.value.error
    assert nb.ipam.prefixes.count(prefix="10.231.0.0/24") == 0


def test_virtual_chassis_created_with_master(nb, parts, uid):
    master = _device(nb, parts, f"Fid master {uid}")
    vc = nb.dcim.virtual_chassis.create(name=f"Fid vc {uid}", master=master.id)
    assert vc.master.id == master.id
    again = nb.dcim.devices.get(master.id)
    assert again.virtual_chassis.id == vc.id and again.vc_position == 1
    assert nb.dcim.virtual_chassis.get(vc.id).member_count == 1


def test_interface_counts_and_primary_ip(nb, parts, uid):
    device = _device(nb, parts, f"Fid dev {uid}")
    iface = nb.dcim.interfaces.create(device=device.id, name="eth0", type="1000base-t")
    n = int(uid[:4], 16) % 250 + 1
    ip = nb.ipam.ip_addresses.create(address=f"10.232.{n}.1/24", assigned_object_type="dcim.interface",
                                     assigned_object_id=iface.id)
    nb.ipam.ip_addresses.create(address=f"10.232.{n}.2/24", assigned_object_type="dcim.interface",
                                assigned_object_id=iface.id)
    group = nb.ipam.fhrp_groups.create(protocol="vrrp2", group_id=n)
    nb.ipam.fhrp_group_assignments.create(group=group.id, interface_type="dcim.interface",
                                          interface_id=iface.id, priority=100)
    got = nb.dcim.interfaces.get(iface.id)
    assert got.count_ipaddresses == 2 and got.count_fhrp_groups == 1
    listed = next(iter(nb.dcim.interfaces.filter(id=iface.id)))
    assert listed.count_ipaddresses == 2 and listed.count_fhrp_groups == 1

    device.primary_ip4 = ip.id
    assert device.save()
    # Inventories take ansible_host from primary_ip.
    assert nb.dcim.devices.get(device.id).primary_ip.address == ip.address


def test_status_lists_installed_apps(nb):
    apps = nb.status()["installed_apps"]
    assert apps and all(isinstance(v, str) and v for v in apps.values())


def test_schema_is_what_the_inventory_reads(server, nb):
    doc = requests.get(server["url"] + "/api/schema/?format=json", timeout=30).json()
    # nb_inventory caches the document under its major.minor version and reads the
    # device list's parameters from it.
    assert doc["info"]["version"] == nb.status()["netbox-version"]
    names = {p["name"] for p in doc["paths"]["/api/dcim/devices/"]["get"]["parameters"]}
    assert {"site", "role", "platform", "tag", "status", "has_primary_ip", "limit"} <= names
