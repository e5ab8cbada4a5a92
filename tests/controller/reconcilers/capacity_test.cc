// A drone's report counts only up to its roster labels: one row per case.

#include "controller/reconcilers/capacity.h"

#include <gtest/gtest.h>

#include "api/conditions.h"
#include "api/events.h"

namespace swarm::controller::reconcilers {
namespace {

constexpr int64_t kGiB = int64_t(1) << 30;

api::DroneSpec Member(std::map<std::string, std::string> labels,
                      std::vector<std::string> roles = {}) {
  return {"d1", std::move(labels), std::move(roles)};
}

api::Resources Reported(int cores, int64_t memory) {
  api::Resources r;
  r.cores = cores;
  r.memory_bytes = memory;
  r.load1 = 1.5;
  return r;
}

TEST(CountedTest, TheLabelCapsTheReportAndStandsInBeforeOne) {
  struct ReportRow {
    int64_t label, reported, counted;
  } rows[] = {
      {4, 512, 4},    // over the label: the label
      {4, 2, 2},      // under it: the report (a drone that lost cores says so)
      {4, 0, 4},      // nothing reported yet: the label
      {0, 512, 512},  // no label: the report as it is
      {0, 0, 0},      // neither: unknown
  };
  for (const ReportRow& r : rows) {
    EXPECT_EQ(Counted(r.label, r.reported), r.counted) << r.label << " " << r.reported;
  }
}

TEST(LabelsOfTest, ReadsCoresAndMemoryAndIgnoresWhatDoesNotParse) {
  CapacityLabels l = LabelsOf(Member({{"cores", "4"}, {"memory", "8Gi"}, {"site", "x"}}));
  EXPECT_EQ(l.cores, 4);
  EXPECT_EQ(l.memory_bytes, 8 * kGiB);
  l = LabelsOf(Member({{"cores", "99999999999"}, {"memory", "lots"}}));
  EXPECT_EQ(l.cores, 0);
  EXPECT_EQ(l.memory_bytes, 0);
}

struct ReportRow {
  std::string name;
  api::DroneSpec member;
  api::Resources reported;
  bool require;
  std::string before;  // the condition's reason until now; "" none
  int cores;
  int64_t memory;
  std::string condition;  // status/reason
  std::string event;      // reason of the one event; "" none
};

TEST(ReconcileCapacityTest, EachReportAgainstItsLabels) {
  const auto labelled = Member({{"cores", "4"}, {"memory", "8Gi"}});
  const auto cores_only = Member({{"cores", "4"}});
  const auto bare = Member({});
  const auto discoverer = Member({}, {"discover"});
  const ReportRow rows[] = {
      {"within", labelled, Reported(4, 8 * kGiB), false, "", 4, 8 * kGiB, "True/WithinLabels", ""},
      {"under", labelled, Reported(2, 4 * kGiB), false, "", 2, 4 * kGiB, "True/WithinLabels", ""},
      {"lying", labelled, Reported(512, 10240 * kGiB), false, "", 4, 8 * kGiB,
       "False/ReportOverLabels", "CapacityOverLabels"},
      {"lying again: no second event", labelled, Reported(512, 10240 * kGiB), false,
       "ReportOverLabels", 4, 8 * kGiB, "False/ReportOverLabels", ""},
      {"lying after telling the truth", labelled, Reported(8, 8 * kGiB), false, "WithinLabels", 4,
       8 * kGiB, "False/ReportOverLabels", "CapacityOverLabels"},
      {"memory over a cores-only label is counted", cores_only, Reported(4, 10240 * kGiB), false,
       "", 4, 10240 * kGiB, "True/WithinLabels", ""},
      {"unlabelled", bare, Reported(512, 10240 * kGiB), false, "", 512, 10240 * kGiB,
       "Unknown/Unlabeled", ""},
      {"labels required, none", bare, Reported(4, 8 * kGiB), true, "Unlabeled", 4, 8 * kGiB,
       "False/LabelsMissing", "CapacityLabelsMissing"},
      {"labels required, memory missing", cores_only, Reported(4, 8 * kGiB), true, "", 4, 8 * kGiB,
       "False/LabelsMissing", "CapacityLabelsMissing"},
      {"labels required, both there", labelled, Reported(4, 8 * kGiB), true, "", 4, 8 * kGiB,
       "True/WithinLabels", ""},
      {"labels required of builders only", discoverer, Reported(4, 8 * kGiB), true, "", 4, 8 * kGiB,
       "Unknown/Unlabeled", ""},
  };
  for (const ReportRow& row : rows) {
    SCOPED_TRACE(row.name);
    api::Condition before{api::condition::kCapacityWithinLabels, "", row.before, "", {}};
    CapacityDecision d = ReconcileCapacity(row.member, row.reported, row.require,
                                           row.before.empty() ? nullptr : &before);
    EXPECT_EQ(d.resources.cores, row.cores);
    EXPECT_EQ(d.resources.memory_bytes, row.memory);
    EXPECT_EQ(d.resources.load1, 1.5) << "the rest of the report is kept";
    EXPECT_EQ(d.condition.type, api::condition::kCapacityWithinLabels);
    EXPECT_EQ(d.condition.status + "/" + d.condition.reason, row.condition);
    EXPECT_EQ(d.event_reason, row.event);
    EXPECT_EQ(d.event_message.empty(), row.event.empty());
  }
}

TEST(ReconcileCapacityTest, TheConditionNamesNoReportedNumberButTheEventDoes) {
  const auto labelled = Member({{"cores", "4"}, {"memory", "8Gi"}});
  CapacityDecision a = ReconcileCapacity(labelled, Reported(512, 10240 * kGiB), false, nullptr);
  CapacityDecision b = ReconcileCapacity(labelled, Reported(600, 20480 * kGiB), false, nullptr);
  EXPECT_EQ(a.condition, b.condition) << "a liar changing its claim rewrites nothing";
  EXPECT_EQ(a.condition.message,
            "reports more cores and memory than its labels (cores 4, memory 8Gi): counted as "
            "labelled; its agent is wrong or lying, or its labels are");
  EXPECT_EQ(a.event_message,
            "d1 reports 512 cores and 10Ti of memory, over its labels (cores 4, memory 8Gi): it "
            "is counted as 4 cores and 8Gi of memory");
}

TEST(MissingCapacityLabelsTest, SaysWhichLabelIsMissing) {
  EXPECT_EQ(MissingCapacityLabels(Member({}), true),
            "no cores or memory label, and spec.policy.requireCapacityLabels is set");
  EXPECT_EQ(MissingCapacityLabels(Member({{"memory", "8Gi"}}), true),
            "no cores label, and spec.policy.requireCapacityLabels is set");
  EXPECT_EQ(MissingCapacityLabels(Member({}), false), "");
  EXPECT_EQ(MissingCapacityLabels(Member({}, {"discover"}), true), "");
}

}  // namespace
}  // namespace swarm::controller::reconcilers
