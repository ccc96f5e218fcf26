#include "command_table.h"

#include "commands.h"

#include <iostream>
#include <string>

namespace tinyctl {

namespace {

constexpr CommandInfo kCommands[] = {
    {"keygen", "Generate an Ed25519 signing key or HMAC secret (operator or tenant role)",
     ConfigureKeygen, 3},
    {"new", "Scaffold a container project (manifest, C source, CMake)", ConfigureNew, 7},
    {"build", "Manifest + wasm/eBPF code [+ data] + key -> signed image", ConfigureBuild, 3},
    {"sign", "Re-sign an image, or sign metadata / config-update CBOR", ConfigureSign, 3},
    {"sign-config", "Sign a config update (schedule/permissions) for a container",
     ConfigureSignConfig, 3},
    {"inspect", "Show an image's metadata (human-readable or --json)", ConfigureInspect, 3},
    {"verify", "Verify an image or config update against a trust store", ConfigureVerify, 3},
    {"run", "Execute a .wasm or eBPF module locally under the real runtime and gate", ConfigureRun,
     4},
    {"deploy", "Install or update an image on the device (block-wise upload, progress)",
     ConfigureDeploy, 7},
    {"ps", "List the containers on the device with their schedule and counters", ConfigurePs, 7},
    {"start", "Start a container (signed command)", ConfigureStart, 7},
    {"stop", "Stop a container, graceful then forced (signed command)", ConfigureStop, 7},
    {"suspend", "Suspend a running container (signed command)", ConfigureSuspend, 7},
    {"resume", "Resume a suspended container (signed command)", ConfigureResume, 7},
    {"rm", "Remove a container and wipe its memory (signed command)", ConfigureRm, 7},
    {"config", "Show or change a container's schedule and permissions (signed config update)",
     ConfigureConfig, 7},
    {"logs", "Show the containers' log lines; -f follows", ConfigureLogs, 7},
    {"top", "Live table of per-container CPU, deadline misses and denials", ConfigureTop, 7},
    {"trace", "Export the device's execution trace as Chrome trace JSON (Perfetto)", ConfigureTrace,
     7},
};

}  // namespace

std::span<const CommandInfo> Commands() { return kCommands; }

void RegisterCommands(CLI::App& app, int& exit_code) {
  for (const CommandInfo& info : kCommands) {
    std::string summary(info.summary);
    if (info.configure == nullptr) {
      summary += " [planned: issue #" + std::to_string(info.arrives_with_issue) + "]";
    }
    CLI::App* sub = app.add_subcommand(std::string(info.name), summary);
    if (info.configure != nullptr) {
      info.configure(*sub, exit_code);
    } else {
      // Accept any arguments so the message below, not a parse error, is what the user sees.
      sub->allow_extras();
      sub->fallthrough(false);
      sub->callback([&exit_code, info] {
        std::cerr << "tinyctl " << info.name
                  << ": not available in this build yet (planned in issue #"
                  << info.arrives_with_issue << ")\n";
        exit_code = kExitUnavailable;
      });
    }
  }
}

}  // namespace tinyctl
