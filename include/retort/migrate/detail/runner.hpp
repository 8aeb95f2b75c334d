// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Runs a list of schema-changing statements as one atomic unit, the way both the revision
// runner and the schema manager's `fix` need it:
//  - SQLite: foreign keys off before BEGIN EXCLUSIVE (inside a transaction the pragma does
//    nothing, and a rebuild's DROP TABLE would run ON DELETE CASCADE); each rebuilt table's
//    triggers recreated after its rename; PRAGMA foreign_key_check before COMMIT; foreign keys
//    back on afterwards (if they were on).
//  - PostgreSQL: BEGIN; SET LOCAL lock_timeout; the statements; COMMIT; then CREATE INDEX
//    CONCURRENTLY statements, which cannot run in a transaction.
// A failure rolls everything back and is reported as a migration_error naming the unit, the
// statement's place and its text.

#include <retort/error.hpp>
#include <retort/migrate/detail/sqlite_rebuild.hpp>
#include <retort/migrate/plan.hpp>
#include <retort/migrate/sql_script.hpp>
#include <retort/migrate/version_table.hpp>

#include <cctype>
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace retort::migrate {

/// A statement of a revision (or of a `fix`) failed: names the revision, the statement's place
/// and text, and keeps the database's own details (SQLSTATE, SQLite code, constraint).
class migration_error : public error {
public:
    migration_error(std::string revision, std::size_t index, std::size_t count,
                    std::string statement, const std::string& cause, error_details details,
                    bool after_commit = false)
        : error(label(revision) + ", statement " + std::to_string(index) + " of " +
                    std::to_string(count) + " failed: " + cause + "\n    " + statement +
                    (after_commit ? "\nThe revision's transaction had committed; the unfinished "
                                    "index was dropped: run this statement again once the "
                                    "cause is fixed."
                                  : "\nNothing of " + label(revision) + " was applied."),
                std::move(details)),
          revision_(std::move(revision)), statement_(std::move(statement)) {}
    /// The revision's id; empty for a schema manager's fix.
    const std::string& revision() const noexcept { return revision_; }
    static std::string label(const std::string& revision) {
        return revision.empty() ? std::string{"the fix"} : "revision " + revision;
    }
    const std::string& statement() const noexcept { return statement_; }

private:
    std::string revision_, statement_;
};

/// One statement as it is about to run (finished false) and once it has run (finished true).
struct progress {
    std::string_view revision;
    std::size_t index = 0, count = 0;  // 1-based place among the revision's statements
    std::string_view sql;
    std::chrono::steady_clock::duration elapsed{};
    bool finished = false;
};

struct run_options {
    /// PostgreSQL: how long one statement waits for a table lock before failing (0: forever).
    std::chrono::milliseconds lock_timeout{10'000};
    /// Called before and after each of the unit's own statements.
    std::function<void(const progress&)> on_progress;
    /// Test hook: called before each of the unit's own statements; throwing from it fails the
    /// unit there, as a failing statement would.
    std::function<void(std::string_view unit, std::size_t index)> before_statement;
};

namespace detail {

/// The driver's message without its trailing " in: <sql>": a migration_error prints the
/// statement itself, once.
inline std::string message_without_statement(const error& e) {
    constexpr std::string_view marker = " in: ";  // as the drivers' format_error writes it
    std::string_view message = e.what();
    const std::string& sql = e.details().sql;
    if (!sql.empty() && message.ends_with(sql) &&
        message.substr(0, message.size() - sql.size()).ends_with(marker))
        message.remove_suffix(marker.size() + sql.size());
    return std::string{message};
}

/// A revision brings its own transaction: inside the caller's, BEGIN would fail (SQLite) or
/// COMMIT would commit the caller's work too (PostgreSQL).
template <class Backend>
void require_no_transaction(basic_session<Backend>& s) {
    if (s.connection().in_transaction())
        throw programming_error("migrations run in transactions of their own: commit or roll "
                                "back the session's transaction first");
}

/// ROLLBACK on a failure path, where a second error must not hide the first.
template <class Backend>
void rollback_quietly(basic_session<Backend>& s) noexcept {
    try {
        s.connection().execute_script("ROLLBACK");
    } catch (...) {
    }
}

/// CREATE [UNIQUE] INDEX CONCURRENTLY and DROP INDEX CONCURRENTLY cannot run in a transaction
/// block; anything else in a revision can.
inline bool runs_after_commit(std::string_view sql) {
    const auto words = sql_words(sql, 4);
    auto is = [&](std::size_t n, std::string_view w) {
        return words.size() > n && same_word(words[n], w);
    };
    if (is(0, "CREATE") && is(1, "INDEX")) return is(2, "CONCURRENTLY");
    if (is(0, "CREATE") && is(1, "UNIQUE") && is(2, "INDEX")) return is(3, "CONCURRENTLY");
    return is(0, "DROP") && is(1, "INDEX") && is(2, "CONCURRENTLY");
}

/// Statements that would end or nest the runner's own transaction.
inline bool controls_transaction(std::string_view sql) {
    const auto words = sql_words(sql, 1);
    if (words.empty()) return false;
    for (std::string_view w : {"BEGIN", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT",
                               "RELEASE", "START", "PREPARE"})
        if (same_word(words[0], w)) return true;
    return false;
}

struct script_step {
    std::string sql;
    bool own = false;           // one of the unit's statements (counted in progress)
    bool after_commit = false;  // PostgreSQL CONCURRENTLY: runs after the transaction
    bool begins = false, commits = false;
    bool foreign_key_baseline = false, foreign_key_check = false;
    bool recheck = false;      // re-read the version table: another migrator may have been first
    std::string rebuild_of{};  // SQLite: CREATE TABLE "_retort_new_<x>": x is being rebuilt
    std::string restores{};    // SQLite: the rename that ends x's rebuild
    bool replay = false;       // a trigger or hand-made index recreated after a rebuild
    bool optional_on = false;  // PRAGMA foreign_keys = ON: only if they were on before
};

template <class Backend>
class atomic_runner {
    static constexpr bool is_sqlite = std::is_same_v<Backend, retort::sqlite>;

public:
    /// `known`/`after`: the tables as the planner knew them before and after the unit
    /// (revisions), or nullptr when the unit was planned from the live schema itself (fix).
    atomic_runner(basic_session<Backend>& s, const run_options& o,
                  const known_schema* known = nullptr, const known_schema* after = nullptr)
        : s_(s), options_(o), rebuild_(s, known, after) {}

    using objects = typename sqlite_rebuild<Backend>::objects;

    /// The whole unit: the wrapper, `statements`, and `bookkeeping` (version-table writes)
    /// just before COMMIT. With `versioned`, the version table is created and re-read first.
    /// The triggers and hand-made indexes a rebuild recreates are read from the database as
    /// it is now (run() reads them again just before each rebuild).
    std::vector<script_step> steps(const std::string& unit, std::vector<std::string> statements,
                                   std::vector<std::string> bookkeeping, bool versioned,
                                   std::map<std::string, objects, std::less<>>* state = nullptr) {
        std::vector<script_step> out;
        if constexpr (is_sqlite) out.push_back({"PRAGMA foreign_keys = OFF"});
        out.push_back({is_sqlite ? "BEGIN EXCLUSIVE" : "BEGIN"});
        out.back().begins = true;
        if constexpr (!is_sqlite)
            out.push_back({"SET LOCAL lock_timeout = '" +
                           std::to_string(options_.lock_timeout.count()) + "ms'"});
        if (versioned) {
            out.push_back({create_version_table_sql<Backend>()});
            out.back().recheck = true;
        }
        if constexpr (is_sqlite) {
            out.push_back({"PRAGMA foreign_key_check"});
            out.back().foreign_key_baseline = true;
        }
        std::vector<script_step> late;
        for (auto& sql : statements) {
            if (controls_transaction(sql))
                throw configuration_error(migration_error::label(unit) +
                                          " holds a transaction statement (" + sql.substr(0, 20) +
                                          "...): each revision runs in a transaction of its own");
            const bool concurrent = !is_sqlite && runs_after_commit(sql);
            script_step step{std::move(sql), true, concurrent};
            if constexpr (is_sqlite) {
                step.rebuild_of = sqlite_rebuild<Backend>::rebuild_target(step.sql);
                step.restores = sqlite_rebuild<Backend>::rebuilt_table(step.sql);
            }
            if constexpr (is_sqlite)
                if (state) rebuild_.follow_triggers(step.sql, *state);
            if (!step.restores.empty()) {
                // SQLite's rename checks every view and trigger naming the table, which was
                // dropped a statement ago: the legacy rename does not look.
                out.push_back({"PRAGMA legacy_alter_table = ON"});
                const std::string table = step.restores;
                out.push_back(std::move(step));
                const objects o =
                    state ? rebuild_.objects_of(table, *state) : rebuild_.objects_on(table);
                for (auto& r : rebuild_.replay_sql(table, o)) {
                    out.push_back({std::move(r)});
                    out.back().replay = true;
                }
                out.push_back({"PRAGMA legacy_alter_table = OFF"});
                continue;
            }
            (concurrent ? late : out).push_back(std::move(step));
        }
        if constexpr (is_sqlite) {
            out.push_back({"PRAGMA foreign_key_check"});
            out.back().foreign_key_check = true;
        }
        for (auto& b : bookkeeping) out.push_back({std::move(b)});
        out.push_back({"COMMIT"});
        out.back().commits = true;
        for (auto& l : late) out.push_back(std::move(l));
        if constexpr (is_sqlite) {
            out.push_back({"PRAGMA foreign_keys = ON"});
            out.back().optional_on = true;
        }
        return out;
    }

    /// Whether SQLite's foreign keys are on now (the runner restores that state).
    bool foreign_keys_on() {
        if constexpr (is_sqlite)
            for (auto& [on] : s_.template query<std::int64_t>("PRAGMA foreign_keys"))
                return on != 0;
        return true;
    }

    /// Runs the steps; false when a recheck found the version table no longer holding
    /// `expected_applied` rows (another migrator moved it first): then nothing was done.
    /// `unit`: the revision's id, or empty for a fix.
    /// `still_valid`, when given, is asked once the transaction has begun (and holds the
    /// lock): false means the plan was made from a schema that has changed since; then nothing
    /// is done and run() returns false, for the caller to plan again.
    bool run(const std::string& unit, const std::vector<script_step>& plan,
             std::size_t expected_applied = 0, const std::function<bool()>& still_valid = {}) {
        auto& c = s_.connection();
        require_no_transaction(s_);
        const bool foreign_keys_were_on = foreign_keys_on();
        const std::int64_t legacy_alter = legacy_alter_table();
        std::size_t count = 0, index = 0;
        for (const auto& st : plan) count += st.own;
        bool in_transaction = false;
        auto restore = [&]() noexcept {
            restore_foreign_keys(foreign_keys_were_on);
            restore_legacy_alter_table(legacy_alter);
        };
        auto undo = [&]() noexcept {
            if (in_transaction) rollback_quietly(s_);
            restore();
        };
        std::map<std::string, std::size_t> baseline;  // foreign-key violations before the unit
        std::map<std::string, objects, std::less<>> saved;  // of each table being rebuilt
        for (const auto& st : plan) {
            if (st.optional_on && !foreign_keys_were_on) continue;
            if (st.replay) continue;  // replayed from what run() reads, below
            if (st.own) ++index;
            try {
                if (st.own && options_.before_statement) options_.before_statement(unit, index);
                progress p{unit, index, count, st.sql};
                if (st.own && options_.on_progress) options_.on_progress(p);
                const auto start = std::chrono::steady_clock::now();
                if (st.foreign_key_baseline)
                    baseline = foreign_key_violations();
                else if (st.foreign_key_check)
                    check_foreign_keys(unit, baseline);
                else if (st.after_commit)
                    run_concurrent(st.sql);
                else
                    run_own(c, st);
                if constexpr (is_sqlite)
                    if (st.own) {
                        rebuild_.follow_rename(st.sql);
                        rebuild_.check_copy(st.sql);
                    }
                if (!st.rebuild_of.empty())
                    saved[st.rebuild_of] =
                        rebuild_.before_rebuild(migration_error::label(unit), st.rebuild_of);
                if (st.begins) in_transaction = true;
                if (st.commits) in_transaction = false;
                // A statement that ended the transaction (however it was spelled) must not
                // let the rest run outside it.
                if (in_transaction && !c.in_transaction())
                    throw programming_error("the statement ended the unit's transaction: " +
                                            migration_error::label(unit) +
                                            " must not commit or roll back by itself");
                if (!st.restores.empty())
                    if (auto it = saved.find(st.restores); it != saved.end())
                        for (const auto& r : rebuild_.replay_sql(st.restores, it->second))
                            c.execute_script(r);
                const bool stale = (st.recheck && read_applied(s_).size() != expected_applied) ||
                                   (st.begins && still_valid && !still_valid());
                if (stale) {
                    c.execute_script("COMMIT");
                    in_transaction = false;
                    restore();
                    return false;
                }
                p.elapsed = std::chrono::steady_clock::now() - start;
                p.finished = true;
                if (st.own && options_.on_progress) options_.on_progress(p);
            } catch (const error& e) {
                undo();
                throw migration_error(unit, index, count, st.sql, message_without_statement(e),
                                      e.details(), st.after_commit);
            } catch (const std::exception& e) {
                undo();
                throw migration_error(unit, index, count, st.sql, e.what(), {}, st.after_commit);
            } catch (...) {
                undo();
                throw;
            }
        }
        // The script turned it off after a rebuild; a connection that had it on gets it back.
        if (legacy_alter != 0) restore_legacy_alter_table(legacy_alter);
        return true;
    }

private:
    basic_session<Backend>& s_;
    const run_options& options_;
    sqlite_rebuild<Backend> rebuild_;

    std::int64_t legacy_alter_table() {
        std::int64_t value = 0;
        if constexpr (is_sqlite)
            for (auto& [v] : s_.template query<std::int64_t>("PRAGMA legacy_alter_table"))
                value = v;
        return value;
    }

    /// A rebuild turns legacy_alter_table on around its rename: whatever happens, the
    /// connection goes back to the pool as it came.
    void restore_legacy_alter_table(std::int64_t value) noexcept {
        if constexpr (is_sqlite) {
            try {
                s_.connection().execute_script("PRAGMA legacy_alter_table = " +
                                               std::to_string(value));
            } catch (...) {
            }
        }
    }

    void restore_foreign_keys(bool on) noexcept {
        if constexpr (is_sqlite) {
            try {
                if (on) s_.connection().execute_script("PRAGMA foreign_keys = ON");
            } catch (...) {
            }
        }
    }

    std::map<std::string, std::size_t> foreign_key_violations() {
        std::map<std::string, std::size_t> out;
        for (auto& [table, rowid, parent, fk] :
             s_.template query<std::string, std::optional<std::int64_t>, std::string, std::int64_t>(
                 "PRAGMA foreign_key_check"))
            ++out[table];
        return out;
    }

    /// Fails when the unit left more rows without a parent in some table than it found there
    /// (violations that were there before are the application's, not the migration's).
    void check_foreign_keys(const std::string& unit,
                            const std::map<std::string, std::size_t>& baseline) {
        std::string problems;
        std::size_t n = 0;
        for (const auto& [table, count] : foreign_key_violations()) {
            auto it = baseline.find(table);
            const std::size_t before = it == baseline.end() ? 0 : it->second;
            if (count <= before) continue;
            n += count - before;
            problems += "\n  " + table + ": " + std::to_string(count - before) +
                        " row(s) whose foreign key finds no parent";
        }
        if (n)
            throw foreign_key_violation(migration_error::label(unit) + " would leave " +
                                        std::to_string(n) + " row(s) without a parent:" + problems);
    }

    /// One of the unit's statements. On SQLite a rebuild's refused copy is refused again with
    /// the rows that cause it counted.
    template <class Connection>
    void run_own(Connection& c, const script_step& st) {
        try {
            c.execute_script(st.sql);
        } catch (const integrity_error& refused) {
            if constexpr (is_sqlite)
                if (st.own)
                    rebuild_.explain_refused_copy(st.sql, message_without_statement(refused),
                                                  refused.details());
            throw;
        }
    }

    /// A CONCURRENTLY build that fails, or that PostgreSQL finishes INVALID, leaves an index
    /// that IF NOT EXISTS would then skip: such an index is dropped (before a build too, from
    /// an earlier attempt), so that running the statement again builds it.
    void run_concurrent(const std::string& sql) {
        auto& c = s_.connection();
        const std::string name = index_name_of(sql);
        auto invalid = [&] {
            return !name.empty() &&
                   !s_.template query<std::int64_t>(
                          "SELECT 1 FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON "
                          "c.oid = i.indexrelid WHERE c.relname = ? AND NOT i.indisvalid",
                          name)
                        .empty();
        };
        auto drop = [&] {
            c.execute_script("DROP INDEX CONCURRENTLY IF EXISTS " + quote_identifier(name));
        };
        if (invalid()) drop();
        try {
            c.execute_script(sql);
        } catch (...) {
            try {
                if (invalid()) drop();
            } catch (...) {
            }
            throw;
        }
        if (invalid()) {
            drop();
            throw operational_error("PostgreSQL finished the index " + name + " INVALID");
        }
    }

    /// The index a CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] <name> statement names,
    /// as PostgreSQL stores it (an unquoted name folded to lower case).
    static std::string index_name_of(std::string_view sql) {
        const auto words = sql_words(sql, 10);
        std::size_t i = 0;
        while (i < words.size() && !same_word(words[i], "CONCURRENTLY")) ++i;
        if (i + 1 >= words.size() || !same_word(words[0], "CREATE")) return {};
        ++i;
        if (i + 3 < words.size() && same_word(words[i], "IF")) i += 3;
        std::string name = words[i];
        if (sql.find("\"" + name + "\"") == std::string_view::npos)
            for (char& ch : name)
                ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        return name;
    }
};

}  // namespace detail
}  // namespace retort::migrate
