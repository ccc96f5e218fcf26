"""Hostile datagrams against tinycontainerd (issue 7: answered or dropped, never a crash): random
bytes, truncated headers, reserved token lengths and option nibbles, options running past the end,
unknown critical options, huge Block1/Block2 numbers, out-of-order and foreign uploads, wrong
Content-Formats and garbage images. After each one a probe GET /status must be answered, and every
reply that came before the probe must be a well-formed RST or a 4.xx/5.xx (or a 2.31 Continue for
an upload's first block). Finally nothing was installed and the daemon exits 0 on SIGTERM.

Usage: malformed_coap_test.py TINYCONTAINERD TINYCTL TICKER_WASM MANIFEST COSE_TOOL WORKDIR"""
import os
import random
import socket
import struct
import sys

from daemon_harness import (CT_CBOR, CT_IMAGE, CT_JSON, OPT_ACCEPT, OPT_BLOCK1, OPT_BLOCK2,
                            OPT_CONTENT_FORMAT, OPT_URI_PATH, POST, GET, Daemon, Fixture,
                            containers, decode_options, encode_options, message, uint_bytes)

PROBE_MID = 0xBEEF


def cases(image):
    rnd = random.Random(7)
    path = lambda p: [(OPT_URI_PATH, s.encode()) for s in p.split("/")]
    yield "empty datagram", b""
    for n in (1, 2, 3):
        yield "truncated header (%d bytes)" % n, b"\x40\x01\x12"[:n]
    yield "version 2", b"\x80\x01\x12\x34"
    yield "version 0", b"\x00\x01\x12\x34"
    for tkl in (9, 15):
        yield "token length %d" % tkl, bytes([0x40 | tkl, 1, 0, 1]) + b"\0" * tkl
    yield "token cut short", b"\x48\x01\x00\x02abc"
    yield "option delta nibble 15", b"\x40\x01\x00\x03\xf1x"
    yield "option length nibble 15", b"\x40\x01\x00\x04\xbfstatus"
    yield "option value past the end", b"\x40\x01\x00\x05\xb6sta"
    yield "extended delta cut short", b"\x40\x01\x00\x06\xd0"
    yield "extended length cut short", b"\x40\x01\x00\x07\xbe\x01"
    yield "option number above 65535", b"\x40\x01\x00\x08\xe0\xff\xff\x00"
    yield "payload marker without payload", b"\x40\x01\x00\x09\xbbstatus\xff"
    yield "empty message with payload", b"\x40\x00\x00\x0a\xffx"
    yield "CON ping", b"\x40\x00\x00\x0b"
    yield "response code in a request", message(0x45, 12, b"t", path("status"))
    yield "ACK from a client", b"\x60\x01\x00\x0d"
    yield "RST from a client", b"\x70\x00\x00\x0e"
    yield "NON garbage options", b"\x50\x01\x00\x0f\xf0"
    yield "unknown critical option", message(GET, 16, b"t", path("status") + [(9, b"x")])
    yield "unknown method", message(0x07, 17, b"t", path("status"))
    yield "unknown path", message(GET, 18, b"t", path("no/such/thing"))
    # A GET body has no meaning (RFC 7252 §5.5): answered like any GET, 2.05.
    yield "1400-byte datagram", message(GET, 19, b"t", path("status"), os.urandom(1380))
    yield "Accept 0", message(GET, 20, b"t", path("status") + [(OPT_ACCEPT, b"")])
    yield "Block2 number 2^20-1", message(GET, 21, b"t", path("containers") +
                                          [(OPT_BLOCK2, uint_bytes((1 << 20) - 1 << 4 | 4))])
    yield "Block2 4-byte value", message(GET, 22, b"t", path("status") + [(OPT_BLOCK2, b"\1\2\3\4")])
    yield "Block2 SZX 7", message(GET, 23, b"t", path("status") + [(OPT_BLOCK2, b"\x07")])
    for num in ((1 << 20) - 1, 1 << 19, 4096):
        yield "Block1 number %d" % num, message(
            POST, 24, b"t", path("install") + [(OPT_CONTENT_FORMAT, uint_bytes(CT_IMAGE)),
                                               (OPT_BLOCK1, uint_bytes(num << 4 | 8 | 4))],
            b"\0" * 256)
    yield "Block1 SZX 6", message(POST, 25, b"t", path("install") + [
        (OPT_CONTENT_FORMAT, uint_bytes(CT_IMAGE)), (OPT_BLOCK1, b"\x0e")], b"\0" * 1024)
    yield "Block1 wrong block size", message(POST, 26, b"t", path("install") + [
        (OPT_CONTENT_FORMAT, uint_bytes(CT_IMAGE)), (OPT_BLOCK1, b"\x0c")], b"\0" * 100)
    yield "install first block", message(POST, 27, b"t", path("install") + [
        (OPT_CONTENT_FORMAT, uint_bytes(CT_IMAGE)), (OPT_BLOCK1, b"\x0c")], image[:256])
    yield "install block 5 out of order", message(POST, 28, b"t", path("install") + [
        (OPT_CONTENT_FORMAT, uint_bytes(CT_IMAGE)), (OPT_BLOCK1, b"\x5c")], image[256:512])
    yield "install with JSON content format", message(POST, 29, b"t", path("install") + [
        (OPT_CONTENT_FORMAT, uint_bytes(CT_JSON))], image[:200])
    yield "install of garbage", message(POST, 30, b"t", path("install") + [
        (OPT_CONTENT_FORMAT, uint_bytes(CT_IMAGE))], os.urandom(200))
    truncated = image[:len(image) // 2]
    yield "install of a truncated image", message(POST, 31, b"t", path("install") + [
        (OPT_CONTENT_FORMAT, uint_bytes(CT_IMAGE))], truncated[:250])
    yield "command of garbage CBOR", message(POST, 32, b"t", path("command") + [
        (OPT_CONTENT_FORMAT, uint_bytes(CT_CBOR))], b"\xa1\x01\x9f\xff\xff")
    yield "container query without uid", message(GET, 33, b"t", path("container"))
    for i in range(300):
        yield "random datagram %d" % i, bytes(rnd.randrange(256) for _ in range(rnd.randrange(64)))
    for i in range(300):
        # Random mutations of a valid request, with the probe's message id avoided.
        valid = bytearray(message(GET, 40 + i, b"tk", path("containers") +
                                  [(OPT_ACCEPT, uint_bytes(CT_JSON))]))
        for _ in range(rnd.randrange(1, 4)):
            valid[rnd.randrange(len(valid))] = rnd.randrange(256)
        yield "mutated request %d" % i, bytes(valid)


def check_reply(name, data):
    assert len(data) >= 4 and data[0] >> 6 == 1, "%s: malformed reply %r" % (name, data)
    kind, code = data[0] >> 4 & 3, data[1]
    if kind == 3:
        assert code == 0, "%s: RST with a code" % name
        return "RST"
    tkl = data[0] & 15
    decode_options(data, 4 + tkl)
    text = "%d.%02d" % (code >> 5, code & 31)
    return text


def main(daemon_bin, tinyctl, wasm, manifest, cose_tool, work):
    fx = Fixture(tinyctl, wasm, manifest, cose_tool, work)
    d = Daemon(daemon_bin, os.path.join(work, "state"), fx.trust, os.path.join(work, "daemon.log"))
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(3)
    probe = message(GET, PROBE_MID, b"pr", [(OPT_URI_PATH, b"status"), (OPT_ACCEPT, b"\x32")])
    outcomes = {}
    count = 0
    for name, datagram in cases(fx.images["ticker-v1"]):
        sock.sendto(datagram, ("127.0.0.1", d.port))
        sock.sendto(probe, ("127.0.0.1", d.port))
        replies = []
        while True:
            try:
                data = sock.recv(4096)
            except socket.timeout:
                raise AssertionError("%s: no answer to the probe; daemon alive: %s\n%s" %
                                     (name, d.alive(), d.output()))
            if len(data) >= 4 and struct.unpack(">H", data[2:4])[0] == PROBE_MID and data[1] == 0x45:
                break
            replies.append(check_reply(name, data))
        assert len(replies) <= 1, "%s: %d replies" % (name, len(replies))
        outcome = replies[0] if replies else "dropped"
        if not name.startswith(("random", "mutated", "install first block", "Accept 0", "1400")):
            assert outcome == "RST" or outcome == "dropped" or outcome[0] in "45", \
                "%s: answered %s" % (name, outcome)
        outcomes.setdefault(outcome, 0)
        outcomes[outcome] += 1
        count += 1
        if not name.startswith(("random", "mutated")):
            print("%-34s -> %s" % (name, outcome))
    assert d.alive()
    assert containers(d.client) == {}, "a hostile datagram installed something"
    assert d.stop() == 0, d.output()
    print("PASS: %d hostile datagrams, each answered or dropped: %s" % (count, sorted(outcomes.items())))


if __name__ == "__main__":
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    main(*sys.argv[1:])
