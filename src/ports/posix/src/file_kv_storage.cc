#include "tc/port/posix/file_kv_storage.h"

#include <algorithm>

#include "tc/image/metadata_codec.h"

namespace tc::port::posix {

namespace {

constexpr std::string_view kOwnerPrefix = "kv.";

// File layout: per record [key length u8][key][value length u16 LE][value], back to back.
std::vector<uint8_t> Encode(const std::map<std::string, std::vector<uint8_t>>& records) {
  std::vector<uint8_t> out;
  for (const auto& [key, value] : records) {
    out.push_back(static_cast<uint8_t>(key.size()));
    out.insert(out.end(), key.begin(), key.end());
    out.push_back(static_cast<uint8_t>(value.size()));
    out.push_back(static_cast<uint8_t>(value.size() >> 8));
    out.insert(out.end(), value.begin(), value.end());
  }
  return out;
}

bool Decode(const std::vector<uint8_t>& in, std::map<std::string, std::vector<uint8_t>>* records) {
  size_t at = 0;
  while (at < in.size()) {
    const size_t key_length = in[at++];
    if (key_length == 0 || key_length > FileKvStorage::kMaxKeyLength ||
        in.size() - at < key_length + 2) {
      return false;
    }
    std::string key(in.begin() + at, in.begin() + at + key_length);
    at += key_length;
    const size_t value_length = in[at] | size_t{in[at + 1]} << 8;
    at += 2;
    if (value_length > FileKvStorage::kMaxValueLength || in.size() - at < value_length) {
      return false;
    }
    (*records)[std::move(key)] =
        std::vector<uint8_t>(in.begin() + at, in.begin() + at + value_length);
    at += value_length;
  }
  return true;
}

std::string KeyOf(std::span<const uint8_t> key) { return {key.begin(), key.end()}; }

size_t Footprint(const std::map<std::string, std::vector<uint8_t>>& records) {
  size_t bytes = 0;
  for (const auto& [key, value] : records) bytes += key.size() + value.size();
  return bytes;
}

}  // namespace

FileKvStorage::FileKvStorage(FileStore store) : store_(std::move(store)) {
  Result<std::vector<std::string>> keys = store_.Keys();
  if (keys.ok()) {
    for (const std::string& key : *keys) {
      if (!key.starts_with(kOwnerPrefix)) continue;
      const std::string owner = key.substr(kOwnerPrefix.size());
      Result<std::vector<uint8_t>> bytes = store_.Get(key);
      Records records;
      if (bytes.ok() && Decode(*bytes, &records)) {
        owners_[owner] = std::move(records);
      } else {
        damaged_.insert(owner);
      }
    }
  }
  writer_ = std::thread([this] { WriterLoop(); });
}

FileKvStorage::~FileKvStorage() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
  }
  work_.notify_one();
  writer_.join();  // the writer drains every dirty owner before it ends
}

void FileKvStorage::WriterLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    work_.wait(lock, [this] { return quit_ || !dirty_.empty(); });
    if (dirty_.empty()) return;  // quit_ and nothing left
    const std::string owner = *dirty_.begin();
    dirty_.erase(dirty_.begin());
    const Records& records = owners_[owner];
    const bool remove = records.empty();
    const std::vector<uint8_t> bytes = Encode(records);
    writing_ = true;
    lock.unlock();
    const std::string key = std::string(kOwnerPrefix) + owner;
    Status written = remove ? store_.Remove(key) : store_.Put(key, bytes);
    if (remove && written.code() == ErrorCode::kNotFound) written = Status::Ok();
    lock.lock();
    writing_ = false;
    if (!written.ok()) ++write_errors_;
    if (dirty_.empty()) idle_.notify_all();
  }
}

void FileKvStorage::Flush() {
  std::unique_lock<std::mutex> lock(mutex_);
  idle_.wait(lock, [this] { return dirty_.empty() && !writing_; });
}

uint64_t FileKvStorage::write_errors() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return write_errors_;
}

Result<FileKvStorage::Records*> FileKvStorage::Find(std::string_view owner) {
  if (!image::IsValidUid(owner)) return Status(ErrorCode::kInvalidArgument, "invalid owner uid");
  if (damaged_.contains(std::string(owner))) {
    return Status(ErrorCode::kUnavailable, "the owner's key-value file is damaged");
  }
  auto it = owners_.find(owner);
  if (it == owners_.end()) it = owners_.emplace(std::string(owner), Records{}).first;
  return &it->second;
}

Result<size_t> FileKvStorage::Get(std::string_view owner, std::span<const uint8_t> key,
                                  std::span<uint8_t> out) {
  std::lock_guard<std::mutex> lock(mutex_);
  Result<Records*> records = Find(owner);
  if (!records.ok()) return records.status();
  auto it = (*records)->find(KeyOf(key));
  if (it == (*records)->end()) return Status(ErrorCode::kNotFound, "no such key");
  std::copy_n(it->second.begin(), std::min(out.size(), it->second.size()), out.begin());
  return it->second.size();
}

Result<size_t> FileKvStorage::Size(std::string_view owner, std::span<const uint8_t> key) {
  std::lock_guard<std::mutex> lock(mutex_);
  Result<Records*> records = Find(owner);
  if (!records.ok()) return records.status();
  auto it = (*records)->find(KeyOf(key));
  if (it == (*records)->end()) return Status(ErrorCode::kNotFound, "no such key");
  return it->second.size();
}

Result<size_t> FileKvStorage::Usage(std::string_view owner) {
  std::lock_guard<std::mutex> lock(mutex_);
  Result<Records*> records = Find(owner);
  if (!records.ok()) return records.status();
  return Footprint(**records);
}

Status FileKvStorage::Set(std::string_view owner, std::span<const uint8_t> key,
                          std::span<const uint8_t> value) {
  if (key.empty() || key.size() > kMaxKeyLength) {
    return Status(ErrorCode::kOutOfRange, "key length outside 1..64");
  }
  if (value.size() > kMaxValueLength) return Status(ErrorCode::kOutOfRange, "value too long");
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Result<Records*> records = Find(owner);
    if (!records.ok()) return records.status();
    Records& r = **records;
    const std::string k = KeyOf(key);
    auto it = r.find(k);
    const size_t replaced = it == r.end() ? 0 : k.size() + it->second.size();
    if (Footprint(r) - replaced + k.size() + value.size() > kMaxOwnerBytes) {
      return Status(ErrorCode::kResourceExhausted, "the owner's key-value storage is full");
    }
    r[k] = Bytes(value.begin(), value.end());
    dirty_.emplace(owner);
  }
  work_.notify_one();
  return Status::Ok();
}

Status FileKvStorage::Delete(std::string_view owner, std::span<const uint8_t> key) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Result<Records*> records = Find(owner);
    if (!records.ok()) return records.status();
    if ((*records)->erase(KeyOf(key)) == 0) return Status(ErrorCode::kNotFound, "no such key");
    dirty_.emplace(owner);
  }
  work_.notify_one();
  return Status::Ok();
}

}  // namespace tc::port::posix
