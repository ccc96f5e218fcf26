// Vocabulary shared by every runtime (WebAssembly, eBPF, ...): how a run ended, why a guest
// trapped, and what a host function asks the runtime to do next. The engine schedules containers
// with these alone, so it never needs to know which runtime a container uses.
#pragma once

#include <cstdint>

namespace tc::runtime {

// Why Run()/Resume() returned. Only kFinished and kTrapped are final; the others resume.
enum class RunExit : uint8_t {
  kFinished,   // the entry function returned; results are available
  kOutOfFuel,  // the fuel given to this run is used up (a suspension, not a trap)
  kPreempted,  // an asynchronous preemption request was seen at a safe point
  kBlocked,    // a host function answered HostAction::kBlock; resume with its result later
  kTrapped,    // the guest faulted; see TrapReason
};

enum class TrapReason : uint8_t {
  kNone = 0,
  kUnreachable,
  kMemoryOutOfBounds,
  kTableOutOfBounds,
  kIndirectCallNull,
  kIndirectCallTypeMismatch,
  kIntegerOverflow,
  kDivisionByZero,
  kInvalidConversion,
  kCallStackExhausted,
  kValueStackExhausted,
  kHostFault,           // a host function reported a fault in how it was called
  kInvalidHelper,       // eBPF: a helper id that the embedder does not provide
  kMemoryAccessDenied,  // eBPF: an address outside every allowed region
};

// What a host function tells the runtime after it was called.
enum class HostAction : uint8_t {
  kContinue,  // results are written; carry on
  kBlock,     // suspend the guest; the embedder supplies results before resuming
  kTrap,      // end the guest with TrapReason::kHostFault
};

const char* ToString(RunExit exit);
const char* ToString(TrapReason reason);

}  // namespace tc::runtime
