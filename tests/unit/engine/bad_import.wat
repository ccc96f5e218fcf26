;; Imports a host function the engine does not bind: instantiation must fail.
(module
  (import "tc" "format_disk" (func $nope (result i32)))
  (func (export "tc_loop") (result i32) (call $nope)))
