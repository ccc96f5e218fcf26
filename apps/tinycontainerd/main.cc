// tinycontainerd: the TinyContainer native device (docs/native-device.md).
#include <cstdio>
#include <memory>

#include "daemon.h"
#include "options.h"

int main(int argc, char** argv) {
  tinycontainerd::Options options;
  options.board = tinycontainerd::DefaultBoardFile();
  CLI::App app;
  tinycontainerd::ConfigureOptions(app, options);
  CLI11_PARSE(app, argc, argv);

  // Line-buffered even into a pipe, so a supervisor or test sees each line as it happens.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  auto daemon = std::make_unique<tinycontainerd::Daemon>(options);
  if (const int failed = daemon->Start(); failed != 0) return failed;
  return daemon->Run();
}
