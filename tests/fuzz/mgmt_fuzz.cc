// libFuzzer target: arbitrary datagrams into a coap::Server with Management registered, over an
// engine with the eBPF runtime and two containers restored from a store (one started). Nothing
// may crash, every reply must parse, and — since no input carries a valid signature (the seeds
// are signed with a key the device does not trust) — nothing may change: no image staged or
// stored, no record written, no container state, id or schedule changed, the sequence unchanged.
//
// Input: datagrams, each preceded by two bytes: bit 15 picks the peer, the rest is the length.
// Seeds (valid requests of every resource, signed with the untrusted key) are written into the
// first corpus directory at start.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tc/cbor/writer.h"
#include "tc/crypto/hmac_sha256.h"
#include "tc/crypto/sha256.h"
#include "tc/ebpf/ebpf_runtime.h"
#include "tc/image/command.h"
#include "tc/image/cose.h"
#include "tc/image/image_verifier.h"
#include "tc/image/metadata_codec.h"
#include "tc/mgmt/management.h"
#include "tc/net/coap/message_builder.h"
#include "tc/services/host_services.h"

namespace {

using Bytes = std::vector<uint8_t>;
using namespace tc;

class Store final : public mgmt::ContainerStore {
 public:
  Status BeginImage(std::string_view, uint32_t) override {
    ++begins;
    return Status(ErrorCode::kResourceExhausted, "fuzz store accepts no image");
  }
  Status AppendImage(std::span<const uint8_t>) override {
    return Status(ErrorCode::kFailedPrecondition, "no staging");
  }
  std::span<const uint8_t> StagedImage() const override { return {}; }
  Status CommitImage() override {
    ++begins;
    return Status(ErrorCode::kFailedPrecondition, "no staging");
  }
  void AbortImage() override {}
  Result<std::span<const uint8_t>> Image(std::string_view uid) const override {
    const auto it = images.find(std::string(uid));
    if (it == images.end()) return Status(ErrorCode::kNotFound, "no image");
    return std::span<const uint8_t>(it->second);
  }
  Status RemoveImage(std::string_view) override {
    ++writes;
    return Status::Ok();
  }
  Status ForEachImage(void (*fn)(void*, std::string_view), void* context) const override {
    for (const auto& [uid, bytes] : images) fn(context, uid);
    return Status::Ok();
  }
  Status SaveRecord(std::string_view, std::span<const uint8_t>) override {
    ++writes;
    return Status::Ok();
  }
  Result<size_t> LoadRecord(std::string_view name, std::span<uint8_t> out) const override {
    const auto it = records.find(std::string(name));
    if (it == records.end()) return Status(ErrorCode::kNotFound, "no record");
    const size_t n = it->second.size() < out.size() ? it->second.size() : out.size();
    std::memcpy(out.data(), it->second.data(), n);
    return it->second.size();
  }
  Status RemoveRecord(std::string_view) override {
    ++writes;
    return Status::Ok();
  }

  std::map<std::string, Bytes> images;
  std::map<std::string, Bytes> records;
  int begins = 0;
  int writes = 0;
};

struct Clock final : engine::EnginePort {
  uint64_t NowUs() override { return now_us; }
  void RequestWakeAt(uint64_t) override {}
  uint64_t now_us = 1000;
};

// COSE_Mac0 with HMAC 256/256 over `payload`, built with the device's own crypto.
Bytes Mac0(const uint8_t* key, const image::Kid& kid, uint64_t content_type, const Bytes& payload) {
  uint8_t protected_header[64];
  cbor::Writer p(protected_header);
  (void)p.WriteMapHeader(3);
  (void)p.WriteUint(1);
  (void)p.WriteInt(image::kCoseAlgHmac256);
  (void)p.WriteUint(3);
  (void)p.WriteUint(content_type);
  (void)p.WriteUint(4);
  (void)p.WriteBytes(kid.span());
  uint8_t heads[image::kCoseToBeSignedHeadMax];
  const image::ToBeSignedHeads h =
      image::WriteToBeSignedHeads(image::CoseKind::kMac0, p.size(), payload.size(), heads);
  crypto::HmacSha256 mac({key, 32});
  mac.Update({heads, h.before_protected});
  mac.Update(p.written());
  mac.Update({heads + h.before_protected, h.between});
  mac.Update(payload);
  const crypto::Sha256Digest tag = mac.Final();
  Bytes out(payload.size() + 128);
  cbor::Writer w(out);
  (void)w.WriteTag(image::kCoseMac0Tag);
  (void)w.WriteArrayHeader(4);
  (void)w.WriteBytes(p.written());
  (void)w.WriteMapHeader(0);
  (void)w.WriteBytes(payload);
  (void)w.WriteBytes(tag);
  out.resize(w.size());
  return out;
}

// log(r1, 5); return 0.
Bytes BpfProgram() {
  const uint8_t code[] = {0xb7, 2, 0, 0, 5, 0, 0, 0, 0x85, 0, 0, 0, 1, 0, 0, 0,
                          0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0};
  return Bytes(code, code + sizeof code);
}

Bytes Image(const uint8_t* key, const image::Kid& kid, const char* uid, uint32_t version) {
  const Bytes code = BpfProgram();
  image::ContainerMetadata m;
  (void)m.uid.Assign(uid);
  m.version = version;
  m.runtime = image::RuntimeKind::kEbpf;
  (void)m.entry.loop.Assign("run");
  m.quotas.memory_limit = 64;
  m.quotas.stack_bytes = 512;
  m.schedule.priority = 3;
  m.schedule.period_us = 2000;
  m.permissions.services = image::ServiceBit(image::Service::kLog);
  m.signer_kid = kid;
  const crypto::Sha256Digest digest = crypto::Sha256::Hash(code);
  std::memcpy(m.code_sha256.data(), digest.data(), digest.size());
  m.code_size = static_cast<uint32_t>(code.size());
  Bytes metadata(1024);
  cbor::Writer w(metadata);
  if (!image::EncodeMetadata(m, &w).ok()) std::abort();
  metadata.resize(w.size());
  const Bytes envelope = Mac0(key, kid, image::kContentTypeMetadata, metadata);
  Bytes out = {'T',
               'C',
               'I',
               'M',
               1,
               0,
               static_cast<uint8_t>(envelope.size() >> 8),
               static_cast<uint8_t>(envelope.size())};
  out.insert(out.end(), envelope.begin(), envelope.end());
  out.insert(out.end(), code.begin(), code.end());
  return out;
}

Bytes Command(const uint8_t* key, const image::Kid& kid, const char* uid,
              image::CommandAction action, uint64_t sequence) {
  image::Command c;
  (void)c.uid.Assign(uid);
  c.action = action;
  c.sequence = sequence;
  Bytes payload(64);
  cbor::Writer w(payload);
  (void)image::EncodeCommand(c, &w);
  payload.resize(w.size());
  return Mac0(key, kid, image::kContentTypeCommand, payload);
}

Bytes Config(const uint8_t* key, const image::Kid& kid, const char* uid, uint64_t sequence) {
  image::ConfigUpdate u;
  (void)u.uid.Assign(uid);
  u.sequence = sequence;
  u.has_schedule = true;
  u.schedule.priority = 9;
  u.schedule.period_us = 5000;
  Bytes payload(256);
  cbor::Writer w(payload);
  (void)image::EncodeConfigUpdate(u, &w);
  payload.resize(w.size());
  return Mac0(key, kid, image::kContentTypeConfigUpdate, payload);
}

Bytes Request(uint8_t method, std::vector<std::string> path, std::vector<std::string> queries,
              int content_format, int accept, int block1_num, bool more, const Bytes& payload) {
  Bytes buffer(payload.size() + 256);
  coap::MessageBuilder b(buffer);
  const uint8_t token[1] = {0x42};
  (void)b.Header(coap::Type::kConfirmable, method, 7, token);
  for (const std::string& s : path) (void)b.AddStringOption(coap::option::kUriPath, s);
  if (content_format >= 0) {
    (void)b.AddUintOption(coap::option::kContentFormat, static_cast<uint32_t>(content_format));
  }
  for (const std::string& q : queries) (void)b.AddStringOption(coap::option::kUriQuery, q);
  if (accept >= 0) (void)b.AddUintOption(coap::option::kAccept, static_cast<uint32_t>(accept));
  if (block1_num >= 0) {
    const coap::BlockOption block{static_cast<uint32_t>(block1_num), more, 4};
    (void)b.AddUintOption(coap::option::kBlock1, *coap::EncodeBlock(block));
  }
  (void)b.SetPayload(payload);
  return Bytes(b.bytes().begin(), b.bytes().end());
}

const uint8_t kTrustedKey[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
const uint8_t kOtherKey[32] = {9, 8, 7, 6, 5, 4, 3, 2, 1};

image::Kid Kid() {
  image::Kid kid;
  const uint8_t bytes[] = {'o', 'p'};
  (void)kid.Assign(bytes);
  return kid;
}

struct Fixture {
  Fixture() {
    image::TrustedKey key;
    key.kid = Kid();
    key.role = image::KeyRole::kOperator;
    key.type = image::KeyType::kHmacSha256;
    std::memcpy(key.key, kTrustedKey, 32);
    if (!trust.Add(key).ok()) std::abort();
    store.images["bpf.a"] = Image(kTrustedKey, Kid(), "bpf.a", 1);
    store.images["bpf.b"] = Image(kTrustedKey, Kid(), "bpf.b", 4);
    store.records["up.bpf.a"] = {1};
    store.records["seq"] = {5, 0, 0, 0, 0, 0, 0, 0};
    if (!registry.Register(ebpf).ok()) std::abort();
  }
  image::TrustStore trust;
  Store store;
  ebpf::EbpfRuntime ebpf;
  runtime::RuntimeRegistry registry;
};

Fixture& Shared() {
  static Fixture* fixture = new Fixture;
  return *fixture;
}

struct Snapshot {
  uint64_t sequence = 0;
  struct Slot {
    uint32_t id;
    engine::State state;
    image::Schedule schedule;
  } slots[engine::kMaxContainers];
  bool operator==(const Snapshot& o) const {
    if (sequence != o.sequence) return false;
    for (size_t i = 0; i < engine::kMaxContainers; ++i) {
      if (slots[i].id != o.slots[i].id || slots[i].state != o.slots[i].state ||
          !(slots[i].schedule == o.slots[i].schedule)) {
        return false;
      }
    }
    return true;
  }
};

Snapshot Take(const engine::Engine& e, const mgmt::Management& m) {
  Snapshot s;
  s.sequence = m.sequence();
  for (size_t i = 0; i < engine::kMaxContainers; ++i) {
    const engine::Container& c = e.containers()[i];
    s.slots[i] = {c.id, c.state, c.schedule};
  }
  return s;
}

void WriteSeeds(const char* dir) {
  const image::Kid kid = Kid();
  const Bytes image = Image(kOtherKey, kid, "bpf.c", 1);
  const Bytes update = Image(kOtherKey, kid, "bpf.a", 2);
  const std::vector<Bytes> requests = {
      Request(coap::code::kGet, {"status"}, {}, -1, -1, -1, false, {}),
      Request(coap::code::kGet, {"containers"}, {}, -1, 50, -1, false, {}),
      Request(coap::code::kGet, {"container"}, {"uid=bpf.a"}, -1, 50, -1, false, {}),
      Request(coap::code::kGet, {"stats"}, {"uid=bpf.b"}, -1, -1, -1, false, {}),
      Request(coap::code::kGet, {"logs"}, {"since=0", "uid=bpf.a"}, -1, 50, -1, false, {}),
      Request(coap::code::kGet, {"audit"}, {"since=3"}, -1, -1, -1, false, {}),
      Request(coap::code::kGet, {"trace"}, {"since=1"}, -1, 60, -1, false, {}),
      Request(coap::code::kPost, {"install"}, {}, 42, -1, -1, false, image),
      Request(coap::code::kPost, {"install"}, {}, 42, -1, 0, true,
              Bytes(update.begin(), update.begin() + 256)),
      Request(coap::code::kPost, {"command"}, {}, 60, -1, -1, false,
              Command(kOtherKey, kid, "bpf.a", image::CommandAction::kStop, 6)),
      Request(coap::code::kPost, {"command"}, {}, 60, -1, -1, false,
              Command(kOtherKey, kid, "bpf.b", image::CommandAction::kRemove, 9)),
      Request(coap::code::kPost, {"config"}, {}, 60, 50, -1, false,
              Config(kOtherKey, kid, "bpf.a", 7)),
  };
  int n = 0;
  for (const Bytes& r : requests) {
    Bytes framed = {static_cast<uint8_t>(r.size() >> 8), static_cast<uint8_t>(r.size())};
    framed.insert(framed.end(), r.begin(), r.end());
    const std::string path = std::string(dir) + "/seed" + std::to_string(n++);
    if (FILE* f = std::fopen(path.c_str(), "wb")) {
      std::fwrite(framed.data(), 1, framed.size(), f);
      std::fclose(f);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  for (int i = 1; i < *argc; ++i) {
    if ((*argv)[i][0] != '-') {
      WriteSeeds((*argv)[i]);
      break;
    }
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Fixture& f = Shared();
  Clock clock;
  alignas(16) static uint8_t pool[engine::kMaxContainers * 4096];
  auto engine = std::make_unique<engine::Engine>(clock, f.registry, pool);
  mgmt::LogRing logs(clock);
  services::HostServices services({&logs, nullptr, nullptr});
  if (!services.Register(*engine).ok()) std::abort();
  auto management = std::make_unique<mgmt::Management>(*engine, f.trust, f.store, logs);
  coap::Server server;
  if (!management->Register(server).ok()) std::abort();
  if (!management->Restore().ok()) std::abort();
  for (int i = 0; i < 3; ++i) (void)engine->Step();
  const Snapshot before = Take(*engine, *management);

  size_t at = 0;
  uint32_t now_ms = 0;
  while (at + 2 <= size) {
    const size_t header = size_t{data[at]} << 8 | data[at + 1];
    at += 2;
    const size_t length = (header & 0x7fff) % (size - at + 1);
    uint8_t reply[coap::kMaxReplySize];
    const coap::Server::Outcome out =
        server.Handle({data + at, length}, header >> 15, now_ms++, reply);
    if (!out.reply.empty()) {
      coap::Message m;
      if (!coap::ParseMessage(out.reply, m).ok()) std::abort();
    }
    at += length;
  }
  if (!(Take(*engine, *management) == before) || f.store.begins != 0 || f.store.writes != 0) {
    std::fprintf(stderr, "state changed without a valid signature\n");
    std::abort();
  }
  return 0;
}
