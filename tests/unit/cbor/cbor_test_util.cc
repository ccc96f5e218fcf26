#include "cbor_test_util.h"

#include <bit>
#include <cstdio>

#include "tc/cbor/writer.h"

namespace tc::cbor::testing {

std::vector<uint8_t> FromHex(std::string_view hex) {
  std::vector<uint8_t> out;
  int high = -1;
  for (char c : hex) {
    int v = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (v < 0) continue;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<uint8_t>(high << 4 | v));
      high = -1;
    }
  }
  return out;
}

std::string ToHex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

namespace {

std::span<const uint8_t> AsBytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

// Calls `emit` once per item (headers for arrays/maps/tags), in document order.
template <typename Emit>
Status Walk(std::span<const uint8_t> in, ReaderOptions options, Emit emit) {
  Reader r(in, options);
  while (!r.AtEnd()) {
    Result<Head> head = r.PeekHead();
    if (!head.ok()) return head.status();
    switch (head->major) {
      case MajorType::kUnsigned: {
        Result<uint64_t> v = r.ReadUint();
        if (!v.ok()) return v.status();
        emit('u', *v, {});
        break;
      }
      case MajorType::kNegative:
        TC_RETURN_IF_ERROR(r.SkipItem());
        emit('n', head->argument, {});
        break;
      case MajorType::kBytes: {
        Result<std::span<const uint8_t>> v = r.ReadBytes();
        if (!v.ok()) return v.status();
        emit('b', 0, *v);
        break;
      }
      case MajorType::kText: {
        Result<std::string_view> v = r.ReadText();
        if (!v.ok()) return v.status();
        emit('t', 0, AsBytes(*v));
        break;
      }
      case MajorType::kArray: {
        Result<uint64_t> v = r.ReadArrayHeader();
        if (!v.ok()) return v.status();
        emit('A', *v, {});
        break;
      }
      case MajorType::kMap: {
        Result<uint64_t> v = r.ReadMapHeader();
        if (!v.ok()) return v.status();
        emit('M', *v, {});
        break;
      }
      case MajorType::kTag: {
        Result<uint64_t> v = r.ReadTag();
        if (!v.ok()) return v.status();
        emit('T', *v, {});
        break;
      }
      case MajorType::kSimple:
        if (head->additional >= kFloat16 && head->additional <= kFloat64) {
          Result<double> v = r.ReadFloat();
          if (!v.ok()) return v.status();
          emit('f', std::bit_cast<uint64_t>(*v), {});
        } else {
          Result<uint8_t> v = r.ReadSimple();
          if (!v.ok()) return v.status();
          emit('s', *v, {});
        }
        break;
    }
  }
  return r.ExpectEnd();
}

}  // namespace

Status Describe(std::span<const uint8_t> in, std::string* tokens, ReaderOptions options) {
  tokens->clear();
  return Walk(in, options, [&](char kind, uint64_t value, std::span<const uint8_t> bytes) {
    if (!tokens->empty()) tokens->push_back(' ');
    tokens->push_back(kind);
    tokens->push_back(':');
    if (kind == 'b' || kind == 't') {
      *tokens += ToHex(bytes);
    } else if (kind == 'f') {
      char buf[17];
      std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
      *tokens += buf;
    } else {
      *tokens += std::to_string(value);
    }
  });
}

Status Transcode(std::span<const uint8_t> in, std::vector<uint8_t>* out, ReaderOptions options) {
  out->assign(in.size() + 16, 0);
  Writer w(*out);
  Status write_status;
  Status read_status =
      Walk(in, options, [&](char kind, uint64_t value, std::span<const uint8_t> bytes) {
        if (!write_status.ok()) return;
        switch (kind) {
          case 'u': write_status = w.WriteUint(value); break;
          case 'n': write_status = w.WriteNegative(value); break;
          case 'b': write_status = w.WriteBytes(bytes); break;
          case 't':
            write_status = w.WriteText({reinterpret_cast<const char*>(bytes.data()), bytes.size()});
            break;
          case 'A': write_status = w.WriteArrayHeader(value); break;
          case 'M': write_status = w.WriteMapHeader(value); break;
          case 'T': write_status = w.WriteTag(value); break;
          case 's': write_status = w.WriteSimple(static_cast<uint8_t>(value)); break;
          case 'f': write_status = w.WriteFloat(std::bit_cast<double>(value)); break;
        }
      });
  TC_RETURN_IF_ERROR(read_status);
  TC_RETURN_IF_ERROR(write_status);
  out->resize(w.size());
  return Status::Ok();
}

}  // namespace tc::cbor::testing
