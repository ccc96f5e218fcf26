// The operator's and tenant developer's commands (PRODUCT C14): one table says which exist and
// what they do.
#pragma once

#include <span>
#include <string_view>

#include <CLI/CLI.hpp>

namespace tinyctl {

// Adds a command's options to its CLI11 subcommand and the callback that runs it; the callback
// stores the process exit code in `exit_code`.
using ConfigureFn = void (*)(CLI::App& command, int& exit_code);

struct CommandInfo {
  std::string_view name;
  std::string_view summary;
  ConfigureFn configure;
};

std::span<const CommandInfo> Commands();

// Adds every command of the table to `app`.
void RegisterCommands(CLI::App& app, int& exit_code);

// Exit codes: 0 success, 1 the operation failed or the device refused it, 2 bad usage, 3 no
// answer from the device (transport error).
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitTransport = 3;

}  // namespace tinyctl
