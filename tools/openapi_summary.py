#!/usr/bin/env python3
"""Summarize an OpenAPI document (NetBox's, or Cairn's /api/schema/) as the facts Cairn's
test compares: each path's operation ids, each list's query parameter names with their
types, and each schema's property names with their types.

    tools/openapi_summary.py netbox-openapi.json core dcim extras ipam tenancy users \
        status schema > crates/cairn-api/tests/api/netbox_openapi.txt

Only paths of the apps named (and the schemas they reach) are kept.
"""
import json
import sys


def coarse(s):
    if "$ref" in s or "allOf" in s:
        return "object"
    if "oneOf" in s:
        return "ref"
    t = s.get("type", "any")
    if t == "array":
        items = s.get("items", {})
        return "array/" + (coarse(items) if items else "any")
    return t


def main():
    doc = json.load(open(sys.argv[1]))
    apps = set(sys.argv[2:])
    out = []
    todo = []
    for path in sorted(doc["paths"]):
        parts = path.split("/")
        if len(parts) < 3 or parts[2] not in apps:
            continue
        ops = doc["paths"][path]
        line = " ".join(
            f"{m}={op['operationId']}" for m, op in sorted(ops.items()) if isinstance(op, dict)
        )
        out.append(f"path {path} {line}")
        get = ops.get("get")
        if get and "{" not in path:
            params = sorted(
                f"{p['name']}:{coarse(p.get('schema', {}))}"
                for p in get.get("parameters", [])
                if p.get("in") == "query"
            )
            out.append(f"params {path} {' '.join(params)}")
        todo.append(json.dumps(ops))
    schemas = doc["components"]["schemas"]
    seen = set()
    while todo:
        text = todo.pop()
        for ref in text.split('"#/components/schemas/')[1:]:
            name = ref.split('"')[0]
            if name not in seen and name in schemas:
                seen.add(name)
                todo.append(json.dumps(schemas[name]))
    for name in sorted(seen):
        props = schemas[name].get("properties", {})
        fields = " ".join(f"{k}:{coarse(v)}" for k, v in props.items())
        out.append(f"schema {name} {fields}")
    print("\n".join(out))


main()
