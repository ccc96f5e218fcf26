#include "tc/wasm/wasm_runtime.h"

#include <cstring>
#include <new>

#include "tc/wasm/arena.h"
#include "tc/wasm/instance.h"
#include "tc/wasm/module.h"
#include "tc/wasm/thread.h"

namespace tc::wasm {

namespace {

using runtime::Entry;
using runtime::RunExit;
using runtime::RunReport;

constexpr size_t kMinFrames = 8;

class WasmInstance;

// What a host import's trampoline needs: whom to call, with which service number.
struct ImportContext {
  WasmInstance* instance;
  uint16_t service;
};

class WasmInstance final : public runtime::Instance {
 public:
  WasmInstance(const runtime::InstanceSpec& spec, std::span<Slot> values, std::span<Frame> frames)
      : host_(spec.host), host_context_(spec.host_context), thread_(values, frames) {}

  Status Link(wasm::Instance* instance, std::span<const std::string_view> names) {
    instance_ = instance;
    for (size_t e = 0; e < runtime::kEntryCount; ++e) {
      if (names[e].empty()) continue;
      const Name name{reinterpret_cast<const uint8_t*>(names[e].data()),
                      static_cast<uint32_t>(names[e].size())};
      auto found = instance->GetExport(name, ExternKind::kFunction);
      if (found.ok()) entries_[e] = found->function;
    }
    return Status::Ok();
  }

  bool HasEntry(Entry entry) const override {
    return entries_[static_cast<size_t>(entry)] != nullptr;
  }

  Status Begin(Entry entry) override {
    const Function* function = entries_[static_cast<size_t>(entry)];
    if (function == nullptr) return Status(ErrorCode::kNotFound, "entry point not exported");
    if (active_) return Status(ErrorCode::kFailedPrecondition, "an activation is unfinished");
    if (function->type->param_count != 0) {
      return Status(ErrorCode::kInvalid, "entry points take no parameters");
    }
    TC_RETURN_IF_ERROR(thread_.Start(*function, {}));
    active_ = true;
    return Status::Ok();
  }

  RunReport Run(uint32_t fuel) override {
    thread_.set_fuel(fuel);
    RunReport report;
    report.exit = thread_.Run();
    const int64_t left = thread_.fuel();
    report.fuel_used = left <= 0 ? fuel : fuel - static_cast<uint32_t>(left);
    if (report.exit == RunExit::kFinished) {
      active_ = false;
      const auto results = thread_.results();
      // i32 results come back zero-extended in their slot; the guest ABI reads them signed.
      if (!results.empty()) report.result = static_cast<int32_t>(results[0]);
    } else if (report.exit == RunExit::kTrapped) {
      active_ = false;
      report.trap = thread_.trap_reason();
    }
    return report;
  }

  RunReport Resume(int64_t host_result, uint32_t fuel) override {
    const auto results = thread_.blocked_results();
    if (!results.empty()) results[0] = static_cast<Slot>(host_result);
    return Run(fuel);
  }

  void Abort() override { active_ = false; }
  void RequestPreemption() override { thread_.RequestPreemption(); }

  runtime::GuestMemory Memory() override {
    if (instance_ == nullptr || instance_->memory == nullptr) return {};
    const wasm::Memory& m = *instance_->memory;
    return runtime::GuestMemory({m.data, static_cast<size_t>(m.accessible)});
  }
  size_t MemoryInUse() const override {
    return (instance_ != nullptr && instance_->memory != nullptr)
               ? static_cast<size_t>(instance_->memory->accessible)
               : 0;
  }
  void Wipe() override {
    if (instance_ != nullptr && instance_->memory != nullptr && instance_->memory->data) {
      std::memset(instance_->memory->data, 0, static_cast<size_t>(instance_->memory->capacity));
    }
    active_ = false;
    instance_ = nullptr;
  }

  // A wasm host import: forwards the call to the engine as a runtime::HostCall.
  static runtime::HostAction Trampoline(void* context, HostCall& call) {
    const auto& import = *static_cast<const ImportContext*>(context);
    WasmInstance& self = *import.instance;
    runtime::HostCall host;
    host.service = import.service;
    const uint16_t params = call.type->param_count;
    host.arg_count =
        static_cast<uint8_t>(params < runtime::kMaxHostArgs ? params : runtime::kMaxHostArgs);
    for (uint8_t i = 0; i < host.arg_count; ++i) host.args[i] = call.values[i];
    host.memory = self.Memory();
    const runtime::HostReply reply = self.host_->OnHostCall(self.host_context_, host);
    if (reply.action == runtime::HostAction::kContinue && call.type->result_count != 0) {
      call.values[0] = call.type->results()[0] == ValType::kI32
                           ? static_cast<Slot>(static_cast<uint32_t>(reply.value))
                           : static_cast<Slot>(reply.value);
    }
    return reply.action;
  }

 private:
  runtime::HostHandler* host_;
  void* host_context_;
  Thread thread_;
  wasm::Instance* instance_ = nullptr;
  const Function* entries_[runtime::kEntryCount] = {};
  bool active_ = false;
};

}  // namespace

Result<runtime::Instance*> WasmRuntime::Instantiate(const runtime::InstanceSpec& spec,
                                                    std::span<uint8_t> region) {
  const Status no_room(ErrorCode::kResourceExhausted, "wasm instance does not fit its region");
  if (region.size() < sizeof(WasmInstance)) return no_room;
  Arena arena(region.subspan(sizeof(WasmInstance)));

  TC_ASSIGN_OR_RETURN(const Module* module, Decode(spec.code, arena, limits_));

  // Stacks from the stack quota: value slots and call frames share it.
  const size_t stack_bytes = spec.limits.stack_bytes;
  size_t frame_count = stack_bytes / (4 * sizeof(Frame));
  if (frame_count < kMinFrames) frame_count = kMinFrames;
  const size_t slot_count = stack_bytes / sizeof(Slot);
  Slot* values = arena.AllocateArray<Slot>(slot_count);
  Frame* frames = arena.AllocateArray<Frame>(frame_count);
  if (values == nullptr || frames == nullptr) return no_room;
  auto* self = new (region.data()) WasmInstance(spec, {values, slot_count}, {frames, frame_count});

  // Host imports resolve against the engine's bindings; each gets a trampoline context.
  const size_t bindings = spec.bindings.size();
  auto* table = arena.AllocateArray<HostFunctionEntry>(bindings);
  auto* contexts = arena.AllocateArray<ImportContext>(bindings);
  auto* functions = arena.AllocateArray<Function>(module->import_count);
  auto* externs = arena.AllocateArray<Extern>(module->import_count);
  if ((bindings != 0 && (table == nullptr || contexts == nullptr)) ||
      (module->import_count != 0 && (functions == nullptr || externs == nullptr))) {
    return no_room;
  }
  size_t wasm_bindings = 0;
  for (const runtime::HostBinding& b : spec.bindings) {
    if (b.module == nullptr || b.name == nullptr || b.signature == nullptr) continue;
    contexts[wasm_bindings] = ImportContext{self, b.service};
    table[wasm_bindings] = HostFunctionEntry{b.module, b.name, b.signature,
                                             &WasmInstance::Trampoline, &contexts[wasm_bindings]};
    ++wasm_bindings;
  }
  TC_RETURN_IF_ERROR(ResolveHostImports(*module, {table, wasm_bindings},
                                        {functions, module->import_count},
                                        {externs, module->import_count}));

  InstanceOptions options;
  if (module->has_memory && !module->memory_imported) {
    uint8_t* memory = arena.AllocateArray<uint8_t>(spec.limits.memory_bytes);
    if (memory == nullptr && spec.limits.memory_bytes != 0) return no_room;
    options.memory_storage = {memory, spec.limits.memory_bytes};
  }
  runtime::TrapReason trap = runtime::TrapReason::kNone;
  auto instance =
      wasm::Instantiate(*module, {externs, module->import_count}, arena, options, &trap);
  if (!instance.ok()) return instance.status();
  TC_RETURN_IF_ERROR(self->Link(*instance, spec.entry_names));

  if (const Function* start = StartFunction(**instance); start != nullptr) {
    // The module's own start function runs once, here, with bounded fuel and without blocking.
    Thread starter({values, slot_count}, {frames, frame_count});
    starter.set_fuel(spec.limits.start_fuel);
    TC_RETURN_IF_ERROR(starter.Start(*start, {}));
    const RunExit exit = starter.Run();
    if (exit == RunExit::kTrapped) return Status(ErrorCode::kTrap, "start function trapped");
    if (exit != RunExit::kFinished) {
      return Status(ErrorCode::kUnsupported, "start function blocked or ran out of fuel");
    }
  }
  return static_cast<runtime::Instance*>(self);
}

}  // namespace tc::wasm
