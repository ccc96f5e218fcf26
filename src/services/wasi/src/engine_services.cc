// One service function serves all twelve WASI host functions: it builds the preview1 Environment
// of the calling container (its log path, the engine clock, the entropy port, its streams), runs
// the function and turns proc_exit and sched_yield into the engine's finish and yield.
#include "tc/wasi/engine_services.h"

namespace tc::wasi {

namespace {

using runtime::HostAction;
using runtime::HostReply;

// stdout and stderr of one call: the container's log path, one rate-limited line per fd_write.
// The iovecs of one call (printf writes the text and its newline separately) are gathered so the
// sink sees whole lines; longer output reaches it in kChunk pieces.
class LogOutput final : public OutputSink {
 public:
  static constexpr size_t kChunk = 128;

  LogOutput(services::HostServices& services, engine::Engine& engine, uint32_t id)
      : services_(services), engine_(engine), id_(id) {}

  bool Write(uint32_t, std::span<const uint8_t> bytes) override {
    if (services_.ports().log == nullptr || engine_.Find(id_) == nullptr) return false;
    if (!admitted_) {
      if (!services_.AdmitLine(engine_, id_)) {
        dropped_ = true;
        return false;
      }
      admitted_ = true;
    }
    while (!bytes.empty()) {
      if (used_ == kChunk) Flush();
      const size_t n = bytes.size() < kChunk - used_ ? bytes.size() : kChunk - used_;
      for (size_t i = 0; i < n; ++i) buffer_[used_ + i] = bytes[i];
      used_ += n;
      bytes = bytes.subspan(n);
    }
    return true;
  }

  void Flush() {
    if (used_ == 0) return;
    services_.ports().log->Write(engine_.Find(id_)->uid.view(), {buffer_, used_});
    used_ = 0;
  }
  bool dropped() const { return dropped_; }

 private:
  services::HostServices& services_;
  engine::Engine& engine_;
  uint32_t id_;
  bool admitted_ = false;
  bool dropped_ = false;
  size_t used_ = 0;
  uint8_t buffer_[kChunk];
};

// Every clock id reads the engine's monotonic clock (the engine has no wall clock).
class EngineSystem final : public SystemInterface {
 public:
  EngineSystem(engine::Engine& engine, services::EntropySource* entropy)
      : engine_(engine), entropy_(entropy) {}
  uint64_t NowNs(uint32_t) override { return engine_.NowUs() * 1000; }
  bool Random(std::span<uint8_t> out) override {
    return entropy_ != nullptr && entropy_->Fill(out).ok();
  }

 private:
  engine::Engine& engine_;
  services::EntropySource* entropy_;
};

}  // namespace

Status EngineServices::Register(engine::Engine& engine) {
  for (size_t i = 0; i < kFunctionCount; ++i) {
    const Function f = static_cast<Function>(i);
    engine::ServiceSpec spec;
    spec.fn = &Dispatch;
    spec.context = this;
    spec.permission = image::ServiceBit(image::Service::kWasi);
    if (f == Function::kRandomGet) {
      // The one (pointer, length) pair the gate can express; the others are fixed-size or
      // indirect (iovecs) and are checked by the function against the same GuestMemory.
      spec.buffer_count = 1;
      spec.buffers[0] = {0, 1};
    }
    const uint16_t number = HostFunctionOf(f);
    TC_RETURN_IF_ERROR(engine.RegisterService(static_cast<engine::HostFunction>(number), spec));
    const FunctionInfo& info = Info(f);
    TC_RETURN_IF_ERROR(engine.AddBinding({kModuleName, info.name, info.signature, -1, number}));
  }
  return Status::Ok();
}

Streams& EngineServices::StreamsFor(uint32_t id) {
  // Container ids carry their slot in the low byte (engine.cc).
  Slot& slot = slots_[(id & 0xFF) % engine::kMaxContainers];
  if (!slot.used || slot.container != id) {
    slot = Slot{};
    slot.used = true;
    slot.container = id;
  }
  return slot.streams;
}

HostReply EngineServices::Dispatch(void* self_ptr, engine::ServiceCall& call) {
  auto* self = static_cast<EngineServices*>(self_ptr);
  const Function f = static_cast<Function>(call.host->service - kFirstHostFunction);
  LogOutput output(self->services_, *call.engine, call.container);
  EngineSystem system(*call.engine, self->services_.ports().entropy);
  Environment env;
  env.sink = &output;
  env.system = &system;
  env.streams = &self->StreamsFor(call.container);
  const Outcome outcome = Call(f, env, call.host->args, call.host->memory);
  output.Flush();
  if (outcome.exit) return call.engine->FinishCaller(call.container, outcome.value);
  if (f == Function::kSchedYield) return call.engine->YieldCaller(call.container);
  if (output.dropped()) return {HostAction::kContinue, static_cast<uint16_t>(Errno::kAgain)};
  return {HostAction::kContinue, outcome.value};
}

}  // namespace tc::wasi
