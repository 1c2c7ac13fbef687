"""The netbox.netbox Ansible collection against Cairn: every module for the served models
builds a small site, a second run changes nothing, `nb_lookup` reads it back, and the
modules' `state: absent` removes it all."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PLAYBOOKS = Path(__file__).resolve().parent / "ansible"
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"

pytestmark = pytest.mark.skipif(
    not ANSIBLE_PLAYBOOK.exists(), reason="ansible is not installed in this environment"
)


def play(server, tmp_path, playbook, *extra):
    env = dict(os.environ)
    env.update(
        ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"),
        ANSIBLE_HOME=str(tmp_path / "ansible-home"),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_LOCALHOST_WARNING="False",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="False",
    )
    res = subprocess.run(
        [str(ANSIBLE_PLAYBOOK), "-i", "localhost,", str(PLAYBOOKS / playbook),
         # The modules need pynetbox: run them with this interpreter.
         "-e", f"ansible_python_interpreter={sys.executable}",
         "-e", f"netbox_url={server['url']}", "-e", f"netbox_token={server['token']}", *extra],
        env=env, capture_output=True, text=True, timeout=900,
    )
    recap = re.search(r"localhost\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)",
                      res.stdout)
    assert res.returncode == 0 and recap, res.stdout[-6000:] + res.stderr[-3000:]
    ok, changed, unreachable, failed = map(int, recap.groups())
    assert unreachable == 0 and failed == 0, res.stdout[-6000:]
    return ok, changed, res.stdout


def test_playbook_builds_reruns_unchanged_and_tears_down(server, nb, tmp_path):
    ok, changed, _ = play(server, tmp_path, "build.yml")
    assert changed > 60

    device = nb.dcim.devices.get(name="ans-leaf-1")
    assert device.primary_ip.address == "10.99.0.1/24"
    assert device.virtual_chassis.name == "ans-vc" and device.vc_position == 1
    assert {t.name for t in device.tags} == {"ans-tag"}
    uplink = nb.dcim.interfaces.get(device_id=device.id, name="xe-0/0/1")
    assert uplink.mode.value == "tagged" and [v.vid for v in uplink.tagged_vlans] == [200]
    assert uplink.count_fhrp_groups == 1

    # The collection compares every field it sent with what Cairn answers: nothing to do.
    ok_again, changed_again, out = play(server, tmp_path, "build.yml", "-e", "rerun=true")
    assert changed_again == 0, out[-6000:]
    assert ok_again == ok

    _, removed, _ = play(server, tmp_path, "teardown.yml")
    assert removed > 60
    for endpoint, query in [
        (nb.dcim.sites, {"slug": "ans-site"}),
        (nb.dcim.devices, {"name__isw": "ans-"}),
        (nb.dcim.device_types, {"model__isw": "ans-"}),
        (nb.dcim.racks, {"name__isw": "ans-"}),
        (nb.dcim.mac_addresses, {"mac_address": "02:a5:b1:00:00:99"}),
        (nb.ipam.ip_addresses, {"address": "10.99.0.1/24"}),
        (nb.ipam.prefixes, {"prefix": "10.99.0.0/24"}),
        (nb.ipam.vlans, {"name__isw": "ans-"}),
        (nb.ipam.vrfs, {"name": "ans-vrf"}),
        (nb.tenancy.tenants, {"slug": "ans-tenant"}),
        (nb.tenancy.contacts, {"name": "ans-alice"}),
        (nb.extras.tags, {"slug": "ans-tag"}),
        (nb.extras.custom_fields, {"name": "ans_tier"}),
        (nb.users.users, {"username": "ans-bob"}),
    ]:
        assert endpoint.count(**query) == 0, (endpoint.url, query)
