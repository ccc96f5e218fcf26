#include "tc/cbor/map_key_order.h"

namespace tc::cbor {

int CompareEncodedKeys(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  const size_t common = a.size() < b.size() ? a.size() : b.size();
  for (size_t i = 0; i < common; ++i) {
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

Status MapKeyOrder::Next(std::span<const uint8_t> encoded_key) {
  if (has_previous_) {
    const int order = CompareEncodedKeys(previous_, encoded_key);
    if (order == 0) return Status(ErrorCode::kAlreadyExists, "duplicate map key");
    if (order > 0) return Status(ErrorCode::kMalformed, "map keys not in deterministic order");
  }
  previous_ = encoded_key;
  has_previous_ = true;
  return Status::Ok();
}

}  // namespace tc::cbor
