// What the engine records for people: per-container counters, the audit log of denied host calls
// and a fixed-size execution trace (exported as Chrome trace JSON by tools/trace-export).
#pragma once

#include <cstdint>

namespace tc::engine {

struct ContainerCounters {
  uint64_t cpu_time_us = 0;  // time on the CPU, host services included
  uint32_t activations = 0;  // completed tc_loop activations
  uint32_t deadline_misses = 0;
  uint32_t overruns = 0;  // budget overruns
  uint32_t restarts = 0;
  uint32_t traps = 0;
  uint32_t host_calls = 0;
  uint32_t denials = 0;
  uint32_t preemptions = 0;  // runs that ended by fuel or a preemption request
};

enum class DenialReason : uint8_t {
  kUnknownService,
  kServiceNotPermitted,
  kEndpointNotDeclared,
  kDirectionNotAllowed,
  kBadHandle,
  kBufferOutOfBounds,
  kHandleQuota,
  kKvQuota,
};
const char* ToString(DenialReason reason);
int32_t GuestErrorFor(DenialReason reason);

struct AuditEntry {
  uint64_t time_us = 0;
  uint32_t container = 0;  // container id
  uint16_t service = 0;
  DenialReason reason = DenialReason::kUnknownService;
};

enum class TraceKind : uint8_t {
  kRun,           // a run slice: time_us = start, value = duration in us, aux = RunExit
  kRelease,       // a periodic activation was released
  kDeadlineMiss,  // value = lateness in us
  kOverrun,       // budget used up; aux = OverrunPolicy
  kDenial,        // aux = DenialReason, value = service
  kState,         // aux = new State
};

struct TraceEvent {
  uint64_t time_us = 0;
  uint32_t value = 0;
  uint8_t slot = 0;  // container slot
  TraceKind kind = TraceKind::kRun;
  uint8_t aux = 0;
};

}  // namespace tc::engine
