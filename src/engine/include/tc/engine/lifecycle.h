// The container lifecycle as an explicit state machine (docs/lifecycle.md). Operator commands are
// checked against the table in lifecycle.cc; a refused command gets its own message and changes
// nothing.
#pragma once

#include <cstdint>

#include "tc/base/status.h"

namespace tc::engine {

enum class State : uint8_t {
  kEmpty,      // slot never used
  kInstalled,  // verified, admitted, instantiated; never started
  kReady,      // runnable, waiting for the CPU
  kRunning,    // executing on the engine thread (only inside Engine::Step)
  kBlocked,    // waiting for a host event (e.g. a channel read)
  kSleeping,   // waiting for a time: its next period release or a sleep_us wake-up
  kThrottled,  // used its budget in this period; waits for the next release
  kSuspended,  // paused by the operator
  kStopping,   // running tc_stop within the stop budget
  kStopped,
  kTrapped,  // the guest faulted
  kRemoved,  // memory wiped, slot reusable
};
const char* ToString(State state);

enum class Command : uint8_t { kStart, kStop, kSuspend, kResume, kRemove, kConfigure };
const char* ToString(Command command);

// OK when `command` is allowed in `state`; otherwise kFailedPrecondition with a message naming
// the state (e.g. "start: container was removed").
Status CheckCommand(Command command, State state);

// True for the states in which the container holds an activation the scheduler may run.
constexpr bool IsActive(State s) {
  return s == State::kReady || s == State::kRunning || s == State::kBlocked ||
         s == State::kSleeping || s == State::kThrottled || s == State::kStopping;
}

}  // namespace tc::engine
