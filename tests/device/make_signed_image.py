#!/usr/bin/python3
"""Builds a real signed container image for the on-target verifier test, independently of tinyctl
(python3-cbor2 + python3-cryptography): a fresh Ed25519 key generated at build time (never stored
in the source tree), metadata with the code/data SHA-256, COSE_Sign1 over the standard
Sig_structure, and the TCIM image layout. Writes a C++ include with the image and the public key.
Usage: make_signed_image.py OUT.inc
"""
import hashlib
import os
import sys

import cbor2
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def array(name, data):
    body = ",".join("0x%02x" % b for b in data)
    return "const uint8_t %s[] = {%s};\n" % (name, body)


def main(out):
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    kid = b"dev-op"
    code = bytes((i * 13 + 5) & 0xff for i in range(700))
    data = os.urandom(300)
    metadata = {
        0: 1, 1: "sampler", 2: 3, 3: 0,
        4: {0: "tc_init", 1: "tc_loop", 2: "tc_stop"},
        5: {0: 16384, 1: 2048, 2: 512, 3: 4},
        6: {0: 5, 1: 50000, 2: 2000, 3: 40000, 4: 1000, 5: 0, 6: 3},
        7: {0: 0b10011, 1: [{0: 1, 1: [0, 2, 0x48], 2: 0}], 2: 0},
        8: 1798761600, 9: kid,
        10: hashlib.sha256(code).digest(), 11: len(code),
        12: hashlib.sha256(data).digest(), 13: len(data),
    }
    payload = cbor2.dumps(metadata, canonical=True)
    protected = cbor2.dumps({1: -8, 3: 65000, 4: kid})
    signature = key.sign(cbor2.dumps(["Signature1", protected, b"", payload]))
    cose = cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, signature]))
    image = b"TCIM" + bytes([1, 0]) + len(cose).to_bytes(2, "big") + cose + code + data
    with open(out, "w") as f:
        f.write("// Generated at build time by make_signed_image.py; do not edit.\n")
        f.write(array("kSignedImage", image))
        f.write(array("kPublicKey", public))
        f.write(array("kKid", kid))
        f.write("constexpr size_t kCodeOffset = %d;\n" % (8 + len(cose)))
        f.write("constexpr size_t kDataOffset = %d;\n" % (8 + len(cose) + len(code)))
        f.write("constexpr size_t kSignatureOffset = %d;\n" % (8 + len(cose) - 64))


if __name__ == "__main__":
    main(sys.argv[1])
