// The native device's mgmt::ContainerStore: installed images and management records as files of
// a crash-safe FileStore ("img.<uid>", "rec.<name>"). An image being uploaded is staged in memory
// and committed with one FileStore::Put (write-new + fsync + rename + directory fsync), so a
// crash at any step leaves the old or the new image on disk, never neither. Committed images are
// kept in memory, at stable addresses, because the engine runs containers from their bytes.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "tc/mgmt/container_store.h"
#include "tc/port/posix/file_store.h"

namespace tc::port::posix {

class FileContainerStore final : public mgmt::ContainerStore {
 public:
  // Takes the opened store and loads every committed image. A damaged image file stays listed
  // by ForEachImage (so restore reports it) and Image() answers kIntegrityError for it.
  FileContainerStore(FileStore store, uint32_t max_image_size);

  Status BeginImage(std::string_view uid, uint32_t size) override;
  Status AppendImage(std::span<const uint8_t> bytes) override;
  std::span<const uint8_t> StagedImage() const override { return staged_view_; }
  Status CommitImage() override;
  void AbortImage() override;

  Result<std::span<const uint8_t>> Image(std::string_view uid) const override;
  Status RemoveImage(std::string_view uid) override;
  Status ForEachImage(void (*fn)(void* context, std::string_view uid),
                      void* context) const override;

  Status SaveRecord(std::string_view name, std::span<const uint8_t> bytes) override;
  Result<size_t> LoadRecord(std::string_view name, std::span<uint8_t> out) const override;
  Status RemoveRecord(std::string_view name) override;

  size_t image_count() const { return images_.size() + damaged_.size(); }
  size_t record_count() const;
  const FileStore& file_store() const { return store_; }

 private:
  using Buffer = std::unique_ptr<std::vector<uint8_t>>;

  FileStore store_;
  const uint32_t max_image_size_;
  std::map<std::string, Buffer, std::less<>> images_;
  std::set<std::string, std::less<>> damaged_;  // uids whose image file failed its CRC

  bool staging_ = false;
  std::string staged_uid_;
  uint32_t staged_size_ = 0;
  Buffer staged_;
  std::span<const uint8_t> staged_view_;
  // Images replaced or removed, kept until the next upload begins: the management layer may still
  // be tearing down the container that ran from them.
  std::vector<Buffer> retired_;
};

// Record names: 1..48 characters of [A-Za-z0-9._-].
bool IsValidRecordName(std::string_view name);

}  // namespace tc::port::posix
