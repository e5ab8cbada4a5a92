#pragma once

// The controller's metrics in Prometheus' text exposition format (0.0.4):
// counters and histograms that code increments where things happen, and
// gauges read from a snapshot when scraped. Names follow Prometheus' rules
// (buildswarm_ prefix, base units in the name, counters end in _total); a
// family's label names are fixed when it is made, its series made on first
// use. Thread safety: every method may be called from any thread; one
// family's series are guarded by its own mutex, held only to add a number or
// copy them for Write.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace swarm::controller::metrics {

// Label values, in the order of the family's label names.
using LabelValues = std::vector<std::string>;

class Family {
 public:
  Family(std::string name, std::string help, std::string type, std::vector<std::string> labels)
      : name_(std::move(name)),
        help_(std::move(help)),
        type_(std::move(type)),
        labels_(std::move(labels)) {}
  virtual ~Family() = default;
  const std::string& name() const { return name_; }
  // Appends the family's # HELP and # TYPE lines and its samples.
  void Write(std::string* out) const;

 protected:
  // Appends the samples only.
  virtual void WriteSamples(std::string* out) const = 0;
  // `name`{labels, extra} value
  void Sample(std::string* out, const std::string& suffix, const LabelValues& values,
              const std::string& extra_label, const std::string& extra_value, double v) const;
  const std::string name_, help_, type_;
  const std::vector<std::string> labels_;
};

class Counter : public Family {
 public:
  Counter(std::string name, std::string help, std::vector<std::string> labels = {})
      : Family(std::move(name), std::move(help), "counter", std::move(labels)) {}
  // `by` must not be negative: a counter only goes up.
  void Add(const LabelValues& values = {}, double by = 1);
  // 0 for a series never added to.
  double Value(const LabelValues& values = {}) const;
  // Makes the series show as 0 before anything happened, so that a rate over
  // it starts from the first scrape.
  void Touch(const LabelValues& values);

 private:
  void WriteSamples(std::string* out) const override;
  mutable std::mutex mu_;
  std::map<LabelValues, double> series_;
};

class Histogram : public Family {
 public:
  // `bounds`: the buckets' upper bounds, ascending; +Inf is added.
  Histogram(std::string name, std::string help, std::vector<double> bounds,
            std::vector<std::string> labels = {});
  void Observe(double v, const LabelValues& values = {});
  struct Snapshot {
    std::vector<uint64_t> buckets;  // cumulative, one per bound and +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot Get(const LabelValues& values = {}) const;

 private:
  void WriteSamples(std::string* out) const override;
  const std::vector<double> bounds_;
  mutable std::mutex mu_;
  std::map<LabelValues, Snapshot> series_;
};

// A gauge whose samples a function gives when scraped.
class GaugeFunc : public Family {
 public:
  using Emit = std::function<void(const LabelValues&, double)>;
  GaugeFunc(std::string name, std::string help, std::vector<std::string> labels,
            std::function<void(const Emit&)> collect)
      : Family(std::move(name), std::move(help), "gauge", std::move(labels)),
        collect_(std::move(collect)) {}

 private:
  void WriteSamples(std::string* out) const override;
  const std::function<void(const Emit&)> collect_;
};

class Registry {
 public:
  // Each returns the family, owned by the registry and alive as long as it.
  Counter* AddCounter(std::string name, std::string help, std::vector<std::string> labels = {});
  Histogram* AddHistogram(std::string name, std::string help, std::vector<double> bounds,
                          std::vector<std::string> labels = {});
  void AddGauge(std::string name, std::string help, std::vector<std::string> labels,
                std::function<void(const GaugeFunc::Emit&)> collect);
  // The whole exposition, families in the order added.
  std::string Write() const;

 private:
  template <typename F>
  F* Add(std::unique_ptr<F> f);
  mutable std::mutex mu_;  // guards families_ (appended to at start only)
  std::vector<std::unique_ptr<Family>> families_;
};

// Prometheus' content type for the text format.
inline constexpr char kContentType[] = "text/plain; version=0.0.4; charset=utf-8";

// Bucket bounds, in seconds.
// HTTP requests and heartbeats: 1 ms to 10 s.
std::vector<double> RequestSecondsBuckets();
// A build: 10 s to 16 h, as emerge's run from a small library to a browser.
std::vector<double> BuildSecondsBuckets();
// Short waits (a drone's idle gap, discovery, a reconcile pass): 10 ms to 10 min.
std::vector<double> WaitSecondsBuckets();

}  // namespace swarm::controller::metrics
