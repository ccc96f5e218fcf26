#include "tc/engine/validate.h"

#include "tc/engine/engine.h"

namespace tc::engine {

Status ValidateSchedule(const Schedule& s) {
  if (s.on_overrun != OverrunPolicy::kThrottle && s.on_overrun != OverrunPolicy::kStop &&
      s.on_overrun != OverrunPolicy::kRestart) {
    return Status(ErrorCode::kInvalidArgument, "schedule: unknown on_overrun policy");
  }
  if (s.period_us == 0) {
    if (s.budget_us != 0) {
      return Status(ErrorCode::kInvalidArgument, "schedule: a budget needs a period");
    }
    if (s.deadline_us != 0) {
      return Status(ErrorCode::kInvalidArgument, "schedule: a deadline needs a period");
    }
    return Status::Ok();
  }
  if (s.budget_us > s.period_us) {
    return Status(ErrorCode::kInvalidArgument, "schedule: budget is longer than the period");
  }
  if (s.deadline_us > s.period_us) {
    return Status(ErrorCode::kInvalidArgument, "schedule: deadline is longer than the period");
  }
  return Status::Ok();
}

Status ValidatePermissions(const Permissions& p) {
  if (p.on_violation != ViolationPolicy::kDeny && p.on_violation != ViolationPolicy::kStop) {
    return Status(ErrorCode::kInvalidArgument, "permissions: unknown on_violation policy");
  }
  for (size_t i = 0; i < p.endpoints.size(); ++i) {
    const uint8_t d = static_cast<uint8_t>(p.endpoints[i].direction);
    if (d < 1 || d > 3) {
      return Status(ErrorCode::kInvalidArgument,
                    "permissions: endpoint direction is not in/out/both", static_cast<uint32_t>(i));
    }
    for (size_t j = 0; j < i; ++j) {
      if (p.endpoints[j].id == p.endpoints[i].id) {
        return Status(ErrorCode::kInvalidArgument, "permissions: endpoint id declared twice",
                      static_cast<uint32_t>(i));
      }
    }
  }
  return Status::Ok();
}

Status ValidateQuotas(const Quotas& q) {
  if (q.open_handles > kMaxHandles) {
    return Status(ErrorCode::kResourceExhausted, "quotas: more open handles than the engine has");
  }
  if (q.memory_bytes == 0) {
    return Status(ErrorCode::kInvalidArgument, "quotas: memory quota is zero");
  }
  return Status::Ok();
}

}  // namespace tc::engine
