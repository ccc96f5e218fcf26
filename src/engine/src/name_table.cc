#include "tc/engine/name_table.h"

namespace tc::engine {

Result<uint8_t> NameTable::Intern(std::string_view name) {
  if (name.empty()) return kNoName;
  if (name.size() > Name::capacity()) {
    return Status(ErrorCode::kOutOfRange, "name longer than the name table holds");
  }
  size_t free = kNameCapacity;
  for (size_t i = 0; i < kNameCapacity; ++i) {
    Entry& e = entries_[i];
    if (e.references == 0) {
      if (free == kNameCapacity) free = i;
      continue;
    }
    if (e.name.view() == name) {
      // More references than containers x names per container cannot happen; stay safe anyway.
      if (e.references == UINT8_MAX) {
        return Status(ErrorCode::kResourceExhausted, "name referenced too often");
      }
      ++e.references;
      return static_cast<uint8_t>(i);
    }
  }
  if (free == kNameCapacity) {
    return Status(ErrorCode::kResourceExhausted,
                  "engine name table is full (entry names and peer uids, TC_ENGINE_NAME_CAPACITY)");
  }
  Entry& e = entries_[free];
  (void)e.name.Assign(name);
  e.references = 1;
  return static_cast<uint8_t>(free);
}

void NameTable::Release(uint8_t index) {
  if (index >= kNameCapacity || entries_[index].references == 0) return;
  if (--entries_[index].references == 0) entries_[index] = Entry{};
}

size_t NameTable::used() const {
  size_t n = 0;
  for (const Entry& e : entries_) n += e.references != 0 ? 1 : 0;
  return n;
}

}  // namespace tc::engine
