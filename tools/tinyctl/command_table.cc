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
    {"deploy", "Install an image on a device (block-wise upload)", nullptr, 7},
    {"ps", "List the containers on a device", nullptr, 7},
    {"start", "Start a container", nullptr, 7},
    {"stop", "Stop a container (graceful, then forced)", nullptr, 7},
    {"suspend", "Suspend a running container", nullptr, 7},
    {"resume", "Resume a suspended container", nullptr, 7},
    {"rm", "Remove a container and wipe its memory", nullptr, 7},
    {"config", "Change a running container's schedule or permissions", nullptr, 7},
    {"logs", "Show a container's log", nullptr, 7},
    {"top", "Live table of per-container CPU, deadlines and denials", nullptr, 7},
    {"trace", "Export the execution trace as Chrome trace JSON", nullptr, 7},
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
