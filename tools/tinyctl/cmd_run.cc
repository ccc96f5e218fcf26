// `tinyctl run MODULE [ARG...] | --invoke NAME [ARG...]` with `--fuel N --memory-limit BYTES
// --stats` (PRODUCT §5): runs `_start` of a wasm32-wasi program with the WASI subset, or one
// export.
#include "commands.h"

#include <charconv>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "command_table.h"
#include "tc/wasi/wasi.h"
#include "tc/wasm/instance.h"
#include "tc/wasm/module.h"
#include "tc/wasm/thread.h"

namespace tinyctl {

namespace {

namespace wasm = tc::wasm;
using tc::runtime::RunExit;

struct RunOptions {
  std::string module_path;
  std::string invoke;
  std::vector<std::string> args;
  int64_t fuel = -1;
  uint64_t memory_limit = 0;  // 0: the module's maximum, capped at 64 MiB
  bool stats = false;
};

constexpr uint64_t kDefaultMemoryCap = 64ull << 20;

std::string Describe(const tc::Status& status) {
  std::string text = std::string(tc::ToString(status.code())) + ": " + status.message();
  if (status.has_position()) text += " (at byte offset " + std::to_string(status.position()) + ")";
  return text;
}

std::string NameText(const wasm::Name& name) {
  return std::string(reinterpret_cast<const char*>(name.data), name.size);
}

bool ParseArg(const std::string& text, wasm::ValType type, wasm::Slot& out) {
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  switch (type) {
    case wasm::ValType::kI32:
    case wasm::ValType::kI64: {
      const bool is32 = type == wasm::ValType::kI32;
      int64_t s = 0;
      auto [p, ec] = std::from_chars(begin, end, s);
      if (ec == std::errc() && p == end) {
        if (is32 && (s < INT32_MIN || s > INT32_MAX)) {
          if (s < 0 || s > UINT32_MAX) return false;
        }
        out = is32 ? static_cast<uint32_t>(s) : static_cast<uint64_t>(s);
        return true;
      }
      uint64_t u = 0;
      auto [pu, ecu] = std::from_chars(begin, end, u);
      if (ecu != std::errc() || pu != end || is32) return false;
      out = u;
      return true;
    }
    case wasm::ValType::kF32:
    case wasm::ValType::kF64: {
      char* stop = nullptr;
      const double d = std::strtod(text.c_str(), &stop);
      if (text.empty() || *stop != '\0') return false;
      out = type == wasm::ValType::kF32 ? wasm::SlotFromF32(static_cast<float>(d))
                                        : wasm::SlotFromF64(d);
      return true;
    }
    default: return false;
  }
}

template <typename F>
std::string FormatFloat(F value) {
  if (std::isnan(value)) return std::signbit(value) ? "-nan" : "nan";
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, p);
}

std::string FormatResult(wasm::ValType type, wasm::Slot v) {
  switch (type) {
    case wasm::ValType::kI32: return std::to_string(static_cast<int32_t>(static_cast<uint32_t>(v)));
    case wasm::ValType::kI64: return std::to_string(static_cast<int64_t>(v));
    case wasm::ValType::kF32: {
      float f;
      const uint32_t bits = static_cast<uint32_t>(v);
      std::memcpy(&f, &bits, 4);
      return FormatFloat(f);
    }
    case wasm::ValType::kF64: {
      double d;
      std::memcpy(&d, &v, 8);
      return FormatFloat(d);
    }
    default: return "?";
  }
}

// WASI fds 1 and 2 go to this process's stdout and stderr.
class StdioSink final : public tc::wasi::OutputSink {
 public:
  bool Write(uint32_t fd, std::span<const uint8_t> bytes) override {
    std::ostream& out = fd == 2 ? std::cerr : std::cout;
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    return static_cast<bool>(out);
  }
};

class HostSystem final : public tc::wasi::SystemInterface {
 public:
  uint64_t NowNs(uint32_t clock_id) override {
    using namespace std::chrono;
    if (clock_id == 0) {
      return duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count();
    }
    if (clock_id == 1) {
      return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
    }
    return static_cast<uint64_t>(std::clock()) * (1000000000ull / CLOCKS_PER_SEC);
  }
  bool Random(std::span<uint8_t> out) override {
    for (uint8_t& b : out) b = static_cast<uint8_t>(device_());
    return true;
  }

 private:
  std::random_device device_;
};

int Fail(const RunOptions& o, const std::string& message) {
  std::cerr << "tinyctl run: " << o.module_path << ": " << message << "\n";
  return kExitFailure;
}

int Run(const RunOptions& o) {
  std::ifstream in(o.module_path, std::ios::binary);
  if (!in) return Fail(o, "cannot read the file");
  const std::vector<uint8_t> binary((std::istreambuf_iterator<char>(in)),
                                    std::istreambuf_iterator<char>());
  static constexpr uint8_t kMagic[4] = {0x00, 'a', 's', 'm'};
  if (binary.size() < 4 || std::memcmp(binary.data(), kMagic, 4) != 0) {
    return Fail(o, "not a WebAssembly module (eBPF objects run with the eBPF runtime, issue #5)");
  }

  wasm::Limits limits;
  std::vector<uint8_t> module_storage(binary.size() * 16 + (1 << 20));
  wasm::Arena module_arena(module_storage);
  auto decoded = wasm::Decode(binary, module_arena, limits);
  if (!decoded.ok()) return Fail(o, "module rejected: " + Describe(decoded.status()));
  const wasm::Module& module = **decoded;

  std::string unresolved;
  for (uint32_t i = 0; i < module.import_count; ++i) {
    const wasm::Import& import = module.imports[i];
    if (import.module.Equals(tc::wasi::kModuleName) && tc::wasi::Provides(import.name)) continue;
    unresolved +=
        (unresolved.empty() ? "" : ", ") + NameText(import.module) + "." + NameText(import.name);
  }
  if (!unresolved.empty()) {
    return Fail(o, "unresolved imports: " + unresolved + " (this build provides only the " +
                       tc::wasi::kModuleName + " subset of docs/wasi.md)");
  }
  std::string entry = o.invoke;
  if (entry.empty()) {
    if (module.FindExport("_start", wasm::ExternKind::kFunction) == nullptr) {
      return Fail(o, "the module exports no _start function; use --invoke NAME");
    }
    entry = "_start";
  }
  // Without --invoke the positional ARGs are the program's argv[1..]; argv[0] is the module path.
  std::vector<const char*> argv{o.module_path.c_str()};
  if (o.invoke.empty()) {
    for (const std::string& arg : o.args) argv.push_back(arg.c_str());
  }
  StdioSink sink;
  HostSystem system;
  tc::wasi::Context wasi(sink, system, argv);
  std::vector<wasm::Function> import_functions(module.import_count);
  std::vector<wasm::Extern> imports(module.import_count);
  if (tc::Status s =
          wasm::ResolveHostImports(module, wasi.host_functions(), import_functions, imports);
      !s.ok()) {
    return Fail(o, "cannot link the imports: " + Describe(s));
  }

  uint64_t quota = o.memory_limit;
  if (quota == 0 && module.has_memory) {
    const uint64_t max_pages = module.memory.has_max ? module.memory.max : 65536;
    quota = std::min<uint64_t>(max_pages * wasm::kPageSize, kDefaultMemoryCap);
    quota = std::max<uint64_t>(quota, uint64_t{module.memory.min} * wasm::kPageSize);
  }
  // Not value-initialised: instantiation zeroes what becomes accessible, growing zeroes the rest.
  std::unique_ptr<uint8_t[]> memory(module.has_memory ? new uint8_t[quota] : nullptr);
  std::vector<uint8_t> instance_storage(
      (1 << 16) + (module.has_table ? uint64_t{module.table.min} * 8 : 0) +
      module.function_count * 64ull + module.global_count * 32ull);
  wasm::Arena instance_arena(instance_storage);
  wasm::InstanceOptions options;
  options.memory_storage = {memory.get(), module.has_memory ? quota : 0};
  tc::runtime::TrapReason trap;
  auto instance = wasm::Instantiate(module, imports, instance_arena, options, &trap);
  if (!instance.ok()) {
    std::string why = Describe(instance.status());
    if (instance.status().code() == tc::ErrorCode::kTrap) {
      why += std::string(" (") + tc::runtime::ToString(trap) + ")";
    }
    return Fail(o, "instantiation failed: " + why);
  }

  std::vector<wasm::Slot> stack(1 << 16);
  std::vector<wasm::Frame> frames(1024);
  wasm::Thread thread(stack, frames);
  const int64_t fuel = o.fuel >= 0 ? o.fuel : INT64_MAX;
  thread.set_fuel(fuel);
  auto print_stats = [&] {
    if (!o.stats) return;
    std::cerr << "module bytes:      " << binary.size() << "\n"
              << "module arena used: " << module_arena.used() << "\n"
              << "fuel used:         " << (fuel - thread.fuel()) << "\n"
              << "wasm calls:        " << thread.calls() << "\n"
              << "host calls:        " << thread.host_calls() << "\n";
    if ((*instance)->memory != nullptr) {
      std::cerr << "memory pages:      " << (*instance)->memory->pages << " ("
                << (*instance)->memory->accessible << " bytes accessible, quota "
                << (*instance)->memory->capacity << ")\n";
    }
  };
  // proc_exit ends the guest with a host trap; the WASI context says it was a clean exit.
  constexpr int kProcExited = -1;
  auto finish = [&](const char* what) -> int {
    RunExit exit = thread.Run();
    if (exit == RunExit::kTrapped && wasi.exited()) return kProcExited;
    if (exit != RunExit::kFinished) {
      if (exit == RunExit::kTrapped) {
        return Fail(o,
                    std::string(what) + " trapped: " + tc::runtime::ToString(thread.trap_reason()));
      }
      if (exit == RunExit::kOutOfFuel) {
        return Fail(o,
                    std::string(what) + " ran out of fuel (--fuel " + std::to_string(fuel) + ")");
      }
      return Fail(o, std::string(what) + " stopped: " + tc::runtime::ToString(exit));
    }
    return 0;
  };
  if (const wasm::Function* start = wasm::StartFunction(**instance)) {
    if (!thread.Start(*start, {}).ok()) return Fail(o, "cannot start the start function");
    if (int rc = finish("start function"); rc != 0) {
      if (rc != kProcExited) return rc;
      print_stats();
      return static_cast<int>(wasi.exit_code());
    }
  }

  auto exported = (*instance)->GetExport(entry.c_str(), wasm::ExternKind::kFunction);
  if (!exported.ok()) return Fail(o, "no exported function named '" + entry + "'");
  const wasm::Function& function = *exported->function;
  const wasm::FuncType& type = *function.type;
  if (o.args.size() != type.param_count) {
    std::cerr << "tinyctl run: '" << entry << "' takes " << type.param_count << " argument(s), "
              << o.args.size() << " given\n";
    return kExitUsage;
  }
  std::vector<wasm::Slot> args(type.param_count);
  for (uint32_t i = 0; i < type.param_count; ++i) {
    if (!ParseArg(o.args[i], type.params()[i], args[i])) {
      std::cerr << "tinyctl run: argument " << i + 1 << " ('" << o.args[i] << "') is not a valid "
                << wasm::ToString(type.params()[i]) << "\n";
      return kExitUsage;
    }
  }
  if (tc::Status s = thread.Start(function, args); !s.ok()) return Fail(o, Describe(s));
  if (int rc = finish(entry.c_str()); rc != 0) {
    if (rc != kProcExited) return rc;
    print_stats();
    return static_cast<int>(wasi.exit_code());
  }
  const auto results = thread.results();
  for (uint32_t i = 0; i < type.result_count; ++i) {
    std::cout << FormatResult(type.results()[i], results[i]) << "\n";
  }
  print_stats();
  return 0;
}

}  // namespace

void ConfigureRun(CLI::App& command, int& exit_code) {
  auto options = std::make_shared<RunOptions>();
  command.add_option("MODULE", options->module_path, "The .wasm module to run")->required();
  command.add_option("--invoke", options->invoke,
                     "Exported function to call (default: _start with WASI)");
  command.add_option("ARG", options->args,
                     "Arguments for --invoke (decimal), else the WASI program's argv[1..]");
  command.add_option("--fuel", options->fuel, "Stop after this much fuel (out of fuel = failure)")
      ->check(CLI::NonNegativeNumber);
  command
      .add_option("--memory-limit", options->memory_limit,
                  "Linear memory quota in bytes (may be below one 64 KiB page)")
      ->check(CLI::PositiveNumber);
  command.add_flag("--stats", options->stats, "Print execution statistics on stderr");
  command.callback([options, &exit_code] { exit_code = Run(*options); });
}

}  // namespace tinyctl
