#include "tc/runtime/execution.h"

namespace tc::runtime {

const char* ToString(RunExit exit) {
  switch (exit) {
    case RunExit::kFinished: return "finished";
    case RunExit::kOutOfFuel: return "out of fuel";
    case RunExit::kPreempted: return "preempted";
    case RunExit::kBlocked: return "blocked";
    case RunExit::kTrapped: return "trapped";
  }
  return "?";
}

const char* ToString(TrapReason reason) {
  switch (reason) {
    case TrapReason::kNone: return "no trap";
    case TrapReason::kUnreachable: return "unreachable executed";
    case TrapReason::kMemoryOutOfBounds: return "out of bounds memory access";
    case TrapReason::kTableOutOfBounds: return "out of bounds table access";
    case TrapReason::kIndirectCallNull: return "uninitialized table element";
    case TrapReason::kIndirectCallTypeMismatch: return "indirect call type mismatch";
    case TrapReason::kIntegerOverflow: return "integer overflow";
    case TrapReason::kDivisionByZero: return "integer divide by zero";
    case TrapReason::kInvalidConversion: return "invalid conversion to integer";
    case TrapReason::kCallStackExhausted: return "call stack exhausted";
    case TrapReason::kValueStackExhausted: return "value stack exhausted";
    case TrapReason::kHostFault: return "host function fault";
    case TrapReason::kInvalidHelper: return "unknown helper";
    case TrapReason::kMemoryAccessDenied: return "memory access denied";
  }
  return "?";
}

}  // namespace tc::runtime
