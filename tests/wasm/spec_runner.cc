// Runs the WebAssembly spec test suite (wast2json output) against tc_wasm and prints passed /
// failed / skipped commands per file and in total. Exit status 0 only if nothing failed.
//
// usage: wasm_spec_runner [--mvp] [--exclusions FILE] JSON...
//   --mvp  WebAssembly 1.0 instantiation (all segments checked before any is written)
#include <sys/mman.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tc/wasm/instance.h"
#include "tc/wasm/module.h"
#include "tc/wasm/thread.h"

namespace {

using json = nlohmann::json;
using tc::runtime::HostAction;
using tc::runtime::RunExit;
using tc::runtime::TrapReason;
namespace wasm = tc::wasm;

// 1 GiB (16384 pages), committed lazily: more than any spec test grows to successfully.
constexpr uint64_t kMemoryReservation = 16384ull * 65536ull;

// One linear-memory reservation; pages are committed by the OS on first touch.
struct MemoryReservation {
  uint8_t* data = nullptr;
  MemoryReservation() {
    void* p = mmap(nullptr, kMemoryReservation, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    data = p == MAP_FAILED ? nullptr : static_cast<uint8_t*>(p);
  }
  ~MemoryReservation() {
    if (data != nullptr) munmap(data, kMemoryReservation);
  }
  MemoryReservation(const MemoryReservation&) = delete;
  MemoryReservation& operator=(const MemoryReservation&) = delete;
};

struct LoadedModule {
  std::vector<uint8_t> binary;
  std::vector<uint8_t> arena_storage;
  std::vector<uint8_t> instance_storage;
  std::unique_ptr<MemoryReservation> memory;
  wasm::Arena arena;
  wasm::Arena instance_arena;
  const wasm::Module* module = nullptr;
  wasm::Instance* instance = nullptr;
};

HostAction Print(void*, wasm::HostCall&) { return HostAction::kContinue; }

struct Counts {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
};

std::vector<std::string> g_exclusions;  // "file.json:line" or "file.json" patterns

class SpecRunner {
 public:
  SpecRunner(std::string dir, std::string file, bool mvp)
      : dir_(std::move(dir)), file_(std::move(file)), mvp_(mvp) {
    SetUpSpectest();
  }

  Counts Run(const json& commands);

 private:
  void SetUpSpectest();
  bool Excluded(int line) const;
  void Fail(int line, const std::string& why) {
    ++counts_.failed;
    std::cout << "  FAIL " << file_ << ":" << line << ": " << why << "\n";
  }
  // Decodes a module file; returns the status (OK or error).
  tc::Status Decode(const std::string& filename, LoadedModule& m);
  tc::Status Link(LoadedModule& m, std::vector<wasm::Extern>& externs);
  // Instantiates and runs the start function. Returns "" on success, otherwise the error kind:
  // "link", "trap".
  std::string Instantiate(LoadedModule& m, std::string* detail);
  wasm::Instance* Target(const json& action);
  // Runs an action; returns the exit and fills results / trap.
  RunExit Invoke(const json& action, std::vector<wasm::Slot>& results, TrapReason& trap,
                 std::string& error);
  RunExit RunThread(const wasm::Function& f, const std::vector<wasm::Slot>& args,
                    std::vector<wasm::Slot>& results, TrapReason& trap);
  bool Matches(const json& expected, wasm::Slot actual);

  std::string dir_;
  std::string file_;
  bool mvp_;
  Counts counts_;
  std::vector<std::unique_ptr<LoadedModule>> modules_;
  std::map<std::string, wasm::Instance*> named_;
  std::map<std::string, wasm::Instance*> registered_;
  wasm::Instance* current_ = nullptr;

  // The `spectest` module.
  wasm::FuncType print_types_[7];
  wasm::ValType print_params_[7][2];
  wasm::Function print_functions_[7];
  std::map<std::string, wasm::Extern> spectest_;
  wasm::Global spectest_globals_[4];
  wasm::Table spectest_table_;
  const wasm::Function* spectest_table_elements_[20] = {};
  wasm::Memory spectest_memory_;
  MemoryReservation spectest_memory_storage_;
  std::vector<wasm::Slot> stack_ = std::vector<wasm::Slot>(1 << 20);
  std::vector<wasm::Frame> frames_ = std::vector<wasm::Frame>(20000);
};

void SpecRunner::SetUpSpectest() {
  using wasm::ValType;
  struct P {
    const char* name;
    std::vector<ValType> params;
  };
  const P prints[7] = {{"print", {}},
                       {"print_i32", {ValType::kI32}},
                       {"print_i64", {ValType::kI64}},
                       {"print_f32", {ValType::kF32}},
                       {"print_f64", {ValType::kF64}},
                       {"print_i32_f32", {ValType::kI32, ValType::kF32}},
                       {"print_f64_f64", {ValType::kF64, ValType::kF64}}};
  for (int i = 0; i < 7; ++i) {
    for (size_t k = 0; k < prints[i].params.size(); ++k) print_params_[i][k] = prints[i].params[k];
    print_types_[i] = {print_params_[i], static_cast<uint16_t>(prints[i].params.size()), 0};
    print_functions_[i] = {&print_types_[i], nullptr, nullptr, Print, nullptr};
    wasm::Extern e;
    e.kind = wasm::ExternKind::kFunction;
    e.function = &print_functions_[i];
    spectest_[prints[i].name] = e;
  }
  const char* global_names[4] = {"global_i32", "global_i64", "global_f32", "global_f64"};
  const ValType global_types[4] = {ValType::kI32, ValType::kI64, ValType::kF32, ValType::kF64};
  const wasm::Slot values[4] = {666, 666, wasm::SlotFromF32(666.6f), wasm::SlotFromF64(666.6)};
  for (int i = 0; i < 4; ++i) {
    spectest_globals_[i].type = {global_types[i], false};
    spectest_globals_[i].value = values[i];
    wasm::Extern e;
    e.kind = wasm::ExternKind::kGlobal;
    e.global = &spectest_globals_[i];
    spectest_[global_names[i]] = e;
  }
  spectest_table_ = {spectest_table_elements_, 10, 20, true};
  wasm::Extern table;
  table.kind = wasm::ExternKind::kTable;
  table.table = &spectest_table_;
  spectest_["table"] = table;
  spectest_memory_.data = spectest_memory_storage_.data;
  spectest_memory_.capacity = kMemoryReservation;
  spectest_memory_.pages = 1;
  spectest_memory_.accessible = wasm::kPageSize;
  spectest_memory_.has_max = true;
  spectest_memory_.max_pages = 2;
  wasm::Extern memory;
  memory.kind = wasm::ExternKind::kMemory;
  memory.memory = &spectest_memory_;
  spectest_["memory"] = memory;
}

bool SpecRunner::Excluded(int line) const {
  const std::string here = file_ + ":" + std::to_string(line);
  for (const std::string& e : g_exclusions) {
    if (e == here || e == file_) return true;
  }
  return false;
}

tc::Status SpecRunner::Decode(const std::string& filename, LoadedModule& m) {
  std::ifstream in(dir_ + "/" + filename, std::ios::binary);
  if (!in) return tc::Status(tc::ErrorCode::kNotFound, "cannot open module file");
  m.binary.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  m.arena_storage.resize(m.binary.size() * 16 + (4 << 20));
  m.arena = wasm::Arena(m.arena_storage);
  wasm::Limits limits;
  limits.max_functions = 100000;
  limits.max_locals = 100000;
  limits.max_br_table_targets = 1 << 20;
  limits.max_control_depth = 10000;
  limits.max_operand_height = 100000;
  limits.max_imports = 100000;
  limits.max_exports = 100000;
  limits.max_globals = 100000;
  limits.max_types = 100000;
  limits.max_params = 1000;
  limits.max_results = 1000;
  auto result = wasm::Decode(m.binary, m.arena, limits);
  if (!result.ok()) return result.status();
  m.module = *result;
  return tc::Status::Ok();
}

tc::Status SpecRunner::Link(LoadedModule& m, std::vector<wasm::Extern>& externs) {
  for (uint32_t i = 0; i < m.module->import_count; ++i) {
    const wasm::Import& imp = m.module->imports[i];
    const std::string module_name(reinterpret_cast<const char*>(imp.module.data), imp.module.size);
    const std::string name(reinterpret_cast<const char*>(imp.name.data), imp.name.size);
    if (module_name == "spectest") {
      auto it = spectest_.find(name);
      if (it == spectest_.end() || it->second.kind != imp.kind) {
        return tc::Status(tc::ErrorCode::kNotFound, "unknown import");
      }
      externs.push_back(it->second);
      continue;
    }
    auto it = registered_.find(module_name);
    if (it == registered_.end()) return tc::Status(tc::ErrorCode::kNotFound, "unknown import");
    auto ext = it->second->GetExport(imp.name, imp.kind);
    if (!ext.ok()) return ext.status();
    externs.push_back(*ext);
  }
  return tc::Status::Ok();
}

std::string SpecRunner::Instantiate(LoadedModule& m, std::string* detail) {
  std::vector<wasm::Extern> externs;
  tc::Status linked = Link(m, externs);
  if (!linked.ok()) {
    *detail = linked.message();
    return "link";
  }
  m.instance_storage.resize((1 << 20) + (m.module->has_table ? m.module->table.min * 8ull : 0));
  m.instance_arena = wasm::Arena(m.instance_storage);
  wasm::InstanceOptions options;
  if (m.module->has_memory && !m.module->memory_imported) {
    m.memory = std::make_unique<MemoryReservation>();
    options.memory_storage = {m.memory->data, kMemoryReservation};
  }
  options.check_segments_first = mvp_;
  TrapReason trap;
  auto instance = wasm::Instantiate(*m.module, externs, m.instance_arena, options, &trap);
  if (!instance.ok()) {
    *detail = instance.status().message();
    return instance.status().code() == tc::ErrorCode::kTrap ? "trap" : "link";
  }
  m.instance = *instance;
  if (const wasm::Function* start = wasm::StartFunction(*m.instance)) {
    std::vector<wasm::Slot> results;
    if (RunThread(*start, {}, results, trap) != RunExit::kFinished) {
      *detail = tc::runtime::ToString(trap);
      return "trap";
    }
  }
  return "";
}

wasm::Name NameOf(const std::string& s) {
  return wasm::Name{reinterpret_cast<const uint8_t*>(s.data()), static_cast<uint32_t>(s.size())};
}

wasm::Instance* SpecRunner::Target(const json& action) {
  if (action.contains("module")) {
    auto it = named_.find(action["module"].get<std::string>());
    return it == named_.end() ? nullptr : it->second;
  }
  return current_;
}

RunExit SpecRunner::RunThread(const wasm::Function& f, const std::vector<wasm::Slot>& args,
                              std::vector<wasm::Slot>& results, TrapReason& trap) {
  wasm::Thread thread(stack_, frames_);
  if (!thread.Start(f, args).ok()) {
    trap = TrapReason::kValueStackExhausted;
    return RunExit::kTrapped;
  }
  thread.set_fuel(INT64_MAX / 2);
  const RunExit exit = thread.Run();
  trap = thread.trap_reason();
  if (exit == RunExit::kFinished) {
    results.assign(thread.results().begin(), thread.results().end());
  }
  return exit;
}

wasm::Slot ParseValue(const json& v) {
  const std::string s = v["value"].get<std::string>();
  if (s.rfind("nan:", 0) == 0) return 0;
  return std::stoull(s);
}

RunExit SpecRunner::Invoke(const json& action, std::vector<wasm::Slot>& results, TrapReason& trap,
                           std::string& error) {
  wasm::Instance* target = Target(action);
  if (target == nullptr) {
    error = "no such module";
    return RunExit::kTrapped;
  }
  const std::string field = action["field"].get<std::string>();
  if (action["type"] == "get") {
    auto ext = target->GetExport(NameOf(field), wasm::ExternKind::kGlobal);
    if (!ext.ok()) {
      error = "no such global export";
      return RunExit::kTrapped;
    }
    results = {ext->global->value};
    return RunExit::kFinished;
  }
  auto ext = target->GetExport(NameOf(field), wasm::ExternKind::kFunction);
  if (!ext.ok()) {
    error = "no such function export: " + field;
    return RunExit::kTrapped;
  }
  std::vector<wasm::Slot> args;
  for (const json& a : action["args"]) args.push_back(ParseValue(a));
  return RunThread(*ext->function, args, results, trap);
}

bool SpecRunner::Matches(const json& expected, wasm::Slot actual) {
  const std::string type = expected["type"].get<std::string>();
  const std::string value = expected["value"].get<std::string>();
  if (type == "f32" && value.rfind("nan:", 0) == 0) {
    const uint32_t bits = static_cast<uint32_t>(actual);
    if ((bits & 0x7F800000u) != 0x7F800000u || (bits & 0x7FFFFFu) == 0) return false;
    return value == "nan:canonical" ? (bits & 0x7FFFFFu) == 0x400000u : (bits & 0x400000u) != 0;
  }
  if (type == "f64" && value.rfind("nan:", 0) == 0) {
    const uint64_t exp = 0x7FF0000000000000ull;
    const uint64_t frac = 0xFFFFFFFFFFFFFull;
    const uint64_t quiet = 0x8000000000000ull;
    if ((actual & exp) != exp || (actual & frac) == 0) return false;
    return value == "nan:canonical" ? (actual & frac) == quiet : (actual & quiet) != 0;
  }
  const uint64_t want = std::stoull(value);
  if (type == "i32" || type == "f32") return static_cast<uint32_t>(actual) == want;
  return actual == want;
}

Counts SpecRunner::Run(const json& commands) {
  for (const json& cmd : commands) {
    const std::string type = cmd["type"].get<std::string>();
    const int line = cmd.value("line", 0);
    if (Excluded(line)) {
      ++counts_.skipped;
      continue;
    }
    if (type == "module") {
      auto m = std::make_unique<LoadedModule>();
      tc::Status decoded = Decode(cmd["filename"].get<std::string>(), *m);
      std::string detail;
      std::string failure = decoded.ok() ? Instantiate(*m, &detail) : "decode";
      if (!decoded.ok()) {
        detail = std::string(decoded.message()) + " @" + std::to_string(decoded.position());
      }
      if (!failure.empty()) {
        Fail(line, "module failed (" + failure + "): " + detail);
        current_ = nullptr;
        continue;
      }
      current_ = m->instance;
      if (cmd.contains("name")) named_[cmd["name"].get<std::string>()] = m->instance;
      modules_.push_back(std::move(m));
      ++counts_.passed;
    } else if (type == "register") {
      wasm::Instance* target =
          cmd.contains("name") ? named_[cmd["name"].get<std::string>()] : current_;
      if (target == nullptr) {
        Fail(line, "register of an unknown module");
        continue;
      }
      registered_[cmd["as"].get<std::string>()] = target;
      ++counts_.passed;
    } else if (type == "action" || type == "assert_return" || type == "assert_trap" ||
               type == "assert_exhaustion") {
      if (!cmd.contains("action")) {
        // assert_trap on a module: instantiation must trap.
        auto m = std::make_unique<LoadedModule>();
        tc::Status decoded = Decode(cmd["filename"].get<std::string>(), *m);
        std::string detail;
        const std::string failure = decoded.ok() ? Instantiate(*m, &detail) : "decode";
        if (failure == "trap") {
          ++counts_.passed;
        } else {
          Fail(line, "expected instantiation to trap, got '" + failure + "'");
        }
        modules_.push_back(std::move(m));
        continue;
      }
      std::vector<wasm::Slot> results;
      TrapReason trap = TrapReason::kNone;
      std::string error;
      const RunExit exit = Invoke(cmd["action"], results, trap, error);
      if (!error.empty()) {
        Fail(line, error);
        continue;
      }
      if (type == "assert_trap" || type == "assert_exhaustion") {
        const bool exhausted =
            trap == TrapReason::kCallStackExhausted || trap == TrapReason::kValueStackExhausted;
        if (exit == RunExit::kTrapped && (type == "assert_trap") != exhausted) {
          ++counts_.passed;
        } else {
          Fail(line, std::string("expected a trap (") + cmd.value("text", "") + "), got " +
                         tc::runtime::ToString(exit) + " / " + tc::runtime::ToString(trap));
        }
        continue;
      }
      if (exit != RunExit::kFinished) {
        Fail(line, std::string("unexpected ") + tc::runtime::ToString(exit) + ": " +
                       tc::runtime::ToString(trap));
        continue;
      }
      if (type == "action") {
        ++counts_.passed;
        continue;
      }
      const json& expected = cmd["expected"];
      bool ok = expected.size() == results.size();
      for (size_t i = 0; ok && i < results.size(); ++i) ok = Matches(expected[i], results[i]);
      if (ok) {
        ++counts_.passed;
      } else {
        std::ostringstream os;
        os << "result mismatch: got";
        for (auto r : results) os << " " << r;
        os << ", expected " << expected.dump();
        Fail(line, os.str());
      }
    } else if (type == "assert_invalid" || type == "assert_malformed") {
      if (cmd.value("module_type", "binary") != "binary") {
        ++counts_.skipped;  // text-format modules are out of scope (spec_exclusions.txt)
        continue;
      }
      LoadedModule m;
      const tc::Status s = Decode(cmd["filename"].get<std::string>(), m);
      const tc::ErrorCode want =
          type == "assert_invalid" ? tc::ErrorCode::kInvalid : tc::ErrorCode::kMalformed;
      if (s.code() == want) {
        ++counts_.passed;
      } else {
        Fail(line, std::string("expected ") + tc::ToString(want) + " (" + cmd.value("text", "") +
                       "), got " + tc::ToString(s.code()) + ": " + s.message() + " @" +
                       std::to_string(s.position()));
      }
    } else if (type == "assert_unlinkable" || type == "assert_uninstantiable") {
      auto m = std::make_unique<LoadedModule>();
      tc::Status decoded = Decode(cmd["filename"].get<std::string>(), *m);
      if (!decoded.ok()) {
        Fail(line, std::string("module does not decode: ") + decoded.message());
        continue;
      }
      std::string detail;
      const std::string failure = Instantiate(*m, &detail);
      const bool ok = type == "assert_unlinkable" ? !failure.empty() : failure == "trap";
      if (ok) {
        ++counts_.passed;
      } else {
        Fail(line, "expected instantiation to fail (" + cmd.value("text", "") + "), got '" +
                       failure + "'");
      }
      modules_.push_back(std::move(m));
    } else {
      ++counts_.skipped;
      std::cout << "  SKIP " << file_ << ":" << line << ": unsupported command " << type << "\n";
    }
  }
  return counts_;
}

}  // namespace

int main(int argc, char** argv) {
  bool mvp = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--mvp") {
      mvp = true;
    } else if (arg == "--exclusions" && i + 1 < argc) {
      std::ifstream in(argv[++i]);
      std::string line;
      while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        g_exclusions.push_back(line.substr(0, line.find_first_of(" \t")));
      }
    } else {
      files.push_back(arg);
    }
  }
  Counts total;
  for (const std::string& path : files) {
    std::ifstream in(path);
    if (!in) {
      std::cout << "cannot read " << path << "\n";
      ++total.failed;
      continue;
    }
    const json doc = json::parse(in);
    const size_t slash = path.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
    const std::string file = doc.value("source_filename", path);
    SpecRunner runner(dir, file.substr(file.find_last_of('/') + 1), mvp);
    const Counts c = runner.Run(doc["commands"]);
    std::printf("%-40s passed %5d  failed %4d  skipped %4d\n",
                file.substr(file.find_last_of('/') + 1).c_str(), c.passed, c.failed, c.skipped);
    total.passed += c.passed;
    total.failed += c.failed;
    total.skipped += c.skipped;
  }
  std::printf("TOTAL passed %d failed %d skipped %d\n", total.passed, total.failed, total.skipped);
  return total.failed == 0 ? 0 : 1;
}
