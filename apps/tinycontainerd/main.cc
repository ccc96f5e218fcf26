// tinycontainerd: the TinyContainer native device (docs/native-device.md).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "daemon.h"
#include "options.h"

namespace {
constexpr int kExitUsage = 2;
}  // namespace

int main(int argc, char** argv) {
  tinycontainerd::Options options;
  options.board = tinycontainerd::DefaultBoardFile();
  CLI::App app;
  tinycontainerd::ConfigureOptions(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help exits 0; usage errors exit 2 like tinyctl's.
    return app.exit(e) == 0 ? 0 : kExitUsage;
  }

  // Line-buffered even into a pipe, so a supervisor or test sees each line as it happens.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  auto daemon = std::make_unique<tinycontainerd::Daemon>(options);
  if (const int failed = daemon->Start(); failed != 0) return failed;
  return daemon->Run();
}
