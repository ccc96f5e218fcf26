// The host's random bytes (getrandom) as the services' EntropySource.
#pragma once

#include "tc/services/ports.h"

namespace tc::port::posix {

class SystemEntropy final : public services::EntropySource {
 public:
  // kUnavailable when the kernel cannot provide the bytes.
  Status Fill(std::span<uint8_t> out) override;
};

}  // namespace tc::port::posix
