// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Runs revisions against a database: upgrade, downgrade, stamp, and what is applied.
//
// Each revision is applied atomically: its statements and its version row commit together, or
// nothing does. One migrator runs at a time: on PostgreSQL a session advisory lock is held for
// the whole run; on SQLite each revision runs in a BEGIN EXCLUSIVE transaction that first
// re-reads the version table, so a migrator that waited for another finds its work done.
//
// Around each revision's SQL the runner adds what its backend needs (detail/runner.hpp):
// foreign keys off and a foreign_key_check on SQLite, lock_timeout on PostgreSQL.
//
// `script()` returns exactly the statements `upgrade`/`downgrade` execute, apart from the
// queries the runner reads its own state with (the version table, trigger definitions).

#include <retort/error.hpp>
#include <retort/migrate/detail/runner.hpp>
#include <retort/migrate/introspect.hpp>
#include <retort/migrate/plan.hpp>
#include <retort/migrate/revision.hpp>
#include <retort/migrate/version_table.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

namespace retort::migrate {

struct migrator_options : run_options {
    /// How long a migrator waits for another to finish (SQLite busy timeout; 0: unchanged).
    std::chrono::milliseconds wait_for_other{600'000};
    /// The models' fingerprint (models_hash_text) and whether the head revision's schema
    /// equals those models: then the head's version row records the fingerprint.
    std::string models_hash;
    bool models_match_head = false;
};

template <class Backend>
class migrator {
    static constexpr bool is_sqlite = std::is_same_v<Backend, retort::sqlite>;
    using dialect = typename Backend::dialect;

public:
    migrator(basic_session<Backend>& s, std::vector<revision> history, migrator_options o = {})
        : s_(s), history_(std::move(history)), options_(std::move(o)) {}

    const std::vector<revision>& history() const { return history_; }

    /// The applied revisions, in history order, after checking them against the files: an
    /// applied revision that is missing or was edited since is an error.
    std::vector<applied_revision> applied() { return checked(read_applied(s_)); }

    /// The id of the newest applied revision, or empty at the base.
    std::string current() {
        auto a = applied();
        return a.empty() ? std::string{} : a.back().id;
    }

    /// How many revisions `target` means: "head", "base", an id, "+N" or "-N" (relative to
    /// the `from` applied revisions).
    std::size_t resolve(std::string_view target, std::size_t from) const {
        if (target == "head") return history_.size();
        if (target == "base") return 0;
        if (!target.empty() && (target[0] == '+' || target[0] == '-')) {
            const std::string digits{target.substr(1)};
            if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos)
                throw configuration_error("'" + std::string{target} +
                                          "' is not a revision: use head, base, an id, +N or -N");
            const std::size_t n = std::stoull(digits);
            if (target[0] == '+') {
                if (from + n > history_.size())
                    throw configuration_error("cannot upgrade " + std::string{target} + ": only " +
                                              std::to_string(history_.size() - from) +
                                              " revision(s) after the current one");
                return from + n;
            }
            if (n > from)
                throw configuration_error("cannot downgrade " + std::string{target} + ": only " +
                                          std::to_string(from) + " revision(s) applied");
            return from - n;
        }
        for (std::size_t i = 0; i < history_.size(); ++i)
            if (history_[i].id == target || unique_prefix(target, i)) return i + 1;
        throw configuration_error("no revision '" + std::string{target} + "' in the history");
    }

    /// Applies revisions up to `target`; returns the ids applied.
    std::vector<std::string> upgrade(std::string_view target = "head") {
        return move_to(target, direction::up);
    }

    /// Undoes revisions down to `target` (which stays applied); returns the ids undone.
    std::vector<std::string> downgrade(std::string_view target) {
        return move_to(target, direction::down);
    }

    /// The statements upgrade/downgrade to `target` would execute, in order.
    std::vector<std::string> script(std::string_view target, direction d) {
        const std::size_t from = applied().size();
        const std::size_t to = resolve(target, from);
        check_direction(from, to, d);
        detail::atomic_runner<Backend> runner(s_, options_);
        std::vector<std::string> out;
        if constexpr (!is_sqlite) out.push_back(lock_sql(true));
        for (std::size_t i = from; i != to; d == direction::up ? ++i : --i) {
            const revision& r = history_[d == direction::up ? i : i - 1];
            for (const auto& step : steps(runner, r, d)) out.push_back(step.sql);
        }
        if constexpr (!is_sqlite) out.push_back(lock_sql(false));
        return out;
    }

    /// Differences between the live schema and revision `target`'s snapshot (tables the
    /// snapshot does not name are not compared unless `whole_database`).
    std::vector<operation> compare(std::string_view target, bool whole_database = false) {
        const std::size_t n = resolve(target, applied_count_unchecked());
        schema::database expected = n == 0 ? schema::database{} : history_[n - 1].snapshot;
        schema::database live = introspect(s_);
        if (!whole_database)
            std::erase_if(live.tables, [&](const schema::table& t) {
                return expected.find_table(t.name) == nullptr;
            });
        return diff(comparable<Backend>(std::move(live)),
                    comparable_models<Backend>(std::move(expected)));
    }

    /// Records `target` (and every revision before it) as applied without running any DDL.
    /// Refuses, listing the differences, unless the live schema matches the revision's
    /// snapshot or `force`.
    void stamp(std::string_view target, bool force = false) {
        const std::size_t n = resolve(target, applied_count_unchecked());
        if (!force) {
            auto differences = compare(target);
            if (!differences.empty()) {
                std::string message = "the database does not match revision " +
                                      std::string{target} + "; refusing to stamp (" +
                                      std::to_string(differences.size()) + " difference(s)):";
                for (const auto& op : differences)
                    message += "\n  " + std::string{to_string(op.level)} + ": " + op.description;
                throw programming_error(message + "\nfix them (or pass --force)");
            }
        }
        detail::require_no_transaction(s_);
        locked([&] {
            auto& c = s_.connection();
            c.execute_script(is_sqlite ? "BEGIN EXCLUSIVE" : "BEGIN");
            try {
                c.execute_script(create_version_table_sql<Backend>());
                c.execute_script("DELETE FROM " + schema::quote_identifier(version_table));
                for (std::size_t i = 0; i < n; ++i)
                    c.execute_script(insert_version_sql<Backend>(
                        history_[i].id, i + 1, history_[i].checksum, "stamp",
                        i + 1 == history_.size() && options_.models_match_head
                            ? options_.models_hash
                            : ""));
                c.execute_script("COMMIT");
            } catch (...) {
                rollback_quietly();
                throw;
            }
        });
    }

private:
    basic_session<Backend>& s_;
    std::vector<revision> history_;
    migrator_options options_;

    bool unique_prefix(std::string_view target, std::size_t i) const {
        if (target.size() < 4 || history_[i].id.compare(0, target.size(), target) != 0)
            return false;
        for (std::size_t j = 0; j < history_.size(); ++j)
            if (j != i && history_[j].id.compare(0, target.size(), target) == 0) return false;
        return true;
    }

    std::size_t applied_count_unchecked() { return read_applied(s_).size(); }

    std::vector<applied_revision> checked(std::vector<applied_revision> rows) const {
        std::map<std::string, applied_revision, std::less<>> by_id;
        for (auto& r : rows) by_id.emplace(r.id, std::move(r));
        std::vector<applied_revision> out;
        for (const auto& r : history_) {
            auto it = by_id.find(r.id);
            if (it == by_id.end()) break;
            if (it->second.checksum != r.checksum)
                throw programming_error("revision " + r.id + " was edited after it was applied " +
                                        "(checksum " + it->second.checksum + " then, " +
                                        r.checksum + " now, in " + r.path.string() +
                                        "): restore it, or downgrade before editing");
            out.push_back(std::move(it->second));
            by_id.erase(it);
        }
        if (!by_id.empty()) {
            const auto& [id, row] = *by_id.begin();
            bool known = false;
            for (const auto& r : history_) known = known || r.id == id;
            throw programming_error(
                known ? "revision " + id + " is applied but the one before it is not: the " +
                            "version table does not follow the history"
                      : "revision " + id + " is applied to the database but is not in the " +
                            "migrations directory");
        }
        return out;
    }

    static void check_direction(std::size_t from, std::size_t to, direction d) {
        if (d == direction::up && to < from)
            throw configuration_error("that target is behind the current revision: downgrade");
        if (d == direction::down && to > from)
            throw configuration_error("that target is ahead of the current revision: upgrade");
    }

    std::string lock_sql(bool take) const {
        // One fixed key: the two ints of the text "retort migrations" hashed.
        return std::string{take ? "SELECT pg_advisory_lock(" : "SELECT pg_advisory_unlock("} +
               std::to_string(static_cast<std::int32_t>(schema::fnv1a32("retort migrations"))) +
               ")";
    }

    template <class F>
    void locked(F&& f) {
        if constexpr (is_sqlite) {
            std::int64_t previous = 0;
            for (auto& [ms] : s_.template query<std::int64_t>("PRAGMA busy_timeout")) previous = ms;
            if (options_.wait_for_other.count() > 0)
                s_.execute_script("PRAGMA busy_timeout = " +
                                  std::to_string(options_.wait_for_other.count()));
            try {
                f();
            } catch (...) {
                s_.execute_script("PRAGMA busy_timeout = " + std::to_string(previous));
                throw;
            }
            s_.execute_script("PRAGMA busy_timeout = " + std::to_string(previous));
        } else {
            s_.connection().execute_script(lock_sql(true));
            try {
                f();
            } catch (...) {
                try {
                    s_.connection().execute_script(lock_sql(false));
                } catch (...) {
                }
                throw;
            }
            s_.connection().execute_script(lock_sql(false));
        }
    }

    void rollback_quietly() noexcept {
        try {
            s_.connection().execute_script("ROLLBACK");
        } catch (...) {
        }
    }

    std::size_t position_of(const revision& r) const {
        return static_cast<std::size_t>(&r - history_.data()) + 1;
    }

    std::vector<detail::script_step> steps(detail::atomic_runner<Backend>& runner,
                                           const revision& r, direction d) {
        const std::string section = revision::section_name(d, dialect::name);
        if (!r.sections.count(section))
            throw configuration_error("revision " + r.id + " (" + r.path.string() +
                                      ") has no '-- " + section + "' section");
        const bool is_head = &r == &history_.back();
        std::string bookkeeping =
            d == direction::up
                ? insert_version_sql<Backend>(
                      r.id, position_of(r), r.checksum, "upgrade",
                      is_head && options_.models_match_head ? options_.models_hash : "")
                : delete_version_sql(r.id);
        return runner.steps(r.statements(d, dialect::name), {std::move(bookkeeping)}, true,
                            runner.triggers());
    }

    std::vector<std::string> move_to(std::string_view target, direction d) {
        std::vector<std::string> done;
        locked([&] {
            const std::size_t to = resolve(target, applied().size());
            check_direction(applied().size(), to, d);
            for (;;) {
                // Re-read inside the lock: another migrator may have moved the database.
                const std::size_t now = applied().size();
                if (d == direction::up ? now >= to : now <= to) break;
                const revision& r = history_[d == direction::up ? now : now - 1];
                detail::atomic_runner<Backend> runner(s_, options_);
                if (runner.run(r.id, steps(runner, r, d), now)) done.push_back(r.id);
            }
        });
        return done;
    }
};

}  // namespace retort::migrate
