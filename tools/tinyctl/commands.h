// The configure hooks of the commands this build has (one file each: cmd_<name>.cc).
#pragma once

#include <CLI/CLI.hpp>

namespace tinyctl {

void ConfigureKeygen(CLI::App& command, int& exit_code);
void ConfigureNew(CLI::App& command, int& exit_code);
void ConfigureBuild(CLI::App& command, int& exit_code);
void ConfigureSign(CLI::App& command, int& exit_code);
void ConfigureSignConfig(CLI::App& command, int& exit_code);
void ConfigureInspect(CLI::App& command, int& exit_code);
void ConfigureVerify(CLI::App& command, int& exit_code);
void ConfigureRun(CLI::App& command, int& exit_code);

}  // namespace tinyctl
