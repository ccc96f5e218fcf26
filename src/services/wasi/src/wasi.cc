// WASI preview1 functions over a guest's MemoryView. Every (pointer, length) is checked before
// anything is written or emitted, so a bad call changes nothing and answers EFAULT.
#include "tc/wasi/wasi.h"

#include <cstring>

namespace tc::wasi {

namespace {

using runtime::HostAction;
using wasm::HostCall;

constexpr uint8_t kFiletypeCharacterDevice = 2;
constexpr uint64_t kRightFdRead = 1ull << 1;
constexpr uint64_t kRightFdWrite = 1ull << 6;
constexpr uint32_t kMaxClockId = 3;

uint32_t ArgU32(const HostCall& call, int i) { return static_cast<uint32_t>(call.values[i]); }

HostAction Return(HostCall& call, Errno e) {
  call.values[0] = static_cast<uint16_t>(e);
  return HostAction::kContinue;
}

uint32_t LoadU32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

void StoreLe(uint8_t* p, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) p[i] = static_cast<uint8_t>(value >> (8 * i));
}

// `count` elements of `size` bytes at `address`, or nullptr when any byte is outside the memory
// (lengths are widened first, so count * size never wraps).
uint8_t* GuestArray(const HostCall& call, uint32_t address, uint64_t count, uint64_t size) {
  const uint64_t bytes = count * size;
  if (bytes > UINT32_MAX) return nullptr;
  auto span = call.memory.Bytes(address, static_cast<uint32_t>(bytes));
  return span.ok() ? span->data() : nullptr;
}

Context& Ctx(void* context) { return *static_cast<Context*>(context); }

// Sizes of a list of strings as argv-style data: the count and the bytes including NULs.
struct StringsSize {
  uint64_t count = 0;
  uint64_t bytes = 0;
};

StringsSize SizeOf(std::span<const char* const> strings) {
  StringsSize size;
  size.count = strings.size();
  for (const char* s : strings) size.bytes += std::strlen(s) + 1;
  return size;
}

HostAction StringsSizesGet(std::span<const char* const> strings, HostCall& call) {
  const StringsSize size = SizeOf(strings);
  uint8_t* count_out = GuestArray(call, ArgU32(call, 0), 1, 4);
  uint8_t* bytes_out = GuestArray(call, ArgU32(call, 1), 1, 4);
  if (count_out == nullptr || bytes_out == nullptr) return Return(call, Errno::kFault);
  if (size.bytes > UINT32_MAX) return Return(call, Errno::kOverflow);
  StoreLe(count_out, size.count, 4);
  StoreLe(bytes_out, size.bytes, 4);
  return Return(call, Errno::kSuccess);
}

HostAction StringsGet(std::span<const char* const> strings, HostCall& call) {
  const StringsSize size = SizeOf(strings);
  const uint32_t pointers_at = ArgU32(call, 0);
  const uint32_t buffer_at = ArgU32(call, 1);
  uint8_t* pointers = GuestArray(call, pointers_at, size.count, 4);
  uint8_t* buffer = GuestArray(call, buffer_at, size.bytes, 1);
  if (pointers == nullptr || buffer == nullptr) return Return(call, Errno::kFault);
  uint32_t offset = 0;
  for (size_t i = 0; i < strings.size(); ++i) {
    const size_t length = std::strlen(strings[i]) + 1;
    StoreLe(pointers + 4 * i, buffer_at + offset, 4);
    std::memcpy(buffer + offset, strings[i], length);
    offset += static_cast<uint32_t>(length);
  }
  return Return(call, Errno::kSuccess);
}

HostAction ArgsGet(void* c, HostCall& call) { return StringsGet(Ctx(c).args(), call); }
HostAction ArgsSizesGet(void* c, HostCall& call) { return StringsSizesGet(Ctx(c).args(), call); }
HostAction EnvironGet(void* c, HostCall& call) { return StringsGet(Ctx(c).environ(), call); }
HostAction EnvironSizesGet(void* c, HostCall& call) {
  return StringsSizesGet(Ctx(c).environ(), call);
}

// clock_time_get(id, precision: i64, time_out) — the precision hint is ignored.
HostAction ClockTimeGet(void* c, HostCall& call) {
  const uint32_t id = ArgU32(call, 0);
  uint8_t* out = GuestArray(call, ArgU32(call, 2), 1, 8);
  if (out == nullptr) return Return(call, Errno::kFault);
  if (id > kMaxClockId) return Return(call, Errno::kInval);
  StoreLe(out, Ctx(c).system().NowNs(id), 8);
  return Return(call, Errno::kSuccess);
}

HostAction RandomGet(void* c, HostCall& call) {
  uint8_t* out = GuestArray(call, ArgU32(call, 0), ArgU32(call, 1), 1);
  if (out == nullptr) return Return(call, Errno::kFault);
  if (!Ctx(c).system().Random({out, ArgU32(call, 1)})) return Return(call, Errno::kIo);
  return Return(call, Errno::kSuccess);
}

// Ends the guest: the trap is how the interpreter stops without returning to the caller's frame;
// the Context records that it was an exit and its code.
HostAction ProcExit(void* c, HostCall& call) {
  Ctx(c).Exit(ArgU32(call, 0));
  return HostAction::kTrap;
}

// One container per run here; the engine's scheduler preempts on its own tick, so a yield is a
// successful no-op rather than a suspension.
HostAction SchedYield(void*, HostCall& call) { return Return(call, Errno::kSuccess); }

// fd_write(fd, iovs, iovs_len, nwritten_out): all iovecs are validated before any byte is sent.
HostAction FdWrite(void* c, HostCall& call) {
  Context& ctx = Ctx(c);
  const uint32_t fd = ArgU32(call, 0);
  const uint32_t iov_count = ArgU32(call, 2);
  const uint8_t* iovs = GuestArray(call, ArgU32(call, 1), iov_count, 8);
  uint8_t* written_out = GuestArray(call, ArgU32(call, 3), 1, 4);
  if (iovs == nullptr || written_out == nullptr) return Return(call, Errno::kFault);
  if (!ctx.IsOpen(fd) || fd == 0) return Return(call, Errno::kBadf);
  uint64_t total = 0;
  for (uint32_t i = 0; i < iov_count; ++i) {
    const uint32_t length = LoadU32(iovs + 8 * i + 4);
    if (GuestArray(call, LoadU32(iovs + 8 * i), length, 1) == nullptr) {
      return Return(call, Errno::kFault);
    }
    total += length;
  }
  if (total > UINT32_MAX) return Return(call, Errno::kInval);
  for (uint32_t i = 0; i < iov_count; ++i) {
    const uint32_t length = LoadU32(iovs + 8 * i + 4);
    if (length == 0) continue;
    const uint8_t* bytes = GuestArray(call, LoadU32(iovs + 8 * i), length, 1);
    if (!ctx.sink().Write(fd, {bytes, length})) return Return(call, Errno::kIo);
  }
  StoreLe(written_out, total, 4);
  return Return(call, Errno::kSuccess);
}

HostAction FdClose(void* c, HostCall& call) {
  const uint32_t fd = ArgU32(call, 0);
  if (!Ctx(c).IsOpen(fd)) return Return(call, Errno::kBadf);
  Ctx(c).Close(fd);
  return Return(call, Errno::kSuccess);
}

// fd_seek(fd, offset: i64, whence, newoffset_out): the standard streams are not seekable.
HostAction FdSeek(void* c, HostCall& call) {
  return Return(call, Ctx(c).IsOpen(ArgU32(call, 0)) ? Errno::kSpipe : Errno::kBadf);
}

// fd_fdstat_get(fd, stat_out): a 24-byte fdstat — filetype u8 @0, flags u16 @2, rights @8/@16.
HostAction FdFdstatGet(void* c, HostCall& call) {
  const uint32_t fd = ArgU32(call, 0);
  uint8_t* out = GuestArray(call, ArgU32(call, 1), 1, 24);
  if (out == nullptr) return Return(call, Errno::kFault);
  if (!Ctx(c).IsOpen(fd)) return Return(call, Errno::kBadf);
  std::memset(out, 0, 24);
  out[0] = kFiletypeCharacterDevice;
  StoreLe(out + 8, fd == 0 ? kRightFdRead : kRightFdWrite, 8);
  return Return(call, Errno::kSuccess);
}

struct FunctionInfo {
  const char* name;
  const char* signature;
  wasm::HostFunction function;
};

constexpr FunctionInfo kFunctions[Context::kFunctionCount] = {
    {"args_get", "ii:i", ArgsGet},
    {"args_sizes_get", "ii:i", ArgsSizesGet},
    {"environ_get", "ii:i", EnvironGet},
    {"environ_sizes_get", "ii:i", EnvironSizesGet},
    {"clock_time_get", "iIi:i", ClockTimeGet},
    {"random_get", "ii:i", RandomGet},
    {"proc_exit", "i:", ProcExit},
    {"sched_yield", ":i", SchedYield},
    {"fd_write", "iiii:i", FdWrite},
    {"fd_close", "i:i", FdClose},
    {"fd_seek", "iIii:i", FdSeek},
    {"fd_fdstat_get", "ii:i", FdFdstatGet},
};

}  // namespace

Context::Context(OutputSink& sink, SystemInterface& system, std::span<const char* const> args,
                 std::span<const char* const> environ)
    : sink_(sink), system_(system), args_(args), environ_(environ) {
  for (size_t i = 0; i < kFunctionCount; ++i) {
    entries_[i] = {kModuleName, kFunctions[i].name, kFunctions[i].signature, kFunctions[i].function,
                   this};
  }
}

bool Provides(const wasm::Name& name) {
  for (const FunctionInfo& f : kFunctions) {
    if (name.Equals(f.name)) return true;
  }
  return false;
}

}  // namespace tc::wasi
