#include "tc/base/byte_writer.h"

namespace tc {

namespace {
constexpr Status kNoRoom(ErrorCode::kResourceExhausted, "output buffer is full");
}  // namespace

template <typename T, bool kBigEndian>
Status ByteWriter::WriteInt(T value) {
  if (remaining() < sizeof(T)) return kNoRoom.At(static_cast<uint32_t>(pos_));
  for (size_t i = 0; i < sizeof(T); ++i) {
    const size_t shift = kBigEndian ? (sizeof(T) - 1 - i) * 8 : i * 8;
    buffer_[pos_ + i] = static_cast<uint8_t>(value >> shift);
  }
  pos_ += sizeof(T);
  return Status::Ok();
}

Status ByteWriter::WriteU8(uint8_t value) { return WriteInt<uint8_t, false>(value); }
Status ByteWriter::WriteU16Le(uint16_t value) { return WriteInt<uint16_t, false>(value); }
Status ByteWriter::WriteU32Le(uint32_t value) { return WriteInt<uint32_t, false>(value); }
Status ByteWriter::WriteU64Le(uint64_t value) { return WriteInt<uint64_t, false>(value); }
Status ByteWriter::WriteU16Be(uint16_t value) { return WriteInt<uint16_t, true>(value); }
Status ByteWriter::WriteU32Be(uint32_t value) { return WriteInt<uint32_t, true>(value); }
Status ByteWriter::WriteU64Be(uint64_t value) { return WriteInt<uint64_t, true>(value); }

Status ByteWriter::WriteBytes(std::span<const uint8_t> bytes) {
  if (remaining() < bytes.size()) return kNoRoom.At(static_cast<uint32_t>(pos_));
  for (size_t i = 0; i < bytes.size(); ++i) buffer_[pos_ + i] = bytes[i];
  pos_ += bytes.size();
  return Status::Ok();
}

}  // namespace tc
