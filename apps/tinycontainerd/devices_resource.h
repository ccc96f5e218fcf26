// GET /devices: the simulated board's state (docs/board-file.md) as CBOR, or as JSON with
// Accept 50, so an operator or a test can see what containers did to LEDs, GPIO and buses.
#pragma once

#include "tc/net/coap/server.h"
#include "tc/port/posix/simulated_board.h"

namespace tinycontainerd {

// `board` null: the daemon runs without simulated devices; the snapshot then has empty lists.
// The board must outlive the server.
tc::Status RegisterDevicesResource(tc::coap::Server& server,
                                   const tc::port::posix::SimulatedBoard* board);

}  // namespace tinycontainerd
