;; Test module for the runtime's embedder-facing behaviour (fuel, preemption, host calls).
(module
  (import "env" "get" (func $get (result i32)))
  (import "env" "log" (func $log (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello")
  (func (export "count") (param $n i32) (result i32) (local $i i32)
    (block
      (loop
        (br_if 1 (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br 0)))
    (local.get $i))
  (func (export "spin") (loop (br 0)))
  (func (export "wait") (result i32) (i32.add (call $get) (i32.const 1)))
  (func (export "log") (param i32 i32) (result i32) (call $log (local.get 0) (local.get 1)))
  (func $rec (export "recurse") (param i32) (result i32)
    (call $rec (i32.add (local.get 0) (i32.const 1))))
  (func (export "poke") (param i32) (result i32)
    (i32.store8 (local.get 0) (i32.const 1)) (i32.load8_u (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
)
