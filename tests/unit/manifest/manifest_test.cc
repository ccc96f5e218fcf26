#include "tc/manifest/manifest.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tc/image/metadata_codec.h"

namespace tc::manifest {
namespace {

using nlohmann::json;
namespace img = tc::image;

json Example() {
  std::ifstream in(std::string(TC_EXAMPLE_MANIFESTS) + "/sampler.json");
  return json::parse(in);
}

// Applies `edit` to the example manifest and returns the refusal text ("" if accepted).
template <typename Edit>
std::string Refusal(Edit edit) {
  json manifest = Example();
  edit(manifest);
  img::ContainerMetadata m;
  std::optional<ManifestError> error = ManifestToMetadata(manifest, &m);
  return error ? error->ToString() : "";
}

TEST(Manifest, ExampleParsesWithUnits) {
  img::ContainerMetadata m;
  std::ifstream in(std::string(TC_EXAMPLE_MANIFESTS) + "/sampler.json");
  std::stringstream text;
  text << in.rdbuf();
  std::optional<ManifestError> error = ParseManifest(text.str(), &m);
  ASSERT_FALSE(error) << error->ToString();
  EXPECT_EQ(m.uid.view(), "sampler");
  EXPECT_EQ(m.version, 3u);
  EXPECT_EQ(m.quotas.memory_limit, 16384u);
  EXPECT_EQ(m.quotas.stack_bytes, 2048u);
  EXPECT_EQ(m.schedule.period_us, 50000u);
  EXPECT_EQ(m.schedule.budget_us, 2000u);
  EXPECT_EQ(m.permissions.services,
            img::ServiceBit(img::Service::kLog) | img::ServiceBit(img::Service::kTime) |
                img::ServiceBit(img::Service::kEndpoint) | img::ServiceBit(img::Service::kChannel));
  ASSERT_EQ(m.permissions.endpoints.size(), 2u);
  EXPECT_EQ(m.permissions.endpoints[0].peer.device_class, img::DeviceClass::kI2c);
  EXPECT_EQ(m.permissions.endpoints[0].peer.address, 72u);
  EXPECT_EQ(m.permissions.endpoints[1].peer.container_uid.view(), "aggregator");
  EXPECT_TRUE(m.has_not_after);
  EXPECT_EQ(m.not_after, 1893456000u);  // 2030-01-01T00:00:00Z
}

TEST(Manifest, DefaultsFillWhatIsLeftOut) {
  json manifest = {
      {"uid", "tiny"}, {"version", 1}, {"runtime", "ebpf"}, {"quotas", {{"memory_limit", 512}}}};
  img::ContainerMetadata m;
  ASSERT_FALSE(ManifestToMetadata(manifest, &m));
  EXPECT_EQ(m.entry.loop.view(), "tc_loop");
  EXPECT_EQ(m.quotas.memory_limit, 512u);  // below one wasm page is fine
  EXPECT_EQ(m.quotas.stack_bytes, 4096u);
  EXPECT_EQ(m.quotas.max_handles, 4);
  EXPECT_EQ(m.schedule.priority, 10);
  EXPECT_EQ(m.schedule.period_us, 0u);
  EXPECT_EQ(m.schedule.on_overrun, img::OverrunPolicy::kThrottle);
  EXPECT_EQ(m.permissions.services, 0u);
  EXPECT_EQ(m.permissions.on_violation, img::ViolationPolicy::kDeny);
  EXPECT_FALSE(m.has_not_after);
}

TEST(Manifest, JsonRoundTripShowsEveryField) {
  img::ContainerMetadata m;
  ASSERT_FALSE(ManifestToMetadata(Example(), &m));
  const uint8_t kid[] = {0x01, 0x02, 0xfe};
  (void)m.signer_kid.Assign(kid);
  m.code_sha256.fill(0x5a);
  m.code_size = 4000;
  m.has_data = true;
  m.data_sha256.fill(0xc3);
  m.data_size = 100000;
  const json out = MetadataToJson(m);
  for (const char* key :
       {"format", "uid", "version", "runtime", "entry", "quotas", "schedule", "permissions",
        "not_after", "signer_kid", "code_sha256", "code_size", "data_sha256", "data_size"}) {
    EXPECT_TRUE(out.contains(key)) << key;
  }
  EXPECT_EQ(out["signer_kid"], "0102fe");
  EXPECT_EQ(out["schedule"]["period_us"], 50000);
  EXPECT_EQ(out["permissions"]["endpoints"][1]["peer"]["container"], "aggregator");
  img::ContainerMetadata back;
  std::optional<ManifestError> error = ParseManifest(out.dump(2), &back);
  ASSERT_FALSE(error) << error->ToString();
  EXPECT_TRUE(back == m);
  // ...and the device codec accepts it.
  std::vector<uint8_t> buffer(1024);
  cbor::Writer w(buffer);
  ASSERT_TRUE(img::EncodeMetadata(back, &w).ok());
}

TEST(Manifest, ErrorsNameTheFieldAndTheProblem) {
  struct Case {
    std::function<void(json&)> edit;
    const char* expected;  // prefix of the refusal
  };
  const Case cases[] = {
      {[](json& j) { j["schedule"]["period_us"] = "abc"; },
       "schedule.period_us: expected microseconds or a duration like \"50ms\" (us, ms, s), got "
       "\"abc\""},
      {[](json& j) { j["schedule"]["period_us"] = -5; },
       "schedule.period_us: expected microseconds"},
      {[](json& j) { j["schedule"]["period_us"] = "5000s"; },
       "schedule.period_us: longer than 4294967295 us"},
      {[](json& j) { j["schedule"]["priority"] = 32; },
       "schedule.priority: must be at most 31, got 32"},
      {[](json& j) { j["schedule"]["priority"] = 1.5; },
       "schedule.priority: expected a non-negative integer, got 1.5"},
      {[](json& j) { j["schedule"]["on_overrun"] = "explode"; },
       "schedule.on_overrun: expected \"throttle\", \"stop\" or \"restart\", got \"explode\""},
      {[](json& j) { j["schedule"]["perod_us"] = 5; }, "schedule.perod_us: unknown field"},
      {[](json& j) { j["schedule"] = 5; }, "schedule: expected an object, got 5"},
      {[](json& j) { j["schedule"]["budget_us"] = "60ms"; },
       "schedule.budget_us: budget_us must not exceed period_us"},
      {[](json& j) { j["schedule"]["deadline_us"] = "60ms"; },
       "schedule.deadline_us: deadline_us must not exceed period_us"},
      {[](json& j) { j["colour"] = "red"; }, "colour: unknown field"},
      {[](json& j) { j.erase("uid"); }, "uid: required field missing"},
      {[](json& j) { j.erase("quotas"); }, "quotas: required field missing"},
      {[](json& j) { j["quotas"].erase("memory_limit"); },
       "quotas.memory_limit: required field missing"},
      {[](json& j) { j["quotas"]["memory_limit"] = 0; },
       "quotas.memory_limit: must be 1..4294967295 bytes, got 0"},
      {[](json& j) { j["quotas"]["memory_limit"] = "16KB"; },
       "quotas.memory_limit: expected bytes or a size like \"16KiB\" (B, KiB, MiB), got \"16KB\""},
      {[](json& j) { j["quotas"]["stack_bytes"] = "4096MiB"; },
       "quotas.stack_bytes: must be 1..4294967295 bytes"},
      {[](json& j) { j["quotas"]["max_handles"] = 300; },
       "quotas.max_handles: must be at most 255"},
      {[](json& j) { j["uid"] = 5; }, "uid: expected a string, got 5"},
      {[](json& j) { j["uid"] = "-bad"; }, "uid: must be 1..32 of [A-Za-z0-9._-]"},
      {[](json& j) { j["uid"] = std::string(33, 'a'); }, "uid: must be 1..32"},
      {[](json& j) { j["version"] = "3"; }, "version: expected a non-negative integer, got \"3\""},
      {[](json& j) { j["version"] = 5000000000ull; }, "version: must be at most 4294967295"},
      {[](json& j) { j["runtime"] = "jvm"; },
       "runtime: expected \"wasm\" or \"ebpf\", got \"jvm\""},
      {[](json& j) { j["format"] = 2; }, "format: only format version 1 is supported, got 2"},
      {[](json& j) { j["entry"]["loop"] = std::string(32, 'x'); },
       "entry.loop: must be 1..31 bytes"},
      {[](json& j) { j["entry"]["loop"] = ""; }, "entry.loop: must be 1..31 bytes"},
      {[](json& j) { j["entry"]["start"] = "_start"; },
       "entry.start: a start entry point excludes init, loop and stop"},
      {[](json& j) {
         j["entry"] = {{"init", "tc_init"}};
       },
       "entry: needs a loop (periodic) or a start (one-shot) entry point"},
      {[](json& j) {
         j["entry"] = {{"start", "_start"}};
       },
       "schedule.period_us: a one-shot (start) container has no period"},
      {[](json& j) { j["entry"]["loop"] = "tc loop"; },
       "entry.loop: entry names are printable ASCII without spaces"},
      {[](json& j) { j["permissions"]["services"] = "log"; },
       "permissions.services: expected an array of service names, got \"log\""},
      {[](json& j) { j["permissions"]["services"][1] = "teleport"; },
       "permissions.services[1]: expected one of log, time"},
      {[](json& j) { j["permissions"]["services"][1] = "log"; },
       "permissions.services[1]: listed twice"},
      {[](json& j) {
         j["permissions"]["endpoints"] = {{"id", 1}};
       },
       "permissions.endpoints: expected an array"},
      {[](json& j) {
         j["permissions"]["endpoints"] = json::array();
         for (int i = 0; i < 9; ++i)
           j["permissions"]["endpoints"].push_back(
               {{"id", i}, {"peer", {{"local", "gpio"}}}, {"direction", "in"}});
       },
       "permissions.endpoints: at most 8 endpoints, got 9"},
      {[](json& j) { j["permissions"]["endpoints"][1]["id"] = 1; },
       "permissions.endpoints[1].id: endpoint id 1 used twice"},
      {[](json& j) { j["permissions"]["endpoints"][1].erase("direction"); },
       "permissions.endpoints[1].direction: required field missing"},
      {[](json& j) { j["permissions"]["endpoints"][0]["direction"] = "sideways"; },
       "permissions.endpoints[0].direction: expected \"in\", \"out\" or \"both\""},
      {[](json& j) {
         j["permissions"]["endpoints"][0]["peer"] = {{"remote", "coaps://x"}};
       },
       "permissions.endpoints[0].peer.remote: remote peers are reserved"},
      {[](json& j) {
         j["permissions"]["endpoints"][0]["peer"] = {{"address", 3}};
       },
       "permissions.endpoints[0].peer: expected {\"local\": CLASS"},
      {[](json& j) { j["permissions"]["endpoints"][0]["peer"]["local"] = "warp"; },
       "permissions.endpoints[0].peer.local: expected \"gpio\", \"led\", \"i2c\", \"spi\", "
       "\"uart\" or \"sensor\""},
      {[](json& j) { j["permissions"]["endpoints"][1]["peer"].erase("endpoint"); },
       "permissions.endpoints[1].peer.endpoint: required field missing"},
      {[](json& j) { j["permissions"]["endpoints"][1]["peer"]["container"] = "a b"; },
       "permissions.endpoints[1].peer.container: must be 1..32 of"},
      {[](json& j) { j["permissions"]["endpoints"][1]["peer"]["extra"] = 1; },
       "permissions.endpoints[1].peer.extra: unknown field"},
      {[](json& j) { j["permissions"]["on_violation"] = "shrug"; },
       "permissions.on_violation: expected \"deny\" or \"stop\""},
      {[](json& j) { j["not_after"] = "tomorrow"; },
       "not_after: expected Unix seconds or \"YYYY-MM-DDTHH:MM:SSZ\", got \"tomorrow\""},
      {[](json& j) { j["signer_kid"] = "xyz"; },
       "signer_kid: expected 1..16 bytes as lowercase hex"},
      {[](json& j) { j["code_sha256"] = "abcd"; }, "code_sha256: expected 32..32 bytes"},
      {[](json& j) { j["code_size"] = 0; }, "code_size: must be 1..4294967295 bytes"},
      {[](json& j) { j["data_sha256"] = std::string(64, 'a'); },
       "data_size: data_sha256 and data_size go together"},
      {[](json& j) { j["data_size"] = 4; }, "data_sha256: data_sha256 and data_size go together"},
      {[](json& j) { j["quotas"]["log_burst"] = 4; },
       "quotas.log_lines_per_s: required field missing"},
      {[](json& j) { j["quotas"]["log_lines_per_s"] = 4; },
       "quotas.log_burst: required field missing"},
      {[](json& j) {
         j["quotas"]["log_lines_per_s"] = 1000001;
         j["quotas"]["log_burst"] = 4;
       },
       "quotas.log_lines_per_s: must be at most 1000000"},
      {[](json& j) {
         j["quotas"]["log_lines_per_s"] = 5;
         j["quotas"]["log_burst"] = 0;
       },
       "quotas.log_burst: must be at least 1, got 0"},
      {[](json& j) {
         j["quotas"]["log_lines_per_s"] = "5/s";
         j["quotas"]["log_burst"] = 2;
       },
       "quotas.log_lines_per_s: expected a non-negative integer, got \"5/s\""},
      {[](json& j) {
         j["quotas"]["log_lines_per_s"] = 5;
         j["quotas"]["log_burst"] = -2;
       },
       "quotas.log_burst: expected a non-negative integer, got -2"},
  };
  for (const Case& c : cases) {
    const std::string refusal = Refusal(c.edit);
    EXPECT_EQ(refusal.rfind(c.expected, 0), 0u)
        << "got:      " << refusal << "\nexpected: " << c.expected;
  }
}

TEST(Manifest, LogRateIsOptionalAndRoundTrips) {
  img::ContainerMetadata m;
  ASSERT_FALSE(ManifestToMetadata(Example(), &m));
  EXPECT_FALSE(m.quotas.has_log_rate);
  EXPECT_FALSE(MetadataToJson(m)["quotas"].contains("log_burst"));

  json manifest = Example();
  manifest["quotas"]["log_lines_per_s"] = 20;
  manifest["quotas"]["log_burst"] = 50;
  ASSERT_FALSE(ManifestToMetadata(manifest, &m));
  EXPECT_TRUE(m.quotas.has_log_rate);
  EXPECT_EQ(m.quotas.log_lines_per_s, 20u);
  EXPECT_EQ(m.quotas.log_burst, 50u);
  const uint8_t kid[] = {0x07};
  (void)m.signer_kid.Assign(kid);
  m.code_size = 10;
  const json out = MetadataToJson(m);
  EXPECT_EQ(out["quotas"]["log_lines_per_s"], 20);
  EXPECT_EQ(out["quotas"]["log_burst"], 50);
  img::ContainerMetadata back;
  const std::optional<ManifestError> error = ManifestToMetadata(out, &back);
  ASSERT_FALSE(error) << error->ToString();
  EXPECT_TRUE(back == m);
}

TEST(Manifest, InvalidJsonAndNonObjects) {
  img::ContainerMetadata m;
  std::optional<ManifestError> error = ParseManifest("{\"uid\": ", &m);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->ToString().rfind("invalid JSON: ", 0), 0u) << error->ToString();
  error = ParseManifest("[1, 2]", &m);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->ToString(), "manifest: expected an object, got [1,2]");
}

TEST(ConfigUpdateJson, ParsesTheExampleAndRoundTrips) {
  std::ifstream in(std::string(TC_EXAMPLE_MANIFESTS) + "/sampler-config.json");
  std::stringstream text;
  text << in.rdbuf();
  img::ConfigUpdate u;
  std::optional<ManifestError> error = ParseConfigUpdate(text.str(), &u);
  ASSERT_FALSE(error) << error->ToString();
  EXPECT_EQ(u.sequence, 1u);
  EXPECT_TRUE(u.has_schedule);
  EXPECT_FALSE(u.has_permissions);
  EXPECT_EQ(u.schedule.period_us, 100000u);
  EXPECT_EQ(u.schedule.on_overrun, img::OverrunPolicy::kStop);
  img::ConfigUpdate back;
  ASSERT_FALSE(JsonToConfigUpdate(ConfigUpdateToJson(u), &back));
  EXPECT_TRUE(back == u);
}

TEST(ConfigUpdateJson, ErrorsNameTheField) {
  const json base = {{"uid", "sampler"}, {"sequence", 2}, {"permissions", {{"services", {"log"}}}}};
  struct Case {
    std::function<void(json&)> edit;
    const char* expected;
  };
  const Case cases[] = {
      {[](json& j) { j.erase("sequence"); }, "sequence: required field missing"},
      {[](json& j) { j["sequence"] = 0; }, "sequence: sequence starts at 1"},
      {[](json& j) { j.erase("permissions"); },
       "a config update needs a schedule, permissions or both"},
      {[](json& j) { j["quotas"] = json::object(); }, "quotas: unknown field"},
      {[](json& j) {
         j["schedule"] = {{"slice_us", "1 ms"}};
       },
       "schedule.slice_us: expected"},
      {[](json& j) { j["uid"] = ""; }, "uid: must be 1..32 of"},
  };
  for (const Case& c : cases) {
    json value = base;
    c.edit(value);
    img::ConfigUpdate u;
    std::optional<ManifestError> error = JsonToConfigUpdate(value, &u);
    ASSERT_TRUE(error) << c.expected;
    EXPECT_EQ(error->ToString().rfind(c.expected, 0), 0u) << error->ToString();
  }
}

}  // namespace
}  // namespace tc::manifest
