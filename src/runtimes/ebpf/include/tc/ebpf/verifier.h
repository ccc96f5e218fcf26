// Pre-flight verification: everything about a program that can be decided before it runs is
// checked once here, so the interpreter only has to check what depends on run-time values
// (memory addresses, register-held helper ids, call depth, fuel).
#pragma once

#include <cstdint>

#include "tc/base/result.h"
#include "tc/ebpf/program.h"

namespace tc::ebpf {

struct VerifyLimits {
  uint32_t max_slots = 4096;  // 32 KiB of code
};

// A slot a run may start at, checked against its VerifiedProgram (only that class makes one).
class EntryPoint {
 public:
  uint32_t slot() const { return slot_; }

 private:
  friend class VerifiedProgram;
  explicit EntryPoint(uint32_t slot) : slot_(slot) {}
  uint32_t slot_;
};

// A program that passed Verify() together with the helper table it was verified against. Only
// Verify() creates one, so a Vm can never run unverified code.
class VerifiedProgram {
 public:
  const Program& program() const { return program_; }
  HelperTable helpers() const { return helpers_; }
  EntryPoint main_entry() const { return EntryPoint(program_.entry); }
  // Another function of the same code (an object with several entry points, e.g. tc_init and
  // tc_stop beside tc_loop): kOutOfRange unless `slot` starts an instruction of the program.
  Result<EntryPoint> EntryAt(uint32_t slot) const;

 private:
  friend Result<VerifiedProgram> Verify(const Program&, HelperTable, const VerifyLimits&);
  VerifiedProgram(const Program& program, HelperTable helpers)
      : program_(program), helpers_(helpers) {}

  Program program_;
  HelperTable helpers_;
};

// Errors carry the offending slot index as Status::position().
Result<VerifiedProgram> Verify(const Program& program, HelperTable helpers,
                               const VerifyLimits& limits = {});

}  // namespace tc::ebpf
