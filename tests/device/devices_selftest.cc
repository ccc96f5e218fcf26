// Device endpoints on a real Cortex-M4 (QEMU mps2-an386): an eBPF container opens its declared
// LED endpoint through the endpoint router and toggles the board's FPGAIO LED 0 once per
// activation — the test reads the LED register QEMU models; a container without the `endpoint`
// permission is denied and leaves LED 1 alone; revoking the endpoint stops the blinking. Then a
// Femto-Containers-style container finds LED 1 through the SAUL helpers and blinks it.
#include <cstring>

#include "device_check.h"
#include "tc/ebpf/ebpf_runtime.h"
#include "tc/engine/engine.h"
#include "tc/port/mps2_devices.h"
#include "tc/services/endpoints.h"
#include "tc/services/saul.h"

namespace {

using namespace tc::engine;
namespace rt = tc::runtime;

class CounterPort final : public EnginePort {
 public:
  uint64_t NowUs() override { return now_us; }
  void RequestWakeAt(uint64_t) override {}
  uint64_t now_us = 0;
};

struct Insn {
  uint8_t opcode, regs;
  int16_t offset;
  int32_t imm;
};
constexpr Insn I(uint8_t opcode, uint8_t dst, uint8_t src, int16_t offset, int32_t imm) {
  return Insn{opcode, static_cast<uint8_t>(src << 4 | dst), offset, imm};
}

// r7 = memory; h = open(1, write); memory[0] ^= 1; write(h, memory, 1); close(h); return 0.
const Insn kBlinker[] = {
    I(0xbf, 7, 1, 0, 0),                              // mov r7, r1
    I(0xb7, 1, 0, 0, 1),                              // mov r1, 1 (endpoint)
    I(0xb7, 2, 0, 0, 2),                              // mov r2, 2 (write)
    I(0x85, 0, 0, 0, tc::services::kBpfHelperOpen),   // call open
    I(0xbf, 6, 0, 0, 0),                              // mov r6, r0 (handle)
    I(0x71, 3, 7, 0, 0),                              // ldxb r3, [r7]
    I(0xa7, 3, 0, 0, 1),                              // xor r3, 1
    I(0x73, 7, 3, 0, 0),                              // stxb [r7], r3
    I(0xbf, 1, 6, 0, 0),                              // mov r1, r6
    I(0xbf, 2, 7, 0, 0),                              // mov r2, r7
    I(0xb7, 3, 0, 0, 1),                              // mov r3, 1
    I(0x85, 0, 0, 0, tc::services::kBpfHelperWrite),  // call write
    I(0xbf, 1, 6, 0, 0),                              // mov r1, r6
    I(0x85, 0, 0, 0, tc::services::kBpfHelperClose),  // call close
    I(0xb7, 0, 0, 0, 0),                              // mov r0, 0
    I(0x95, 0, 0, 0, 0),                              // exit
};

// r7 = memory; dev = saul_reg_find_nth(0); memory[0] ^= 1 (phydat val[0]); saul_reg_write(dev,
// memory); return 0.
const Insn kSaulBlinker[] = {
    I(0xbf, 7, 1, 0, 0),                                    // mov r7, r1
    I(0xb7, 1, 0, 0, 0),                                    // mov r1, 0 (position)
    I(0x85, 0, 0, 0, tc::services::kBpfHelperSaulFindNth),  // call saul_reg_find_nth
    I(0xbf, 1, 0, 0, 0),                                    // mov r1, r0 (device)
    I(0x71, 3, 7, 0, 0),                                    // ldxb r3, [r7]
    I(0xa7, 3, 0, 0, 1),                                    // xor r3, 1
    I(0x73, 7, 3, 0, 0),                                    // stxb [r7], r3
    I(0xbf, 2, 7, 0, 0),                                    // mov r2, r7 (phydat_t)
    I(0x85, 0, 0, 0, tc::services::kBpfHelperSaulWrite),    // call saul_reg_write
    I(0xb7, 0, 0, 0, 0),                                    // mov r0, 0
    I(0x95, 0, 0, 0, 0),                                    // exit
};

CounterPort g_port;
alignas(16) uint8_t g_pool[kMaxContainers * 4096];
tc::ebpf::EbpfRuntime g_ebpf;
rt::RuntimeRegistry g_registry;
tc::port::Mps2Devices g_board;
tc::services::Endpoints g_endpoints(nullptr, &g_board);
tc::services::SaulHelpers g_saul(&g_board);

tc::image::ContainerMetadata Blinker(const char* uid, uint32_t led,
                                     tc::image::ServiceMask services) {
  tc::image::ContainerMetadata m;
  (void)m.uid.Assign(uid);
  m.runtime = tc::image::RuntimeKind::kEbpf;
  (void)m.entry.loop.Assign("run");
  m.quotas.memory_limit = 64;
  m.quotas.stack_bytes = 512;
  m.quotas.max_handles = 1;
  m.schedule.period_us = 1000;
  m.schedule.priority = 5;
  m.permissions.services = services;
  Endpoint e;
  e.id = 1;
  e.peer.kind = PeerKind::kLocal;
  e.peer.device_class = tc::image::DeviceClass::kLed;
  e.peer.address = led;
  e.direction = Direction::kOut;
  (void)m.permissions.endpoints.push_back(e);
  return m;
}

template <size_t N>
tc::Result<uint32_t> Start(Engine& engine, const tc::image::ContainerMetadata& m,
                           const Insn (&code)[N]) {
  InstallRequest request;
  request.metadata = &m;
  request.code = {reinterpret_cast<const uint8_t*>(code), sizeof code};
  TC_ASSIGN_OR_RETURN(uint32_t id, engine.Install(request));
  TC_RETURN_IF_ERROR(engine.Start(id));
  return id;
}

void RunUntil(Engine& engine, uint64_t time_us) {
  while (g_port.now_us < time_us) {
    const StepResult r = engine.Step();
    if (!r.ran) g_port.now_us = r.next_wake_us < time_us ? r.next_wake_us : time_us;
  }
}

uint32_t Leds() {
  return *reinterpret_cast<volatile uint32_t*>(tc::port::Mps2Devices::kFpgaioLed0);
}

}  // namespace

int main() {
  tc::port::ConsoleInit();
  DEVICE_CHECK(g_registry.Register(g_ebpf).ok());
  static Engine engine(g_port, g_registry, g_pool);
  DEVICE_CHECK(g_endpoints.Register(engine).ok());
  DEVICE_CHECK(g_saul.Register(engine).ok());
  DEVICE_CHECK((Leds() & 3) == 0);

  const auto endpoint = tc::image::ServiceBit(tc::image::Service::kEndpoint);
  const tc::image::ContainerMetadata blink = Blinker("blink", 0, endpoint);
  const tc::image::ContainerMetadata denied =
      Blinker("denied", 1, tc::image::ServiceBit(tc::image::Service::kChannel));
  auto blinker = Start(engine, blink, kBlinker);
  auto other = Start(engine, denied, kBlinker);
  DEVICE_CHECK(blinker.ok() && other.ok());

  RunUntil(engine, 500);  // first activation of each
  DEVICE_CHECK((Leds() & 1) == 1);
  RunUntil(engine, 1500);
  DEVICE_CHECK((Leds() & 1) == 0);
  RunUntil(engine, 4500);
  const Container& b = *engine.Find(*blinker);
  DEVICE_CHECK(b.counters.activations == 5);
  DEVICE_CHECK(b.counters.denials == 0);
  DEVICE_CHECK((Leds() & 1) == 1);  // five toggles
  // The other container lacks `endpoint`: open, write and close are denied; LED 1 stays off.
  const Container& o = *engine.Find(*other);
  DEVICE_CHECK(o.counters.denials == 15);
  DEVICE_CHECK((Leds() & 2) == 0);

  // Revoking the endpoint: the blinker's open is denied from now on, the LED keeps its state.
  ConfigUpdate update;
  update.uid = b.uid;
  update.sequence = 1;
  update.has_permissions = true;
  update.permissions = blink.permissions;
  update.permissions.endpoints.clear();
  DEVICE_CHECK(engine.Configure(*blinker, update).ok());
  RunUntil(engine, 8500);
  DEVICE_CHECK((Leds() & 1) == 1);
  DEVICE_CHECK(b.counters.denials == 12);

  // SAUL: the first SAUL device among its declared endpoints is LED 1; three activations.
  const tc::image::ContainerMetadata saul_blink = Blinker("saul", 1, endpoint);
  auto saul = Start(engine, saul_blink, kSaulBlinker);
  DEVICE_CHECK(saul.ok());
  RunUntil(engine, 11000);
  const Container& s = *engine.Find(*saul);
  DEVICE_CHECK(s.counters.activations == 3);
  DEVICE_CHECK(s.counters.denials == 0);
  DEVICE_CHECK((Leds() & 2) == 2);
  return tc::device_test::Finish("devices_selftest");
}
