#include "tc/port/posix/file_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "tc/port/posix/crc32.h"

namespace tc::port::posix {

namespace {

constexpr uint8_t kMagic[4] = {'T', 'C', 'B', '1'};
constexpr size_t kHeaderSize = 12;  // magic, length (u32 LE), CRC-32 (u32 LE)
constexpr size_t kMaxKeyLength = 64;
constexpr std::string_view kTempSuffix = ".tmp";

// Appended piecewise: GCC 12 reports a false -Wrestrict for "." + std::string(...).
std::string TempName(std::string_view key) {
  std::string name(1, '.');
  name.append(key);
  name.append(kTempSuffix);
  return name;
}

void PutU32(uint8_t* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
}
uint32_t GetU32(const uint8_t* in) {
  return uint32_t{in[0]} | uint32_t{in[1]} << 8 | uint32_t{in[2]} << 16 | uint32_t{in[3]} << 24;
}

// Writes everything, retrying on short writes and EINTR.
bool WriteAll(int fd, const uint8_t* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

Result<std::vector<uint8_t>> ReadFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status(ErrorCode::kNotFound, "no value stored under this key");
    return Status(ErrorCode::kUnavailable, "cannot open the stored file");
  }
  std::vector<uint8_t> bytes;
  uint8_t chunk[4096];
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return Status(ErrorCode::kUnavailable, "cannot read the stored file");
    }
    if (n == 0) break;
    bytes.insert(bytes.end(), chunk, chunk + n);
  }
  ::close(fd);
  return bytes;
}

// The blob inside a stored file, or kIntegrityError (position: the offending byte offset).
Result<std::vector<uint8_t>> Unwrap(const std::vector<uint8_t>& file) {
  if (file.size() < kHeaderSize) {
    return Status(ErrorCode::kIntegrityError, "stored file shorter than its header", 0);
  }
  if (!std::equal(kMagic, kMagic + 4, file.begin())) {
    return Status(ErrorCode::kIntegrityError, "stored file has a wrong magic", 0);
  }
  const uint32_t length = GetU32(file.data() + 4);
  if (file.size() - kHeaderSize != length) {
    return Status(ErrorCode::kIntegrityError, "stored file length differs from its header", 4);
  }
  std::vector<uint8_t> blob(file.begin() + kHeaderSize, file.end());
  if (Crc32(blob) != GetU32(file.data() + 8)) {
    return Status(ErrorCode::kIntegrityError, "stored file CRC-32 mismatch", 8);
  }
  return blob;
}

}  // namespace

bool IsValidKey(std::string_view key) {
  if (key.empty() || key.size() > kMaxKeyLength || key.front() == '.') return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

Result<FileStore> FileStore::Open(const std::string& directory, StepObserver observer) {
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status(ErrorCode::kUnavailable, "cannot create the storage directory");
  }
  struct stat st {};
  if (::stat(directory.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Status(ErrorCode::kUnavailable, "storage path is not a directory");
  }
  FileStore store(directory, std::move(observer));
  TC_RETURN_IF_ERROR(store.Recover());
  return store;
}

Status FileStore::Recover() {
  DIR* dir = ::opendir(directory_.c_str());
  if (dir == nullptr) return Status(ErrorCode::kUnavailable, "cannot list the storage directory");
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(dir)) names.emplace_back(entry->d_name);
  ::closedir(dir);
  std::sort(names.begin(), names.end());

  bool removed = false;
  for (const std::string& name : names) {
    const bool is_temp =
        name.size() > 1 + kTempSuffix.size() && name.front() == '.' && name.ends_with(kTempSuffix);
    if (is_temp) {
      // An interrupted Put: its rename never happened, so the old value (if any) is current.
      if (::unlink((directory_ + "/" + name).c_str()) != 0) {
        return Status(ErrorCode::kUnavailable, "cannot remove a leftover temporary file");
      }
      recovery_.removed_temp_files.push_back(name);
      removed = true;
    } else if (IsValidKey(name) && !Get(name).ok()) {
      recovery_.damaged_keys.push_back(name);
    }
  }
  return removed ? SyncDirectory() : Status::Ok();
}

Status FileStore::SyncDirectory() const {
  const int fd = ::open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status(ErrorCode::kUnavailable, "cannot open the storage directory");
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Status(ErrorCode::kUnavailable, "fsync of the storage directory failed");
  return Status::Ok();
}

Status FileStore::Put(std::string_view key, std::span<const uint8_t> value) {
  if (!IsValidKey(key)) return Status(ErrorCode::kInvalidArgument, "invalid storage key");
  if (value.size() > UINT32_MAX) return Status(ErrorCode::kInvalidArgument, "value too large");
  uint8_t header[kHeaderSize];
  std::copy(kMagic, kMagic + 4, header);
  PutU32(header + 4, static_cast<uint32_t>(value.size()));
  PutU32(header + 8, Crc32(value));

  const std::string temp = directory_ + "/" + TempName(key);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status(ErrorCode::kUnavailable, "cannot create the temporary file");
  Observe(StoreStep::kTempCreated);
  const size_t half = value.size() / 2;
  bool ok = WriteAll(fd, header, kHeaderSize) && WriteAll(fd, value.data(), half);
  if (ok) Observe(StoreStep::kTempHalfWritten);
  ok = ok && WriteAll(fd, value.data() + half, value.size() - half);
  if (ok) Observe(StoreStep::kTempWritten);
  ok = ok && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(temp.c_str());
    return Status(ErrorCode::kUnavailable, "writing the temporary file failed");
  }
  Observe(StoreStep::kTempSynced);
  if (::rename(temp.c_str(), (directory_ + "/" + std::string(key)).c_str()) != 0) {
    ::unlink(temp.c_str());
    return Status(ErrorCode::kUnavailable, "renaming the temporary file failed");
  }
  Observe(StoreStep::kRenamed);
  TC_RETURN_IF_ERROR(SyncDirectory());
  Observe(StoreStep::kDirectorySynced);
  return Status::Ok();
}

Result<std::vector<uint8_t>> FileStore::Get(std::string_view key) const {
  if (!IsValidKey(key)) return Status(ErrorCode::kInvalidArgument, "invalid storage key");
  TC_ASSIGN_OR_RETURN(const std::vector<uint8_t> file,
                      ReadFile(directory_ + "/" + std::string(key)));
  return Unwrap(file);
}

Status FileStore::Remove(std::string_view key) {
  if (!IsValidKey(key)) return Status(ErrorCode::kInvalidArgument, "invalid storage key");
  if (::unlink((directory_ + "/" + std::string(key)).c_str()) != 0) {
    if (errno == ENOENT) return Status(ErrorCode::kNotFound, "no value stored under this key");
    return Status(ErrorCode::kUnavailable, "cannot remove the stored file");
  }
  Observe(StoreStep::kUnlinked);
  TC_RETURN_IF_ERROR(SyncDirectory());
  Observe(StoreStep::kDirectorySynced);
  return Status::Ok();
}

Result<std::vector<std::string>> FileStore::Keys() const {
  DIR* dir = ::opendir(directory_.c_str());
  if (dir == nullptr) return Status(ErrorCode::kUnavailable, "cannot list the storage directory");
  std::vector<std::string> keys;
  while (const dirent* entry = ::readdir(dir)) {
    if (IsValidKey(entry->d_name)) keys.emplace_back(entry->d_name);
  }
  ::closedir(dir);
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace tc::port::posix
