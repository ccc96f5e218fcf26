#include "command_table.h"

#include <iostream>
#include <string>

namespace tinyctl {

namespace {

constexpr CommandInfo kCommands[] = {
    {"keygen", "Generate an Ed25519 signing key (operator or tenant role)", 3},
    {"new", "Scaffold a container project (manifest, C source, CMake)", 7},
    {"build", "Manifest + wasm/eBPF code [+ data] + key -> signed image", 3},
    {"sign", "Sign an unsigned image or metadata", 3},
    {"sign-config", "Sign a config update (schedule/permissions) for a container", 3},
    {"inspect", "Show an image's metadata (human-readable or --json)", 3},
    {"verify", "Verify an image against a trust store", 3},
    {"run", "Execute a .wasm or eBPF module locally under the real runtime and gate", 4},
    {"deploy", "Install an image on a device (block-wise upload)", 7},
    {"ps", "List the containers on a device", 7},
    {"start", "Start a container", 7},
    {"stop", "Stop a container (graceful, then forced)", 7},
    {"suspend", "Suspend a running container", 7},
    {"resume", "Resume a suspended container", 7},
    {"rm", "Remove a container and wipe its memory", 7},
    {"config", "Change a running container's schedule or permissions", 7},
    {"logs", "Show a container's log", 7},
    {"top", "Live table of per-container CPU, deadlines and denials", 7},
    {"trace", "Export the execution trace as Chrome trace JSON", 7},
};

}  // namespace

std::span<const CommandInfo> Commands() { return kCommands; }

void RegisterCommands(CLI::App& app, int& exit_code) {
  for (const CommandInfo& info : kCommands) {
    std::string summary(info.summary);
    if (info.arrives_with_issue != 0) {
      summary += " [planned: issue #" + std::to_string(info.arrives_with_issue) + "]";
    }
    CLI::App* sub = app.add_subcommand(std::string(info.name), summary);
    if (info.arrives_with_issue != 0) {
      // Accept any arguments so the message below, not a parse error, is what the user sees.
      sub->allow_extras();
      sub->callback([&exit_code, info] {
        std::cerr << "tinyctl " << info.name << ": not available in this build yet (planned in issue #"
                  << info.arrives_with_issue << ")\n";
        exit_code = kExitUnavailable;
      });
    }
  }
}

}  // namespace tinyctl
