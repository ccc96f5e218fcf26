// The base library on a real Cortex-M4 (QEMU mps2-an386): the same behaviours the host tests
// check, compiled with the device flags (-Os, no exceptions, no RTTI, newlib-nano).
#include <cstring>

#include "device_check.h"
#include "tc/base/byte_reader.h"
#include "tc/base/byte_writer.h"
#include "tc/base/fixed_vector.h"
#include "tc/base/format.h"
#include "tc/base/object_pool.h"
#include "tc/base/ring_buffer.h"

namespace {

void CheckBytes() {
  uint8_t buffer[8] = {};
  tc::ByteWriter w(buffer);
  DEVICE_CHECK(w.WriteU32Be(0x01020304).ok());
  DEVICE_CHECK(w.WriteU32Le(0x01020304).ok());
  DEVICE_CHECK(w.WriteU8(1) == tc::ErrorCode::kResourceExhausted);
  tc::ByteReader r(buffer);
  DEVICE_CHECK(*r.ReadU32Le() == 0x04030201u);
  DEVICE_CHECK(*r.ReadU32Be() == 0x04030201u);
  DEVICE_CHECK(r.ReadU8().status() == tc::ErrorCode::kTruncated);
}

void CheckContainers() {
  tc::FixedVector<int, 2> v;
  DEVICE_CHECK(v.push_back(1).ok());
  DEVICE_CHECK(v.push_back(2).ok());
  DEVICE_CHECK(!v.push_back(3).ok());
  tc::RingBuffer<int, 2> rb;
  rb.PushOverwrite(1);
  rb.PushOverwrite(2);
  rb.PushOverwrite(3);
  int out = 0;
  DEVICE_CHECK(rb.Pop(out).ok() && out == 2);
  tc::ObjectPool<int, 1> pool;
  auto a = pool.Acquire(5);
  DEVICE_CHECK(a.ok() && **a == 5);
  DEVICE_CHECK(!pool.Acquire(6).ok());
  DEVICE_CHECK(pool.Release(*a).ok());
  DEVICE_CHECK(!pool.Release(*a).ok());
}

void CheckFormat() {
  char buf[32];
  tc::FormatTo(buf, "%d %x %s %llu", -7, 255u, "ok", 1ull << 40);
  DEVICE_CHECK(std::strcmp(buf, "-7 ff ok 1099511627776") == 0);
}

}  // namespace

int main() {
  CheckBytes();
  CheckContainers();
  CheckFormat();
  return tc::device_test::Finish("base_selftest");
}
