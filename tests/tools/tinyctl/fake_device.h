// Tests-only stand-in for tinycontainerd's management API (docs/management-api.md): a UDP
// server on 127.0.0.1 (ephemeral port, own thread) built on tc::coap::Server, with stub
// resources that keep containers, the operator sequence, logs and a trace in memory. It checks
// signatures against a trust store like the device does, so tinyctl's signed commands and config
// updates are exercised for real.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tc/image/trust_store.h"
#include "tc/net/coap/server.h"

namespace tinyctl::testing {

struct FakeContainer {
  uint32_t id = 0;
  std::string uid;
  uint32_t version = 0;
  std::string runtime = "wasm";
  std::string state = "installed";
  uint64_t config_seq = 0;
  nlohmann::json quotas = nlohmann::json::object();
  nlohmann::json schedule = nlohmann::json::object();
  nlohmann::json permissions = nlohmann::json::object();
  nlohmann::json stats = nlohmann::json::object();  // cpu_us, misses, denials, ...
};

class FakeDevice {
 public:
  explicit FakeDevice(const tc::image::TrustStore& trust);
  ~FakeDevice();

  // Binds and serves until destruction.
  void Start();
  uint16_t port() const { return port_; }
  std::string url() const { return "udp://127.0.0.1:" + std::to_string(port_); }

  // Everything below is guarded by mutex(); tests lock it to read or seed state.
  std::mutex& mutex() { return mutex_; }
  std::vector<FakeContainer> containers;
  uint64_t seq = 0;
  std::vector<nlohmann::json> log_lines;  // {"n","t","uid","text"}
  std::vector<nlohmann::json> trace;      // {"n","t","slot","uid","kind","aux","value"}
  nlohmann::json last_config;             // the last accepted config update (manifest syntax)
  size_t installs = 0;
  // The next N datagrams are dropped unanswered (simulated loss).
  int drop_next = 0;
  size_t datagrams = 0;
  // Records per page of /logs and /trace (small, so paging is exercised).
  size_t page_size = 3;

 private:
  void Serve();
  static void GetStatus(void* self, const tc::coap::Request& r, tc::coap::Response& out);
  static void GetContainers(void* self, const tc::coap::Request& r, tc::coap::Response& out);
  static void GetContainer(void* self, const tc::coap::Request& r, tc::coap::Response& out);
  static void GetStats(void* self, const tc::coap::Request& r, tc::coap::Response& out);
  static void PostInstall(void* self, const tc::coap::Request& r, tc::coap::Response& out);
  static void PostCommand(void* self, const tc::coap::Request& r, tc::coap::Response& out);
  static void PostConfig(void* self, const tc::coap::Request& r, tc::coap::Response& out);
  static void GetLogs(void* self, const tc::coap::Request& r, tc::coap::Response& out);
  static void GetTrace(void* self, const tc::coap::Request& r, tc::coap::Response& out);

  FakeContainer* Find(const std::string& uid);
  void FinishInstall(tc::coap::Response& out);

  const tc::image::TrustStore& trust_;
  tc::coap::Server server_{0x4000};
  std::mutex mutex_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::vector<uint8_t> upload_;
};

}  // namespace tinyctl::testing
