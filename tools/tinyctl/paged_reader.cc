#include "paged_reader.h"

#include "text_table.h"

namespace tinyctl {

using nlohmann::json;

Page PagedReader::ReadAvailable() {
  Page page;
  // Bounded so a device that keeps producing records faster than they are read cannot keep
  // the client here forever; the caller asks again.
  for (int round = 0; round < 1000; ++round) {
    std::vector<std::string> query = filter_;
    query.push_back("since=" + std::to_string(next_));
    const json answer = device_.Get(path_, query);
    const std::string what = "GET /" + path_;
    const std::optional<uint64_t> next =
        answer.contains("next") ? AsUint(answer["next"]) : std::nullopt;
    if (!next) {
      throw CommandError(what + ": the answer has no unsigned \"next\"");
    }
    if (!answer.contains(records_key_) || !answer[records_key_].is_array()) {
      throw CommandError(what + ": the answer has no \"" + records_key_ + "\" array");
    }
    if (*next < next_) {
      throw CommandError(what + ": \"next\" went backwards (" + std::to_string(*next) + " after " +
                         std::to_string(next_) + ")");
    }
    page.dropped += UintField(answer, "dropped");
    const json& records = answer[records_key_];
    for (const json& r : records) page.records.push_back(r);
    const bool advanced = *next != next_;
    next_ = *next;
    // A page can be empty yet advance (uid=U skipped other containers' lines): go on.
    if (!advanced) break;
  }
  return page;
}

}  // namespace tinyctl
