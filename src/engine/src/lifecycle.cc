#include "tc/engine/lifecycle.h"

namespace tc::engine {

const char* ToString(State state) {
  switch (state) {
    case State::kEmpty: return "empty";
    case State::kInstalled: return "installed";
    case State::kReady: return "ready";
    case State::kRunning: return "running";
    case State::kBlocked: return "blocked";
    case State::kSleeping: return "sleeping";
    case State::kThrottled: return "throttled";
    case State::kSuspended: return "suspended";
    case State::kStopping: return "stopping";
    case State::kStopped: return "stopped";
    case State::kTrapped: return "trapped";
    case State::kRemoved: return "removed";
  }
  return "?";
}

const char* ToString(Command command) {
  switch (command) {
    case Command::kStart: return "start";
    case Command::kStop: return "stop";
    case Command::kSuspend: return "suspend";
    case Command::kResume: return "resume";
    case Command::kRemove: return "remove";
    case Command::kConfigure: return "configure";
  }
  return "?";
}

namespace {

Status Refuse(const char* message) { return Status(ErrorCode::kFailedPrecondition, message); }

Status CheckStart(State s) {
  switch (s) {
    case State::kInstalled:
    case State::kStopped:
    case State::kTrapped: return Status::Ok();
    case State::kSuspended: return Refuse("start: container is suspended; resume it instead");
    case State::kStopping: return Refuse("start: container is still stopping");
    case State::kRemoved: return Refuse("start: container was removed");
    case State::kEmpty: return Refuse("start: no container in this slot");
    default: return Refuse("start: container is already started");
  }
}

Status CheckStop(State s) {
  switch (s) {
    case State::kReady:
    case State::kRunning:
    case State::kBlocked:
    case State::kSleeping:
    case State::kThrottled:
    case State::kSuspended: return Status::Ok();
    case State::kInstalled: return Refuse("stop: container was never started");
    case State::kStopping: return Refuse("stop: container is already stopping");
    case State::kStopped: return Refuse("stop: container is already stopped");
    case State::kTrapped: return Refuse("stop: container has trapped and is not running");
    case State::kRemoved: return Refuse("stop: container was removed");
    case State::kEmpty: return Refuse("stop: no container in this slot");
  }
  return Refuse("stop: unknown state");
}

Status CheckSuspend(State s) {
  switch (s) {
    case State::kReady:
    case State::kRunning:
    case State::kBlocked:
    case State::kSleeping:
    case State::kThrottled: return Status::Ok();
    case State::kSuspended: return Refuse("suspend: container is already suspended");
    case State::kStopping: return Refuse("suspend: container is stopping");
    case State::kInstalled: return Refuse("suspend: container was never started");
    case State::kStopped: return Refuse("suspend: container is stopped");
    case State::kTrapped: return Refuse("suspend: container has trapped");
    case State::kRemoved: return Refuse("suspend: container was removed");
    case State::kEmpty: return Refuse("suspend: no container in this slot");
  }
  return Refuse("suspend: unknown state");
}

Status CheckResume(State s) {
  switch (s) {
    case State::kSuspended: return Status::Ok();
    case State::kRemoved: return Refuse("resume: container was removed");
    case State::kEmpty: return Refuse("resume: no container in this slot");
    default: return Refuse("resume: container is not suspended");
  }
}

Status CheckRemove(State s) {
  switch (s) {
    case State::kInstalled:
    case State::kStopped:
    case State::kTrapped: return Status::Ok();
    case State::kRemoved: return Refuse("remove: container was already removed");
    case State::kEmpty: return Refuse("remove: no container in this slot");
    default: return Refuse("remove: container is active; stop it first");
  }
}

Status CheckConfigure(State s) {
  switch (s) {
    case State::kRemoved: return Refuse("configure: container was removed");
    case State::kEmpty: return Refuse("configure: no container in this slot");
    default: return Status::Ok();
  }
}

}  // namespace

Status CheckCommand(Command command, State state) {
  switch (command) {
    case Command::kStart: return CheckStart(state);
    case Command::kStop: return CheckStop(state);
    case Command::kSuspend: return CheckSuspend(state);
    case Command::kResume: return CheckResume(state);
    case Command::kRemove: return CheckRemove(state);
    case Command::kConfigure: return CheckConfigure(state);
  }
  return Refuse("unknown command");
}

}  // namespace tc::engine
