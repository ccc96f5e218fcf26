// Writes random CBOR documents with tc::cbor::Writer, one per line as "<hex>\t<tokens>", for
// cbor2_docs.py to decode with cbor2 and compare. Usage: cbor_random_writer COUNT SEED
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "cbor_test_util.h"
#include "tc/cbor/float16.h"
#include "tc/cbor/writer.h"

namespace {

using tc::cbor::Writer;

constexpr uint64_t kTags[] = {6, 7, 15, 20, 1000, 1001, 40000, 65535, 65536, (1ull << 32) + 5};
const char* const kTextPieces[] = {
    "a",        "Z",           "0", " ", "\"", "\\", "\xc3\xbc", "\xe6\xb0\xb4", "\xf0\x9f\x98\x80",
    "\xdf\xbf", "\xef\xbf\xbf"};

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  // Appends one random item to `w` and its description to `tokens`.
  void Item(Writer& w, std::string& tokens, int depth) {
    const int kinds = depth < 5 ? 8 : 5;
    switch (Pick(kinds)) {
      case 0: Int(w, tokens); break;
      case 1: {
        std::vector<uint8_t> bytes(PickOf({0, 1, 5, 23, 24, 300}));
        for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng_());
        Check(w.WriteBytes(bytes));
        Token(tokens, "b:" + tc::cbor::testing::ToHex(bytes));
        break;
      }
      case 2: {
        const std::string text = Text(PickOf({3, 30, 120}));
        Check(w.WriteText(text));
        Token(tokens, "t:" + tc::cbor::testing::ToHex(
                                 {reinterpret_cast<const uint8_t*>(text.data()), text.size()}));
        break;
      }
      case 3: Float(w, tokens); break;
      case 4: Simple(w, tokens); break;
      case 5: {
        const size_t count = PickOf({0, 1, 3, 24});
        Check(w.WriteArrayHeader(count));
        Token(tokens, "A:" + std::to_string(count));
        for (size_t i = 0; i < count; ++i) Item(w, tokens, depth + 1);
        break;
      }
      case 6: Map(w, tokens, depth); break;
      default: {
        const uint64_t tag = kTags[Pick(std::size(kTags))];
        Check(w.WriteTag(tag));
        Token(tokens, "T:" + std::to_string(tag));
        Item(w, tokens, depth + 1);
      }
    }
  }

 private:
  size_t Pick(size_t n) { return static_cast<size_t>(rng_() % n); }
  size_t PickOf(std::initializer_list<size_t> options) {
    return options.begin()[Pick(options.size())];
  }
  static void Token(std::string& tokens, const std::string& token) {
    if (!tokens.empty()) tokens += ' ';
    tokens += token;
  }
  static void Check(tc::Status status) {
    if (!status.ok()) {
      std::fprintf(stderr, "write failed: %s\n", status.message());
      std::exit(2);
    }
  }

  std::string Text(size_t max_pieces) {
    std::string text;
    for (size_t i = Pick(max_pieces + 1); i > 0; --i)
      text += kTextPieces[Pick(std::size(kTextPieces))];
    return text;
  }

  void Int(Writer& w, std::string& tokens) {
    const int bits = static_cast<int>(PickOf({4, 5, 8, 9, 16, 17, 32, 33, 63, 64}));
    const uint64_t value = bits == 64 ? rng_() : rng_() & ((1ull << bits) - 1);
    if (Pick(2) == 0) {
      Check(w.WriteUint(value));
      Token(tokens, "u:" + std::to_string(value));
    } else {
      Check(w.WriteNegative(value));
      Token(tokens, "n:" + std::to_string(value));
    }
  }

  void Float(Writer& w, std::string& tokens) {
    double value = 0;
    switch (Pick(4)) {
      case 0: value = tc::cbor::HalfToDouble(static_cast<uint16_t>(rng_())); break;
      case 1: value = tc::cbor::SingleToDouble(static_cast<uint32_t>(rng_())); break;
      case 2: value = std::bit_cast<double>(rng_()); break;
      default:
        value = std::array<double, 7>{0.0, -0.0, 1.5, HUGE_VAL, -HUGE_VAL, 1e300, 1.1}[Pick(7)];
    }
    if (std::isnan(value)) value = std::bit_cast<double>(0x7ff8000000000000ull);
    Check(w.WriteFloat(value));
    char buf[24];
    std::snprintf(buf, sizeof buf, "f:%016llx",
                  static_cast<unsigned long long>(std::bit_cast<uint64_t>(value)));
    Token(tokens, buf);
  }

  void Simple(Writer& w, std::string& tokens) {
    const auto value = static_cast<uint8_t>(PickOf({0, 19, 20, 21, 22, 23, 32, 100, 255}));
    Check(w.WriteSimple(value));
    Token(tokens, "s:" + std::to_string(value));
  }

  // Keys are ints in [-24, 23] and short texts, written in bytewise order of their encoding.
  void Map(Writer& w, std::string& tokens, int depth) {
    struct Key {
      std::vector<uint8_t> encoded;
      std::string token;
    };
    std::vector<Key> keys;
    for (size_t i = PickOf({0, 1, 4, 10}); i > 0; --i) {
      Key key;
      key.encoded.resize(64);
      Writer kw(key.encoded);
      if (Pick(2) == 0) {
        const int64_t v = static_cast<int64_t>(Pick(48)) - 24;
        Check(kw.WriteInt(v));
        key.token = v >= 0 ? "u:" + std::to_string(v) : "n:" + std::to_string(-1 - v);
      } else {
        const std::string text = Text(4);
        Check(kw.WriteText(text));
        key.token = "t:" + tc::cbor::testing::ToHex(
                               {reinterpret_cast<const uint8_t*>(text.data()), text.size()});
      }
      key.encoded.resize(kw.size());
      keys.push_back(key);
    }
    std::sort(keys.begin(), keys.end(),
              [](const Key& a, const Key& b) { return a.encoded < b.encoded; });
    keys.erase(std::unique(keys.begin(), keys.end(),
                           [](const Key& a, const Key& b) { return a.encoded == b.encoded; }),
               keys.end());
    Check(w.WriteMapHeader(keys.size()));
    Token(tokens, "M:" + std::to_string(keys.size()));
    for (const Key& key : keys) {
      Check(w.WriteRaw(key.encoded));
      Token(tokens, key.token);
      Item(w, tokens, depth + 1);
    }
  }

  std::mt19937_64 rng_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s COUNT SEED\n", argv[0]);
    return 2;
  }
  const long count = std::strtol(argv[1], nullptr, 10);
  Generator generator(std::strtoull(argv[2], nullptr, 10));
  std::vector<uint8_t> buffer(1 << 20);
  for (long i = 0; i < count; ++i) {
    Writer w(buffer);
    std::string tokens;
    generator.Item(w, tokens, 0);
    std::printf("%s\t%s\n", tc::cbor::testing::ToHex(w.written()).c_str(), tokens.c_str());
  }
  return 0;
}
