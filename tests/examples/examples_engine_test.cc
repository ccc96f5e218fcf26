// The example containers (examples/), exactly as CMake built them and with their own
// manifest.json, run by one engine with the real wasm and eBPF runtimes and the real host
// services under a fake clock: what each example is meant to show is what happens.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "runtimes_fixture.h"
#include "tc/manifest/manifest.h"
#include "tc/services/endpoints.h"
#include "tc/services/memory_device_table.h"
#include "tinycontainer.h"

namespace tc::examples {
namespace {

using engine::DenialReason;
using engine::State;

// Every run gets at least one basic block's worth of fuel (metered_runtime.h says why).
constexpr uint32_t kMinFuelPerRun = 256;

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string ExampleFile(const std::string& name, const std::string& file) {
  return std::string(TC_EXAMPLES_BUILD_DIR) + "/" + name + "/" + file;
}

class Examples : public services::testing::RuntimesFixture {
 protected:
  Examples() : RuntimesFixture(kMinFuelPerRun) {
    EXPECT_TRUE(devices_.Add(image::DeviceClass::kSensor, 0).ok());
    EXPECT_TRUE(devices_.Add(image::DeviceClass::kLed, 0).ok());
    EXPECT_TRUE(endpoints_.Register(engine_).ok());
  }

  // Installs and starts example `name` (build directory <name>/) with its own manifest.
  uint32_t Start(const std::string& name) {
    const std::string manifest = ReadText(ExampleFile(name, "manifest.json"));
    EXPECT_FALSE(manifest.empty()) << name;
    image::ContainerMetadata metadata;
    if (auto error = manifest::ParseManifest(manifest, &metadata)) {
      ADD_FAILURE() << name << "/manifest.json: " << error->ToString();
      return 0;
    }
    const bool ebpf = metadata.runtime == image::RuntimeKind::kEbpf;
    const std::string code_text = ReadText(ExampleFile(name, name + (ebpf ? ".o" : ".wasm")));
    EXPECT_FALSE(code_text.empty()) << name;
    codes_.emplace_back(code_text.begin(), code_text.end());
    return InstallAndStart(metadata, codes_.back());
  }

  void Configure(uint32_t id, const std::string& json) {
    image::ConfigUpdate update;
    if (auto error = manifest::ParseConfigUpdate(json, &update)) {
      ADD_FAILURE() << error->ToString();
      return;
    }
    const Status status = engine_.Configure(id, update);
    EXPECT_TRUE(status.ok()) << status.message();
  }

  void RunFor(uint64_t duration_us) { RunUntil(port_.NowUs() + duration_us); }

  int CountLines(const std::string& line) const {
    return static_cast<int>(std::count(sink_.lines.begin(), sink_.lines.end(), line));
  }
  bool HasLine(const std::string& line) const { return CountLines(line) > 0; }

  std::vector<DenialReason> Denials(uint32_t id) const {
    std::vector<DenialReason> reasons;
    const auto& audit = engine_.audit_log();
    for (size_t i = 0; i < audit.size(); ++i) {
      if (audit[i].container == id) reasons.push_back(audit[i].reason);
    }
    return reasons;
  }

  std::deque<std::vector<uint8_t>> codes_;  // the engine keeps spans into these
  services::MemoryDeviceTable devices_;
  services::Endpoints endpoints_{&channels_, &devices_};
};

TEST_F(Examples, HelloLogsOncePerSecond) {
  const uint32_t id = Start("hello");
  RunFor(3'500'000);  // releases at 0, 1, 2 and 3 s
  EXPECT_EQ(Get(id).counters.activations, 4u);
  EXPECT_EQ(CountLines("acme.hello: hello from a container"), 4);
  EXPECT_EQ(Get(id).counters.denials, 0u);
  EXPECT_EQ(Get(id).counters.deadline_misses, 0u);
  EXPECT_EQ(Get(id).state, State::kSleeping);
}

TEST_F(Examples, SamplerTogglesTheLedAndKeepsRunningWhenTheLedIsRevoked) {
  const uint32_t id = Start("sampler");
  RunFor(1'050'000);
  EXPECT_TRUE(HasLine("acme.sampler: sampler started"));
  EXPECT_EQ(Get(id).counters.activations, 11u);
  EXPECT_EQ(Get(id).counters.deadline_misses, 0u);
  EXPECT_EQ(Get(id).counters.denials, 0u);
  EXPECT_EQ(Get(id).state, State::kSleeping);
  const uint32_t toggles = devices_.Find(image::DeviceClass::kLed, 0)->toggles;
  EXPECT_GE(toggles, 10u);  // one LED write per activation
  EXPECT_GE(devices_.Find(image::DeviceClass::kSensor, 0)->samples, 11u);

  // The operator revokes the LED: the same permissions without endpoint 2.
  Configure(id, R"({"uid": "acme.sampler", "sequence": 1, "permissions": {
      "services": ["log", "endpoint"],
      "endpoints": [{"id": 1, "peer": {"local": "sensor", "address": 0}, "direction": "in"}]}})");
  RunFor(1'000'000);
  EXPECT_EQ(Get(id).counters.activations, 21u);
  EXPECT_EQ(Get(id).state, State::kSleeping);
  EXPECT_GE(Get(id).counters.denials, 10u);  // one refused LED open per activation
  const std::vector<DenialReason> reasons = Denials(id);
  ASSERT_FALSE(reasons.empty());
  EXPECT_EQ(reasons.back(), DenialReason::kEndpointNotDeclared);
  EXPECT_TRUE(HasLine("acme.sampler: led open denied: error -2"));
  EXPECT_EQ(devices_.Find(image::DeviceClass::kLed, 0)->toggles, toggles);  // none after the revoke
}

TEST_F(Examples, ChannelPairDeliversEveryCounterToTheBlockedConsumer) {
  const uint32_t consumer = Start("consumer");
  const uint32_t producer = Start("producer");
  RunFor(2'100'000);  // the producer writes at 0, 0.5, 1, 1.5 and 2 s
  EXPECT_EQ(Get(producer).counters.activations, 5u);
  for (int i = 1; i <= 5; ++i) {
    EXPECT_TRUE(HasLine("acme.consumer: received " + std::to_string(i))) << i;
  }
  EXPECT_EQ(Get(consumer).state, State::kBlocked);  // waiting for number 6
  EXPECT_EQ(Get(consumer).counters.activations, 5u);
  EXPECT_EQ(Get(consumer).counters.denials, 0u);
  EXPECT_EQ(Get(producer).counters.denials, 0u);
}

TEST_F(Examples, KvCounterContinuesAfterAReinstall) {
  uint32_t id = Start("kv_counter");
  RunFor(2'500'000);
  EXPECT_TRUE(HasLine("acme.kv_counter: activation 3"));
  ASSERT_TRUE(engine_.Stop(id).ok());
  RunFor(100'000);
  ASSERT_TRUE(engine_.Remove(id).ok());
  // A fresh instance with the same uid finds its record in the (here: in-memory) store.
  id = Start("kv_counter");
  RunFor(1'500'000);
  EXPECT_TRUE(HasLine("acme.kv_counter: activation 5"));
  EXPECT_TRUE(HasLine("acme.kv_counter: activation 4"));
  EXPECT_EQ(CountLines("acme.kv_counter: activation 1"), 1);  // never started over
  EXPECT_EQ(Get(id).counters.denials, 0u);
}

TEST_F(Examples, RogueIsDeniedTwiceThrottledAndThenStoppedWhileHelloKeepsItsDeadlines) {
  const uint32_t hello = Start("hello");
  const uint32_t rogue = Start("rogue");
  RunFor(1'100'000);
  EXPECT_TRUE(HasLine("acme.rogue: opened an undeclared endpoint: -2"));
  EXPECT_TRUE(HasLine("acme.rogue: logged from outside my memory: -14"));
  EXPECT_EQ(Get(rogue).counters.denials, 2u);
  EXPECT_EQ(Denials(rogue), (std::vector<DenialReason>{DenialReason::kEndpointNotDeclared,
                                                       DenialReason::kBufferOutOfBounds}));
  // Spinning since its third activation (0.4 s): throttled at the end of each period's budget.
  EXPECT_GE(Get(rogue).counters.overruns, 3u);
  EXPECT_EQ(Get(rogue).state, State::kThrottled);
  EXPECT_LE(Get(rogue).counters.cpu_time_us, 6 * 10'000u + 1'000u);  // ~ one budget per period

  // The operator switches it to on_overrun "stop" (examples/rogue/config-stop.json).
  Configure(rogue, ReadText(std::string(TC_EXAMPLES_SOURCE_DIR) + "/rogue/config-stop.json"));
  RunFor(500'000);
  EXPECT_EQ(Get(rogue).state, State::kStopped);
  EXPECT_EQ(Get(hello).counters.deadline_misses, 0u);
  EXPECT_EQ(Get(hello).counters.activations, 2u);
  EXPECT_EQ(Get(hello).state, State::kSleeping);
}

TEST_F(Examples, BpfCounterKeepsItsCountWithTheFemtoHelpers) {
  const uint32_t id = Start("bpf_counter");
  RunFor(2'500'000);
  EXPECT_EQ(Get(id).counters.activations, 3u);
  EXPECT_TRUE(HasLine("acme.bpf_counter: bpf count 1"));
  EXPECT_TRUE(HasLine("acme.bpf_counter: bpf count 3"));
  EXPECT_EQ(Get(id).counters.denials, 0u);
  EXPECT_EQ(Get(id).kv_used, 8u);  // one Femto record: 4-byte key + 4-byte value
  EXPECT_EQ(Get(id).state, State::kSleeping);
  // A graceful stop runs tc_stop, another function of the same eBPF object.
  ASSERT_TRUE(engine_.Stop(id).ok());
  RunFor(10'000);
  EXPECT_EQ(Get(id).state, State::kStopped);
  EXPECT_TRUE(HasLine("acme.bpf_counter: bpf counter stopped at 3"));
}

}  // namespace
}  // namespace tc::examples
