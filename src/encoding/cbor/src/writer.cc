#include "tc/cbor/writer.h"

#include <bit>

#include "tc/cbor/float16.h"

namespace tc::cbor {

namespace {

constexpr Status kNoRoom(ErrorCode::kResourceExhausted, "CBOR output buffer is full");

// Writes the head for (major, argument) with an explicit additional-info/width choice.
size_t EncodeHead(uint8_t* out, uint8_t major_bits, uint8_t additional, uint64_t argument,
                  size_t width) {
  out[0] = static_cast<uint8_t>(major_bits | additional);
  for (size_t i = 0; i < width; ++i) {
    out[1 + i] = static_cast<uint8_t>(argument >> (8 * (width - 1 - i)));
  }
  return 1 + width;
}

}  // namespace

Status Writer::Put(MajorType major, uint64_t argument, std::span<const uint8_t> payload) {
  const size_t head_size = HeadSize(argument);
  if (remaining() < head_size || remaining() - head_size < payload.size()) {
    return kNoRoom.At(static_cast<uint32_t>(pos_));
  }
  const auto major_bits = static_cast<uint8_t>(static_cast<uint8_t>(major) << 5);
  uint8_t additional = 0;
  size_t width = 0;
  if (argument < 24) {
    additional = static_cast<uint8_t>(argument);
  } else {
    width = head_size - 1;
    additional = static_cast<uint8_t>(24 + std::countr_zero(width));
  }
  pos_ += EncodeHead(buffer_.data() + pos_, major_bits, additional, argument, width);
  for (size_t i = 0; i < payload.size(); ++i) buffer_[pos_ + i] = payload[i];
  pos_ += payload.size();
  return Status::Ok();
}

Status Writer::WriteUint(uint64_t value) { return Put(MajorType::kUnsigned, value, {}); }

Status Writer::WriteInt(int64_t value) {
  if (value >= 0) return WriteUint(static_cast<uint64_t>(value));
  // -1 - value without overflow for INT64_MIN.
  return WriteNegative(~static_cast<uint64_t>(value));
}

Status Writer::WriteNegative(uint64_t argument) { return Put(MajorType::kNegative, argument, {}); }

Status Writer::WriteBytes(std::span<const uint8_t> bytes) {
  return Put(MajorType::kBytes, bytes.size(), bytes);
}

Status Writer::WriteText(std::string_view text) {
  return Put(MajorType::kText, text.size(),
             {reinterpret_cast<const uint8_t*>(text.data()), text.size()});
}

Status Writer::WriteArrayHeader(uint64_t count) { return Put(MajorType::kArray, count, {}); }

Status Writer::WriteMapHeader(uint64_t pair_count) { return Put(MajorType::kMap, pair_count, {}); }

Status Writer::WriteTag(uint64_t tag) { return Put(MajorType::kTag, tag, {}); }

Status Writer::WriteBool(bool value) { return WriteSimple(value ? kSimpleTrue : kSimpleFalse); }

Status Writer::WriteNull() { return WriteSimple(kSimpleNull); }

Status Writer::WriteUndefined() { return WriteSimple(kSimpleUndefined); }

Status Writer::WriteSimple(uint8_t value) {
  if (value >= 24 && value < 32) {
    return Status(ErrorCode::kInvalidArgument, "simple values 24..31 are not well-formed");
  }
  return Put(MajorType::kSimple, value, {});
}

Status Writer::WriteFloat(double value) {
  uint16_t half = 0;
  uint32_t single = 0;
  uint8_t additional = kFloat64;
  uint64_t bits = std::bit_cast<uint64_t>(value);
  size_t width = 8;
  if (DoubleToHalfExact(value, &half)) {
    additional = kFloat16, bits = half, width = 2;
  } else if (DoubleToSingleExact(value, &single)) {
    additional = kFloat32, bits = single, width = 4;
  }
  if (remaining() < 1 + width) return kNoRoom.At(static_cast<uint32_t>(pos_));
  pos_ += EncodeHead(buffer_.data() + pos_, 0xe0, additional, bits, width);
  return Status::Ok();
}

Status Writer::WriteHead(MajorType major, uint64_t argument) {
  // Major type 7 heads are simple values (floats have WriteFloat); keep them well-formed.
  if (major == MajorType::kSimple) {
    if (argument > 0xff) return Status(ErrorCode::kInvalidArgument, "simple value above 255");
    return WriteSimple(static_cast<uint8_t>(argument));
  }
  return Put(major, argument, {});
}

Status Writer::WriteRaw(std::span<const uint8_t> bytes) {
  if (remaining() < bytes.size()) return kNoRoom.At(static_cast<uint32_t>(pos_));
  for (size_t i = 0; i < bytes.size(); ++i) buffer_[pos_ + i] = bytes[i];
  pos_ += bytes.size();
  return Status::Ok();
}

}  // namespace tc::cbor
