#include "tc/cbor/reader.h"

#include <bit>

#include "tc/cbor/float16.h"
#include "tc/cbor/utf8.h"

namespace tc::cbor {

namespace {

Status Error(ErrorCode code, const char* message, size_t pos) {
  return Status(code, message, static_cast<uint32_t>(pos));
}

}  // namespace

Reader::Reader(std::span<const uint8_t> data, ReaderOptions options)
    : data_(data), options_(options) {
  if (options_.max_depth > kMaxDepthLimit) options_.max_depth = kMaxDepthLimit;
}

Status Reader::DecodeHeadAt(size_t pos, Head* out) const {
  if (pos >= data_.size()) return Error(ErrorCode::kTruncated, "input ended before an item", pos);
  Head head;
  const uint8_t initial = data_[pos];
  head.major = static_cast<MajorType>(initial >> 5);
  head.additional = initial & 0x1f;
  const size_t available = data_.size() - pos - 1;

  if (head.additional < 24) {
    head.size = 1;
    head.argument = head.additional;
  } else if (head.additional <= 27) {
    const size_t length = size_t{1} << (head.additional - 24);
    if (available < length) return Error(ErrorCode::kTruncated, "item head cut short", pos);
    for (size_t i = 0; i < length; ++i) head.argument = head.argument << 8 | data_[pos + 1 + i];
    head.size = static_cast<uint8_t>(1 + length);
  } else if (head.additional < 31) {
    return Error(ErrorCode::kMalformed, "reserved additional information 28..30", pos);
  } else if (head.major == MajorType::kBytes || head.major == MajorType::kText ||
             head.major == MajorType::kArray || head.major == MajorType::kMap) {
    return Error(ErrorCode::kUnsupported, "indefinite-length items are not supported", pos);
  } else if (head.major == MajorType::kSimple) {
    return Error(ErrorCode::kMalformed, "break code outside an indefinite-length item", pos);
  } else {
    return Error(ErrorCode::kMalformed, "additional information 31 on an integer or tag", pos);
  }

  if (head.major == MajorType::kSimple) {
    if (head.additional == 24 && head.argument < 32) {
      return Error(ErrorCode::kMalformed, "simple value below 32 in two-byte form", pos);
    }
    if (options_.deterministic && FloatHasShorterForm(head.additional, head.argument)) {
      return Error(ErrorCode::kMalformed, "float not in its shortest form", pos);
    }
  } else if (options_.deterministic && head.additional >= 24 &&
             HeadSize(head.argument) != head.size) {
    return Error(ErrorCode::kMalformed, "integer, length or tag not in its shortest form", pos);
  }

  // Everything a head promises must fit in what is left: string bytes, and at least one byte per
  // array item, two per map pair and one for the item a tag applies to.
  const size_t after = available - (head.size - 1u);
  switch (head.major) {
    case MajorType::kBytes:
    case MajorType::kText:
      if (head.argument > after) {
        return Error(ErrorCode::kTruncated, "string length exceeds the remaining input", pos);
      }
      break;
    case MajorType::kArray:
      if (head.argument > after) {
        return Error(ErrorCode::kTruncated, "array count exceeds the remaining input", pos);
      }
      break;
    case MajorType::kMap:
      if (head.argument > after / 2) {
        return Error(ErrorCode::kTruncated, "map count exceeds the remaining input", pos);
      }
      break;
    case MajorType::kTag:
      if (after == 0) return Error(ErrorCode::kTruncated, "tag without an item", pos);
      break;
    default: break;
  }
  *out = head;
  return Status::Ok();
}

Status Reader::Consume(const Head& head) {
  const bool is_container = head.major == MajorType::kArray || head.major == MajorType::kMap;
  const bool opens = is_container && head.argument > 0;
  if (opens && depth_ >= options_.max_depth) {
    return Error(ErrorCode::kResourceExhausted, "nesting deeper than the configured limit", pos_);
  }
  size_t payload = 0;
  if (head.major == MajorType::kBytes || head.major == MajorType::kText) {
    payload = static_cast<size_t>(head.argument);
    if (head.major == MajorType::kText && options_.validate_utf8) {
      const size_t start = pos_ + head.size;
      const size_t bad = FindInvalidUtf8(data_.subspan(start, payload));
      if (bad != payload)
        return Error(ErrorCode::kMalformed, "text is not valid UTF-8", start + bad);
    }
  }
  pos_ += head.size + payload;
  // A tag is not an item of its container: the tagged item that follows is.
  if (head.major == MajorType::kTag) return Status::Ok();
  if (depth_ > 0) --left_[depth_ - 1];
  if (opens) {
    const size_t count = static_cast<size_t>(head.argument);
    left_[depth_++] = head.major == MajorType::kMap ? count * 2 : count;
  } else {
    while (depth_ > 0 && left_[depth_ - 1] == 0) --depth_;
  }
  return Status::Ok();
}

Result<Head> Reader::PeekHead() const {
  Head head;
  TC_RETURN_IF_ERROR(DecodeHeadAt(pos_, &head));
  return head;
}

Status Reader::Take(MajorType major, uint8_t min_additional, uint8_t max_additional,
                    const char* message, Head* head) {
  TC_RETURN_IF_ERROR(DecodeHeadAt(pos_, head));
  if (head->major != major || head->additional < min_additional ||
      head->additional > max_additional) {
    return Error(ErrorCode::kInvalid, message, pos_);
  }
  return Consume(*head);
}

Result<uint64_t> Reader::TakeArgument(MajorType major, const char* message) {
  Head head;
  TC_RETURN_IF_ERROR(Take(major, 0, 27, message, &head));
  return head.argument;
}

Result<uint64_t> Reader::ReadUint() {
  return TakeArgument(MajorType::kUnsigned, "expected an unsigned integer");
}

Result<int64_t> Reader::ReadInt() {
  Head head;
  TC_RETURN_IF_ERROR(DecodeHeadAt(pos_, &head));
  if (head.major != MajorType::kUnsigned && head.major != MajorType::kNegative) {
    return Error(ErrorCode::kInvalid, "expected an integer", pos_);
  }
  if (head.argument > static_cast<uint64_t>(INT64_MAX)) {
    return Error(ErrorCode::kOutOfRange, "integer does not fit in 64 signed bits", pos_);
  }
  TC_RETURN_IF_ERROR(Consume(head));
  const auto magnitude = static_cast<int64_t>(head.argument);
  return head.major == MajorType::kUnsigned ? magnitude : -1 - magnitude;
}

Result<std::span<const uint8_t>> Reader::ReadBytes() {
  const size_t start = pos_;
  Head head;
  TC_RETURN_IF_ERROR(Take(MajorType::kBytes, 0, 27, "expected a byte string", &head));
  return data_.subspan(start + head.size, static_cast<size_t>(head.argument));
}

Result<std::string_view> Reader::ReadText() {
  const size_t start = pos_;
  Head head;
  TC_RETURN_IF_ERROR(Take(MajorType::kText, 0, 27, "expected a text string", &head));
  return std::string_view(reinterpret_cast<const char*>(data_.data() + start + head.size),
                          static_cast<size_t>(head.argument));
}

Result<uint64_t> Reader::ReadArrayHeader() {
  return TakeArgument(MajorType::kArray, "expected an array");
}

Result<uint64_t> Reader::ReadMapHeader() { return TakeArgument(MajorType::kMap, "expected a map"); }

Result<uint64_t> Reader::ReadTag() { return TakeArgument(MajorType::kTag, "expected a tag"); }

Result<bool> Reader::ReadBool() {
  Head head;
  TC_RETURN_IF_ERROR(
      Take(MajorType::kSimple, kSimpleFalse, kSimpleTrue, "expected a boolean", &head));
  return head.additional == kSimpleTrue;
}

Status Reader::ReadNull() {
  Head head;
  return Take(MajorType::kSimple, kSimpleNull, kSimpleNull, "expected null", &head);
}

Status Reader::ReadUndefined() {
  Head head;
  return Take(MajorType::kSimple, kSimpleUndefined, kSimpleUndefined, "expected undefined", &head);
}

Result<uint8_t> Reader::ReadSimple() {
  Head head;
  TC_RETURN_IF_ERROR(Take(MajorType::kSimple, 0, 24, "expected a simple value", &head));
  return static_cast<uint8_t>(head.argument);
}

Result<double> Reader::ReadFloat() {
  Head head;
  TC_RETURN_IF_ERROR(Take(MajorType::kSimple, kFloat16, kFloat64, "expected a float", &head));
  if (head.additional == kFloat16) return HalfToDouble(static_cast<uint16_t>(head.argument));
  if (head.additional == kFloat32) return SingleToDouble(static_cast<uint32_t>(head.argument));
  return std::bit_cast<double>(head.argument);
}

Status Reader::SkipItem() {
  // Walks heads until the item that started at this depth is complete; a failure restores the
  // state so the reader is unchanged.
  const size_t start_pos = pos_;
  const size_t start_depth = depth_;
  const size_t start_left = depth_ > 0 ? left_[depth_ - 1] : 0;
  bool pending_tag = false;
  do {
    Head head;
    Status status = DecodeHeadAt(pos_, &head);
    if (status.ok()) status = Consume(head);
    if (!status.ok()) {
      pos_ = start_pos;
      depth_ = start_depth;
      if (start_depth > 0) left_[start_depth - 1] = start_left;
      return status;
    }
    pending_tag = head.major == MajorType::kTag;
  } while (depth_ > start_depth || pending_tag);
  return Status::Ok();
}

Result<std::span<const uint8_t>> Reader::ReadEncodedItem() {
  const size_t start = pos_;
  TC_RETURN_IF_ERROR(SkipItem());
  return data_.subspan(start, pos_ - start);
}

Status Reader::ExpectEnd() const {
  if (depth_ > 0) return Error(ErrorCode::kMalformed, "array or map not read to its end", pos_);
  if (!AtEnd()) return Error(ErrorCode::kMalformed, "trailing bytes after the item", pos_);
  return Status::Ok();
}

}  // namespace tc::cbor
