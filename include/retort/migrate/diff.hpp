// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The difference between two schema values (a live database and the models), as a list of
// operations, each with its risk: what it can do to the data already there. The list is in a
// deterministic order (by table name, then kind as listed in `change`, then column order);
// ordering across tables for execution (foreign keys) is the planner's job. Renames are never
// guessed: a column is renamed only when the target says it was (retort::renamed_from<"old">);
// otherwise a changed name is a drop and an add. Keys, uniques, foreign keys and indexes are
// paired by meaning (detail/rule_identity.hpp): one that differs only by its name is a rename
// of its own kind, with the risk name_only.

#include <retort/dialect/postgres.hpp>
#include <retort/migrate/detail/postgres_type_change.hpp>
#include <retort/migrate/detail/rule_identity.hpp>
#include <retort/migrate/native_types.hpp>
#include <retort/schema/schema.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace retort::migrate {

/// The kinds of change, in the order they are listed within a table: rules that go away first,
/// then columns, then rules renamed (after the columns they name), then new rules; so a changed
/// constraint reads as its drop, then its add.
enum class change {
    rename_table,
    create_table,
    drop_foreign_key,
    drop_check,
    drop_index,
    drop_unique,
    rename_column,
    add_column,
    alter_column_computed,
    alter_column_type,
    alter_column_nullability,
    alter_column_default,
    alter_column_identity,
    drop_column,
    alter_primary_key,
    rename_key,
    rename_unique,
    rename_index,
    rename_foreign_key,
    add_unique,
    add_index,
    add_foreign_key,
    add_check,
    drop_table,
};

constexpr std::string_view to_string(change c) {
    switch (c) {
    case change::rename_table: return "rename table";
    case change::create_table: return "create table";
    case change::drop_foreign_key: return "drop foreign key";
    case change::drop_check: return "drop check";
    case change::drop_index: return "drop index";
    case change::drop_unique: return "drop unique";
    case change::rename_column: return "rename column";
    case change::add_column: return "add column";
    case change::alter_column_type: return "alter column type";
    case change::alter_column_nullability: return "alter column null";
    case change::alter_column_default: return "alter column default";
    case change::alter_column_identity: return "alter column identity";
    case change::alter_column_computed: return "alter column computed";
    case change::drop_column: return "drop column";
    case change::alter_primary_key: return "alter primary key";
    case change::rename_key: return "rename primary key";
    case change::rename_unique: return "rename unique";
    case change::rename_index: return "rename index";
    case change::rename_foreign_key: return "rename foreign key";
    case change::add_unique: return "add unique";
    case change::add_index: return "add index";
    case change::add_foreign_key: return "add foreign key";
    case change::add_check: return "add check";
    case change::drop_table: return "drop table";
    }
    return {};
}

/// What an operation does to the rows and to the programs that use the database: the one
/// vocabulary: `revision`, `validate`, `fix`, `--sql` and `--json` all print these names.
/// `fix` makes, without --destructive, only additions (a new table, column, index, unique,
/// foreign key or check, under a name the table does not use yet; additive or data-dependent)
/// that need no SQLite rebuild; every alteration needs --destructive (drift_report).
enum class risk {
    name_only,       // renames a rule that stays as it is: no row touched or checked again
    additive,        // adds structure; existing rows are untouched
    relaxing,        // removes a rule (index, constraint, NOT NULL); no data is lost
    data_dependent,  // succeeds or fails depending on the rows (NOT NULL, UNIQUE, FK, CHECK)
    rename,          // renames a table or column: rows keep, programs using the old name fail
    destructive,     // loses data (drops a table or column, narrows a type)
};

constexpr std::string_view to_string(risk r) {
    switch (r) {
    case risk::name_only: return "name-only";
    case risk::additive: return "additive";
    case risk::relaxing: return "relaxing";
    case risk::data_dependent: return "data-dependent";
    case risk::rename: return "rename";
    case risk::destructive: return "destructive";
    }
    return {};
}

struct operation {
    change kind;
    std::string table;
    std::string name;  // the column, constraint or index; empty for table operations
    risk level = risk::additive;
    bool rewrites_table =
        false;  // on PostgreSQL: the whole table is rewritten (ACCESS EXCLUSIVE, long)
    std::string description;  // one line for people: what changes, from what to what
    std::string old_name;     // a renamed rule's name before (rename_key ... rename_foreign_key)
    std::optional<schema::table> before, after;  // the table on each side, where it exists

    friend bool operator==(const operation&, const operation&) = default;
};

/// How a description spells a column's type: retort's own words (int32, text(10)) where no
/// database is in view (a revision serves both), the dialect's (integer, varchar(10)) where one
/// is (type_words<Dialect>).
using type_speller = std::string (*)(const schema::column&);

/// A column's type in the words of the dialect's own DDL.
template <class Dialect>
std::string type_words(const schema::column& c) {
    return Dialect::type_name(c);
}

namespace detail {

inline bool is_integer(logical_type t) {
    return t == logical_type::int16 || t == logical_type::int32 || t == logical_type::int64;
}
inline int integer_width(logical_type t) {
    return t == logical_type::int16 ? 16 : t == logical_type::int32 ? 32 : 64;
}

/// Every value of `from` fits `to` unchanged: wider integers, double from float, longer text.
inline bool widens(const schema::column& from, const schema::column& to) {
    // A length SQLite starts checking may refuse a value it stored before.
    if (to.length_checked && !from.length_checked) return false;
    // A type retort does not write (inet, citext, a native enum) is not text with another
    // length: what the change does is the server's business, and is taken to rewrite.
    if (from.native_type != to.native_type) return false;
    if (is_integer(from.type) && is_integer(to.type))
        return integer_width(from.type) <= integer_width(to.type);
    if (from.type == logical_type::float32 && to.type == logical_type::float64) return true;
    // A double holds every 32-bit integer exactly, a float every 16-bit one (24-bit mantissa).
    if (is_integer(from.type) && to.type == logical_type::float64)
        return integer_width(from.type) <= 32;
    if (is_integer(from.type) && to.type == logical_type::float32)
        return integer_width(from.type) <= 16;
    const bool from_text =
        from.type == logical_type::text || from.type == logical_type::enumeration;
    if (from_text && to.type == logical_type::text)
        return to.max_length == 0 || (from.max_length != 0 && from.max_length <= to.max_length);
    return false;
}

inline bool is_number(logical_type t) {
    return is_integer(t) || t == logical_type::float32 || t == logical_type::float64;
}

/// Some value of `from` would be cut, rounded or truncated in `to` (PostgreSQL converts these
/// silently): shorter text, narrower integers, fewer float digits, numbers across integer and
/// float, timestamps to dates.
inline bool loses_values(const schema::column& from, const schema::column& to) {
    if (is_integer(from.type) && is_integer(to.type))
        return integer_width(from.type) > integer_width(to.type);
    if (is_number(from.type) && is_number(to.type)) return !widens(from, to);
    const bool from_time =
        from.type == logical_type::timestamp || from.type == logical_type::local_timestamp;
    if (from_time && to.type == logical_type::date) return true;
    if (from.type == logical_type::text && to.type == logical_type::text)
        return to.max_length != 0 && (from.max_length == 0 || from.max_length > to.max_length);
    return false;
}

/// An enumeration that keeps every value it had (and may gain some) is a relaxed CHECK.
inline bool enum_only_grows(const schema::column& from, const schema::column& to) {
    if (from.type != logical_type::enumeration || to.type != logical_type::enumeration)
        return false;
    for (const auto& v : from.enum_values)
        if (std::find(to.enum_values.begin(), to.enum_values.end(), v) == to.enum_values.end())
            return false;
    return true;
}

/// The columns differ in whether SQLite checks the length (max_length<N> and
/// checked_max_length<N>) and in nothing else: no change on PostgreSQL, where VARCHAR(N) is
/// the check.
inline bool only_length_check_differs(const schema::column& a, const schema::column& b) {
    return a.length_checked != b.length_checked && a.type == b.type &&
           a.max_length == b.max_length && a.enum_values == b.enum_values &&
           a.native_type == b.native_type;
}

/// A text field declared with a native enum's postgres_type reads and binds every label of it:
/// it is the same type as the live enumeration of that name, whatever its values.
inline bool same_native_type(const schema::column& a, const schema::column& b) {
    const auto textual = [](logical_type t) {
        return t == logical_type::text || t == logical_type::enumeration;
    };
    return !a.native_type.empty() && a.native_type == b.native_type && textual(a.type) &&
           textual(b.type) && (a.enum_values.empty() || b.enum_values.empty());
}

/// The column's type as PostgreSQL's format_type() prints it.
inline std::string postgres_spelling(const schema::column& c) {
    return postgres_introspect::canonical_type_spelling(dialect::postgres::type_name(c));
}

inline std::string type_text(const schema::column& c, type_speller spell = nullptr) {
    if (!c.native_type.empty()) return c.native_type;
    std::string t;
    if (spell) {
        t = spell(c);
        if (c.type == logical_type::enumeration) t += " holding an enum's values";
    } else {
        t = to_string(c.type);
        if (c.max_length) t += "(" + std::to_string(c.max_length) + ")";
    }
    if (c.length_checked) t += " with its length checked";
    return t;
}

/// "<a> to <b>" for a type change: in the dialect's words unless they spell both alike (SQLite
/// writes INTEGER for every rowid key), then in retort's.
inline std::string type_texts(const schema::column& a, const schema::column& b,
                              type_speller spell) {
    std::string from = type_text(a, spell), to = type_text(b, spell);
    if (spell && from == to) {
        from = type_text(a);
        to = type_text(b);
    }
    return from + " to " + to;
}

inline std::string default_text(const schema::default_value& d) {
    using kind = schema::default_value::kind;
    switch (d.type) {
    case kind::none: return "no default";
    case kind::boolean: return d.integer ? "true" : "false";
    case kind::integer: return std::to_string(d.integer);
    case kind::text: return "'" + d.text + "'";
    case kind::expression: return d.text;
    }
    return {};
}

template <class T>
const T* find_named(const std::vector<T>& items, std::string_view name) {
    for (const auto& i : items)
        if (i.name == name) return &i;
    return nullptr;
}

/// A rule (key, unique, index, foreign key, check) named after its table by the naming
/// convention, which a table rename renames too.
struct rule_rename {
    enum kind_t { key, unique, index, foreign_key, check } kind;
    std::string from, to;
};

/// The rules of `old` whose names carry the old table's name ("pk_users", "ix_users_email")
/// and that `now` has under the same name for its own ("pk_accounts", "ix_accounts_email").
inline std::vector<rule_rename> renamed_rules(const schema::table& old, const schema::table& now) {
    std::vector<rule_rename> out;
    const std::string was = "_" + old.name, is = "_" + now.name;
    auto renamed = [&](const std::string& name) -> std::string {
        const std::size_t at = name.find('_');
        if (at == std::string::npos || name.compare(at, was.size(), was) != 0) return {};
        const std::size_t end = at + was.size();
        if (end != name.size() && name[end] != '_') return {};
        return name.substr(0, at) + is + name.substr(end);
    };
    auto same_but_name = [](auto a, const auto& b) {
        a.name = b.name;
        return a == b;
    };
    auto rules = [&](const auto& mine, const auto& theirs, rule_rename::kind_t kind) {
        for (const auto& r : mine) {
            const std::string to = renamed(r.name);
            if (to.empty()) continue;
            for (const auto& t : theirs) {
                if (t.name != to) continue;
                if constexpr (std::is_same_v<std::decay_t<decltype(r)>, schema::foreign_key>) {
                    // A key to the table itself follows the rename.
                    auto moved = r;
                    if (moved.referenced_table == old.name) moved.referenced_table = now.name;
                    if (same_but_name(moved, t)) out.push_back({kind, r.name, to});
                } else if (same_but_name(r, t)) {
                    out.push_back({kind, r.name, to});
                }
            }
        }
    };
    if (!old.key.columns.empty() && old.key.columns == now.key.columns &&
        renamed(old.key.name) == now.key.name && old.key.name != now.key.name)
        out.push_back({rule_rename::key, old.key.name, now.key.name});
    rules(old.uniques, now.uniques, rule_rename::unique);
    rules(old.indexes, now.indexes, rule_rename::index);
    rules(old.foreign_keys, now.foreign_keys, rule_rename::foreign_key);
    rules(old.checks, now.checks, rule_rename::check);
    return out;
}

inline void rename_rule(schema::table& t, const rule_rename& r) {
    auto rename_in = [&](auto& items) {
        for (auto& i : items)
            if (i.name == r.from) i.name = r.to;
    };
    switch (r.kind) {
    case rule_rename::key: t.key.name = r.to; break;
    case rule_rename::unique: rename_in(t.uniques); break;
    case rule_rename::index: rename_in(t.indexes); break;
    case rule_rename::foreign_key: rename_in(t.foreign_keys); break;
    case rule_rename::check: rename_in(t.checks); break;
    }
}

struct differ {
    std::vector<operation> ops;
    type_speller spell = nullptr;

    void add(change kind, const schema::table* before, const schema::table* after, std::string name,
             risk level, bool rewrites, std::string description) {
        operation op;
        op.kind = kind;
        op.table = after ? after->name : before->name;
        op.name = std::move(name);
        op.level = level;
        op.rewrites_table = rewrites;
        op.description = std::move(description);
        if (before) op.before = *before;
        if (after) op.after = *after;
        ops.push_back(std::move(op));
    }

    /// `read` is `from` as the declared renames leave it (following): computed expressions
    /// name the renamed columns.
    void columns(const schema::table& from, const schema::table& to, const schema::table& read) {
        std::vector<std::string> renamed_away;
        for (const auto& c : to.columns) {
            const schema::column* old = from.find_column(c.name);
            if (!old && !c.renamed_from.empty() && !to.find_column(c.renamed_from)) {
                if (const schema::column* source = from.find_column(c.renamed_from)) {
                    add(change::rename_column, &from, &to, c.name, risk::rename, false,
                        "rename column " + from.name + "." + source->name + " to " + c.name);
                    renamed_away.push_back(source->name);
                    old = source;
                }
            }
            if (!old) {
                const bool fills = c.nullable ||
                                   c.server_default.type != schema::default_value::kind::none ||
                                   c.autoincrement;
                // PostgreSQL fills an identity or computed column for every existing row: a
                // rewrite. A computed one's expression runs on each row and may fail there.
                if (!c.computed.empty())
                    add(change::add_column, &from, &to, c.name, risk::data_dependent, true,
                        "add column " + to.name + "." + c.name + " " + type_text(c, spell) +
                            " computed as " + c.computed + " (fails if a row cannot compute it)");
                else
                    add(change::add_column, &from, &to, c.name,
                        fills ? risk::additive : risk::data_dependent, c.autoincrement,
                        "add column " + to.name + "." + c.name + " " + type_text(c, spell) +
                            (fills ? ""
                                   : " NOT NULL without a default (fails if the table has rows)"));
                continue;
            }
            const schema::column* old_read = read.find_column(old->name);
            alter(from, to, *old, c, old_read ? old_read->computed : old->computed);
        }
        // Computed columns first: PostgreSQL drops no column a generated one reads.
        for (const bool computed : {true, false})
            for (const auto& c : from.columns) {
                if (to.find_column(c.name) || c.computed.empty() != !computed) continue;
                bool renamed = false;
                for (const auto& r : renamed_away) renamed = renamed || r == c.name;
                if (!renamed)
                    add(change::drop_column, &from, &to, c.name, risk::destructive, false,
                        "drop column " + from.name + "." + c.name + " and its data");
            }
    }

    void alter(const schema::table& from, const schema::table& to, const schema::column& a,
               const schema::column& b, const std::string& a_computed) {
        const std::string where = to.name + "." + b.name;
        if ((a.type != b.type || a.max_length != b.max_length || a.enum_values != b.enum_values ||
             a.native_type != b.native_type || a.length_checked != b.length_checked) &&
            !same_native_type(a, b)) {
            if (only_length_check_differs(a, b)) {
                add(change::alter_column_type, &from, &to, b.name,
                    b.length_checked ? risk::data_dependent : risk::relaxing, false,
                    b.length_checked ? "check the length of " + where + " on SQLite (at most " +
                                           std::to_string(b.max_length) +
                                           " characters; fails if a longer value is there)"
                                     : "stop checking the length of " + where + " on SQLite");
            } else if (a.type == logical_type::enumeration && b.type == logical_type::enumeration &&
                       a.native_type == b.native_type) {
                // An enum is text plus a CHECK: changing its values swaps the CHECK, no rewrite.
                add(change::alter_column_type, &from, &to, b.name,
                    enum_only_grows(a, b) ? risk::relaxing : risk::data_dependent, false,
                    "change the values of " + where);
            } else {
                // PostgreSQL changes only its catalog for varchar(n) -> varchar(m >= n) or
                // text, citext -> text, cidr -> inet, numeric(10,2) -> numeric(12,2), ...
                const std::string from_type = postgres_spelling(a), to_type = postgres_spelling(b);
                const bool catalog_only =
                    (a.type == b.type && widens(a, b)) || postgres_keeps_rows(from_type, to_type);
                const risk level = widens(a, b) || postgres_keeps_meaning(from_type, to_type)
                                       ? risk::additive
                                   : loses_values(a, b) ? risk::destructive
                                                        : risk::data_dependent;
                add(change::alter_column_type, &from, &to, b.name, level, !catalog_only,
                    "change type of " + where + " from " + type_texts(a, b, spell));
            }
        }
        if (a.autoincrement != b.autoincrement)
            // A generated key starts after the largest key there; dropping one keeps the values.
            add(change::alter_column_identity, &from, &to, b.name,
                b.autoincrement ? risk::additive : risk::relaxing, false,
                b.autoincrement ? "generate the keys of " + where + " (autoincrement)"
                                : "stop generating the keys of " + where);
        if (a_computed != b.computed) {
            // Computing a column replaces its values (a new expression may fail on a row);
            // no longer computing it keeps the values it has.
            const risk level = b.computed.empty()   ? risk::relaxing
                               : a.computed.empty() ? risk::destructive
                                                    : risk::data_dependent;
            add(change::alter_column_computed, &from, &to, b.name, level, !b.computed.empty(),
                b.computed.empty() ? "stop computing " + where + " (its values stay)"
                : a.computed.empty()
                    ? "compute " + where + " as " + b.computed + " (its values are replaced)"
                    : "compute " + where + " as " + b.computed + " instead of " + a.computed);
        }
        if (a.nullable != b.nullable)
            add(change::alter_column_nullability, &from, &to, b.name,
                b.nullable ? risk::relaxing : risk::data_dependent, false,
                b.nullable ? "allow NULL in " + where
                           : "forbid NULL in " + where + " (fails if one is there)");
        if (a.server_default != b.server_default)
            add(change::alter_column_default, &from, &to, b.name, risk::additive, false,
                "change default of " + where + " from " + default_text(a.server_default) + " to " +
                    default_text(b.server_default));
    }

    template <class T, class Risk, class Describe>
    void constraints(const schema::table& from, const schema::table& to,
                     const std::vector<T>& before, const std::vector<T>& after, change add_kind,
                     change drop_kind, Risk add_risk, Describe describe) {
        for (const auto& c : before) {
            const T* other = find_named(after, c.name);
            if (!other || !(*other == c))
                add(drop_kind, &from, &to, c.name, risk::relaxing, false,
                    std::string{to_string(drop_kind)} + " " + c.name + " on " + from.name + " " +
                        describe(c));
        }
        for (const auto& c : after) {
            const T* other = find_named(before, c.name);
            if (!other || !(*other == c))
                add(add_kind, &from, &to, c.name, add_risk(c), false,
                    std::string{to_string(add_kind)} + " " + c.name + " on " + to.name + " " +
                        describe(c));
        }
    }

    /// Keys, uniques, indexes and foreign keys, paired by meaning (pair_rules): `read` is
    /// `from` as the declared renames leave its rules; drops are described as `from` has them.
    template <class T, class Risk, class Describe>
    void rules(const schema::table& from, const schema::table& to, const std::vector<T>& original,
               const std::vector<T>& before, const std::vector<T>& after, change add_kind,
               change rename_kind, change drop_kind, Risk add_risk, Describe describe) {
        const pairing<T> p = pair_rules(before, after);
        for (const T* c : p.dropped) {
            const T& was = original[static_cast<std::size_t>(c - before.data())];
            add(drop_kind, &from, &to, was.name, risk::relaxing, false,
                std::string{to_string(drop_kind)} + " " + was.name + " on " + from.name + " " +
                    describe(was));
        }
        for (const auto& [was, is] : p.renamed) {
            add(rename_kind, &from, &to, is->name, risk::name_only, false,
                std::string{to_string(rename_kind)} + " " + was->name + " on " + to.name + " to " +
                    is->name + " " + describe(*is));
            ops.back().old_name = was->name;
        }
        for (const T* c : p.added)
            add(add_kind, &from, &to, c->name, add_risk(*c), false,
                std::string{to_string(add_kind)} + " " + c->name + " on " + to.name + " " +
                    describe(*c));
    }

    void table(const schema::table& from, const schema::table& to,
               const declared_renames& renames) {
        // The rules of `from` after the renamed columns and tables they name: what they are
        // once the renames ran (both backends carry a rule along with its columns).
        const schema::table read = following(from, renames);
        columns(from, to, read);
        if (read.key != to.key) {
            if (!to.key.columns.empty() && read.key.columns == to.key.columns) {
                add(change::rename_key, &from, &to, to.key.name, risk::name_only, false,
                    "rename primary key " + from.key.name + " on " + to.name + " to " +
                        to.key.name);
                ops.back().old_name = from.key.name;
            } else {
                // Dropping the key only relaxes; a new or different key must hold for every row.
                const bool dropped = to.key.columns.empty();
                add(change::alter_primary_key, &from, &to, to.key.name,
                    dropped ? risk::relaxing : risk::data_dependent,
                    !dropped && read.key.columns != to.key.columns,
                    "change primary key of " + to.name);
            }
        }
        auto cols = [](const std::vector<std::string>& names) {
            std::string s = "(";
            for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
            return s + ")";
        };
        const auto must_hold = [](const auto&) { return risk::data_dependent; };
        // A unique index fails on duplicates already there; a plain one cannot fail.
        const auto index_risk = [](const schema::index& i) {
            return i.unique ? risk::data_dependent : risk::additive;
        };
        rules(from, to, from.uniques, read.uniques, to.uniques, change::add_unique,
              change::rename_unique, change::drop_unique, must_hold,
              [&](const schema::unique_constraint& u) { return cols(u.columns); });
        rules(from, to, from.indexes, read.indexes, to.indexes, change::add_index,
              change::rename_index, change::drop_index, index_risk, [&](const schema::index& i) {
                  return cols(i.columns) + (i.unique ? " unique" : "") +
                         (i.where.empty() ? "" : " where " + i.where);
              });
        rules(from, to, from.foreign_keys, read.foreign_keys, to.foreign_keys,
              change::add_foreign_key, change::rename_foreign_key, change::drop_foreign_key,
              must_hold, [&](const schema::foreign_key& f) {
                  return cols(f.columns) + " -> " + f.referenced_table + cols(f.referenced_columns);
              });
        constraints(from, to, read.checks, to.checks, change::add_check, change::drop_check,
                    must_hold,
                    [](const schema::check_constraint& c) { return "(" + c.expression + ")"; });
    }
};

}  // namespace detail

struct diff_options {
    /// Leave out the differences of name alone: a key, unique, foreign key or index that the
    /// other side has with the same meaning under another name (a database made by another
    /// tool, which names them its own way). They still pair up: never a drop and an add.
    bool ignore_names = false;
    /// The words of descriptions for types: retort's own when null (type_text).
    type_speller type_words = nullptr;
};

namespace detail {

/// The table and column renames `to` declares (as diff() and differ::columns() take them).
inline declared_renames renames_declared(const schema::database& from, const schema::database& to) {
    declared_renames r;
    for (const auto& t : to.tables) {
        const schema::table* source = from.find_table(t.name);
        if (!source && !t.renamed_from.empty() && !to.find_table(t.renamed_from)) {
            source = from.find_table(t.renamed_from);
            if (source) r.tables[source->name] = t.name;
        }
        if (!source) continue;
        for (const auto& c : t.columns)
            if (!c.renamed_from.empty() && !source->find_column(c.name) &&
                !t.find_column(c.renamed_from) && source->find_column(c.renamed_from))
                r.columns[t.name][c.renamed_from] = c.name;
    }
    return r;
}

}  // namespace detail

/// The operations that turn `from` (say, the live database) into `to` (say, the models). Both
/// sides should be canonical() and normalized for the same dialect first.
inline std::vector<operation> diff(const schema::database& from, const schema::database& to,
                                   const diff_options& options = {}) {
    detail::differ d;
    d.spell = options.type_words;
    const detail::declared_renames renames = detail::renames_declared(from, to);
    std::vector<std::string> renamed_away;
    for (const auto& t : to.tables) {
        const schema::table* source = from.find_table(t.name);
        if (source) {
            d.table(*source, t, renames);
            continue;
        }
        // A table declared table_renamed_from<"old">, when "old" is there and not wanted.
        if (!t.renamed_from.empty() && !to.find_table(t.renamed_from))
            source = from.find_table(t.renamed_from);
        if (!source) {
            d.add(change::create_table, nullptr, &t, {}, risk::additive, false,
                  "create table " + t.name);
            continue;
        }
        d.add(change::rename_table, source, &t, source->name, risk::rename, false,
              "rename table " + source->name + " to " + t.name);
        renamed_away.push_back(source->name);
        // What else changes is the difference of the renamed table (its rules renamed too).
        schema::table moved = *source;
        moved.name = t.name;
        for (auto& f : moved.foreign_keys)  // both backends follow the rename in a self-reference
            if (f.referenced_table == source->name) f.referenced_table = t.name;
        for (const auto& r : detail::renamed_rules(*source, t)) detail::rename_rule(moved, r);
        d.table(moved, t, renames);
    }
    for (const auto& t : from.tables)
        if (!to.find_table(t.name) &&
            std::find(renamed_away.begin(), renamed_away.end(), t.name) == renamed_away.end())
            d.add(change::drop_table, &t, nullptr, {}, risk::destructive, false,
                  "drop table " + t.name + " and its rows");
    if (options.ignore_names)
        std::erase_if(d.ops, [](const operation& op) { return op.level == risk::name_only; });
    // PostgreSQL changes no type of a column a generated one reads: what ends a generated
    // column (its drop, DROP EXPRESSION) goes before the table's other column changes, and a
    // new generated column after them.
    const auto rank = [](const operation& op) {
        const bool ends_generated = (op.kind == change::drop_column &&
                                     !op.before->find_column(op.name)->computed.empty()) ||
                                    (op.kind == change::alter_column_computed &&
                                     op.after->find_column(op.name)->computed.empty());
        const bool adds_generated =
            op.kind == change::add_column && !op.after->find_column(op.name)->computed.empty();
        return ends_generated   ? 2 * static_cast<int>(change::add_column) - 1
               : adds_generated ? 2 * static_cast<int>(change::drop_column) - 1
                                : 2 * static_cast<int>(op.kind);
    };
    std::stable_sort(d.ops.begin(), d.ops.end(), [&](const operation& a, const operation& b) {
        if (a.table != b.table) return a.table < b.table;
        return rank(a) < rank(b);
    });
    return std::move(d.ops);
}

/// A rule renamed and nothing else (rename_key, rename_unique, rename_index,
/// rename_foreign_key): what diff_options::ignore_names leaves out.
inline bool is_name_only(const operation& op) {
    return op.level == risk::name_only;
}

/// True when any operation can lose data: what `revision --autogenerate` refuses without
/// --destructive.
inline bool has_destructive(const std::vector<operation>& ops) {
    for (const auto& op : ops)
        if (op.level == risk::destructive) return true;
    return false;
}

}  // namespace retort::migrate
