#include "daemon.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>

#include "keys.h"
#include "tc/port/posix/crash_hook.h"

namespace tinycontainerd {

namespace fs = std::filesystem;
namespace posix = tc::port::posix;

namespace {

// While containers run, the socket is looked at this often (engine time).
constexpr uint64_t kNetworkPollUs = 1000;
// Shutdown: how long containers get to run tc_stop before the daemon exits anyway.
constexpr uint64_t kShutdownBudgetUs = 500000;
constexpr size_t kPoolAlignment = 16;

std::string Describe(const tc::Status& status) {
  return std::string(tc::ToString(status.code())) + ": " + status.message();
}

uint64_t WallClockSeconds(void*) { return static_cast<uint64_t>(std::time(nullptr)); }

uint16_t RandomMessageId() {
  uint16_t id = 0;
  posix::SystemEntropy entropy;
  (void)entropy.Fill({reinterpret_cast<uint8_t*>(&id), sizeof id});
  return id;
}

}  // namespace

Daemon::Daemon(const Options& options)
    : options_(options),
      sink_(ring_, port_, options.quiet ? nullptr : stdout),
      server_(RandomMessageId()) {}

Daemon::~Daemon() {
  // The tick thread must not reach into an engine that is being destroyed.
  port_.SetTick({});
  port_.RequestWakeAt(tc::engine::kNever);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

bool Daemon::LockStateDirectory() {
  std::error_code error;
  fs::create_directories(options_.state_dir, error);
  if (error) {
    std::fprintf(stderr, "tinycontainerd: cannot create the state directory %s: %s\n",
                 options_.state_dir.c_str(), error.message().c_str());
    return false;
  }
  // Two daemons on one state directory would overwrite each other's images.
  const std::string lock_path = (fs::path(options_.state_dir) / "lock").string();
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0 || ::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    std::fprintf(stderr, "tinycontainerd: %s: %s\n", lock_path.c_str(),
                 errno == EWOULDBLOCK ? "another tinycontainerd uses this state directory"
                                      : std::strerror(errno));
    return false;
  }
  return true;
}

bool Daemon::OpenStore() {
  const std::optional<uint64_t> crash_step = posix::CrashStepFromEnvironment();
  if (crash_step.has_value() && *crash_step == 0) {
    std::fprintf(stderr, "tinycontainerd: %s must be a positive step number\n",
                 posix::kCrashAtStepVariable);
    return false;
  }
  const fs::path state(options_.state_dir);
  tc::Result<posix::FileStore> containers = posix::FileStore::Open(
      (state / "containers").string(),
      crash_step.has_value() ? posix::CrashAtStep(*crash_step) : posix::FileStore::StepObserver{});
  tc::Result<posix::FileStore> kv = posix::FileStore::Open((state / "kv").string());
  if (!containers.ok() || !kv.ok()) {
    std::fprintf(stderr, "tinycontainerd: cannot open the store in %s: %s\n",
                 options_.state_dir.c_str(),
                 Describe(containers.ok() ? kv.status() : containers.status()).c_str());
    return false;
  }
  size_t removed =
      containers->recovery().removed_temp_files.size() + kv->recovery().removed_temp_files.size();
  std::string damaged;
  for (const posix::FileStore* files : {&*containers, &*kv}) {
    for (const std::string& key : files->recovery().damaged_keys) {
      damaged += (damaged.empty() ? "" : ", ") + key;
    }
  }
  store_.emplace(std::move(*containers), options_.max_image_kib * 1024u);
  kv_.emplace(std::move(*kv));
  std::printf("store %s: %zu images, %zu records; recovered %zu temp files; damaged: %s\n",
              options_.state_dir.c_str(), store_->image_count(), store_->record_count(), removed,
              damaged.empty() ? "none" : damaged.c_str());
  if (crash_step.has_value()) {
    std::printf("test hook: %s=%" PRIu64 " (the store exits at that durable step)\n",
                posix::kCrashAtStepVariable, *crash_step);
  }
  return true;
}

bool Daemon::LoadTrust() {
  try {
    tinyctl::LoadTrustDir(options_.trust_dir, &trust_);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tinycontainerd: --trust %s: %s\n", options_.trust_dir.c_str(), e.what());
    return false;
  }
  return true;
}

bool Daemon::LoadBoard() {
  if (options_.board.empty()) {
    std::printf("board: none (no simulated devices)\n");
    return true;
  }
  posix::BoardFileResult loaded = posix::LoadBoardFile(options_.board);
  if (!loaded.ok()) {
    std::fprintf(stderr, "tinycontainerd: --board %s\n", loaded.error.ToString().c_str());
    return false;
  }
  board_.emplace(std::move(*loaded.config), [this] { return port_.NowUs(); });
  const posix::BoardConfig& b = board_->config();
  std::printf("board %s (%s): %zu LEDs, %zu GPIO, %zu sensors, %zu I2C, %zu SPI, %zu UART\n",
              b.name.c_str(), options_.board.c_str(), b.leds.size(), b.gpio.size(),
              b.sensors.size(), b.i2c.size(), b.spi.size(), b.uart.size());
  return true;
}

bool Daemon::BuildEngine() {
  if (!runtimes_.Register(wasm_).ok() || !runtimes_.Register(ebpf_).ok()) return false;
  // The engine wants the pool 16-byte aligned: over-allocate and align the span.
  const size_t pool_size = size_t{options_.pool_kib} * 1024u;
  pool_.assign(pool_size + kPoolAlignment, 0);
  void* pool = pool_.data();
  size_t space = pool_.size();
  std::align(kPoolAlignment, pool_size, pool, space);
  engine_.emplace(port_, runtimes_, std::span<uint8_t>(static_cast<uint8_t*>(pool), pool_size));
  port_.SetTick([this] { engine_->OnTick(); });

  services_.emplace(tc::services::ServicePorts{&sink_, &entropy_, &*kv_});
  if (tc::Status s = services_->Register(*engine_); !s.ok()) {
    std::fprintf(stderr, "tinycontainerd: host services: %s\n", Describe(s).c_str());
    return false;
  }
  wasi_.emplace(*services_);
  if (tc::Status s = wasi_->Register(*engine_); !s.ok()) {
    std::fprintf(stderr, "tinycontainerd: WASI services: %s\n", Describe(s).c_str());
    return false;
  }
  endpoints_.emplace(&channels_, board_.has_value() ? &*board_ : nullptr);
  if (tc::Status s = endpoints_->Register(*engine_); !s.ok()) {
    std::fprintf(stderr, "tinycontainerd: channels and devices: %s\n", Describe(s).c_str());
    return false;
  }
  saul_.emplace(board_.has_value() ? &*board_ : nullptr);
  if (tc::Status s = saul_->Register(*engine_); !s.ok()) {
    std::fprintf(stderr, "tinycontainerd: SAUL helpers: %s\n", Describe(s).c_str());
    return false;
  }

  tc::mgmt::ManagementConfig config;
  config.name = "tinycontainerd";
  config.version = TC_VERSION;
  config.max_image_size = options_.max_image_kib * 1024u;
  config.wall_clock_s = WallClockSeconds;
  management_.emplace(*engine_, trust_, *store_, ring_, config);
  tc::Status registered = management_->Register(server_);
  if (registered.ok()) {
    devices_.emplace(board_.has_value() ? &*board_ : nullptr);
    registered = devices_->Register(server_);
  }
  if (!registered.ok()) {
    std::fprintf(stderr, "tinycontainerd: management resources: %s\n",
                 Describe(registered).c_str());
    return false;
  }
  return true;
}

int Daemon::Start() {
  if (!signals_.Install()) {
    std::fprintf(stderr, "tinycontainerd: cannot install signal handlers\n");
    return kExitStartupFailure;
  }
  if (!LockStateDirectory() || !OpenStore() || !LoadTrust() || !LoadBoard() || !BuildEngine()) {
    return kExitStartupFailure;
  }
  if (tc::Status s = transport_.Open(options_.bind, options_.port); !s.ok()) {
    std::fprintf(stderr, "tinycontainerd: udp %s:%u: %s%s%s\n", options_.bind.c_str(),
                 options_.port, s.message(), transport_.error_number() != 0 ? ": " : "",
                 transport_.error_number() != 0 ? std::strerror(transport_.error_number()) : "");
    return kExitStartupFailure;
  }
  const tc::Status restored = management_->Restore();
  PrintNotes();
  if (!restored.ok()) {
    std::printf("restore: not every container came back (%s); see the lines above\n",
                Describe(restored).c_str());
  }
  const bool v6 = options_.bind.find(':') != std::string::npos;
  std::printf("tinycontainerd listening on udp://%s%s%s:%u (%zu containers restored)\n",
              v6 ? "[" : "", options_.bind.c_str(), v6 ? "]" : "", transport_.port(),
              InstalledContainers());
  std::fflush(stdout);
  return 0;
}

size_t Daemon::InstalledContainers() const {
  size_t n = 0;
  for (const tc::engine::Container& c : engine_->containers()) {
    if (c.state != tc::engine::State::kEmpty) ++n;
  }
  return n;
}

void Daemon::ServeNetwork() {
  datagrams_ += transport_.ServePending(server_, static_cast<uint32_t>(port_.NowUs() / 1000u));
  last_network_us_ = port_.NowUs();
  SendSeparateResponses();
  PrintNotes();
}

void Daemon::SendSeparateResponses() {
  const auto now_ms = static_cast<uint32_t>(port_.NowUs() / 1000u);
  uint8_t buffer[tc::coap::kMaxReplySize];
  auto send = [this](const tc::coap::Outgoing& out) {
    // A peer that went quiet long ago may be forgotten; the server then gives the answer up.
    (void)transport_.SendTo(out.peer, out.datagram);
  };
  for (tc::coap::Outgoing out = management_->PollAnswers(server_, now_ms, buffer);
       !out.datagram.empty(); out = management_->PollAnswers(server_, now_ms, buffer)) {
    send(out);
  }
  for (tc::coap::Outgoing out = server_.Poll(now_ms, buffer); !out.datagram.empty();
       out = server_.Poll(now_ms, buffer)) {
    send(out);
  }
}

uint64_t Daemon::WaitUs(uint64_t next_wake_us) {
  const uint64_t now = port_.NowUs();
  uint64_t wait = next_wake_us == tc::engine::kNever ? tc::engine::kNever
                  : next_wake_us > now               ? next_wake_us - now
                                                     : 0;
  const uint32_t coap_ms = server_.MsUntilPoll(static_cast<uint32_t>(now / 1000u));
  if (coap_ms != UINT32_MAX) {
    // The clock is read in whole milliseconds: wake up at the start of the next one.
    const uint64_t coap_us = uint64_t{coap_ms} * 1000u + (1000u - now % 1000u);
    if (wait == tc::engine::kNever || coap_us < wait) wait = coap_us;
  }
  return wait;
}

void Daemon::PrintNotes() {
  for (uint64_t n = std::max(notes_printed_, ring_.first()); n < ring_.next(); ++n) {
    const tc::mgmt::LogLine* line = ring_.Find(n);
    if (line == nullptr || line->uid.view() != "mgmt" || options_.quiet) continue;
    const std::string text = posix::FormatConsoleLine(
        line->time_us, "mgmt", {reinterpret_cast<const uint8_t*>(line->text), line->length});
    std::fwrite(text.data(), 1, text.size(), stdout);
  }
  notes_printed_ = ring_.next();
  std::fflush(stdout);
}

int Daemon::Run() {
  const int fds[] = {transport_.fd(), signals_.fd()};
  while (signals_.received() == 0) {
    const tc::engine::StepResult step = engine_->Step();
    if (step.ran) {
      if (port_.NowUs() - last_network_us_ >= kNetworkPollUs) ServeNetwork();
      continue;
    }
    SendSeparateResponses();
    bool ready[2] = {};
    posix::WaitReadable(fds, WaitUs(step.next_wake_us), ready);
    if (ready[0]) ServeNetwork();
  }
  const int signal = signals_.received();
  StopContainers();
  PrintNotes();
  kv_->Flush();
  const uint64_t kv_errors = kv_->write_errors();
  std::printf("tinycontainerd stopped (%s): %zu containers, %" PRIu64 " datagrams served (%" PRIu64
              " rejected, %" PRIu32 " separate responses unacknowledged), %" PRIu64
              " log lines, up %.1f s%s\n",
              signal == SIGINT ? "SIGINT" : "SIGTERM", InstalledContainers(), datagrams_,
              transport_.rejected(), server_.pending().given_up(), sink_.lines(),
              static_cast<double>(port_.NowUs()) / 1e6,
              kv_errors == 0
                  ? ""
                  : (", " + std::to_string(kv_errors) + " key-value writes FAILED").c_str());
  std::fflush(stdout);
  return 0;
}

void Daemon::StopContainers() {
  // Graceful stops (tc_stop within the engine's stop timeout). The management's "started"
  // records are left alone, so the next start runs these containers again.
  for (const tc::engine::Container& c : engine_->containers()) {
    if (tc::engine::IsActive(c.state) || c.state == tc::engine::State::kSuspended) {
      (void)engine_->Stop(c.id);
    }
  }
  const uint64_t deadline = port_.NowUs() + kShutdownBudgetUs;
  while (port_.NowUs() < deadline) {
    bool stopping = false;
    for (const tc::engine::Container& c : engine_->containers()) {
      stopping = stopping || c.state == tc::engine::State::kStopping;
    }
    if (!stopping) break;
    if (!engine_->Step().ran) {
      const int none[] = {signals_.fd()};
      bool ready[1] = {};
      posix::WaitReadable(none, 1000, ready);
    }
  }
}

}  // namespace tinycontainerd
