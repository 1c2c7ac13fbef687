"""Pagination beyond NetBox's 1,000-object MAX_PAGE_SIZE."""
import requests

N = 1050


def test_pagination_over_1000(nb, server, uid):
    group = nb.tenancy.tenant_groups.create(name=f"Bulk {uid}", slug=f"bulk-{uid}")
    batch = 350
    for start in range(0, N, batch):
        created = nb.tenancy.tenants.create([
            {"name": f"Bulk {uid} {i:04d}", "slug": f"bulk-{uid}-{i:04d}", "group": group.id}
            for i in range(start, min(start + batch, N))
        ])
        assert len(created) == min(batch, N - start)

    assert nb.tenancy.tenants.count(group_id=group.id) == N
    ids = [t.id for t in nb.tenancy.tenants.filter(group_id=group.id)]
    assert len(ids) == N and len(set(ids)) == N

    total = nb.tenancy.tenants.count()
    assert total >= N
    everything = list(nb.tenancy.tenants.all())
    assert len(everything) == total
    assert len({t.id for t in everything}) == total

    # explicit page size
    paged = list(nb.tenancy.tenants.filter(group_id=group.id, limit=400))
    assert len({t.id for t in paged}) == N

    # limit=0 / oversize limits are capped at MAX_PAGE_SIZE (1000) with a next link
    headers = {"Authorization": f"Token {server['token']}", "Accept": "application/json"}
    r = requests.get(f"{server['url']}/api/tenancy/tenants/", params={"group_id": group.id, "limit": 0},
                     headers=headers, timeout=30)
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == N
    assert len(body["results"]) == 1000
    assert body["next"] is not None

    r = requests.get(body["next"], headers=headers, timeout=30)
    assert r.status_code == 200
    assert len(r.json()["results"]) == N - 1000
    assert r.json()["next"] is None
