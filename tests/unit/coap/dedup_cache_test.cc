#include "tc/net/coap/dedup_cache.h"

#include <gtest/gtest.h>

#include <vector>

namespace tc::coap {
namespace {

TEST(CoapDedup, RemembersPerPeerAndMessageId) {
  DedupCache<2, 8> cache;
  const std::vector<uint8_t> reply = {1, 2, 3};
  EXPECT_FALSE(cache.Lookup(1, 10, 0).found);
  ASSERT_TRUE(cache.Store(1, 10, 0, reply));
  const auto hit = cache.Lookup(1, 10, 5);
  ASSERT_TRUE(hit.found);
  EXPECT_EQ(std::vector<uint8_t>(hit.response.begin(), hit.response.end()), reply);
  EXPECT_FALSE(cache.Lookup(2, 10, 5).found);
  EXPECT_FALSE(cache.Lookup(1, 11, 5).found);
}

TEST(CoapDedup, ExpiresAfterExchangeLifetime) {
  DedupCache<2, 8> cache;
  ASSERT_TRUE(cache.Store(1, 10, 1000, std::vector<uint8_t>{1}));
  EXPECT_TRUE(cache.Lookup(1, 10, 1000 + kExchangeLifetimeMs - 1).found);
  EXPECT_FALSE(cache.Lookup(1, 10, 1000 + kExchangeLifetimeMs).found);
}

TEST(CoapDedup, ReplacesOldestWhenFull) {
  DedupCache<2, 8> cache;
  ASSERT_TRUE(cache.Store(1, 1, 100, std::vector<uint8_t>{1}));
  ASSERT_TRUE(cache.Store(1, 2, 200, std::vector<uint8_t>{2}));
  ASSERT_TRUE(cache.Store(1, 3, 300, std::vector<uint8_t>{3}));
  EXPECT_FALSE(cache.Lookup(1, 1, 300).found);
  EXPECT_TRUE(cache.Lookup(1, 2, 300).found);
  EXPECT_TRUE(cache.Lookup(1, 3, 300).found);
}

TEST(CoapDedup, TooLargeResponseIsNotCached) {
  DedupCache<2, 4> cache;
  EXPECT_FALSE(cache.Store(1, 1, 0, std::vector<uint8_t>(5, 0)));
  EXPECT_FALSE(cache.Lookup(1, 1, 0).found);
}

}  // namespace
}  // namespace tc::coap
