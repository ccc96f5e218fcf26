// The preview1 subset on tc_wasm's host-import table: one trampoline per function turns the
// interpreter's HostCall into arguments and a GuestMemory, and proc_exit into a trap the embedder
// recognises through Context::exited().
#include "tc/wasi/wasi.h"

#include <utility>

namespace tc::wasi {

namespace {

runtime::GuestMemory MemoryOf(const wasm::HostCall& call) {
  const uint64_t size = call.memory.size();
  if (size == 0) return {};
  const auto bytes = call.memory.Bytes(0, static_cast<uint32_t>(size));
  return bytes.ok() ? runtime::GuestMemory(*bytes) : runtime::GuestMemory();
}

template <Function kFunction>
runtime::HostAction Trampoline(void* context, wasm::HostCall& call) {
  auto& ctx = *static_cast<Context*>(context);
  uint64_t args[4] = {};
  for (uint8_t i = 0; i < Info(kFunction).params; ++i) args[i] = call.values[i];
  const Outcome outcome = Call(kFunction, ctx.environment(), args, MemoryOf(call));
  if (outcome.exit) {
    // The trap is how the interpreter stops without returning to the caller's frame.
    ctx.Exit(outcome.value);
    return runtime::HostAction::kTrap;
  }
  call.values[0] = outcome.value;
  return runtime::HostAction::kContinue;
}

template <size_t... kIndex>
constexpr std::array<wasm::HostFunction, kFunctionCount> Trampolines(
    std::index_sequence<kIndex...>) {
  return {&Trampoline<static_cast<Function>(kIndex)>...};
}

constexpr auto kTrampolines = Trampolines(std::make_index_sequence<kFunctionCount>());

}  // namespace

Context::Context(OutputSink& sink, SystemInterface& system, std::span<const char* const> args,
                 std::span<const char* const> environ) {
  env_.sink = &sink;
  env_.system = &system;
  env_.args = args;
  env_.environ = environ;
  env_.streams = &streams_;
  for (size_t i = 0; i < kFunctionCount; ++i) {
    const FunctionInfo& info = Info(static_cast<Function>(i));
    entries_[i] = {kModuleName, info.name, info.signature, kTrampolines[i], this};
  }
}

bool Provides(const wasm::Name& name) {
  Function unused;
  return Find({reinterpret_cast<const char*>(name.data), name.size}, &unused);
}

}  // namespace tc::wasi
