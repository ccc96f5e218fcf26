#include "tool_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace tinyctl {

Bytes ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CommandError(path.string() + ": cannot open for reading");
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string ReadTextFile(const std::filesystem::path& path) {
  const Bytes bytes = ReadFile(path);
  return std::string(bytes.begin(), bytes.end());
}

void WriteFile(const std::filesystem::path& path, std::span<const uint8_t> bytes, unsigned mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
  if (fd < 0) throw CommandError(path.string() + ": cannot write: " + std::strerror(errno));
  // An existing file keeps its old mode under open(); secrets must not stay world-readable.
  if (::fchmod(fd, mode) != 0) {
    ::close(fd);
    throw CommandError(path.string() + ": cannot set file mode");
  }
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) {
      ::close(fd);
      throw CommandError(path.string() + ": write failed");
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) throw CommandError(path.string() + ": write failed");
}

void WriteTextFile(const std::filesystem::path& path, std::string_view text, unsigned mode) {
  WriteFile(path, {reinterpret_cast<const uint8_t*>(text.data()), text.size()}, mode);
}

std::string Hex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

Bytes FromHex(std::string_view hex, std::string_view what) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) throw CommandError(std::string(what) + ": odd number of hex digits");
  Bytes out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) throw CommandError(std::string(what) + ": not a hex string");
    out.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return out;
}

}  // namespace tinyctl
