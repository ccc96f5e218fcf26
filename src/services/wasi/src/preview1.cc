// WASI preview1 functions over a guest's GuestMemory. Every (pointer, length) is checked before
// anything is written or emitted, so a bad call changes nothing and answers EFAULT.
#include "tc/wasi/preview1.h"

#include <cstring>

namespace tc::wasi {

namespace {

constexpr uint8_t kFiletypeCharacterDevice = 2;
constexpr uint64_t kRightFdRead = 1ull << 1;
constexpr uint64_t kRightFdWrite = 1ull << 6;
constexpr uint32_t kMaxClockId = 3;

constexpr FunctionInfo kFunctions[kFunctionCount] = {
    {"args_get", "ii:i", 2},          {"args_sizes_get", "ii:i", 2},  {"environ_get", "ii:i", 2},
    {"environ_sizes_get", "ii:i", 2}, {"clock_time_get", "iIi:i", 3}, {"random_get", "ii:i", 2},
    {"proc_exit", "i:", 1},           {"sched_yield", ":i", 0},       {"fd_write", "iiii:i", 4},
    {"fd_close", "i:i", 1},           {"fd_seek", "iIii:i", 4},       {"fd_fdstat_get", "ii:i", 2},
};

// One call's arguments and memory.
struct Args {
  std::span<const uint64_t> values;
  const runtime::GuestMemory& memory;

  uint32_t U32(size_t i) const { return static_cast<uint32_t>(values[i]); }

  // `count` elements of `size` bytes at `address`, or nullptr when any byte is outside the
  // memory (count * size is computed in 64 bits and capped at 4 GiB, so it never wraps).
  uint8_t* Array(uint32_t address, uint64_t count, uint64_t size) const {
    const uint64_t bytes = count * size;
    if (bytes > UINT32_MAX) return nullptr;
    const auto slice = memory.Resolve(address, bytes);
    return slice.ok ? slice.bytes.data() : nullptr;
  }
};

Outcome Return(Errno e) { return {false, static_cast<uint16_t>(e)}; }

uint32_t LoadU32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

void StoreLe(uint8_t* p, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) p[i] = static_cast<uint8_t>(value >> (8 * i));
}

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

Outcome StringsSizesGet(std::span<const char* const> strings, const Args& a) {
  const StringsSize size = SizeOf(strings);
  uint8_t* count_out = a.Array(a.U32(0), 1, 4);
  uint8_t* bytes_out = a.Array(a.U32(1), 1, 4);
  if (count_out == nullptr || bytes_out == nullptr) return Return(Errno::kFault);
  if (size.bytes > UINT32_MAX) return Return(Errno::kOverflow);
  StoreLe(count_out, size.count, 4);
  StoreLe(bytes_out, size.bytes, 4);
  return Return(Errno::kSuccess);
}

Outcome StringsGet(std::span<const char* const> strings, const Args& a) {
  const StringsSize size = SizeOf(strings);
  const uint32_t buffer_at = a.U32(1);
  uint8_t* pointers = a.Array(a.U32(0), size.count, 4);
  uint8_t* buffer = a.Array(buffer_at, size.bytes, 1);
  if (pointers == nullptr || buffer == nullptr) return Return(Errno::kFault);
  uint32_t offset = 0;
  for (size_t i = 0; i < strings.size(); ++i) {
    const size_t length = std::strlen(strings[i]) + 1;
    StoreLe(pointers + 4 * i, buffer_at + offset, 4);
    std::memcpy(buffer + offset, strings[i], length);
    offset += static_cast<uint32_t>(length);
  }
  return Return(Errno::kSuccess);
}

// clock_time_get(id, precision: i64, time_out) — the precision hint is ignored.
Outcome ClockTimeGet(const Environment& env, const Args& a) {
  const uint32_t id = a.U32(0);
  uint8_t* out = a.Array(a.U32(2), 1, 8);
  if (out == nullptr) return Return(Errno::kFault);
  if (id > kMaxClockId) return Return(Errno::kInval);
  StoreLe(out, env.system->NowNs(id), 8);
  return Return(Errno::kSuccess);
}

Outcome RandomGet(const Environment& env, const Args& a) {
  uint8_t* out = a.Array(a.U32(0), a.U32(1), 1);
  if (out == nullptr) return Return(Errno::kFault);
  if (!env.system->Random({out, a.U32(1)})) return Return(Errno::kIo);
  return Return(Errno::kSuccess);
}

// fd_write(fd, iovs, iovs_len, nwritten_out): all iovecs are validated before any byte is sent.
Outcome FdWrite(const Environment& env, const Args& a) {
  const uint32_t fd = a.U32(0);
  const uint32_t iov_count = a.U32(2);
  const uint8_t* iovs = a.Array(a.U32(1), iov_count, 8);
  uint8_t* written_out = a.Array(a.U32(3), 1, 4);
  if (iovs == nullptr || written_out == nullptr) return Return(Errno::kFault);
  if (!env.streams->IsOpen(fd) || fd == 0) return Return(Errno::kBadf);
  uint64_t total = 0;
  for (uint32_t i = 0; i < iov_count; ++i) {
    const uint32_t length = LoadU32(iovs + 8 * i + 4);
    if (a.Array(LoadU32(iovs + 8 * i), length, 1) == nullptr) return Return(Errno::kFault);
    total += length;
  }
  if (total > UINT32_MAX) return Return(Errno::kInval);
  for (uint32_t i = 0; i < iov_count; ++i) {
    const uint32_t length = LoadU32(iovs + 8 * i + 4);
    if (length == 0) continue;
    const uint8_t* bytes = a.Array(LoadU32(iovs + 8 * i), length, 1);
    if (!env.sink->Write(fd, {bytes, length})) return Return(Errno::kIo);
  }
  StoreLe(written_out, total, 4);
  return Return(Errno::kSuccess);
}

Outcome FdClose(const Environment& env, const Args& a) {
  const uint32_t fd = a.U32(0);
  if (!env.streams->IsOpen(fd)) return Return(Errno::kBadf);
  env.streams->Close(fd);
  return Return(Errno::kSuccess);
}

// fd_fdstat_get(fd, stat_out): a 24-byte fdstat — filetype u8 @0, flags u16 @2, rights @8/@16.
Outcome FdFdstatGet(const Environment& env, const Args& a) {
  const uint32_t fd = a.U32(0);
  uint8_t* out = a.Array(a.U32(1), 1, 24);
  if (out == nullptr) return Return(Errno::kFault);
  if (!env.streams->IsOpen(fd)) return Return(Errno::kBadf);
  std::memset(out, 0, 24);
  out[0] = kFiletypeCharacterDevice;
  StoreLe(out + 8, fd == 0 ? kRightFdRead : kRightFdWrite, 8);
  return Return(Errno::kSuccess);
}

}  // namespace

const FunctionInfo& Info(Function f) { return kFunctions[static_cast<size_t>(f)]; }

bool Find(std::string_view name, Function* out) {
  for (size_t i = 0; i < kFunctionCount; ++i) {
    if (name == kFunctions[i].name) {
      *out = static_cast<Function>(i);
      return true;
    }
  }
  return false;
}

Outcome Call(Function f, const Environment& env, std::span<const uint64_t> values,
             const runtime::GuestMemory& memory) {
  const Args a{values, memory};
  switch (f) {
    case Function::kArgsGet: return StringsGet(env.args, a);
    case Function::kArgsSizesGet: return StringsSizesGet(env.args, a);
    case Function::kEnvironGet: return StringsGet(env.environ, a);
    case Function::kEnvironSizesGet: return StringsSizesGet(env.environ, a);
    case Function::kClockTimeGet: return ClockTimeGet(env, a);
    case Function::kRandomGet: return RandomGet(env, a);
    // Ends the guest; how is the binding's business (a trap for tc_wasm, a finished container
    // in the engine).
    case Function::kProcExit: return {true, a.U32(0)};
    // Nothing to do here; the engine binding also gives up the rest of the slice.
    case Function::kSchedYield: return Return(Errno::kSuccess);
    case Function::kFdWrite: return FdWrite(env, a);
    case Function::kFdClose: return FdClose(env, a);
    // fd_seek(fd, offset: i64, whence, newoffset_out): the standard streams are not seekable.
    case Function::kFdSeek:
      return Return(env.streams->IsOpen(a.U32(0)) ? Errno::kSpipe : Errno::kBadf);
    case Function::kFdFdstatGet: return FdFdstatGet(env, a);
  }
  return Return(Errno::kInval);
}

}  // namespace tc::wasi
