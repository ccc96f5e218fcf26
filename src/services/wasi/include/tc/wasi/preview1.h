// The WASI preview1 subset (PRODUCT C7) independent of how it is bound: each function works on
// its arguments and the caller's runtime::GuestMemory and reports an errno or an exit. Bound two
// ways: to tc_wasm's host-import table for `tinyctl run` (tc/wasi/wasi.h) and as engine services
// behind the gate (tc/wasi/engine_services.h). Device-side: no heap; every guest pointer goes
// through GuestMemory::Resolve in 64-bit arithmetic and a bad one is EFAULT, never a trap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "tc/runtime/guest_memory.h"

namespace tc::wasi {

inline constexpr const char* kModuleName = "wasi_snapshot_preview1";

// The preview1 errno values this subset returns (numbering from the WASI witx definition).
enum class Errno : uint16_t {
  kSuccess = 0,
  kAgain = 6,
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

enum class Function : uint8_t {
  kArgsGet,
  kArgsSizesGet,
  kEnvironGet,
  kEnvironSizesGet,
  kClockTimeGet,
  kRandomGet,
  kProcExit,
  kSchedYield,
  kFdWrite,
  kFdClose,
  kFdSeek,
  kFdFdstatGet,
};
inline constexpr size_t kFunctionCount = 12;

struct FunctionInfo {
  const char* name;       // the import name under kModuleName
  const char* signature;  // params ':' results, i = i32, I = i64
  uint8_t params;
};
const FunctionInfo& Info(Function f);
// The function imported as `name`, or false.
bool Find(std::string_view name, Function* out);

// fds 0..2 are the only ones; fd_close closes them for good (later use answers EBADF).
struct Streams {
  uint8_t closed = 0;
  bool IsOpen(uint32_t fd) const { return fd < 3 && (closed & (1u << fd)) == 0; }
  void Close(uint32_t fd) { closed = static_cast<uint8_t>(closed | (1u << fd)); }
};

// What one call sees of its guest: where output goes, the platform, argv/environ (NUL-free
// strings owned by the embedder, "KEY=VALUE" for environ) and the guest's standard streams.
struct Environment {
  OutputSink* sink = nullptr;
  SystemInterface* system = nullptr;
  std::span<const char* const> args;
  std::span<const char* const> environ;
  Streams* streams = nullptr;
};

// How a call ended: an errno for the guest, or proc_exit with its code.
struct Outcome {
  bool exit = false;
  uint32_t value = 0;  // errno (exit = false) or the exit code
};

// Runs `f` with `args` (at least Info(f).params values; i32s in the low 32 bits).
Outcome Call(Function f, const Environment& env, std::span<const uint64_t> args,
             const runtime::GuestMemory& memory);

}  // namespace tc::wasi
