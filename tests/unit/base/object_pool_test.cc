#include "tc/base/object_pool.h"

#include <gtest/gtest.h>

namespace tc {
namespace {

struct Counted {
  explicit Counted(int* live) : live(live) { ++*live; }
  ~Counted() { --*live; }
  int* live;
};

TEST(ObjectPool, AcquireUntilExhaustedThenReuseReleasedSlot) {
  int live = 0;
  ObjectPool<Counted, 2> pool;
  auto a = pool.Acquire(&live);
  auto b = pool.Acquire(&live);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(live, 2);
  EXPECT_EQ(pool.Acquire(&live).status(), ErrorCode::kResourceExhausted);
  ASSERT_TRUE(pool.Release(*a).ok());
  EXPECT_EQ(live, 1);
  auto c = pool.Acquire(&live);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c, *a);
  EXPECT_EQ(pool.in_use(), 2u);
}

TEST(ObjectPool, RejectsDoubleReleaseAndForeignPointers) {
  int live = 0;
  ObjectPool<Counted, 2> pool;
  Counted* a = *pool.Acquire(&live);
  ASSERT_TRUE(pool.Release(a).ok());
  EXPECT_EQ(pool.Release(a), ErrorCode::kInvalidArgument);
  Counted outside(&live);
  EXPECT_EQ(pool.Release(&outside), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(pool.Owns(&outside));
  EXPECT_EQ(pool.Release(reinterpret_cast<Counted*>(reinterpret_cast<char*>(a) + 1)),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(live, 1);
}

TEST(ObjectPool, DestructorDestroysLiveObjects) {
  int live = 0;
  {
    ObjectPool<Counted, 3> pool;
    ASSERT_TRUE(pool.Acquire(&live).ok());
    ASSERT_TRUE(pool.Acquire(&live).ok());
  }
  EXPECT_EQ(live, 0);
}

}  // namespace
}  // namespace tc
