#include "tc/port/posix/file_container_store.h"

#include <algorithm>

#include "tc/image/metadata_codec.h"

namespace tc::port::posix {

namespace {

constexpr std::string_view kImagePrefix = "img.";
constexpr std::string_view kRecordPrefix = "rec.";
constexpr size_t kMaxRecordName = 48;

std::string Key(std::string_view prefix, std::string_view name) {
  std::string key(prefix);
  key.append(name);
  return key;
}

}  // namespace

bool IsValidRecordName(std::string_view name) {
  if (name.empty() || name.size() > kMaxRecordName) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

FileContainerStore::FileContainerStore(FileStore store, uint32_t max_image_size)
    : store_(std::move(store)), max_image_size_(max_image_size) {
  Result<std::vector<std::string>> keys = store_.Keys();
  if (!keys.ok()) return;
  for (const std::string& key : *keys) {
    if (!key.starts_with(kImagePrefix)) continue;
    const std::string uid = key.substr(kImagePrefix.size());
    Result<std::vector<uint8_t>> bytes = store_.Get(key);
    if (bytes.ok()) {
      images_.emplace(uid, std::make_unique<std::vector<uint8_t>>(std::move(*bytes)));
    } else {
      damaged_.insert(uid);
    }
  }
}

Status FileContainerStore::BeginImage(std::string_view uid, uint32_t size) {
  AbortImage();
  retired_.clear();
  if (!image::IsValidUid(uid)) return Status(ErrorCode::kInvalidArgument, "invalid uid");
  if (size > max_image_size_) {
    return Status(ErrorCode::kResourceExhausted, "image larger than the store accepts");
  }
  staged_ = std::make_unique<std::vector<uint8_t>>();
  // Reserved up front so the staged bytes never move while they arrive.
  staged_->reserve(size);
  staged_uid_ = std::string(uid);
  staged_size_ = size;
  staged_view_ = {};
  staging_ = true;
  return Status::Ok();
}

Status FileContainerStore::AppendImage(std::span<const uint8_t> bytes) {
  if (!staging_) return Status(ErrorCode::kFailedPrecondition, "no image is being staged");
  if (bytes.size() > staged_size_ - staged_->size()) {
    return Status(ErrorCode::kOutOfRange, "more bytes than the staged image's size");
  }
  staged_->insert(staged_->end(), bytes.begin(), bytes.end());
  staged_view_ = {staged_->data(), staged_->size()};
  return Status::Ok();
}

Status FileContainerStore::CommitImage() {
  if (!staging_) return Status(ErrorCode::kFailedPrecondition, "no image is being staged");
  if (staged_->size() != staged_size_) {
    return Status(ErrorCode::kFailedPrecondition, "the staged image is incomplete");
  }
  TC_RETURN_IF_ERROR(store_.Put(Key(kImagePrefix, staged_uid_), *staged_));
  auto it = images_.find(staged_uid_);
  if (it != images_.end()) {
    retired_.push_back(std::move(it->second));
    it->second = std::move(staged_);
  } else {
    images_.emplace(staged_uid_, std::move(staged_));
  }
  damaged_.erase(staged_uid_);
  // staged_view_ keeps pointing at the bytes, now owned by images_.
  staging_ = false;
  return Status::Ok();
}

void FileContainerStore::AbortImage() {
  if (staging_) staged_view_ = {};
  staging_ = false;
  staged_.reset();
  staged_size_ = 0;
}

Result<std::span<const uint8_t>> FileContainerStore::Image(std::string_view uid) const {
  auto it = images_.find(uid);
  if (it != images_.end()) return std::span<const uint8_t>(*it->second);
  if (damaged_.contains(uid)) {
    return Status(ErrorCode::kIntegrityError, "the stored image file is damaged");
  }
  return Status(ErrorCode::kNotFound, "no image stored for this uid");
}

Status FileContainerStore::RemoveImage(std::string_view uid) {
  auto it = images_.find(uid);
  const bool damaged = damaged_.contains(uid);
  if (it == images_.end() && !damaged) {
    return Status(ErrorCode::kNotFound, "no image stored for this uid");
  }
  TC_RETURN_IF_ERROR(store_.Remove(Key(kImagePrefix, uid)));
  if (it != images_.end()) {
    if (staged_view_.data() == it->second->data()) staged_view_ = {};
    retired_.push_back(std::move(it->second));
    images_.erase(it);
  }
  if (damaged) damaged_.erase(damaged_.find(uid));
  return Status::Ok();
}

Status FileContainerStore::ForEachImage(void (*fn)(void* context, std::string_view uid),
                                        void* context) const {
  // Both sets are sorted: merge them so the order is the uid order.
  auto a = images_.begin();
  auto b = damaged_.begin();
  while (a != images_.end() || b != damaged_.end()) {
    if (b == damaged_.end() || (a != images_.end() && a->first < *b)) {
      fn(context, (a++)->first);
    } else {
      fn(context, *b++);
    }
  }
  return Status::Ok();
}

Status FileContainerStore::SaveRecord(std::string_view name, std::span<const uint8_t> bytes) {
  if (!IsValidRecordName(name)) return Status(ErrorCode::kInvalidArgument, "invalid record name");
  return store_.Put(Key(kRecordPrefix, name), bytes);
}

Result<size_t> FileContainerStore::LoadRecord(std::string_view name, std::span<uint8_t> out) const {
  if (!IsValidRecordName(name)) return Status(ErrorCode::kInvalidArgument, "invalid record name");
  Result<std::vector<uint8_t>> bytes = store_.Get(Key(kRecordPrefix, name));
  if (!bytes.ok()) return bytes.status();
  std::copy_n(bytes->begin(), std::min(out.size(), bytes->size()), out.begin());
  return bytes->size();
}

Status FileContainerStore::RemoveRecord(std::string_view name) {
  if (!IsValidRecordName(name)) return Status(ErrorCode::kInvalidArgument, "invalid record name");
  return store_.Remove(Key(kRecordPrefix, name));
}

size_t FileContainerStore::record_count() const {
  Result<std::vector<std::string>> keys = store_.Keys();
  if (!keys.ok()) return 0;
  return static_cast<size_t>(std::count_if(keys->begin(), keys->end(), [](const std::string& k) {
    return k.starts_with(kRecordPrefix);
  }));
}

}  // namespace tc::port::posix
