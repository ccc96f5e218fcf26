// tinyctl new NAME [--runtime wasm|wasi|ebpf] [--dir DIR] [--sdk DIR]: scaffolds a container
// project like examples/ (C source, manifest.json, CMakeLists.txt using TcContainer.cmake, README).
#include <filesystem>
#include <iostream>
#include <map>
#include <string>

#include "commands.h"
#include "new_templates.h"
#include "tc/image/metadata_codec.h"
#include "tool_io.h"

namespace tinyctl {

namespace {

namespace fs = std::filesystem;

struct NewOptions {
  std::string name;
  std::string runtime = "wasm";
  std::string dir;  // default: ./NAME
  std::string sdk = TC_SOURCE_DIR;
};

std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// CMake project names are safest as identifiers; a uid may contain '.' and '-'.
std::string ProjectName(const std::string& uid) {
  std::string name = uid;
  for (char& c : name) {
    if (c == '.' || c == '-') c = '_';
  }
  return name;
}

ProjectKind KindOf(const std::string& runtime) {
  if (runtime == "wasi") return ProjectKind::kWasi;
  if (runtime == "ebpf") return ProjectKind::kEbpf;
  return ProjectKind::kWasm;
}

int RunNew(const NewOptions& o) {
  if (!tc::image::IsValidUid(o.name)) {
    throw CommandError("\"" + o.name +
                       "\" is not a valid container uid: 1..32 characters of [A-Za-z0-9._-], "
                       "the first a letter or digit (docs/metadata.md)");
  }
  const fs::path sdk = fs::absolute(o.sdk).lexically_normal();
  if (!fs::is_regular_file(sdk / "cmake" / "TcContainer.cmake") ||
      !fs::is_regular_file(sdk / "sdk" / "include" / "tinycontainer.h")) {
    throw CommandError("--sdk " + sdk.string() +
                       ": not a TinyContainer source tree (needs cmake/TcContainer.cmake and "
                       "sdk/include/tinycontainer.h)");
  }
  const fs::path dir = o.dir.empty() ? fs::path(o.name) : fs::path(o.dir);
  std::error_code error;
  if (fs::exists(dir, error)) {
    if (!fs::is_directory(dir, error)) {
      throw CommandError(dir.string() + ": exists and is not a directory");
    }
    if (!fs::is_empty(dir, error)) {
      throw CommandError(
          dir.string() +
          ": directory exists and is not empty (choose another --dir, or remove it)");
    }
  }
  fs::create_directories(dir, error);
  if (error) throw CommandError(dir.string() + ": cannot create the directory: " + error.message());

  const ProjectKind kind = KindOf(o.runtime);
  const std::map<std::string_view, std::string> values = {
      {"@UID@", o.name},
      {"@PROJECT@", ProjectName(o.name)},
      {"@TINYCONTAINER_DIR@", sdk.string()},
      {"@RUN@", std::string(RunNote(kind))},
  };
  for (const TemplateFile& file : ProjectTemplate(kind)) {
    std::string text(file.text);
    // @RUN@ first: its text contains the other placeholders.
    text = ReplaceAll(text, "@RUN@", values.at("@RUN@"));
    for (const auto& [placeholder, value] : values) text = ReplaceAll(text, placeholder, value);
    WriteTextFile(dir / file.path, text);
    std::cout << "  " << (dir / file.path).string() << "\n";
  }
  std::cout << "created " << o.runtime << " container project " << o.name << " in " << dir.string()
            << "\nnext: cmake -S " << dir.string() << " -B " << (dir / "build").string()
            << " && cmake --build " << (dir / "build").string() << "  (see "
            << (dir / "README.md").string() << ")\n";
  return 0;
}

}  // namespace

void ConfigureNew(CLI::App& command, int& exit_code) {
  auto o = std::make_shared<NewOptions>();
  command.footer(
      "Writes a C source using the guest SDK, manifest.json (uid NAME, version 1, sane quotas and "
      "schedule), a CMakeLists.txt that builds it with clang-14 through cmake/TcContainer.cmake "
      "(and signs it when given -DTC_CONTAINER_SIGNING_KEY=KEY), a README and a .gitignore. "
      "Refuses an invalid uid and a directory that exists and is not empty.");
  command.add_option("name", o->name, "Container uid (1..32 of [A-Za-z0-9._-], e.g. acme.thermo)")
      ->required();
  command
      .add_option("--runtime", o->runtime,
                  "wasm: periodic tc_init/tc_loop/tc_stop, no libc; wasi: C program with main() "
                  "and wasi-libc; ebpf: periodic eBPF program")
      ->check(CLI::IsMember({"wasm", "wasi", "ebpf"}))
      ->capture_default_str();
  command.add_option("--dir", o->dir, "Project directory (default: ./NAME)");
  command.add_option("--sdk", o->sdk, "TinyContainer source tree the project builds against")
      ->capture_default_str();
  command.callback([o, &exit_code] { RunCommand("new", exit_code, [&] { return RunNew(*o); }); });
}

}  // namespace tinyctl
