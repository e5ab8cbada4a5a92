#include "controller/metrics/registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace swarm::controller::metrics {
namespace {

// Go's strconv formatting, as Prometheus reads it: shortest round-trip,
// NaN and +Inf spelled its way.
std::string Number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", v);
}

// Label values escape backslash, double quote and line feed; help text
// backslash and line feed.
std::string Escape(const std::string& s, bool quote) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

void CheckLabels(const std::string& family, size_t want, const LabelValues& got) {
  if (got.size() != want) {
    throw std::logic_error("metric " + family + " takes " + std::to_string(want) +
                           " label values, given " + std::to_string(got.size()));
  }
}

}  // namespace

void Family::Write(std::string* out) const {
  *out += "# HELP " + name_ + " " + Escape(help_, false) + "\n";
  *out += "# TYPE " + name_ + " " + type_ + "\n";
  WriteSamples(out);
}

void Family::Sample(std::string* out, const std::string& suffix, const LabelValues& values,
                    const std::string& extra_label, const std::string& extra_value,
                    double v) const {
  *out += name_;
  *out += suffix;
  if (!values.empty() || !extra_label.empty()) {
    *out += '{';
    bool first = true;
    for (size_t i = 0; i < values.size(); ++i) {
      if (!first) *out += ',';
      first = false;
      *out += labels_[i] + "=\"" + Escape(values[i], true) + "\"";
    }
    if (!extra_label.empty()) {
      if (!first) *out += ',';
      *out += extra_label + "=\"" + extra_value + "\"";
    }
    *out += '}';
  }
  *out += ' ';
  *out += Number(v);
  *out += '\n';
}

void Counter::Add(const LabelValues& values, double by) {
  CheckLabels(name_, labels_.size(), values);
  if (by < 0) throw std::logic_error("counter " + name_ + " cannot go down");
  std::lock_guard<std::mutex> l(mu_);
  series_[values] += by;
}

void Counter::Touch(const LabelValues& values) { Add(values, 0); }

double Counter::Value(const LabelValues& values) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = series_.find(values);
  return it == series_.end() ? 0 : it->second;
}

void Counter::WriteSamples(std::string* out) const {
  std::map<LabelValues, double> copy;
  {
    std::lock_guard<std::mutex> l(mu_);
    copy = series_;
  }
  // A family without labels has its one series from the start.
  if (labels_.empty() && copy.empty()) copy[{}] = 0;
  for (const auto& [values, v] : copy) Sample(out, "", values, "", "", v);
}

Histogram::Histogram(std::string name, std::string help, std::vector<double> bounds,
                     std::vector<std::string> labels)
    : Family(std::move(name), std::move(help), "histogram", std::move(labels)),
      bounds_(std::move(bounds)) {
  if (!std::is_sorted(bounds_.begin(), bounds_.end()) ||
      std::adjacent_find(bounds_.begin(), bounds_.end()) != bounds_.end()) {
    throw std::logic_error("histogram " + name_ + ": bucket bounds must ascend");
  }
}

void Histogram::Observe(double v, const LabelValues& values) {
  CheckLabels(name_, labels_.size(), values);
  std::lock_guard<std::mutex> l(mu_);
  Snapshot& s = series_[values];
  if (s.buckets.empty()) s.buckets.assign(bounds_.size() + 1, 0);
  for (size_t i = 0; i < bounds_.size(); ++i) {
    if (v <= bounds_[i]) ++s.buckets[i];
  }
  ++s.buckets.back();
  s.sum += v;
  ++s.count;
}

Histogram::Snapshot Histogram::Get(const LabelValues& values) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = series_.find(values);
  if (it != series_.end()) return it->second;
  Snapshot empty;
  empty.buckets.assign(bounds_.size() + 1, 0);
  return empty;
}

void Histogram::WriteSamples(std::string* out) const {
  std::map<LabelValues, Snapshot> copy;
  {
    std::lock_guard<std::mutex> l(mu_);
    copy = series_;
  }
  if (labels_.empty() && copy.empty()) copy[{}].buckets.assign(bounds_.size() + 1, 0);
  for (const auto& [values, s] : copy) {
    for (size_t i = 0; i < bounds_.size(); ++i) {
      Sample(out, "_bucket", values, "le", Number(bounds_[i]), static_cast<double>(s.buckets[i]));
    }
    Sample(out, "_bucket", values, "le", "+Inf", static_cast<double>(s.buckets.back()));
    Sample(out, "_sum", values, "", "", s.sum);
    Sample(out, "_count", values, "", "", static_cast<double>(s.count));
  }
}

void GaugeFunc::WriteSamples(std::string* out) const {
  collect_([&](const LabelValues& values, double v) {
    CheckLabels(name_, labels_.size(), values);
    Sample(out, "", values, "", "", v);
  });
}

template <typename F>
F* Registry::Add(std::unique_ptr<F> f) {
  std::lock_guard<std::mutex> l(mu_);
  for (const auto& existing : families_) {
    if (existing->name() == f->name()) throw std::logic_error("metric " + f->name() + " twice");
  }
  F* raw = f.get();
  families_.push_back(std::move(f));
  return raw;
}

Counter* Registry::AddCounter(std::string name, std::string help, std::vector<std::string> labels) {
  return Add(std::make_unique<Counter>(std::move(name), std::move(help), std::move(labels)));
}

Histogram* Registry::AddHistogram(std::string name, std::string help, std::vector<double> bounds,
                                  std::vector<std::string> labels) {
  return Add(std::make_unique<Histogram>(std::move(name), std::move(help), std::move(bounds),
                                         std::move(labels)));
}

void Registry::AddGauge(std::string name, std::string help, std::vector<std::string> labels,
                        std::function<void(const GaugeFunc::Emit&)> collect) {
  Add(std::make_unique<GaugeFunc>(std::move(name), std::move(help), std::move(labels),
                                  std::move(collect)));
}

std::string Registry::Write() const {
  std::vector<const Family*> families;
  {
    std::lock_guard<std::mutex> l(mu_);
    for (const auto& f : families_) families.push_back(f.get());
  }
  std::string out;
  for (const Family* f : families) f->Write(&out);
  return out;
}

std::vector<double> RequestSecondsBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

std::vector<double> BuildSecondsBuckets() {
  return {10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 28800, 57600};
}

std::vector<double> WaitSecondsBuckets() {
  return {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600};
}

}  // namespace swarm::controller::metrics
