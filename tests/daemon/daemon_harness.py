"""Shared by the tinycontainerd tests: start/stop the daemon, and a small CoAP client (RFC 7252
CON requests, Block1 uploads and Block2 downloads per RFC 7959) with short timeouts, so a test
notices at once when the daemon has died."""
import json
import os
import random
import re
import signal
import socket
import struct
import subprocess
import time

GET, POST = 1, 2
OPT_URI_PATH, OPT_CONTENT_FORMAT, OPT_URI_QUERY, OPT_ACCEPT = 11, 12, 15, 17
OPT_BLOCK2, OPT_BLOCK1, OPT_SIZE1 = 23, 27, 60
CT_JSON, CT_CBOR, CT_IMAGE = 50, 60, 42


class DaemonDied(Exception):
    pass


class Daemon:
    """One tinycontainerd process; output goes to a file the test can read."""

    def __init__(self, binary, state, trust, log_path, env=None, extra=(), board=""):
        self.log_path = log_path
        self.log = open(log_path, "w")
        full_env = dict(os.environ)
        full_env.pop("TC_CRASH_AT_STEP", None)
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            [binary, "--state", state, "--trust", trust, "--port", "0", "--board", board] +
            list(extra), stdout=self.log, stderr=subprocess.STDOUT, env=full_env)
        self.port = None
        deadline = time.time() + 10
        while time.time() < deadline:
            m = re.search(r"listening on udp://127\.0\.0\.1:(\d+)", self.output())
            if m:
                self.port = int(m.group(1))
                break
            if self.proc.poll() is not None:
                raise DaemonDied("daemon exited %d at start:\n%s" % (self.proc.returncode, self.output()))
            time.sleep(0.01)
        if self.port is None:
            self.proc.kill()
            raise DaemonDied("daemon did not report its port:\n" + self.output())
        self.client = Client(self.port, self)

    def output(self):
        with open(self.log_path) as f:
            return f.read()

    def alive(self):
        return self.proc.poll() is None

    def wait(self, timeout=10):
        try:
            return self.proc.wait(timeout)
        finally:
            self.log.close()

    def stop(self):
        """SIGTERM; returns the exit code."""
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
        return self.wait()


class Response:
    def __init__(self, code, options, payload):
        self.code = code
        self.options = options
        self.payload = payload

    def code_text(self):
        return "%d.%02d" % (self.code >> 5, self.code & 31)

    def json(self):
        return json.loads(self.payload.decode())


def encode_options(options):
    out = bytearray()
    last = 0
    for number, value in sorted(options, key=lambda o: o[0]):
        delta, length = number - last, len(value)
        last = number

        def nibble(n):
            if n < 13:
                return n, b""
            if n < 269:
                return 13, bytes([n - 13])
            return 14, struct.pack(">H", n - 269)
        dn, dx = nibble(delta)
        ln, lx = nibble(length)
        out += bytes([dn << 4 | ln]) + dx + lx + value
    return bytes(out)


def decode_options(data, at):
    options = []
    number = 0
    while at < len(data) and data[at] != 0xFF:
        delta, length = data[at] >> 4, data[at] & 15
        at += 1
        for which in ("delta", "length"):
            n = delta if which == "delta" else length
            if n == 13:
                n = data[at] + 13
                at += 1
            elif n == 14:
                n = struct.unpack(">H", data[at:at + 2])[0] + 269
                at += 2
            if which == "delta":
                delta = n
            else:
                length = n
        number += delta
        options.append((number, data[at:at + length]))
        at += length
    payload = data[at + 1:] if at < len(data) else b""
    return options, payload


def uint_bytes(n):
    return n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""


def message(code, mid, token, options, payload=b""):
    head = bytes([0x40 | len(token), code]) + struct.pack(">H", mid) + token
    return head + encode_options(options) + (b"\xff" + payload if payload else b"")


class Client:
    def __init__(self, port, daemon=None, timeout=2.0):
        self.address = ("127.0.0.1", port)
        self.daemon = daemon
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.settimeout(0.1)
        self.timeout = timeout
        self.mid = random.randrange(1 << 16)

    def exchange(self, code, options, payload=b""):
        self.mid = (self.mid + 1) & 0xFFFF
        token = os.urandom(4)
        self.sock.sendto(message(code, self.mid, token, options, payload), self.address)
        deadline = time.time() + self.timeout
        while time.time() < deadline:
            try:
                data = self.sock.recv(2048)
            except socket.timeout:
                if self.daemon is not None and not self.daemon.alive():
                    raise DaemonDied("daemon exited %d" % self.daemon.proc.returncode)
                continue
            if len(data) < 4 or struct.unpack(">H", data[2:4])[0] != self.mid:
                continue
            tkl = data[0] & 15
            options_out, body = decode_options(data, 4 + tkl)
            return Response(data[1], options_out, body)
        if self.daemon is not None and not self.daemon.alive():
            raise DaemonDied("daemon exited %d" % self.daemon.proc.returncode)
        raise TimeoutError("no answer from the daemon")

    @staticmethod
    def path_options(path):
        path, _, query = path.partition("?")
        options = [(OPT_URI_PATH, p.encode()) for p in path.strip("/").split("/") if p]
        options += [(OPT_URI_QUERY, q.encode()) for q in query.split("&") if q]
        return options

    def get(self, path, accept=CT_JSON):
        """GET, following Block2; the whole body."""
        body, num = b"", 0
        while True:
            options = self.path_options(path) + [(OPT_ACCEPT, uint_bytes(accept))]
            if num:
                options.append((OPT_BLOCK2, uint_bytes(num << 4 | 4)))
            r = self.exchange(GET, options)
            block2 = [v for n, v in r.options if n == OPT_BLOCK2]
            body += r.payload
            if not block2 or not (int.from_bytes(block2[0], "big") & 8):
                r.payload = body
                return r
            num = (int.from_bytes(block2[0], "big") >> 4) + 1

    def post(self, path, payload, content_format, accept=CT_JSON):
        """POST in 256-byte Block1 blocks; the final response."""
        blocks = [payload[i:i + 256] for i in range(0, len(payload), 256)] or [b""]
        for num, block in enumerate(blocks):
            options = self.path_options(path) + [(OPT_CONTENT_FORMAT, uint_bytes(content_format)),
                                                 (OPT_ACCEPT, uint_bytes(accept))]
            if len(blocks) > 1:
                more = 8 if num + 1 < len(blocks) else 0
                options.append((OPT_BLOCK1, uint_bytes(num << 4 | more | 4)))
                if num == 0:
                    options.append((OPT_SIZE1, uint_bytes(len(payload))))
            r = self.exchange(POST, options, block)
            if num + 1 < len(blocks) and r.code != (2 << 5 | 31):
                return r
        return r


def get_json(client, path):
    """GET path as JSON. The management resources render each Block2 block afresh, so a body
    longer than one block can mix two moments (a state name changing length between blocks);
    such a body does not parse and is fetched again."""
    for _ in range(5):
        r = client.get(path)
        assert r.code == (2 << 5 | 5), r.code_text() + " " + r.payload.decode(errors="replace")
        try:
            return r.json()
        except ValueError:
            continue
    raise AssertionError("GET /%s: no consistent body in 5 tries" % path)


def containers(client):
    """{uid: entry} from GET /containers."""
    return {c["uid"]: c for c in get_json(client, "containers")["containers"]}


def wait_until(condition, timeout=5.0, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("timed out waiting for " + what)


class Fixture:
    """Keys and signed images in a work directory: an operator key in trust/, the test container
    under each (uid, version) of `uids`, and signed commands."""

    def __init__(self, tinyctl, wasm, manifest, cose_tool, work,
                 uids=(("ticker", 1), ("ticker", 2), ("other", 1))):
        self.tinyctl, self.cose_tool, self.work = tinyctl, cose_tool, work
        subprocess.run(["rm", "-rf", work], check=True)
        os.makedirs(os.path.join(work, "trust"))
        self.run(tinyctl, "keygen", "op", "--role", "operator")
        subprocess.run(["cp", "op.pub", "trust/"], cwd=work, check=True)
        self.trust = os.path.join(work, "trust")
        base = json.load(open(manifest))
        self.images = {}
        for uid, version in uids:
            m = dict(base, uid=uid, version=version)
            name = "%s-v%d" % (uid, version)
            with open(os.path.join(work, name + ".json"), "w") as f:
                json.dump(m, f)
            self.run(tinyctl, "build", name + ".json", "--code", wasm, "--key", "op.key",
                     "-o", name + ".tc")
            self.images[name] = open(os.path.join(work, name + ".tc"), "rb").read()

    def run(self, *argv):
        r = subprocess.run(list(argv), cwd=self.work, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("%s failed: %s%s" % (argv, r.stdout, r.stderr))
        return r.stdout

    def command(self, uid, action, sequence):
        """A signed command (0 start, 1 stop, 2 suspend, 3 resume, 4 remove)."""
        out = os.path.join(self.work, "cmd-%s-%d-%d.cose" % (uid, action, sequence))
        self.run("/usr/bin/python3", self.cose_tool, "sign-command", out, "op.key", uid,
                 str(action), str(sequence))
        return open(out, "rb").read()


def install(client, image):
    r = client.post("install", image, CT_IMAGE)
    assert r.code == (2 << 5 | 1), "install: %s %s" % (r.code_text(), r.payload)
    return r.json()


def configure(client, fixture, uid, priority, period):
    """A signed config update (tinyctl sign-config) that changes the schedule."""
    sequence = get_json(client, "status")["seq"] + 1
    path = os.path.join(fixture.work, "cfg-%s-%d.json" % (uid, sequence))
    with open(path, "w") as f:
        json.dump({"uid": uid, "sequence": sequence,
                   "schedule": {"priority": priority, "period_us": period}}, f)
    fixture.run(fixture.tinyctl, "sign-config", path, "--key", "op.key", "-o", path + ".cose")
    r = client.post("config", open(path + ".cose", "rb").read(), CT_CBOR)
    assert r.code == (2 << 5 | 4), "config: %s %s" % (r.code_text(), r.payload)


def start(client, fixture, uid):
    sequence = get_json(client, "status")["seq"] + 1
    r = client.post("command", fixture.command(uid, 0, sequence), CT_CBOR)
    assert r.code == (2 << 5 | 4), "start: %s %s" % (r.code_text(), r.payload)
