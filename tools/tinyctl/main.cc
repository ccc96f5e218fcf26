// tinyctl: the command-line client of TinyContainer (build, sign, inspect, deploy, operate).
#include <algorithm>
#include <iostream>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "command_table.h"
#include "device_client.h"
#include "tinyctl/version.h"

namespace {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// CLI11 reports an unknown command as an unexpected argument; say what the user meant instead.
int ReportUnknownCommand(std::string_view given) {
  std::cerr << "tinyctl: unknown command '" << given << "'";
  std::string_view best;
  size_t best_distance = 3;
  for (const auto& command : tinyctl::Commands()) {
    const size_t d = EditDistance(given, command.name);
    if (d < best_distance) {
      best_distance = d;
      best = command.name;
    }
  }
  if (!best.empty()) std::cerr << " — did you mean '" << best << "'?";
  std::cerr << "\nRun 'tinyctl --help' to list the commands.\n";
  return tinyctl::kExitUsage;
}

bool IsKnownCommand(std::string_view word) {
  const auto commands = tinyctl::Commands();
  return std::any_of(commands.begin(), commands.end(),
                     [word](const auto& command) { return command.name == word; });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tinyctl — build, sign, deploy and operate TinyContainer containers", "tinyctl"};
  app.set_version_flag("--version", std::string("tinyctl ") + tinyctl::kVersion);
  app.footer(
      "Device commands talk CoAP to --device (default udp://127.0.0.1:5683, or TINYCTL_DEVICE);\n"
      "modifying ones are signed with --key OPERATOR.key (or TINYCTL_KEY).\n"
      "Exit codes: 0 ok, 1 operation failed or the device refused it (the CoAP code and the\n"
      "device's diagnostic are printed), 2 bad usage, 3 no answer from the device (transport\n"
      "error).\n"
      "Run 'tinyctl COMMAND --help' for a command's options; docs/tinyctl.md has examples.");
  // Global options may also follow the command: "tinyctl ps --device udp://...".
  app.fallthrough();
  tinyctl::AddDeviceOptions(app);

  int exit_code = 0;
  tinyctl::RegisterCommands(app, exit_code);

  if (argc > 1 && argv[1][0] != '-' && !IsKnownCommand(argv[1])) {
    return ReportUnknownCommand(argv[1]);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : tinyctl::kExitUsage;
  }
  // Checked here rather than with require_subcommand so a bad global flag is reported as such.
  if (app.get_subcommands().empty()) {
    std::cerr << "tinyctl: a command is required\nRun 'tinyctl --help' to list the commands.\n";
    return tinyctl::kExitUsage;
  }
  return exit_code;
}
