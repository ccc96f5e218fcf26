// tc_wasm on a real Cortex-M4 (QEMU mps2-an386): decode, validate, instantiate and run an
// embedded module with static arenas only (no heap), fuel suspension and resumption, traps, a
// memory quota below one page and bit-exact floats.
#include <cstring>

#include "device_check.h"
#include "tc/wasm/instance.h"
#include "tc/wasm/module.h"
#include "tc/wasm/thread.h"

namespace {

namespace wasm = tc::wasm;
using tc::runtime::RunExit;
using tc::runtime::TrapReason;

// wat2wasm of:
//   (module (memory 1)
//     (func $fib (export "fib") (param i32) (result i32)
//       (if (result i32) (i32.lt_s (local.get 0) (i32.const 2)) (then (local.get 0))
//         (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
//                        (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
//     (func (export "div") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
//     (func (export "poke") (param i32) (result i32)
//       (i32.store (local.get 0) (i32.const 0x12345678)) (i32.load8_u (local.get 0)))
//     (func (export "fsum") (param f32 f64) (result f64)
//       (f64.add (f64.promote_f32 (local.get 0)) (f64.sqrt (local.get 1)))))
const uint8_t kModule[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x12, 0x03, 0x60, 0x01, 0x7f, 0x01, 0x7f,
    0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x02, 0x7d, 0x7c, 0x01, 0x7c, 0x03, 0x05, 0x04, 0x00,
    0x01, 0x00, 0x02, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x1b, 0x04, 0x03, 0x66, 0x69, 0x62, 0x00,
    0x00, 0x03, 0x64, 0x69, 0x76, 0x00, 0x01, 0x04, 0x70, 0x6f, 0x6b, 0x65, 0x00, 0x02, 0x04, 0x66,
    0x73, 0x75, 0x6d, 0x00, 0x03, 0x0a, 0x43, 0x04, 0x1c, 0x00, 0x20, 0x00, 0x41, 0x02, 0x48, 0x04,
    0x7f, 0x20, 0x00, 0x05, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x10, 0x00, 0x20, 0x00, 0x41, 0x02, 0x6b,
    0x10, 0x00, 0x6a, 0x0b, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6e, 0x0b, 0x12, 0x00, 0x20,
    0x00, 0x41, 0xf8, 0xac, 0xd1, 0x91, 0x01, 0x36, 0x02, 0x00, 0x20, 0x00, 0x2d, 0x00, 0x00, 0x0b,
    0x09, 0x00, 0x20, 0x00, 0xbb, 0x20, 0x01, 0x9f, 0xa0, 0x0b};

alignas(8) uint8_t g_module_arena[6 * 1024];
alignas(8) uint8_t g_instance_arena[1024];
uint8_t g_memory[4096];  // the container's quota: below one 64 KiB page
wasm::Slot g_stack[512];
wasm::Frame g_frames[64];

const wasm::Function* Export(wasm::Instance& instance, const char* name) {
  auto e = instance.GetExport(name, wasm::ExternKind::kFunction);
  return e.ok() ? e->function : nullptr;
}

}  // namespace

int main() {
  wasm::Arena arena({g_module_arena, sizeof g_module_arena});
  auto module = wasm::Decode({kModule, sizeof kModule}, arena, wasm::Limits{});
  DEVICE_CHECK(module.ok());
  if (!module.ok()) return tc::device_test::Finish("wasm_selftest");

  wasm::Arena instance_arena({g_instance_arena, sizeof g_instance_arena});
  wasm::InstanceOptions options;
  options.memory_storage = {g_memory, sizeof g_memory};
  auto instance = wasm::Instantiate(**module, {}, instance_arena, options);
  DEVICE_CHECK(instance.ok());
  if (!instance.ok()) return tc::device_test::Finish("wasm_selftest");

  wasm::Thread thread({g_stack, 512}, {g_frames, 64});
  // fib(15) with a small fuel budget: suspends many times, resumes to the exact result.
  const wasm::Slot n = 15;
  DEVICE_CHECK(thread.Start(*Export(**instance, "fib"), {&n, 1}).ok());
  int suspensions = 0;
  RunExit exit;
  while (true) {
    thread.set_fuel(200);
    exit = thread.Run();
    if (exit != RunExit::kOutOfFuel) break;
    ++suspensions;
  }
  DEVICE_CHECK(exit == RunExit::kFinished);
  DEVICE_CHECK(thread.results()[0] == 610);
  DEVICE_CHECK(suspensions > 5);

  const wasm::Slot div_args[2] = {7, 0};
  DEVICE_CHECK(thread.Start(*Export(**instance, "div"), div_args).ok());
  thread.set_fuel(1000);
  DEVICE_CHECK(thread.Run() == RunExit::kTrapped);
  DEVICE_CHECK(thread.trap_reason() == TrapReason::kDivisionByZero);

  wasm::Slot address = 4092;
  DEVICE_CHECK(thread.Start(*Export(**instance, "poke"), {&address, 1}).ok());
  DEVICE_CHECK(thread.Run() == RunExit::kFinished && thread.results()[0] == 0x78);
  address = 4093;  // the last word would cross the 4 KiB quota
  DEVICE_CHECK(thread.Start(*Export(**instance, "poke"), {&address, 1}).ok());
  DEVICE_CHECK(thread.Run() == RunExit::kTrapped);
  DEVICE_CHECK(thread.trap_reason() == TrapReason::kMemoryOutOfBounds);

  const wasm::Slot float_args[2] = {wasm::SlotFromF32(1.5f), wasm::SlotFromF64(2.25)};
  DEVICE_CHECK(thread.Start(*Export(**instance, "fsum"), float_args).ok());
  DEVICE_CHECK(thread.Run() == RunExit::kFinished);
  DEVICE_CHECK(thread.results()[0] == wasm::SlotFromF64(3.0));

  return tc::device_test::Finish("wasm_selftest");
}
