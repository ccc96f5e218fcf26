// The WASI preview1 subset (tc/wasi/preview1.h) bound to tc_wasm's host-import table: what
// `tinyctl run` gives a `clang --target=wasm32-wasi` C program to print, read clocks and random
// bytes, see its arguments and exit.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "tc/wasi/preview1.h"
#include "tc/wasm/instance.h"

namespace tc::wasi {

// One guest's WASI state. Outlives the instance it is bound to (the host-function entries point
// at it). `args` and `environ` are NUL-free strings owned by the embedder ("KEY=VALUE" for
// environ).
class Context {
 public:
  static constexpr size_t kFunctionCount = wasi::kFunctionCount;

  Context(OutputSink& sink, SystemInterface& system, std::span<const char* const> args = {},
          std::span<const char* const> environ = {});
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  // The entries to pass to wasm::ResolveHostImports (alone or concatenated with other modules').
  std::span<const wasm::HostFunctionEntry> host_functions() const { return entries_; }

  // proc_exit ends the guest with HostAction::kTrap (the interpreter then reports kTrapped with
  // TrapReason::kHostFault); these say the trap was a clean exit and with which code.
  bool exited() const { return exited_; }
  uint32_t exit_code() const { return exit_code_; }

  const Environment& environment() const { return env_; }
  void Exit(uint32_t code) {
    exited_ = true;
    exit_code_ = code;
  }

 private:
  Streams streams_;
  Environment env_;
  bool exited_ = false;
  uint32_t exit_code_ = 0;
  std::array<wasm::HostFunctionEntry, kFunctionCount> entries_;
};

// True when `name` is a function of this subset (for naming what a module imports but we lack).
bool Provides(const wasm::Name& name);

}  // namespace tc::wasi
