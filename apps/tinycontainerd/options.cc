#include "options.h"

#include <CLI/CLI.hpp>
#include <filesystem>

namespace tinycontainerd {

std::string DefaultBoardFile() {
  const std::filesystem::path board =
      std::filesystem::path(TC_SOURCE_DIR) / "examples" / "boards" / "native.json";
  std::error_code error;
  return std::filesystem::is_regular_file(board, error) ? board.string() : std::string();
}

void ConfigureOptions(CLI::App& app, Options& options) {
  app.description(
      "tinycontainerd: the TinyContainer native device. Runs the container engine on this host,\n"
      "restores the containers installed in --state, and serves the management API (CoAP over\n"
      "UDP, docs/management-api.md) for tinyctl and coap-client. SIGINT/SIGTERM stop the\n"
      "containers gracefully and exit 0.\n\n"
      "Example:\n"
      "  tinyctl keygen op --role operator && mkdir -p trust && cp op.pub trust/\n"
      "  tinycontainerd --trust trust --port 0\n"
      "  coap-client -m get -A 50 coap://127.0.0.1:PORT/status");
  app.add_option("--state", options.state_dir,
                 "State directory: installed images, records, key-value data (created if missing)")
      ->capture_default_str();
  app.add_option("--trust", options.trust_dir,
                 "Trust store: directory of *.pub keys (tinyctl keygen) that may sign images, "
                 "config updates and commands")
      ->required();
  app.add_option("--port", options.port, "UDP port; 0 picks a free one and prints it")
      ->capture_default_str();
  app.add_option("--bind", options.bind, "Numeric IPv4/IPv6 address to listen on")
      ->capture_default_str();
  app.add_option("--board", options.board,
                 "Board file with the simulated devices (docs/board-file.md); default: "
                 "examples/boards/native.json of the source tree when present");
  app.add_option("--pool-kib", options.pool_kib,
                 "Container memory pool in KiB, split into equal slots (one per container)")
      ->check(CLI::Range(64u, 1u << 20))
      ->capture_default_str();
  app.add_option("--max-image-kib", options.max_image_kib, "Largest image accepted, in KiB")
      ->check(CLI::Range(1u, 64u * 1024u))
      ->capture_default_str();
  app.add_flag("--quiet", options.quiet,
               "Do not print container log lines (GET /logs still has them)");
}

}  // namespace tinycontainerd
