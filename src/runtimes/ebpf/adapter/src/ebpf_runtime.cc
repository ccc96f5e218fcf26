#include "tc/ebpf/ebpf_runtime.h"

#include <atomic>
#include <cstring>
#include <new>
#include <optional>

#include "tc/ebpf/elf_loader.h"
#include "tc/ebpf/vm.h"

namespace tc::ebpf {

namespace {

using runtime::Entry;
using runtime::RunExit;
using runtime::RunReport;

constexpr size_t kAlign = 8;

size_t AlignUp(size_t n) { return (n + kAlign - 1) & ~(kAlign - 1); }

class EbpfInstance;

struct HelperContext {
  EbpfInstance* instance;
  uint16_t service;
};

// Carves 8-aligned pieces off the front of the region.
class Carver {
 public:
  explicit Carver(std::span<uint8_t> region) : region_(region) {}
  std::span<uint8_t> Take(size_t bytes) {
    const size_t start = AlignUp(used_);
    if (start > region_.size() || bytes > region_.size() - start) return {};
    used_ = start + bytes;
    return region_.subspan(start, bytes);
  }

 private:
  std::span<uint8_t> region_;
  size_t used_ = 0;
};

class EbpfInstance final : public runtime::Instance {
 public:
  EbpfInstance(const runtime::InstanceSpec& spec, const VerifiedProgram& program,
               std::span<uint8_t> stack, std::span<uint8_t> input, std::span<uint8_t> guest)
      : host_(spec.host),
        host_context_(spec.host_context),
        vm_(program, stack),
        input_(input),
        guest_(guest) {
    vm_.SetPreemptFlag(&preempt_);
  }

  void SetEntry(Entry entry, EntryPoint point) { entries_[static_cast<size_t>(entry)] = point; }

  bool HasEntry(Entry entry) const override {
    return entries_[static_cast<size_t>(entry)].has_value();
  }

  Status Begin(Entry entry) override {
    if (!HasEntry(entry)) return Status(ErrorCode::kNotFound, "entry point not provided");
    if (active_) return Status(ErrorCode::kFailedPrecondition, "an activation is unfinished");
    vm_.Start(*entries_[static_cast<size_t>(entry)], input_, kReadWrite);
    active_ = true;
    return Status::Ok();
  }

  RunReport Run(uint32_t fuel) override {
    const uint64_t before = vm_.instructions_executed();
    RunReport report;
    report.exit = vm_.Resume(fuel);
    report.fuel_used = static_cast<uint32_t>(vm_.instructions_executed() - before);
    switch (report.exit) {
      case RunExit::kFinished:
        active_ = false;
        report.result = static_cast<int64_t>(vm_.result());
        break;
      case RunExit::kTrapped:
        active_ = false;
        report.trap = vm_.trap_reason();
        break;
      case RunExit::kPreempted: preempt_.store(false, std::memory_order_relaxed); break;
      default: break;
    }
    return report;
  }

  RunReport Resume(int64_t host_result, uint32_t fuel) override {
    vm_.SetBlockedResult(static_cast<uint64_t>(host_result));
    return Run(fuel);
  }

  void Abort() override { active_ = false; }
  void RequestPreemption() override { preempt_.store(true, std::memory_order_relaxed); }
  runtime::GuestMemory Memory() override {
    return runtime::GuestMemory(guest_, reinterpret_cast<uintptr_t>(guest_.data()));
  }
  size_t MemoryInUse() const override { return input_.size(); }
  void Wipe() override {
    std::memset(guest_.data(), 0, guest_.size());
    active_ = false;
  }

  static runtime::HostAction Trampoline(void* context, Vm&, const uint64_t* args,
                                        uint64_t* result) {
    const auto& helper = *static_cast<const HelperContext*>(context);
    EbpfInstance& self = *helper.instance;
    runtime::HostCall call;
    call.service = helper.service;
    call.arg_count = runtime::kMaxHostArgs;
    for (size_t i = 0; i < runtime::kMaxHostArgs; ++i) call.args[i] = args[i];
    call.memory = self.Memory();
    const runtime::HostReply reply = self.host_->OnHostCall(self.host_context_, call);
    *result = static_cast<uint64_t>(reply.value);
    return reply.action;
  }

 private:
  runtime::HostHandler* host_;
  void* host_context_;
  std::atomic<bool> preempt_{false};
  Vm vm_;
  std::span<uint8_t> input_;
  std::span<uint8_t> guest_;
  std::optional<EntryPoint> entries_[runtime::kEntryCount];
  bool active_ = false;
};

bool IsElf(std::span<const uint8_t> code) {
  return code.size() >= 4 && code[0] == 0x7f && code[1] == 'E' && code[2] == 'L' && code[3] == 'F';
}

// The ELF symbol lookups take NUL-terminated names; metadata names are bounded views.
struct SymbolName {
  char text[64] = {};
};

Result<SymbolName> ToSymbolName(std::string_view name) {
  SymbolName out;
  if (name.size() >= sizeof(out.text)) return Status(ErrorCode::kInvalid, "entry name too long");
  std::memcpy(out.text, name.data(), name.size());
  return out;
}

// Where tc_init/tc_stop start in an ELF object: absent when the object has no such function
// (the engine then skips init, and a stop is forced), as a wasm module without the export.
Result<std::optional<EntryPoint>> ExtraEntry(const VerifiedProgram& program,
                                             std::span<const uint8_t> elf, std::string_view name) {
  if (name.empty()) return std::optional<EntryPoint>();
  TC_ASSIGN_OR_RETURN(const SymbolName symbol, ToSymbolName(name));
  const Result<uint32_t> slot = ElfFunctionSlot(elf, symbol.text);
  if (!slot.ok()) {
    if (slot.status().code() == ErrorCode::kNotFound) return std::optional<EntryPoint>();
    return slot.status();
  }
  TC_ASSIGN_OR_RETURN(const EntryPoint point, program.EntryAt(*slot));
  return std::optional<EntryPoint>(point);
}

}  // namespace

Result<runtime::Instance*> EbpfRuntime::Instantiate(const runtime::InstanceSpec& spec,
                                                    std::span<uint8_t> region) {
  const Status no_room(ErrorCode::kResourceExhausted, "ebpf instance does not fit its region");
  const std::string_view loop = spec.entry_names[static_cast<size_t>(Entry::kLoop)];
  const std::string_view start = spec.entry_names[static_cast<size_t>(Entry::kStart)];
  const std::string_view entry = loop.empty() ? start : loop;
  if (entry.empty()) return Status(ErrorCode::kNotFound, "ebpf container needs a loop or start");
  const std::string_view init = spec.entry_names[static_cast<size_t>(Entry::kInit)];
  const std::string_view stop = spec.entry_names[static_cast<size_t>(Entry::kStop)];
  if (!IsElf(spec.code) && (!init.empty() || !stop.empty())) {
    return Status(ErrorCode::kUnsupported,
                  "raw eBPF bytecode has one entry point: tc_init/tc_stop need an ELF object");
  }

  Carver carver(region);
  const std::span<uint8_t> self_bytes = carver.Take(sizeof(EbpfInstance));
  const std::span<uint8_t> program_bytes = carver.Take(sizeof(VerifiedProgram));
  // Helper table indexed by helper number, each entry with its trampoline context.
  size_t helper_count = 0;
  for (const runtime::HostBinding& b : spec.bindings) {
    if (b.bpf_helper >= 0 && static_cast<uint32_t>(b.bpf_helper) <= kMaxHelperId &&
        static_cast<size_t>(b.bpf_helper) + 1 > helper_count) {
      helper_count = static_cast<size_t>(b.bpf_helper) + 1;
    }
  }
  const std::span<uint8_t> helper_bytes = carver.Take(helper_count * sizeof(Helper));
  const std::span<uint8_t> context_bytes = carver.Take(helper_count * sizeof(HelperContext));
  if (self_bytes.empty() || program_bytes.empty() ||
      helper_bytes.size() != helper_count * sizeof(Helper) ||
      context_bytes.size() != helper_count * sizeof(HelperContext)) {
    return no_room;
  }

  // Code first; then the guest block: .rodata/.data (ELF), stack, input memory.
  Program program;
  if (IsElf(spec.code)) {
    TC_ASSIGN_OR_RETURN(const SymbolName name, ToSymbolName(entry));
    TC_ASSIGN_OR_RETURN(const size_t storage_size, ElfStorageSize(spec.code));
    const std::span<uint8_t> storage = carver.Take(storage_size);
    if (storage.size() != storage_size) return no_room;
    TC_ASSIGN_OR_RETURN(program, LoadElf(spec.code, storage, name.text));
  } else {
    program.code = spec.code;
  }
  const std::span<uint8_t> stack = carver.Take(Vm::kFrameSize * 2);
  const std::span<uint8_t> input = carver.Take(spec.limits.memory_bytes);
  if (stack.size() != Vm::kFrameSize * 2 || input.size() != spec.limits.memory_bytes) {
    return no_room;
  }
  // The sections LoadElf placed after the code belong to the guest block when they are adjacent.
  uint8_t* block_begin = stack.data();
  for (const std::span<const uint8_t> section :
       {program.rodata, std::span<const uint8_t>(program.data)}) {
    if (!section.empty() && section.data() < block_begin && section.data() >= region.data() &&
        section.data() > program.code.data()) {
      block_begin = const_cast<uint8_t*>(section.data());
    }
  }
  const std::span<uint8_t> guest(block_begin, input.data() + input.size());

  auto* helpers = reinterpret_cast<Helper*>(helper_bytes.data());
  auto* contexts = reinterpret_cast<HelperContext*>(context_bytes.data());
  auto* self_slot = reinterpret_cast<EbpfInstance*>(self_bytes.data());
  for (size_t i = 0; i < helper_count; ++i) helpers[i] = Helper{};
  for (const runtime::HostBinding& b : spec.bindings) {
    if (b.bpf_helper < 0 || static_cast<uint32_t>(b.bpf_helper) > kMaxHelperId) continue;
    const auto id = static_cast<size_t>(b.bpf_helper);
    contexts[id] = HelperContext{self_slot, b.service};
    helpers[id] = Helper{&EbpfInstance::Trampoline, &contexts[id]};
  }

  TC_ASSIGN_OR_RETURN(const VerifiedProgram verified,
                      Verify(program, HelperTable(helpers, helper_count), limits_));
  TC_ASSIGN_OR_RETURN(const std::optional<EntryPoint> init_entry,
                      ExtraEntry(verified, spec.code, init));
  TC_ASSIGN_OR_RETURN(const std::optional<EntryPoint> stop_entry,
                      ExtraEntry(verified, spec.code, stop));
  auto* kept = new (program_bytes.data()) VerifiedProgram(verified);
  auto* self = new (self_bytes.data()) EbpfInstance(spec, *kept, stack, input, guest);
  self->SetEntry(loop.empty() ? Entry::kStart : Entry::kLoop, kept->main_entry());
  if (init_entry) self->SetEntry(Entry::kInit, *init_entry);
  if (stop_entry) self->SetEntry(Entry::kStop, *stop_entry);
  return static_cast<runtime::Instance*>(self);
}

}  // namespace tc::ebpf
