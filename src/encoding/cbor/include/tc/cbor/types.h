// Vocabulary shared by the CBOR reader and writer (RFC 8949 §3).
#pragma once

#include <cstddef>
#include <cstdint>

namespace tc::cbor {

enum class MajorType : uint8_t {
  kUnsigned = 0,
  kNegative = 1,
  kBytes = 2,
  kText = 3,
  kArray = 4,
  kMap = 5,
  kTag = 6,
  kSimple = 7,  // simple values and floats
};

// Additional-information values of major type 7 (RFC 8949 §3.3).
inline constexpr uint8_t kSimpleFalse = 20;
inline constexpr uint8_t kSimpleTrue = 21;
inline constexpr uint8_t kSimpleNull = 22;
inline constexpr uint8_t kSimpleUndefined = 23;
inline constexpr uint8_t kFloat16 = 25;
inline constexpr uint8_t kFloat32 = 26;
inline constexpr uint8_t kFloat64 = 27;

// The reader keeps one counter per open array/map; this is the most it can ever track.
inline constexpr uint8_t kMaxDepthLimit = 16;

// Bytes taken by the head of an item whose argument is `argument` in shortest form.
constexpr size_t HeadSize(uint64_t argument) {
  return argument < 24            ? 1
         : argument <= 0xff       ? 2
         : argument <= 0xffff     ? 3
         : argument <= 0xffffffff ? 5
                                  : 9;
}

}  // namespace tc::cbor
