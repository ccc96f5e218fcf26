;; A module whose start function runs about 60,000 instructions before the container exists.
(module
  (memory 1)
  (func $spin (local i32)
    (loop $again
      (local.set 0 (i32.add (local.get 0) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get 0) (i32.const 10000)))))
  (func (export "tc_loop") (result i32) (i32.const 0))
  (start $spin))
