"""Generic create / read / filter / update / delete / bulk-create checks via pynetbox."""
import pytest


def _site(nb, u):
    return nb.dcim.sites.create(name=f"Loc site {u}", slug=f"loc-site-{u}", status="active")


# (app, endpoint attribute, payload factory, lookup field, field to update, new value)
SPECS = [
    ("tenancy", "tenant_groups", lambda nb, u: {"name": f"TG {u}", "slug": f"tg-{u}"}, "slug", "description", "changed"),
    ("tenancy", "tenants", lambda nb, u: {"name": f"Tenant {u}", "slug": f"tenant-{u}"}, "slug", "description", "changed"),
    ("tenancy", "contact_groups", lambda nb, u: {"name": f"CG {u}", "slug": f"cg-{u}"}, "slug", "description", "changed"),
    ("tenancy", "contact_roles", lambda nb, u: {"name": f"CR {u}", "slug": f"cr-{u}"}, "slug", "description", "changed"),
    ("tenancy", "contacts", lambda nb, u: {"name": f"Contact {u}", "email": f"c{u}@example.com"}, "name", "phone", "+1 555 0100"),
    ("dcim", "regions", lambda nb, u: {"name": f"Region {u}", "slug": f"region-{u}"}, "slug", "description", "changed"),
    ("dcim", "site_groups", lambda nb, u: {"name": f"SG {u}", "slug": f"sg-{u}"}, "slug", "description", "changed"),
    ("dcim", "sites", lambda nb, u: {"name": f"Site {u}", "slug": f"site-{u}", "status": "active"}, "slug", "status", "planned"),
    ("dcim", "locations", lambda nb, u: {"name": f"Loc {u}", "slug": f"loc-{u}", "site": _site(nb, u).id, "status": "active"}, "slug", "description", "changed"),
    ("extras", "tags", lambda nb, u: {"name": f"Tag {u}", "slug": f"tag-{u}", "color": "ff0000"}, "slug", "color", "00ff00"),
    ("users", "groups", lambda nb, u: {"name": f"group-{u}"}, "name", "description", "changed"),
    ("users", "users", lambda nb, u: {"username": f"user-{u}", "password": "S3cret-pass-123"}, "username", "first_name", "Alice"),
]
IDS = [f"{s[0]}.{s[1]}" for s in SPECS]


def _field(record, name):
    value = getattr(record, name)
    # choice fields (e.g. status) come back as {"value": ..., "label": ...}
    return getattr(value, "value", value)


@pytest.mark.parametrize("app,ep,factory,key,field,new", SPECS, ids=IDS)
def test_crud_roundtrip(nb, uid, app, ep, factory, key, field, new):
    endpoint = getattr(getattr(nb, app), ep)
    payload = factory(nb, uid)

    obj = endpoint.create(payload)
    assert isinstance(obj.id, int) and obj.id > 0
    assert getattr(obj, key) == payload[key]
    assert obj.url.endswith(f"/{obj.id}/")

    # get by id
    got = endpoint.get(obj.id)
    assert got is not None and got.id == obj.id
    assert getattr(got, key) == payload[key]

    # get by kwargs
    got = endpoint.get(**{key: payload[key]})
    assert got is not None and got.id == obj.id

    # filter
    found = list(endpoint.filter(**{key: payload[key]}))
    assert [r.id for r in found] == [obj.id]
    assert endpoint.count(**{key: payload[key]}) == 1
    assert list(endpoint.filter(**{key: payload[key] + "-does-not-exist"})) == []

    # update via save()
    setattr(got, field, new)
    assert got.save() is True
    again = endpoint.get(obj.id)
    assert _field(again, field) == new
    assert getattr(again, key) == payload[key]

    # save() without changes is a no-op returning False
    assert again.save() is False

    # delete
    assert again.delete() is True
    assert endpoint.get(obj.id) is None


@pytest.mark.parametrize("app,ep,factory,key,field,new", SPECS, ids=IDS)
def test_bulk_create(nb, uid, app, ep, factory, key, field, new):
    endpoint = getattr(getattr(nb, app), ep)
    payloads = [factory(nb, uid + "a"), factory(nb, uid + "b")]
    created = endpoint.create(payloads)
    assert isinstance(created, list) and len(created) == 2
    ids = [r.id for r in created]
    assert len(set(ids)) == 2 and all(isinstance(i, int) for i in ids)
    assert [getattr(r, key) for r in created] == [p[key] for p in payloads]
    fetched = {r.id: getattr(r, key) for r in endpoint.filter(id=ids)}
    assert fetched == {r.id: p[key] for r, p in zip(created, payloads)}

    # bulk delete through pynetbox RecordSet.delete()
    assert endpoint.filter(id=ids).delete() is True
    assert endpoint.count(id=ids) == 0


def test_choices(nb):
    site_choices = nb.dcim.sites.choices()
    assert "status" in site_choices
    values = {c["value"] for c in site_choices["status"]}
    assert {"active", "planned", "retired"} <= values
    labels = {c["value"]: c["display_name"] for c in site_choices["status"]}
    assert labels["active"] == "Active"

    loc_values = {c["value"] for c in nb.dcim.locations.choices()["status"]}
    assert "active" in loc_values

    prio = {c["value"] for c in nb.tenancy.contact_assignments.choices()["priority"]}
    assert {"primary", "secondary", "tertiary", "inactive"} <= prio


def test_status_and_version(nb):
    status = nb.status()
    assert status["netbox-version"].startswith("4.4")
    assert nb.version == "4.4"
