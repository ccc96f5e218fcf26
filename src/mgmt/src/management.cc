// Construction, registration of the resources, the container table and Restore().
#include "tc/mgmt/management.h"

#include "records.h"

namespace tc::mgmt {

using internal::ConfigVersionRecord;
using internal::PermissionsConfigRecord;
using internal::ScheduleConfigRecord;
using internal::StartedRecord;

namespace {

// Uids of the stored images, collected before any is restored (the store is not modified while
// it enumerates).
struct StoredUids {
  image::Uid uids[engine::kMaxContainers];
  size_t count = 0;
  size_t beyond = 0;  // images for which there is no container slot
};

void CollectUid(void* context, std::string_view uid) {
  auto* stored = static_cast<StoredUids*>(context);
  if (stored->count == engine::kMaxContainers || !stored->uids[stored->count].Assign(uid).ok()) {
    ++stored->beyond;
    return;
  }
  ++stored->count;
}

}  // namespace

Management::Management(engine::Engine& engine, const image::TrustStore& trust,
                       ContainerStore& store, LogRing& logs, const ManagementConfig& config)
    : engine_(engine),
      trust_(trust),
      store_(store),
      logs_(logs),
      config_(config),
      started_us_(engine.NowUs()) {}

Status Management::Register(coap::Server& server) {
  const coap::Resource resources[] = {
      {"status", ";rt=\"tc.status\";ct=\"60 50\"", &GetStatus, nullptr, nullptr, nullptr, this},
      {"containers", ";rt=\"tc.containers\";ct=\"60 50\"", &GetContainers, nullptr, nullptr,
       nullptr, this},
      {"container", ";rt=\"tc.container\";ct=\"60 50\"", &GetContainer, nullptr, nullptr, nullptr,
       this},
      {"stats", ";rt=\"tc.stats\";ct=\"60 50\"", &GetStats, nullptr, nullptr, nullptr, this},
      {"install", ";rt=\"tc.install\";ct=42", nullptr, &PostInstall, nullptr, nullptr, this,
       coap::content_format::kOctetStream},
      {"command", ";rt=\"tc.command\";ct=60", nullptr, &PostCommand, nullptr, nullptr, this,
       coap::content_format::kCbor},
      {"config", ";rt=\"tc.config\";ct=60", nullptr, &PostConfig, nullptr, nullptr, this,
       coap::content_format::kCbor},
      {"logs", ";rt=\"tc.logs\";ct=\"60 50\"", &GetLogs, nullptr, nullptr, nullptr, this},
      {"audit", ";rt=\"tc.audit\";ct=\"60 50\"", &GetAudit, nullptr, nullptr, nullptr, this},
      {"trace", ";rt=\"tc.trace\";ct=\"60 50\"", &GetTrace, nullptr, nullptr, nullptr, this},
  };
  for (const coap::Resource& r : resources) TC_RETURN_IF_ERROR(server.Register(r));
  return Status::Ok();
}

Status Management::Restore() {
  Status first = Status::Ok();
  uint8_t sequence[8];
  const Result<size_t> loaded = store_.LoadRecord(internal::kSequenceRecord, sequence);
  if (loaded.ok() && *loaded == sizeof sequence) {
    sequence_ = internal::DecodeSequence(sequence);
  } else if (loaded.ok() || loaded.status().code() != ErrorCode::kNotFound) {
    first = loaded.ok() ? Status(ErrorCode::kMalformed, "sequence record is not 8 bytes")
                        : loaded.status();
    Note("restore: sequence record", "", first);
  }

  StoredUids stored;
  const Status listed = store_.ForEachImage(&CollectUid, &stored);
  if (!listed.ok()) {
    Note("restore: listing images", "", listed);
    if (first.ok()) first = listed;
  }
  for (size_t i = 0; i < stored.count; ++i) RestoreOne(stored.uids[i].view(), &first);
  if (stored.beyond != 0) {
    const Status full(ErrorCode::kResourceExhausted, "more stored images than container slots");
    Note("restore", "", full);
    if (first.ok()) first = full;
  }
  return first;
}

void Management::RestoreOne(std::string_view uid, Status* first_failure) {
  auto fail = [&](const char* what, const Status& why) {
    Note(what, uid, why);
    if (first_failure->ok()) *first_failure = why;
  };
  if (FindEntry(uid) != nullptr) return;
  Entry* entry = FreeEntry();
  if (entry == nullptr) {
    fail("restore", Status(ErrorCode::kResourceExhausted, "no free container slot"));
    return;
  }
  uint32_t version = 0;
  image::RuntimeKind runtime = image::RuntimeKind::kWasm;
  const Result<uint32_t> id = ReinstallStored(uid, &version, &runtime);
  if (!id.ok()) {
    fail("restore", id.status());
    return;
  }
  entry->used = true;
  entry->id = *id;
  (void)entry->uid.Assign(uid);
  entry->version = version;
  entry->runtime = runtime;
  entry->started = false;

  const Status configured = ReapplyConfig(uid, *id, version);
  if (!configured.ok()) fail("restore: config update", configured);

  uint8_t flag = 0;
  const Result<size_t> started = store_.LoadRecord(StartedRecord(uid).view(), {&flag, 1});
  if (started.ok()) {
    entry->started = true;
    const Status status = engine_.Start(*id);
    if (!status.ok()) fail("restore: start", status);
  } else if (started.status().code() != ErrorCode::kNotFound) {
    fail("restore: started record", started.status());
  }
}

Management::Entry* Management::FindEntry(std::string_view uid) {
  for (Entry& e : entries_) {
    if (e.used && e.uid.view() == uid) return &e;
  }
  return nullptr;
}

Management::Entry* Management::FreeEntry() {
  for (Entry& e : entries_) {
    if (!e.used) return &e;
  }
  return nullptr;
}

Status Management::SetStarted(Entry& entry, bool started) {
  const internal::RecordName name = StartedRecord(entry.uid.view());
  if (started) {
    const uint8_t flag = 1;
    TC_RETURN_IF_ERROR(store_.SaveRecord(name.view(), {&flag, 1}));
  } else {
    const Status removed = store_.RemoveRecord(name.view());
    if (!removed.ok() && removed.code() != ErrorCode::kNotFound) return removed;
  }
  entry.started = started;
  return Status::Ok();
}

void Management::ForgetRecords(std::string_view uid) {
  (void)store_.RemoveRecord(StartedRecord(uid).view());
  ForgetConfig(uid);
}

void Management::ForgetConfig(std::string_view uid) {
  (void)store_.RemoveRecord(ScheduleConfigRecord(uid).view());
  (void)store_.RemoveRecord(PermissionsConfigRecord(uid).view());
  (void)store_.RemoveRecord(ConfigVersionRecord(uid).view());
}

Result<bool> Management::LoadConfigRecord(std::string_view name, image::ConfigUpdate* update) {
  const Result<size_t> loaded = store_.LoadRecord(name, signed_body_.bytes);
  if (!loaded.ok()) {
    if (loaded.status().code() == ErrorCode::kNotFound) return false;
    return loaded.status();
  }
  if (*loaded > sizeof signed_body_.bytes) {
    return Status(ErrorCode::kOutOfRange, "config record too large");
  }
  TC_RETURN_IF_ERROR(
      image::VerifySignedConfigUpdate({signed_body_.bytes, *loaded}, trust_, update));
  return true;
}

Status Management::ReapplyConfig(std::string_view uid, uint32_t id, uint32_t version) {
  image::ConfigUpdate merged;
  image::ConfigUpdate permissions;
  TC_ASSIGN_OR_RETURN(const bool has_schedule,
                      LoadConfigRecord(ScheduleConfigRecord(uid).view(), &merged));
  TC_ASSIGN_OR_RETURN(const bool has_permissions,
                      LoadConfigRecord(PermissionsConfigRecord(uid).view(), &permissions));
  if (!has_schedule && !has_permissions) return Status::Ok();
  uint8_t applied_to[4] = {};
  const Result<size_t> loaded = store_.LoadRecord(ConfigVersionRecord(uid).view(), applied_to);
  if (!loaded.ok() && loaded.status().code() != ErrorCode::kNotFound) return loaded.status();
  uint32_t applied_version = 0;
  for (int i = 0; i < 4; ++i) applied_version |= uint32_t{applied_to[i]} << (8 * i);
  if (!loaded.ok() || *loaded != sizeof applied_to || applied_version != version) {
    ForgetConfig(uid);  // left over from the version this one replaced
    return Status::Ok();
  }
  if (!has_schedule) {
    merged = permissions;
  } else if (has_permissions) {
    // The newest schedule and the newest permissions, under the newer of the two sequences.
    merged.has_schedule = true;
    merged.has_permissions = true;
    merged.permissions = permissions.permissions;
    if (permissions.sequence > merged.sequence) merged.sequence = permissions.sequence;
  }
  if (!(merged.uid.view() == uid)) {
    return Status(ErrorCode::kInvalid, "config record names another uid");
  }
  return engine_.Configure(id, merged);
}

void Management::Note(const char* what, std::string_view uid, const Status& why) {
  uint8_t text[kLogLineText];
  size_t n = 0;
  auto put = [&](std::string_view piece) {
    for (char c : piece) {
      if (n < sizeof text) text[n++] = static_cast<uint8_t>(c);
    }
  };
  put(what);
  if (!uid.empty()) {
    put(" ");
    put(uid);
  }
  put(": ");
  put(why.message());
  logs_.Write("mgmt", {text, n});
}

}  // namespace tc::mgmt
