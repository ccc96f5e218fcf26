// Crash-safe key -> blob storage in one directory, for the native device. A Put writes a new file
// beside the old one, fsyncs it, renames it over the old one and fsyncs the directory, so a crash
// at any point leaves either the old or the new value. Each file carries a header with the blob's
// length and CRC-32, so damage from outside (truncation, bit rot) is reported, not returned.
// Opening the store removes the temporary files an interrupted Put left behind.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tc/base/result.h"

namespace tc::port::posix {

// The durable steps of a Put or Remove, in order; an observer sees each one as it completes.
enum class StoreStep : uint8_t {
  kTempCreated,
  kTempHalfWritten,
  kTempWritten,
  kTempSynced,
  kRenamed,
  kDirectorySynced,
  kUnlinked,
};

struct RecoveryReport {
  std::vector<std::string> removed_temp_files;
  std::vector<std::string> damaged_keys;  // header or CRC-32 mismatch; left in place
};

class FileStore {
 public:
  // Called after each step (tests use it to simulate a power cut there).
  using StepObserver = std::function<void(StoreStep)>;

  // Creates the directory if needed and recovers it. kUnavailable when it cannot be used.
  static Result<FileStore> Open(const std::string& directory, StepObserver observer = {});

  // Keys are 1..64 characters of [A-Za-z0-9._-], not starting with '.'; kInvalidArgument else.
  Status Put(std::string_view key, std::span<const uint8_t> value);
  // kNotFound when absent; kIntegrityError when the stored file is damaged.
  Result<std::vector<uint8_t>> Get(std::string_view key) const;
  // Removing an absent key is kNotFound.
  Status Remove(std::string_view key);
  // Sorted.
  Result<std::vector<std::string>> Keys() const;

  const RecoveryReport& recovery() const { return recovery_; }
  const std::string& directory() const { return directory_; }

 private:
  FileStore(std::string directory, StepObserver observer)
      : directory_(std::move(directory)), observer_(std::move(observer)) {}
  Status Recover();
  Status SyncDirectory() const;
  void Observe(StoreStep step) const {
    if (observer_) observer_(step);
  }

  std::string directory_;
  StepObserver observer_;
  RecoveryReport recovery_;
};

bool IsValidKey(std::string_view key);

}  // namespace tc::port::posix
