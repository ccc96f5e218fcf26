#!/usr/bin/python3
"""Bytes of .text and .rodata each part of the device-side verify path contributes to a linked
firmware, read from its GNU ld map file (input sections kept after --gc-sections).
Usage: verify-path-size.py FIRMWARE.map"""
import collections
import re
import sys

# (part, archive, object-name prefix); the first match wins.
PARTS = [
    ("cbor reader", "libtc_cbor.a", ""),
    ("sha-2 + hmac", "libtc_crypto.a", "sha"),
    ("sha-2 + hmac", "libtc_crypto.a", "hmac"),
    ("sha-2 + hmac", "libtc_crypto.a", "block_buffer"),
    ("ed25519", "libtc_crypto.a", ""),
    ("metadata decoder", "libtc_image.a", "metadata_"),
    ("cose + trust + image verifier", "libtc_image.a", ""),
    ("base (format)", "libtc_base.a", ""),
]
VERIFY_PATH = ["cbor reader", "sha-2 + hmac", "ed25519", "cose + trust + image verifier"]


def part_of(owner):
    for part, archive, prefix in PARTS:
        m = re.search(re.escape(archive) + r"\(([^)]*)\)", owner)
        if m and m.group(1).startswith(prefix):
            return part
    return "other (test, port, libc, libgcc)"


def main(path):
    lines = open(path).read().split("\n")
    start = next(i for i, l in enumerate(lines) if l.startswith("Linker script and memory map"))
    sizes = collections.defaultdict(collections.Counter)
    pending = None
    for line in lines[start:]:
        m = re.match(r"^ \.(text|rodata)\S*\s*$", line)
        if m:
            pending = m.group(1)
            continue
        m = re.match(r"^ (?:\.(text|rodata)\S*)?\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S+)$", line)
        kind = (m.group(1) or pending) if m else None
        pending = None
        if kind:
            sizes[part_of(m.group(3))][kind] += int(m.group(2), 16)
    print("%-34s %8s %8s" % ("part", ".text", ".rodata"))
    for part in dict.fromkeys([p for p, _, _ in PARTS] + list(sizes)):
        print("%-34s %8d %8d" % (part, sizes[part]["text"], sizes[part]["rodata"]))
    text = sum(sizes[p]["text"] for p in VERIFY_PATH)
    rodata = sum(sizes[p]["rodata"] for p in VERIFY_PATH)
    meta = sizes["metadata decoder"]
    print("verify path (CBOR + SHA-2/HMAC + Ed25519 + COSE + verifier): .text %d B (%.1f KiB), "
          ".rodata %d B" % (text, text / 1024, rodata))
    print("  + metadata decoder/validator: .text %d B (%.1f KiB), .rodata %d B"
          % (text + meta["text"], (text + meta["text"]) / 1024, rodata + meta["rodata"]))


if __name__ == "__main__":
    main(sys.argv[1])
