#!/usr/bin/python3
"""Independent COSE (RFC 9052) implementation for interop with tinyctl and the device verifier.

Uses only Debian's python3-cbor2 and python3-cryptography and builds the Sig_structure /
MAC_structure itself:
  verify IMAGE_OR_COSE PUBFILE       check a tinyctl image (or a signed config update):
                                     signature/MAC over the standard structure, code/data SHA-256
  resign IMAGE OUT KEYFILE           re-sign an image's metadata with kid in the UNPROTECTED header
  sign-config OUT KEYFILE UID SEQ    a config update encoded and signed here
  sign-command OUT KEYFILE UID ACTION SEQ
                                     a signed command (docs/management-api.md) encoded here
Exit 0 on success, 1 with a message on failure.
"""
import hashlib
import hmac
import json
import sys

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (Ed25519PrivateKey,
                                                               Ed25519PublicKey)

MAGIC = b"TCIM"
CT_METADATA = 65000
CT_CONFIG = 65001
CT_COMMAND = 65002


def fail(message):
    print("cose_interop: " + message, file=sys.stderr)
    sys.exit(1)


def to_be_signed(tag, protected, payload):
    context = "Signature1" if tag == 18 else "MAC0"
    return cbor2.dumps([context, protected, b"", payload])


def load_json(path):
    with open(path) as f:
        return json.load(f)


def split_image(blob):
    if blob[:4] != MAGIC or blob[4] != 1:
        fail("not a TCIM v1 image")
    size = int.from_bytes(blob[6:8], "big")
    return blob[8:8 + size], blob[8 + size:]


def verify_cose(envelope, pub, content_type):
    obj = cbor2.loads(envelope)
    if not isinstance(obj, cbor2.CBORTag) or obj.tag not in (17, 18):
        fail("not a tagged COSE_Sign1/COSE_Mac0")
    protected, unprotected, payload, tag = obj.value
    headers = cbor2.loads(protected) if protected else {}
    kid = headers.get(4, unprotected.get(4))
    if kid != bytes.fromhex(pub["kid"]):
        fail("kid %s is not the key's %s" % (kid.hex() if kid else None, pub["kid"]))
    if headers.get(3) != content_type:
        fail("content type %r" % headers.get(3))
    message = to_be_signed(obj.tag, protected, payload)
    key = bytes.fromhex(pub["key"])
    if obj.tag == 18:
        if headers.get(1) != -8 or pub["alg"] != "EdDSA":
            fail("alg is not EdDSA")
        try:
            Ed25519PublicKey.from_public_bytes(key).verify(tag, message)
        except InvalidSignature:
            fail("Ed25519 signature does not verify")
    else:
        if headers.get(1) != 5 or pub["alg"] != "HMAC256/256":
            fail("alg is not HMAC 256/256")
        if not hmac.compare_digest(hmac.new(key, message, hashlib.sha256).digest(), tag):
            fail("HMAC tag does not verify")
    return payload


def cmd_verify(path, pub_path):
    blob = open(path, "rb").read()
    pub = load_json(pub_path)
    if blob[:4] != MAGIC:
        update = cbor2.loads(verify_cose(blob, pub, CT_CONFIG))
        print("python verified config update for %s sequence %d" % (update[1], update[2]))
        return
    envelope, rest = split_image(blob)
    metadata = cbor2.loads(verify_cose(envelope, pub, CT_METADATA))
    code_size, data_size = metadata[11], metadata.get(13, 0)
    if len(rest) != code_size + data_size:
        fail("image length does not match code_size + data_size")
    if hashlib.sha256(rest[:code_size]).digest() != metadata[10]:
        fail("code SHA-256 mismatch")
    if 12 in metadata and hashlib.sha256(rest[code_size:]).digest() != metadata[12]:
        fail("data SHA-256 mismatch")
    print("python verified image %s v%d" % (metadata[1], metadata[2]))


def sign(key, content_type, payload):
    """A COSE object with kid in the unprotected header (the device must accept either place)."""
    kid = bytes.fromhex(key["kid"])
    secret = bytes.fromhex(key["secret"])
    if key["alg"] == "EdDSA":
        tag, alg = 18, -8
    else:
        tag, alg = 17, 5
    protected = cbor2.dumps({1: alg, 3: content_type})
    message = to_be_signed(tag, protected, payload)
    if tag == 18:
        signature = Ed25519PrivateKey.from_private_bytes(secret).sign(message)
    else:
        signature = hmac.new(secret, message, hashlib.sha256).digest()
    return cbor2.dumps(cbor2.CBORTag(tag, [protected, {4: kid}, payload, signature]))


def cmd_resign(path, out, key_path):
    envelope, rest = split_image(open(path, "rb").read())
    payload = cbor2.loads(envelope).value[2]
    cose = sign(load_json(key_path), CT_METADATA, payload)
    with open(out, "wb") as f:
        f.write(MAGIC + bytes([1, 0]) + len(cose).to_bytes(2, "big") + cose + rest)


def cmd_sign_config(out, key_path, uid, sequence):
    schedule = {0: 3, 1: 20000, 2: 1000, 3: 0, 4: 0, 5: 1, 6: 2}
    update = cbor2.dumps({0: 1, 1: uid, 2: int(sequence), 3: schedule}, canonical=True)
    with open(out, "wb") as f:
        f.write(sign(load_json(key_path), CT_CONFIG, update))


def cmd_sign_command(out, key_path, uid, action, sequence):
    command = cbor2.dumps({1: uid, 2: int(action), 3: int(sequence)}, canonical=True)
    with open(out, "wb") as f:
        f.write(sign(load_json(key_path), CT_COMMAND, command))


def main(argv):
    commands = {"verify": (cmd_verify, 2), "resign": (cmd_resign, 3),
                "sign-config": (cmd_sign_config, 4), "sign-command": (cmd_sign_command, 5)}
    if len(argv) < 2 or argv[1] not in commands or len(argv) - 2 != commands[argv[1]][1]:
        print(__doc__, file=sys.stderr)
        return 2
    commands[argv[1]][0](*argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
