// The CBOR -> JSON transcoder: one loop over the items, an explicit stack of open arrays/maps.
#include "tc/cbor/json.h"

#include "tc/cbor/reader.h"

namespace tc::cbor {

namespace {

struct Level {
  uint64_t left = 0;   // items still to come (a map counts keys and values)
  uint64_t index = 0;  // items written so far
  bool map = false;
};

class Transcoder {
 public:
  Transcoder(JsonSink sink, void* context) : sink_(sink), context_(context) {}

  Status Put(std::string_view text) { return sink_(context_, text); }

  Status Unsigned(uint64_t value, bool negative_plus_one) {
    // Major type 1 carries -1 - value; print -(value + 1) without overflowing at 2^64 - 1.
    char digits[24];
    size_t n = 0;
    if (negative_plus_one) {
      if (value == UINT64_MAX) return Put("-18446744073709551616");
      ++value;
    }
    do {
      digits[sizeof digits - 1 - n++] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value != 0);
    if (negative_plus_one) digits[sizeof digits - 1 - n++] = '-';
    return Put({digits + sizeof digits - n, n});
  }

  Status Text(std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    TC_RETURN_IF_ERROR(Put("\""));
    size_t run = 0;  // start of the pending unescaped run
    for (size_t i = 0; i < text.size(); ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      TC_RETURN_IF_ERROR(Put(text.substr(run, i - run)));
      run = i + 1;
      char escape[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      switch (c) {
        case '"': TC_RETURN_IF_ERROR(Put("\\\"")); break;
        case '\\': TC_RETURN_IF_ERROR(Put("\\\\")); break;
        case '\n': TC_RETURN_IF_ERROR(Put("\\n")); break;
        case '\r': TC_RETURN_IF_ERROR(Put("\\r")); break;
        case '\t': TC_RETURN_IF_ERROR(Put("\\t")); break;
        default: TC_RETURN_IF_ERROR(Put({escape, sizeof escape})); break;
      }
    }
    TC_RETURN_IF_ERROR(Put(text.substr(run)));
    return Put("\"");
  }

  Status Hex(std::span<const uint8_t> bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    TC_RETURN_IF_ERROR(Put("\""));
    char pair[2];
    for (uint8_t b : bytes) {
      pair[0] = kHex[b >> 4];
      pair[1] = kHex[b & 15];
      TC_RETURN_IF_ERROR(Put({pair, 2}));
    }
    return Put("\"");
  }

 private:
  JsonSink sink_;
  void* context_;
};

Status CountingSink(void* context, std::string_view text) {
  *static_cast<size_t*>(context) += text.size();
  return Status::Ok();
}

}  // namespace

Status CborToJson(std::span<const uint8_t> in, JsonSink sink, void* context, uint8_t max_depth) {
  ReaderOptions options;
  options.max_depth = max_depth == 0 ? 1 : max_depth > kMaxDepthLimit ? kMaxDepthLimit : max_depth;
  options.deterministic = false;
  options.validate_utf8 = true;
  Reader r(in, options);
  Transcoder out(sink, context);
  Level stack[kMaxDepthLimit];
  size_t depth = 0;
  bool started = false;
  for (;;) {
    while (depth > 0 && stack[depth - 1].left == 0) {
      TC_RETURN_IF_ERROR(out.Put(stack[depth - 1].map ? "}" : "]"));
      --depth;
    }
    if (depth == 0 && started) break;
    started = true;

    TC_ASSIGN_OR_RETURN(Head head, r.PeekHead());
    while (head.major == MajorType::kTag) {
      TC_RETURN_IF_ERROR(r.ReadTag().status());
      TC_ASSIGN_OR_RETURN(head, r.PeekHead());
    }
    const size_t at = r.position();
    bool key = false;
    if (depth > 0) {
      Level& level = stack[depth - 1];
      key = level.map && level.index % 2 == 0;
      if (level.map && !key) {
        TC_RETURN_IF_ERROR(out.Put(":"));
      } else if (level.index > 0) {
        TC_RETURN_IF_ERROR(out.Put(","));
      }
      --level.left;
      ++level.index;
    }
    const bool integer = head.major == MajorType::kUnsigned || head.major == MajorType::kNegative;
    if (key && !integer && head.major != MajorType::kText) {
      return Status(ErrorCode::kUnsupported, "JSON: map key is neither text nor an integer",
                    static_cast<uint32_t>(at));
    }
    switch (head.major) {
      case MajorType::kUnsigned:
      case MajorType::kNegative: {
        // SkipItem validates the head (shortest form is not required here) and consumes it.
        TC_RETURN_IF_ERROR(r.SkipItem());
        if (key) TC_RETURN_IF_ERROR(out.Put("\""));
        TC_RETURN_IF_ERROR(out.Unsigned(head.argument, head.major == MajorType::kNegative));
        if (key) TC_RETURN_IF_ERROR(out.Put("\""));
        break;
      }
      case MajorType::kBytes: {
        TC_ASSIGN_OR_RETURN(const std::span<const uint8_t> bytes, r.ReadBytes());
        TC_RETURN_IF_ERROR(out.Hex(bytes));
        break;
      }
      case MajorType::kText: {
        TC_ASSIGN_OR_RETURN(const std::string_view text, r.ReadText());
        TC_RETURN_IF_ERROR(out.Text(text));
        break;
      }
      case MajorType::kArray:
      case MajorType::kMap: {
        const bool map = head.major == MajorType::kMap;
        Result<uint64_t> count = map ? r.ReadMapHeader() : r.ReadArrayHeader();
        if (!count.ok()) return count.status();
        TC_RETURN_IF_ERROR(out.Put(map ? "{" : "["));
        // The reader bounds the depth, so the stack cannot overflow.
        stack[depth++] = Level{map ? *count * 2 : *count, 0, map};
        break;
      }
      case MajorType::kSimple: {
        if (head.additional == kSimpleTrue || head.additional == kSimpleFalse) {
          TC_ASSIGN_OR_RETURN(const bool value, r.ReadBool());
          TC_RETURN_IF_ERROR(out.Put(value ? "true" : "false"));
        } else if (head.additional == kSimpleNull || head.additional == kSimpleUndefined) {
          TC_RETURN_IF_ERROR(r.SkipItem());
          TC_RETURN_IF_ERROR(out.Put("null"));
        } else {
          return Status(ErrorCode::kUnsupported,
                        head.additional >= kFloat16 && head.additional <= kFloat64
                            ? "JSON: floats are not transcoded"
                            : "JSON: simple value has no JSON form",
                        static_cast<uint32_t>(at));
        }
        break;
      }
      case MajorType::kTag: break;  // consumed above
    }
  }
  return r.ExpectEnd();
}

Result<size_t> JsonLength(std::span<const uint8_t> in, uint8_t max_depth) {
  size_t length = 0;
  TC_RETURN_IF_ERROR(CborToJson(in, &CountingSink, &length, max_depth));
  return length;
}

}  // namespace tc::cbor
