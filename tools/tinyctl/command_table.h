// The operator's and tenant developer's commands (PRODUCT C14): one table says which exist,
// what they do and which issue delivers the ones this build does not have yet.
#pragma once

#include <span>
#include <string_view>

#include <CLI/CLI.hpp>

namespace tinyctl {

struct CommandInfo {
  std::string_view name;
  std::string_view summary;
  int arrives_with_issue;  // 0 = available in this build
};

std::span<const CommandInfo> Commands();

// Adds every command of the table to `app`; running one that is not in this build sets
// `exit_code` to kExitUnavailable after saying so on stderr.
void RegisterCommands(CLI::App& app, int& exit_code);

// Exit codes: 0 success, 1 the operation failed, 2 bad usage, 3 command not in this build.
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitUnavailable = 3;

}  // namespace tinyctl
