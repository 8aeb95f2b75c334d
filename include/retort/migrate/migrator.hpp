// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Runs revisions against a database: upgrade, downgrade, stamp, and what is applied.
//
// Each revision is applied atomically: its statements and its version row commit together, or
// nothing does. One migrator runs at a time (detail/migration_lock.hpp); inside the lock, each
// revision first re-reads the version table, so a migrator that waited for another finds its
// work done. Around each revision's SQL the runner adds what its backend needs
// (detail/runner.hpp): foreign keys off, rebuild guards and foreign_key_check on SQLite,
// lock_timeout on PostgreSQL.
//
// `script()` returns the statements `upgrade`/`downgrade` execute, apart from the queries the
// runner reads its own state with; the triggers and hand-made indexes a SQLite rebuild
// recreates are shown as the database has them now (run time reads them again).

#include <retort/error.hpp>
#include <retort/migrate/detail/migration_lock.hpp>
#include <retort/migrate/detail/runner.hpp>
#include <retort/migrate/introspect.hpp>
#include <retort/migrate/plan.hpp>
#include <retort/migrate/revision.hpp>
#include <retort/migrate/version_table.hpp>

#include <map>
#include <string>
#include <type_traits>
#include <vector>

namespace retort::migrate {

struct migrator_options : run_options {
    /// How long a migrator waits for another to finish before failing with busy_error.
    std::chrono::milliseconds wait_for_other{600'000};
    /// The models' fingerprint (models_hash_text) and whether the head revision's schema
    /// equals those models: then the head's version row records the fingerprint.
    std::string models_hash;
    bool models_match_head = false;
    /// The models' naming convention (schema::naming_of_database): the names a SQLite
    /// constraint its DDL leaves unnamed is compared under.
    schema::naming_convention naming = naming::retort_names;
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

    /// How many revisions `target` means: "head", "base", an id or a unique prefix of one (4
    /// characters or more), "+N" or "-N" (relative to the `from` applied revisions).
    std::size_t resolve(std::string_view target, std::size_t from) const {
        if (target == "head") return history_.size();
        if (target == "base") return 0;
        if (!target.empty() && (target[0] == '+' || target[0] == '-')) {
            const std::string digits{target.substr(1)};
            if (digits.empty() || digits.size() > 9 ||
                digits.find_first_not_of("0123456789") != std::string::npos)
                throw configuration_error("'" + std::string{target} +
                                          "' is not a target: use head, base, an id, +N or -N");
            const std::size_t n = std::stoull(digits);
            if (target[0] == '+') {
                if (n > history_.size() - from)
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
            if (history_[i].id == target) return i + 1;
        std::vector<std::size_t> matches;
        if (target.size() >= 4)
            for (std::size_t i = 0; i < history_.size(); ++i)
                if (history_[i].id.compare(0, target.size(), target) == 0) matches.push_back(i);
        if (matches.size() == 1) return matches[0] + 1;
        if (matches.size() > 1)
            throw configuration_error("'" + std::string{target} + "' names " +
                                      std::to_string(matches.size()) + " revisions (" +
                                      history_[matches[0]].id + ", " + history_[matches[1]].id +
                                      ", ...): give more of the id");
        throw configuration_error("no revision '" + std::string{target} + "' in the history");
    }

    /// Applies revisions up to `target`; returns the ids applied. At head, records the models'
    /// fingerprint when the head is exactly the models (also when nothing was left to apply).
    std::vector<std::string> upgrade(std::string_view target = "head") {
        auto done = move_to(target, direction::up);
        refresh_models_hash();
        return done;
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
        std::vector<std::string> out;
        if constexpr (!is_sqlite) out.push_back(detail::advisory_lock_sql(true));
        // The triggers each table has, followed from one revision to the next.
        std::map<std::string, typename detail::atomic_runner<Backend>::objects, std::less<>> state;
        for (std::size_t i = from; i != to; d == direction::up ? ++i : --i) {
            const revision& r = history_[d == direction::up ? i : i - 1];
            const detail::known_schema known = known_before(r, d), after = known_after(r, d);
            detail::atomic_runner<Backend> runner(s_, options_, &known, &after);
            const bool foreign_keys_on = runner.foreign_keys_on();
            for (const auto& step : steps(runner, r, d, &state))
                if (!step.optional_on || foreign_keys_on) out.push_back(step.sql);
        }
        if constexpr (!is_sqlite) out.push_back(detail::advisory_lock_sql(false));
        return out;
    }

    /// Differences between the live schema and revision `target`'s snapshot. Only the tables
    /// some revision of the history names are compared (others, such as a legacy
    /// `schema_migrations`, are not retort's).
    std::vector<operation> compare(std::string_view target) {
        const std::size_t n = resolve(target, applied_count_unchecked());
        schema::database expected = n == 0 ? schema::database{} : history_[n - 1].snapshot;
        schema::database live = introspect(s_, options_.naming);
        std::erase_if(live.tables, [&](const schema::table& t) { return !in_history(t.name); });
        auto models =
            comparable_models<Backend>(spelled_by_server(s_, std::move(expected), live), live);
        return diff(comparable<Backend>(std::move(live)), models,
                    {.type_words = &type_words<typename Backend::dialect>});
    }

    /// Records `target` (and every revision before it) as applied without running any DDL;
    /// revisions after it are no longer recorded. Refuses, listing the differences, unless
    /// the live schema matches the revision's snapshot; and refuses when an applied revision
    /// was edited. `force` skips both checks.
    void stamp(std::string_view target, bool force = false) {
        const std::size_t n = resolve(target, applied_count_unchecked());
        if (!force) {
            applied();  // an edited or unknown applied revision is an error
            auto differences = compare(target);
            if (!differences.empty()) {
                std::string message = "the database does not match " +
                                      (n == 0 ? std::string{"the base"} : history_[n - 1].id) +
                                      "; refusing to stamp (" + std::to_string(differences.size()) +
                                      " difference(s)):";
                for (const auto& op : differences)
                    message += "\n  " + std::string{to_string(op.level)} + ": " + op.description;
                throw programming_error(message + "\nfix them (or pass --force)");
            }
        }
        detail::require_no_transaction(s_);
        detail::with_migration_lock(s_, options_.wait_for_other, [&] {
            auto& c = s_.connection();
            c.execute_script(is_sqlite ? "BEGIN EXCLUSIVE" : "BEGIN");
            try {
                c.execute_script(create_version_table_sql<Backend>());
                std::map<std::string, applied_revision, std::less<>> rows;
                for (auto& row : read_applied(s_)) rows.emplace(row.id, std::move(row));
                for (const auto& [id, row] : rows) {
                    std::size_t at = history_.size();
                    for (std::size_t i = 0; i < history_.size(); ++i)
                        if (history_[i].id == id) at = i;
                    // Rows of the chain up to the target, with their checksums, stay as they are.
                    if (at >= n || row.checksum != history_[at].checksum)
                        c.execute_script(delete_version_sql(id));
                }
                for (std::size_t i = 0; i < n; ++i) {
                    auto it = rows.find(history_[i].id);
                    if (it != rows.end() && it->second.checksum == history_[i].checksum) continue;
                    // A forced stamp vouches for nothing: no fingerprint.
                    c.execute_script(insert_version_sql<Backend>(history_[i].id, i + 1,
                                                                 history_[i].checksum, "stamp",
                                                                 force ? "" : hash_for(i)));
                }
                c.execute_script("COMMIT");
            } catch (...) {
                detail::rollback_quietly(s_);
                throw;
            }
        });
    }

private:
    basic_session<Backend>& s_;
    std::vector<revision> history_;
    migrator_options options_;

    std::size_t applied_count_unchecked() { return read_applied(s_).size(); }

    bool in_history(std::string_view table) const {
        for (const auto& r : history_)
            if (r.snapshot.find_table(table)) return true;
        return false;
    }

    /// The fingerprint the version row of revision i records: the models', at head only.
    std::string hash_for(std::size_t i) const {
        return i + 1 == history_.size() && options_.models_match_head ? options_.models_hash
                                                                      : std::string{};
    }

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

    std::size_t position_of(const revision& r) const {
        return static_cast<std::size_t>(&r - history_.data()) + 1;
    }

    /// The schema the revision's SQL was planned from: its parent's snapshot going up, its
    /// own going down.
    detail::known_schema known_before(const revision& r, direction d) const {
        const std::size_t i = position_of(r) - 1;
        if (d == direction::down) return detail::known_from(r.snapshot);
        return i == 0 ? detail::known_schema{} : detail::known_from(history_[i - 1].snapshot);
    }

    /// The schema the revision's SQL leads to: its own snapshot going up, its parent's going
    /// down.
    detail::known_schema known_after(const revision& r, direction d) const {
        const std::size_t i = position_of(r) - 1;
        if (d == direction::up) return detail::known_from(r.snapshot);
        return i == 0 ? detail::known_schema{} : detail::known_from(history_[i - 1].snapshot);
    }

    using objects_state =
        std::map<std::string, typename detail::atomic_runner<Backend>::objects, std::less<>>;

    std::vector<detail::script_step> steps(detail::atomic_runner<Backend>& runner,
                                           const revision& r, direction d,
                                           objects_state* state = nullptr) {
        const std::string section = revision::section_name(d, dialect::name);
        if (!r.sections.count(section))
            throw configuration_error("revision " + r.id + " (" + r.path.string() +
                                      ") has no '-- " + section + "' section");
        std::string bookkeeping =
            d == direction::up
                ? insert_version_sql<Backend>(r.id, position_of(r), r.checksum, "upgrade",
                                              hash_for(position_of(r) - 1))
                : delete_version_sql(r.id);
        return runner.steps(r.id, r.statements(d, dialect::name), {std::move(bookkeeping)}, true,
                            state);
    }

    std::vector<std::string> move_to(std::string_view target, direction d) {
        std::vector<std::string> done;
        detail::require_no_transaction(s_);
        detail::with_migration_lock(s_, options_.wait_for_other, [&] {
            const std::size_t from = applied().size();
            const std::size_t to = resolve(target, from);
            check_direction(from, to, d);
            for (;;) {
                // Re-read inside the lock: another migrator may have moved the database.
                const std::size_t now = applied().size();
                if (d == direction::up ? now >= to : now <= to) break;
                const revision& r = history_[d == direction::up ? now : now - 1];
                const detail::known_schema known = known_before(r, d), after = known_after(r, d);
                detail::atomic_runner<Backend> runner(s_, options_, &known, &after);
                if (runner.run(r.id, steps(runner, r, d), now)) done.push_back(r.id);
            }
        });
        return done;
    }

    /// At head with models equal to it, the head's row carries their fingerprint (a build
    /// whose models changed only in ways the schema does not show gets it without a revision).
    void refresh_models_hash() {
        if (!options_.models_match_head || history_.empty()) return;
        const auto rows = read_applied(s_);
        // Only a head that upgrade applied: a stamped one got its fingerprint (or, forced, none).
        if (rows.size() != history_.size() || rows.back().how != "upgrade" ||
            rows.back().models_hash == options_.models_hash)
            return;
        s_.connection().execute_script(
            "UPDATE " + schema::quote_identifier(version_table) +
            " SET \"models_hash\" = " + retort::dialect::quote_literal(options_.models_hash) +
            " WHERE \"revision\" = " + retort::dialect::quote_literal(history_.back().id));
    }
};

}  // namespace retort::migrate
