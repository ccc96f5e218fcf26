#!/usr/bin/python3
"""Differential CBOR testing against Debian's python3-cbor2 (an independent implementation).

  cbor2_docs.py generate N SEED OUT   random documents encoded by cbor2 (canonical=True), one per
                                      line as "<hex>\t<tokens>", for the C++ reader/writer to match
  cbor2_docs.py check PROGRAM N SEED  runs PROGRAM (the C++ writer) and checks that cbor2 decodes each
                                      document to the described items and re-encodes it identically

Tokens (same format as the C++ Describe()): u:N n:N b:HEX t:HEX A:N M:N T:N s:N f:HEX(double bits).
Uses cbor2's pure-Python encoder/decoder (see the note at the imports). Map keys are ints in [-24, 23] and short text strings, where RFC 8949 bytewise key order and cbor2's
length-first canonical order agree.
"""
import math
import random
import struct
import subprocess
import sys

# The pure-Python codec: Debian 12's C-accelerated cbor2 5.4.6 encodes floats of 32768 and above
# as singles even when a half is exact (65504.0 -> fa477fe000, RFC 8949 Appendix A says f97bff).
from cbor2.decoder import loads
from cbor2.encoder import dumps
from cbor2.types import CBORSimpleValue, CBORTag, undefined

# Tag numbers cbor2 gives no meaning to, so it hands them back as CBORTag.
TAGS = list(range(6, 21)) + [1000, 1001, 40000, 65535, 65536, 2**32 + 5]


def rand_float(rng):
    kind = rng.randrange(6)
    if kind == 0:
        value = struct.unpack('>e', rng.getrandbits(16).to_bytes(2, 'big'))[0]
    elif kind == 1:
        value = struct.unpack('>f', rng.getrandbits(32).to_bytes(4, 'big'))[0]
    elif kind == 2:
        value = struct.unpack('>d', rng.getrandbits(64).to_bytes(8, 'big'))[0]
    else:
        value = rng.choice([0.0, -0.0, 1.5, float('inf'), float('-inf'), 1e300, 1.1])
    # cbor2 writes every NaN as f97e00, so only the one quiet NaN has a single expected form.
    return float('nan') if math.isnan(value) else value


def rand_text(rng, max_len):
    alphabet = 'abcXYZ09 "\\\u00fc\u6c34\U0001f600\u07ff\uffff'
    return ''.join(rng.choice(alphabet) for _ in range(rng.randrange(max_len + 1)))


def rand_int(rng):
    bits = rng.choice([4, 5, 8, 9, 16, 17, 32, 33, 63, 64])
    value = rng.getrandbits(bits)
    return value if rng.random() < 0.5 else -1 - value


def rand_doc(rng, depth):
    choices = ['int', 'bytes', 'text', 'float', 'simple']
    if depth < 5:
        choices += ['array', 'map', 'tag']
    kind = rng.choice(choices)
    if kind == 'int':
        return rand_int(rng)
    if kind == 'bytes':
        return bytes(rng.getrandbits(8) for _ in range(rng.choice([0, 1, 5, 23, 24, 300])))
    if kind == 'text':
        return rand_text(rng, rng.choice([3, 30, 300]))
    if kind == 'float':
        return rand_float(rng)
    if kind == 'simple':
        value = rng.choice([0, 19, 32, 100, 255, -1, -2, -3, -4])
        return {-1: False, -2: True, -3: None, -4: undefined}.get(value, None) \
            if value < 0 else CBORSimpleValue(value)
    if kind == 'array':
        return [rand_doc(rng, depth + 1) for _ in range(rng.choice([0, 1, 3, 24]))]
    if kind == 'map':
        out = {}
        for _ in range(rng.choice([0, 1, 4, 10])):
            key = rng.randrange(-24, 24) if rng.random() < 0.5 else rand_text(rng, 8)
            out[key] = rand_doc(rng, depth + 1)
        return out
    return CBORTag(rng.choice(TAGS), rand_doc(rng, depth + 1))


def tokens(obj, out):
    if obj is True or obj is False:
        out.append('s:%d' % (21 if obj else 20))
    elif obj is None:
        out.append('s:22')
    elif obj is undefined:
        out.append('s:23')
    elif isinstance(obj, CBORSimpleValue):
        out.append('s:%d' % obj.value)
    elif isinstance(obj, int):
        out.append('u:%d' % obj if obj >= 0 else 'n:%d' % (-1 - obj))
    elif isinstance(obj, float):
        out.append('f:' + struct.pack('>d', obj).hex())
    elif isinstance(obj, bytes):
        out.append('b:' + obj.hex())
    elif isinstance(obj, str):
        out.append('t:' + obj.encode('utf-8').hex())
    elif isinstance(obj, list):
        out.append('A:%d' % len(obj))
        for item in obj:
            tokens(item, out)
    elif isinstance(obj, dict):
        out.append('M:%d' % len(obj))
        for key in sorted(obj, key=lambda k: dumps(k, canonical=True)):
            tokens(key, out)
            tokens(obj[key], out)
    elif isinstance(obj, CBORTag):
        out.append('T:%d' % obj.tag)
        tokens(obj.value, out)
    else:
        raise TypeError(type(obj))
    return out


def generate(count, seed, path):
    rng = random.Random(seed)
    with open(path, 'w') as f:
        for _ in range(count):
            doc = rand_doc(rng, 0)
            f.write('%s\t%s\n' % (dumps(doc, canonical=True).hex(), ' '.join(tokens(doc, []))))


def check(program, count, seed):
    lines = subprocess.run([program, str(count), str(seed)], check=True, capture_output=True,
                           text=True).stdout.splitlines()
    if len(lines) != count:
        sys.exit('expected %d documents, got %d' % (count, len(lines)))
    failures = 0
    for number, line in enumerate(lines):
        hex_doc, described = line.split('\t')
        data = bytes.fromhex(hex_doc)
        obj = loads(data)
        problems = []
        if ' '.join(tokens(obj, [])) != described:
            problems.append('decoded items differ from the C++ description')
        if dumps(obj, canonical=True) != data:
            problems.append('cbor2 canonical re-encoding differs')
        if problems:
            failures += 1
            if failures <= 5:
                print('document %d (%s): %s' % (number, hex_doc[:80], '; '.join(problems)))
    print('%d documents from the C++ writer checked with cbor2, %d failures' % (count, failures))
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    if sys.argv[1] == 'generate':
        generate(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    else:
        check(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
