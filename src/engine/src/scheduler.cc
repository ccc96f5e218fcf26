// The scheduler (docs/engine.md): fixed priorities, periodic releases of tc_loop, a CPU budget
// per period, relative deadlines, round-robin slices among equal priorities, and overrun
// policies. One Step() = one dispatch of one fuel quantum; time is charged from the port clock.
#include "tc/engine/engine.h"

namespace tc::engine {

namespace {

bool Runnable(const Container& c) {
  return c.state == State::kReady || c.state == State::kStopping;
}

uint64_t Min(uint64_t a, uint64_t b) { return a < b ? a : b; }

}  // namespace

void Engine::Release(Container& c, uint64_t time) {
  c.release_us = time;
  const uint64_t relative = RelativeDeadline(c.schedule);
  c.deadline_us = relative == kNever ? kNever : time + relative;
  c.deadline_missed = false;
  c.budget_used_us = 0;
  c.wait = WaitReason::kNone;
  c.wake_us = kNever;
  if (!c.activation && !BeginEntry(c, runtime::Entry::kLoop).ok()) {
    ToStopped(c);
    return;
  }
  if (c.schedule.period_us != 0) Trace(c, TraceKind::kRelease, 0, 0, time);
  SetState(c, State::kReady);
}

void Engine::ScheduleNextRelease(Container& c, uint64_t now) {
  const uint64_t period = c.schedule.period_us;
  if (period == 0) {
    // Not periodic: tc_loop runs again as soon as the CPU is free.
    Release(c, now);
    return;
  }
  uint64_t next = c.release_us + period;
  if (next <= now) {
    // Releases that passed while the activation was late are skipped, not queued up.
    next = c.release_us + period * ((now - c.release_us) / period + 1);
  }
  c.wait = WaitReason::kRelease;
  c.wake_us = next;
  SetState(c, State::kSleeping);
}

void Engine::CheckDeadline(Container& c, uint64_t now) {
  if (c.deadline_missed || c.deadline_us == kNever || now <= c.deadline_us) return;
  if (!c.activation || c.entry != runtime::Entry::kLoop) return;
  c.deadline_missed = true;
  ++c.counters.deadline_misses;
  const uint64_t late = now - c.deadline_us;
  Trace(c, TraceKind::kDeadlineMiss, 0,
        late > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(late), now);
}

void Engine::ProcessTimers(uint64_t now) {
  for (Container& c : slots_) {
    switch (c.state) {
      case State::kSleeping:
        if (c.wake_us > now) break;
        if (c.wait == WaitReason::kRelease) {
          Release(c, c.wake_us);
        } else {
          c.wait = WaitReason::kNone;
          c.wake_us = kNever;
          SetState(c, State::kReady);
        }
        break;
      case State::kThrottled:
        if (c.wake_us > now) break;
        // A new period: fresh budget and deadline; the unfinished activation continues.
        c.release_us = c.wake_us;
        c.deadline_us = c.release_us + RelativeDeadline(c.schedule);
        c.deadline_missed = false;
        c.budget_used_us = 0;
        c.wake_us = kNever;
        Trace(c, TraceKind::kRelease, 0, 0, c.release_us);
        SetState(c, State::kReady);
        break;
      case State::kStopping:
        if (now >= c.stop_by_us) ToStopped(c);
        break;
      default: break;
    }
    if (IsActive(c.state)) CheckDeadline(c, now);
  }
}

Container* Engine::Pick() {
  Container* best = nullptr;
  bool best_continues = false;
  for (Container& c : slots_) {
    if (!Runnable(c)) continue;
    const uint64_t slice =
        c.schedule.slice_us != 0 ? c.schedule.slice_us : config_.default_slice_us;
    // The container that ran last keeps the CPU among its equals until its slice is used up.
    const bool continues = c.last_dispatch == dispatch_counter_ && c.slice_used_us < slice;
    if (best == nullptr || c.schedule.priority > best->schedule.priority) {
      best = &c;
      best_continues = continues;
      continue;
    }
    if (c.schedule.priority != best->schedule.priority) continue;
    if (continues != best_continues ? continues : c.last_dispatch < best->last_dispatch) {
      best = &c;
      best_continues = continues;
    }
  }
  if (best != nullptr && !best_continues) best->slice_used_us = 0;
  return best;
}

void Engine::RequestTick(const Container& running, uint64_t now) {
  uint64_t at = kNever;
  const uint8_t priority = running.schedule.priority;
  for (const Container& c : slots_) {
    if (&c == &running) continue;
    const bool waits = c.state == State::kSleeping || c.state == State::kThrottled;
    if (waits && c.schedule.priority > priority) at = Min(at, c.wake_us);
    if (Runnable(c) && c.schedule.priority == priority) {
      const uint64_t slice =
          running.schedule.slice_us != 0 ? running.schedule.slice_us : config_.default_slice_us;
      at = Min(at, now + (slice > running.slice_used_us ? slice - running.slice_used_us : 0));
    }
  }
  if (running.schedule.budget_us != 0 && running.state != State::kStopping) {
    const uint64_t budget = running.schedule.budget_us;
    at = Min(at, now + (budget > running.budget_used_us ? budget - running.budget_used_us : 0));
  }
  if (running.state == State::kStopping) at = Min(at, running.stop_by_us);
  port_.RequestWakeAt(at);
}

StepResult Engine::Step() {
  const uint64_t now = port_.NowUs();
  ProcessTimers(now);
  Container* c = Pick();
  if (c == nullptr) {
    uint64_t next = kNever;
    for (const Container& w : slots_) {
      if (w.state == State::kSleeping || w.state == State::kThrottled) next = Min(next, w.wake_us);
    }
    port_.RequestWakeAt(next);
    return {false, next};
  }
  RequestTick(*c, now);
  c->last_dispatch = ++dispatch_counter_;
  if (c->state != State::kStopping) SetState(*c, State::kRunning);
  preemptible_.store(c->instance);
  const runtime::RunReport report =
      c->resume_pending ? c->instance->Resume(c->pending_result, config_.fuel_quantum)
                        : c->instance->Run(config_.fuel_quantum);
  preemptible_.store(nullptr);
  AfterRun(*c, report, now, port_.NowUs());
  return {true, 0};
}

void Engine::OnTick() {
  runtime::Instance* instance = preemptible_.load();
  if (instance != nullptr) instance->RequestPreemption();
}

void Engine::AfterRun(Container& c, const runtime::RunReport& report, uint64_t start,
                      uint64_t end) {
  const uint64_t elapsed = end - start;
  c.counters.cpu_time_us += elapsed;
  c.budget_used_us += elapsed;
  c.slice_used_us += elapsed;
  Trace(c, TraceKind::kRun, static_cast<uint8_t>(report.exit),
        elapsed > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(elapsed), start);
  const bool stopping = c.state == State::kStopping;
  c.resume_pending = false;

  if (c.violation_stop) {
    // on_violation: stop — forced, the guest gets no further instruction.
    c.violation_stop = false;
    ToStopped(c);
    return;
  }
  switch (report.exit) {
    case runtime::RunExit::kFinished:
      CheckDeadline(c, end);
      OnFinished(c, report.result, end);
      return;
    case runtime::RunExit::kTrapped:
      ++c.counters.traps;
      c.trap = report.trap;
      c.activation = false;
      c.wait = WaitReason::kNone;
      ReleaseHandles(c, nullptr);
      SetState(c, State::kTrapped);
      return;
    case runtime::RunExit::kBlocked:
      if (c.wait == WaitReason::kExit) {
        // proc_exit: the container is finished with the code the service recorded.
        if (c.activation && c.entry == runtime::Entry::kLoop) ++c.counters.activations;
        ToStopped(c);
        return;
      }
      if (stopping) {
        // tc_stop may not wait for anything: the stop is forced.
        ToStopped(c);
        return;
      }
      c.resume_pending = true;
      switch (c.wait) {
        case WaitReason::kSleep: SetState(c, State::kSleeping); break;
        case WaitReason::kYield:
          c.wait = WaitReason::kNone;
          c.pending_result = 0;
          SetState(c, State::kReady);
          break;
        default:
          c.wait = WaitReason::kEvent;
          SetState(c, State::kBlocked);
          break;
      }
      break;
    case runtime::RunExit::kOutOfFuel:
    case runtime::RunExit::kPreempted:
      ++c.counters.preemptions;
      if (!stopping) SetState(c, State::kReady);
      break;
  }
  if (stopping) {
    if (end >= c.stop_by_us) ToStopped(c);
    return;
  }
  CheckDeadline(c, end);
  if (c.schedule.period_us != 0 && c.schedule.budget_us != 0 &&
      c.budget_used_us >= c.schedule.budget_us) {
    OnOverrun(c, end);
  }
}

void Engine::OnFinished(Container& c, int64_t result, uint64_t now) {
  const runtime::Entry entry = c.entry;
  c.activation = false;
  c.wait = WaitReason::kNone;
  switch (entry) {
    case runtime::Entry::kInit:
      if (result != 0 || !c.instance->HasEntry(runtime::Entry::kLoop)) {
        c.exit_code = result;
        ToStopped(c);
        return;
      }
      Release(c, now);
      return;
    case runtime::Entry::kLoop:
      ++c.counters.activations;
      if (result != 0) {
        // tc_loop returning non-zero asks to end the container.
        c.exit_code = result;
        ToStopped(c);
        return;
      }
      ScheduleNextRelease(c, now);
      return;
    case runtime::Entry::kStart:
    case runtime::Entry::kStop:
      c.exit_code = result;
      ToStopped(c);
      return;
  }
}

void Engine::OnOverrun(Container& c, uint64_t now) {
  ++c.counters.overruns;
  Trace(c, TraceKind::kOverrun, static_cast<uint8_t>(c.schedule.on_overrun), 0, now);
  switch (c.schedule.on_overrun) {
    case OverrunPolicy::kThrottle:
      c.wake_us = c.release_us + c.schedule.period_us;
      if (c.wake_us < now) c.wake_us = now;
      SetState(c, State::kThrottled);
      return;
    case OverrunPolicy::kStop: ToStopped(c); return;
    case OverrunPolicy::kRestart:
      if (c.restarts_since_start >= c.schedule.max_restarts) {
        ToStopped(c);
        return;
      }
      ++c.restarts_since_start;
      ++c.counters.restarts;
      ReleaseHandles(c, nullptr);
      WipeInstance(c);
      if (!Instantiate(c).ok() || !StartFresh(c, now).ok()) {
        // The image instantiated before, so this is a runtime fault: keep the container stopped.
        c.activation = false;
        SetState(c, State::kStopped);
      }
      return;
  }
}

}  // namespace tc::engine
