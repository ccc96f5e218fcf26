// KvStorage in a fixed table of fixed-size records (no heap): for tests and for devices whose
// key-value data need not survive a reboot.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tc/image/metadata.h"
#include "tc/services/ports.h"

namespace tc::services {

inline constexpr size_t kMaxKvKeyLength = 32;
inline constexpr size_t kMaxKvValueLength = 128;

template <size_t kRecords>
class MemoryKvStorage final : public KvStorage {
 public:
  Result<size_t> Get(std::string_view owner, std::span<const uint8_t> key,
                     std::span<uint8_t> out) override {
    const Record* r = Find(owner, key);
    if (r == nullptr) return Status(ErrorCode::kNotFound, "no such key");
    const size_t n = out.size() < r->value_length ? out.size() : r->value_length;
    for (size_t i = 0; i < n; ++i) out[i] = r->value[i];
    return size_t{r->value_length};
  }

  Result<size_t> Size(std::string_view owner, std::span<const uint8_t> key) override {
    const Record* r = Find(owner, key);
    if (r == nullptr) return Status(ErrorCode::kNotFound, "no such key");
    return size_t{r->value_length};
  }

  Status Set(std::string_view owner, std::span<const uint8_t> key,
             std::span<const uint8_t> value) override {
    if (key.size() > kMaxKvKeyLength) return Status(ErrorCode::kOutOfRange, "key too long");
    if (value.size() > kMaxKvValueLength) return Status(ErrorCode::kOutOfRange, "value too long");
    if (owner.size() > image::kMaxUidLength)
      return Status(ErrorCode::kOutOfRange, "owner too long");
    Record* r = Find(owner, key);
    if (r == nullptr) {
      for (Record& candidate : records_) {
        if (!candidate.used) {
          r = &candidate;
          break;
        }
      }
      if (r == nullptr) return Status(ErrorCode::kResourceExhausted, "key-value storage is full");
      r->used = true;
      r->owner_length = static_cast<uint8_t>(owner.size());
      for (size_t i = 0; i < owner.size(); ++i) r->owner[i] = owner[i];
      r->key_length = static_cast<uint8_t>(key.size());
      for (size_t i = 0; i < key.size(); ++i) r->key[i] = key[i];
    }
    r->value_length = static_cast<uint8_t>(value.size());
    for (size_t i = 0; i < value.size(); ++i) r->value[i] = value[i];
    return Status::Ok();
  }

  Status Delete(std::string_view owner, std::span<const uint8_t> key) override {
    Record* r = Find(owner, key);
    if (r == nullptr) return Status(ErrorCode::kNotFound, "no such key");
    *r = Record{};
    return Status::Ok();
  }

  Result<size_t> Usage(std::string_view owner) override {
    size_t bytes = 0;
    for (const Record& r : records_) {
      if (r.used && std::string_view(r.owner, r.owner_length) == owner) {
        bytes += size_t{r.key_length} + r.value_length;
      }
    }
    return bytes;
  }

 private:
  struct Record {
    bool used = false;
    uint8_t owner_length = 0;
    uint8_t key_length = 0;
    uint8_t value_length = 0;
    char owner[image::kMaxUidLength] = {};
    uint8_t key[kMaxKvKeyLength] = {};
    uint8_t value[kMaxKvValueLength] = {};
  };
  static_assert(kMaxKvValueLength <= 255 && kMaxKvKeyLength <= 255 && image::kMaxUidLength <= 255);

  Record* Find(std::string_view owner, std::span<const uint8_t> key) {
    for (Record& r : records_) {
      if (!r.used || r.owner_length != owner.size() || r.key_length != key.size()) continue;
      bool same = true;
      for (size_t i = 0; same && i < owner.size(); ++i) same = r.owner[i] == owner[i];
      for (size_t i = 0; same && i < key.size(); ++i) same = r.key[i] == key[i];
      if (same) return &r;
    }
    return nullptr;
  }

  Record records_[kRecords];
};

}  // namespace tc::services
