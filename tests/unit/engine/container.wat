;; A test container for the engine + WebAssembly runtime: the metadata picks which export is the
;; loop entry, so one module provides a well-behaved periodic loop, a runaway, a container that
;; hands the host a pointer outside its memory, and one that traps.
(module
  (import "tc" "log" (func $log (param i32 i32) (result i32)))
  (import "tc" "now_us" (func $now (result i64)))
  (memory 1)
  (data (i32.const 16) "hello")
  (global $count (mut i32) (i32.const 0))
  (func (export "tc_init") (result i32)
    (i64.store (i32.const 0) (call $now))
    (i32.const 0))
  (func (export "tc_loop") (result i32)
    (local $i i32)
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    ;; some work: 200 iterations
    (loop $work
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $work (i32.lt_u (local.get $i) (i32.const 200))))
    (drop (call $log (i32.const 16) (i32.const 5)))
    (i32.const 0))
  (func (export "spin") (result i32)
    (loop $forever (br $forever))
    (i32.const 0))
  (func (export "bad_pointer") (result i32)
    (call $log (i32.const 4090) (i32.const 100)))
  (func (export "crash") (result i32)
    unreachable)
  (func (export "count") (result i32) (global.get $count)))
