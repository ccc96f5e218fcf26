// The engine's compact run-time policy: interned names (shared, reference counted, bounded),
// permissions that expand back to exactly what the metadata said, the declaration an open
// service receives, and install/config updates that change nothing when the name table is full.
#include <string>

#include "engine_fixture.h"

namespace tc::engine::testing {
namespace {

using runtime::Entry;
using runtime::HostAction;
using runtime::HostReply;

Endpoint ContainerEndpoint(uint8_t id, const std::string& peer, uint8_t peer_endpoint,
                           Direction direction) {
  Endpoint e;
  e.id = id;
  e.peer.kind = PeerKind::kContainer;
  EXPECT_TRUE(e.peer.container_uid.Assign(peer).ok());
  e.peer.container_endpoint = peer_endpoint;
  e.direction = direction;
  return e;
}

Permissions WithPeers(const std::string& prefix, int count) {
  Permissions p;
  p.services = ServiceBit(Service::kChannel) | ServiceBit(Service::kEndpoint);
  for (int i = 0; i < count; ++i) {
    EXPECT_TRUE(
        p.endpoints
            .emplace_back(ContainerEndpoint(static_cast<uint8_t>(i), prefix + std::to_string(i),
                                            static_cast<uint8_t>(i + 1), Direction::kBoth))
            .ok());
  }
  return p;
}

TEST(NameTable, InternsSharesAndFreesWithTheLastReference) {
  NameTable names;
  const auto a = names.Intern("tc_loop");
  const auto b = names.Intern("tc_loop");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(names.used(), 1u);
  EXPECT_EQ(names.View(*a), "tc_loop");
  EXPECT_EQ(*names.Intern(""), kNoName);
  EXPECT_EQ(names.View(kNoName), "");
  names.Release(*a);
  EXPECT_EQ(names.View(*a), "tc_loop");
  names.Release(*a);
  EXPECT_EQ(names.used(), 0u);
  names.Release(*a);  // one release too many is ignored
  names.Release(kNoName);
  EXPECT_EQ(names.used(), 0u);
  EXPECT_EQ(names.Intern(std::string(33, 'x')).status().code(), ErrorCode::kOutOfRange);
}

TEST(NameTable, FullTableRefusesOnlyNewNames) {
  NameTable names;
  for (size_t i = 0; i < kNameCapacity; ++i) ASSERT_TRUE(names.Intern(std::to_string(i)).ok());
  EXPECT_EQ(names.Intern("new").status().code(), ErrorCode::kResourceExhausted);
  EXPECT_TRUE(names.Intern("3").ok());       // an existing name is one more reference
  const uint8_t seven = *names.Intern("7");  // a second reference
  names.Release(seven);
  EXPECT_EQ(names.Intern("new").status().code(), ErrorCode::kResourceExhausted);
  names.Release(seven);  // the last one frees the entry
  EXPECT_TRUE(names.Intern("new").ok());
}

TEST(CompactPermissions, ExpandsBackToTheMetadataForm) {
  NameTable names;
  Permissions p = WithPeers("peer", 6);
  Endpoint sensor = LocalEndpoint(40, Direction::kIn);
  sensor.peer.device_class = image::DeviceClass::kI2c;
  sensor.peer.address = 0x48;
  ASSERT_TRUE(p.endpoints.emplace_back(sensor).ok());
  p.on_violation = ViolationPolicy::kStop;
  CompactPermissions compact;
  ASSERT_TRUE(CompactPermissionsOf(p, names, &compact).ok());
  EXPECT_EQ(compact.endpoint_count, 7);
  EXPECT_TRUE(ExpandPermissions(compact, names) == p);
  ASSERT_NE(compact.Find(40), nullptr);
  EXPECT_EQ(compact.Find(40)->direction(), Direction::kIn);
  EXPECT_EQ(compact.Find(300), nullptr);
  ReleaseNames(compact, names);
  EXPECT_EQ(names.used(), 0u);
}

TEST(CompactPermissions, FullNameTableLeavesNothingInterned) {
  NameTable names;
  for (size_t i = 0; i + 3 < kNameCapacity; ++i) ASSERT_TRUE(names.Intern(std::to_string(i)).ok());
  CompactPermissions compact;
  compact.services = 99;
  EXPECT_EQ(CompactPermissionsOf(WithPeers("p", 5), names, &compact).code(),
            ErrorCode::kResourceExhausted);
  EXPECT_EQ(names.used(), kNameCapacity - 3);
  EXPECT_EQ(compact.services, 99u);  // untouched
}

class CompactPolicyEngine : public EngineFixture {
 protected:
  CompactPolicyEngine() {
    program_.Export(Entry::kInit, {FakeStep::Return(0)});
    program_.Export(Entry::kLoop, {FakeStep::Compute(100), FakeStep::Return(0)});
    program_.Export(Entry::kStop, {FakeStep::Return(0)});
  }
  FakeProgram program_;
};

TEST_F(CompactPolicyEngine, EntryNamesAndPeersAreStoredOnceAcrossContainers) {
  const uint32_t a = Install(program_, {}, WithPeers("hub", 2));
  const size_t after_one = engine_.names().used();
  EXPECT_EQ(after_one, 3u + 2u);  // tc_init, tc_loop, tc_stop + two peer uids
  const uint32_t b = Install(program_, {}, WithPeers("hub", 2));
  EXPECT_EQ(engine_.names().used(), after_one);  // all shared
  EXPECT_TRUE(engine_.PermissionsOf(Get(b)) == WithPeers("hub", 2));
  ASSERT_TRUE(engine_.Remove(a).ok());
  EXPECT_EQ(engine_.names().used(), after_one);  // b still refers to them
  ASSERT_TRUE(engine_.Start(b).ok());            // entry names still resolve
  RunUntil(1000);
  EXPECT_GT(Get(b).counters.activations, 0u);
  ASSERT_TRUE(engine_.Stop(b).ok());
  RunUntil(2000);
  ASSERT_TRUE(engine_.Remove(b).ok());
  EXPECT_EQ(engine_.names().used(), 0u);
}

TEST_F(CompactPolicyEngine, InstallRefusedWhenTheNameTableIsFullChangesNothing) {
  // Each container brings 3 entry names (shared) and 8 peers of its own.
  size_t installed = 0;
  Result<uint32_t> last = Status::Ok();
  while (true) {
    const image::ContainerMetadata m =
        Metadata(program_, {}, WithPeers("n" + std::to_string(installed) + "-", 8));
    InstallRequest request;
    request.metadata = &m;
    request.code = program_.code();
    const size_t used = engine_.names().used();
    last = engine_.Install(request);
    if (!last.ok()) {
      EXPECT_EQ(last.status().code(), ErrorCode::kResourceExhausted);
      EXPECT_EQ(engine_.names().used(), used);
      break;
    }
    ++installed;
    ASSERT_LT(installed, kMaxContainers);
  }
  EXPECT_EQ(installed, (kNameCapacity - 3) / 8);
  size_t live = 0;
  for (const Container& c : engine_.containers()) live += c.state != State::kEmpty ? 1 : 0;
  EXPECT_EQ(live, installed);
}

TEST_F(CompactPolicyEngine, ConfigUpdateSwapsPeerNamesOrChangesNothing) {
  const uint32_t id = Install(program_, {}, WithPeers("old", 2));
  ConfigUpdate update = Update(id, 1);
  update.has_permissions = true;
  update.permissions = WithPeers("new", 3);
  ASSERT_TRUE(engine_.Configure(id, update).ok());
  EXPECT_TRUE(engine_.PermissionsOf(Get(id)) == update.permissions);
  EXPECT_EQ(engine_.names().used(), 3u + 3u);  // old peers released

  // Fill the table with other containers' peers until fewer than 8 names are free; then an update
  // needing 8 new names is refused and the policy in force stays.
  for (int i = 0;; ++i) {
    const image::ContainerMetadata m =
        Metadata(program_, {}, WithPeers("f" + std::to_string(i) + "-", 8));
    InstallRequest request;
    request.metadata = &m;
    request.code = program_.code();
    if (!engine_.Install(request).ok()) break;
  }
  ASSERT_LT(kNameCapacity - engine_.names().used(), 8u);
  const size_t used = engine_.names().used();
  ConfigUpdate refused = Update(id, 2);
  refused.has_permissions = true;
  refused.permissions = WithPeers("other", 8);
  EXPECT_EQ(engine_.Configure(id, refused).code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(engine_.names().used(), used);
  EXPECT_TRUE(engine_.PermissionsOf(Get(id)) == update.permissions);
  EXPECT_EQ(Get(id).config_sequence, 1u);
}

}  // namespace
}  // namespace tc::engine::testing
