#!/usr/bin/python3
"""CborToJson against cbor2 + json (independent implementations).

  cbor_json_check.py PROGRAM N SEED

Generates N random documents with cbor2 (integers of every size, text with escapes and non-ASCII,
bytes, nested arrays and maps with int and text keys, tags, true/false/null/undefined), runs
PROGRAM (tests/unit/cbor/cbor_to_json.cc) on them and checks that json.loads() of each answer
equals the document cbor2 decoded, mapped the documented way (bytes -> hex, int keys -> text,
tags dropped, undefined -> null). Then checks the refusals: floats, a byte-string map key,
trailing bytes, truncation, nesting deeper than 16. Exit 0 on success.
"""
import json
import random
import subprocess
import sys

from cbor2 import dumps, loads, CBORTag, undefined

TEXTS = ["", "a", "acme.sampler", "quote\"back\\slash", "tab\tnew\nline\r", "\x00\x01\x1f",
         "ünïcödé", "日本", "emoji 😀", "</script>"]


def rand_int(rng):
    bits = rng.choice([3, 5, 8, 16, 32, 63, 64])
    value = rng.getrandbits(bits)
    return value if rng.random() < 0.5 else -1 - value


def rand_item(rng, depth):
    kind = rng.randrange(9 if depth < 6 else 6)
    if kind == 0:
        return rand_int(rng)
    if kind == 1:
        return rng.choice(TEXTS) + str(rng.randrange(100))
    if kind == 2:
        return bytes(rng.getrandbits(8) for _ in range(rng.randrange(6)))
    if kind == 3:
        return rng.choice([True, False, None, undefined])
    if kind == 4:
        return CBORTag(rng.choice([6, 1000, 40000]), rand_item(rng, depth + 1))
    if kind == 5:
        return rng.choice(TEXTS)
    if kind == 6:
        return [rand_item(rng, depth + 1) for _ in range(rng.randrange(5))]
    items = {}
    for _ in range(rng.randrange(5)):
        key = rand_int(rng) if rng.random() < 0.5 else rng.choice(TEXTS) + str(rng.randrange(9))
        items[key] = rand_item(rng, depth + 1)
    return items


def expected(item):
    if isinstance(item, CBORTag):
        return expected(item.value)
    if item is undefined:
        return None
    if isinstance(item, bytes):
        return item.hex()
    if isinstance(item, list):
        return [expected(x) for x in item]
    if isinstance(item, dict):
        return {str(k): expected(v) for k, v in item.items()}
    return item


def run(program, docs):
    out = subprocess.run([program], input="".join(d.hex() + "\n" for d in docs),
                         capture_output=True, text=True, check=True).stdout
    return out.splitlines()


def main(program, n, seed):
    rng = random.Random(int(seed))
    docs = []
    for _ in range(int(n)):
        docs.append(dumps(rand_item(rng, 0)))
    failures = 0
    for doc, answer in zip(docs, run(program, docs)):
        want = expected(loads(doc))
        if answer.startswith("ERROR") or json.loads(answer) != want:
            failures += 1
            print("MISMATCH %s\n  got  %s\n  want %s" % (doc.hex(), answer, json.dumps(want)))
    refusals = {
        "fb3ff8000000000000": "ERROR unsupported",          # a float
        "a1410100": "ERROR unsupported",                  # a byte-string key
        "0000": "ERROR malformed",                        # trailing bytes
        "8301": "ERROR truncated",                        # array cut short
        "81" * 17 + "00": "ERROR resource exhausted",     # 17 levels
        "f0": "ERROR unsupported",                        # simple value 16
    }
    answers = run(program, [bytes.fromhex(h) for h in refusals])
    for (doc, want), got in zip(refusals.items(), answers):
        if got != want:
            failures += 1
            print("REFUSAL %s: got %s, want %s" % (doc, got, want))
    print("%d documents, %d refusals, %d failures" % (len(docs), len(refusals), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
