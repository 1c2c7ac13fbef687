"""IPAM endpoints via pynetbox: CRUD for every IPAM model, plus the allocation helpers
(available-ips / -prefixes / -vlans / -asns), prefix hierarchy, containment filters,
unique address space and aggregate overlap.

Every call of _net() hands out a fresh second octet, so each test owns 10.<n>.0.0/16
(and 2001:db8:<n>::/48); nothing here creates a prefix or aggregate wider than a /16.
"""
import itertools
import uuid

import pynetbox
import pytest

_OCTET = itertools.count(1)      # 10.<n>.0.0/16 per call
_NUM = itertools.count(1)        # small unique numbers (VIDs, FHRP group ids, RDs)


def _net():
    n = next(_OCTET)
    assert n < 256, "ran out of 10.x.0.0/16 blocks"
    return n


def _num():
    return next(_NUM)


@pytest.fixture(scope="module")
def env(nb):
    u = uuid.uuid4().hex[:10]
    site = nb.dcim.sites.create(name=f"IPAM site {u}", slug=f"ipam-site-{u}", status="active")
    maker = nb.dcim.manufacturers.create(name=f"IPAM maker {u}", slug=f"ipam-maker-{u}")
    role = nb.dcim.device_roles.create(name=f"IPAM role {u}", slug=f"ipam-role-{u}")
    dtype = nb.dcim.device_types.create(manufacturer=maker.id, model=f"IPAM box {u}", slug=f"ipam-box-{u}")
    device = nb.dcim.devices.create(name=f"IPAM dev {u}", device_type=dtype.id, role=role.id, site=site.id)
    iface = nb.dcim.interfaces.create(device=device.id, name="eth0", type="1000base-t")
    rir = nb.ipam.rirs.create(name=f"IPAM RIR {u}", slug=f"ipam-rir-{u}")
    return {"site": site, "device": device, "iface": iface, "rir": rir}


def _policy(nb, u):
    return nb.ipam.vlan_translation_policies.create(name=f"VTP for {u}").id


def _fhrp_group(nb, u):
    return nb.ipam.fhrp_groups.create(protocol="vrrp3", group_id=_num() % 255 + 1).id


# (endpoint, payload factory(nb, env, uid), key field, filter kwarg for the key, field to update, new value)
SPECS = [
    ("vrfs", lambda nb, e, u: {"name": f"VRF {u}"}, "name", "name", "rd", "65000:1"),
    ("route_targets", lambda nb, e, u: {"name": f"65000:{int(u, 16) % 10**9}"},
     "name", "name", "description", "changed"),
    ("rirs", lambda nb, e, u: {"name": f"RIR {u}", "slug": f"rir-{u}"}, "slug", "slug", "is_private", True),
    ("aggregates", lambda nb, e, u: {"prefix": f"10.{_net()}.0.0/16", "rir": e["rir"].id},
     "prefix", "prefix", "description", "changed"),
    ("asn_ranges", lambda nb, e, u: {"name": f"ASNR {u}", "slug": f"asnr-{u}", "rir": e["rir"].id,
                                     "start": 4_100_000_000, "end": 4_100_000_100},
     "slug", "slug", "end", 4_100_000_200),
    ("asns", lambda nb, e, u: {"asn": 4_200_000_000 + _num(), "rir": e["rir"].id}, "asn", "asn",
     "description", "changed"),
    ("roles", lambda nb, e, u: {"name": f"IPAM role {u}", "slug": f"ipam-role-{u}"}, "slug", "slug", "weight", 500),
    ("prefixes", lambda nb, e, u: {"prefix": f"10.{_net()}.0.0/24"}, "prefix", "prefix", "status", "reserved"),
    ("ip_ranges", lambda nb, e, u: (lambda n: {"start_address": f"10.{n}.0.10/24",
                                               "end_address": f"10.{n}.0.20/24"})(_net()),
     "start_address", "start_address", "status", "deprecated"),
    ("ip_addresses", lambda nb, e, u: {"address": f"10.{_net()}.0.1/24"}, "address", "address", "dns_name",
     "host.example.com"),
    ("vlan_groups", lambda nb, e, u: {"name": f"VG {u}", "slug": f"vg-{u}"}, "slug", "slug", "description",
     "changed"),
    ("vlans", lambda nb, e, u: {"vid": 100, "name": f"VLAN {u}"}, "name", "name", "status", "reserved"),
    ("vlan_translation_policies", lambda nb, e, u: {"name": f"VTP {u}"}, "name", "name", "description", "changed"),
    ("vlan_translation_rules", lambda nb, e, u: {"policy": _policy(nb, u), "local_vid": 1000 + _num(),
                                                 "remote_vid": 200}, "local_vid", "local_vid", "remote_vid", 300),
    ("fhrp_groups", lambda nb, e, u: {"protocol": "vrrp2", "group_id": 7, "name": f"FHRP {u}"}, "name", "name",
     "auth_type", "plaintext"),
    ("fhrp_group_assignments", lambda nb, e, u: {"group": _fhrp_group(nb, u), "interface_type": "dcim.interface",
                                                 "interface_id": e["iface"].id, "priority": 100},
     "group", "group_id", "priority", 200),
    ("service_templates", lambda nb, e, u: {"name": f"ST {u}", "protocol": "tcp", "ports": [22]}, "name", "name",
     "ports", [22, 2222]),
    ("services", lambda nb, e, u: {"parent_object_type": "dcim.device", "parent_object_id": e["device"].id,
                                   "name": f"SVC {u}", "protocol": "udp", "ports": [53]}, "name", "name",
     "protocol", "tcp"),
]
IDS = [s[0] for s in SPECS]


def _plain(value):
    """Nested records compare by id, choice fields by value."""
    if hasattr(value, "id"):
        return value.id
    return getattr(value, "value", value)


@pytest.mark.parametrize("ep,factory,key,fkey,field,new", SPECS, ids=IDS)
def test_crud_roundtrip(nb, env, uid, ep, factory, key, fkey, field, new):
    endpoint = getattr(nb.ipam, ep)
    payload = factory(nb, env, uid)

    obj = endpoint.create(payload)
    assert isinstance(obj.id, int) and obj.id > 0
    assert _plain(getattr(obj, key)) == payload[key]
    assert obj.url.endswith(f"/api/ipam/{ep.replace('_', '-')}/{obj.id}/")

    got = endpoint.get(obj.id)
    assert got is not None and got.id == obj.id
    assert _plain(getattr(got, key)) == payload[key]

    got = endpoint.get(**{fkey: payload[key]})
    assert got is not None and got.id == obj.id

    assert [r.id for r in endpoint.filter(**{fkey: payload[key]})] == [obj.id]
    assert endpoint.count(**{fkey: payload[key]}) == 1
    assert [r.id for r in endpoint.filter(id=obj.id)] == [obj.id]

    setattr(got, field, new)
    assert got.save() is True
    again = endpoint.get(obj.id)
    assert _plain(getattr(again, field)) == new
    assert _plain(getattr(again, key)) == payload[key]
    assert again.save() is False

    assert again.delete() is True
    assert endpoint.get(obj.id) is None


BULK = {"vrfs", "route_targets", "rirs", "asns", "roles", "prefixes", "ip_ranges", "ip_addresses",
        "vlan_groups", "vlans", "vlan_translation_rules", "fhrp_groups", "service_templates", "services"}
BULK_SPECS = [s for s in SPECS if s[0] in BULK]


@pytest.mark.parametrize("ep,factory,key,fkey,field,new", BULK_SPECS, ids=[s[0] for s in BULK_SPECS])
def test_bulk_create(nb, env, uid, ep, factory, key, fkey, field, new):
    endpoint = getattr(nb.ipam, ep)
    payloads = [factory(nb, env, uid + "a"), factory(nb, env, uid + "b")]
    created = endpoint.create(payloads)
    assert isinstance(created, list) and len(created) == 2
    ids = [r.id for r in created]
    assert len(set(ids)) == 2
    assert [_plain(getattr(r, key)) for r in created] == [p[key] for p in payloads]
    assert {r.id for r in endpoint.filter(id=ids)} == set(ids)
    assert endpoint.filter(id=ids).delete() is True
    assert endpoint.count(id=ids) == 0


# ---------------------------------------------------------------- allocation helpers


def _addresses(records):
    return [r.address for r in records]


def test_prefix_available_ips(nb, uid):
    n = _net()
    p = nb.ipam.prefixes.create(prefix=f"10.{n}.0.0/29")
    free = p.available_ips.list()
    # network and broadcast address are skipped; addresses carry the prefix's mask
    assert _addresses(free) == [f"10.{n}.0.{i}/29" for i in range(1, 7)]
    assert all(r.family == 4 and r.vrf is None for r in free)

    one = p.available_ips.create()
    assert one.address == f"10.{n}.0.1/29" and isinstance(one.id, int)
    got = nb.ipam.ip_addresses.get(one.id)
    assert got.address == f"10.{n}.0.1/29" and got.vrf is None and got.status.value == "active"

    two = p.available_ips.create([{}, {}])
    assert isinstance(two, list) and _addresses(two) == [f"10.{n}.0.2/29", f"10.{n}.0.3/29"]

    # an address taken outside the allocator is skipped as well
    nb.ipam.ip_addresses.create(address=f"10.{n}.0.5/29")
    assert _addresses(p.available_ips.list()) == [f"10.{n}.0.4/29", f"10.{n}.0.6/29"]

    with_desc = p.available_ips.create({"description": f"alloc {uid}", "status": "reserved"})
    assert with_desc.address == f"10.{n}.0.4/29"
    got = nb.ipam.ip_addresses.get(with_desc.id)
    assert got.description == f"alloc {uid}" and got.status.value == "reserved"

    # more than what is free: 409, and nothing is created
    with pytest.raises(pynetbox.AllocationError) as exc:
        p.available_ips.create([{}, {}])
    assert exc.value.req.status_code == 409
    assert nb.ipam.ip_addresses.count(parent=f"10.{n}.0.0/29") == 5
    assert _addresses(p.available_ips.list()) == [f"10.{n}.0.6/29"]
    p.available_ips.create()
    assert p.available_ips.list() == []
    with pytest.raises(pynetbox.AllocationError) as exc:
        p.available_ips.create()
    assert exc.value.req.status_code == 409


def test_prefix_available_ips_limit_pool_and_small(nb):
    n = _net()
    big = nb.ipam.prefixes.create(prefix=f"10.{n}.1.0/24")
    assert len(big.available_ips.list()) == 50  # PAGINATE_COUNT
    assert len(big.available_ips.list(limit=10)) == 10
    everything = big.available_ips.list(limit=0)
    assert len(everything) == 254
    assert everything[0].address == f"10.{n}.1.1/24" and everything[-1].address == f"10.{n}.1.254/24"

    # pools and /31s use every address
    pool = nb.ipam.prefixes.create(prefix=f"10.{n}.2.0/30", is_pool=True)
    assert _addresses(pool.available_ips.list()) == [f"10.{n}.2.{i}/30" for i in range(4)]
    p2p = nb.ipam.prefixes.create(prefix=f"10.{n}.3.0/31")
    assert _addresses(p2p.available_ips.list()) == [f"10.{n}.3.0/31", f"10.{n}.3.1/31"]

    # IPv6: only the subnet-router anycast address (the first) is skipped
    v6 = nb.ipam.prefixes.create(prefix=f"2001:db8:{n:x}::/125")
    assert _addresses(v6.available_ips.list()) == [f"2001:db8:{n:x}::{i}/125" for i in range(1, 8)]
    assert v6.available_ips.list()[0].family == 6
    made = v6.available_ips.create()
    assert made.address == f"2001:db8:{n:x}::1/125"


def test_prefix_available_ips_in_vrf(nb, uid):
    n = _net()
    vrf = nb.ipam.vrfs.create(name=f"Alloc VRF {uid}")
    p = nb.ipam.prefixes.create(prefix=f"10.{n}.0.0/30", vrf=vrf.id)
    # the same address in the global table does not count against the VRF prefix
    nb.ipam.ip_addresses.create(address=f"10.{n}.0.1/30")
    free = p.available_ips.list()
    assert _addresses(free) == [f"10.{n}.0.1/30", f"10.{n}.0.2/30"]
    assert free[0].vrf.id == vrf.id
    made = p.available_ips.create()
    assert made.address == f"10.{n}.0.1/30"
    assert nb.ipam.ip_addresses.get(made.id).vrf.id == vrf.id


def test_prefix_available_prefixes(nb):
    n = _net()
    parent = nb.ipam.prefixes.create(prefix=f"10.{n}.0.0/16")
    nb.ipam.prefixes.create(prefix=f"10.{n}.0.0/24")
    free = parent.available_prefixes.list()
    assert [r.prefix for r in free] == [
        f"10.{n}.1.0/24", f"10.{n}.2.0/23", f"10.{n}.4.0/22", f"10.{n}.8.0/21",
        f"10.{n}.16.0/20", f"10.{n}.32.0/19", f"10.{n}.64.0/18", f"10.{n}.128.0/17"]
    assert free[0].family == 4 and free[0].vrf is None

    child = parent.available_prefixes.create({"prefix_length": 28})
    assert child.prefix == f"10.{n}.1.0/28" and isinstance(child.id, int)
    got = nb.ipam.prefixes.get(child.id)
    assert got.prefix == f"10.{n}.1.0/28" and got._depth == 1 and got.vrf is None

    many = parent.available_prefixes.create([{"prefix_length": 28}, {"prefix_length": 24}])
    assert [r.prefix for r in many] == [f"10.{n}.1.16/28", f"10.{n}.2.0/24"]
    assert parent.available_prefixes.list()[0].prefix == f"10.{n}.1.32/27"
    assert nb.ipam.prefixes.get(parent.id).children == 4

    with pytest.raises(pynetbox.AllocationError) as exc:
        parent.available_prefixes.create({"prefix_length": 16})
    assert exc.value.req.status_code == 409
    with pytest.raises(pynetbox.RequestError) as exc:
        parent.available_prefixes.create({})
    assert exc.value.req.status_code == 400 and "prefix_length" in exc.value.error


def test_ip_range_available_ips(nb):
    n = _net()
    rng = nb.ipam.ip_ranges.create(start_address=f"10.{n}.0.10/24", end_address=f"10.{n}.0.20/24")
    assert rng.size == 11
    nb.ipam.ip_addresses.create(address=f"10.{n}.0.12/24")
    nb.ipam.ip_addresses.create(address=f"10.{n}.0.30/24")  # outside the range
    free = rng.available_ips.list()
    assert _addresses(free) == [f"10.{n}.0.{i}/24" for i in [10, 11] + list(range(13, 21))]
    made = rng.available_ips.create([{}, {}])
    assert _addresses(made) == [f"10.{n}.0.10/24", f"10.{n}.0.11/24"]
    assert rng.available_ips.list()[0].address == f"10.{n}.0.13/24"


def test_vlan_group_available_vlans(nb, uid):
    group = nb.ipam.vlan_groups.create(name=f"Alloc VG {uid}", slug=f"alloc-vg-{uid}",
                                       vid_ranges=[[100, 102], [200, 201]])
    assert nb.ipam.vlan_groups.get(group.id).vid_ranges == [[100, 102], [200, 201]]
    assert [v.vid for v in group.available_vlans.list()] == [100, 101, 102, 200, 201]

    nb.ipam.vlans.create(vid=101, name=f"taken {uid}", group=group.id)
    assert [v.vid for v in group.available_vlans.list()] == [100, 102, 200, 201]

    vlan = group.available_vlans.create({"name": f"first {uid}"})
    assert vlan.vid == 100 and vlan.name == f"first {uid}" and vlan.group.id == group.id
    assert nb.ipam.vlans.get(vlan.id).group.id == group.id

    more = group.available_vlans.create([{"name": f"a {uid}"}, {"name": f"b {uid}"}])
    assert [v.vid for v in more] == [102, 200]
    assert [v.vid for v in group.available_vlans.list()] == [201]

    with pytest.raises(pynetbox.AllocationError) as exc:
        group.available_vlans.create([{"name": f"c {uid}"}, {"name": f"d {uid}"}])
    assert exc.value.req.status_code == 409
    assert nb.ipam.vlans.count(group_id=group.id) == 4

    # a VID outside the group's ranges is refused
    with pytest.raises(pynetbox.RequestError) as exc:
        nb.ipam.vlans.create(vid=150, name=f"outside {uid}", group=group.id)
    assert exc.value.req.status_code == 400
    # so is a duplicate VID within the group
    with pytest.raises(pynetbox.RequestError) as exc:
        nb.ipam.vlans.create(vid=100, name=f"dup {uid}", group=group.id)
    assert exc.value.req.status_code == 400


def test_asn_range_available_asns(nb, env, uid):
    start = 64512 + 10 * _num()
    rng = nb.ipam.asn_ranges.create(name=f"Alloc ASNR {uid}", slug=f"alloc-asnr-{uid}", rir=env["rir"].id,
                                    start=start, end=start + 3)
    free = list(rng.available_asns.list())
    assert [a["asn"] for a in free] == [start, start + 1, start + 2, start + 3]
    assert free[0]["rir"]["id"] == env["rir"].id

    nb.ipam.asns.create(asn=start + 1, rir=env["rir"].id)
    one = rng.available_asns.create({})
    assert one["asn"] == start and one["rir"]["id"] == env["rir"].id
    assert nb.ipam.asns.get(asn=start).id == one["id"]
    two = rng.available_asns.create([{}, {}])
    assert [a["asn"] for a in two] == [start + 2, start + 3]
    assert list(rng.available_asns.list()) == []
    with pytest.raises(pynetbox.AllocationError) as exc:
        rng.available_asns.create({})
    assert exc.value.req.status_code == 409


# ---------------------------------------------------------------- hierarchy and filters


def test_prefix_hierarchy(nb):
    n = _net()
    top = nb.ipam.prefixes.create(prefix=f"10.{n}.0.0/16")
    mid = nb.ipam.prefixes.create(prefix=f"10.{n}.1.0/24")
    leaf = nb.ipam.prefixes.create(prefix=f"10.{n}.1.0/28")
    with pytest.raises(pynetbox.RequestError) as exc:  # host bits are refused
        nb.ipam.prefixes.create(prefix=f"10.{n}.2.77/24")
    assert f"Did you mean 10.{n}.2.0/24?" in str(exc.value.error)
    side = nb.ipam.prefixes.create(prefix=f"10.{n}.2.0/24")

    def state(p):
        r = nb.ipam.prefixes.get(p.id)
        return r._depth, r.children

    assert state(top) == (0, 3)
    assert state(mid) == (1, 1)
    assert state(leaf) == (2, 0)
    assert state(side) == (1, 0)
    # parents come before their children
    assert [p.prefix for p in nb.ipam.prefixes.filter(within_include=f"10.{n}.0.0/16")] == [
        f"10.{n}.0.0/16", f"10.{n}.1.0/24", f"10.{n}.1.0/28", f"10.{n}.2.0/24"]

    # removing the middle level re-parents the leaf
    assert nb.ipam.prefixes.get(mid.id).delete() is True
    assert state(top) == (0, 2)
    assert state(leaf) == (1, 0)
    # a new intermediate prefix pushes the leaf down again
    nb.ipam.prefixes.create(prefix=f"10.{n}.1.0/25")
    assert state(leaf) == (2, 0)
    assert state(top) == (0, 3)


def test_prefix_filters(nb, uid):
    n = _net()
    vrf = nb.ipam.vrfs.create(name=f"Filter VRF {uid}")
    top = nb.ipam.prefixes.create(prefix=f"10.{n}.0.0/16")
    mid = nb.ipam.prefixes.create(prefix=f"10.{n}.1.0/24")
    leaf = nb.ipam.prefixes.create(prefix=f"10.{n}.1.0/28")
    other = nb.ipam.prefixes.create(prefix=f"10.{n}.9.0/24")
    in_vrf = nb.ipam.prefixes.create(prefix=f"10.{n}.1.0/24", vrf=vrf.id)  # same space, other table
    v6 = nb.ipam.prefixes.create(prefix=f"2001:db8:{n:x}::/48")

    def ids(**kw):
        return [p.id for p in nb.ipam.prefixes.filter(**kw)]

    assert set(ids(within=f"10.{n}.0.0/16")) == {mid.id, leaf.id, other.id, in_vrf.id}
    assert set(ids(within_include=f"10.{n}.0.0/16")) == {top.id, mid.id, leaf.id, other.id, in_vrf.id}
    assert set(ids(within=f"10.{n}.1.0/24")) == {leaf.id}
    assert set(ids(within_include=f"10.{n}.1.0/24")) == {mid.id, leaf.id, in_vrf.id}
    assert set(ids(contains=f"10.{n}.1.5")) == {top.id, mid.id, leaf.id, in_vrf.id}
    assert set(ids(contains=f"10.{n}.1.0/24")) == {top.id, mid.id, in_vrf.id}
    assert set(ids(contains=f"10.{n}.9.200")) == {top.id, other.id}
    assert set(ids(within_include=f"10.{n}.0.0/16", mask_length=24)) == {mid.id, other.id, in_vrf.id}
    assert set(ids(within_include=f"10.{n}.0.0/16", mask_length=28)) == {leaf.id}
    assert ids(vrf_id=vrf.id) == [in_vrf.id]
    assert ids(within_include=f"10.{n}.0.0/16", vrf_id=vrf.id) == [in_vrf.id]
    assert v6.id in ids(family=6)
    assert v6.id not in ids(family=4)
    assert top.id in ids(family=4)
    assert ids(prefix=f"10.{n}.1.0/24", vrf_id=vrf.id) == [in_vrf.id]
    assert set(ids(prefix=f"10.{n}.1.0/24")) == {mid.id, in_vrf.id}
    assert nb.ipam.prefixes.count(within_include=f"10.{n}.0.0/16") == 5


def test_ip_address_filters(nb, uid):
    n = _net()
    vrf = nb.ipam.vrfs.create(name=f"IP VRF {uid}")
    a = nb.ipam.ip_addresses.create(address=f"10.{n}.1.5/24")
    b = nb.ipam.ip_addresses.create(address=f"10.{n}.2.5/24", status="reserved")
    c = nb.ipam.ip_addresses.create(address=f"10.{n}.1.5/24", vrf=vrf.id)
    d = nb.ipam.ip_addresses.create(address=f"10.{n}.1.9/32")
    v6 = nb.ipam.ip_addresses.create(address=f"2001:db8:{n:x}::5/64")
    assert a.family.value == 4 and v6.family.value == 6

    def ids(**kw):
        return {r.id for r in nb.ipam.ip_addresses.filter(**kw)}

    assert ids(parent=f"10.{n}.0.0/16") == {a.id, b.id, c.id, d.id}
    assert ids(parent=f"10.{n}.1.0/24") == {a.id, c.id, d.id}
    assert ids(address=f"10.{n}.1.5") == {a.id, c.id}
    assert ids(address=f"10.{n}.1.5/24") == {a.id, c.id}
    assert ids(address=f"10.{n}.1.5", vrf_id=vrf.id) == {c.id}
    assert ids(address=[f"10.{n}.1.9", f"10.{n}.2.5"]) == {b.id, d.id}
    assert ids(parent=f"10.{n}.0.0/16", mask_length=32) == {d.id}
    assert ids(parent=f"10.{n}.0.0/16", status="reserved") == {b.id}
    assert ids(parent=f"2001:db8:{n:x}::/48") == {v6.id}
    assert v6.id in ids(family=6) and a.id not in ids(family=6)
    assert nb.ipam.ip_addresses.get(address=f"10.{n}.2.5").id == b.id


def test_ip_address_on_interface(nb, env, uid):
    n = _net()
    iface = nb.dcim.interfaces.create(device=env["device"].id, name=f"ipif {uid}", type="1000base-t")
    ip = nb.ipam.ip_addresses.create(address=f"10.{n}.0.1/24", assigned_object_type="dcim.interface",
                                     assigned_object_id=iface.id)
    loose = nb.ipam.ip_addresses.create(address=f"10.{n}.0.2/24")
    got = nb.ipam.ip_addresses.get(ip.id)
    assert got.assigned_object_type == "dcim.interface" and got.assigned_object_id == iface.id
    assert got.assigned_object.id == iface.id
    assert [r.id for r in nb.ipam.ip_addresses.filter(assigned_object_id=iface.id,
                                                       assigned_object_type="dcim.interface")] == [ip.id]

    def ids(**kw):
        return {r.id for r in nb.ipam.ip_addresses.filter(parent=f"10.{n}.0.0/24", **kw)}

    assert ids() == {ip.id, loose.id}
    assert ids(interface_id=iface.id) == {ip.id}
    assert ids(device_id=env["device"].id) == {ip.id}
    assert ids(device=env["device"].name) == {ip.id}
    assert ids(assigned_to_interface=True) == {ip.id}
    assert ids(assigned_to_interface=False) == {loose.id}
    assert ids(assigned=True) == {ip.id}


def test_service_and_fhrp_filters(nb, env, uid):
    other = nb.dcim.devices.create(name=f"svc other {uid}", device_type=env["device"].device_type.id,
                                   role=env["device"].role.id, site=env["site"].id)
    ssh = nb.ipam.services.create(parent_object_type="dcim.device", parent_object_id=env["device"].id,
                                  name=f"ssh {uid}", protocol="tcp", ports=[22, 2222])
    dns = nb.ipam.services.create(parent_object_type="dcim.device", parent_object_id=other.id,
                                  name=f"dns {uid}", protocol="udp", ports=[53])
    got = nb.ipam.services.get(ssh.id)
    assert got.parent_object_type == "dcim.device" and got.parent.id == env["device"].id
    assert got.ports == [22, 2222] and got.protocol.value == "tcp"

    def svc(**kw):
        return {s.id for s in nb.ipam.services.filter(id=[ssh.id, dns.id], **kw)}

    assert svc(parent_object_type="dcim.device", parent_object_id=other.id) == {dns.id}
    assert svc(protocol="udp") == {dns.id}
    assert svc(device_id=other.id) == {dns.id}
    assert svc(device=other.name) == {dns.id}
    assert svc(port=2222) == {ssh.id}

    grp = nb.ipam.fhrp_groups.create(protocol="hsrp", group_id=10, name=f"HSRP {uid}")
    iface = nb.dcim.interfaces.create(device=other.id, name=f"fhrp {uid}", type="1000base-t")
    a = nb.ipam.fhrp_group_assignments.create(group=grp.id, interface_type="dcim.interface",
                                              interface_id=env["iface"].id, priority=110)
    b = nb.ipam.fhrp_group_assignments.create(group=grp.id, interface_type="dcim.interface",
                                              interface_id=iface.id, priority=90)
    assert nb.ipam.fhrp_group_assignments.get(a.id).interface.id == env["iface"].id
    with pytest.raises(pynetbox.RequestError) as exc:  # one assignment per (interface, group)
        nb.ipam.fhrp_group_assignments.create(group=grp.id, interface_type="dcim.interface",
                                              interface_id=iface.id, priority=80)
    assert exc.value.req.status_code == 400

    def fa(**kw):
        return {x.id for x in nb.ipam.fhrp_group_assignments.filter(group_id=grp.id, **kw)}

    assert fa() == {a.id, b.id}
    assert fa(interface_id=iface.id) == {b.id}
    assert fa(priority=110) == {a.id}
    assert fa(device_id=other.id) == {b.id}
    assert fa(device=other.name) == {b.id}


# ---------------------------------------------------------------- validation


def _refused(create, status=400):
    with pytest.raises(pynetbox.RequestError) as exc:
        create()
    assert exc.value.req.status_code == status
    return exc.value.error


def test_unique_space(nb, uid):
    n = _net()
    nb.ipam.prefixes.create(prefix=f"10.{n}.0.0/24")
    _refused(lambda: nb.ipam.prefixes.create(prefix=f"10.{n}.0.0/24"))
    # host bits are refused before the check
    _refused(lambda: nb.ipam.prefixes.create(prefix=f"10.{n}.0.1/24"))

    nb.ipam.ip_addresses.create(address=f"10.{n}.0.1/24")
    _refused(lambda: nb.ipam.ip_addresses.create(address=f"10.{n}.0.1/24"))
    # the same host with another mask is a duplicate as well
    _refused(lambda: nb.ipam.ip_addresses.create(address=f"10.{n}.0.1/25"))

    # a VRF enforcing unique space refuses duplicates too; one that does not allows them
    strict = nb.ipam.vrfs.create(name=f"Strict {uid}")
    assert strict.enforce_unique is True
    nb.ipam.prefixes.create(prefix=f"10.{n}.0.0/24", vrf=strict.id)
    _refused(lambda: nb.ipam.prefixes.create(prefix=f"10.{n}.0.0/24", vrf=strict.id))
    nb.ipam.ip_addresses.create(address=f"10.{n}.0.1/24", vrf=strict.id)
    _refused(lambda: nb.ipam.ip_addresses.create(address=f"10.{n}.0.1/24", vrf=strict.id))
    loose = nb.ipam.vrfs.create(name=f"Loose {uid}", enforce_unique=False)
    nb.ipam.prefixes.create(prefix=f"10.{n}.0.0/24", vrf=loose.id)
    nb.ipam.prefixes.create(prefix=f"10.{n}.0.0/24", vrf=loose.id)
    nb.ipam.ip_addresses.create(address=f"10.{n}.0.1/24", vrf=loose.id)
    nb.ipam.ip_addresses.create(address=f"10.{n}.0.1/24", vrf=loose.id)
    assert nb.ipam.prefixes.count(prefix=f"10.{n}.0.0/24") == 4
    assert nb.ipam.ip_addresses.count(address=f"10.{n}.0.1") == 4

    # moving a prefix onto an existing one via save() is refused as well
    p = nb.ipam.prefixes.create(prefix=f"10.{n}.1.0/24")
    p.prefix = f"10.{n}.0.0/24"
    _refused(p.save)


def test_zero_mask_refused(nb, env):
    n = _net()
    assert "prefix" in _refused(lambda: nb.ipam.prefixes.create(prefix="0.0.0.0/0"))
    _refused(lambda: nb.ipam.prefixes.create(prefix="::/0"))
    assert "address" in _refused(lambda: nb.ipam.ip_addresses.create(address=f"10.{n}.0.1/0"))
    assert "prefix" in _refused(lambda: nb.ipam.aggregates.create(prefix="0.0.0.0/0", rir=env["rir"].id))
    assert nb.ipam.prefixes.count(mask_length=0) == 0


def test_aggregates_do_not_overlap(nb, env):
    n = _net()
    rir = env["rir"].id
    agg = nb.ipam.aggregates.create(prefix=f"10.{n}.128.0/17", rir=rir)
    assert agg.prefix == f"10.{n}.128.0/17" and agg.rir.id == rir
    # covered by the existing aggregate
    assert "prefix" in _refused(lambda: nb.ipam.aggregates.create(prefix=f"10.{n}.129.0/24", rir=rir))
    # covering the existing aggregate
    assert "prefix" in _refused(lambda: nb.ipam.aggregates.create(prefix=f"10.{n}.0.0/16", rir=rir))
    # identical
    _refused(lambda: nb.ipam.aggregates.create(prefix=f"10.{n}.128.0/17", rir=rir))
    # the adjacent half is fine
    low = nb.ipam.aggregates.create(prefix=f"10.{n}.0.0/17", rir=rir)
    assert nb.ipam.aggregates.get(prefix=f"10.{n}.0.0/17").id == low.id
    assert agg.id in {a.id for a in nb.ipam.aggregates.filter(rir_id=rir)}
    # widening an aggregate onto its neighbour via save() is refused
    low.prefix = f"10.{n}.0.0/16"
    _refused(low.save)


def test_ip_range_validation(nb):
    n = _net()
    _refused(lambda: nb.ipam.ip_ranges.create(start_address=f"10.{n}.0.20/24", end_address=f"10.{n}.0.10/24"))
    _refused(lambda: nb.ipam.ip_ranges.create(start_address=f"10.{n}.0.10/24", end_address=f"10.{n}.0.20/25"))
    nb.ipam.ip_ranges.create(start_address=f"10.{n}.0.10/24", end_address=f"10.{n}.0.20/24")
    # overlapping ranges in the same VRF are refused
    _refused(lambda: nb.ipam.ip_ranges.create(start_address=f"10.{n}.0.15/24", end_address=f"10.{n}.0.30/24"))


def test_vlan_qinq_and_group_scope_rules(nb, env, uid):
    group = nb.ipam.vlan_groups.create(name=f"Site VLANs {uid}", slug=f"site-vlans-{uid}",
                                       scope_type="dcim.site", scope_id=env["site"].id)
    other = nb.dcim.sites.create(name=f"Other {uid}", slug=f"other-{uid}", status="active")
    with pytest.raises(pynetbox.RequestError) as exc:
        nb.ipam.vlans.create(vid=10, name=f"v {uid}", group=group.id, site=other.id)
    assert exc.value.req.status_code == 400
    assert "cannot also assign to site" in exc.value.error
    ok = nb.ipam.vlans.create(vid=10, name=f"v {uid}", group=group.id, site=env["site"].id)
    assert ok.group.id == group.id

    svlan = nb.ipam.vlans.create(vid=_num() % 4000 + 1, name=f"svc {uid}", qinq_role="svlan")
    with pytest.raises(pynetbox.RequestError) as exc:
        nb.ipam.vlans.create(vid=20, name=f"cust {uid}", qinq_role="cvlan")
    assert "must be assigned to a service VLAN" in exc.value.error
    cvlan = nb.ipam.vlans.create(vid=20, name=f"cust {uid}", qinq_role="cvlan", qinq_svlan=svlan.id)
    assert cvlan.qinq_svlan.id == svlan.id
    assert [v.id for v in nb.ipam.vlans.filter(qinq_svlan_id=svlan.id)] == [cvlan.id]


def test_utilization_endpoint(nb, uid):
    n = _net()
    p = nb.ipam.prefixes.create(prefix=f"10.{n}.0.0/30")
    p.available_ips.create()
    url = f"{nb.base_url}/ipam/prefixes/{p.id}/utilization/"
    body = nb.http_session.get(url, headers={"Authorization": f"Token {nb.token}"}).json()
    assert body == {"utilization": 50.0, "used": 1, "size": 2}
