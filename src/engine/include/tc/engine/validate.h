// What the engine checks beyond the metadata rules of the image layer before it accepts a
// container or a config update: limits of this build (handle table size) and scheduling
// combinations the scheduler does not support. Refused with a reason instead of misbehaving later.
#pragma once

#include "tc/base/status.h"
#include "tc/image/metadata.h"

namespace tc::engine {

// image::ValidateSchedule plus: a budget needs a period (budgets are per period).
Status ValidateScheduleForEngine(const image::Schedule& schedule);
// The parts of the metadata the engine relies on (the image layer checked the rest).
Status ValidateForEngine(const image::ContainerMetadata& metadata);

}  // namespace tc::engine
