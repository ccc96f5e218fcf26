"""GET /devices (docs/native-device.md): tinycontainerd with the native board file; a container
that toggles LED 0 through its declared endpoint shows up in the board's state, as JSON and as
CBOR; a container without the endpoint permission is refused at open and changes nothing.

Usage: devices_test.py TINYCONTAINERD TINYCTL BLINKER_WASM BLINKER_MANIFEST COSE_TOOL BOARD WORKDIR"""
import json
import os
import sys

import cbor2

from daemon_harness import (CT_CBOR, Daemon, Fixture, containers, get_json, install, start,
                            wait_until)


def main(daemon_bin, tinyctl, wasm, manifest, cose_tool, board, work):
    fx = Fixture(tinyctl, wasm, manifest, cose_tool, work, uids=(("blinker", 1),))
    d = Daemon(daemon_bin, os.path.join(work, "state"), fx.trust, os.path.join(work, "daemon.log"),
               board=board)
    out = d.output()
    assert "board native (" in out and "2 LEDs" in out, out
    links = d.client.get(".well-known/core", accept=40).payload.decode()
    assert '</devices>;rt="tc.devices"' in links, links

    # The same code without the "endpoint" permission: its open is denied (-1), its loop returns
    # the error, which ends it; the LED is untouched.
    mute = dict(json.load(open(manifest)), uid="mute")
    mute["permissions"] = dict(mute["permissions"], services=["log"])
    with open(os.path.join(work, "mute.json"), "w") as f:
        json.dump(mute, f)
    fx.run(tinyctl, "build", "mute.json", "--code", wasm, "--key", "op.key", "-o", "mute.tc")
    install(d.client, open(os.path.join(work, "mute.tc"), "rb").read())
    start(d.client, fx, "mute")
    wait_until(lambda: containers(d.client)["mute"]["state"] == "stopped", what="mute stopped")
    stats = {s["uid"]: s for s in get_json(d.client, "stats")["stats"]}
    assert stats["mute"]["denials"] == 1, stats
    audit = get_json(d.client, "audit")["entries"]
    assert [e["uid"] for e in audit] == ["mute"], audit
    before = get_json(d.client, "devices")
    assert [led["toggles"] for led in before["leds"]] == [0, 0], before
    print("without the endpoint permission: open denied and audited (%s), LEDs untouched" %
          audit[0]["reason"])
    install(d.client, fx.images["blinker-v1"])
    start(d.client, fx, "blinker")
    after = wait_until(lambda: (lambda s: s if s["leds"][0]["toggles"] >= 4 else None)(
        get_json(d.client, "devices")), what="LED 0 toggling")
    assert after["leds"][1]["toggles"] == 0, after
    print("LED 0 toggled %d times by the container; LED 1 untouched" % after["leds"][0]["toggles"])

    r = d.client.get("devices", accept=CT_CBOR)
    snapshot = cbor2.loads(r.payload)
    assert snapshot["board"] == "native" and len(snapshot["leds"]) == 2, snapshot
    stats = {s["uid"]: s for s in get_json(d.client, "stats")["stats"]}
    assert stats["blinker"]["denials"] == 0 and stats["blinker"]["traps"] == 0, stats
    assert d.stop() == 0
    print("PASS")


if __name__ == "__main__":
    if len(sys.argv) != 8:
        sys.exit(__doc__)
    main(*sys.argv[1:])
