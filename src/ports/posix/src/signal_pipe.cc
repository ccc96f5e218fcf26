#include "tc/port/posix/signal_pipe.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace tc::port::posix {

namespace {

volatile sig_atomic_t g_signal = 0;
int g_write_fd = -1;

void OnSignal(int signal) {
  const int saved = errno;
  if (g_signal == 0) g_signal = signal;
  const char byte = 1;
  // Non-blocking: a full pipe already says "a signal arrived".
  [[maybe_unused]] const ssize_t n = ::write(g_write_fd, &byte, 1);
  errno = saved;
}

}  // namespace

bool SignalPipe::Install() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return false;
  read_fd_ = fds[0];
  write_fd_ = fds[1];
  g_write_fd = write_fd_;
  g_signal = 0;
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  return ::sigaction(SIGINT, &action, nullptr) == 0 && ::sigaction(SIGTERM, &action, nullptr) == 0;
}

SignalPipe::~SignalPipe() {
  if (read_fd_ < 0) return;
  struct sigaction action {};
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  g_write_fd = -1;
  ::close(read_fd_);
  ::close(write_fd_);
}

int SignalPipe::received() const { return g_signal; }

}  // namespace tc::port::posix
