// Per-container quotas the services read from the metadata: the log rate (quotas.log_lines_per_s,
// quotas.log_burst) and the key-value usage a reinstalled container inherits from its records.
#include <cstring>
#include <string>
#include <vector>

#include "engine_fixture.h"
#include "tc/services/host_services.h"
#include "tc/services/memory_kv_storage.h"

namespace tc::services {
namespace {

using engine::HostFunction;
using engine::Number;
using engine::testing::EngineFixture;
using engine::testing::FakeProgram;
using engine::testing::FakeStep;
using image::Service;
using image::ServiceBit;

struct CountingSink final : LogSink {
  void Write(std::string_view, std::span<const uint8_t>) override { ++lines; }
  int lines = 0;
};

// KvStorage whose usage query can be made to fail, around the in-memory storage.
struct FlakyKv final : KvStorage {
  Result<size_t> Get(std::string_view o, std::span<const uint8_t> k,
                     std::span<uint8_t> out) override {
    return inner.Get(o, k, out);
  }
  Result<size_t> Size(std::string_view o, std::span<const uint8_t> k) override {
    return inner.Size(o, k);
  }
  Status Set(std::string_view o, std::span<const uint8_t> k, std::span<const uint8_t> v) override {
    return inner.Set(o, k, v);
  }
  Status Delete(std::string_view o, std::span<const uint8_t> k) override {
    return inner.Delete(o, k);
  }
  Result<size_t> Usage(std::string_view o) override {
    if (fail_usage) return Status(ErrorCode::kUnavailable, "flash read failed");
    return inner.Usage(o);
  }
  MemoryKvStorage<8> inner;
  bool fail_usage = false;
};

constexpr image::ServiceMask kLogKv = ServiceBit(Service::kLog) | ServiceBit(Service::kKv);

class QuotaServicesTest : public EngineFixture {
 protected:
  QuotaServicesTest() : services_({&sink_, nullptr, &kv_}, LogLimit{2, 1}) {
    EXPECT_TRUE(services_.Register(engine_).ok());
    program_.Export(runtime::Entry::kStart, {FakeStep::Return(0)});
  }

  // Installs under a fixed uid so a reinstall finds the same kv namespace.
  Result<uint32_t> InstallAs(const char* uid, const engine::Quotas& quotas) {
    image::ContainerMetadata m = Metadata(program_, {}, Permissions(), quotas);
    EXPECT_TRUE(m.uid.Assign(uid).ok());
    engine::InstallRequest request;
    request.metadata = &m;
    request.code = program_.code();
    return engine_.Install(request);
  }

  static engine::Permissions Permissions() {
    engine::Permissions p;
    p.services = kLogKv;
    return p;
  }

  static engine::Quotas Quotas(uint32_t kv_bytes) {
    engine::Quotas q = DefaultQuotas();
    q.kv_bytes = kv_bytes;
    return q;
  }

  static engine::Quotas WithLogRate(uint32_t lines_per_s, uint32_t burst) {
    engine::Quotas q = DefaultQuotas();
    q.has_log_rate = true;
    q.log_lines_per_s = lines_per_s;
    q.log_burst = burst;
    return q;
  }

  int64_t Call(uint32_t id, HostFunction f, std::initializer_list<uint64_t> args) {
    return CallService(id, Number(f), args, memory_).value;
  }

  // kv_set of `value_length` bytes under a 1-byte key `key` (value bytes from guest address 16).
  int64_t Set(uint32_t id, char key, uint64_t value_length) {
    memory_[0] = static_cast<uint8_t>(key);
    return Call(id, HostFunction::kKvSet, {0, 1, 16, value_length});
  }
  int64_t Delete(uint32_t id, char key) {
    memory_[0] = static_cast<uint8_t>(key);
    return Call(id, HostFunction::kKvDel, {0, 1});
  }

  int Logs(uint32_t id, int n) {
    int written = 0;
    for (int i = 0; i < n; ++i) written += Call(id, HostFunction::kLog, {0, 1}) == 1 ? 1 : 0;
    return written;
  }

  CountingSink sink_;
  FlakyKv kv_;
  HostServices services_;
  FakeProgram program_;
  uint8_t memory_[256] = {};
};

TEST_F(QuotaServicesTest, ContainerWithoutALogRateGetsTheDefault) {
  const uint32_t id = *InstallAs("plain", Quotas(64));
  EXPECT_EQ(Logs(id, 5), 2);  // default burst 2
  port_.AdvanceUs(1000000);
  EXPECT_EQ(Logs(id, 5), 1);  // default 1 line/s
}

TEST_F(QuotaServicesTest, ContainerUsesItsOwnBurstAndRate) {
  const uint32_t chatty = *InstallAs("chatty", WithLogRate(100, 10));
  const uint32_t quiet = *InstallAs("quiet", WithLogRate(0, 1));
  EXPECT_EQ(Logs(chatty, 20), 10);
  EXPECT_EQ(Logs(quiet, 3), 1);
  port_.AdvanceUs(50000);  // 100 lines/s: 5 lines in 50 ms
  EXPECT_EQ(Logs(chatty, 20), 5);
  port_.AdvanceUs(10000000);
  EXPECT_EQ(Logs(quiet, 3), 0);     // rate 0: the burst, then nothing
  EXPECT_EQ(Logs(chatty, 20), 10);  // refill capped at the burst
  EXPECT_EQ(services_.log_dropped(quiet), 5u);
}

TEST_F(QuotaServicesTest, ReinstallWithNewRateStartsAFreshBucket) {
  const uint32_t a = *InstallAs("app", WithLogRate(1, 1));
  EXPECT_EQ(Logs(a, 3), 1);
  ASSERT_TRUE(engine_.Remove(a).ok());
  const uint32_t b = *InstallAs("app", WithLogRate(1, 4));
  EXPECT_EQ(Logs(b, 6), 4);
}

TEST_F(QuotaServicesTest, ReinstallCountsTheRecordsTheUidStillHolds) {
  const uint32_t first = *InstallAs("keeper", Quotas(64));
  ASSERT_EQ(Set(first, 'a', 20), 0);  // 21 bytes
  ASSERT_EQ(Set(first, 'b', 30), 0);  // 31 bytes
  EXPECT_EQ(Get(first).kv_used, 52u);
  ASSERT_TRUE(engine_.Remove(first).ok());

  const uint32_t again = *InstallAs("keeper", Quotas(64));
  EXPECT_EQ(Get(again).kv_used, 52u);                     // not 0: the records are still there
  EXPECT_EQ(Set(again, 'c', 20), engine::kGuestKvQuota);  // 52 + 21 > 64
  EXPECT_EQ(Set(again, 'c', 11), 0);                      // 52 + 12 = 64 exactly
  EXPECT_EQ(Get(again).kv_used, 64u);
  EXPECT_EQ(Set(again, 'd', 0), engine::kGuestKvQuota);

  // Another uid does not inherit them.
  const uint32_t other = *InstallAs("other", Quotas(64));
  EXPECT_EQ(Get(other).kv_used, 0u);
}

TEST_F(QuotaServicesTest, ReinstallAboveASmallerQuotaIsAdmittedAndOnlyDeletesUntilUnderIt) {
  const uint32_t first = *InstallAs("shrinker", Quotas(64));
  ASSERT_EQ(Set(first, 'a', 40), 0);  // 41 bytes
  ASSERT_TRUE(engine_.Remove(first).ok());

  const uint32_t again = *InstallAs("shrinker", Quotas(16));
  EXPECT_EQ(Get(again).kv_used, 41u);  // above the new quota: visible, not hidden
  EXPECT_EQ(Set(again, 'b', 1), engine::kGuestKvQuota);
  EXPECT_EQ(Get(again).counters.denials, 1u);
  EXPECT_EQ(Set(again, 'a', 50), engine::kGuestKvQuota);  // growing a record
  // While above the quota every kv_set is refused (the gate's quick check), even a shrinking
  // replace; deleting is always allowed and brings the usage down.
  EXPECT_EQ(Set(again, 'a', 10), engine::kGuestKvQuota);
  EXPECT_EQ(Delete(again, 'a'), 0);
  EXPECT_EQ(Get(again).kv_used, 0u);
  EXPECT_EQ(Set(again, 'b', 10), 0);
  EXPECT_EQ(Get(again).kv_used, 11u);
}

TEST_F(QuotaServicesTest, InstallIsRefusedWhenTheUsageCannotBeRead) {
  kv_.fail_usage = true;
  const Result<uint32_t> id = InstallAs("blind", Quotas(64));
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), ErrorCode::kUnavailable);
  for (const engine::Container& c : engine_.containers()) {
    EXPECT_TRUE(c.state == engine::State::kEmpty);
  }
  kv_.fail_usage = false;
  EXPECT_TRUE(InstallAs("blind", Quotas(64)).ok());
}

}  // namespace
}  // namespace tc::services
