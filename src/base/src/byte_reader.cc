#include "tc/base/byte_reader.h"

namespace tc {

namespace {
constexpr Status kTruncatedInput(ErrorCode::kTruncated, "input ends before the value");
}  // namespace

template <typename T, bool kBigEndian>
Result<T> ByteReader::ReadInt() {
  if (remaining() < sizeof(T)) return kTruncatedInput.At(static_cast<uint32_t>(pos_));
  T value = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    const size_t shift = kBigEndian ? (sizeof(T) - 1 - i) * 8 : i * 8;
    value = static_cast<T>(value | static_cast<T>(static_cast<T>(data_[pos_ + i]) << shift));
  }
  pos_ += sizeof(T);
  return value;
}

Result<uint8_t> ByteReader::ReadU8() { return ReadInt<uint8_t, false>(); }
Result<uint16_t> ByteReader::ReadU16Le() { return ReadInt<uint16_t, false>(); }
Result<uint32_t> ByteReader::ReadU32Le() { return ReadInt<uint32_t, false>(); }
Result<uint64_t> ByteReader::ReadU64Le() { return ReadInt<uint64_t, false>(); }
Result<uint16_t> ByteReader::ReadU16Be() { return ReadInt<uint16_t, true>(); }
Result<uint32_t> ByteReader::ReadU32Be() { return ReadInt<uint32_t, true>(); }
Result<uint64_t> ByteReader::ReadU64Be() { return ReadInt<uint64_t, true>(); }

Result<std::span<const uint8_t>> ByteReader::ReadBytes(size_t count) {
  if (remaining() < count) return kTruncatedInput.At(static_cast<uint32_t>(pos_));
  auto view = data_.subspan(pos_, count);
  pos_ += count;
  return view;
}

Status ByteReader::Skip(size_t count) {
  if (remaining() < count) return kTruncatedInput.At(static_cast<uint32_t>(pos_));
  pos_ += count;
  return Status::Ok();
}

Result<uint8_t> ByteReader::PeekU8() const {
  if (empty()) return kTruncatedInput.At(static_cast<uint32_t>(pos_));
  return data_[pos_];
}

}  // namespace tc
