// WebAssembly value and function types as the decoded module stores them.
#pragma once

#include <cstdint>
#include <cstring>

namespace tc::wasm {

enum class ValType : uint8_t {
  kI32 = 0x7F,
  kI64 = 0x7E,
  kF32 = 0x7D,
  kF64 = 0x7C,
  kFuncRef = 0x70,
};

const char* ToString(ValType type);

// Parameters then results, contiguous; types compare structurally (also across modules).
struct FuncType {
  const ValType* types = nullptr;
  uint16_t param_count = 0;
  uint16_t result_count = 0;

  const ValType* params() const { return types; }
  const ValType* results() const { return types + param_count; }
  friend bool operator==(const FuncType& a, const FuncType& b) {
    return a.param_count == b.param_count && a.result_count == b.result_count &&
           (a.param_count + a.result_count == 0 ||
            std::memcmp(a.types, b.types, a.param_count + a.result_count) == 0);
  }
};

// A value as it lives in a 64-bit stack slot: i32/f32 in the low 32 bits, floats as raw bits so
// NaN payloads survive every copy.
using Slot = uint64_t;

inline Slot SlotFromF32(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  return bits;
}
inline Slot SlotFromF64(double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, 8);
  return bits;
}

enum class ExternKind : uint8_t { kFunction = 0, kTable = 1, kMemory = 2, kGlobal = 3 };

}  // namespace tc::wasm
