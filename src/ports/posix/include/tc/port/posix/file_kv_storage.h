// Persistent services::KvStorage for the native device: each owner's records are one file
// "kv.<owner>" of a crash-safe FileStore, rewritten as a whole on every change (a container's kv
// quota is small). Records are cached in memory; a change is applied to the cache only after
// the file was written, so a failed write changes nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tc/port/posix/file_store.h"
#include "tc/services/ports.h"

namespace tc::port::posix {

class FileKvStorage final : public services::KvStorage {
 public:
  static constexpr size_t kMaxKeyLength = 64;
  static constexpr size_t kMaxValueLength = 1024;
  // Bytes (keys + values) one owner may hold, whatever its quota says.
  static constexpr size_t kMaxOwnerBytes = 16 * 1024;

  // Loads every owner's file. An owner whose file is damaged is listed in damaged_owners(); its
  // calls answer kUnavailable (the guest sees an I/O error) and the file is left for inspection.
  explicit FileKvStorage(FileStore store);

  Result<size_t> Get(std::string_view owner, std::span<const uint8_t> key,
                     std::span<uint8_t> out) override;
  Result<size_t> Size(std::string_view owner, std::span<const uint8_t> key) override;
  Status Set(std::string_view owner, std::span<const uint8_t> key,
             std::span<const uint8_t> value) override;
  Status Delete(std::string_view owner, std::span<const uint8_t> key) override;

  const std::set<std::string>& damaged_owners() const { return damaged_; }
  const FileStore& file_store() const { return store_; }

 private:
  using Bytes = std::vector<uint8_t>;
  // Keyed by the key bytes held in a std::string (ordered, compared bytewise).
  using Records = std::map<std::string, Bytes>;

  // The owner's records, or an error for an invalid or damaged owner.
  Result<Records*> Find(std::string_view owner);
  Status Write(std::string_view owner, const Records& records);

  FileStore store_;
  std::map<std::string, Records, std::less<>> owners_;
  std::set<std::string> damaged_;
};

}  // namespace tc::port::posix
