#include "tc/runtime/runtime.h"

namespace tc::runtime {

const char* ToString(Entry entry) {
  switch (entry) {
    case Entry::kInit: return "init";
    case Entry::kLoop: return "loop";
    case Entry::kStop: return "stop";
    case Entry::kStart: return "start";
  }
  return "?";
}

const char* ExportName(Entry entry) {
  switch (entry) {
    case Entry::kInit: return "tc_init";
    case Entry::kLoop: return "tc_loop";
    case Entry::kStop: return "tc_stop";
    case Entry::kStart: return "_start";
  }
  return "?";
}

Status RuntimeRegistry::Register(Runtime& runtime) {
  if (Find(runtime.type_id()) != nullptr) {
    return Status(ErrorCode::kAlreadyExists, "a runtime with this type id is already registered");
  }
  if (count_ == kCapacity) {
    return Status(ErrorCode::kResourceExhausted, "runtime registry is full");
  }
  runtimes_[count_++] = &runtime;
  return Status::Ok();
}

Runtime* RuntimeRegistry::Find(uint8_t type_id) const {
  for (size_t i = 0; i < count_; ++i) {
    if (runtimes_[i]->type_id() == type_id) return runtimes_[i];
  }
  return nullptr;
}

}  // namespace tc::runtime
