// The WebAssembly interpreter (tc_wasm) behind the engine's runtime interface: decodes and
// validates the module, links its imports to the engine's host bindings and lays out module,
// instance, linear memory and stacks in the region the engine gives it.
#pragma once

#include "tc/runtime/runtime.h"
#include "tc/wasm/limits.h"

namespace tc::wasm {

class WasmRuntime final : public runtime::Runtime {
 public:
  static constexpr uint8_t kTypeId = 0;  // metadata runtime "wasm"

  explicit WasmRuntime(const Limits& limits = {}) : limits_(limits) {}
  uint8_t type_id() const override { return kTypeId; }
  const char* name() const override { return "wasm"; }
  Result<runtime::Instance*> Instantiate(const runtime::InstanceSpec& spec,
                                         std::span<uint8_t> region) override;

 private:
  Limits limits_;
};

}  // namespace tc::wasm
