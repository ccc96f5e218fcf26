"""GET /devices (docs/native-device.md): tinycontainerd with the native board file; a container
that toggles LED 0 through its declared endpoint shows up in the board's state, as JSON and as
CBOR; a container without the endpoint permission is refused at open and changes nothing. Stopping
the blinker (it has a tc_stop) is acknowledged at once and answered with a separate CON response
once it has stopped, which the daemon retransmits until the client acknowledges or resets it.

Usage: devices_test.py TINYCONTAINERD TINYCTL BLINKER_WASM BLINKER_MANIFEST COSE_TOOL BOARD WORKDIR"""
import json
import os
import struct
import sys
import time

import cbor2

from daemon_harness import (CT_CBOR, CT_JSON, OPT_ACCEPT, OPT_CONTENT_FORMAT, POST, Daemon,
                            Fixture, containers, decode_options, get_json, install, message, start,
                            uint_bytes, wait_until)

CON, ACK, RST = 0, 2, 3


def receive(sock, timeout):
    """The next datagram as (type, code, mid, token, payload, bytes)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            data = sock.recv(2048)
        except OSError:
            continue
        tkl = data[0] & 15
        _, payload = decode_options(data, 4 + tkl)
        return (data[0] >> 4 & 3, data[1], struct.unpack(">H", data[2:4])[0], data[4:4 + tkl],
                payload, data)
    raise AssertionError("nothing received in %.1f s" % timeout)


def stop_separately(client, fx):
    sequence = get_json(client, "status")["seq"] + 1
    options = client.path_options("command") + [(OPT_CONTENT_FORMAT, uint_bytes(CT_CBOR)),
                                                 (OPT_ACCEPT, uint_bytes(CT_JSON))]
    client.sock.sendto(message(POST, 0x5100, b"stop", options, fx.command("blinker", 1, sequence)),
                       client.address)
    kind, code, mid, token, _, _ = receive(client.sock, 2)
    assert (kind, code, mid, token) == (ACK, 0, 0x5100, b""), (kind, code, mid, token)
    kind, code, mid, token, payload, first = receive(client.sock, 2)
    assert (kind, code, token) == (CON, 2 << 5 | 4, b"stop"), (kind, code, token)
    assert json.loads(payload) == {"uid": "blinker", "state": "stopped"}, payload
    assert containers(client)["blinker"]["state"] == "stopped"
    sent = time.time()
    again = receive(client.sock, 4)[5]  # not acknowledged: ACK_TIMEOUT 2..3 s later, again
    assert again == first and 1.5 < time.time() - sent < 3.5, (again, time.time() - sent)
    client.sock.sendto(bytes([0x70, 0, mid >> 8, mid & 0xFF]), client.address)  # RST: gone
    print("stop: empty ACK, then CON 2.04 state stopped, retransmitted after %.1f s until RST" %
          (time.time() - sent))


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
    stop_separately(d.client, fx)
    assert d.stop() == 0
    assert "0 separate responses unacknowledged" in d.output(), d.output()
    print("PASS")


if __name__ == "__main__":
    if len(sys.argv) != 8:
        sys.exit(__doc__)
    main(*sys.argv[1:])
