// tinyctl top [--once | --count N] [--interval 1s] [--json]: a live table of the containers'
// CPU share, deadline misses and denials. On a terminal it redraws in place (ANSI); otherwise
// (a pipe, a test) it prints one table per sample, separated by a blank line.
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <iostream>
#include <map>
#include <thread>

#include "commands.h"
#include "container_view.h"
#include "tc/manifest/units.h"
#include "text_table.h"

namespace tinyctl {

namespace {

using nlohmann::json;

struct TopOptions {
  bool once = false;
  int count = 0;  // 0: until Ctrl-C
  std::string interval = "1s";
  bool json = false;
};

volatile std::sig_atomic_t g_interrupted = 0;

struct Sample {
  uint64_t uptime_us = 0;
  std::map<std::string, uint64_t> cpu_us;  // by uid
};

// CPU share since the previous sample, or since the device started for the first one.
std::string CpuShare(const json& c, const Sample& now, const Sample* before) {
  if (!c.contains("cpu_us")) return "-";
  const std::string uid = Cell(c, "uid");
  uint64_t cpu = UintField(c, "cpu_us"), wall = now.uptime_us;
  if (before != nullptr && before->cpu_us.contains(uid) && now.uptime_us > before->uptime_us) {
    cpu -= std::min(cpu, before->cpu_us.at(uid));
    wall = now.uptime_us - before->uptime_us;
  }
  if (wall == 0) return "-";
  char text[16];
  std::snprintf(text, sizeof(text), "%.1f%%",
                100.0 * static_cast<double>(cpu) / static_cast<double>(wall));
  return text;
}

void PrintFrame(const json& status, const json& view, const Sample& now, const Sample* before,
                std::ostream& out) {
  out << Cell(status, "name") << " " << Cell(status, "version") << "  up "
      << FormatDurationUs(UintField(status, "uptime_us")) << "  containers "
      << Cell(status, "containers") << "/" << Cell(status, "slots") << "  pool free "
      << (status.contains("pool_free") ? FormatBytes(UintField(status, "pool_free")) : "-")
      << "  seq " << Cell(status, "seq") << "\n\n";
  TextTable table({"ID", "UID", "STATE", "PRIO", "PERIOD", "CPU%", "CPU", "RUNS", "MISSES",
                   "OVERRUNS", "DENIALS", "RESTARTS", "MEM"});
  for (const json& c : view["containers"]) {
    table.AddRow({Cell(c, "id"), Cell(c, "uid"), Cell(c, "state"), Cell(c, "priority"),
                  FormatDurationUs(UintField(c, "period_us")), CpuShare(c, now, before),
                  c.contains("cpu_us") ? FormatCpuUs(UintField(c, "cpu_us")) : "-",
                  Cell(c, "activations"), Cell(c, "misses"), Cell(c, "overruns"),
                  Cell(c, "denials"), Cell(c, "restarts"),
                  c.contains("memory") ? FormatBytes(UintField(c, "memory")) : "-"});
  }
  table.Print(out);
}

int RunTop(const TopOptions& o) {
  const std::optional<uint64_t> interval_us = tc::manifest::ParseDurationUs(o.interval);
  if (!interval_us || *interval_us < 50'000) {
    throw UsageError("--interval: expected a duration of at least 50ms, got '" + o.interval + "'");
  }
  const int frames = o.once ? 1 : o.count;
  const bool terminal = ::isatty(STDOUT_FILENO) != 0 && !o.json;
  DeviceClient device(GlobalDeviceOptions());
  std::signal(SIGINT, [](int) { g_interrupted = 1; });

  std::optional<Sample> before;
  for (int frame = 0; frames == 0 || frame < frames; ++frame) {
    if (frame > 0) std::this_thread::sleep_for(std::chrono::microseconds(*interval_us));
    if (g_interrupted) break;
    const json status = device.Get("status");
    const json view = FetchContainerView(device);
    Sample now;
    now.uptime_us = UintField(status, "uptime_us");
    for (const json& c : view["containers"]) now.cpu_us[Cell(c, "uid")] = UintField(c, "cpu_us");
    if (o.json) {
      json j = view;
      j["status"] = status;
      std::cout << j.dump() << "\n";
    } else {
      // Home + clear screen: the table redraws in place instead of scrolling.
      if (terminal) std::cout << "\x1b[H\x1b[2J";
      if (!terminal && frame > 0) std::cout << "\n";
      PrintFrame(status, view, now, before ? &*before : nullptr, std::cout);
    }
    std::cout.flush();
    before = now;
  }
  return 0;
}

}  // namespace

void ConfigureTop(CLI::App& command, int& exit_code) {
  auto o = std::make_shared<TopOptions>();
  command.add_flag("--once", o->once, "Print one table and exit");
  command.add_option("--count", o->count, "Print N tables and exit (default: until Ctrl-C)")
      ->check(CLI::PositiveNumber);
  command.add_option("--interval", o->interval, "Time between samples (default 1s)")
      ->type_name("DURATION");
  command.add_flag("--json", o->json,
                   "One JSON object per sample and line: {\"status\", \"containers\": [...]}");
  command.callback([o, &exit_code] { RunCommand("top", exit_code, [&] { return RunTop(*o); }); });
}

}  // namespace tinyctl
