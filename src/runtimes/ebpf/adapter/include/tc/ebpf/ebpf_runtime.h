// The eBPF interpreter (tc_ebpf) behind the engine's runtime interface. A container is one
// program (raw bytecode, or an ELF object whose function the metadata's loop/start entry names)
// run once per activation, Femto-Containers style: r1 points at the container's memory (its
// memory quota), r2 is its size. Helpers are the engine's host bindings with an eBPF helper
// number. Guest memory for host calls is one contiguous block: the object's .rodata/.data, the
// stack and the input memory, so the gate can bounds-check every pointer a helper receives.
#pragma once

#include "tc/ebpf/verifier.h"
#include "tc/runtime/runtime.h"

namespace tc::ebpf {

class EbpfRuntime final : public runtime::Runtime {
 public:
  static constexpr uint8_t kTypeId = 1;         // metadata runtime "ebpf"
  static constexpr uint32_t kMaxHelperId = 63;  // helper numbers the table can hold

  explicit EbpfRuntime(const VerifyLimits& limits = {}) : limits_(limits) {}
  uint8_t type_id() const override { return kTypeId; }
  const char* name() const override { return "ebpf"; }
  Result<runtime::Instance*> Instantiate(const runtime::InstanceSpec& spec,
                                         std::span<uint8_t> region) override;

 private:
  VerifyLimits limits_;
};

}  // namespace tc::ebpf
