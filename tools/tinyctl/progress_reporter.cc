#include "progress_reporter.h"

#include "text_table.h"

namespace tinyctl {

void ProgressReporter::Update(size_t done, size_t total) {
  if (finished_) return;
  const int percent = total == 0 ? 100 : static_cast<int>(done * 100 / total);
  if (terminal_) {
    constexpr int kWidth = 30;
    const int filled = percent * kWidth / 100;
    out_ << "\r" << label_ << " [" << std::string(filled, '#') << std::string(kWidth - filled, '.')
         << "] " << percent << "% " << FormatBytes(done) << "/" << FormatBytes(total) << "\x1b[K";
    if (done >= total) out_ << "\n";
    out_.flush();
  } else if (percent / 10 > last_decile_ || done >= total) {
    last_decile_ = percent / 10;
    out_ << label_ << ": " << done << "/" << total << " bytes (" << percent << "%)\n";
  }
  finished_ = done >= total;
}

}  // namespace tinyctl
