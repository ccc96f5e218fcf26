// The log, random and key-value services behind the real gate: results, rate limit, kv quota and
// its exact accounting, storage limits, per-container key namespaces, and the denial path.
#include <cstring>
#include <string>
#include <vector>

#include "engine_fixture.h"
#include "tc/services/host_services.h"
#include "tc/services/memory_kv_storage.h"
#include "tinycontainer.h"

namespace tc::services {
namespace {

using engine::HostFunction;
using engine::Number;
using engine::testing::EngineFixture;
using engine::testing::FakeProgram;
using image::Service;
using image::ServiceBit;

struct RecordingSink final : LogSink {
  void Write(std::string_view uid, std::span<const uint8_t> text) override {
    lines.push_back(std::string(uid) + ": " +
                    std::string(reinterpret_cast<const char*>(text.data()), text.size()));
  }
  std::vector<std::string> lines;
};

class ServicesTest : public EngineFixture {
 protected:
  ServicesTest() : services_({&sink_, &entropy_, &kv_}, LogLimit{2, 1}) {
    EXPECT_TRUE(services_.Register(engine_).ok());
    program_.Export(runtime::Entry::kStart, {engine::testing::FakeStep::Return(0)});
  }

  uint32_t Add(image::ServiceMask services, uint32_t kv_bytes = 64) {
    engine::Permissions p;
    p.services = services;
    engine::Quotas q = DefaultQuotas();
    q.kv_bytes = kv_bytes;
    return Install(program_, {}, p, q);
  }

  // Puts `text` at guest address `at` and returns its length.
  uint64_t Put(uint64_t at, std::string_view text) {
    std::memcpy(memory_ + at, text.data(), text.size());
    return text.size();
  }

  int64_t Call(uint32_t id, HostFunction f, std::initializer_list<uint64_t> args) {
    return Call(id, Number(f), args);
  }
  int64_t Call(uint32_t id, uint16_t service, std::initializer_list<uint64_t> args) {
    return CallService(id, service, args, memory_).value;
  }

  std::string At(uint64_t at, size_t n) const {
    return std::string(reinterpret_cast<const char*>(memory_ + at), n);
  }

  RecordingSink sink_;
  DeterministicEntropy entropy_{42};
  MemoryKvStorage<4> kv_;
  HostServices services_;
  FakeProgram program_;
  uint8_t memory_[256] = {};
};

constexpr image::ServiceMask kAll =
    ServiceBit(Service::kLog) | ServiceBit(Service::kKv) | ServiceBit(Service::kRandom);

TEST_F(ServicesTest, LogWritesTheLineWithTheContainersUid) {
  const uint32_t id = Add(kAll);
  const uint64_t n = Put(0, "hello");
  EXPECT_EQ(Call(id, HostFunction::kLog, {0, n}), 5);
  ASSERT_EQ(sink_.lines.size(), 1u);
  EXPECT_EQ(sink_.lines[0], Get(id).uid.view().data() + std::string(": hello"));
}

TEST_F(ServicesTest, LogIsRateLimitedPerContainerAndDropsAreCounted) {
  const uint32_t a = Add(kAll);
  const uint32_t b = Add(kAll);
  const uint64_t n = Put(0, "x");
  EXPECT_EQ(Call(a, HostFunction::kLog, {0, n}), 1);
  EXPECT_EQ(Call(a, HostFunction::kLog, {0, n}), 1);  // burst of 2
  EXPECT_EQ(Call(a, HostFunction::kLog, {0, n}), kGuestLogDropped);
  EXPECT_EQ(Call(a, HostFunction::kLog, {0, n}), kGuestLogDropped);
  EXPECT_EQ(services_.log_dropped(a), 2u);
  // Another container has its own bucket.
  EXPECT_EQ(Call(b, HostFunction::kLog, {0, n}), 1);
  EXPECT_EQ(services_.log_dropped(b), 0u);
  // One line per second refills.
  port_.AdvanceUs(999999);
  EXPECT_EQ(Call(a, HostFunction::kLog, {0, n}), kGuestLogDropped);
  port_.AdvanceUs(1);
  EXPECT_EQ(Call(a, HostFunction::kLog, {0, n}), 1);
  EXPECT_EQ(sink_.lines.size(), 4u);
  // Dropping is not a gate denial.
  EXPECT_EQ(Get(a).counters.denials, 0u);
}

TEST_F(ServicesTest, LogBucketIsResetForANewContainerInTheSameSlot) {
  const uint32_t a = Add(kAll);
  const uint64_t n = Put(0, "x");
  for (int i = 0; i < 3; ++i) Call(a, HostFunction::kLog, {0, n});
  EXPECT_EQ(services_.log_dropped(a), 1u);
  ASSERT_TRUE(engine_.Remove(a).ok());
  const uint32_t b = Add(kAll);
  EXPECT_EQ(Call(b, HostFunction::kLog, {0, n}), 1);
  EXPECT_EQ(services_.log_dropped(b), 0u);
}

TEST_F(ServicesTest, RandomFillsTheBufferReproduciblyWithTheDeterministicSource) {
  const uint32_t id = Add(kAll);
  EXPECT_EQ(Call(id, HostFunction::kRandom, {16, 32}), 32);
  DeterministicEntropy same(42);
  uint8_t expected[32];
  ASSERT_TRUE(same.Fill(expected).ok());
  EXPECT_EQ(std::memcmp(memory_ + 16, expected, 32), 0);
  EXPECT_NE(At(16, 8), std::string(8, '\0'));
}

TEST_F(ServicesTest, KvRoundTripReplaceAndDelete) {
  const uint32_t id = Add(kAll);
  const uint64_t k = Put(0, "temp");
  const uint64_t v = Put(8, "21.5C");
  EXPECT_EQ(Call(id, HostFunction::kKvSet, {0, k, 8, v}), 0);
  EXPECT_EQ(Get(id).kv_used, 9u);  // key + value bytes
  EXPECT_EQ(Call(id, HostFunction::kKvGet, {0, k, 64, 32}), 5);
  EXPECT_EQ(At(64, 5), "21.5C");
  // A short buffer gets a prefix; the result is still the full length.
  EXPECT_EQ(Call(id, HostFunction::kKvGet, {0, k, 96, 2}), 5);
  EXPECT_EQ(At(96, 2), "21");
  const uint64_t v2 = Put(16, "9C");
  EXPECT_EQ(Call(id, HostFunction::kKvSet, {0, k, 16, v2}), 0);
  EXPECT_EQ(Get(id).kv_used, 6u);
  EXPECT_EQ(Call(id, HostFunction::kKvDel, {0, k}), 0);
  EXPECT_EQ(Get(id).kv_used, 0u);
  EXPECT_EQ(Call(id, HostFunction::kKvGet, {0, k, 64, 32}), kGuestKvNotFound);
  EXPECT_EQ(Call(id, HostFunction::kKvDel, {0, k}), kGuestKvNotFound);
}

TEST_F(ServicesTest, ContainersDoNotSeeEachOthersKeys) {
  const uint32_t a = Add(kAll);
  const uint32_t b = Add(kAll);
  const uint64_t k = Put(0, "key");
  const uint64_t v = Put(8, "mine");
  EXPECT_EQ(Call(a, HostFunction::kKvSet, {0, k, 8, v}), 0);
  EXPECT_EQ(Call(b, HostFunction::kKvGet, {0, k, 64, 32}), kGuestKvNotFound);
  EXPECT_EQ(Call(b, HostFunction::kKvDel, {0, k}), kGuestKvNotFound);
  EXPECT_EQ(Call(a, HostFunction::kKvGet, {0, k, 64, 32}), 4);
}

TEST_F(ServicesTest, KvQuotaIsEnforcedExactlyAndChangesNothing) {
  const uint32_t id = Add(kAll, 10);
  const uint64_t k = Put(0, "abc");
  const uint64_t v = Put(8, "1234567");  // 3 + 7 = 10: exactly the quota
  EXPECT_EQ(Call(id, HostFunction::kKvSet, {0, k, 8, v}), 0);
  const uint64_t k2 = Put(32, "d");
  const uint64_t v2 = Put(40, "e");
  // The value alone passes the gate's quick check (1 <= 0 fails there): denied by the gate.
  EXPECT_EQ(Call(id, HostFunction::kKvSet, {32, k2, 40, v2}), engine::kGuestKvQuota);
  EXPECT_EQ(Get(id).counters.denials, 1u);
  // Replacing with a longer value: the gate cannot know the old size; the service refuses.
  ASSERT_TRUE(engine_.ChargeKv(id, -10).ok());
  ASSERT_TRUE(engine_.ChargeKv(id, 10).ok());
  const uint64_t longer = Put(48, "12345678");                  // 3 + 8 = 11 > 10
  EXPECT_EQ(Call(id, HostFunction::kKvSet, {0, k, 48, 0}), 0);  // shrink to 3 bytes first
  EXPECT_EQ(Get(id).kv_used, 3u);
  EXPECT_EQ(Call(id, HostFunction::kKvSet, {0, k, 48, longer}), engine::kGuestKvQuota);
  EXPECT_EQ(Get(id).kv_used, 3u);
  EXPECT_EQ(Call(id, HostFunction::kKvGet, {0, k, 64, 32}), 0);  // still the empty value
}

TEST_F(ServicesTest, KvStorageLimitsGiveSpecificCodesAndRollBackTheCharge) {
  const uint32_t id = Add(kAll, 1000);
  std::string long_key(kMaxKvKeyLength + 1, 'k');
  const uint64_t k = Put(0, long_key);
  const uint64_t v = Put(64, "v");
  EXPECT_EQ(Call(id, HostFunction::kKvSet, {0, k, 64, v}), kGuestKvTooLarge);
  EXPECT_EQ(Get(id).kv_used, 0u);
  EXPECT_EQ(Call(id, HostFunction::kKvSet, {0, 0, 64, v}), engine::kGuestInvalidArgument);
  for (char c = 'a'; c < 'a' + 4; ++c) {
    memory_[100] = static_cast<uint8_t>(c);
    EXPECT_EQ(Call(id, HostFunction::kKvSet, {100, 1, 64, v}), 0);
  }
  memory_[100] = 'z';
  EXPECT_EQ(Call(id, HostFunction::kKvSet, {100, 1, 64, v}), kGuestKvStoreFull);
  EXPECT_EQ(Get(id).kv_used, 8u);
}

TEST_F(ServicesTest, ServiceNotPermittedIsDeniedByTheGate) {
  const uint32_t id = Add(ServiceBit(Service::kLog));
  const uint64_t k = Put(0, "key");
  EXPECT_EQ(Call(id, HostFunction::kKvSet, {0, k, 0, k}), engine::kGuestNotPermitted);
  EXPECT_EQ(Call(id, HostFunction::kRandom, {0, 4}), engine::kGuestNotPermitted);
  EXPECT_EQ(Get(id).counters.denials, 2u);
  EXPECT_EQ(kv_.Size(Get(id).uid.view(), std::span<const uint8_t>(memory_, 3)).status().code(),
            ErrorCode::kNotFound);
}

TEST_F(ServicesTest, BufferOutsideGuestMemoryNeverReachesTheService) {
  const uint32_t id = Add(kAll);
  EXPECT_EQ(Call(id, HostFunction::kLog, {250, 10}), engine::kGuestBadBuffer);
  EXPECT_EQ(Call(id, HostFunction::kKvGet, {0, 1, ~uint64_t{0}, 2}), engine::kGuestBadBuffer);
  EXPECT_TRUE(sink_.lines.empty());
  EXPECT_EQ(Get(id).counters.denials, 2u);
}

TEST_F(ServicesTest, FemtoMemcpyCopiesInsideTheCallersMemoryOnly) {
  const uint32_t id = Add(ServiceBit(Service::kTime));  // any granted service suffices
  Put(0, "abcdef");
  EXPECT_EQ(Call(id, kFemtoMemcpy, {100, 0, 6}), 100);
  EXPECT_EQ(At(100, 6), "abcdef");
  EXPECT_EQ(Call(id, kFemtoMemcpy, {1, 0, 5}), 1);  // overlapping regions
  EXPECT_EQ(At(0, 6), "aabcde");
  EXPECT_EQ(Call(id, kFemtoMemcpy, {250, 0, 10}), engine::kGuestBadBuffer);
  const uint32_t none = Add(0);
  EXPECT_EQ(Call(none, kFemtoMemcpy, {100, 0, 6}), engine::kGuestNotPermitted);
}

TEST_F(ServicesTest, FemtoStoreAndFetchShareTheCallersKvNamespaceAndQuota) {
  const uint32_t id = Add(kAll, 8);
  EXPECT_EQ(Call(id, kFemtoStoreLocal, {7, 0xDEADBEEF}), 0);
  EXPECT_EQ(Get(id).kv_used, 8u);
  EXPECT_EQ(Call(id, kFemtoFetchLocal, {7, 32}), 0);
  uint32_t value = 0;
  std::memcpy(&value, memory_ + 32, 4);
  EXPECT_EQ(value, 0xDEADBEEFu);
  EXPECT_EQ(Call(id, kFemtoStoreLocal, {8, 1}), engine::kGuestKvQuota);
  EXPECT_EQ(Call(id, kFemtoFetchLocal, {8, 32}), kGuestKvNotFound);
  EXPECT_EQ(Call(id, kFemtoFetchLocal, {7, 254}), engine::kGuestBadBuffer);
  EXPECT_EQ(Get(id).counters.denials, 1u);  // the u32 outside its memory, judged by the gate
  const uint32_t other = Add(kAll);
  EXPECT_EQ(Call(other, kFemtoFetchLocal, {7, 32}), kGuestKvNotFound);
}

TEST_F(ServicesTest, FemtoPrintfLogsOneFormattedLineThroughTheRateLimit) {
  const uint32_t id = Add(ServiceBit(Service::kLog));
  Put(0, std::string_view("t=%d %04x\n\0", 12));
  EXPECT_EQ(Call(id, kFemtoPrintf, {0, uint64_t(-5), 255, 0, 0}), 9);  // the \n is dropped
  ASSERT_EQ(sink_.lines.size(), 1u);
  EXPECT_EQ(sink_.lines[0], "c0: t=-5 00ff");
  EXPECT_EQ(Call(id, kFemtoPrintf, {0, 1, 2, 0, 0}), 8);
  EXPECT_EQ(Call(id, kFemtoPrintf, {0, 1, 2, 0, 0}), kGuestLogDropped);  // burst of 2 used
  EXPECT_EQ(services_.log_dropped(id), 1u);
  EXPECT_EQ(Get(id).counters.denials, 0u);
}

TEST_F(ServicesTest, FemtoPrintfRefusesHostileFormats) {
  const uint32_t id = Add(ServiceBit(Service::kLog));
  Put(16, std::string_view("%s\0", 3));
  EXPECT_EQ(Call(id, kFemtoPrintf, {16, 0, 0, 0, 0}), engine::kGuestInvalidArgument);
  std::memset(memory_ + 32, 'a', 130);  // no NUL within the 128-byte bound
  memory_[162] = 0;
  EXPECT_EQ(Call(id, kFemtoPrintf, {32, 0, 0, 0, 0}), engine::kGuestInvalidArgument);
  std::memset(memory_ + sizeof memory_ - 4, 'b', 4);  // runs to the end of its memory
  EXPECT_EQ(Call(id, kFemtoPrintf, {sizeof memory_ - 4, 0, 0, 0, 0}),
            engine::kGuestInvalidArgument);
  EXPECT_TRUE(sink_.lines.empty());
  EXPECT_EQ(Get(id).counters.denials, 0u);  // results of the service, not gate denials
  // The format's address itself is checked by the gate: a counted denial.
  EXPECT_EQ(Call(id, kFemtoPrintf, {sizeof memory_, 0, 0, 0, 0}), engine::kGuestBadBuffer);
  EXPECT_EQ(Get(id).counters.denials, 1u);
  const uint32_t mute = Add(ServiceBit(Service::kTime));
  Put(0, std::string_view("hi\0", 3));
  EXPECT_EQ(Call(mute, kFemtoPrintf, {0, 0, 0, 0, 0}), engine::kGuestNotPermitted);
}

TEST_F(ServicesTest, FemtoNowMsIsTheEngineClockInMilliseconds) {
  const uint32_t id = Add(ServiceBit(Service::kTime));
  port_.AdvanceUs(12345678);
  EXPECT_EQ(Call(id, kFemtoNowMs, {}), 12345);
  EXPECT_EQ(Call(id, HostFunction::kNowUs, {}), 12345678);
}

// The SDK header and the engine side agree on every number the guest sees.
static_assert(TC_BPF_HELPER_LOG == kBpfHelperLog && TC_BPF_HELPER_PRINTF == kBpfHelperPrintf &&
              TC_BPF_HELPER_MEMCPY == kBpfHelperMemcpy &&
              TC_BPF_HELPER_STORE_LOCAL == kBpfHelperStoreLocal &&
              TC_BPF_HELPER_FETCH_LOCAL == kBpfHelperFetchLocal &&
              TC_BPF_HELPER_NOW_MS == kBpfHelperNowMs && TC_BPF_HELPER_NOW_US == kBpfHelperNowUs &&
              TC_BPF_HELPER_KV_GET == kBpfHelperKvGet && TC_BPF_HELPER_KV_SET == kBpfHelperKvSet &&
              TC_BPF_HELPER_KV_DEL == kBpfHelperKvDel && TC_BPF_HELPER_RANDOM == kBpfHelperRandom);
static_assert(TC_ENOT_PERMITTED == engine::kGuestNotPermitted &&
              TC_EBAD_BUFFER == engine::kGuestBadBuffer && TC_EKV_QUOTA == engine::kGuestKvQuota &&
              TC_EINVALID == engine::kGuestInvalidArgument &&
              TC_EUNKNOWN_SERVICE == engine::kGuestUnknownService &&
              TC_EKV_NOT_FOUND == kGuestKvNotFound && TC_ELOG_DROPPED == kGuestLogDropped &&
              TC_EKV_FULL == kGuestKvStoreFull && TC_EKV_TOO_LARGE == kGuestKvTooLarge &&
              TC_EIO == kGuestIoError);

}  // namespace
}  // namespace tc::services
