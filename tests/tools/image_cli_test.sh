#!/usr/bin/env bash
# Signed images through the real binaries: tinyctl keygen/build/sign/sign-config/inspect/verify,
# interop with an independent Python COSE implementation in both directions, every single-byte
# change of an image rejected with a specific reason, and each bad-input class of PRODUCT §7.
# Usage: image_cli_test.sh TINYCTL WORKDIR MANIFEST_DIR
set -u
source "$(dirname "$0")/../lib/expect.sh"
tinyctl=$1
work=$2
manifests=$(cd "$3" && pwd)
py=/usr/bin/python3
interop=$(cd "$(dirname "$0")" && pwd)/cose_interop.py

rm -rf "$work" && mkdir -p "$work/trust" && cd "$work" || exit 1


# Dev keys live only in this build directory.
expect keygen-operator 0 'role operator, alg EdDSA' -- "$tinyctl" keygen op --role operator
expect keygen-tenant 0 'role tenant' -- "$tinyctl" keygen acme --role tenant --uid-prefix acme.
expect keygen-hmac 0 'HMAC256/256' -- "$tinyctl" keygen mac --role operator --hmac --kid mac-1
expect keygen-stranger 0 'kid' -- "$tinyctl" keygen stranger --role operator
expect keygen-no-overwrite 1 'exists' -- "$tinyctl" keygen op --role operator
expect keygen-tenant-needs-prefix 1 'uid-prefix' -- "$tinyctl" keygen t2 --role tenant
expect keygen-bad-role 2 'role' -- "$tinyctl" keygen x --role admin
expect secret-mode-0600 0 '^600$' -- stat -c %a op.key
cp op.pub acme.pub mac.pub trust/

head -c 40 /dev/urandom >code.wasm
head -c 24 /dev/urandom >data.bin
cp "$manifests/sampler.json" sampler.json
sed 's/"uid": "sampler"/"uid": "acme.sampler"/' sampler.json >acme.json

expect build 0 'built img.tc: sampler v3' -- "$tinyctl" build sampler.json --code code.wasm --data data.bin --key op.key -o img.tc
expect verify 0 'verified img.tc: sampler v3' -- "$tinyctl" verify img.tc --trust trust --now 1700000000
expect verify-chunk-1 0 'verified' -- "$tinyctl" verify img.tc --trust trust --now 1700000000 --chunk 1
expect build-mac0 0 'built' -- "$tinyctl" build sampler.json --code code.wasm --key mac.key -o mac.tc
expect verify-mac0 0 'HMAC256/256' -- "$tinyctl" verify mac.tc --trust trust --now 1700000000
expect build-tenant 0 'built' -- "$tinyctl" build acme.json --code code.wasm --key acme.key -o acme.tc
expect verify-tenant 0 'acme.sampler v3.*tenant' -- "$tinyctl" verify acme.tc --trust trust --now 1700000000
expect build-tenant-foreign-uid 1 'may not sign uid "sampler"' -- "$tinyctl" build sampler.json --code code.wasm --key acme.key -o x.tc
expect build-manifest-error 1 'schedule.priority' -- "$tinyctl" build <(sed 's/"priority": 5/"priority": 99/' sampler.json) --code code.wasm --key op.key -o x.tc
expect build-usage 2 'code' -- "$tinyctl" build sampler.json --key op.key -o x.tc

# inspect --json parses and shows every metadata field.
expect inspect-human 0 'schedule:.*period_us' -- "$tinyctl" inspect img.tc
"$tinyctl" inspect --json img.tc >inspect.json
expect inspect-json-every-field 0 'all fields' -- "$py" -c '
import json, sys
j = json.load(open("inspect.json"))
m = j["metadata"]
need = ["format", "uid", "version", "runtime", "entry", "quotas", "schedule", "permissions",
        "not_after", "signer_kid", "code_sha256", "code_size", "data_sha256", "data_size"]
missing = [k for k in need if k not in m]
missing += ["quotas." + k for k in ["memory_limit", "stack_bytes", "kv_bytes", "max_handles"] if k not in m["quotas"]]
missing += ["schedule." + k for k in ["priority", "period_us", "budget_us", "deadline_us", "slice_us", "on_overrun", "max_restarts"] if k not in m["schedule"]]
missing += ["permissions." + k for k in ["services", "endpoints", "on_violation"] if k not in m["permissions"]]
assert not missing, missing
assert j["envelope"]["kid"] == m["signer_kid"] and j["code"]["sha256_matches_metadata"]
assert m["code_size"] == 40 and m["data_size"] == 24 and m["uid"] == "sampler"
print("all fields")'
# The optional per-container log rate goes through build and shows in inspect (both forms).
sed 's/"max_handles": 4/"max_handles": 4, "log_lines_per_s": 20, "log_burst": 50/' sampler.json >lograte.json
expect build-log-rate 0 'built' -- "$tinyctl" build lograte.json --code code.wasm --key op.key -o lograte.tc
expect inspect-log-rate 0 '"log_burst":50' -- "$tinyctl" inspect lograte.tc
expect inspect-json-log-rate 0 '"log_lines_per_s": 20' -- "$tinyctl" inspect --json lograte.tc
expect inspect-no-log-rate 0 'absent' -- bash -c '"$0" inspect --json img.tc | grep -q log_burst || echo absent' "$tinyctl"
expect build-log-rate-half 1 'quotas.log_burst: required field missing' -- "$tinyctl" build <(sed 's/"max_handles": 4/"max_handles": 4, "log_lines_per_s": 20/' sampler.json) --code code.wasm --key op.key -o x.tc
expect build-log-rate-zero-burst 1 'quotas.log_burst: must be at least 1' -- "$tinyctl" build <(sed 's/"max_handles": 4/"max_handles": 4, "log_lines_per_s": 20, "log_burst": 0/' sampler.json) --code code.wasm --key op.key -o x.tc

# Interop: we sign -> Python verifies; Python signs (kid unprotected) -> we verify.
expect python-verifies-sign1 0 'python verified image sampler v3' -- "$py" "$interop" verify img.tc op.pub
expect python-verifies-mac0 0 'python verified image' -- "$py" "$interop" verify mac.tc mac.pub
expect python-resigns-sign1 0 '' -- "$py" "$interop" resign img.tc py.tc op.key
expect we-verify-python-sign1 0 'verified py.tc' -- "$tinyctl" verify py.tc --trust trust --now 1700000000
expect python-resigns-mac0 0 '' -- "$py" "$interop" resign mac.tc pymac.tc mac.key
expect we-verify-python-mac0 0 'verified pymac.tc' -- "$tinyctl" verify pymac.tc --trust trust --now 1700000000
expect python-signs-with-wrong-key 0 '' -- "$py" "$interop" resign img.tc wrong.tc stranger.key
expect we-reject-wrong-key 1 'rejected: (unknown-key|kid-mismatch)' -- "$tinyctl" verify wrong.tc --trust trust

# Config updates.
expect sign-config 0 'sampler sequence 1' -- "$tinyctl" sign-config "$manifests/sampler-config.json" --key op.key -o cfg.cose
expect sign-config-tenant-refused 1 'operator key' -- "$tinyctl" sign-config "$manifests/sampler-config.json" --key acme.key -o x.cose
expect verify-config 0 'verified config update cfg.cose: sampler sequence 1' -- "$tinyctl" verify cfg.cose --trust trust --last-sequence 0
expect verify-config-replay 1 'rejected: rolled-back' -- "$tinyctl" verify cfg.cose --trust trust --last-sequence 1
expect python-verifies-config 0 'python verified config update for sampler sequence 1' -- "$py" "$interop" verify cfg.cose op.pub
expect python-signs-config 0 '' -- "$py" "$interop" sign-config pycfg.cose op.key sampler 9
expect we-verify-python-config 0 'sequence 9, schedule' -- "$tinyctl" verify pycfg.cose --trust trust --last-sequence 8
expect inspect-config-json 0 '"sequence": 9' -- "$tinyctl" inspect --json pycfg.cose
expect sign-resigns-image 0 're-signed' -- "$tinyctl" sign img.tc --key mac.key -o resigned.tc
expect verify-resigned 0 'HMAC256/256' -- "$tinyctl" verify resigned.tc --trust trust --now 1700000000

# Bad input (PRODUCT §7), each with its own reason.
head -c $(($(stat -c %s img.tc) - 10)) img.tc >truncated.tc
cp img.tc trailing.tc && printf 'x' >>trailing.tc
mkdir -p other-trust && cp acme.pub other-trust/
expect truncated 1 'rejected: truncated: image ends inside the data' -- "$tinyctl" verify truncated.tc --trust trust --now 1700000000
expect trailing 1 'rejected: trailing-bytes' -- "$tinyctl" verify trailing.tc --trust trust --now 1700000000
expect oversized 1 'rejected: oversized' -- "$tinyctl" verify img.tc --trust trust --now 1700000000 --max-code 39
expect expired 1 'rejected: expired' -- "$tinyctl" verify img.tc --trust trust --now 1900000000
expect rolled-back 1 'rejected: rolled-back' -- "$tinyctl" verify img.tc --trust trust --now 1700000000 --installed-version 3
expect unknown-kid 1 'rejected: unknown-key' -- "$tinyctl" verify img.tc --trust other-trust
expect not-an-image 1 'rejected: bad-magic' -- "$tinyctl" verify sampler.json --trust trust
mkdir -p bad-trust && echo '{"kid": "zz", "role": "operator", "alg": "EdDSA", "key": "00"}' >bad-trust/x.pub
expect bad-trust-entry 1 'x.pub: kid: not a hex string' -- "$tinyctl" verify img.tc --trust bad-trust
sed 's/"role": "operator"/"role": "root"/' op.pub >bad-trust/x.pub
expect bad-trust-role 1 'x.pub: role: expected' -- "$tinyctl" verify img.tc --trust bad-trust
expect inspect-garbage 1 'neither an image nor a signed config update' -- "$tinyctl" inspect sampler.json
expect verify-usage 2 'trust' -- "$tinyctl" verify img.tc

# Every single-byte change of the image is rejected with a specific reason.
expect every-byte-tampered 0 'all [0-9]+ single-byte changes rejected' -- "$py" -c '
import collections, re, subprocess, sys
tinyctl = sys.argv[1]
image = open("img.tc", "rb").read()
reasons = collections.Counter()
for i in range(len(image)):
    t = bytearray(image)
    t[i] ^= 0xff
    open("tampered.tc", "wb").write(t)
    r = subprocess.run([tinyctl, "verify", "tampered.tc", "--trust", "trust", "--now", "1700000000"],
                       capture_output=True, text=True)
    m = re.search(r"rejected: ([a-z-]+): ", r.stderr)
    if r.returncode != 1 or not m:
        sys.exit("byte %d: exit %d %s" % (i, r.returncode, r.stderr))
    reasons[m.group(1)] += 1
print("all %d single-byte changes rejected: %s" % (len(image), dict(reasons)))' "$tinyctl"

echo "all checks ran"
finish
