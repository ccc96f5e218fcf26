// One running instance of a verified eBPF program: registers, a bounded bpf-to-bpf call stack,
// the memory regions the program may touch, and a run state that survives a stop, so the engine
// can give the program a slice of fuel, get control back and resume it later.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>

#include "tc/base/status.h"
#include "tc/ebpf/instruction.h"
#include "tc/ebpf/verifier.h"
#include "tc/runtime/execution.h"

namespace tc::ebpf {

enum Access : uint8_t {
  kRead = 1,
  kWrite = 2,
  kReadWrite = kRead | kWrite,
};

// A span of host memory the guest may address (guest addresses are host addresses).
struct Region {
  uintptr_t start = 0;
  uint32_t size = 0;
  uint8_t access = 0;
};

class Vm {
 public:
  static constexpr uint32_t kFrameSize = 512;   // stack bytes each function sees below r10
  static constexpr uint32_t kMaxCallDepth = 8;  // nested bpf-to-bpf calls
  static constexpr uint32_t kMaxGrantedRegions = 4;
  static constexpr uint32_t kPreemptInterval = 32;  // instructions between preemption checks

  // `stack` (8-byte aligned) holds one frame per active function: kFrameSize bytes each, or the
  // whole span as the only frame when it is smaller. Local calls nest as deep as it has frames.
  Vm(const VerifiedProgram& program, std::span<uint8_t> stack);

  // Lets the guest access [start, start + size) — e.g. a peripheral buffer. Default is deny.
  Status GrantRegion(void* start, uint32_t size, Access access);
  void RevokeGrantedRegions();

  // Read when a run starts, every kPreemptInterval instructions and after each call: when
  // it reads true the run stops with kPreempted before the next instruction. The embedder (e.g.
  // a timer interrupt) sets it and clears it before resuming.
  void SetPreemptFlag(const std::atomic<bool>* flag) { preempt_ = flag; }

  // Prepares a run from the entry point (the constructor already did, with no input): r1 = address
  // of `input` (0 when empty), r2 = its size; `input` becomes a region with `input_access`. Clears
  // registers, call stack, trap and the instruction count.
  void Start(std::span<uint8_t> input, Access input_access = kReadWrite);
  // The same from another entry point of the program (VerifiedProgram::EntryAt).
  void Start(EntryPoint entry, std::span<uint8_t> input, Access input_access = kReadWrite);
  // Runs at most `fuel` instructions from where the program stands (start, or where the last
  // run stopped) and tells why it returned.
  runtime::RunExit Resume(uint64_t fuel);
  // Start() + Resume().
  runtime::RunExit Run(std::span<uint8_t> input, uint64_t fuel);

  // After kBlocked: the value the blocked helper call returns to the guest (r0). Without it the
  // guest sees what the helper wrote to *result before blocking.
  void SetBlockedResult(uint64_t value) { regs_[0] = value; }

  // A guest address range as a host pointer, or nullptr when [address, address + size) is not
  // inside one region allowing `access`. Helpers use it for every guest pointer they receive.
  uint8_t* Translate(uint64_t address, uint32_t size, Access access) const;

  uint64_t result() const { return regs_[0]; }  // r0 once kFinished
  uint64_t reg(uint32_t index) const { return regs_[index]; }
  runtime::TrapReason trap_reason() const { return trap_; }
  uint32_t pc() const { return pc_; }  // the next slot to execute, or the faulting slot on a trap
  uint64_t instructions_executed() const { return executed_; }  // since Start(), all slices
  bool finished() const { return state_ == State::kFinished; }

 private:
  enum class State : uint8_t { kIdle, kReady, kFinished, kTrapped };
  void StartAt(uint32_t slot, std::span<uint8_t> input, Access input_access);
  struct Frame {
    uint64_t saved[4];  // r6..r9
    uint32_t return_pc;
  };
  // Fixed region slots; unused ones have size 0.
  enum RegionSlot : uint8_t {
    kStackRegion,
    kInputRegion,
    kRodataRegion,
    kDataRegion,
    kFirstGranted
  };

  // Record where the run stopped and the fuel it used.
  runtime::RunExit Suspend(runtime::RunExit exit, uint32_t pc, uint64_t used);
  runtime::RunExit Trap(runtime::TrapReason reason, uint32_t pc, uint64_t used);
  bool PreemptRequested() const;
  uint64_t SectionAddress(int32_t section) const;

  Program program_;
  HelperTable helpers_;
  const std::atomic<bool>* preempt_ = nullptr;
  uint64_t regs_[kRegisterCount] = {};
  uint64_t stack_top_;
  uint32_t frame_size_;
  uint32_t max_depth_;
  uint32_t depth_ = 0;
  uint32_t pc_ = 0;
  uint64_t executed_ = 0;
  State state_ = State::kIdle;
  runtime::TrapReason trap_ = runtime::TrapReason::kNone;
  Region regions_[kFirstGranted + kMaxGrantedRegions];
  Frame frames_[kMaxCallDepth];
};

}  // namespace tc::ebpf
