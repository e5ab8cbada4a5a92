#pragma once

// Errors as values across module boundaries. Exceptions from yaml-cpp,
// nlohmann_json and SQLite are caught inside the codec and store adapters and
// turned into a Status there; nothing above those adapters throws for bad input.

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace swarm {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,   // the caller's input is wrong; retrying it unchanged fails again
  kNotFound,          // the named thing does not exist
  kAlreadyExists,     // a create collided with an existing thing
  kConflict,          // the request disagrees with current state (fencing, one swarm)
  kUnauthenticated,   // no or unknown credentials
  kPermissionDenied,  // known credentials, not allowed to do this
  kUnavailable,       // a peer or resource is away; retrying later may work
  kInternal,          // a broken invariant or an unexpected library failure
  kRejected,          // well-formed, but its content is refused (a zero-byte binary package)
  kExpired,           // what the caller holds is too old to go on from (a watch's resource version)
};

// Returns the stable lowercase name used in logs and API error bodies.
const char* StatusCodeName(StatusCode code);

// Thread safety: a value type; distinct objects may be used from distinct threads.
class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "<code>: <message>", or "ok".
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
inline Status Conflict(std::string m) { return {StatusCode::kConflict, std::move(m)}; }
inline Status Unauthenticated(std::string m) { return {StatusCode::kUnauthenticated, std::move(m)}; }
inline Status PermissionDenied(std::string m) { return {StatusCode::kPermissionDenied, std::move(m)}; }
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
inline Status Rejected(std::string m) { return {StatusCode::kRejected, std::move(m)}; }
inline Status Expired(std::string m) { return {StatusCode::kExpired, std::move(m)}; }

// Either a T or a non-ok Status. Reading value() of an error is a bug and aborts.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok() && "Result built from an ok Status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace swarm
