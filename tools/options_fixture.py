#!/usr/bin/env python3
"""Adds the OPTIONS facts of NetBox's recorded responses to tests/fixtures/netbox-4.4-fields.json.

For every endpoint of the fixture, each POST field's label, help text and bounds
(max_length, min_value, max_value) are copied from the recorded OPTIONS response, so the
wire test can compare them.

    tools/options_fixture.py <samples dir> [fixture]
"""
import json
import pathlib
import sys

ATTRS = ("label", "help_text", "max_length", "min_value", "max_value")


def main():
    samples = pathlib.Path(sys.argv[1])
    fixture = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else "tests/fixtures/netbox-4.4-fields.json")
    data = json.loads(fixture.read_text())
    for path in sorted(samples.glob("*/*.json")):
        recorded = json.loads(path.read_text())
        endpoint = recorded.get("endpoint", "").removeprefix("/api/").rstrip("/")
        post = recorded.get("options", {}).get("body", {}).get("actions", {}).get("POST")
        spec = data.get(endpoint, {}).get("options", {}).get("post")
        if not post or not spec:
            continue
        for field, meta in spec.items():
            for attr in ATTRS:
                if attr in post.get(field, {}):
                    meta[attr] = post[field][attr]
    fixture.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
