#include "fake_device.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <stdexcept>

#include "tc/image/command.h"
#include "tc/image/image_verifier.h"
#include "tc/manifest/manifest.h"

namespace tinyctl::testing {

namespace {

namespace coap = tc::coap;
namespace img = tc::image;
using nlohmann::json;

void Reply(coap::Response& out, const json& body, uint8_t code = coap::code::kContent) {
  out.set_code(code);
  out.set_content_format(coap::content_format::kCbor);
  const std::vector<uint8_t> cbor = json::to_cbor(body);
  (void)out.Append(cbor);
}

void Refuse(coap::Response& out, uint8_t code, const std::string& why) {
  out.set_code(code);
  (void)out.Append(why);
}

// The value of query parameter `key` ("uid=x" -> "x"), or "" when absent.
std::string Query(const coap::Request& r, const std::string& key) {
  for (const coap::Option& o : r.message.options) {
    if (o.number != coap::option::kUriQuery) continue;
    const std::string text(o.value.begin(), o.value.end());
    if (text.rfind(key + "=", 0) == 0) return text.substr(key.size() + 1);
  }
  return {};
}

uint64_t Since(const coap::Request& r) {
  const std::string since = Query(r, "since");
  return since.empty() ? 0 : std::stoull(since);
}

json Page(const std::vector<json>& records, uint64_t since, size_t page_size,
          const std::string& uid, const char* key) {
  json page = json::array();
  uint64_t next = since;
  for (const json& record : records) {
    const uint64_t n = record["n"].get<uint64_t>();
    if (n < since) continue;
    if (page.size() == page_size) break;
    next = n + 1;
    if (uid.empty() || record["uid"] == uid) page.push_back(record);
  }
  return {{"next", next}, {"dropped", 0}, {key, page}};
}

uint64_t UptimeUs() {
  static const auto start = std::chrono::steady_clock::now();
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now() - start)
                                   .count());
}

}  // namespace

FakeDevice::FakeDevice(const img::TrustStore& trust) : trust_(trust) {
  const coap::Resource resources[] = {
      {"status", ";rt=\"tc.status\";ct=60", GetStatus, nullptr, nullptr, nullptr, this},
      {"containers", ";ct=60", GetContainers, nullptr, nullptr, nullptr, this},
      {"container", ";ct=60", GetContainer, nullptr, nullptr, nullptr, this},
      {"stats", ";ct=60", GetStats, nullptr, nullptr, nullptr, this},
      {"install", ";ct=42", nullptr, PostInstall, nullptr, nullptr, this,
       coap::content_format::kOctetStream},
      {"command", ";ct=60", nullptr, PostCommand, nullptr, nullptr, this,
       coap::content_format::kCbor},
      {"config", ";ct=60", nullptr, PostConfig, nullptr, nullptr, this,
       coap::content_format::kCbor},
      {"logs", ";ct=60", GetLogs, nullptr, nullptr, nullptr, this},
      {"trace", ";ct=60", GetTrace, nullptr, nullptr, nullptr, this},
  };
  for (const coap::Resource& r : resources) {
    if (!server_.Register(r).ok()) throw std::runtime_error("FakeDevice: register failed");
  }
}

FakeDevice::~FakeDevice() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (fd_ >= 0) ::close(fd_);
}

void FakeDevice::Start() {
  fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error("FakeDevice: cannot bind");
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

void FakeDevice::Serve() {
  uint32_t now_ms = 0;
  while (!stop_) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    uint8_t datagram[1500];
    sockaddr_in peer{};
    socklen_t peer_len = sizeof(peer);
    const ssize_t n = ::recvfrom(fd_, datagram, sizeof(datagram), 0,
                                 reinterpret_cast<sockaddr*>(&peer), &peer_len);
    if (n < 0) continue;
    std::lock_guard lock(mutex_);
    if (drop_next > 0) {
      --drop_next;
      continue;
    }
    ++datagrams;
    uint8_t reply[coap::kMaxReplySize];
    const uint64_t peer_id = (uint64_t{ntohl(peer.sin_addr.s_addr)} << 16) | ntohs(peer.sin_port);
    const coap::Server::Outcome out =
        server_.Handle({datagram, static_cast<size_t>(n)}, peer_id, now_ms += 10, reply);
    if (!out.reply.empty()) {
      ::sendto(fd_, out.reply.data(), out.reply.size(), 0, reinterpret_cast<sockaddr*>(&peer),
               peer_len);
    }
  }
}

FakeContainer* FakeDevice::Find(const std::string& uid) {
  for (FakeContainer& c : containers) {
    if (c.uid == uid) return &c;
  }
  return nullptr;
}

void FakeDevice::GetStatus(void* self, const coap::Request&, coap::Response& out) {
  auto& d = *static_cast<FakeDevice*>(self);
  Reply(out, {{"name", "fake-device"},
              {"version", "0.0.1"},
              {"uptime_us", UptimeUs()},
              {"seq", d.seq},
              {"containers", d.containers.size()},
              {"slots", 8},
              {"pool_free", 65536}});
}

void FakeDevice::GetContainers(void* self, const coap::Request&, coap::Response& out) {
  auto& d = *static_cast<FakeDevice*>(self);
  json list = json::array();
  for (const FakeContainer& c : d.containers) {
    list.push_back({{"id", c.id},
                    {"uid", c.uid},
                    {"version", c.version},
                    {"runtime", c.runtime},
                    {"state", c.state},
                    {"priority", c.schedule.value("priority", 10)},
                    {"period_us", c.schedule.value("period_us", 0)}});
  }
  Reply(out, {{"containers", list}});
}

void FakeDevice::GetContainer(void* self, const coap::Request& r, coap::Response& out) {
  auto& d = *static_cast<FakeDevice*>(self);
  const std::string uid = Query(r, "uid");
  if (uid.empty()) return Refuse(out, coap::code::kBadRequest, "container: query uid=U missing");
  const FakeContainer* c = d.Find(uid);
  if (c == nullptr) return Refuse(out, coap::code::kNotFound, "container: no container " + uid);
  Reply(out, {{"id", c->id},
              {"uid", c->uid},
              {"version", c->version},
              {"runtime", c->runtime},
              {"state", c->state},
              {"config_seq", c->config_seq},
              {"quotas", c->quotas},
              {"schedule", c->schedule},
              {"permissions", c->permissions}});
}

void FakeDevice::GetStats(void* self, const coap::Request& r, coap::Response& out) {
  auto& d = *static_cast<FakeDevice*>(self);
  const std::string uid = Query(r, "uid");
  json stats = json::array();
  for (const FakeContainer& c : d.containers) {
    if (!uid.empty() && c.uid != uid) continue;
    json s = c.stats;
    s["uid"] = c.uid;
    s["state"] = c.state;
    stats.push_back(s);
  }
  Reply(out, {{"stats", stats}});
}

void FakeDevice::PostInstall(void* self, const coap::Request& r, coap::Response& out) {
  auto& d = *static_cast<FakeDevice*>(self);
  const size_t offset = r.has_block1 ? r.block1.offset() : 0;
  if (offset == 0) d.upload_.clear();
  if (offset != d.upload_.size()) {
    return Refuse(out, coap::code::kRequestEntityIncomplete, "install: block out of order");
  }
  d.upload_.insert(d.upload_.end(), r.message.payload.begin(), r.message.payload.end());
  if (r.has_block1 && r.block1.more) {
    out.set_code(coap::code::kChanged);
    return;
  }
  d.FinishInstall(out);
}

void FakeDevice::FinishInstall(coap::Response& out) {
  auto verifier = std::make_unique<img::ImageVerifier>(trust_, img::ImageVerifyOptions{});
  (void)verifier->Feed(upload_);
  const tc::Status verified = verifier->Finish();
  if (!verified.ok()) {
    return Refuse(out, coap::MakeCode(4, 1),
                  std::string("install: ") + img::ImageProblemName(verifier->problem()) + ": " +
                      verified.message());
  }
  const json manifest = tc::manifest::MetadataToJson(verifier->metadata());
  FakeContainer* c = Find(manifest["uid"]);
  const bool replaced = c != nullptr;
  if (c == nullptr) {
    containers.push_back({});
    c = &containers.back();
    c->id = static_cast<uint32_t>(containers.size());
    c->uid = manifest["uid"];
    c->stats = {{"cpu_us", 0}, {"activations", 0}, {"misses", 0}, {"denials", 0}};
  }
  c->version = manifest["version"];
  c->runtime = manifest["runtime"];
  c->quotas = manifest["quotas"];
  c->schedule = manifest["schedule"];
  c->permissions = manifest["permissions"];
  ++installs;
  Reply(out, {{"id", c->id}, {"uid", c->uid}, {"version", c->version}, {"replaced", replaced}},
        coap::code::kCreated);
}

void FakeDevice::PostCommand(void* self, const coap::Request& r, coap::Response& out) {
  auto& d = *static_cast<FakeDevice*>(self);
  img::Command command;
  const tc::Status verified = img::VerifySignedCommand(r.message.payload, d.trust_, &command);
  if (!verified.ok()) {
    return Refuse(out, coap::MakeCode(4, 1), std::string("command: ") + verified.message());
  }
  if (command.sequence <= d.seq) {
    return Refuse(out, coap::MakeCode(4, 1),
                  "command: sequence " + std::to_string(command.sequence) + " is not above " +
                      std::to_string(d.seq));
  }
  const std::string uid(command.uid.view());
  FakeContainer* c = d.Find(uid);
  if (c == nullptr) return Refuse(out, coap::code::kNotFound, "command: no container " + uid);
  if (command.action == img::CommandAction::kResume && c->state != "suspended") {
    return Refuse(out, coap::MakeCode(4, 9), "resume: container is " + c->state);
  }
  d.seq = command.sequence;
  std::string state;
  switch (command.action) {
    case img::CommandAction::kStart: state = "running"; break;
    case img::CommandAction::kStop: state = "stopped"; break;
    case img::CommandAction::kSuspend: state = "suspended"; break;
    case img::CommandAction::kResume: state = "running"; break;
    case img::CommandAction::kRemove: state = "removed"; break;
  }
  if (command.action == img::CommandAction::kRemove) {
    std::erase_if(d.containers, [&](const FakeContainer& x) { return x.uid == uid; });
  } else {
    c->state = state;
  }
  Reply(out, {{"uid", uid}, {"state", state}}, coap::code::kChanged);
}

void FakeDevice::PostConfig(void* self, const coap::Request& r, coap::Response& out) {
  auto& d = *static_cast<FakeDevice*>(self);
  img::ConfigUpdate update;
  const tc::Status verified = img::VerifySignedConfigUpdate(r.message.payload, d.trust_, &update);
  if (!verified.ok()) {
    return Refuse(out, coap::MakeCode(4, 1), std::string("config: ") + verified.message());
  }
  if (update.sequence <= d.seq) {
    return Refuse(out, coap::MakeCode(4, 1),
                  "config: sequence " + std::to_string(update.sequence) + " is not above " +
                      std::to_string(d.seq));
  }
  const std::string uid(update.uid.view());
  FakeContainer* c = d.Find(uid);
  if (c == nullptr) return Refuse(out, coap::code::kNotFound, "config: no container " + uid);
  d.seq = update.sequence;
  d.last_config = tc::manifest::ConfigUpdateToJson(update);
  if (d.last_config.contains("schedule")) c->schedule = d.last_config["schedule"];
  if (d.last_config.contains("permissions")) c->permissions = d.last_config["permissions"];
  c->config_seq = update.sequence;
  Reply(out, {{"uid", uid}, {"seq", update.sequence}, {"closed_handles", 0}}, coap::code::kChanged);
}

void FakeDevice::GetLogs(void* self, const coap::Request& r, coap::Response& out) {
  auto& d = *static_cast<FakeDevice*>(self);
  Reply(out, Page(d.log_lines, Since(r), d.page_size, Query(r, "uid"), "lines"));
}

void FakeDevice::GetTrace(void* self, const coap::Request& r, coap::Response& out) {
  auto& d = *static_cast<FakeDevice*>(self);
  json page = Page(d.trace, Since(r), d.page_size, "", "events");
  page.erase("dropped");
  Reply(out, page);
}

}  // namespace tinyctl::testing
