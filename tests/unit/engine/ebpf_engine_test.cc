// The engine driving real eBPF containers through the eBPF runtime's adapter (raw bytecode,
// helpers mapped onto host functions), under the same deterministic metering as the wasm tests.
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "engine_fixture.h"
#include "metered_runtime.h"
#include "tc/ebpf/ebpf_runtime.h"

namespace tc::engine::testing {
namespace {

constexpr int32_t kLogHelper = 1;

// One eBPF instruction: opcode, dst/src registers, offset, immediate (RFC 9669 layout).
void Emit(std::vector<uint8_t>& code, uint8_t opcode, uint8_t dst, uint8_t src, int16_t offset,
          int32_t imm) {
  code.push_back(opcode);
  code.push_back(static_cast<uint8_t>(src << 4 | dst));
  code.push_back(static_cast<uint8_t>(offset & 0xFF));
  code.push_back(static_cast<uint8_t>((offset >> 8) & 0xFF));
  for (int i = 0; i < 4; ++i) code.push_back(static_cast<uint8_t>((imm >> (8 * i)) & 0xFF));
}

constexpr uint8_t kMov64Imm = 0xb7, kMov64Reg = 0xbf, kCall = 0x85, kExit = 0x95, kJa = 0x05;

// log(r1 = the container's memory, 5); return 0.
std::vector<uint8_t> LogProgram() {
  std::vector<uint8_t> c;
  Emit(c, kMov64Imm, 2, 0, 0, 5);
  Emit(c, kCall, 0, 0, 0, kLogHelper);
  Emit(c, kMov64Imm, 0, 0, 0, 0);
  Emit(c, kExit, 0, 0, 0, 0);
  return c;
}

// log(16, 4): an address that is not the container's; return what the gate answered.
std::vector<uint8_t> BadPointerProgram() {
  std::vector<uint8_t> c;
  Emit(c, kMov64Imm, 1, 0, 0, 16);
  Emit(c, kMov64Imm, 2, 0, 0, 4);
  Emit(c, kCall, 0, 0, 0, kLogHelper);
  Emit(c, kExit, 0, 0, 0, 0);
  return c;
}

std::vector<uint8_t> SpinProgram() {
  std::vector<uint8_t> c;
  Emit(c, kMov64Reg, 6, 1, 0, 0);
  Emit(c, kJa, 0, 0, -1, 0);
  Emit(c, kExit, 0, 0, 0, 0);
  return c;
}

struct LogSink {
  std::string last;
  std::vector<std::string> lines;
  int calls = 0;
};

runtime::HostReply LogFn(void* context, ServiceCall& call) {
  auto* sink = static_cast<LogSink*>(context);
  sink->last.assign(reinterpret_cast<const char*>(call.resolved->buffers[0].data()),
                    call.resolved->buffers[0].size());
  sink->lines.push_back(sink->last);
  ++sink->calls;
  return {runtime::HostAction::kContinue, 0};
}

class EbpfEngine : public ::testing::Test {
 protected:
  EbpfEngine() : metered_(ebpf_, port_), engine_(port_, Registry(), pool_) {
    port_.set_on_tick([this] { engine_.OnTick(); });
    ServiceSpec log;
    log.fn = LogFn;
    log.context = &log_;
    log.buffer_count = 1;
    log.buffers[0] = {0, 1};
    EXPECT_TRUE(engine_.RegisterService(HostFunction::kLog, log).ok());
    EXPECT_TRUE(
        engine_.AddBinding({nullptr, nullptr, nullptr, kLogHelper, Number(HostFunction::kLog)})
            .ok());
  }

  static image::ContainerMetadata Metadata(const char* uid, const Schedule& schedule) {
    image::ContainerMetadata m;
    EXPECT_TRUE(m.uid.Assign(uid).ok());
    m.runtime = image::RuntimeKind::kEbpf;
    EXPECT_TRUE(m.entry.loop.Assign("run").ok());  // the ELF function; raw bytecode ignores it
    m.quotas.memory_limit = 64;
    m.quotas.stack_bytes = 512;
    m.schedule = schedule;
    m.permissions.services = ServiceBit(Service::kLog);
    return m;
  }
  Result<uint32_t> Install(const image::ContainerMetadata& m, const std::vector<uint8_t>& code) {
    InstallRequest request;
    request.metadata = &m;
    request.code = code;
    return engine_.Install(request);
  }
  uint32_t Start(const char* uid, const std::vector<uint8_t>& code, const Schedule& schedule) {
    return Start(Metadata(uid, schedule), code);
  }
  uint32_t Start(const image::ContainerMetadata& m, const std::vector<uint8_t>& code) {
    auto id = Install(m, code);
    EXPECT_TRUE(id.ok()) << id.status().message();
    EXPECT_TRUE(engine_.Start(*id).ok());
    return *id;
  }

  void RunUntil(uint64_t time_us) {
    while (port_.NowUs() < time_us) {
      const StepResult r = engine_.Step();
      if (r.ran) continue;
      const uint64_t until = r.next_wake_us < time_us ? r.next_wake_us : time_us;
      port_.AdvanceNs(until * 1000 > port_.now_ns() ? until * 1000 - port_.now_ns() : 1000);
    }
  }

  const Container& Get(uint32_t id) const { return *engine_.Find(id); }

  FakePort port_;
  ebpf::EbpfRuntime ebpf_;
  MeteredRuntime metered_;
  runtime::RuntimeRegistry registry_;
  alignas(16) uint8_t pool_[kMaxContainers * 4096] = {};
  Engine engine_;
  LogSink log_;

 private:
  runtime::RuntimeRegistry& Registry() {
    EXPECT_TRUE(registry_.Register(metered_).ok());
    return registry_;
  }
};

Schedule Periodic(uint32_t period_us, uint8_t priority) {
  Schedule s;
  s.period_us = period_us;
  s.priority = priority;
  return s;
}

TEST_F(EbpfEngine, HelperCallsReachTheServiceWithTheContainersMemory) {
  const std::vector<uint8_t> code = LogProgram();
  const uint32_t id = Start("bpf.logger", code, Periodic(1000, 5));
  const auto memory = engine_.Find(id)->instance->Memory().bytes();
  // The input memory is the last `memory_limit` bytes of the guest block.
  std::memcpy(memory.data() + memory.size() - 64, "hello", 5);
  RunUntil(5000);
  EXPECT_EQ(Get(id).counters.activations, 5u);
  EXPECT_EQ(log_.calls, 5);
  EXPECT_EQ(log_.last, "hello");
}

TEST_F(EbpfEngine, PointerOutsideItsMemoryIsDenied) {
  const std::vector<uint8_t> code = BadPointerProgram();
  const uint32_t id = Start("bpf.prober", code, Periodic(1000, 5));
  RunUntil(1000);
  EXPECT_EQ(Get(id).state, State::kStopped);
  EXPECT_EQ(Get(id).exit_code, kGuestBadBuffer);
  EXPECT_EQ(Get(id).counters.denials, 1u);
  EXPECT_EQ(log_.calls, 0);
}

TEST_F(EbpfEngine, RunawayIsPreemptedByAPeriodicContainer) {
  const std::vector<uint8_t> spin = SpinProgram();
  const std::vector<uint8_t> logger = LogProgram();
  const uint32_t runaway = Start("bpf.rogue", spin, Schedule{});
  const uint32_t periodic = Start("bpf.logger", logger, Periodic(1000, 9));
  RunUntil(10000);
  EXPECT_EQ(Get(periodic).counters.activations, 10u);
  EXPECT_EQ(Get(periodic).counters.deadline_misses, 0u);
  EXPECT_GT(Get(runaway).counters.cpu_time_us, 9000u);
}

std::vector<uint8_t> ReadObject(const char* name) {
  std::ifstream in(std::string(TC_ENGINE_TEST_MODULES) + "/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_F(EbpfEngine, ElfObjectLogsAStringFromItsRodata) {
  const std::vector<uint8_t> elf = ReadObject("logger_bpf.o");
  ASSERT_FALSE(elf.empty());
  const uint32_t id = Start("bpf.elf", elf, Periodic(1000, 5));
  RunUntil(3000);
  EXPECT_EQ(Get(id).counters.activations, 3u);
  EXPECT_EQ(Get(id).counters.denials, 0u);
  EXPECT_EQ(log_.last, "from rodata");  // .rodata is inside the guest block the gate checks
}

TEST_F(EbpfEngine, InitLoopAndStopAreFunctionsOfOneElfObject) {
  const std::vector<uint8_t> elf = ReadObject("lifecycle_bpf.o");
  ASSERT_FALSE(elf.empty());
  image::ContainerMetadata m = Metadata("bpf.lifecycle", Periodic(1000, 5));
  ASSERT_TRUE(m.entry.init.Assign("tc_init").ok());
  ASSERT_TRUE(m.entry.stop.Assign("tc_stop").ok());
  const uint32_t id = Start(m, elf);
  RunUntil(2500);
  ASSERT_TRUE(engine_.Stop(id).ok());
  EXPECT_EQ(Get(id).state, State::kStopping);  // tc_stop runs on the scheduler, not in Stop()
  RunUntil(3000);
  EXPECT_EQ(Get(id).state, State::kStopped);
  EXPECT_EQ(log_.lines, (std::vector<std::string>{"init", "loop", "loop", "loop", "stop"}));
  EXPECT_EQ(Get(id).counters.denials, 0u);
}

TEST_F(EbpfEngine, AnEntryTheObjectLacksIsAbsentAndItsStopIsForced) {
  image::ContainerMetadata m = Metadata("bpf.nostop", Periodic(1000, 5));
  ASSERT_TRUE(m.entry.stop.Assign("tc_stop").ok());
  const uint32_t id = Start(m, ReadObject("logger_bpf.o"));
  RunUntil(1500);
  ASSERT_TRUE(engine_.Stop(id).ok());
  EXPECT_EQ(Get(id).state, State::kStopped);
  EXPECT_EQ(log_.lines, (std::vector<std::string>{"from rodata", "from rodata"}));
}

TEST_F(EbpfEngine, RawBytecodeHasOnlyOneEntryPoint) {
  image::ContainerMetadata m = Metadata("bpf.raw", Periodic(1000, 5));
  ASSERT_TRUE(m.entry.init.Assign("tc_init").ok());
  const Status status = Install(m, LogProgram()).status();
  EXPECT_EQ(status.code(), ErrorCode::kUnsupported);
  EXPECT_NE(std::string(status.message()).find("ELF"), std::string::npos) << status.message();
}

TEST_F(EbpfEngine, UnverifiableProgramIsRefusedAtInstall) {
  std::vector<uint8_t> code;
  Emit(code, kCall, 0, 0, 0, 42);  // helper 42 is not bound
  Emit(code, kExit, 0, 0, 0, 0);
  image::ContainerMetadata m;
  ASSERT_TRUE(m.uid.Assign("bpf.bad").ok());
  m.runtime = image::RuntimeKind::kEbpf;
  ASSERT_TRUE(m.entry.loop.Assign("run").ok());
  m.quotas.memory_limit = 64;
  m.quotas.stack_bytes = 512;
  InstallRequest request;
  request.metadata = &m;
  request.code = code;
  const Status status = engine_.Install(request).status();
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.position(), 0u);  // the verifier names the instruction
}

}  // namespace
}  // namespace tc::engine::testing
