// C containers built against sdk/include/tinycontainer.h — one for wasm32 (clang-14 -nostdlib),
// one for eBPF — run by one engine with both real runtimes and one set of host services: the
// log lines arrive, the counter round-trips through the key-value store, and a call the
// container is not permitted is denied with TC_ENOT_PERMITTED and counted.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "endpoint_builders.h"
#include "runtimes_fixture.h"
#include "tc/services/endpoints.h"
#include "tinycontainer.h"

namespace tc::services {
namespace {

using image::Service;
using image::ServiceBit;
using testing::ChannelEnd;

std::vector<uint8_t> ReadModule(const char* name) {
  std::ifstream in(std::string(TC_SERVICES_TEST_MODULES) + "/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class SdkContainers : public testing::RuntimesFixture {
 protected:
  SdkContainers() { EXPECT_TRUE(endpoints_.Register(engine_).ok()); }

  uint32_t Start(const char* uid, image::RuntimeKind kind, const char* loop,
                 const std::vector<uint8_t>& code, image::ServiceMask services,
                 std::initializer_list<engine::Endpoint> endpoints = {}, uint8_t priority = 5) {
    image::ContainerMetadata m;
    EXPECT_TRUE(m.uid.Assign(uid).ok());
    m.runtime = kind;
    EXPECT_TRUE(m.entry.loop.Assign(loop).ok());
    m.quotas.memory_limit = kind == image::RuntimeKind::kWasm ? 65536 : 64;
    m.quotas.stack_bytes = kind == image::RuntimeKind::kWasm ? 4096 : 512;
    m.quotas.kv_bytes = 64;
    m.schedule.period_us = 1000;
    m.schedule.priority = priority;
    m.permissions.services = services;
    m.quotas.max_handles = 2;
    for (const engine::Endpoint& e : endpoints)
      EXPECT_TRUE(m.permissions.endpoints.push_back(e).ok());
    return InstallAndStart(m, code);
  }

  uint32_t StoredCount(std::string_view uid) {
    uint8_t bytes[4] = {};
    const auto n =
        kv_.Get(uid, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>("count"), 5), bytes);
    if (!n.ok() || *n != 4) return 0;
    return uint32_t{bytes[0]} | uint32_t{bytes[1]} << 8 | uint32_t{bytes[2]} << 16 |
           uint32_t{bytes[3]} << 24;
  }

  Endpoints endpoints_{&channels_, nullptr};
};

constexpr image::ServiceMask kLogAndKv = ServiceBit(Service::kLog) | ServiceBit(Service::kKv);

TEST_F(SdkContainers, WasmContainerLogsAndRoundTripsItsCounterThroughTheKvStore) {
  const std::vector<uint8_t> module = ReadModule("counter.wasm");
  ASSERT_FALSE(module.empty());
  const uint32_t id =
      Start("wasm.counter", image::RuntimeKind::kWasm, "tc_loop", module, kLogAndKv);
  RunUntil(3000);
  EXPECT_EQ(Get(id).counters.activations, 3u);
  EXPECT_EQ(Get(id).counters.denials, 0u);
  EXPECT_EQ(Get(id).state, engine::State::kSleeping);
  ASSERT_EQ(sink_.lines.size(), 3u);
  EXPECT_EQ(sink_.lines[0], "wasm.counter: tick 1");
  EXPECT_EQ(sink_.lines[2], "wasm.counter: tick 3");
  EXPECT_EQ(StoredCount("wasm.counter"), 3u);
  EXPECT_EQ(Get(id).kv_used, 9u);  // "count" + 4 bytes
}

TEST_F(SdkContainers, WasmCallThatIsNotPermittedIsDeniedAndCounted) {
  const std::vector<uint8_t> module = ReadModule("counter.wasm");
  ASSERT_FALSE(module.empty());
  const uint32_t id =
      Start("wasm.prober", image::RuntimeKind::kWasm, "want_random", module, kLogAndKv);
  RunUntil(1000);
  // want_random returned the gate's answer; a non-zero tc_loop result ends the container.
  EXPECT_EQ(Get(id).state, engine::State::kStopped);
  EXPECT_EQ(Get(id).exit_code, TC_ENOT_PERMITTED);
  EXPECT_EQ(Get(id).counters.denials, 1u);
  ASSERT_EQ(engine_.audit_log().size(), 1u);
  EXPECT_EQ(engine_.audit_log()[0].reason, engine::DenialReason::kServiceNotPermitted);
  EXPECT_EQ(engine_.audit_log()[0].service, engine::Number(engine::HostFunction::kRandom));
}

TEST_F(SdkContainers, EbpfContainerReachesTheSameServicesThroughHelpers) {
  const std::vector<uint8_t> object = ReadModule("counter_bpf.o");
  ASSERT_FALSE(object.empty());
  const std::vector<uint8_t> module = ReadModule("counter.wasm");
  const uint32_t bpf = Start("bpf.counter", image::RuntimeKind::kEbpf, "run", object, kLogAndKv);
  const uint32_t wasm =
      Start("wasm.counter", image::RuntimeKind::kWasm, "tc_loop", module, kLogAndKv);
  RunUntil(2000);
  EXPECT_EQ(Get(bpf).counters.activations, 2u);
  EXPECT_EQ(Get(bpf).counters.denials, 0u);
  EXPECT_EQ(Get(bpf).exit_code, 0);
  // Both wrote "count" in their own namespace; the eBPF one also a Femto record (4 + 4 bytes).
  EXPECT_EQ(StoredCount("bpf.counter"), 2u);
  EXPECT_EQ(StoredCount("wasm.counter"), 2u);
  EXPECT_EQ(Get(bpf).kv_used, 17u);
  EXPECT_EQ(Get(wasm).kv_used, 9u);
  int bpf_lines = 0;
  for (const std::string& line : sink_.lines) bpf_lines += line == "bpf.counter: bpf tick";
  EXPECT_EQ(bpf_lines, 2);
  // Femto's bpf_printf (variadic in C, four value registers) logs one line per call.
  EXPECT_NE(
      std::find(sink_.lines.begin(), sink_.lines.end(), "bpf.counter: femto count 2, stored 00c8"),
      sink_.lines.end());
}

TEST_F(SdkContainers, EbpfContainerWithoutKvPermissionIsDenied) {
  const std::vector<uint8_t> object = ReadModule("counter_bpf.o");
  ASSERT_FALSE(object.empty());
  const uint32_t id =
      Start("bpf.nokv", image::RuntimeKind::kEbpf, "run", object, ServiceBit(Service::kLog));
  RunUntil(1000);
  // kv_get is denied (-1, not "not found"), so run() returns it and the container stops.
  EXPECT_EQ(Get(id).exit_code, TC_ENOT_PERMITTED);
  EXPECT_EQ(Get(id).counters.denials, 1u);
  EXPECT_TRUE(sink_.lines.empty());
}

constexpr image::ServiceMask kLogAndChannel =
    ServiceBit(Service::kLog) | ServiceBit(Service::kChannel);

TEST_F(SdkContainers, BlockedReaderIsResumedWhenThePeerWrites) {
  const std::vector<uint8_t> module = ReadModule("channel.wasm");
  ASSERT_FALSE(module.empty());
  // The consumer has the higher priority: it runs first each period and blocks in tc_read.
  const uint32_t consumer =
      Start("consumer", image::RuntimeKind::kWasm, "consumer", module, kLogAndChannel,
            {ChannelEnd(2, "producer", 1, engine::Direction::kIn)}, 9);
  const uint32_t producer =
      Start("producer", image::RuntimeKind::kWasm, "producer", module, kLogAndChannel,
            {ChannelEnd(1, "consumer", 2, engine::Direction::kOut)}, 5);
  RunUntil(500);
  EXPECT_EQ(Get(consumer).state, engine::State::kSleeping);  // got msg 1, waits for its period
  RunUntil(1500);
  EXPECT_EQ(Get(consumer).state, engine::State::kSleeping);
  RunUntil(2900);
  ASSERT_EQ(sink_.lines.size(), 3u);
  EXPECT_EQ(sink_.lines[0], "consumer: got msg 1");
  EXPECT_EQ(sink_.lines[2], "consumer: got msg 3");
  EXPECT_EQ(Get(consumer).counters.denials, 0u);
  EXPECT_EQ(Get(producer).counters.denials, 0u);
  EXPECT_EQ(channels_.Pending("consumer", 2, "producer", 1), 0u);
}

TEST_F(SdkContainers, ReaderBlocksWhileTheChannelIsEmpty) {
  const std::vector<uint8_t> module = ReadModule("channel.wasm");
  ASSERT_FALSE(module.empty());
  const uint32_t consumer =
      Start("consumer", image::RuntimeKind::kWasm, "consumer", module, kLogAndChannel,
            {ChannelEnd(2, "producer", 1, engine::Direction::kIn)});
  RunUntil(3000);
  EXPECT_EQ(Get(consumer).state, engine::State::kBlocked);
  EXPECT_EQ(Get(consumer).counters.activations, 0u);  // never finished its first loop
  EXPECT_TRUE(sink_.lines.empty());
  // Stopping a blocked reader releases its handle; a later write is queued, not delivered.
  ASSERT_TRUE(engine_.Stop(consumer).ok());
  RunUntil(4000);
  EXPECT_EQ(Get(consumer).state, engine::State::kStopped);
  const uint32_t producer =
      Start("producer", image::RuntimeKind::kWasm, "producer", module, kLogAndChannel,
            {ChannelEnd(1, "consumer", 2, engine::Direction::kOut)});
  RunUntil(4500);
  EXPECT_EQ(Get(producer).counters.activations, 1u);
  EXPECT_EQ(channels_.Pending("consumer", 2, "producer", 1), 1u);
}

TEST_F(SdkContainers, OpeningAnEndpointAgainstItsDirectionIsDenied) {
  const std::vector<uint8_t> module = ReadModule("channel.wasm");
  ASSERT_FALSE(module.empty());
  const uint32_t id = Start("consumer", image::RuntimeKind::kWasm, "wrong_way", module,
                            kLogAndChannel, {ChannelEnd(2, "producer", 1, engine::Direction::kIn)});
  RunUntil(1000);
  EXPECT_EQ(Get(id).exit_code, TC_EDIRECTION);
  EXPECT_EQ(Get(id).counters.denials, 1u);
  EXPECT_EQ(engine_.audit_log()[0].reason, engine::DenialReason::kDirectionNotAllowed);
}

}  // namespace
}  // namespace tc::services
