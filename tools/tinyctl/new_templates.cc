#include "new_templates.h"

namespace tinyctl {

namespace {

constexpr std::string_view kWasmSource =
    R"(/* @UID@: a periodic TinyContainer container (wasm32, no C library).
 * The engine calls tc_init once, tc_loop every schedule.period_us, tc_stop on a graceful stop.
 * Host services are in tinycontainer.h; each needs its permission in manifest.json. */
#include "tinycontainer.h"
#include "tinycontainer_text.h"

static tc_u32 activations;

TC_EXPORT("tc_init") int tc_init(void) {
  static const char kHello[] = "@UID@ started";
  (void)tc_log(kHello, sizeof kHello - 1);
  return 0;
}

TC_EXPORT("tc_loop") int tc_loop(void) {
  ++activations;
  char buffer[48];
  tc_line line = tc_line_init(buffer, sizeof buffer);
  tc_line_str(&line, "activation ");
  tc_line_u32(&line, activations);
  (void)tc_line_log(&line); /* a line dropped by the log rate limit is not an error */
  return 0;                 /* non-zero would end the container with that exit code */
}

TC_EXPORT("tc_stop") int tc_stop(void) { return 0; }
)";

constexpr std::string_view kWasmManifest = R"({
  "uid": "@UID@",
  "version": 1,
  "runtime": "wasm",
  "entry": { "init": "tc_init", "loop": "tc_loop", "stop": "tc_stop" },
  "quotas": { "memory_limit": "8KiB", "stack_bytes": "2KiB", "max_handles": 0 },
  "schedule": { "priority": 5, "period_us": "1s", "budget_us": "5ms" },
  "permissions": { "services": ["log"], "on_violation": "deny" }
}
)";

constexpr std::string_view kWasiSource =
    R"(/* @UID@: an ordinary C program for wasm32-wasi (wasi-libc). It runs once through _start:
 * `tinyctl run` runs it on the host, a device runs it with the "wasi" permission. */
#include <stdio.h>

int main(void) {
  printf("hello from %s\n", "@UID@");
  return 0;
}
)";

constexpr std::string_view kWasiManifest = R"({
  "uid": "@UID@",
  "version": 1,
  "runtime": "wasm",
  "entry": { "start": "_start" },
  "quotas": { "memory_limit": "64KiB", "stack_bytes": "4KiB", "max_handles": 0 },
  "schedule": { "priority": 5 },
  "permissions": { "services": ["wasi"], "on_violation": "deny" }
}
)";

constexpr std::string_view kEbpfSource =
    R"(/* @UID@: a periodic eBPF container (clang -target bpf). The engine calls tc_init once,
 * container_loop every schedule.period_us and tc_stop on a graceful stop, each with r1/r2 = the
 * container's memory (quotas.memory_limit bytes); all three share this object's globals.
 * Helpers are in tinycontainer.h (Femto-Containers numbers where they exist); each needs its
 * permission in manifest.json. */
#include "tinycontainer.h"
#include "tinycontainer_text.h"

enum { kCountKey = 1 };

static tc_u32 activations;

int tc_init(void* memory, unsigned long size) {
  (void)memory;
  (void)size;
  static const char kHello[] = "@UID@ started";
  (void)tc_log(kHello, sizeof kHello - 1);
  return 0;
}

int container_loop(void* memory, unsigned long size) {
  (void)memory;
  (void)size;
  tc_u32 count = 0;
  (void)tc_bpf_fetch_local(kCountKey, &count); /* stays 0 the first time (-2: no such key) */
  ++count;
  (void)tc_bpf_store_local(kCountKey, count); /* kept across restarts, unlike `activations` */
  ++activations;
  char buffer[40];
  tc_line line = tc_line_init(buffer, sizeof buffer);
  tc_line_str(&line, "activation ");
  tc_line_u32(&line, count);
  (void)tc_line_log(&line);
  return 0;
}

int tc_stop(void* memory, unsigned long size) {
  (void)memory;
  (void)size;
  (void)tc_bpf_printf("stopped after %u activations\n", activations);
  return 0;
}
)";

constexpr std::string_view kEbpfManifest = R"({
  "uid": "@UID@",
  "version": 1,
  "runtime": "ebpf",
  "entry": { "init": "tc_init", "loop": "container_loop", "stop": "tc_stop" },
  "quotas": { "memory_limit": 64, "stack_bytes": 512, "kv_bytes": 16, "max_handles": 0 },
  "schedule": { "priority": 5, "period_us": "1s", "budget_us": "2ms" },
  "permissions": { "services": ["log", "kv"], "on_violation": "deny" }
}
)";

constexpr std::string_view kWasmCMake =
    R"(# Builds @UID@ with clang-14 through TinyContainer's cmake/TcContainer.cmake (docs/sdk.md):
#   cmake -S . -B build && cmake --build build        -> build/@UID@/@UID@.wasm
#   add -DTC_CONTAINER_SIGNING_KEY=/path/NAME.key      -> also the signed image build/@UID@/@UID@.tc
cmake_minimum_required(VERSION 3.25)
project(@PROJECT@ NONE)
set(TINYCONTAINER_DIR "@TINYCONTAINER_DIR@" CACHE PATH "TinyContainer source tree")
include(${TINYCONTAINER_DIR}/cmake/TcContainer.cmake)
tc_container(@UID@ SOURCES container.c RUNTIME wasm MANIFEST manifest.json)
)";

constexpr std::string_view kWasiCMake =
    R"(# Builds @UID@ with clang-14 and wasi-libc through TinyContainer's cmake/TcContainer.cmake:
#   cmake -S . -B build && cmake --build build        -> build/@UID@/@UID@.wasm
#   add -DTC_CONTAINER_SIGNING_KEY=/path/NAME.key      -> also the signed image build/@UID@/@UID@.tc
cmake_minimum_required(VERSION 3.25)
project(@PROJECT@ NONE)
set(TINYCONTAINER_DIR "@TINYCONTAINER_DIR@" CACHE PATH "TinyContainer source tree")
include(${TINYCONTAINER_DIR}/cmake/TcContainer.cmake)
# One 64 KiB page: wasi-libc's allocator assumes the whole initial page is usable.
tc_container(@UID@ SOURCES main.c RUNTIME wasm-wasi MANIFEST manifest.json
             STACK_SIZE 8192 MEMORY 65536)
)";

constexpr std::string_view kEbpfCMake =
    R"(# Builds @UID@ with clang-14 -target bpf through TinyContainer's cmake/TcContainer.cmake:
#   cmake -S . -B build && cmake --build build        -> build/@UID@/@UID@.o
#   add -DTC_CONTAINER_SIGNING_KEY=/path/NAME.key      -> also the signed image build/@UID@/@UID@.tc
cmake_minimum_required(VERSION 3.25)
project(@PROJECT@ NONE)
set(TINYCONTAINER_DIR "@TINYCONTAINER_DIR@" CACHE PATH "TinyContainer source tree")
include(${TINYCONTAINER_DIR}/cmake/TcContainer.cmake)
tc_container(@UID@ SOURCES container.c RUNTIME ebpf MANIFEST manifest.json)
)";

constexpr std::string_view kReadme = R"(# @UID@

A TinyContainer container project made by `tinyctl new`. `manifest.json` says what the container
may use and when it runs (docs/metadata.md in the TinyContainer tree); the C source uses the guest
SDK (`sdk/include/tinycontainer.h`).

Build (needs clang-14; TinyContainer at `@TINYCONTAINER_DIR@`, change with
`-DTINYCONTAINER_DIR=...`):

    cmake -S . -B build && cmake --build build

Sign (a tenant key may sign only uids with its prefix; an operator key signs any):

    tinyctl keygen dev --role tenant --uid-prefix @UID@
    cmake -S . -B build -DTC_CONTAINER_SIGNING_KEY=$PWD/dev.key && cmake --build build
    # or by hand: tinyctl build manifest.json --code build/@UID@/<module> --key dev.key -o @UID@.tc
    tinyctl inspect build/@UID@/@UID@.tc
@RUN@)";

constexpr std::string_view kWasmRun = R"(
The module imports the `tc` host services, so it runs on a device (or tinycontainerd), not under
`tinyctl run`, which provides only WASI.
)";

constexpr std::string_view kEbpfRun = R"(
The program calls TinyContainer's eBPF helpers, so it runs on a device (or tinycontainerd).
)";

constexpr std::string_view kWasiRun = R"(
Run it on this machine:

    tinyctl run build/@UID@/@UID@.wasm
)";

constexpr std::string_view kGitignore = "build/\n*.key\n";

constexpr TemplateFile kWasm[] = {
    {"container.c", kWasmSource}, {"manifest.json", kWasmManifest}, {"CMakeLists.txt", kWasmCMake},
    {"README.md", kReadme},       {".gitignore", kGitignore},
};
constexpr TemplateFile kWasi[] = {
    {"main.c", kWasiSource}, {"manifest.json", kWasiManifest}, {"CMakeLists.txt", kWasiCMake},
    {"README.md", kReadme},  {".gitignore", kGitignore},
};
constexpr TemplateFile kEbpf[] = {
    {"container.c", kEbpfSource}, {"manifest.json", kEbpfManifest}, {"CMakeLists.txt", kEbpfCMake},
    {"README.md", kReadme},       {".gitignore", kGitignore},
};

}  // namespace

std::span<const TemplateFile> ProjectTemplate(ProjectKind kind) {
  switch (kind) {
    case ProjectKind::kWasm: return kWasm;
    case ProjectKind::kWasi: return kWasi;
    case ProjectKind::kEbpf: return kEbpf;
  }
  return {};
}

std::string_view RunNote(ProjectKind kind) {
  switch (kind) {
    case ProjectKind::kWasm: return kWasmRun;
    case ProjectKind::kWasi: return kWasiRun;
    case ProjectKind::kEbpf: return kEbpfRun;
  }
  return {};
}

}  // namespace tinyctl
