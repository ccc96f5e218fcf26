// The engine on a real Cortex-M4 (QEMU mps2-an386), built with the device flags (-Os, no
// exceptions, no RTTI, no heap): eBPF containers through the runtime interface, the gate, the
// scheduler with a runaway next to a periodic container, reconfiguration and remove.
// The clock is a counter the metering below advances by 10 us per 1000 guest instructions, so
// the run is deterministic.
#include <cstring>

#include "device_check.h"
#include "tc/ebpf/ebpf_runtime.h"
#include "tc/engine/engine.h"

namespace {

using namespace tc::engine;
namespace rt = tc::runtime;

class CounterPort final : public EnginePort {
 public:
  uint64_t NowUs() override { return now_us; }
  void RequestWakeAt(uint64_t) override {}
  uint64_t now_us = 0;
};

CounterPort g_port;

// Advances the clock by the fuel each run used (1 us per 100 instructions).
class Metered final : public rt::Runtime {
 public:
  explicit Metered(rt::Runtime& inner) : inner_(inner) {}
  uint8_t type_id() const override { return inner_.type_id(); }
  const char* name() const override { return inner_.name(); }
  tc::Result<rt::Instance*> Instantiate(const rt::InstanceSpec& spec,
                                        std::span<uint8_t> region) override {
    TC_ASSIGN_OR_RETURN(rt::Instance * inner, inner_.Instantiate(spec, region));
    if (count_ == kMax) return tc::Status(tc::ErrorCode::kResourceExhausted, "no wrapper left");
    wrappers_[count_].inner = inner;
    return static_cast<rt::Instance*>(&wrappers_[count_++]);
  }

 private:
  struct Wrapper final : rt::Instance {
    rt::Instance* inner = nullptr;
    bool HasEntry(rt::Entry e) const override { return inner->HasEntry(e); }
    tc::Status Begin(rt::Entry e) override { return inner->Begin(e); }
    rt::RunReport Run(uint32_t fuel) override { return Charge(inner->Run(fuel)); }
    rt::RunReport Resume(int64_t r, uint32_t fuel) override {
      return Charge(inner->Resume(r, fuel));
    }
    void Abort() override { inner->Abort(); }
    void RequestPreemption() override { inner->RequestPreemption(); }
    rt::GuestMemory Memory() override { return inner->Memory(); }
    size_t MemoryInUse() const override { return inner->MemoryInUse(); }
    void Wipe() override { inner->Wipe(); }
    static rt::RunReport Charge(rt::RunReport report) {
      g_port.now_us += report.fuel_used / 100 + 1;
      return report;
    }
  };
  static constexpr size_t kMax = 8;
  rt::Runtime& inner_;
  Wrapper wrappers_[kMax];
  size_t count_ = 0;
};

struct Insn {
  uint8_t opcode, regs;
  int16_t offset;
  int32_t imm;
};
constexpr Insn I(uint8_t opcode, uint8_t dst, uint8_t src, int16_t offset, int32_t imm) {
  return Insn{opcode, static_cast<uint8_t>(src << 4 | dst), offset, imm};
}
template <size_t N>
std::span<const uint8_t> Bytes(const Insn (&insns)[N]) {
  return {reinterpret_cast<const uint8_t*>(insns), sizeof insns};
}

// log(memory, 5); return 0
const Insn kLogger[] = {I(0xb7, 2, 0, 0, 5), I(0x85, 0, 0, 0, 1), I(0xb7, 0, 0, 0, 0),
                        I(0x95, 0, 0, 0, 0)};
// endless loop
const Insn kSpin[] = {I(0xbf, 6, 1, 0, 0), I(0x05, 0, 0, -1, 0), I(0x95, 0, 0, 0, 0)};
// log(16, 4): not its memory; return the gate's answer
const Insn kProber[] = {I(0xb7, 1, 0, 0, 16), I(0xb7, 2, 0, 0, 4), I(0x85, 0, 0, 0, 1),
                        I(0x95, 0, 0, 0, 0)};

int g_logs = 0;
char g_last[8] = {};

rt::HostReply Log(void*, ServiceCall& call) {
  const auto text = call.resolved->buffers[0];
  const size_t n = text.size() < sizeof g_last - 1 ? text.size() : sizeof g_last - 1;
  std::memcpy(g_last, text.data(), n);
  g_last[n] = 0;
  ++g_logs;
  return {rt::HostAction::kContinue, 0};
}

alignas(16) uint8_t g_pool[kMaxContainers * 2048];
tc::ebpf::EbpfRuntime g_ebpf;
Metered g_metered(g_ebpf);
rt::RuntimeRegistry g_registry;

tc::Result<uint32_t> Install(Engine& engine, const char* uid, std::span<const uint8_t> code,
                             const Schedule& schedule) {
  tc::image::ContainerMetadata m;
  (void)m.uid.Assign(uid);
  m.runtime = tc::image::RuntimeKind::kEbpf;
  (void)m.entry.loop.Assign("run");
  m.quotas.memory_limit = 64;
  m.quotas.stack_bytes = 512;
  m.schedule = schedule;
  m.permissions.services = tc::image::ServiceBit(tc::image::Service::kLog);
  InstallRequest request;
  request.metadata = &m;
  request.code = code;
  return engine.Install(request);
}

void RunUntil(Engine& engine, uint64_t time_us) {
  while (g_port.now_us < time_us) {
    const StepResult r = engine.Step();
    if (!r.ran) g_port.now_us = r.next_wake_us < time_us ? r.next_wake_us : time_us;
  }
}

}  // namespace

int main() {
  tc::port::ConsoleInit();
  DEVICE_CHECK(g_registry.Register(g_metered).ok());
  static Engine engine(g_port, g_registry, g_pool);
  ServiceSpec log;
  log.fn = Log;
  log.buffer_count = 1;
  log.buffers[0] = {0, 1};
  DEVICE_CHECK(engine.RegisterService(HostFunction::kLog, log).ok());
  DEVICE_CHECK(engine.AddBinding({nullptr, nullptr, nullptr, 1, Number(HostFunction::kLog)}).ok());

  Schedule periodic;
  periodic.period_us = 1000;
  periodic.priority = 9;
  auto logger = Install(engine, "logger", Bytes(kLogger), periodic);
  auto spinner = Install(engine, "spinner", Bytes(kSpin), Schedule{});
  auto prober = Install(engine, "prober", Bytes(kProber), periodic);
  DEVICE_CHECK(logger.ok() && spinner.ok() && prober.ok());
  auto memory = engine.Find(*logger)->instance->Memory().bytes();
  std::memcpy(memory.data() + memory.size() - 64, "hello", 5);
  DEVICE_CHECK(engine.Start(*logger).ok());
  DEVICE_CHECK(engine.Start(*spinner).ok());
  DEVICE_CHECK(engine.Start(*prober).ok());

  RunUntil(engine, 10000);
  const Container& l = *engine.Find(*logger);
  DEVICE_CHECK(l.counters.activations == 10);
  DEVICE_CHECK(l.counters.deadline_misses == 0);
  DEVICE_CHECK(g_logs == 10);
  DEVICE_CHECK(std::strcmp(g_last, "hello") == 0);
  DEVICE_CHECK(engine.Find(*spinner)->counters.cpu_time_us > 5000);
  const Container& p = *engine.Find(*prober);
  DEVICE_CHECK(p.state == State::kStopped);
  DEVICE_CHECK(p.exit_code == kGuestBadBuffer);
  DEVICE_CHECK(engine.audit_log().size() == 1);

  // Revoke the logger's log permission while it runs: the next call is denied.
  ConfigUpdate update;
  update.uid = l.uid;
  update.sequence = 1;
  update.has_permissions = true;
  DEVICE_CHECK(engine.Configure(*logger, update).ok());
  RunUntil(engine, 12000);
  DEVICE_CHECK(g_logs == 10);
  DEVICE_CHECK(l.counters.denials == 2);
  DEVICE_CHECK(engine.Configure(*logger, update).code() == tc::ErrorCode::kRollback);

  DEVICE_CHECK(engine.Stop(*spinner).ok());
  DEVICE_CHECK(engine.Stop(*spinner).code() == tc::ErrorCode::kFailedPrecondition);
  const std::span<uint8_t> region = engine.Find(*spinner)->region;
  DEVICE_CHECK(engine.Remove(*spinner).ok());
  bool wiped = true;
  for (uint8_t b : region) wiped = wiped && b == 0;
  DEVICE_CHECK(wiped);
  DEVICE_CHECK(engine.Start(*spinner).code() == tc::ErrorCode::kFailedPrecondition);
  return tc::device_test::Finish("engine_selftest");
}
