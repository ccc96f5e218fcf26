// The WASI preview1 subset (PRODUCT C7): what a `clang --target=wasm32-wasi` C program needs to
// print, read clocks and random bytes, see its arguments and exit. Device-side: no heap; every
// guest pointer goes through the bounds-checked MemoryView and a bad one is an errno, never a trap.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "tc/wasm/instance.h"

namespace tc::wasi {

inline constexpr const char* kModuleName = "wasi_snapshot_preview1";

// The preview1 errno values this subset returns (numbering from the WASI witx definition).
enum class Errno : uint16_t {
  kSuccess = 0,
  kBadf = 8,
  kFault = 21,
  kInval = 28,
  kIo = 29,
  kOverflow = 61,
  kSpipe = 70,
};

// Where fd 1 (stdout) and fd 2 (stderr) bytes go: the engine's log service, a UART, or tinyctl's
// own stdout. Returns false when the bytes could not be delivered (fd_write answers EIO).
class OutputSink {
 public:
  virtual bool Write(uint32_t fd, std::span<const uint8_t> bytes) = 0;

 protected:
  ~OutputSink() = default;
};

// Clocks and entropy from the platform port.
class SystemInterface {
 public:
  // Nanoseconds of clock `id` (0 realtime, 1 monotonic, 2 process CPU, 3 thread CPU).
  virtual uint64_t NowNs(uint32_t clock_id) = 0;
  // Fills `out` from the platform's random source; false when none is available.
  virtual bool Random(std::span<uint8_t> out) = 0;

 protected:
  ~SystemInterface() = default;
};

// One guest's WASI state. Outlives the instance it is bound to (the host-function entries point
// at it). `args` and `environ` are NUL-free strings owned by the embedder ("KEY=VALUE" for
// environ).
class Context {
 public:
  static constexpr size_t kFunctionCount = 12;

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

  OutputSink& sink() { return sink_; }
  SystemInterface& system() { return system_; }
  std::span<const char* const> args() const { return args_; }
  std::span<const char* const> environ() const { return environ_; }
  void Exit(uint32_t code) {
    exited_ = true;
    exit_code_ = code;
  }
  // fds 0..2 are the only ones; fd_close closes them for good (later use answers EBADF).
  bool IsOpen(uint32_t fd) const { return fd < 3 && (closed_ & (1u << fd)) == 0; }
  void Close(uint32_t fd) { closed_ |= static_cast<uint8_t>(1u << fd); }

 private:
  OutputSink& sink_;
  SystemInterface& system_;
  std::span<const char* const> args_;
  std::span<const char* const> environ_;
  bool exited_ = false;
  uint32_t exit_code_ = 0;
  uint8_t closed_ = 0;
  std::array<wasm::HostFunctionEntry, kFunctionCount> entries_;
};

// True when `name` is a function of this subset (for naming what a module imports but we lack).
bool Provides(const wasm::Name& name);

}  // namespace tc::wasi
