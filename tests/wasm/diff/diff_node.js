// Node's WebAssembly side of the differential test: same protocol as diff_runner.cc.
'use strict';
const fs = require('fs');
const path = require('path');

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
function fmt(type, v) {
  if (type === 'i32') return String(v | 0);
  if (type === 'i64') return BigInt.asIntN(64, BigInt(v)).toString();
  if (Number.isNaN(v)) return 'nan';
  f64[0] = v;
  return '0x' + u64[0].toString(16).padStart(16, '0');
}

const out = [];
const print = (s) => out.push(s);

for (const file of process.argv.slice(2)) {
  print('module ' + path.basename(file));
  const bytes = fs.readFileSync(file);
  let module;
  try {
    module = new WebAssembly.Module(bytes);
  } catch (e) {
    print('rejected');
    continue;
  }
  const log = (type) => (...args) => print('log ' + args.map((a) => fmt(type, a)).join(' '));
  const imports = {
    'fuzzing-support': {
      'log-i32': log('i32'), 'log-i64': log('i64'), 'log-f32': log('f32'), 'log-f64': log('f64'),
    },
  };
  let instance;
  try {
    instance = new WebAssembly.Instance(module, imports);
  } catch (e) {
    print(e instanceof WebAssembly.LinkError ? 'unlinkable' : 'uninstantiable');
    continue;
  }
  const exportsInfo = WebAssembly.Module.exports(module);
  const hang = instance.exports.hangLimitInitializer;
  for (const e of exportsInfo) {
    if (e.kind !== 'function' || e.name === 'hangLimitInitializer') continue;
    if (hang) hang();
    print('call ' + e.name);
    const fn = instance.exports[e.name];
    // The JS API does not reflect signatures; read them from the binary.
    const sig = signatures(bytes, e.name);
    const args = sig.params.map((t) => (t === 'i64' ? 0n : 0));
    try {
      let r = fn(...args);
      if (sig.results.length === 0) print('result');
      else if (sig.results.length === 1) print('result ' + fmt(sig.results[0], r));
      else print('result ' + sig.results.map((t, i) => fmt(t, r[i])).join(' '));
    } catch (err) {
      if (err instanceof WebAssembly.RuntimeError || err instanceof RangeError) print('trap');
      else throw err;
    }
  }
}
process.stdout.write(out.join('\n') + '\n');

// Minimal binary reader for export signatures (types, imports, functions, exports sections).
function signatures(bytes, name) {
  if (!bytes._sigs) bytes._sigs = readSignatures(bytes);
  return bytes._sigs[name];
}
function readSignatures(b) {
  let p = 8;
  const u32 = () => { let r = 0, s = 0, c; do { c = b[p++]; r |= (c & 0x7f) << s; s += 7; } while (c & 0x80); return r >>> 0; };
  const vt = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64' };
  const types = [], funcs = [], sigs = {};
  while (p < b.length) {
    const id = b[p++], size = u32(), end = p + size;
    if (id === 1) {
      const n = u32();
      for (let i = 0; i < n; i++) {
        p++;  // 0x60
        const params = []; let k = u32(); while (k--) params.push(vt[b[p++]]);
        const results = []; k = u32(); while (k--) results.push(vt[b[p++]]);
        types.push({ params, results });
      }
    } else if (id === 2) {
      const n = u32();
      for (let i = 0; i < n; i++) {
        let l = u32(); p += l; l = u32(); p += l;
        const kind = b[p++];
        if (kind === 0) funcs.push(types[u32()]);
        else if (kind === 1) { p++; const f = b[p++]; u32(); if (f & 1) u32(); }
        else if (kind === 2) { const f = b[p++]; u32(); if (f & 1) u32(); }
        else p += 2;
      }
    } else if (id === 3) {
      const n = u32();
      for (let i = 0; i < n; i++) funcs.push(types[u32()]);
    } else if (id === 7) {
      const n = u32();
      for (let i = 0; i < n; i++) {
        const l = u32(); const nm = Buffer.from(b.slice(p, p + l)).toString('utf8'); p += l;
        const kind = b[p++]; const idx = u32();
        if (kind === 0) sigs[nm] = funcs[idx];
      }
    }
    p = end;
  }
  return sigs;
}
