// `tinyctl run`: execute a module locally under the real runtime.
#pragma once

#include <CLI/CLI.hpp>

namespace tinyctl {

void ConfigureRun(CLI::App& command, int& exit_code);

}  // namespace tinyctl
