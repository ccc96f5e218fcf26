#include "tc/port/posix/system_entropy.h"

#include <sys/random.h>

#include <cerrno>

namespace tc::port::posix {

Status SystemEntropy::Fill(std::span<uint8_t> out) {
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::getrandom(out.data() + done, out.size() - done, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status(ErrorCode::kUnavailable, "getrandom failed");
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

}  // namespace tc::port::posix
