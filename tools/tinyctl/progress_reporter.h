// Upload progress for a person: a redrawn bar on a terminal, or a plain line per 10% when the
// output is a pipe or a file (logs and tests stay readable).
#pragma once

#include <cstddef>
#include <ostream>
#include <string>

namespace tinyctl {

class ProgressReporter {
 public:
  ProgressReporter(std::ostream& out, bool terminal, std::string label)
      : out_(out), terminal_(terminal), label_(std::move(label)) {}

  void Update(size_t done, size_t total);

 private:
  std::ostream& out_;
  bool terminal_;
  std::string label_;
  int last_decile_ = -1;
  bool finished_ = false;
};

}  // namespace tinyctl
