// Engine-wide interned names: the entry-point export names and the peer container uids the
// installed containers refer to. Containers hold one-byte indices instead of 32-byte strings, so
// a name used by several containers ("tc_loop", a shared aggregator's uid) is stored once.
// Reference counted; a full table refuses the install or config update that needs a new name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tc/base/result.h"
#include "tc/image/metadata.h"

// Build-time capacity: 34 bytes of RAM per name.
#ifndef TC_ENGINE_NAME_CAPACITY
#define TC_ENGINE_NAME_CAPACITY 32
#endif

namespace tc::engine {

inline constexpr size_t kNameCapacity = TC_ENGINE_NAME_CAPACITY;
inline constexpr uint8_t kNoName = 0xFF;
static_assert(kNameCapacity < kNoName, "name indices are one byte; 0xFF means none");

class NameTable {
 public:
  using Name = image::FixedText<image::kMaxUidLength>;

  // The index of `name`, adding it (or one more reference to it). An empty name is kNoName and
  // takes no entry. kResourceExhausted when a new name finds the table full.
  Result<uint8_t> Intern(std::string_view name);
  // Drops one reference; the entry is freed with its last one. kNoName is ignored.
  void Release(uint8_t index);
  // The name at `index`; empty for kNoName.
  std::string_view View(uint8_t index) const {
    return index < kNameCapacity ? entries_[index].name.view() : std::string_view();
  }
  size_t used() const;

 private:
  struct Entry {
    Name name;
    uint8_t references = 0;
  };
  Entry entries_[kNameCapacity];
};

}  // namespace tc::engine
