// The execution trace exported as Chrome trace JSON shows the schedule: run slices per container
// row, releases, misses, overruns and denials, with the container's uid as the row name.
#include "tc/tools/chrome_trace.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine_fixture.h"

namespace tc::engine::testing {
namespace {

using nlohmann::json;
using runtime::Entry;

class ChromeTrace : public EngineFixture {
 protected:
  json Export() {
    std::vector<TraceEvent> events;
    for (size_t i = 0; i < engine_.trace().size(); ++i) events.push_back(engine_.trace()[i]);
    const std::string text = tools::ChromeTraceJson(events, [this](uint8_t slot) {
      return std::string(engine_.containers()[slot].uid.view());
    });
    return json::parse(text);
  }
};

TEST_F(ChromeTrace, ShowsRunsReleasesAndOverrunsPerContainer) {
  FakeProgram work;
  work.Export(Entry::kLoop, {FakeStep::Compute(5000), FakeStep::Return(0)});
  FakeProgram spin;
  spin.Export(Entry::kLoop, {FakeStep::Forever()});
  Schedule periodic;
  periodic.period_us = 1000;
  periodic.priority = 5;
  Schedule rogue = periodic;
  rogue.priority = 9;
  rogue.budget_us = 100;
  const uint32_t a = InstallAndStart(work, periodic);
  const uint32_t r = InstallAndStart(spin, rogue);
  RunUntil(3000);

  const json doc = Export();
  ASSERT_TRUE(doc.contains("traceEvents"));
  int runs = 0, releases = 0, overruns = 0;
  std::vector<std::string> names;
  for (const json& e : doc["traceEvents"]) {
    const std::string ph = e["ph"];
    if (ph == "X") {
      ++runs;
      EXPECT_GE(e["dur"].get<uint64_t>(), 0u);
      EXPECT_TRUE(e["args"].contains("exit"));
    } else if (ph == "M") {
      names.push_back(e["args"]["name"]);
    } else if (e["name"] == "release") {
      ++releases;
    } else if (e["name"] == "budget overrun") {
      ++overruns;
      EXPECT_EQ(e["tid"].get<int>(), static_cast<int>(r & 0xFF));
      EXPECT_EQ(e["args"]["policy"], "throttle");
    }
  }
  EXPECT_GT(runs, 6);
  EXPECT_EQ(releases, 6);
  EXPECT_EQ(overruns, 3);
  EXPECT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0], std::string(Get(a).uid.view()));
}

TEST_F(ChromeTrace, EmptyTraceIsStillAValidDocument) {
  const std::string text = tools::ChromeTraceJson({}, nullptr);
  const json doc = json::parse(text);
  EXPECT_TRUE(doc["traceEvents"].empty());
}

}  // namespace
}  // namespace tc::engine::testing
