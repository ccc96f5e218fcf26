#include "tc/services/ports.h"

namespace tc::services {

Status DeterministicEntropy::Fill(std::span<uint8_t> out) {
  for (size_t i = 0; i < out.size(); ++i) {
    if (i % 8 == 0) {
      state_ ^= state_ >> 12;
      state_ ^= state_ << 25;
      state_ ^= state_ >> 27;
    }
    out[i] = static_cast<uint8_t>((state_ * 0x2545F4914F6CDD1Dull) >> (8 * (i % 8)));
  }
  return Status::Ok();
}

}  // namespace tc::services
