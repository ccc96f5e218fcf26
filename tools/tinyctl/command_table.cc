#include "command_table.h"

#include "commands.h"

#include <string>

namespace tinyctl {

namespace {

constexpr CommandInfo kCommands[] = {
    {"keygen", "Generate an Ed25519 signing key or HMAC secret (operator or tenant role)",
     ConfigureKeygen},
    {"new", "Scaffold a container project (manifest, C source, CMake)", ConfigureNew},
    {"build", "Manifest + wasm/eBPF code [+ data] + key -> signed image", ConfigureBuild},
    {"sign", "Re-sign an image, or sign metadata / config-update CBOR", ConfigureSign},
    {"sign-config", "Sign a config update (schedule/permissions) for a container",
     ConfigureSignConfig},
    {"inspect", "Show an image's metadata (human-readable or --json)", ConfigureInspect},
    {"verify", "Verify an image or config update against a trust store", ConfigureVerify},
    {"run", "Execute a .wasm or eBPF module locally under the real runtime and gate", ConfigureRun},
    {"deploy", "Install or update an image on the device (block-wise upload, progress)",
     ConfigureDeploy},
    {"ps", "List the containers on the device with their schedule and counters", ConfigurePs},
    {"start", "Start a container (signed command)", ConfigureStart},
    {"stop", "Stop a container, graceful then forced (signed command)", ConfigureStop},
    {"suspend", "Suspend a running container (signed command)", ConfigureSuspend},
    {"resume", "Resume a suspended container (signed command)", ConfigureResume},
    {"rm", "Remove a container and wipe its memory (signed command)", ConfigureRm},
    {"config", "Show or change a container's schedule and permissions (signed config update)",
     ConfigureConfig},
    {"logs", "Show the containers' log lines; -f follows", ConfigureLogs},
    {"top", "Live table of per-container CPU, deadline misses and denials", ConfigureTop},
    {"trace", "Export the device's execution trace as Chrome trace JSON (Perfetto)",
     ConfigureTrace},
};

}  // namespace

std::span<const CommandInfo> Commands() { return kCommands; }

void RegisterCommands(CLI::App& app, int& exit_code) {
  for (const CommandInfo& info : kCommands) {
    info.configure(*app.add_subcommand(std::string(info.name), std::string(info.summary)),
                   exit_code);
  }
}

}  // namespace tinyctl
