// GET /devices: the simulated board's state (docs/board-file.md) as CBOR, or as JSON with
// Accept 50, so an operator or a test can see what containers did to LEDs, GPIO and buses.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tc/net/coap/server.h"
#include "tc/port/posix/simulated_board.h"

namespace tinycontainerd {

class DevicesResource {
 public:
  // `board` null: the daemon runs without simulated devices; the state then has empty lists.
  explicit DevicesResource(const tc::port::posix::SimulatedBoard* board) : board_(board) {}
  DevicesResource(const DevicesResource&) = delete;
  DevicesResource& operator=(const DevicesResource&) = delete;

  // This object and the board must outlive the server.
  tc::Status Register(tc::coap::Server& server);

 private:
  static void Get(void* self, const tc::coap::Request& request, tc::coap::Response& response);

  const tc::port::posix::SimulatedBoard* board_;
  // The representation of the last first-block request: later blocks of the same transfer are
  // cut from it, so a body longer than one block is one consistent snapshot.
  std::string json_;
  std::vector<uint8_t> cbor_;
};

}  // namespace tinycontainerd
