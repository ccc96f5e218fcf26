// Persistent services::KvStorage for the native device: each owner's records are one file
// "kv.<owner>" of a crash-safe FileStore, rewritten as a whole (a container's kv quota is small).
// Records live in memory; a change is visible at once and written behind by a background thread,
// because a durable write (two fsyncs, milliseconds) inside a host call would stall every
// container of the single-threaded engine. A crash loses at most the changes not written yet,
// never a whole file; Flush() and the destructor write everything pending.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
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
  ~FileKvStorage();
  FileKvStorage(const FileKvStorage&) = delete;
  FileKvStorage& operator=(const FileKvStorage&) = delete;

  Result<size_t> Get(std::string_view owner, std::span<const uint8_t> key,
                     std::span<uint8_t> out) override;
  Result<size_t> Size(std::string_view owner, std::span<const uint8_t> key) override;
  Status Set(std::string_view owner, std::span<const uint8_t> key,
             std::span<const uint8_t> value) override;
  Status Delete(std::string_view owner, std::span<const uint8_t> key) override;
  Result<size_t> Usage(std::string_view owner) override;

  // Returns once every change made so far is written (or its write failed).
  void Flush();
  // Background writes that failed (the records stay in memory and are retried by the next
  // change of the same owner).
  uint64_t write_errors() const;

  const std::set<std::string>& damaged_owners() const { return damaged_; }

 private:
  using Bytes = std::vector<uint8_t>;
  // Keyed by the key bytes held in a std::string (ordered, compared bytewise).
  using Records = std::map<std::string, Bytes>;

  // The owner's records, or an error for an invalid or damaged owner. Called with mutex_ held.
  Result<Records*> Find(std::string_view owner);
  void WriterLoop();

  FileStore store_;  // only the writer thread uses it after construction
  std::set<std::string> damaged_;

  mutable std::mutex mutex_;
  std::condition_variable work_;
  std::condition_variable idle_;
  std::map<std::string, Records, std::less<>> owners_;
  std::set<std::string> dirty_;  // owners whose file is behind their records
  bool writing_ = false;
  bool quit_ = false;
  uint64_t write_errors_ = 0;
  std::thread writer_;
};

}  // namespace tc::port::posix
