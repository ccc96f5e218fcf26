// The management service (docs/management-api.md, docs/mgmt.md): the CoAP resources through
// which an operator installs, updates, starts, stops, reconfigures, removes and observes the
// containers of one engine. Device-side: no heap, fixed state, every modifying request verified
// against the trust store (signed image, signed command, signed config update) and refused with a
// specific code and diagnostic if anything is wrong, changing nothing.
//
// The port provides durable storage (ContainerStore), a log sink (LogRing, handed to the host
// services as their LogSink) and, optionally, a wall clock for image expiry. A daemon or board
// main builds the engine, the services and this object, calls Restore() once, Register()s it
// with its coap::Server and then feeds datagrams to the server, steps the engine and sends what
// PollAnswers() returns (a stop is answered when the container has really stopped).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "tc/base/result.h"
#include "tc/engine/engine.h"
#include "tc/image/command.h"
#include "tc/image/image_verifier.h"
#include "tc/image/trust_store.h"
#include "tc/mgmt/container_store.h"
#include "tc/mgmt/log_ring.h"
#include "tc/net/coap/server.h"

namespace tc::mgmt {

// Largest signed command or config update accepted (one datagram or Block1 blocks).
inline constexpr size_t kMaxSignedRequest = 1024;

struct ManagementConfig {
  // Static strings (kept by pointer).
  const char* name = "tinycontainer";  // GET /status "name"
  const char* version = "";            // GET /status "version" (firmware/daemon version)
  // Largest image accepted (header + envelope + code + data); larger ones get 4.13.
  uint32_t max_image_size = 512 * 1024;
  // Unix seconds for the metadata's not_after. Null: expiry is not checked (a board without a
  // real-time clock); Restore() never checks it, so a stored image is not lost to a clock.
  uint64_t (*wall_clock_s)(void* context) = nullptr;
  void* wall_clock_context = nullptr;
};

class Management {
 public:
  Management(engine::Engine& engine, const image::TrustStore& trust, ContainerStore& store,
             LogRing& logs, const ManagementConfig& config = {});
  Management(const Management&) = delete;
  Management& operator=(const Management&) = delete;

  // Registers status, containers, container, stats, install, command, config, logs, audit and
  // trace (10 resources; the caller may register its own, e.g. "devices").
  Status Register(coap::Server& server);

  // After a (re)start: loads the operator sequence, re-verifies and reinstalls every stored
  // image, re-applies its stored config update and starts the containers that were started.
  // Keeps going past a container that fails (its reason goes to the log ring, uid "mgmt") and
  // returns the first failure, or OK.
  Status Restore();

  // The last accepted operator sequence number (GET /status "seq").
  uint64_t sequence() const { return sequence_; }

  // A stop command whose container went to `stopping` is answered separately (RFC 7252 §5.2.2)
  // once it has left that state. Returns the next such answer, built by `server` into `buffer`
  // (coap::kMaxReplySize bytes) with the peer to send it to, or nothing (an empty datagram).
  // The port calls it after engine steps until it returns nothing.
  coap::Outgoing PollAnswers(coap::Server& server, uint32_t now_ms, std::span<uint8_t> buffer);

 private:
  // What the engine does not remember about an installed container.
  struct Entry {
    bool used = false;
    uint32_t id = 0;  // engine container id
    image::Uid uid;
    uint32_t version = 0;
    image::RuntimeKind runtime = image::RuntimeKind::kWasm;
    bool started = false;  // persisted: started again by Restore()
  };

  // The image upload in progress (POST /install, Block1).
  struct Upload {
    bool active = false;
    uint64_t peer = 0;
    uint32_t received = 0;  // bytes fed to the verifier so far
    bool staging = false;   // the store holds a staging area for it
  };

  // A signed command / config update arriving in Block1 blocks.
  enum class BodyOwner : uint8_t { kNone, kCommand, kConfig };
  struct SignedBody {
    BodyOwner owner = BodyOwner::kNone;
    uint64_t peer = 0;
    size_t size = 0;
    uint8_t bytes[kMaxSignedRequest] = {};
  };

  // A stop whose answer waits until the container has left `stopping`.
  struct PendingStop {
    bool used = false;
    coap::ExchangeId exchange = 0;
    uint32_t id = 0;  // engine container id
    image::Uid uid;
    bool json = false;  // the request's Accept asked for JSON
  };

  // Resource handlers (coap::Handler); `self` is the Management.
  static void GetStatus(void* self, const coap::Request& request, coap::Response& response);
  static void GetContainers(void* self, const coap::Request& request, coap::Response& response);
  static void GetContainer(void* self, const coap::Request& request, coap::Response& response);
  static void GetStats(void* self, const coap::Request& request, coap::Response& response);
  static void PostInstall(void* self, const coap::Request& request, coap::Response& response);
  static void PostCommand(void* self, const coap::Request& request, coap::Response& response);
  static void PostConfig(void* self, const coap::Request& request, coap::Response& response);
  static void GetLogs(void* self, const coap::Request& request, coap::Response& response);
  static void GetAudit(void* self, const coap::Request& request, coap::Response& response);
  static void GetTrace(void* self, const coap::Request& request, coap::Response& response);

  // install.cc
  void Install(const coap::Request& request, coap::Response& response);
  void FinishInstall(const coap::Request& request, coap::Response& response);
  void EndUpload();
  static Status OnMetadata(void* self, const image::ContainerMetadata& metadata,
                           const image::TrustedKey& signer);
  static Status OnSection(void* self, uint32_t offset, std::span<const uint8_t> bytes);
  // Verifies the uid's stored image again and installs it into the engine (Restore, and
  // putting back the old version when an update fails).
  Result<uint32_t> ReinstallStored(std::string_view uid, uint32_t* version,
                                   image::RuntimeKind* runtime);

  // commands.cc
  bool CollectBody(BodyOwner owner, const coap::Request& request, coap::Response& response,
                   std::span<const uint8_t>* body);
  void Command(const coap::Request& request, coap::Response& response);
  void Config(const coap::Request& request, coap::Response& response);
  Status PersistSequence(uint64_t sequence);

  // separate_answers.cc
  // Defers the answer to a stop that left the container `stopping`; false when it must be
  // answered at once (no free slot, or a block-wise request).
  bool DeferStop(coap::Response& response, uint32_t id, std::string_view uid, bool json);
  static void FillStopAnswer(void* context, coap::Response& response);

  // management.cc
  Entry* FindEntry(std::string_view uid);
  Entry* FreeEntry();
  Status SetStarted(Entry& entry, bool started);
  void ForgetRecords(std::string_view uid);
  void ForgetConfig(std::string_view uid);
  // Loads and verifies a stored config update; false when there is none.
  Result<bool> LoadConfigRecord(std::string_view name, image::ConfigUpdate* update);
  Status ReapplyConfig(std::string_view uid, uint32_t id, uint32_t version);
  void RestoreOne(std::string_view uid, Status* first_failure);
  void Note(const char* what, std::string_view uid, const Status& why);

  engine::Engine& engine_;
  const image::TrustStore& trust_;
  ContainerStore& store_;
  LogRing& logs_;
  ManagementConfig config_;
  uint64_t started_us_ = 0;
  uint64_t sequence_ = 0;
  Entry entries_[engine::kMaxContainers];
  Upload upload_;
  std::optional<image::ImageVerifier> verifier_;
  SignedBody signed_body_;
  PendingStop stops_[coap::kPendingExchanges];
  // Where GET answers are built (CBOR) before they are sent as CBOR or JSON.
  uint8_t scratch_[coap::kBodyCapacity] = {};
};

}  // namespace tc::mgmt
