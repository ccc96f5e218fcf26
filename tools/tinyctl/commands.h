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
// Device commands (docs/tinyctl.md): they talk to --device over CoAP.
void ConfigureDeploy(CLI::App& command, int& exit_code);
void ConfigurePs(CLI::App& command, int& exit_code);
void ConfigureStart(CLI::App& command, int& exit_code);
void ConfigureStop(CLI::App& command, int& exit_code);
void ConfigureSuspend(CLI::App& command, int& exit_code);
void ConfigureResume(CLI::App& command, int& exit_code);
void ConfigureRm(CLI::App& command, int& exit_code);
void ConfigureConfig(CLI::App& command, int& exit_code);
void ConfigureLogs(CLI::App& command, int& exit_code);
void ConfigureTop(CLI::App& command, int& exit_code);
void ConfigureTrace(CLI::App& command, int& exit_code);

}  // namespace tinyctl
