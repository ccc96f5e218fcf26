// An in-memory ContainerStore for tests: images and records in maps, a staging area whose bytes
// keep their address when committed, a capacity limit, counters and a switch that makes record
// writes fail (to test that a refused persist changes nothing).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tc/mgmt/container_store.h"

namespace tc::mgmt::testing {

class MemoryStore final : public ContainerStore {
 public:
  using Bytes = std::vector<uint8_t>;

  Status BeginImage(std::string_view uid, uint32_t size) override {
    ++begins;
    if (size > capacity) return Status(ErrorCode::kResourceExhausted, "store is full");
    staging_ = std::make_unique<Bytes>();
    staging_->reserve(size);
    staging_uid_ = std::string(uid);
    staging_size_ = size;
    staged_ = staging_.get();
    return Status::Ok();
  }
  Status AppendImage(std::span<const uint8_t> bytes) override {
    if (!staging_) return Status(ErrorCode::kFailedPrecondition, "no staging in progress");
    if (staging_->size() + bytes.size() > staging_size_) {
      return Status(ErrorCode::kOutOfRange, "more bytes than announced");
    }
    staging_->insert(staging_->end(), bytes.begin(), bytes.end());
    return Status::Ok();
  }
  std::span<const uint8_t> StagedImage() const override {
    return staged_ != nullptr ? std::span<const uint8_t>(*staged_) : std::span<const uint8_t>();
  }
  Status CommitImage() override {
    if (!staging_ || staging_->size() != staging_size_) {
      return Status(ErrorCode::kFailedPrecondition, "staged image incomplete");
    }
    if (fail_commit) return Status(ErrorCode::kUnavailable, "commit fails (test)");
    images_[staging_uid_] = std::move(staging_);
    ++commits;
    return Status::Ok();
  }
  void AbortImage() override {
    if (staging_) ++aborts;
    staging_.reset();
    staged_ = nullptr;
  }
  Result<std::span<const uint8_t>> Image(std::string_view uid) const override {
    const auto it = images_.find(std::string(uid));
    if (it == images_.end()) return Status(ErrorCode::kNotFound, "no image for this uid");
    return std::span<const uint8_t>(*it->second);
  }
  Status RemoveImage(std::string_view uid) override {
    if (fail_remove_image) return Status(ErrorCode::kUnavailable, "image removal fails (test)");
    return images_.erase(std::string(uid)) == 1 ? Status::Ok()
                                                : Status(ErrorCode::kNotFound, "no image");
  }
  Status ForEachImage(void (*fn)(void*, std::string_view), void* context) const override {
    for (const auto& [uid, bytes] : images_) fn(context, uid);
    return Status::Ok();
  }
  Status SaveRecord(std::string_view name, std::span<const uint8_t> bytes) override {
    if (fail_records) return Status(ErrorCode::kUnavailable, "record write fails (test)");
    records_[std::string(name)] = Bytes(bytes.begin(), bytes.end());
    return Status::Ok();
  }
  Result<size_t> LoadRecord(std::string_view name, std::span<uint8_t> out) const override {
    const auto it = records_.find(std::string(name));
    if (it == records_.end()) return Status(ErrorCode::kNotFound, "no such record");
    const size_t n = it->second.size() < out.size() ? it->second.size() : out.size();
    std::copy(it->second.begin(), it->second.begin() + static_cast<long>(n), out.begin());
    return it->second.size();
  }
  Status RemoveRecord(std::string_view name) override {
    if (fail_records) return Status(ErrorCode::kUnavailable, "record write fails (test)");
    return records_.erase(std::string(name)) == 1 ? Status::Ok()
                                                  : Status(ErrorCode::kNotFound, "no record");
  }

  bool HasImage(const std::string& uid) const { return images_.count(uid) == 1; }
  bool HasRecord(const std::string& name) const { return records_.count(name) == 1; }
  const std::map<std::string, std::unique_ptr<Bytes>>& images() const { return images_; }
  const std::map<std::string, Bytes>& records() const { return records_; }
  bool staging() const { return staging_ != nullptr; }

  uint32_t capacity = 1u << 20;
  bool fail_records = false;
  bool fail_remove_image = false;
  bool fail_commit = false;
  int begins = 0;
  int commits = 0;
  int aborts = 0;

 private:
  std::map<std::string, std::unique_ptr<Bytes>> images_;
  std::map<std::string, Bytes> records_;
  std::unique_ptr<Bytes> staging_;
  const Bytes* staged_ = nullptr;  // the staged bytes, also after they were committed
  std::string staging_uid_;
  uint32_t staging_size_ = 0;
};

}  // namespace tc::mgmt::testing
