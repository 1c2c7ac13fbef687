"""Relations, tags, tree filters, errors, users/tokens and core endpoints via pynetbox."""
import json

import pynetbox
import pytest


def test_site_with_foreign_keys(nb, uid):
    tenant = nb.tenancy.tenants.create(name=f"T {uid}", slug=f"t-{uid}")
    region = nb.dcim.regions.create(name=f"R {uid}", slug=f"r-{uid}")
    group = nb.dcim.site_groups.create(name=f"G {uid}", slug=f"g-{uid}")
    site = nb.dcim.sites.create(name=f"S {uid}", slug=f"s-{uid}", status="active",
                                tenant=tenant.id, region=region.id, group=group.id)
    got = nb.dcim.sites.get(site.id)
    assert got.tenant.id == tenant.id and got.tenant.slug == tenant.slug
    assert got.region.id == region.id
    assert got.group.id == group.id
    assert got.status.value == "active"
    assert [s.id for s in nb.dcim.sites.filter(tenant_id=tenant.id)] == [site.id]
    assert [s.id for s in nb.dcim.sites.filter(tenant=tenant.slug)] == [site.id]
    # nested record is lazily fully-loadable
    assert got.tenant.name == tenant.name

    # clear a foreign key via save()
    got.tenant = None
    assert got.save() is True
    assert nb.dcim.sites.get(site.id).tenant is None


def test_location_under_site(nb, uid):
    site = nb.dcim.sites.create(name=f"S {uid}", slug=f"s-{uid}", status="active")
    parent = nb.dcim.locations.create(name=f"Floor {uid}", slug=f"floor-{uid}", site=site.id, status="active")
    child = nb.dcim.locations.create(name=f"Room {uid}", slug=f"room-{uid}", site=site.id,
                                     parent=parent.id, status="active")
    assert nb.dcim.locations.get(child.id).parent.id == parent.id
    ids = {loc.id for loc in nb.dcim.locations.filter(site_id=site.id)}
    assert ids == {parent.id, child.id}


def test_contact_assignment(nb, uid):
    site = nb.dcim.sites.create(name=f"CA site {uid}", slug=f"ca-site-{uid}", status="active")
    contact = nb.tenancy.contacts.create(name=f"CA contact {uid}", email=f"ca{uid}@example.com")
    role = nb.tenancy.contact_roles.create(name=f"CA role {uid}", slug=f"ca-role-{uid}")

    ca = nb.tenancy.contact_assignments.create(
        object_type="dcim.site", object_id=site.id, contact=contact.id, role=role.id, priority="primary")
    assert ca.id

    got = nb.tenancy.contact_assignments.get(ca.id)
    assert got.object_type == "dcim.site"
    assert got.object_id == site.id
    assert got.contact.id == contact.id
    assert got.role.id == role.id
    assert got.priority.value == "primary"

    by_obj = list(nb.tenancy.contact_assignments.filter(object_type="dcim.site", object_id=site.id))
    assert [a.id for a in by_obj] == [ca.id]
    assert [a.id for a in nb.tenancy.contact_assignments.filter(contact_id=contact.id)] == [ca.id]

    got.priority = "secondary"
    assert got.save() is True
    assert nb.tenancy.contact_assignments.get(ca.id).priority.value == "secondary"

    assert got.delete() is True
    assert nb.tenancy.contact_assignments.get(ca.id) is None


def test_site_tags(nb, uid):
    t1 = nb.extras.tags.create(name=f"Red {uid}", slug=f"red-{uid}", color="ff0000")
    t2 = nb.extras.tags.create(name=f"Blue {uid}", slug=f"blue-{uid}", color="0000ff")
    both = nb.dcim.sites.create(name=f"Tagged {uid}", slug=f"tagged-{uid}", status="active",
                                tags=[{"slug": t1.slug}])
    only_red = nb.dcim.sites.create(name=f"Red only {uid}", slug=f"red-only-{uid}", status="active",
                                    tags=[t1.id])
    nb.dcim.sites.create(name=f"Untagged {uid}", slug=f"untagged-{uid}", status="active")

    got = nb.dcim.sites.get(both.id)
    assert [t.slug for t in got.tags] == [t1.slug]

    # add a second tag via save()
    got.tags.append(t2)
    assert got.save() is True
    assert {t.slug for t in nb.dcim.sites.get(both.id).tags} == {t1.slug, t2.slug}

    assert {s.id for s in nb.dcim.sites.filter(tag=t1.slug)} == {both.id, only_red.id}
    assert {s.id for s in nb.dcim.sites.filter(tag=t2.slug)} == {both.id}
    # multiple tag values are ANDed in NetBox
    assert {s.id for s in nb.dcim.sites.filter(tag=[t1.slug, t2.slug])} == {both.id}
    assert nb.dcim.sites.count(tag=t1.slug) == 2


def test_region_tree_filter(nb, uid):
    parent = nb.dcim.regions.create(name=f"Europe {uid}", slug=f"europe-{uid}")
    child = nb.dcim.regions.create(name=f"France {uid}", slug=f"france-{uid}", parent=parent.id)
    grandchild = nb.dcim.regions.create(name=f"Paris {uid}", slug=f"paris-{uid}", parent=child.id)
    s_child = nb.dcim.sites.create(name=f"Lyon {uid}", slug=f"lyon-{uid}", status="active", region=child.id)
    s_gc = nb.dcim.sites.create(name=f"Paris DC {uid}", slug=f"paris-dc-{uid}", status="active",
                                region=grandchild.id)
    nb.dcim.sites.create(name=f"Elsewhere {uid}", slug=f"elsewhere-{uid}", status="active")

    assert nb.dcim.regions.get(child.id).parent.id == parent.id
    assert {s.id for s in nb.dcim.sites.filter(region_id=parent.id)} == {s_child.id, s_gc.id}
    assert {s.id for s in nb.dcim.sites.filter(region=parent.slug)} == {s_child.id, s_gc.id}
    assert {s.id for s in nb.dcim.sites.filter(region_id=grandchild.id)} == {s_gc.id}


def test_tenant_group_tree_filter(nb, uid):
    parent = nb.tenancy.tenant_groups.create(name=f"PG {uid}", slug=f"pg-{uid}")
    child = nb.tenancy.tenant_groups.create(name=f"CG {uid}", slug=f"cg-{uid}", parent=parent.id)
    tenant = nb.tenancy.tenants.create(name=f"Deep {uid}", slug=f"deep-{uid}", group=child.id)
    assert [t.id for t in nb.tenancy.tenants.filter(group_id=parent.id)] == [tenant.id]


def test_validation_error_raises_request_error(nb, uid):
    with pytest.raises(pynetbox.RequestError) as exc:
        nb.dcim.sites.create(name=f"No slug {uid}")
    assert exc.value.req.status_code == 400
    assert "slug" in exc.value.error
    assert "This field is required." in exc.value.error

    with pytest.raises(pynetbox.RequestError) as exc:
        nb.dcim.sites.create(name=f"Bad {uid}", slug=f"bad-{uid}", status="bogus")
    assert exc.value.req.status_code == 400
    assert "status" in exc.value.error and "not a valid choice" in exc.value.error

    nb.tenancy.tenants.create(name=f"Dup {uid}", slug=f"dup-{uid}")
    with pytest.raises(pynetbox.RequestError) as exc:
        nb.tenancy.tenants.create(name=f"Dup2 {uid}", slug=f"dup-{uid}")
    assert exc.value.req.status_code == 400
    # NetBox 4.4's words for its top-level tenant constraint, under Django's key.
    assert json.loads(exc.value.error) == {
        "__all__": ["Constraint “tenancy_tenant_unique_slug” is violated."]}

    nb.dcim.sites.create(name=f"Dup {uid}", slug=f"dup-{uid}")
    with pytest.raises(pynetbox.RequestError) as exc:
        nb.dcim.sites.create(name=f"Dup2 {uid}", slug=f"dup-{uid}")
    assert json.loads(exc.value.error) == {"slug": ["site with this slug already exists."]}


def test_bad_token_rejected(server):
    api = pynetbox.api(server["url"], token="0" * 40)
    with pytest.raises(pynetbox.RequestError) as exc:
        list(api.dcim.sites.all())
    assert exc.value.req.status_code == 403


def test_tokens(nb, server, uid):
    user = nb.users.users.create(username=f"tok-{uid}", password="S3cret-pass-123", is_superuser=True)
    token = nb.users.tokens.create(user=user.id, write_enabled=True, description="compat")
    assert token.id and len(token.key) == 40
    assert [t.id for t in nb.users.tokens.filter(user_id=user.id)] == [token.id]

    # the new token works for a real pynetbox client
    other = pynetbox.api(server["url"], token=token.key)
    made = other.tenancy.tenants.create(name=f"By token {uid}", slug=f"by-token-{uid}")
    assert nb.tenancy.tenants.get(made.id).slug == f"by-token-{uid}"

    got = nb.users.tokens.get(token.id)
    got.description = "changed"
    assert got.save() is True
    assert nb.users.tokens.get(token.id).description == "changed"
    assert got.delete() is True
    assert nb.users.tokens.get(token.id) is None
    with pytest.raises(pynetbox.RequestError) as exc:
        other.tenancy.tenants.count()
    assert exc.value.req.status_code == 403


def test_user_group_membership(nb, uid):
    group = nb.users.groups.create(name=f"ops-{uid}")
    user = nb.users.users.create(username=f"member-{uid}", password="S3cret-pass-123", groups=[group.id])
    got = nb.users.users.get(user.id)
    assert [g.id for g in got.groups] == [group.id]
    assert [u.id for u in nb.users.users.filter(group_id=group.id)] == [user.id]


def test_object_types(nb):
    ot = nb.core.object_types.get(app_label="dcim", model="site")
    assert ot is not None
    assert ot.rest_api_endpoint == "/api/dcim/sites/"
    assert nb.core.object_types.get(ot.id).model == "site"
    models = {(o.app_label, o.model) for o in nb.core.object_types.all()}
    assert {("tenancy", "tenant"), ("dcim", "region"), ("extras", "tag")} <= models


def test_object_changes(nb, uid):
    tenant = nb.tenancy.tenants.create(name=f"Logged {uid}", slug=f"logged-{uid}")
    tenant.description = "edited"
    tenant.save()
    changes = list(nb.core.object_changes.filter(changed_object_type="tenancy.tenant",
                                                 changed_object_id=tenant.id))
    actions = sorted(c.action.value for c in changes)
    assert actions == ["create", "update"]
    update = next(c for c in changes if c.action.value == "update")
    assert update.postchange_data["description"] == "edited"
    assert update.user_name == "admin"


@pytest.mark.parametrize("app,ep", [("dcim", "regions"), ("dcim", "site_groups"),
                                    ("tenancy", "tenant_groups"), ("tenancy", "contact_groups")])
def test_nested_group_parent_vs_ancestor(nb, uid, app, ep):
    endpoint = getattr(getattr(nb, app), ep)
    a = endpoint.create(name=f"A {uid}", slug=f"a-{uid}")
    b = endpoint.create(name=f"B {uid}", slug=f"b-{uid}", parent=a.id)
    c = endpoint.create(name=f"C {uid}", slug=f"c-{uid}", parent=b.id)
    # NetBox: parent/parent_id = direct children only
    assert {r.id for r in endpoint.filter(parent_id=a.id)} == {b.id}
    assert {r.id for r in endpoint.filter(parent=a.slug)} == {b.id}
    # ancestor/ancestor_id = all descendants, excluding the node itself
    assert {r.id for r in endpoint.filter(ancestor_id=a.id)} == {b.id, c.id}
    assert {r.id for r in endpoint.filter(ancestor=a.slug)} == {b.id, c.id}
