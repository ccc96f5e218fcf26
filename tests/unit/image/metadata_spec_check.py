#!/usr/bin/python3
"""Checks metadata encoded by the C++ codec against docs/metadata.cddl, independently: cbor2's
pure-Python decoder parses each document and this script's own transcription of the CDDL checks
keys, types, ranges and deterministic encoding (cbor2 canonical re-encoding must be identical).

Usage: metadata_samples EXAMPLES_DIR | metadata_spec_check.py
"""
import sys

from cbor2.decoder import loads
from cbor2.encoder import dumps

U8, U32, U64 = 0xff, 0xffffffff, 0xffffffffffffffff


def uint(v, lo=0, hi=U64):
    return isinstance(v, int) and not isinstance(v, bool) and lo <= v <= hi


def uid(v):
    ok_chars = set('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-')
    return isinstance(v, str) and 1 <= len(v) <= 32 and v[0].isalnum() and set(v) <= ok_chars


def entry_name(v):
    return isinstance(v, str) and 1 <= len(v) <= 31 and all('!' <= c <= '~' for c in v)


def bstr(v, lo, hi):
    return isinstance(v, bytes) and lo <= len(v) <= hi


def check_map(value, spec, path, problems):
    """spec: key -> (name, required, predicate)."""
    if not isinstance(value, dict):
        problems.append('%s: not a map' % path)
        return
    for key, (name, required, _) in spec.items():
        if required and key not in value:
            problems.append('%s.%s (key %d): missing' % (path, name, key))
    for key, item in value.items():
        if not uint(key):
            problems.append('%s: key %r is not an unsigned integer' % (path, key))
        elif key >= 256:
            continue
        elif key not in spec:
            problems.append('%s: unknown key %d' % (path, key))
        elif not spec[key][2](item, '%s.%s' % (path, spec[key][0]), problems):
            problems.append('%s.%s (key %d): bad value %r' % (path, spec[key][0], key, item))


def sub(spec):
    def check(v, path, problems):
        check_map(v, spec, path, problems)
        return True
    return check


def simple(pred):
    return lambda v, path, problems: pred(v)


SCHEDULE = {
    0: ('priority', True, simple(lambda v: uint(v, 0, 31))),
    1: ('period_us', True, simple(lambda v: uint(v, 0, U32))),
    2: ('budget_us', True, simple(lambda v: uint(v, 0, U32))),
    3: ('deadline_us', True, simple(lambda v: uint(v, 0, U32))),
    4: ('slice_us', True, simple(lambda v: uint(v, 0, U32))),
    5: ('on_overrun', True, simple(lambda v: uint(v, 0, 2))),
    6: ('max_restarts', True, simple(lambda v: uint(v, 0, U8))),
}


def peer(v):
    if not isinstance(v, list) or len(v) != 3:
        return False
    if v[0] == 0:
        return uint(v[1], 0, 5) and uint(v[2], 0, U32)
    return v[0] == 1 and uid(v[1]) and uint(v[2], 0, U8)


ENDPOINT = {
    0: ('id', True, simple(lambda v: uint(v, 0, U8))),
    1: ('peer', True, simple(peer)),
    2: ('direction', True, simple(lambda v: uint(v, 0, 2))),
}


def endpoints(v, path, problems):
    if not isinstance(v, list) or len(v) > 8:
        return False
    for i, e in enumerate(v):
        check_map(e, ENDPOINT, '%s[%d]' % (path, i), problems)
    return len({e.get(0) for e in v}) == len(v)


PERMISSIONS = {
    0: ('services', True, simple(lambda v: uint(v, 0, 1023))),
    1: ('endpoints', True, endpoints),
    2: ('on_violation', True, simple(lambda v: uint(v, 0, 1))),
}
ENTRY = {k: (n, False, simple(entry_name)) for k, n in enumerate(['init', 'loop', 'stop', 'start'])}
QUOTAS = {
    0: ('memory_limit', True, simple(lambda v: uint(v, 1, U32))),
    1: ('stack_bytes', True, simple(lambda v: uint(v, 1, U32))),
    2: ('kv_bytes', True, simple(lambda v: uint(v, 0, U32))),
    3: ('max_handles', True, simple(lambda v: uint(v, 0, U8))),
    4: ('log_lines_per_s', False, simple(lambda v: uint(v, 0, 1000000))),
    5: ('log_burst', False, simple(lambda v: uint(v, 1, 1000000))),
}
METADATA = {
    0: ('format', True, simple(lambda v: v == 1)),
    1: ('uid', True, simple(uid)),
    2: ('version', True, simple(lambda v: uint(v, 0, U32))),
    3: ('runtime', True, simple(lambda v: uint(v, 0, 1))),
    4: ('entry', True, sub(ENTRY)),
    5: ('quotas', True, sub(QUOTAS)),
    6: ('schedule', True, sub(SCHEDULE)),
    7: ('permissions', True, sub(PERMISSIONS)),
    8: ('not_after', False, simple(uint)),
    9: ('signer_kid', True, simple(lambda v: bstr(v, 1, 16))),
    10: ('code_sha256', True, simple(lambda v: bstr(v, 32, 32))),
    11: ('code_size', True, simple(lambda v: uint(v, 1, U32))),
    12: ('data_sha256', False, simple(lambda v: bstr(v, 32, 32))),
    13: ('data_size', False, simple(lambda v: uint(v, 0, U32))),
}
CONFIG_UPDATE = {
    0: ('format', True, simple(lambda v: v == 1)),
    1: ('uid', True, simple(uid)),
    2: ('sequence', True, simple(lambda v: uint(v, 1))),
    3: ('schedule', False, sub(SCHEDULE)),
    4: ('permissions', False, sub(PERMISSIONS)),
}


def main():
    checked = 0
    failures = 0
    for line in sys.stdin:
        kind, hex_doc = line.split()
        data = bytes.fromhex(hex_doc)
        doc = loads(data)
        problems = []
        if dumps(doc, canonical=True) != data:
            problems.append('not in deterministic (canonical) form')
        if kind == 'metadata':
            check_map(doc, METADATA, 'metadata', problems)
            if isinstance(doc, dict) and (12 in doc) != (13 in doc):
                problems.append('data_sha256 and data_size must go together')
            quotas = doc.get(5) if isinstance(doc, dict) else None
            if isinstance(quotas, dict) and (4 in quotas) != (5 in quotas):
                problems.append('log_lines_per_s and log_burst must go together')
            entry = doc.get(4) if isinstance(doc, dict) else None
            if not isinstance(entry, dict) or (1 in entry) == (3 in entry):
                problems.append('exactly one of entry.loop and entry.start')
        else:
            check_map(doc, CONFIG_UPDATE, 'config-update', problems)
            if not isinstance(doc, dict) or (3 not in doc and 4 not in doc):
                problems.append('needs schedule or permissions')
        checked += 1
        if problems:
            failures += 1
            print('%s %s: %s' % (kind, hex_doc[:60], '; '.join(problems)))
    print('%d documents checked against docs/metadata.cddl, %d failures' % (checked, failures))
    sys.exit(1 if failures or checked == 0 else 0)


if __name__ == '__main__':
    main()
