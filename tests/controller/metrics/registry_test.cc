#include "controller/metrics/registry.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace swarm::controller::metrics {
namespace {

TEST(MetricsRegistryTest, WritesCountersHistogramsAndGaugesInTheTextFormat) {
  Registry r;
  Counter* c = r.AddCounter("buildswarm_things_total", "Things done.", {"kind"});
  c->Add({"a"});
  c->Add({"a"}, 2);
  c->Add({"b \"q\" \\ \n"});
  Histogram* h = r.AddHistogram("buildswarm_wait_seconds", "Waits.", {0.5, 1});
  h->Observe(0.25);
  h->Observe(0.75);
  h->Observe(3);
  r.AddGauge("buildswarm_level", "A level\nof two lines.", {"x"},
             [](const GaugeFunc::Emit& emit) { emit({"y"}, 1.5); });
  EXPECT_EQ(r.Write(),
            "# HELP buildswarm_things_total Things done.\n"
            "# TYPE buildswarm_things_total counter\n"
            "buildswarm_things_total{kind=\"a\"} 3\n"
            "buildswarm_things_total{kind=\"b \\\"q\\\" \\\\ \\n\"} 1\n"
            "# HELP buildswarm_wait_seconds Waits.\n"
            "# TYPE buildswarm_wait_seconds histogram\n"
            "buildswarm_wait_seconds_bucket{le=\"0.5\"} 1\n"
            "buildswarm_wait_seconds_bucket{le=\"1\"} 2\n"
            "buildswarm_wait_seconds_bucket{le=\"+Inf\"} 3\n"
            "buildswarm_wait_seconds_sum 4\n"
            "buildswarm_wait_seconds_count 3\n"
            "# HELP buildswarm_level A level\\nof two lines.\n"
            "# TYPE buildswarm_level gauge\n"
            "buildswarm_level{x=\"y\"} 1.5\n");
}

TEST(MetricsRegistryTest, AFamilyWithoutLabelsShowsZeroBeforeAnything) {
  Registry r;
  r.AddCounter("buildswarm_x_total", "X.");
  r.AddHistogram("buildswarm_y_seconds", "Y.", {1});
  EXPECT_EQ(r.Write(),
            "# HELP buildswarm_x_total X.\n# TYPE buildswarm_x_total counter\n"
            "buildswarm_x_total 0\n"
            "# HELP buildswarm_y_seconds Y.\n# TYPE buildswarm_y_seconds histogram\n"
            "buildswarm_y_seconds_bucket{le=\"1\"} 0\n"
            "buildswarm_y_seconds_bucket{le=\"+Inf\"} 0\n"
            "buildswarm_y_seconds_sum 0\nbuildswarm_y_seconds_count 0\n");
}

TEST(MetricsRegistryTest, HistogramBucketsAreCumulativeAndBoundsInclusive) {
  Histogram h("buildswarm_h_seconds", "H.", {1, 2, 4});
  h.Observe(1);
  h.Observe(2);
  h.Observe(100);
  const Histogram::Snapshot s = h.Get();
  EXPECT_EQ(s.buckets, (std::vector<uint64_t>{1, 2, 2, 3}));
  EXPECT_EQ(s.count, 3u);
  EXPECT_DOUBLE_EQ(s.sum, 103);
}

TEST(MetricsRegistryTest, MisuseIsAProgrammingErrorNotAWrongNumber) {
  Registry r;
  Counter* c = r.AddCounter("buildswarm_c_total", "C.", {"a"});
  EXPECT_THROW(c->Add({}), std::logic_error);
  EXPECT_THROW(c->Add({"x"}, -1), std::logic_error);
  EXPECT_THROW(r.AddCounter("buildswarm_c_total", "again"), std::logic_error);
  EXPECT_THROW(Histogram("buildswarm_h", "H.", {2, 1}), std::logic_error);
  EXPECT_EQ(c->Value({"x"}), 0);
}

}  // namespace
}  // namespace swarm::controller::metrics
