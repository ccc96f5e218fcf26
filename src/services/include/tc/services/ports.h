// What a port provides to the host services: where log lines go, where random bytes come from and
// where key-value records live. Small abstract classes so a board, the POSIX host and tests each
// plug in their own; the deterministic/in-memory implementations below serve tests and devices.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "tc/base/result.h"

namespace tc::services {

// Receives the log lines containers were allowed to write (after rate limiting).
class LogSink {
 public:
  virtual void Write(std::string_view container_uid, std::span<const uint8_t> text) = 0;

 protected:
  ~LogSink() = default;
};

// A source of random bytes (a hardware TRNG on devices).
class EntropySource {
 public:
  virtual Status Fill(std::span<uint8_t> out) = 0;

 protected:
  ~EntropySource() = default;
};

// Key-value records, namespaced by the owning container's uid so containers never see each
// other's keys and a reinstalled container finds its own records again.
class KvStorage {
 public:
  // Copies up to out.size() bytes of the value into `out`; returns the value's full length, or
  // kNotFound.
  virtual Result<size_t> Get(std::string_view owner, std::span<const uint8_t> key,
                             std::span<uint8_t> out) = 0;
  // The stored value's length, or kNotFound.
  virtual Result<size_t> Size(std::string_view owner, std::span<const uint8_t> key) = 0;
  // Creates or replaces; kResourceExhausted when the storage is full, kOutOfRange when the key or
  // value is larger than the storage supports.
  virtual Status Set(std::string_view owner, std::span<const uint8_t> key,
                     std::span<const uint8_t> value) = 0;
  // kNotFound when there is no such key.
  virtual Status Delete(std::string_view owner, std::span<const uint8_t> key) = 0;
  // Key + value bytes of every record `owner` holds: what counts against its kv quota. The engine
  // asks at install, because records outlive a remove and a reinstalled container owns them again.
  virtual Result<size_t> Usage(std::string_view owner) = 0;

 protected:
  ~KvStorage() = default;
};

// xorshift64*: reproducible bytes for tests. Not for production entropy.
class DeterministicEntropy final : public EntropySource {
 public:
  explicit DeterministicEntropy(uint64_t seed) : state_(seed == 0 ? 1 : seed) {}
  Status Fill(std::span<uint8_t> out) override;

 private:
  uint64_t state_;
};

}  // namespace tc::services
