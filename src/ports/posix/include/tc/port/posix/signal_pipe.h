// SIGINT/SIGTERM as an event the main loop can wait for (the self-pipe trick): the handler only
// records the signal and writes one byte to a pipe whose read end is polled with the sockets.
#pragma once

#include <csignal>

namespace tc::port::posix {

class SignalPipe {
 public:
  // Installs handlers for SIGINT and SIGTERM (one SignalPipe per process); false on failure.
  bool Install();
  ~SignalPipe();

  // The read end: readable once a signal arrived.
  int fd() const { return read_fd_; }
  // The first signal received (0: none yet).
  int received() const;

 private:
  int read_fd_ = -1;
  int write_fd_ = -1;
};

}  // namespace tc::port::posix
