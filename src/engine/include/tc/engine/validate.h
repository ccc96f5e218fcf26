// Checks of policy values before the engine accepts them (at install and in config updates), so
// an unusable schedule or permission set is refused with a reason instead of misbehaving later.
#pragma once

#include "tc/base/status.h"
#include "tc/engine/policy.h"

namespace tc::engine {

Status ValidateSchedule(const Schedule& schedule);
Status ValidatePermissions(const Permissions& permissions);
Status ValidateQuotas(const Quotas& quotas);

}  // namespace tc::engine
