// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// What a SQLite table rebuild needs beyond its own SQL (the rest of "Making Other Kinds Of
// Table Schema Changes"): a guard against dropping columns no revision knows of, the
// triggers and hand-made indexes of the table, recreated after the rename, and statements
// that make SQLite compile those triggers before the commit. The runner calls it; script()
// follows triggers through it without running anything.

#include <retort/migrate/detail/value_fit.hpp>
#include <retort/migrate/introspect_sqlite.hpp>
#include <retort/migrate/plan.hpp>
#include <retort/migrate/sql_script.hpp>
#include <retort/session/session.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace retort::migrate::detail {

/// What SQLite table `table`'s DDL says that retort's schema value does not describe (STRICT,
/// a COLLATE clause, ...): what rebuilding it from that value would drop. Empty if nothing.
template <class Backend>
std::string undescribed_by_schema(basic_session<Backend>& s, const std::string& table) {
    for (auto& [sql] : s.template query<std::string>(
             "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", table))
        return sqlite_introspect::parse_create_table(sql).undescribed;
    return {};
}

/// What the planner knew of a table before the unit: a rebuild may drop only these columns,
/// and recreates the indexes that are not among them (made by hand) after itself.
struct known_table {
    std::vector<std::string> columns, indexes;
    std::vector<std::string> written;  // the columns an INSERT names: not the computed ones
};
using known_schema = std::map<std::string, known_table, std::less<>>;

inline known_schema known_from(const schema::database& db) {
    known_schema out;
    for (const auto& t : db.tables) {
        auto& k = out[t.name];
        for (const auto& c : t.columns) {
            k.columns.push_back(c.name);
            if (c.computed.empty()) k.written.push_back(c.name);
        }
        for (const auto& i : t.indexes) k.indexes.push_back(i.name);
        for (const auto& u : t.uniques) k.indexes.push_back(u.name);
    }
    return out;
}

template <class Backend>
class sqlite_rebuild {
    static constexpr bool is_sqlite = std::is_same_v<Backend, retort::sqlite>;

public:
    /// The triggers on a table and its indexes made by hand (not known to the planner).
    struct objects {
        std::vector<std::string> triggers, indexes;
    };

    /// `known`/`after`: the tables as the planner knew them before and after the unit, or
    /// nullptr when the unit was planned from the live schema itself (fix).
    sqlite_rebuild(basic_session<Backend>& s, const known_schema* known, const known_schema* after)
        : s_(s), known_(known), after_(after) {}

    /// A table's objects as `state` follows them: read from the database the first time.
    objects& objects_of(const std::string& table,
                        std::map<std::string, objects, std::less<>>& state) {
        auto it = state.find(table);
        if (it == state.end()) it = state.emplace(table, objects_on(table)).first;
        return it->second;
    }

    /// Follows a unit's CREATE TRIGGER and DROP TRIGGER statements in `state`, for script().
    void follow_triggers(const std::string& sql,
                         std::map<std::string, objects, std::less<>>& state) {
        const auto words = sql_words(sql, 64);
        auto is = [&](std::size_t i, std::string_view w) {
            return i < words.size() && same_word(words[i], w);
        };
        if (is(0, "DROP") && is(1, "TRIGGER")) {
            const std::size_t at = is(2, "IF") ? 4 : 2;
            if (at >= words.size()) return;
            for (auto& [table, o] : state)
                std::erase_if(o.triggers, [&](const std::string& t) {
                    return iequals_ascii(trigger_name(sql_words(t, 8)), words[at]);
                });
            return;
        }
        if (!is(0, "CREATE") || trigger_name(words).empty()) return;
        for (std::size_t i = 2; i + 1 < words.size(); ++i)
            if (same_word(words[i], "ON")) {
                objects_of(words[i + 1], state).triggers.push_back(sql);
                return;
            }
    }

    static bool iequals_ascii(std::string_view a, std::string_view b) {
        return a.size() == b.size() &&
               std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
                   return std::tolower(static_cast<unsigned char>(x)) ==
                          std::tolower(static_cast<unsigned char>(y));
               });
    }

    /// The name a CREATE [TEMP] TRIGGER [IF NOT EXISTS] statement gives, or empty.
    static std::string trigger_name(const std::vector<std::string>& words) {
        std::size_t i = 1;
        while (i < words.size() &&
               (same_word(words[i], "TEMP") || same_word(words[i], "TEMPORARY")))
            ++i;
        if (i >= words.size() || !same_word(words[i], "TRIGGER")) return {};
        ++i;
        if (i + 2 < words.size() && same_word(words[i], "IF")) i += 3;
        return i < words.size() ? words[i] : std::string{};
    }

    /// The table a rebuild's first statement is for: `CREATE TABLE "_retort_new_x" (`.
    static std::string rebuild_target(std::string_view sql) {
        const std::string head = "CREATE TABLE \"" + std::string{rebuild_prefix};
        if (sql.substr(0, head.size()) != head) return {};
        const auto words = sql_words(sql, 3);
        return words.size() == 3 ? words[2].substr(rebuild_prefix.size()) : std::string{};
    }

    /// The table a rebuild's final rename restores: `ALTER TABLE "_retort_new_x" RENAME TO "x"`.
    static std::string rebuilt_table(std::string_view sql) {
        const std::string head = "ALTER TABLE \"" + std::string{rebuild_prefix};
        if (sql.substr(0, head.size()) != head) return {};
        const auto words = sql_words(sql, 7);
        if (words.size() != 6 || !same_word(words[3], "RENAME") || !same_word(words[4], "TO"))
            return {};
        return words[5];
    }

    /// Follows `ALTER TABLE "a" RENAME TO "b"` (not a rebuild's): b is what the planner knew
    /// as a.
    /// And `ALTER TABLE "t" RENAME COLUMN "a" TO "b"`: b is what the planner knew as a.
    void follow_rename(std::string_view sql) {
        const auto words = sql_words(sql, 8);
        if (words.size() < 6 || !same_word(words[0], "ALTER") || !same_word(words[1], "TABLE") ||
            !same_word(words[3], "RENAME"))
            return;
        if (same_word(words[4], "TO") && words[2].rfind(rebuild_prefix, 0) != 0)
            renamed_[words[5]] = words[2];
        const std::size_t column = same_word(words[4], "COLUMN") ? 5 : 4;
        if (words.size() > column + 2 && same_word(words[column + 1], "TO"))
            renamed_columns_[words[2]].push_back(words[column + 2]);
    }

    /// What the planner knew of `table` (under the name it had then), or nullptr.
    const known_table* known_for(const std::string& table) const {
        if (!known_) return nullptr;
        auto it = known_->find(table);
        if (it == known_->end())
            if (auto r = renamed_.find(table); r != renamed_.end()) it = known_->find(r->second);
        return it == known_->end() ? nullptr : &it->second;
    }

    objects objects_on(const std::string& table) {
        objects out;
        if constexpr (is_sqlite) {
            const known_table* k = known_for(table);
            for (auto& [type, name, sql] : s_.template query<std::string, std::string, std::string>(
                     "SELECT type, name, sql FROM sqlite_schema WHERE tbl_name = ? AND "
                     "type IN ('trigger', 'index') AND sql IS NOT NULL ORDER BY type, name",
                     table)) {
                if (type == "trigger") {
                    out.triggers.push_back(std::move(sql));
                } else if (k && std::find(k->indexes.begin(), k->indexes.end(), name) ==
                                    k->indexes.end()) {
                    out.indexes.push_back(std::move(sql));
                }
            }
        }
        return out;
    }

    /// Once a rebuild's new table exists, before any row moves: refuses to drop a column the
    /// planner never knew of (added by hand, or by a hand-edited revision: its data would be
    /// lost silently), and saves the triggers and hand-made indexes to recreate.
    objects before_rebuild(const std::string& label, const std::string& table) {
        if (known_) {
            // The rebuild copies the columns the planner knew (renamed ones under their new
            // names): any other column's values would be lost, even one the new table has.
            const known_table* k = known_for(table);
            const auto renamed = renamed_columns_.find(table);
            auto known = [&](const std::string& name) {
                return (k && std::find(k->columns.begin(), k->columns.end(), name) !=
                                 k->columns.end()) ||
                       (renamed != renamed_columns_.end() &&
                        std::find(renamed->second.begin(), renamed->second.end(), name) !=
                            renamed->second.end());
            };
            std::string unknown;
            for (auto& [name] :
                 s_.template query<std::string>("SELECT name FROM pragma_table_xinfo(?)", table))
                if (!known(name)) unknown += (unknown.empty() ? "" : ", ") + table + "." + name;
            if (!unknown.empty())
                throw programming_error(
                    "rebuilding " + table + " would lose the values of column(s) no revision " +
                    "knows of: " + unknown + " (added by hand?). Add them to the models and a " +
                    "revision, or handle them explicitly in " + label);
        }
        // What the schema value does not describe would be rebuilt away without a word: in a
        // revision and in a fix alike (a fix plans such a table as a step by hand already).
        if (const std::string feature = undescribed_by_schema(s_, table); !feature.empty())
            throw programming_error("rebuilding " + table + " would drop its " + feature +
                                    ", which retort's schema does not describe, so " + label +
                                    " does not rebuild it: rebuild it by hand (in a revision of "
                                    "your own)");
        narrowed_[table] = narrowed_columns(table);
        return objects_on(table);
    }

    /// The columns the rebuilt table declares narrower than the table has them (INTEGER from
    /// BIGINT, VARCHAR(10) from VARCHAR(80); a renamed column is renamed before the rebuild).
    std::vector<value_limit> narrowed_columns(const std::string& table) {
        std::vector<value_limit> out;
        if constexpr (is_sqlite) {
            // In the order of the table's columns. The rowid is the sole key column INTEGER.
            const auto declared = [&](const std::string& t) {
                const auto columns = s_.template query<std::string, std::string, int>(
                    "SELECT name, upper(type), pk FROM pragma_table_info(?) ORDER BY cid", t);
                const auto keys = std::count_if(columns.begin(), columns.end(),
                                                [](const auto& c) { return std::get<2>(c) > 0; });
                std::vector<std::pair<std::string, std::optional<value_limit>>> limits;
                for (const auto& [name, type, key] : columns)
                    limits.emplace_back(
                        name,
                        limit_of_declared(name, type, keys == 1 && key == 1 && type == "INTEGER"));
                return limits;
            };
            const auto now = declared(table);
            for (const auto& [name, limit] : declared(std::string{rebuild_prefix} + table)) {
                if (!limit) continue;
                const value_limit* had = nullptr;  // (clang 14 captures no structured binding)
                bool found = false;
                for (const auto& column : now)
                    if (column.first == name) {
                        found = true;
                        had = column.second ? &*column.second : nullptr;
                    }
                if (!found || !had || !limit->no_narrower_than(*had)) out.push_back(*limit);
            }
        }
        return out;
    }

    /// After a rebuild's copy (`INSERT INTO "_retort_new_x" ...`): refuses the rebuild when a
    /// narrowed column received a value it cannot hold, with the table, column and count
    /// (SQLite would keep 3000000000 in an INTEGER column that the models read as int32).
    void check_copy(std::string_view sql) {
        const std::string head = "INSERT INTO \"" + std::string{rebuild_prefix};
        if (sql.substr(0, head.size()) != head) return;
        const auto words = sql_words(sql, 3);
        if (words.size() < 3) return;
        const std::string table = words[2].substr(rebuild_prefix.size());
        const auto it = narrowed_.find(table);
        if (it == narrowed_.end()) return;
        std::string found;
        for (auto m : count_misfits(s_, words[2], it->second)) {
            m.table = table;
            found += "\n  " + m.text();
        }
        if (!found.empty())
            throw integrity_error("rebuilding " + table +
                                  " would narrow column(s) holding values the new types cannot "
                                  "hold:" +
                                  found + "\nChange or delete those rows first.");
    }

    /// A rebuild's copy as retort writes it, `INSERT INTO "_retort_new_x" ("a", ...) SELECT
    /// "a", ... FROM "x"`: the table it reads, and each column it fills with the column it
    /// reads. Nothing for another statement: an edited copy may fill what the old rows lack.
    struct plain_copy {
        std::string target, source;
        std::vector<std::pair<std::string, std::string>> columns;  // filled, read
    };
    static std::optional<plain_copy> plain_copy_of(std::string_view sql) {
        namespace si = sqlite_introspect;
        const auto t = si::tokenize(sql);
        std::size_t i = 0;
        const auto keyword = [&](std::string_view k) {
            return i < t.size() && si::is_keyword(t[i], k) && (++i, true);
        };
        const auto punct = [&](char c) {
            return i < t.size() && si::is_punct(t[i], c) && (++i, true);
        };
        const auto quoted = [&](std::string& out) {
            if (i >= t.size() || t[i].type != si::token::kind::quoted) return false;
            out = t[i++].value;
            return true;
        };
        const auto names = [&](std::vector<std::string>& out) {
            do {
                if (!quoted(out.emplace_back())) return false;
            } while (punct(','));
            return true;
        };
        plain_copy copy;
        std::vector<std::string> filled, read;
        if (!(keyword("INSERT") && keyword("INTO") && quoted(copy.target) && punct('(') &&
              names(filled) && punct(')') && keyword("SELECT") && names(read) && keyword("FROM") &&
              quoted(copy.source) && i == t.size()) ||
            filled.size() != read.size() || copy.target.rfind(rebuild_prefix, 0) != 0)
            return std::nullopt;
        for (std::size_t k = 0; k < filled.size(); ++k)
            copy.columns.emplace_back(filled[k], read[k]);
        return copy;
    }

    /// When SQLite refuses a rebuild's copy (a NOT NULL or CHECK of the new table): throws the
    /// refusal again with the rows behind it counted, column by column and CHECK by CHECK, in
    /// one scan (SQLite names one constraint and no row). The rows are counted as the old table
    /// holds them, before the new columns' types convert them. Returns, to rethrow the
    /// refusal as it was, for a copy retort did not write or when nothing counts.
    void explain_refused_copy(std::string_view sql, const std::string& refused,
                              const error_details& details) {
        const auto copy = plain_copy_of(sql);
        if (!copy) return;
        const std::string table = copy->target.substr(rebuild_prefix.size());
        struct cause {
            std::string condition, where, what;  // "<where>: N row(s) <what>"
        };
        std::vector<cause> causes;
        for (auto& [name, not_null, fallback] :
             s_.template query<std::string, int, std::optional<std::string>>(
                 "SELECT name, \"notnull\", dflt_value FROM pragma_table_info(?)", copy->target)) {
            if (!not_null) continue;
            const std::string& column = name;  // (clang 14 captures no structured binding)
            const auto read = std::find_if(copy->columns.begin(), copy->columns.end(),
                                           [&](const auto& c) { return c.first == column; });
            if (read != copy->columns.end())
                causes.push_back(
                    {quote_identifier(read->second) + " IS NULL", table + "." + name, "NULL"});
            else if (!fallback)
                causes.push_back(
                    {"1", table + "." + name, "NULL (a new column without a default)"});
        }
        // The new table's CHECKs the old one lacks; they name columns as the copy reads them
        // (a renamed column is renamed before the rebuild).
        const auto checks_of = [&](const std::string& t) {
            for (auto& [text] : s_.template query<std::string>(
                     "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", t))
                return sqlite_introspect::parse_create_table(text).checks;
            return std::vector<schema::check_constraint>{};
        };
        const auto had = checks_of(copy->source);
        for (const auto& check : checks_of(copy->target))
            if (std::none_of(had.begin(), had.end(),
                             [&](const auto& c) { return c.expression == check.expression; }))
                causes.push_back({"NOT (" + check.expression + ")", table,
                                  "failing CHECK " + (check.name.empty() ? "" : check.name + " ") +
                                      "(" + check.expression + ")"});
        const std::vector<std::int64_t> counts = count_rows(copy->source, causes);
        std::string found;
        for (std::size_t k = 0; k < causes.size(); ++k)
            if (counts[k] > 0)
                found += "\n  " + causes[k].where + ": " + std::to_string(counts[k]) + " row(s) " +
                         causes[k].what;
        if (found.empty()) return;
        throw integrity_error("rebuilding " + table +
                                  " would copy rows the new table refuses:" + found +
                                  "\nChange or delete those rows first (SQLite: " + refused + ").",
                              details);
    }

    /// How many rows of `table` meet each cause's condition: one scan; a condition SQLite
    /// cannot evaluate there (a column the old table lacks) counts 0.
    template <class Cause>
    std::vector<std::int64_t> count_rows(const std::string& table,
                                         const std::vector<Cause>& causes) {
        std::vector<std::int64_t> counts(causes.size(), 0);
        const auto scan = [&](std::size_t first, std::size_t last) {
            std::string sums = "''";  // text, however many counts follow
            for (std::size_t k = first; k < last; ++k)
                sums += " || ' ' || coalesce(sum(" + causes[k].condition + "), 0)";
            for (auto& [line] : s_.template query<std::string>("SELECT " + sums + " FROM " +
                                                               quote_identifier(table))) {
                std::istringstream in(line);
                for (std::size_t k = first; k < last; ++k) in >> counts[k];
            }
        };
        if (causes.empty()) return counts;
        try {
            scan(0, causes.size());
        } catch (const programming_error&) {
            for (std::size_t k = 0; k < causes.size(); ++k) try {
                    scan(k, k + 1);
                } catch (const programming_error&) {
                    counts[k] = 0;
                }
        }
        return counts;
    }

    /// After a rebuild's rename: the table's triggers and hand-made indexes again, then three
    /// statements that touch no row but make SQLite compile every trigger on the table (a
    /// trigger naming a column that is gone fails here, not in production).
    std::vector<std::string> replay_sql(const std::string& table, const objects& o) {
        std::vector<std::string> out;
        for (const auto& i : o.indexes) out.push_back({i});
        for (const auto& t : o.triggers) out.push_back({t});
        if (!o.triggers.empty()) {
            const std::string q = quote_identifier(table);
            std::string set, names;
            for (const auto& name : written_columns_after(table)) {
                set += (set.empty() ? "" : ", ") + quote_identifier(name) + " = " +
                       quote_identifier(name);
                names += (names.empty() ? "" : ", ") + quote_identifier(name);
            }
            out.push_back({"INSERT INTO " + q + " (" + names + ") SELECT " + names + " FROM " + q +
                           " WHERE 0"});
            if (!set.empty()) out.push_back({"UPDATE " + q + " SET " + set + " WHERE 0"});
            out.push_back({"DELETE FROM " + q + " WHERE 0"});
        }
        return out;
    }

    /// The table's columns once the unit has run, computed ones left out: as planned (the same
    /// in script() and run()), or as the database has them when the unit was planned from the
    /// live schema (pragma_table_info lists no generated column).
    std::vector<std::string> written_columns_after(const std::string& table) {
        if (after_)
            if (auto it = after_->find(table); it != after_->end()) return it->second.written;
        std::vector<std::string> out;
        for (auto& [name] :
             s_.template query<std::string>("SELECT name FROM pragma_table_info(?)", table))
            out.push_back(std::move(name));
        return out;
    }

private:
    basic_session<Backend>& s_;
    const known_schema* known_;
    const known_schema* after_;
    std::map<std::string, std::string, std::less<>> renamed_;  // new name -> old, this unit
    std::map<std::string, std::vector<std::string>, std::less<>> renamed_columns_;  // new names
    std::map<std::string, std::vector<value_limit>, std::less<>> narrowed_;  // of each rebuild
};

}  // namespace retort::migrate::detail
