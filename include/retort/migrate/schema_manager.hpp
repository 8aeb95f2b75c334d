// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The schema manager, for services that keep their schema in step with their models without
// writing revisions (or that adopt a database built by hand):
//  - initialize(): creates the tables that are missing, in foreign-key order;
//  - validate(): a drift report (text for people, JSON for machines, an exit code);
//  - fix(): applies the repairs that only add (tables, columns, indexes, constraints), and the
//    rest (drops, type and nullability changes) only when allowed by name: --destructive or
//    AUTO_SCHEMA_DESTRUCTIVE=true. A fix is atomic, like a revision.
// Tables the manager is told to ignore are left out of all three, on both sides: neither
// compared nor created nor dropped, whether the models declare them or not.

#include <retort/migrate/detail/migration_lock.hpp>
#include <retort/migrate/detail/outside_references.hpp>
#include <retort/migrate/detail/runner.hpp>
#include <retort/migrate/detail/value_fit.hpp>
#include <retort/migrate/introspect.hpp>
#include <retort/migrate/plan.hpp>
#include <retort/migrate/table_filter.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

namespace retort::migrate {

/// What validate() found.
struct drift_report {
    std::vector<operation> operations;
    /// Tables whose additive repairs SQLite can only make by rebuilding the table: fix()
    /// leaves them (and every repair of theirs) to --destructive.
    std::vector<std::string> rebuilt_tables;
    /// Foreign keys of the tables left out of the comparison (ignored, or not modelled) into
    /// the compared ones: a repair that would break one is blocked (blocked_by()).
    std::vector<detail::outside_reference> outside_references;
    /// SQLite tables that only a rebuild repairs and whose DDL says what retort's schema does
    /// not describe (STRICT, a COLLATE clause, ...), which the rebuild would drop: fix() makes
    /// none of their repairs (each may need another), not even with --destructive. Table ->
    /// what a rebuild would drop.
    std::map<std::string, std::string, std::less<>> tables_by_hand;
    /// SQLite: rows holding values the models' column types cannot (an int32 column holding
    /// 3000000000, a max_length<10> one longer text), which SQLite keeps and retort cannot read.
    /// No fix changes a row: change or delete them.
    std::vector<misfit> misfits;

    /// The database matches the models, and every value fits them.
    bool clean() const { return operations.empty() && misfits.empty(); }
    /// What `migrate validate` exits with: 0 without drift, 1 with.
    int exit_code() const { return clean() ? 0 : 1; }
    /// Some difference is one fix() leaves without --destructive.
    bool needs_destructive() const {
        return std::any_of(operations.begin(), operations.end(),
                           [&](const operation& op) { return needs_destructive(op); });
    }
    /// fix() makes this repair only with --destructive: it is not additive, or its table
    /// needs a rebuild on SQLite.
    bool needs_destructive(const operation& op) const {
        if (!by_hand(op).empty()) return false;
        if (!is_additive_repair(op) || waits_for_rename(op)) return true;
        return op.kind != change::create_table &&
               std::find(rebuilt_tables.begin(), rebuilt_tables.end(), op.table) !=
                   rebuilt_tables.end();
    }

    /// `op` adds to a table, or names a column, under the name a rename (not additive) gives
    /// it: it can only be made after that rename, so with it.
    bool waits_for_rename(const operation& op) const {
        if (!op.after) return false;
        const auto renamed = [&](change kind, std::string_view table, std::string_view name) {
            return std::any_of(operations.begin(), operations.end(), [&](const operation& r) {
                return r.kind == kind && r.table == table && (name.empty() || r.name == name);
            });
        };
        if (op.kind != change::rename_table && op.kind != change::create_table &&
            renamed(change::rename_table, op.table, {}))
            return true;
        const auto column = [&](std::string_view table, const std::string& name) {
            return renamed(change::rename_column, table, name);
        };
        const auto any_named = [&](std::string_view table, const std::vector<std::string>& cols) {
            return std::any_of(cols.begin(), cols.end(),
                               [&](const std::string& c) { return column(table, c); });
        };
        // An expression names a renamed column (a substring: when unsure, wait).
        const auto mentioned = [&](std::string_view text) {
            return std::any_of(operations.begin(), operations.end(), [&](const operation& r) {
                return r.kind == change::rename_column && r.table == op.table &&
                       detail::mentions(text, r.name);
            });
        };
        const schema::table& t = *op.after;
        const auto into_renamed = [&](const schema::foreign_key& f) {
            return renamed(change::rename_table, f.referenced_table, {}) ||
                   any_named(f.referenced_table, f.referenced_columns);
        };
        switch (op.kind) {
        case change::create_table:  // its foreign keys are written with it
            return std::any_of(t.foreign_keys.begin(), t.foreign_keys.end(), into_renamed);
        case change::add_column:
            if (const auto* c = t.find_column(op.name)) return mentioned(c->computed);
            return false;
        case change::add_index:
            if (const auto* i = detail::find_named(t.indexes, op.name))
                return mentioned(i->where) ||
                       std::any_of(i->columns.begin(), i->columns.end(), [&](const std::string& c) {
                           return column(op.table, c) || mentioned(c);
                       });
            return false;
        case change::add_unique:
            if (const auto* u = detail::find_named(t.uniques, op.name))
                return any_named(op.table, u->columns);
            return false;
        case change::add_foreign_key:
            if (const auto* f = detail::find_named(t.foreign_keys, op.name))
                return any_named(op.table, f->columns) || into_renamed(*f);
            return false;
        case change::add_check:
            if (const auto* k = detail::find_named(t.checks, op.name))
                return mentioned(k->expression);
            return false;
        default: return false;
        }
    }

    /// Why fix() leaves `op` to be made by hand (what a rebuild of its table would drop);
    /// empty when fix() can make it.
    std::string by_hand(const operation& op) const {
        if (op.kind == change::create_table || op.kind == change::drop_table) return {};
        const auto it = tables_by_hand.find(op.table);
        return it == tables_by_hand.end()
                   ? std::string{}
                   : "rebuilding " + op.table + " would drop its " + it->second;
    }

    /// Why fix(destructive) leaves `op` as it is ("needs --destructive", "by hand: ..."); empty
    /// when it repairs it.
    std::string left_by_fix(const operation& op, bool destructive) const {
        if (const auto hand = by_hand(op); !hand.empty()) return "by hand: " + hand;
        // --destructive alone would not do: fix(true) refuses to break that key.
        const auto key = blocked_by(op);
        const std::string blocked =
            key.empty() ? std::string{} : "blocked: " + key + " references it, and is not compared";
        if (!destructive && needs_destructive(op))
            return blocked.empty() ? "needs --destructive" : "needs --destructive, and " + blocked;
        return blocked;
    }

    /// "posts.fk_posts_user_id" when repairing `op` would break that foreign key of a table
    /// outside the comparison; fix() then refuses to run. Empty otherwise.
    std::string blocked_by(const operation& op) const {
        return detail::first_broken(op, outside_references);
    }

    /// The differences of name alone (the same rule under another name), listed apart.
    std::size_t name_only_count() const {
        return static_cast<std::size_t>(
            std::count_if(operations.begin(), operations.end(), is_name_only));
    }

    /// The rule `op` adds means what a rule the table has already means (under another name
    /// the diff could not pair, or a unique index for a unique constraint and the other way
    /// round): adding it makes a duplicate, never a repair.
    static bool duplicates_existing(const operation& op) {
        if (!op.before || !op.after) return false;
        const schema::table& had = *op.before;
        const schema::table& wants = *op.after;
        const auto any_same = [](const auto& rule, const auto& items) {
            return std::any_of(items.begin(), items.end(),
                               [&](const auto& i) { return detail::same_meaning(i, rule); });
        };
        const auto unique_index_on = [&](const std::vector<std::string>& columns) {
            return std::any_of(had.indexes.begin(), had.indexes.end(), [&](const auto& i) {
                return i.unique && i.where.empty() && i.columns == columns;
            });
        };
        const auto unique_on = [&](const std::vector<std::string>& columns) {
            return std::any_of(had.uniques.begin(), had.uniques.end(),
                               [&](const auto& u) { return u.columns == columns; });
        };
        switch (op.kind) {
        case change::add_unique:
            if (const auto* u = detail::find_named(wants.uniques, op.name))
                return any_same(*u, had.uniques) || unique_index_on(u->columns);
            return false;
        case change::add_index:
            if (const auto* i = detail::find_named(wants.indexes, op.name))
                return any_same(*i, had.indexes) ||
                       (i->unique && i->where.empty() && unique_on(i->columns));
            return false;
        case change::add_foreign_key:
            if (const auto* f = detail::find_named(wants.foreign_keys, op.name))
                return any_same(*f, had.foreign_keys);
            return false;
        default: return false;
        }
    }

    /// Repairs that only add structure: what fix() applies without being allowed more.
    /// A repair that only adds: a new table, column, index or constraint. Adding a rule under
    /// a name the table already uses replaces it: that is a change, not an addition; nor is
    /// adding one the table has by meaning (a duplicate). A rename is not an addition either:
    /// another tool may use the old name (Rails' remove_foreign_key, a DBA's script).
    static bool is_additive_repair(const operation& op) {
        if (op.level == risk::destructive || op.level == risk::name_only) return false;
        if (duplicates_existing(op)) return false;
        const auto named = [&](const auto& items) {
            for (const auto& i : items)
                if (i.name == op.name) return true;
            return false;
        };
        const schema::table* before = op.before ? &*op.before : nullptr;
        switch (op.kind) {
        case change::create_table:
        case change::add_column: return true;
        case change::add_index: return !before || !named(before->indexes);
        case change::add_unique: return !before || !named(before->uniques);
        case change::add_foreign_key: return !before || !named(before->foreign_keys);
        case change::add_check: return !before || !named(before->checks);
        default: return false;
        }
    }

    std::string text() const {
        if (clean()) return "schema matches the models\n";
        std::string out = misfits_text();
        if (operations.empty()) return out;
        const auto lines = [&](bool name_only) {
            std::string out;
            for (const auto& op : operations)
                if (is_name_only(op) == name_only)
                    out += "  " + std::string{to_string(op.level)} + ": " + op.description +
                           (needs_destructive(op) ? "  [needs --destructive]" : "") +
                           (by_hand(op).empty() ? "" : "  [by hand: " + by_hand(op) + "]") +
                           (blocked_by(op).empty() ? ""
                                                   : "  [blocked: " + blocked_by(op) +
                                                         " references it, and is not compared]") +
                           "\n";
            return out;
        };
        const std::size_t names = name_only_count();
        if (names < operations.size())
            out += std::to_string(operations.size() - names) + " difference(s) from the models:\n" +
                   lines(false);
        if (names)
            out += std::to_string(names) +
                   " name-only difference(s), the same rule under another name "
                   "(--ignore-names leaves them out):\n" +
                   lines(true);
        return out;
    }

    std::string misfits_text() const {
        if (misfits.empty()) return {};
        std::string out = std::to_string(misfits.size()) +
                          " column(s) hold values that do not fit the models' types (SQLite keeps "
                          "them; change or delete those rows, no fix changes a row):\n";
        for (const auto& m : misfits) out += "  " + m.text() + "\n";
        return out;
    }

    std::string json() const {
        auto str = [](std::string_view s) {
            std::string out = "\"";
            for (char c : s) {
                if (c == '"' || c == '\\') {
                    out += '\\';
                    out += c;
                } else if (static_cast<unsigned char>(c) < 0x20) {
                    constexpr char hex[] = "0123456789abcdef";
                    out += "\\u00";
                    out += hex[(c >> 4) & 0xF];
                    out += hex[c & 0xF];
                } else {
                    out += c;
                }
            }
            return out + "\"";
        };
        std::string out = "{\"clean\": " + std::string{clean() ? "true" : "false"} +
                          ", \"exit_code\": " + std::to_string(exit_code()) +
                          ", \"needs_destructive\": " + (needs_destructive() ? "true" : "false") +
                          ", \"name_only_differences\": " + std::to_string(name_only_count()) +
                          ", \"differences\": [";
        for (std::size_t i = 0; i < operations.size(); ++i) {
            const auto& op = operations[i];
            out += (i ? ", " : "") + std::string{"{\"change\": "} + str(to_string(op.kind)) +
                   ", \"table\": " + str(op.table) + ", \"name\": " + str(op.name) +
                   ", \"risk\": " + str(to_string(op.level)) +
                   ", \"rewrites_table\": " + (op.rewrites_table ? "true" : "false") +
                   ", \"needs_destructive\": " + (needs_destructive(op) ? "true" : "false") +
                   (by_hand(op).empty() ? std::string{} : ", \"by_hand\": " + str(by_hand(op))) +
                   ", \"name_only\": " + (is_name_only(op) ? "true" : "false") +
                   (blocked_by(op).empty() ? std::string{}
                                           : ", \"blocked_by\": " + str(blocked_by(op))) +
                   (is_name_only(op) ? ", \"old_name\": " + str(op.old_name) : std::string{}) +
                   ", \"description\": " + str(op.description) + "}";
        }
        out += "], \"misfits\": [";
        for (std::size_t i = 0; i < misfits.size(); ++i)
            out += (i ? ", " : "") + std::string{"{\"table\": "} + str(misfits[i].table) +
                   ", \"column\": " + str(misfits[i].column) +
                   ", \"rows\": " + std::to_string(misfits[i].rows) +
                   ", \"limit\": " + str(misfits[i].limit) + "}";
        return out + "]}\n";
    }
};

/// AUTO_SCHEMA_DESTRUCTIVE=true (or 1, yes): fix() may drop and alter.
inline bool destructive_allowed_by_environment() {
    const char* v = std::getenv("AUTO_SCHEMA_DESTRUCTIVE");
    if (!v) return false;
    const std::string s = v;
    return s == "true" || s == "1" || s == "yes" || s == "TRUE" || s == "True";
}

/// A live schema as dialect-neutral models would describe it, so it can be planned from: on
/// SQLite, each live column that compares equal with the models' column of the same name
/// (comparable(): FLOAT for a double, a rowid alias for an int32 key, CURRENT_TIMESTAMP for
/// retort's `now`) takes the models' description, so that a plan never rebuilds a table to
/// change what SQLite does not store. `models` as planned_models() gives them.
template <class Backend>
schema::database neutral(schema::database live, const schema::database& models) {
    if constexpr (std::is_same_v<Backend, retort::sqlite>) {
        live = normalize_for_sqlite(std::move(live));
        for (auto& t : live.tables) {
            const schema::table* model = models.find_table(t.name);
            if (!model) continue;
            const auto live_cmp = comparable<Backend>(schema::database{{t}});
            const auto model_cmp =
                comparable_models<Backend>(schema::database{{*model}}, schema::database{{t}});
            for (auto& c : t.columns) {
                const auto* m = model->find_column(c.name);
                const auto* lc = live_cmp.tables[0].find_column(c.name);
                const auto* mc = model_cmp.tables[0].find_column(c.name);
                if (!m || !lc || !mc) continue;
                schema::column a = *lc, b = *mc;
                a.renamed_from = b.renamed_from = {};
                if (a == b) {
                    c = *m;
                    c.renamed_from.clear();
                }
            }
            t = with_models_expressions(std::move(t), *model);
        }
    }
    return live;
}

/// The models as SQLite plans compare and render them from `live`: length CHECKs as checks
/// (with_length_checks), a plain max_length's taken from `live` (with_live_length_checks);
/// on PostgreSQL, as they are.
template <class Backend>
schema::database planned_models(schema::database models, const schema::database& live) {
    if constexpr (std::is_same_v<Backend, retort::sqlite>)
        return with_length_checks(
            with_live_length_checks(without_native_types(std::move(models)), live));
    else
        return models;
}

template <class Backend, model_type... Ts>
class schema_manager {
public:
    /// `ignored_tables`: tables (glob patterns) left out of every comparison, repair and
    /// creation.
    explicit schema_manager(basic_session<Backend>& s, std::vector<std::string> ignored_tables = {},
                            run_options options = {})
        : schema_manager(s, table_filter{std::move(ignored_tables)}, std::move(options)) {}

    /// `tables`: which tables it covers (table_filter.hpp), e.g. one with models_only set, to
    /// leave the tables of a shared database that the models do not name alone.
    schema_manager(basic_session<Backend>& s, table_filter tables, run_options options = {})
        : s_(s), tables_(tables.with_renames_of(schema::database_of<Ts...>())),
          options_(std::move(options)) {}

    /// Creates the models' missing tables (and their indexes), in foreign-key order; returns
    /// their names. Existing tables are left as they are: validate() reports their drift.
    /// Atomic, under the migration lock, like fix().
    std::vector<std::string> initialize() {
        std::vector<std::string> created;
        for (const auto& op : repair(scope::missing_tables)) created.push_back(op.table);
        return created;
    }

    /// Name-only differences (a key, unique, foreign key or index the database has with the
    /// models' meaning under another name: one made by another tool) are left out of
    /// validate(), and fix() keeps the database's names. Off by default.
    schema_manager& ignore_names(bool ignore = true) {
        ignore_names_ = ignore;
        return *this;
    }

    drift_report validate() {
        const schema::database everything = introspect(s_, schema::naming_of_database<Ts...>());
        const schema::database live_db = tables_.apply(everything);
        drift_report report = validate(live_db);
        report.outside_references = outside_references_in(everything);
        if (ignore_names_) std::erase_if(report.operations, is_name_only);
        report.misfits = misfits_in(live_db);  // a scan: not for fix() and initialize()
        return report;
    }

    /// Applies the repairs validate() lists: the additive ones, and the others too when
    /// `destructive` (or AUTO_SCHEMA_DESTRUCTIVE=true). Without it, a table SQLite could only
    /// change by rebuilding is left alone (a rebuild rewrites what the schema value does not
    /// describe: affinities); a table whose DDL has STRICT, COLLATE and the like is never
    /// rebuilt (drift_report::by_hand). Returns what was applied; what was left stays in a
    /// following validate(). Atomic, under the migration lock.
    std::vector<operation> fix(bool destructive = destructive_allowed_by_environment()) {
        return repair(destructive ? scope::everything : scope::additive);
    }

    /// The statements fix() would execute, its transaction and checks included.
    std::vector<std::string> fix_sql(bool destructive = destructive_allowed_by_environment()) {
        auto prepared = prepare(destructive ? scope::everything : scope::additive);
        std::vector<std::string> out;
        if (prepared.applied.empty()) return out;
        detail::atomic_runner<Backend> runner(s_, options_);
        const bool foreign_keys_on = runner.foreign_keys_on();
        for (auto& step : runner.steps("", std::move(prepared.statements), {}, false))
            if (!step.optional_on || foreign_keys_on) out.push_back(std::move(step.sql));
        return out;
    }

private:
    using dialect_t = typename Backend::dialect;
    basic_session<Backend>& s_;
    table_filter tables_;
    run_options options_;
    std::chrono::milliseconds wait_{600'000};
    bool ignore_names_ = false;

    /// A fix plans from the live schema: every CHECK the tables have is in it.
    static constexpr plan_options live_plan{.concurrent_indexes = false, .checks_from_live = true};

    /// Which of validate()'s differences a repair applies.
    enum class scope { missing_tables, additive, everything };

    static bool in_scope(const operation& op, scope sc) {
        switch (sc) {
        case scope::missing_tables: return op.kind == change::create_table;
        case scope::additive: return drift_report::is_additive_repair(op);
        case scope::everything: return true;
        }
        return false;
    }

    std::vector<operation> repair(scope sc) {
        std::vector<operation> applied;
        detail::require_no_transaction(s_);
        detail::with_migration_lock(s_, wait_, [&] {
            // Planned before the transaction, checked again inside it (where no other
            // migrator can change the schema): a plan from a schema that changed is made again.
            for (int attempt = 0; attempt < 3; ++attempt) {
                auto prepared = prepare(sc);
                if (prepared.applied.empty()) return;
                detail::atomic_runner<Backend> runner(s_, options_);
                const auto still_valid = [&] {
                    schema::database now = live();
                    auto wanted = planned_models<Backend>(models(), now);
                    return neutral<Backend>(std::move(now), wanted) == prepared.from;
                };
                if (runner.run("", runner.steps("", std::move(prepared.statements), {}, false), 0,
                               still_valid)) {
                    applied = std::move(prepared.applied);
                    return;
                }
            }
            throw busy_error("the schema kept changing while the schema manager planned its "
                             "repairs");
        });
        return applied;
    }

    struct prepared_fix {
        std::vector<operation> applied;
        std::vector<std::string> statements;
        schema::database from;  // the live schema it was planned from
    };

    /// The differences, the tables whose additive repairs only a rebuild makes, and the
    /// repairs that would rebuild a table whose DDL the schema does not describe (SQLite).
    /// `from_out`: also the live schema as repairs are planned from it (neutral()), which
    /// finding those tables needs too, so it is computed once.
    drift_report validate(const schema::database& live_db,
                          schema::database* from_out = nullptr) const {
        drift_report report{
            diff(comparable<Backend>(live_db),
                 comparable_models<Backend>(spelled_by_server(s_, models(), live_db), live_db),
                 {.type_words = &type_words<typename Backend::dialect>}),
            {},
            {},
            {},
            {}};
        const auto undescribed = undescribed_tables(report);
        const bool any_additive = std::any_of(report.operations.begin(), report.operations.end(),
                                              drift_report::is_additive_repair);
        if (!any_additive && undescribed.empty() && !from_out) return report;
        schema::database from =
            neutral<Backend>(live_db, planned_models<Backend>(models(), live_db));
        if (!undescribed.empty())
            report.tables_by_hand = rebuilt_by_hand(from, report, undescribed);
        // The additive repairs fix() could make, and the tables only a rebuild repairs.
        std::vector<operation> additive;
        for (const auto& op : report.operations)
            if (drift_report::is_additive_repair(op) && report.by_hand(op).empty())
                additive.push_back(op);
        if (!additive.empty())
            for (const auto& sql : render<dialect_t>(from, with_repairs(from, additive), live_plan))
                if (auto table = detail::sqlite_rebuild<Backend>::rebuild_target(sql);
                    !table.empty())
                    report.rebuilt_tables.push_back(std::move(table));
        if (from_out) *from_out = std::move(from);
        return report;
    }

    /// The live rows whose values the models' columns cannot hold, where the dialect keeps
    /// them (SQLite): one scan of each table with an int16, int32 or unchecked max_length
    /// column that the database has under the models' name.
    std::vector<misfit> misfits_in(const schema::database& live_db) const {
        std::vector<misfit> out;
        if constexpr (!dialect_t::enforces_integer_width || !dialect_t::enforces_max_length)
            for (const auto& t : models().tables) {
                const schema::table* live = live_db.find_table(t.name);
                if (!live) continue;
                std::vector<detail::value_limit> limits;
                for (const auto& c : t.columns)
                    if (const auto limit = detail::limit_of(c); limit && live->find_column(c.name))
                        if (limit->is_length() ? !dialect_t::enforces_max_length
                                               : !dialect_t::enforces_integer_width)
                            limits.push_back(*limit);
                for (auto& m : detail::count_misfits(s_, t.name, limits)) out.push_back(m);
            }
        return out;
    }

    using undescribed_map = std::map<std::string, std::string, std::less<>>;

    /// The changed tables whose DDL says what the schema value does not describe, with what
    /// that is. Only where the dialect rebuilds tables (SQLite).
    undescribed_map undescribed_tables(const drift_report& report) const {
        undescribed_map out;
        if constexpr (dialect_t::rebuilds_tables)
            for (const auto& op : report.operations) {
                if (op.kind == change::create_table || out.contains(op.table)) continue;
                const std::string& live_name = op.before ? op.before->name : op.table;
                if (auto what = detail::undescribed_by_schema(s_, live_name); !what.empty())
                    out.emplace(op.table, std::move(what));
            }
        return out;
    }

    /// Those of the tables that a fix with --destructive would rebuild.
    undescribed_map rebuilt_by_hand(const schema::database& from, const drift_report& report,
                                    const undescribed_map& undescribed) const {
        undescribed_map out;
        for (const auto& sql :
             render<dialect_t>(from, models_keeping_live_rules(from, report), live_plan))
            if (const auto table = detail::sqlite_rebuild<Backend>::rebuild_target(sql);
                !table.empty())
                if (const auto it = undescribed.find(table); it != undescribed.end())
                    out.insert(*it);
        return out;
    }

    /// One introspection serves both the drift report and the schema the repairs start from.
    prepared_fix prepare(scope sc) {
        const schema::database everything = introspect(s_, schema::naming_of_database<Ts...>());
        const schema::database live_db = tables_.apply(everything);
        prepared_fix p;
        drift_report report = validate(live_db, &p.from);
        report.outside_references = outside_references_in(everything);
        for (const auto& op : report.operations)
            if (in_scope(op, sc) && !(ignore_names_ && is_name_only(op)) &&
                report.by_hand(op).empty())
                p.applied.push_back(op);
        // SQLite: the tables that would need a rebuild are left to --destructive.
        if (sc == scope::additive)
            std::erase_if(p.applied,
                          [&](const operation& op) { return report.needs_destructive(op); });
        std::string blocked;
        for (const auto& op : p.applied)
            if (const std::string key = report.blocked_by(op); !key.empty())
                blocked += "\n  " + op.description + ": " + key + " references it";
        if (!blocked.empty())
            throw foreign_key_violation(
                "retort: the fix would break foreign keys of tables it does not compare, so "
                "nothing was done:" +
                blocked +
                "\nChange or drop those keys first, or compare their tables too (they are "
                "ignored, or not modelled).");
        if (p.applied.empty()) return p;
        const schema::database& from = p.from;
        if (sc == scope::everything)
            p.statements = render_kept<dialect_t>(
                from, models_keeping_live_rules(from, report), live_plan,
                [&](const operation& op) { return report.by_hand(op).empty(); });
        else
            p.statements = render<dialect_t>(from, with_repairs(from, p.applied), live_plan);
        return p;
    }

    /// Both sides without the ignored tables.
    schema::database models() const { return tables_.apply(schema::database_of<Ts...>()); }
    schema::database live() {
        return tables_.apply(introspect(s_, schema::naming_of_database<Ts...>()));
    }
    std::vector<detail::outside_reference>
    outside_references_in(const schema::database& everything) const {
        return detail::outside_references(
            everything, [&](const std::string& table) { return tables_.covers(table); });
    }

    /// The models, their CHECKs and predicates as the server spells them (so that one the
    /// database has in other words is not re-created), and, with ignore_names, every rule the
    /// database has under another name keeping that name.
    schema::database models_keeping_live_rules(const schema::database& live_db,
                                               const drift_report& report) const {
        schema::database m =
            spelled_by_server(s_, planned_models<Backend>(models(), live_db), live_db);
        if (ignore_names_) keep_live_names(m, report);
        return m;
    }

    /// The rules `report` pairs with the database's under other names take those names back.
    static void keep_live_names(schema::database& m, const drift_report& report) {
        for (const auto& op : report.operations) {
            if (!is_name_only(op)) continue;
            for (auto& t : m.tables) {
                if (t.name != op.table) continue;
                const auto back = [&](auto& rules) {
                    for (auto& r : rules)
                        if (r.name == op.name) r.name = op.old_name;
                };
                switch (op.kind) {
                case change::rename_key: t.key.name = op.old_name; break;
                case change::rename_unique: back(t.uniques); break;
                case change::rename_index: back(t.indexes); break;
                case change::rename_foreign_key: back(t.foreign_keys); break;
                default: break;
                }
            }
        }
    }

    /// The live schema with the chosen additive repairs made, taken from the models.
    schema::database with_repairs(schema::database db, const std::vector<operation>& ops) const {
        const schema::database m = planned_models<Backend>(models(), db);
        for (const auto& op : ops) {
            const schema::table* want = m.find_table(op.table);
            if (!want) continue;
            if (op.kind == change::create_table) {
                db.tables.push_back(*want);
                continue;
            }
            auto it = std::find_if(db.tables.begin(), db.tables.end(),
                                   [&](const schema::table& t) { return t.name == op.table; });
            if (it == db.tables.end()) continue;
            schema::table& t = *it;
            auto copy = [&](auto& mine, const auto& wanted) {
                if (const auto* item = detail::find_named(wanted, op.name)) {
                    std::erase_if(mine, [&](const auto& x) { return x.name == op.name; });
                    mine.push_back(*item);
                }
            };
            switch (op.kind) {
            case change::add_column:
                if (const auto* c = want->find_column(op.name)) {
                    schema::column added = *c;
                    added.renamed_from.clear();
                    t.columns.push_back(std::move(added));
                }
                break;
            case change::add_index: copy(t.indexes, want->indexes); break;
            case change::add_unique: copy(t.uniques, want->uniques); break;
            case change::add_foreign_key: copy(t.foreign_keys, want->foreign_keys); break;
            case change::add_check: copy(t.checks, want->checks); break;
            default: break;
            }
        }
        return db;
    }
};

}  // namespace retort::migrate
