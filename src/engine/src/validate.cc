#include "tc/engine/validate.h"

#include "tc/engine/engine.h"
#include "tc/image/metadata_codec.h"

namespace tc::engine {

Status ValidateScheduleForEngine(const image::Schedule& s) {
  TC_RETURN_IF_ERROR(image::ValidateSchedule(s));
  if (s.period_us == 0 && s.budget_us != 0) {
    return Status(ErrorCode::kUnsupported, "schedule: a budget needs a period");
  }
  return Status::Ok();
}

Status ValidateForEngine(const image::ContainerMetadata& m) {
  if (!image::IsValidUid(m.uid.view())) {
    return Status(ErrorCode::kInvalidArgument, "container uid is not valid");
  }
  if (m.entry.loop.empty() && m.entry.start.empty()) {
    return Status(ErrorCode::kInvalidArgument, "metadata names neither a loop nor a start entry");
  }
  if (m.quotas.memory_limit == 0) {
    return Status(ErrorCode::kInvalidArgument, "quotas: memory_limit is zero");
  }
  if (m.quotas.max_handles > kMaxHandles) {
    return Status(ErrorCode::kResourceExhausted, "quotas: more handles than the engine has");
  }
  TC_RETURN_IF_ERROR(ValidateScheduleForEngine(m.schedule));
  return image::ValidatePermissions(m.permissions);
}

}  // namespace tc::engine
