"""Custom fields defined at run time, through pynetbox: definitions, values on objects,
filters, and saving records whose custom fields changed."""
import pynetbox
import pytest


def test_custom_field_lifecycle(nb, uid):
    tiers = nb.extras.custom_field_choice_sets.create(
        name=f"tiers-{uid}", extra_choices=[["gold", "Gold"], ["silver", "Silver"]])
    assert tiers.choices_count == 2
    tier = nb.extras.custom_fields.create(
        name=f"tier_{uid}", type="select", object_types=["tenancy.contactgroup"], choice_set=tiers.id)
    size = nb.extras.custom_fields.create(
        name=f"size_{uid}", type="integer", object_types=["tenancy.contactgroup"],
        validation_minimum=1, default=3)
    try:
        assert tier.type.value == "select" and tier.object_types == ["tenancy.contactgroup"]
        group = nb.tenancy.contact_groups.create(name=f"CG {uid}", slug=f"cg-{uid}",
                                                 custom_fields={tier.name: "gold"})
        got = nb.tenancy.contact_groups.get(group.id)
        assert got.custom_fields == {tier.name: "gold", size.name: 3}

        got.custom_fields[size.name] = 7
        assert got.save() is True
        assert nb.tenancy.contact_groups.get(group.id).custom_fields[size.name] == 7
        found = nb.tenancy.contact_groups.filter(**{f"cf_{size.name}": 7})
        assert [g.id for g in found] == [group.id]

        with pytest.raises(pynetbox.RequestError) as exc:
            nb.tenancy.contact_groups.create(name=f"CG2 {uid}", slug=f"cg2-{uid}",
                                             custom_fields={size.name: 0})
        assert exc.value.req.status_code == 400
        assert "Value must be at least 1" in str(exc.value.error)
    finally:
        tier.delete()
        size.delete()
        tiers.delete()
    assert nb.tenancy.contact_groups.get(group.id).custom_fields == {}
