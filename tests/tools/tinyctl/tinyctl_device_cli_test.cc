// tinyctl's device commands end to end, as the operator runs them: the real tinyctl binary
// (TINYCTL_BIN) against FakeDevice, which verifies signatures and sequences like the device.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <thread>

#include "fake_device.h"
#include "image_file.h"
#include "keys.h"
#include "tc/crypto/sha256.h"
#include "tc/manifest/manifest.h"

namespace tinyctl::testing {
namespace {

namespace fs = std::filesystem;
namespace img = tc::image;
using nlohmann::json;

constexpr const char* kManifest = R"({
  "uid": "acme.sampler", "version": 3, "runtime": "wasm",
  "quotas": {"memory_limit": "16KiB"},
  "schedule": {"priority": 5, "period_us": "100ms", "budget_us": "2ms"},
  "permissions": {
    "services": ["log", "time", "endpoint"],
    "endpoints": [
      {"id": 1, "peer": {"local": "sensor", "address": 0}, "direction": "in"},
      {"id": 2, "peer": {"local": "led", "address": 0}, "direction": "out"},
      {"id": 3, "peer": {"container": "acme.agg", "endpoint": 1}, "direction": "out"}]}})";

struct RunResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

class TinyctlDeviceCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("tinyctl_cli_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "trust");
    fs::create_directories(dir_ / "other");
    GenerateKey(dir_ / "trust", "operator", img::KeyRole::kOperator, img::KeyType::kEd25519, {}, "",
                &operator_key_);
    SigningKey tenant;
    GenerateKey(dir_ / "trust", "tenant", img::KeyRole::kTenant, img::KeyType::kEd25519, {}, "acme",
                &tenant);
    SigningKey stranger;
    GenerateKey(dir_ / "other", "stranger", img::KeyRole::kOperator, img::KeyType::kEd25519, {}, "",
                &stranger);
    LoadTrustDir(dir_ / "trust", &trust_);
    device_ = std::make_unique<FakeDevice>(trust_);
    device_->Start();
    WriteFile(dir_ / "sampler.tcimg", BuildImage(kManifest, 1500));
  }
  void TearDown() override {
    device_.reset();
    fs::remove_all(dir_);
  }

  Bytes BuildImage(const std::string& manifest, size_t code_size) {
    img::ContainerMetadata metadata;
    EXPECT_FALSE(tc::manifest::ParseManifest(manifest, &metadata).has_value());
    Bytes code(code_size);
    for (size_t i = 0; i < code.size(); ++i) code[i] = static_cast<uint8_t>(i * 13);
    metadata.code_sha256 = tc::crypto::Sha256::Hash(code);
    metadata.code_size = static_cast<uint32_t>(code.size());
    (void)metadata.signer_kid.Assign(operator_key_.info.kid.span());
    const Bytes envelope =
        SignCose(operator_key_, img::kContentTypeMetadata, EncodeMetadataBytes(metadata));
    return AssembleImage(envelope, code, {});
  }

  RunResult Run(const std::string& args, bool with_device = true) {
    std::string command = std::string("env -u TINYCTL_DEVICE -u TINYCTL_KEY ") + TINYCTL_BIN;
    if (with_device) command += " --device " + device_->url() + " --ack-timeout 50ms";
    command += " " + args + " 2>&1";
    RunResult r;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return r;
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) r.output.append(buffer, n);
    const int status = ::pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
  }
  std::string Key() const { return (dir_ / "trust" / "operator.key").string(); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  void Deploy() {
    const RunResult r = Run("deploy " + Path("sampler.tcimg"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }

  fs::path dir_;
  SigningKey operator_key_;
  img::TrustStore trust_;
  std::unique_ptr<FakeDevice> device_;
};

TEST_F(TinyctlDeviceCli, DeployShowsProgressAndTheResult) {
  const RunResult r = Run("deploy " + Path("sampler.tcimg"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // Not a terminal: plain progress lines, the last one at 100%.
  EXPECT_NE(r.output.find("uploading acme.sampler to udp://127.0.0.1:"), std::string::npos);
  EXPECT_NE(r.output.find("bytes (100%)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("installed acme.sampler version 3"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("\x1b["), std::string::npos) << "no ANSI codes outside a terminal";
  std::lock_guard lock(device_->mutex());
  ASSERT_EQ(device_->containers.size(), 1u);
  EXPECT_EQ(device_->containers[0].uid, "acme.sampler");
}

TEST_F(TinyctlDeviceCli, DeployAgainIsAnUpdateAndStartNeedsAKey) {
  Deploy();
  RunResult r = Run("deploy --json " + Path("sampler.tcimg"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\"replaced\": true"), std::string::npos) << r.output;
  r = Run("deploy --start " + Path("sampler.tcimg"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("missing --key"), std::string::npos) << r.output;
  r = Run("deploy --start --key " + Key() + " " + Path("sampler.tcimg"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("acme.sampler: started, state running"), std::string::npos) << r.output;
}

TEST_F(TinyctlDeviceCli, PsTableAndJson) {
  Deploy();
  {
    std::lock_guard lock(device_->mutex());
    device_->containers[0].stats = {{"cpu_us", 12345}, {"misses", 2}, {"denials", 7}};
  }
  RunResult r = Run("ps");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("ID  UID           VERSION  RUNTIME  STATE      PRIO  PERIOD  CPU     "
                          "MISSES  DENIALS"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("1   acme.sampler  3        wasm     installed  5     100ms   12.3ms  2  "
                          "     7"),
            std::string::npos)
      << r.output;
  r = Run("ps --json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const json j = json::parse(r.output);
  ASSERT_EQ(j["containers"].size(), 1u);
  EXPECT_EQ(j["containers"][0]["uid"], "acme.sampler");
  EXPECT_EQ(j["containers"][0]["period_us"], 100000);
  EXPECT_EQ(j["containers"][0]["cpu_us"], 12345);
  EXPECT_EQ(j["containers"][0]["denials"], 7);
}

TEST_F(TinyctlDeviceCli, LifecycleCommandsCarryTheNextSequence) {
  Deploy();
  {
    std::lock_guard lock(device_->mutex());
    device_->seq = 41;
  }
  RunResult r = Run("start acme.sampler --key " + Key());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("acme.sampler: start accepted (sequence 42), state running"),
            std::string::npos)
      << r.output;
  r = Run("suspend acme.sampler --json --key " + Key());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(json::parse(r.output), (json{{"uid", "acme.sampler"}, {"state", "suspended"}}));
  EXPECT_EQ(Run("resume acme.sampler --key " + Key()).exit_code, 0);
  EXPECT_EQ(Run("stop acme.sampler --key " + Key()).exit_code, 0);
  r = Run("rm acme.sampler --key " + Key());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::lock_guard lock(device_->mutex());
  EXPECT_EQ(device_->seq, 46u);
  EXPECT_TRUE(device_->containers.empty());
}

TEST_F(TinyctlDeviceCli, DeviceRefusalsExitOneWithCodeAndDiagnostic) {
  Deploy();
  RunResult r = Run("start acme.nosuch --key " + Key());
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("POST /command: device refused: 4.04 Not Found: command: no container "
                          "acme.nosuch"),
            std::string::npos)
      << r.output;
  // A key the device does not trust.
  r = Run("start acme.sampler --key " + Path("other/stranger.key"));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("4.01 Unauthorized"), std::string::npos) << r.output;
  r = Run("resume acme.sampler --key " + Key());
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("4.09 Conflict: resume: container is installed"), std::string::npos)
      << r.output;
  // Tenant keys may not sign commands; refused before anything is sent.
  r = Run("stop acme.sampler --key " + Path("trust/tenant.key"));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("needs an operator key"), std::string::npos) << r.output;
}

TEST_F(TinyctlDeviceCli, ConfigRevokeLed0PostsTheDerivedUpdate) {
  Deploy();
  const RunResult r =
      Run("config acme.sampler --period 50ms --priority 3 --revoke led0 --key " + Key());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("acme.sampler: schedule.period_us: 100ms -> 50ms"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("permissions.endpoints: revoked endpoint 2 (led 0, out)"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("config applied (sequence 1)"), std::string::npos) << r.output;
  std::lock_guard lock(device_->mutex());
  const json& update = device_->last_config;
  EXPECT_EQ(update["sequence"], 1);
  EXPECT_EQ(update["schedule"]["period_us"], 50000);
  EXPECT_EQ(update["schedule"]["priority"], 3);
  EXPECT_EQ(update["schedule"]["budget_us"], 2000);
  ASSERT_EQ(update["permissions"]["endpoints"].size(), 2u);
  EXPECT_EQ(update["permissions"]["endpoints"][0]["id"], 1);
  EXPECT_EQ(update["permissions"]["endpoints"][1]["id"], 3);
}

TEST_F(TinyctlDeviceCli, ConfigWithoutEditsShowsTheCurrentConfig) {
  Deploy();
  RunResult r = Run("config acme.sampler");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("schedule: priority 5, period 100ms, budget 2ms"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("endpoint 2: led 0, out"), std::string::npos) << r.output;
  r = Run("config acme.sampler --revoke led7 --key " + Key());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("no endpoint of acme.sampler reaches led7"), std::string::npos)
      << r.output;
  r = Run("config acme.nosuch");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("GET /container?uid=acme.nosuch: device refused: 4.04 Not Found"),
            std::string::npos)
      << r.output;
}

TEST_F(TinyctlDeviceCli, LogsPagesThroughEverythingAndFilters) {
  {
    std::lock_guard lock(device_->mutex());
    for (int n = 0; n < 7; ++n) {
      device_->log_lines.push_back({{"n", n},
                                    {"t", 1000000 + n},
                                    {"uid", n % 2 ? "acme.b" : "acme.a"},
                                    {"text", "line " + std::to_string(n)}});
    }
  }
  RunResult r = Run("logs");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (int n = 0; n < 7; ++n) {
    EXPECT_NE(r.output.find("line " + std::to_string(n)), std::string::npos) << r.output;
  }
  EXPECT_NE(r.output.find("[     1.000] acme.a: line 0"), std::string::npos) << r.output;
  r = Run("logs acme.b --json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const json j = json::parse(r.output);
  EXPECT_EQ(j["next"], 7);
  ASSERT_EQ(j["lines"].size(), 3u);
  EXPECT_EQ(j["lines"][2]["text"], "line 5");
}

TEST_F(TinyctlDeviceCli, LogsFilterGoesOnPastPagesWithoutMatches) {
  {
    std::lock_guard lock(device_->mutex());
    for (int n = 0; n < 8; ++n) {
      device_->log_lines.push_back({{"n", n},
                                    {"t", n},
                                    {"uid", n == 7 ? "acme.b" : "acme.a"},
                                    {"text", "line " + std::to_string(n)}});
    }
  }
  const RunResult r = Run("logs acme.b");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("line 7"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("line 0"), std::string::npos) << r.output;
}

TEST_F(TinyctlDeviceCli, LogsFollowPrintsNewLines) {
  const std::string out = Path("follow.out");
  const std::string command = std::string("timeout 3 ") + TINYCTL_BIN + " --device " +
                              device_->url() + " logs -f --interval 50ms > " + out + " 2>&1 &";
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  {
    std::lock_guard lock(device_->mutex());
    device_->log_lines.push_back({{"n", 0}, {"t", 5}, {"uid", "acme.a"}, {"text", "late line"}});
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(3000));
  std::ifstream in(out);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("acme.a: late line"), std::string::npos) << text;
}

TEST_F(TinyctlDeviceCli, TopPrintsOneTablePerSampleWithoutAnsiWhenPiped) {
  Deploy();
  RunResult r = Run("top --count 2 --interval 50ms");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  size_t tables = 0;
  for (size_t at = r.output.find("CPU%"); at != std::string::npos;
       at = r.output.find("CPU%", at + 1)) {
    ++tables;
  }
  EXPECT_EQ(tables, 2u) << r.output;
  EXPECT_NE(r.output.find("fake-device 0.0.1"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("\x1b["), std::string::npos);
  r = Run("top --once --json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const json j = json::parse(r.output);
  EXPECT_EQ(j["status"]["name"], "fake-device");
  EXPECT_EQ(j["containers"][0]["uid"], "acme.sampler");
}

TEST_F(TinyctlDeviceCli, TraceWritesChromeTraceJson) {
  {
    std::lock_guard lock(device_->mutex());
    for (int n = 0; n < 5; ++n) {
      device_->trace.push_back({{"n", n},
                                {"t", 1000 * n},
                                {"slot", n % 2},
                                {"uid", n % 2 ? "acme.b" : "acme.a"},
                                {"kind", n == 4 ? 2 : 0},
                                {"aux", 0},
                                {"value", 300}});
    }
  }
  const RunResult r = Run("trace -o " + Path("trace.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("wrote 5 trace events of 2 container(s)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("https://ui.perfetto.dev"), std::string::npos) << r.output;
  std::ifstream in(Path("trace.json"));
  const json trace = json::parse(in);
  size_t runs = 0, misses = 0;
  std::set<std::string> rows;
  for (const json& e : trace["traceEvents"]) {
    if (e["name"] == "run") ++runs;
    if (e["name"] == "deadline miss") ++misses;
    if (e["name"] == "thread_name") rows.insert(e["args"]["name"].get<std::string>());
  }
  EXPECT_EQ(runs, 4u);
  EXPECT_EQ(misses, 1u);
  EXPECT_EQ(rows, (std::set<std::string>{"acme.a", "acme.b"}));
}

TEST_F(TinyctlDeviceCli, LostDatagramsAreRetransmitted) {
  Deploy();
  {
    std::lock_guard lock(device_->mutex());
    device_->drop_next = 2;
  }
  const RunResult r = Run("ps --json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(json::parse(r.output)["containers"][0]["uid"], "acme.sampler");
}

TEST_F(TinyctlDeviceCli, NoAnswerExitsThree) {
  {
    std::lock_guard lock(device_->mutex());
    device_->drop_next = 1000;
  }
  const RunResult r = Run("--device " + device_->url() + " --ack-timeout 5ms --retries 2 ps",
                          /*with_device=*/false);
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("tinyctl ps: no answer from " + device_->url() + " after 3 tries"),
            std::string::npos)
      << r.output;
}

}  // namespace
}  // namespace tinyctl::testing
