// Trust store capacity and lookup, role rules, and the freshness checks the engine calls.
#include <gtest/gtest.h>

#include "metadata_builder.h"
#include "tc/image/trust_store.h"

namespace tc::image {
namespace {

TrustedKey Key(const char* kid, KeyRole role, const char* prefix = "") {
  TrustedKey key;
  (void)key.kid.Assign(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(kid),
                                                std::char_traits<char>::length(kid)));
  key.role = role;
  (void)key.uid_prefix.Assign(prefix);
  return key;
}

std::span<const uint8_t> Kid(const char* kid) {
  return {reinterpret_cast<const uint8_t*>(kid), std::char_traits<char>::length(kid)};
}

TEST(TrustStore, AddFindRemove) {
  TrustStore store;
  EXPECT_TRUE(store.Add(Key("op", KeyRole::kOperator)).ok());
  EXPECT_EQ(store.Add(Key("op", KeyRole::kOperator)).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(store.Add(Key("", KeyRole::kOperator)).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store.Add(Key("t", KeyRole::kTenant)).code(), ErrorCode::kInvalidArgument);
  ASSERT_NE(store.Find(Kid("op")), nullptr);
  EXPECT_EQ(store.Find(Kid("o")), nullptr);
  EXPECT_EQ(store.Find(Kid("opx")), nullptr);
  for (size_t i = 1; i < kMaxTrustedKeys; ++i) {
    const char kid[] = {'k', static_cast<char>('0' + i), 0};
    EXPECT_TRUE(store.Add(Key(kid, KeyRole::kTenant, "acme.")).ok());
  }
  EXPECT_EQ(store.Add(Key("full", KeyRole::kOperator)).code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(store.size(), kMaxTrustedKeys);
  EXPECT_TRUE(store.Remove(Kid("op")).ok());
  EXPECT_EQ(store.Remove(Kid("op")).code(), ErrorCode::kNotFound);
  EXPECT_EQ(store.Find(Kid("op")), nullptr);
  EXPECT_NE(store.Find(Kid("k7")), nullptr);
}

TEST(TrustStore, RolesDecideWhatMayBeSigned) {
  ContainerMetadata m = testing::DefaultMetadata();  // uid "sampler"
  EXPECT_TRUE(AuthorizeImage(Key("op", KeyRole::kOperator), m).ok());
  EXPECT_TRUE(AuthorizeImage(Key("t", KeyRole::kTenant, "samp"), m).ok());
  EXPECT_EQ(AuthorizeImage(Key("t", KeyRole::kTenant, "acme."), m).code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(AuthorizeImage(Key("t", KeyRole::kTenant, "sampler-x"), m).code(),
            ErrorCode::kPermissionDenied);
  EXPECT_TRUE(AuthorizeConfigUpdate(Key("op", KeyRole::kOperator)).ok());
  EXPECT_EQ(AuthorizeConfigUpdate(Key("t", KeyRole::kTenant, "samp")).code(),
            ErrorCode::kPermissionDenied);
}

TEST(TrustStore, ExpiryAndAntiRollback) {
  ContainerMetadata m = testing::DefaultMetadata();  // not_after 1798761600
  EXPECT_TRUE(CheckNotExpired(m, 1798761600).ok());
  EXPECT_EQ(CheckNotExpired(m, 1798761601).code(), ErrorCode::kExpired);
  m.has_not_after = false;
  EXPECT_TRUE(CheckNotExpired(m, UINT64_MAX).ok());
  EXPECT_TRUE(CheckVersion(2, 3).ok());
  EXPECT_EQ(CheckVersion(3, 3).code(), ErrorCode::kRollback);
  EXPECT_EQ(CheckVersion(4, 3).code(), ErrorCode::kRollback);
  EXPECT_TRUE(CheckSequence(0, 1).ok());
  EXPECT_EQ(CheckSequence(5, 5).code(), ErrorCode::kRollback);
}

}  // namespace
}  // namespace tc::image
