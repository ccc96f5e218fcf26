// Small helpers shared by the service implementations.
#pragma once

#include <string_view>

#include "tc/engine/engine.h"

namespace tc::services::internal {

constexpr runtime::HostReply Reply(int64_t value) {
  return {runtime::HostAction::kContinue, value};
}

// The calling container's uid: the namespace of its key-value records.
inline std::string_view OwnerOf(const engine::ServiceCall& call) {
  const engine::Container* c = call.engine->Find(call.container);
  return c == nullptr ? std::string_view() : c->uid.view();
}

}  // namespace tc::services::internal
