// tinyctl logs [UID] [-f] [--json]: the containers' log lines from the device's log ring,
// optionally following new lines (polling GET /logs with since=next).
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include "commands.h"
#include "paged_reader.h"
#include "tc/manifest/units.h"
#include "text_table.h"

namespace tinyctl {

namespace {

using nlohmann::json;

struct LogsOptions {
  std::string uid;
  bool follow = false;
  std::string interval = "500ms";
  bool json = false;
};

volatile std::sig_atomic_t g_interrupted = 0;

std::string FormatLine(const json& line, bool show_uid) {
  char time[32];
  std::snprintf(time, sizeof(time), "[%10.3f]", static_cast<double>(UintField(line, "t")) / 1e6);
  std::string text = time;
  if (show_uid) text += " " + Cell(line, "uid") + ":";
  return text + " " + Cell(line, "text");
}

int RunLogs(const LogsOptions& o) {
  const std::optional<uint64_t> interval_us = tc::manifest::ParseDurationUs(o.interval);
  if (!interval_us || *interval_us < 10'000) {
    throw UsageError("--interval: expected a duration of at least 10ms, got '" + o.interval + "'");
  }
  DeviceClient device(GlobalDeviceOptions());
  std::vector<std::string> filter;
  if (!o.uid.empty()) filter.push_back(QueryParam("uid", o.uid));
  PagedReader reader(device, "logs", "lines", filter);
  std::signal(SIGINT, [](int) { g_interrupted = 1; });

  Page page = reader.ReadAvailable();
  if (o.json && !o.follow) {
    std::cout
        << json{{"next", reader.next()}, {"dropped", page.dropped}, {"lines", page.records}}.dump(2)
        << "\n";
    return 0;
  }
  for (;;) {
    if (page.dropped > 0 && !o.json) {
      std::cerr << "(" << page.dropped
                << " line(s) overwritten on the device before they were read)\n";
    }
    for (const json& line : page.records) {
      // Following with --json: one object per line (JSON Lines), so a script can stream them.
      std::cout << (o.json ? line.dump() : FormatLine(line, o.uid.empty())) << "\n";
    }
    std::cout.flush();
    if (!o.follow || g_interrupted) break;
    std::this_thread::sleep_for(std::chrono::microseconds(*interval_us));
    if (g_interrupted) break;
    page = reader.ReadAvailable();
  }
  return 0;
}

}  // namespace

void ConfigureLogs(CLI::App& command, int& exit_code) {
  auto o = std::make_shared<LogsOptions>();
  command.add_option("uid", o->uid, "Only this container's lines")->check(UidValidator());
  command.add_flag("-f,--follow", o->follow, "Keep printing new lines until Ctrl-C");
  command.add_option("--interval", o->interval, "How often -f asks the device (default 500ms)")
      ->type_name("DURATION");
  command.add_flag("--json", o->json,
                   "Print {\"next\", \"dropped\", \"lines\": [...]}; with -f one line object per "
                   "line (JSON Lines)");
  command.callback([o, &exit_code] { RunCommand("logs", exit_code, [&] { return RunLogs(*o); }); });
}

}  // namespace tinyctl
