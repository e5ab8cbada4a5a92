#include "controller/binhost/index_writer.h"

#include <spdlog/spdlog.h>

namespace swarm::controller {

BinhostIndexWriter::BinhostIndexWriter(std::string dir, Clock* clock, Duration debounce,
                                       bool background)
    : dir_(std::move(dir)), clock_(clock), debounce_(debounce) {
  if (background) thread_ = std::thread([this] { Loop(); });
}

BinhostIndexWriter::~BinhostIndexWriter() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (pending()) {
    if (Status s = Flush(); !s.ok()) spdlog::error("writing the binhost index: {}", s.ToString());
  }
}

void BinhostIndexWriter::Reset(std::vector<PublishedPackage> all) {
  {
    std::lock_guard<std::mutex> l(mu_);
    reset_ = std::move(all);
    changes_.clear();
  }
  cv_.notify_all();
}

void BinhostIndexWriter::Put(PublishedPackage p) {
  {
    std::lock_guard<std::mutex> l(mu_);
    std::string name = p.package;
    changes_[name] = std::move(p);
  }
  cv_.notify_all();
}

void BinhostIndexWriter::Remove(const std::string& package) {
  {
    std::lock_guard<std::mutex> l(mu_);
    changes_[package] = std::nullopt;
  }
  cv_.notify_all();
}

bool BinhostIndexWriter::pending() const {
  std::lock_guard<std::mutex> l(mu_);
  return failed_ || reset_.has_value() || !changes_.empty();
}

Status BinhostIndexWriter::Flush() {
  std::lock_guard<std::mutex> w(write_mu_);
  return WriteLocked();
}

Status BinhostIndexWriter::FlushIfListed(const std::string& path) {
  std::lock_guard<std::mutex> w(write_mu_);
  if (!listed_paths_.count(path)) return Status::Ok();
  return WriteLocked();
}

Status BinhostIndexWriter::WriteLocked() {
  std::optional<std::vector<PublishedPackage>> reset;
  std::map<std::string, std::optional<PublishedPackage>> changes;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!failed_ && !reset_ && changes_.empty()) return Status::Ok();
    reset.swap(reset_);
    changes.swap(changes_);
    failed_ = false;
  }
  if (reset) {
    listed_.clear();
    for (auto& p : *reset) {
      std::string name = p.package;
      listed_[name] = std::move(p);
    }
  }
  for (auto& [name, p] : changes) {
    if (p) {
      listed_[name] = std::move(*p);
    } else {
      listed_.erase(name);
    }
  }
  std::vector<PublishedPackage> all;
  all.reserve(listed_.size());
  for (const auto& [name, p] : listed_) all.push_back(p);
  std::vector<std::string> warnings;
  Result<int> written = WriteBinhostIndex(dir_, all, clock_->Now(), &warnings);
  for (const auto& w : warnings) spdlog::warn("binhost index: {}", w);
  if (!written.ok()) {
    std::lock_guard<std::mutex> l(mu_);
    failed_ = true;
    return written.status();
  }
  listed_paths_.clear();
  for (const auto& p : all) listed_paths_.insert(p.path);
  spdlog::debug("binhost index: {} packages listed", *written);
  return Status::Ok();
}

void BinhostIndexWriter::Loop() {
  std::unique_lock<std::mutex> l(mu_);
  while (true) {
    cv_.wait(l, [this] { return stop_ || failed_ || reset_ || !changes_.empty(); });
    if (stop_) return;
    // More changes within the debounce go into the same write; a failed
    // write is retried no sooner.
    cv_.wait_for(l, debounce_, [this] { return stop_; });
    if (stop_) return;
    l.unlock();
    if (Status s = Flush(); !s.ok()) {
      spdlog::error("writing the binhost index: {}; trying again", s.ToString());
    }
    l.lock();
  }
}

}  // namespace swarm::controller
