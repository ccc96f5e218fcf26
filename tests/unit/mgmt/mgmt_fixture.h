// The fixture of the management tests: keys and a trust store, the in-memory store, one Device
// (rebuilt by Reboot() over the same store), a CoAP client, and builders for signed images,
// commands and config updates of a wasm and an eBPF container.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "coap_client.h"
#include "device.h"
#include "memory_store.h"
#include "signing.h"
#include "tc/services/host_services.h"

namespace tc::mgmt::testing {

using image::CommandAction;
using image::Service;
using image::ServiceBit;
using json = nlohmann::json;

inline constexpr uint16_t kOctetStream = coap::content_format::kOctetStream;
inline constexpr uint16_t kCbor = coap::content_format::kCbor;
inline constexpr uint8_t kUnauthorized = coap::MakeCode(4, 1);
inline constexpr uint8_t kConflict = coap::MakeCode(4, 9);
inline constexpr uint8_t kUnavailable = coap::MakeCode(5, 3);

// log(r1 = the container's memory, 5); return 0 — one log line per activation.
inline Bytes BpfLogProgram() {
  Bytes c;
  auto emit = [&c](uint8_t opcode, uint8_t dst, int32_t imm) {
    c.push_back(opcode);
    c.push_back(dst);
    c.push_back(0);
    c.push_back(0);
    for (int i = 0; i < 4; ++i) c.push_back(static_cast<uint8_t>((imm >> (8 * i)) & 0xFF));
  };
  emit(0xb7, 2, 5);  // mov r2, 5
  emit(0x85, 0, services::kBpfHelperLog);  // call log(text, length)
  emit(0xb7, 0, 0);  // mov r0, 0
  emit(0x95, 0, 0);  // exit
  return c;
}

class MgmtTest : public ::testing::Test {
 protected:
  MgmtTest() {
    EXPECT_TRUE(trust_.Add(op_.info).ok());
    EXPECT_TRUE(trust_.Add(hmac_.info).ok());
    EXPECT_TRUE(trust_.Add(tenant_.info).ok());
    Reboot();
  }

  // A restart: a new engine, services and management over the same store.
  void Reboot() {
    client_.reset();
    device_.reset();
    device_ = std::make_unique<Device>(store_, trust_, &wall_clock_);
    client_ = std::make_unique<Client>(device_->server_);
  }

  static image::Endpoint Led(uint8_t id) {
    image::Endpoint e;
    e.id = id;
    e.peer.kind = image::PeerKind::kLocal;
    e.peer.device_class = image::DeviceClass::kLed;
    e.direction = image::Direction::kOut;
    return e;
  }

  image::ContainerMetadata WasmMetadata(
      const std::string& uid, uint32_t version,
      image::ServiceMask services = ServiceBit(Service::kLog) | ServiceBit(Service::kTime) |
                                    ServiceBit(Service::kEndpoint)) {
    image::ContainerMetadata m;
    EXPECT_TRUE(m.uid.Assign(uid).ok());
    m.version = version;
    m.runtime = image::RuntimeKind::kWasm;
    EXPECT_TRUE(m.entry.init.Assign("tc_init").ok());
    EXPECT_TRUE(m.entry.loop.Assign("tc_loop").ok());
    m.quotas.memory_limit = 65536;
    m.quotas.stack_bytes = 4096;
    m.quotas.max_handles = 2;
    m.schedule.priority = 5;
    m.schedule.period_us = 1000;
    m.permissions.services = services;
    EXPECT_TRUE(m.permissions.endpoints.push_back(Led(1)).ok());
    return m;
  }

  Bytes WasmImage(const std::string& uid, uint32_t version, const TestKey* key = nullptr) {
    return SignedImage(key != nullptr ? *key : op_, WasmMetadata(uid, version), module_);
  }

  Bytes BpfImage(const std::string& uid, uint32_t version) {
    image::ContainerMetadata m;
    EXPECT_TRUE(m.uid.Assign(uid).ok());
    m.version = version;
    m.runtime = image::RuntimeKind::kEbpf;
    EXPECT_TRUE(m.entry.loop.Assign("run").ok());
    m.quotas.memory_limit = 64;
    m.quotas.stack_bytes = 512;
    m.schedule.priority = 3;
    m.schedule.period_us = 2000;
    m.permissions.services = ServiceBit(Service::kLog);
    return SignedImage(op_, m, BpfLogProgram());
  }

  Reply Install(const Bytes& image) { return client_->Post("install", image, kOctetStream); }
  Reply Command(const std::string& uid, CommandAction action, uint64_t sequence,
                const TestKey* key = nullptr) {
    return client_->Post("command",
                         SignedCommand(key != nullptr ? *key : op_, uid, action, sequence), kCbor);
  }
  Reply Config(const image::ConfigUpdate& update, const TestKey* key = nullptr) {
    return client_->Post("config", SignedConfig(key != nullptr ? *key : op_, update), kCbor);
  }
  json Get(const std::string& path, const std::vector<std::string>& queries = {}) {
    const Reply r = client_->Get(path, queries);
    EXPECT_EQ(r.code, coap::code::kContent) << path << ": " << CodeText(r.code) << " " << r.text();
    return r.json();
  }
  json Containers() { return Get("containers")["containers"]; }
  std::string StateOf(const std::string& uid) {
    for (const json& c : Containers()) {
      if (c["uid"] == uid) return c["state"];
    }
    return "absent";
  }

  Bytes module_ = ReadModule(std::string(TC_MGMT_TEST_MODULES) + "/container.wasm");
  TestKey op_ = MakeKey("op");
  TestKey hmac_ = MakeKey("mac", image::KeyRole::kOperator, image::KeyType::kHmacSha256);
  TestKey tenant_ = MakeKey("acme", image::KeyRole::kTenant, image::KeyType::kEd25519, "acme.");
  image::TrustStore trust_;
  MemoryStore store_;
  uint64_t wall_clock_ = 1'800'000'000;
  std::unique_ptr<Device> device_;
  std::unique_ptr<Client> client_;
};

}  // namespace tc::mgmt::testing
