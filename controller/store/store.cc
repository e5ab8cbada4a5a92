#include "controller/store/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <string_view>

#include "api/codec.h"

namespace swarm::controller {
namespace {

using nlohmann::json;

// "SWRM": marks the file as ours, so a stray SQLite database is refused.
constexpr int32_t kApplicationId = 0x5357524d;

constexpr int kBusyTimeoutMs = 5000;

// Schema migrations, in order: migration i takes user_version i to i + 1.
// Append only; never edit a migration that has shipped.
constexpr const char* kMigrations[] = {
    // 1: the Swarm, drone statuses, events.
    R"sql(
    CREATE TABLE swarm (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      name TEXT NOT NULL,
      generation INTEGER NOT NULL,
      resource_version INTEGER NOT NULL,
      creation_time_ns INTEGER,
      annotations TEXT NOT NULL,
      spec TEXT NOT NULL,
      status TEXT NOT NULL
    );
    CREATE TABLE drones (
      name TEXT PRIMARY KEY NOT NULL,
      status TEXT NOT NULL
    );
    CREATE TABLE events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      object_kind TEXT NOT NULL,
      object_name TEXT NOT NULL,
      type TEXT NOT NULL,
      reason TEXT NOT NULL,
      message TEXT NOT NULL,
      count INTEGER NOT NULL,
      first_time_ms INTEGER NOT NULL,
      last_time_ms INTEGER NOT NULL
    );
    CREATE INDEX events_by_time ON events (last_time_ms, id);
    CREATE INDEX events_by_object ON events (object_kind, object_name, last_time_ms, id);
    )sql",
    // 2: the build queue, one row per package in queue order.
    R"sql(
    CREATE TABLE packages (
      position INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      package TEXT NOT NULL
    );
    )sql",
    // 3: the binhost's releases, one row each (api::ReleaseToJson with its packages).
    R"sql(
    CREATE TABLE releases (
      name TEXT PRIMARY KEY NOT NULL,
      release TEXT NOT NULL
    );
    )sql",
};
constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));

Status SqlError(sqlite3* db, int rc, std::string_view op) {
  std::string msg = std::string(op) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Unavailable("store " + msg + " (database is in use by another process)");
  }
  return Internal("store " + msg);
}

// A prepared statement with bound parameters, finalized when it goes out of scope.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view op) : db_(db), op_(op) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  Status Prepare(std::string_view sql) {
    int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    return rc == SQLITE_OK ? Status::Ok() : SqlError(db_, rc, op_);
  }
  // Parameters are numbered from 1. Bind errors surface at Step().
  void Bind(int i, int64_t v) { Check(sqlite3_bind_int64(stmt_, i, v)); }
  void Bind(int i, std::string_view v) {
    Check(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  void BindNull(int i) { Check(sqlite3_bind_null(stmt_, i)); }

  // True when a row is ready, false when the statement is done.
  Result<bool> Step() {
    if (bind_rc_ != SQLITE_OK) return SqlError(db_, bind_rc_, op_);
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return SqlError(db_, rc, op_);
  }
  Status Run() {
    auto r = Step();
    return r.ok() ? Status::Ok() : r.status();
  }

  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string Text(int col) const {
    const unsigned char* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }

 private:
  void Check(int rc) {
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  }
  sqlite3* db_;
  std::string_view op_;
  sqlite3_stmt* stmt_ = nullptr;
  int bind_rc_ = SQLITE_OK;
};

// Runs SQL without parameters: schema and transaction control only.
Status Exec(sqlite3* db, const std::string& sql, std::string_view op) {
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string msg = std::string(op) + ": " + (err ? err : sqlite3_errstr(rc));
  sqlite3_free(err);
  int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Unavailable("store " + msg);
  return Internal("store " + msg);
}

Result<int64_t> QueryInt(sqlite3* db, std::string_view sql, std::string_view op) {
  Statement st(db, op);
  if (Status s = st.Prepare(sql); !s.ok()) return s;
  auto row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Internal(std::string("store ") + std::string(op) + ": no result");
  return st.Int(0);
}

// Rolls back when the transaction is still open (SQLite may already have
// rolled it back itself after some errors).
void Rollback(sqlite3* db) {
  if (!sqlite3_get_autocommit(db)) Exec(db, "ROLLBACK", "rollback");
}

// Runs `body` in a transaction of its own, or inside the caller's when one is open.
Status Atomically(sqlite3* db, bool& in_transaction, const std::function<Status()>& body) {
  if (in_transaction) return body();
  if (Status s = Exec(db, "BEGIN IMMEDIATE", "begin transaction"); !s.ok()) return s;
  in_transaction = true;
  Status result;
  try {
    result = body();
  } catch (...) {
    Rollback(db);
    in_transaction = false;
    throw;
  }
  if (result.ok()) result = Exec(db, "COMMIT", "commit");
  if (!result.ok()) Rollback(db);
  in_transaction = false;
  return result;
}

int64_t ToMillis(WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
WallTime FromMillis(int64_t ms) { return WallTime(std::chrono::milliseconds(ms)); }
int64_t ToNanos(WallTime t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}
WallTime FromNanos(int64_t ns) {
  return WallTime(std::chrono::duration_cast<WallTime::duration>(std::chrono::nanoseconds(ns)));
}

// Invalid UTF-8 (from a drone's report, say) is replaced rather than thrown on.
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

Result<json> Parse(const std::string& text, std::string_view what) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Internal("store holds corrupt JSON in " + std::string(what));
  return j;
}

// Refuses files that are not ours: a database with foreign tables, another
// application's id, or a schema from a newer program.
Status CheckOwnership(sqlite3* db, const std::string& path) {
  auto app_id = QueryInt(db, "PRAGMA application_id", "reading application_id");
  if (!app_id.ok()) {
    // SQLite opens lazily: a file that cannot be opened, or is not a
    // database at all, shows only at the first read.
    switch (sqlite3_errcode(db) & 0xff) {
      case SQLITE_NOTADB:
        return Internal(path + " is not a build-swarm database: " + sqlite3_errmsg(db));
      case SQLITE_CANTOPEN:
      case SQLITE_PERM:
      case SQLITE_IOERR:
        return Unavailable("cannot open store " + path + ": " + sqlite3_errmsg(db));
      default:
        return app_id.status();
    }
  }
  auto version = QueryInt(db, "PRAGMA user_version", "reading user_version");
  if (!version.ok()) return version.status();
  auto tables = QueryInt(db, "SELECT count(*) FROM sqlite_schema", "reading schema");
  if (!tables.ok()) return tables.status();
  bool empty = *version == 0 && *tables == 0;
  if (!empty && *app_id != kApplicationId) {
    return Internal(path + " is not a build-swarm database (application_id " +
                    std::to_string(*app_id) + ")");
  }
  if (*version > kSchemaVersion) {
    return Internal(path + " has schema version " + std::to_string(*version) +
                    ", newer than this program knows (" + std::to_string(kSchemaVersion) +
                    "); run a newer swarm-controller");
  }
  return Status::Ok();
}

Status Migrate(sqlite3* db, const std::string& path) {
  bool in_transaction = false;
  return Atomically(db, in_transaction, [&]() -> Status {
    // Checked again under the write lock: another process may have migrated.
    if (Status s = CheckOwnership(db, path); !s.ok()) return s;
    auto version = QueryInt(db, "PRAGMA user_version", "reading user_version");
    if (!version.ok()) return version.status();
    if (*version == kSchemaVersion) return Status::Ok();
    for (int v = static_cast<int>(*version); v < kSchemaVersion; ++v) {
      std::string op = "migrating schema to version " + std::to_string(v + 1);
      if (Status s = Exec(db, kMigrations[v], op); !s.ok()) return s;
    }
    // PRAGMAs take no parameters; both values are this program's constants.
    return Exec(db,
                "PRAGMA application_id = " + std::to_string(kApplicationId) +
                    "; PRAGMA user_version = " + std::to_string(kSchemaVersion),
                "stamping schema version");
  });
}

Status Configure(sqlite3* db, Durability durability) {
  auto mode = [&]() -> Result<std::string> {
    Statement st(db, "setting journal_mode");
    if (Status s = st.Prepare("PRAGMA journal_mode = WAL"); !s.ok()) return s;
    auto row = st.Step();
    if (!row.ok()) return row.status();
    return *row ? st.Text(0) : std::string();
  }();
  if (!mode.ok()) return mode.status();
  if (*mode != "wal") return Internal("store cannot use WAL journal mode (got \"" + *mode + "\")");
  // FULL: a commit survives power loss, not only a process kill. OFF: no
  // fsync at all (a store thrown away after the run).
  const char* sync = durability == Durability::kDurable ? "PRAGMA synchronous = FULL"
                                                        : "PRAGMA synchronous = OFF";
  if (Status s = Exec(db, sync, "setting synchronous"); !s.ok()) return s;
  return Exec(db, "PRAGMA foreign_keys = ON", "enabling foreign keys");
}

api::Event ReadEvent(const Statement& st) {
  api::Event e;
  e.id = st.Int(0);
  e.object_kind = st.Text(1);
  e.object_name = st.Text(2);
  e.type = st.Text(3);
  e.reason = st.Text(4);
  e.message = st.Text(5);
  e.count = static_cast<int>(st.Int(6));
  e.first_timestamp = FromMillis(st.Int(7));
  e.last_timestamp = FromMillis(st.Int(8));
  return e;
}

constexpr char kEventColumns[] =
    "id, object_kind, object_name, type, reason, message, count, first_time_ms, last_time_ms";

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, Durability durability) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Unavailable("cannot open store " + path + ": " + msg);
  }
  // Owned from here on, so every early return below closes it.
  std::unique_ptr<Store> store(new Store(db));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);

  if (Status s = CheckOwnership(db, path); !s.ok()) return s;
  if (Status s = Configure(db, durability); !s.ok()) return s;
  if (Status s = Migrate(db, path); !s.ok()) return s;
  return store;
}

Store::Store(sqlite3* db) : db_(db) {}

Store::~Store() { sqlite3_close_v2(db_); }

Status Store::Transaction(const std::function<Status()>& body) {
  if (in_transaction_) return Internal("store transaction opened inside another transaction");
  if (Status s = Admit(); !s.ok()) return s;
  return Atomically(db_, in_transaction_, body);
}

void Store::CrashAfterCommits(int commits) { commits_left_ = commits; }

Status Store::Admit() {
  if (in_transaction_ || commits_left_ < 0) return Status::Ok();
  if (commits_left_ == 0) {
    crashed_ = true;
    return Unavailable("store: the process is taken to have died here (test)");
  }
  --commits_left_;
  return Status::Ok();
}

Result<std::optional<api::Swarm>> Store::GetSwarm() {
  constexpr std::string_view kOp = "reading the swarm";
  Statement st(db_, kOp);
  if (Status s = st.Prepare("SELECT name, generation, resource_version, creation_time_ns, "
                            "annotations, spec, status FROM swarm WHERE id = 1");
      !s.ok()) {
    return s;
  }
  auto row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<api::Swarm>();

  std::string spec_text = st.Text(5);
  auto decoded = api::DecodeSwarm(spec_text, "stored swarm");
  if (!decoded.ok()) {
    return Internal("stored swarm does not decode: " + decoded.status().message());
  }
  api::Swarm swarm = std::move(decoded).value();
  // Server-owned metadata is not read from the document: the decoder ignores it.
  swarm.metadata.name = st.Text(0);
  swarm.metadata.generation = st.Int(1);
  swarm.metadata.resource_version = st.Int(2);
  swarm.metadata.creation_timestamp =
      st.IsNull(3) ? std::nullopt : std::optional<WallTime>(FromNanos(st.Int(3)));

  auto annotations = Parse(st.Text(4), "swarm annotations");
  if (!annotations.ok()) return annotations.status();
  swarm.metadata.annotations.clear();
  for (const auto& [k, v] : annotations->items()) {
    if (!v.is_string()) return Internal("stored swarm annotation \"" + k + "\" is not a string");
    swarm.metadata.annotations[k] = v.get<std::string>();
  }

  auto status_json = Parse(st.Text(6), "swarm status");
  if (!status_json.ok()) return status_json.status();
  auto status = api::SwarmStatusFromJson(*status_json);
  if (!status.ok()) return Internal("stored swarm status: " + status.status().message());
  swarm.status = std::move(status).value();
  return std::optional<api::Swarm>(std::move(swarm));
}

Status Store::PutSwarm(const api::Swarm& swarm) {
  if (Status s = Admit(); !s.ok()) return s;
  constexpr std::string_view kOp = "writing the swarm";
  json doc = api::SwarmToJson(swarm);
  json status = doc.contains("status") ? doc["status"] : json::object();
  doc.erase("status");
  json annotations = json::object();
  for (const auto& [k, v] : swarm.metadata.annotations) annotations[k] = v;

  Statement st(db_, kOp);
  if (Status s = st.Prepare(
          "INSERT INTO swarm (id, name, generation, resource_version, creation_time_ns, "
          "annotations, spec, status) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7) "
          "ON CONFLICT (id) DO UPDATE SET name = excluded.name, generation = excluded.generation, "
          "resource_version = excluded.resource_version, "
          "creation_time_ns = excluded.creation_time_ns, annotations = excluded.annotations, "
          "spec = excluded.spec, status = excluded.status");
      !s.ok()) {
    return s;
  }
  st.Bind(1, swarm.metadata.name);
  st.Bind(2, swarm.metadata.generation);
  st.Bind(3, swarm.metadata.resource_version);
  if (swarm.metadata.creation_timestamp) {
    st.Bind(4, ToNanos(*swarm.metadata.creation_timestamp));
  } else {
    st.BindNull(4);
  }
  st.Bind(5, Dump(annotations));
  st.Bind(6, Dump(doc));
  st.Bind(7, Dump(status));
  return st.Run();
}

Status Store::PutSwarmStatus(const api::Swarm& swarm) {
  if (Status s = Admit(); !s.ok()) return s;
  json annotations = json::object();
  for (const auto& [k, v] : swarm.metadata.annotations) annotations[k] = v;
  Statement st(db_, "writing the swarm's status");
  if (Status s = st.Prepare("UPDATE swarm SET resource_version = ?1, annotations = ?2, "
                            "status = ?3 WHERE id = 1");
      !s.ok()) {
    return s;
  }
  st.Bind(1, swarm.metadata.resource_version);
  st.Bind(2, Dump(annotations));
  st.Bind(3, Dump(api::SwarmStatusToJson(swarm.status)));
  if (Status s = st.Run(); !s.ok()) return s;
  if (sqlite3_changes(db_) == 0) return NotFound("no swarm is stored");
  return Status::Ok();
}

Result<std::vector<std::pair<std::string, api::DroneStatus>>> Store::ListDroneStatuses() {
  Statement st(db_, "listing drones");
  if (Status s = st.Prepare("SELECT name, status FROM drones ORDER BY name"); !s.ok()) return s;
  std::vector<std::pair<std::string, api::DroneStatus>> out;
  while (true) {
    auto row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    std::string name = st.Text(0);
    auto j = Parse(st.Text(1), "status of drone " + name);
    if (!j.ok()) return j.status();
    auto status = api::DroneStatusFromJson(*j);
    if (!status.ok()) {
      return Internal("stored status of drone " + name + ": " + status.status().message());
    }
    out.emplace_back(std::move(name), std::move(status).value());
  }
  return out;
}

Result<api::DroneStatus> Store::GetDroneStatus(const std::string& name) {
  Statement st(db_, "reading a drone");
  if (Status s = st.Prepare("SELECT status FROM drones WHERE name = ?1"); !s.ok()) return s;
  st.Bind(1, name);
  auto row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) return NotFound("drone \"" + name + "\" is not stored");
  auto j = Parse(st.Text(0), "status of drone " + name);
  if (!j.ok()) return j.status();
  auto status = api::DroneStatusFromJson(*j);
  if (!status.ok()) {
    return Internal("stored status of drone " + name + ": " + status.status().message());
  }
  return status;
}

Status Store::PutDroneStatus(const std::string& name, const api::DroneStatus& status) {
  if (Status s = Admit(); !s.ok()) return s;
  Statement st(db_, "writing a drone");
  if (Status s = st.Prepare("INSERT INTO drones (name, status) VALUES (?1, ?2) "
                            "ON CONFLICT (name) DO UPDATE SET status = excluded.status");
      !s.ok()) {
    return s;
  }
  st.Bind(1, name);
  st.Bind(2, Dump(api::DroneStatusToJson(status)));
  return st.Run();
}

Status Store::DeleteDrone(const std::string& name) {
  if (Status s = Admit(); !s.ok()) return s;
  Statement st(db_, "deleting a drone");
  if (Status s = st.Prepare("DELETE FROM drones WHERE name = ?1"); !s.ok()) return s;
  st.Bind(1, name);
  return st.Run();
}

Result<std::vector<api::Release>> Store::ListReleases() {
  Statement st(db_, "listing releases");
  if (Status s = st.Prepare("SELECT name, release FROM releases ORDER BY name"); !s.ok()) return s;
  std::vector<api::Release> out;
  while (true) {
    auto row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const std::string name = st.Text(0);
    auto j = Parse(st.Text(1), "release " + name);
    if (!j.ok()) return j.status();
    auto release = api::ReleaseFromJson(*j);
    if (!release.ok()) return Internal("stored release " + name + ": " + release.status().message());
    out.push_back(std::move(release).value());
  }
  return out;
}

Status Store::PutRelease(const api::Release& release) {
  if (Status s = Admit(); !s.ok()) return s;
  Statement st(db_, "writing a release");
  if (Status s = st.Prepare("INSERT OR REPLACE INTO releases (name, release) VALUES (?1, ?2)");
      !s.ok()) {
    return s;
  }
  st.Bind(1, release.name);
  st.Bind(2, api::ReleaseToJson(release, false, true).dump());
  return st.Run();
}

Status Store::DeleteRelease(const std::string& name) {
  if (Status s = Admit(); !s.ok()) return s;
  Statement st(db_, "deleting a release");
  if (Status s = st.Prepare("DELETE FROM releases WHERE name = ?1"); !s.ok()) return s;
  st.Bind(1, name);
  return st.Run();
}

Result<api::Event> Store::RecordEvent(const api::Event& e) {
  if (Status s = Admit(); !s.ok()) return s;
  // A caller that sets only one of the times means both.
  const WallTime last = e.last_timestamp == WallTime{} ? e.first_timestamp : e.last_timestamp;
  const WallTime first = e.first_timestamp == WallTime{} ? last : e.first_timestamp;
  std::optional<api::Event> stored;
  Status st = Atomically(db_, in_transaction_, [&]() -> Status {
    constexpr std::string_view kOp = "recording an event";
    Statement newest(db_, kOp);
    if (Status s = newest.Prepare(std::string("SELECT ") + kEventColumns +
                                  " FROM events WHERE object_kind = ?1 AND object_name = ?2 "
                                  "ORDER BY last_time_ms DESC, id DESC LIMIT 1");
        !s.ok()) {
      return s;
    }
    newest.Bind(1, e.object_kind);
    newest.Bind(2, e.object_name);
    auto row = newest.Step();
    if (!row.ok()) return row.status();
    if (*row) {
      api::Event prev = ReadEvent(newest);
      if (prev.type == e.type && prev.reason == e.reason && prev.message == e.message) {
        Statement fold(db_, kOp);
        if (Status s = fold.Prepare(
                "UPDATE events SET count = count + 1, last_time_ms = ?2 WHERE id = ?1");
            !s.ok()) {
          return s;
        }
        fold.Bind(1, prev.id);
        fold.Bind(2, ToMillis(last));
        if (Status s = fold.Run(); !s.ok()) return s;
        stored = std::move(prev);
        stored->count += 1;
        stored->last_timestamp = FromMillis(ToMillis(last));
        return Status::Ok();
      }
    }

    Statement insert(db_, kOp);
    if (Status s = insert.Prepare(
            "INSERT INTO events (object_kind, object_name, type, reason, message, count, "
            "first_time_ms, last_time_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        !s.ok()) {
      return s;
    }
    insert.Bind(1, e.object_kind);
    insert.Bind(2, e.object_name);
    insert.Bind(3, e.type);
    insert.Bind(4, e.reason);
    insert.Bind(5, e.message);
    insert.Bind(6, std::max<int64_t>(e.count, 1));
    insert.Bind(7, ToMillis(first));
    insert.Bind(8, ToMillis(last));
    if (Status s = insert.Run(); !s.ok()) return s;
    stored = e;
    stored->id = sqlite3_last_insert_rowid(db_);
    stored->count = std::max(e.count, 1);
    stored->first_timestamp = FromMillis(ToMillis(first));
    stored->last_timestamp = FromMillis(ToMillis(last));

    Statement prune(db_, "pruning events");
    if (Status s = prune.Prepare("DELETE FROM events WHERE id IN (SELECT id FROM events "
                                 "ORDER BY last_time_ms DESC, id DESC LIMIT -1 OFFSET ?1)");
        !s.ok()) {
      return s;
    }
    // The event just recorded is always kept.
    prune.Bind(1, static_cast<int64_t>(
                      std::clamp<size_t>(max_events_, 1, std::numeric_limits<int64_t>::max())));
    return prune.Run();
  });
  if (!st.ok()) return st;
  return std::move(*stored);
}

Result<std::vector<api::Event>> Store::ListEvents(const EventFilter& filter) {
  // Only fixed fragments are joined; every value is a bound parameter.
  std::string sql = std::string("SELECT ") + kEventColumns + " FROM events WHERE 1";
  if (!filter.object_kind.empty()) sql += " AND object_kind = ?1";
  if (!filter.object_name.empty()) sql += " AND object_name = ?2";
  sql += " ORDER BY last_time_ms DESC, id DESC LIMIT ?3";
  Statement st(db_, "listing events");
  if (Status s = st.Prepare(sql); !s.ok()) return s;
  if (!filter.object_kind.empty()) st.Bind(1, filter.object_kind);
  if (!filter.object_name.empty()) st.Bind(2, filter.object_name);
  st.Bind(
      3, static_cast<int64_t>(std::min<size_t>(filter.limit, std::numeric_limits<int64_t>::max())));
  std::vector<api::Event> out;
  while (true) {
    auto row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(ReadEvent(st));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

Result<std::vector<api::Package>> Store::ListPackages() {
  Statement st(db_, "listing packages");
  if (Status s = st.Prepare("SELECT name, package FROM packages ORDER BY position"); !s.ok()) {
    return s;
  }
  std::vector<api::Package> out;
  while (true) {
    auto row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const std::string name = st.Text(0);
    auto j = Parse(st.Text(1), "package " + name);
    if (!j.ok()) return j.status();
    auto package = api::PackageFromJson(*j);
    if (!package.ok())
      return Internal("stored package " + name + ": " + package.status().message());
    out.push_back(std::move(package).value());
  }
  return out;
}

Status Store::ReplacePackages(const std::vector<api::Package>& packages) {
  if (Status s = Admit(); !s.ok()) return s;
  return Atomically(db_, in_transaction_, [&]() -> Status {
    if (Status s = Exec(db_, "DELETE FROM packages", "replacing the queue"); !s.ok()) return s;
    int64_t position = 0;
    for (const auto& p : packages) {
      Statement st(db_, "replacing the queue");
      if (Status s =
              st.Prepare("INSERT INTO packages (position, name, package) VALUES (?1, ?2, ?3)");
          !s.ok()) {
        return s;
      }
      st.Bind(1, position++);
      st.Bind(2, p.name);
      st.Bind(3, Dump(api::PackageToJson(p)));
      if (Status s = st.Run(); !s.ok()) return s;
    }
    return Status::Ok();
  });
}

Status Store::PutPackage(const api::Package& package) {
  if (Status s = Admit(); !s.ok()) return s;
  Statement st(db_, "writing a package");
  if (Status s = st.Prepare("UPDATE packages SET package = ?2 WHERE name = ?1"); !s.ok()) return s;
  st.Bind(1, package.name);
  st.Bind(2, Dump(api::PackageToJson(package)));
  if (Status s = st.Run(); !s.ok()) return s;
  if (sqlite3_changes(db_) == 0) return NotFound("package " + package.name + " is not queued");
  return Status::Ok();
}

}  // namespace swarm::controller
