// tinyctl trace -o FILE [--since N] [--json]: reads the device's execution trace page by page
// and writes it as Chrome trace JSON (one row per container) for Perfetto or chrome://tracing.
#include <iostream>

#include "commands.h"
#include "paged_reader.h"
#include "tc/tools/chrome_trace.h"
#include "trace_records.h"

namespace tinyctl {

namespace {

struct TraceOptions {
  std::string output;
  uint64_t since = 0;
  bool json = false;
};

int RunTrace(const TraceOptions& o) {
  DeviceClient device(GlobalDeviceOptions());
  PagedReader reader(device, "trace", "events", {}, o.since);
  const Page page = reader.ReadAvailable();
  const TraceRecords records = ParseTraceRecords(page.records);
  const std::string document =
      tc::tools::ChromeTraceJson(records.events, [&](uint8_t slot) -> std::string {
        const auto it = records.uid_of_slot.find(slot);
        return it == records.uid_of_slot.end() ? std::string() : it->second;
      });
  WriteTextFile(o.output, document);
  if (o.json) {
    std::cout << nlohmann::json{{"file", o.output},
                                {"events", records.events.size()},
                                {"containers", records.uid_of_slot.size()},
                                {"next", reader.next()}}
                     .dump(2)
              << "\n";
    return 0;
  }
  std::cout << "wrote " << records.events.size() << " trace events of "
            << records.uid_of_slot.size() << " container(s) to " << o.output << "\n"
            << "open it in Perfetto: https://ui.perfetto.dev -> \"Open trace file\" (or in "
               "chrome://tracing); continue later with --since "
            << reader.next() << "\n";
  return 0;
}

}  // namespace

void ConfigureTrace(CLI::App& command, int& exit_code) {
  auto o = std::make_shared<TraceOptions>();
  command.add_option("-o,--output", o->output, "Chrome trace JSON file to write")->required();
  command.add_option("--since", o->since, "First trace record number to read (default 0)");
  command.add_flag("--json", o->json,
                   "Print {\"file\", \"events\", \"containers\", \"next\"} instead of the summary");
  command.callback(
      [o, &exit_code] { RunCommand("trace", exit_code, [&] { return RunTrace(*o); }); });
}

}  // namespace tinyctl
