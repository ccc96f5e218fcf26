// The native device: the engine on the POSIX port with the host services, the management API on
// a UDP socket, the container store and key-value data in the state directory. Start() opens and
// restores everything and prints the "listening" line; Run() is the main loop until SIGINT or
// SIGTERM, then stops the containers (bounded) and prints a summary.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "devices_resource.h"
#include "options.h"
#include "tc/ebpf/ebpf_runtime.h"
#include "tc/engine/engine.h"
#include "tc/image/trust_store.h"
#include "tc/mgmt/log_ring.h"
#include "tc/mgmt/management.h"
#include "tc/net/coap/server.h"
#include "tc/port/posix/console_log_sink.h"
#include "tc/port/posix/engine_port.h"
#include "tc/port/posix/file_container_store.h"
#include "tc/port/posix/file_kv_storage.h"
#include "tc/port/posix/signal_pipe.h"
#include "tc/port/posix/simulated_board.h"
#include "tc/port/posix/system_entropy.h"
#include "tc/port/posix/udp_transport.h"
#include "tc/services/channels.h"
#include "tc/services/endpoints.h"
#include "tc/services/host_services.h"
#include "tc/services/saul.h"
#include "tc/wasi/engine_services.h"
#include "tc/wasm/wasm_runtime.h"

namespace tinycontainerd {

inline constexpr int kExitStartupFailure = 1;

class Daemon {
 public:
  explicit Daemon(const Options& options);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // 0 when the daemon is up and listening, else the exit code (the reason is on stderr).
  int Start();
  // Serves until a signal arrives, then shuts down. Returns the exit code (0).
  int Run();

 private:
  bool LockStateDirectory();
  bool OpenStore();
  bool LoadTrust();
  bool LoadBoard();
  bool BuildEngine();
  void ServeNetwork();
  // Sends the stop answers that are ready and the separate responses due for retransmission.
  void SendSeparateResponses();
  // How long the loop may wait: until the engine's next wake-up or the next retransmission.
  uint64_t WaitUs(uint64_t next_wake_us);
  // Prints management notes (log ring lines of uid "mgmt") not printed yet.
  void PrintNotes();
  void StopContainers();
  size_t InstalledContainers() const;

  const Options options_;
  tc::port::posix::SignalPipe signals_;
  int lock_fd_ = -1;
  tc::port::posix::PosixEnginePort port_;
  tc::mgmt::LogRing ring_{port_};
  tc::port::posix::ConsoleLogSink sink_;
  tc::port::posix::SystemEntropy entropy_;
  tc::image::TrustStore trust_;
  std::optional<tc::port::posix::FileContainerStore> store_;
  std::optional<tc::port::posix::FileKvStorage> kv_;
  std::optional<tc::port::posix::SimulatedBoard> board_;

  tc::wasm::WasmRuntime wasm_;
  tc::ebpf::EbpfRuntime ebpf_;
  tc::runtime::RuntimeRegistry runtimes_;
  std::vector<uint8_t> pool_;
  std::optional<tc::engine::Engine> engine_;
  std::optional<tc::services::HostServices> services_;
  std::optional<tc::wasi::EngineServices> wasi_;  // wasm32-wasi programs as containers
  tc::services::Channels channels_;
  std::optional<tc::services::Endpoints> endpoints_;
  std::optional<tc::services::SaulHelpers> saul_;  // Femto-Containers' sensor helpers for eBPF
  std::optional<tc::mgmt::Management> management_;
  std::optional<DevicesResource> devices_;
  tc::coap::Server server_;
  tc::port::posix::UdpTransport transport_;

  uint64_t notes_printed_ = 0;
  uint64_t datagrams_ = 0;
  uint64_t last_network_us_ = 0;
};

}  // namespace tinycontainerd
