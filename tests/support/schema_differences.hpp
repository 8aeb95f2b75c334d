// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// A readable account of how two schema values differ, table by table and field by field, for
// test failures that compare an introspected schema with the models'.

#include <retort/schema/schema.hpp>

#include <algorithm>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

namespace test {

namespace schema_text {
namespace schema = retort::schema;

inline std::string join(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
    return out + "]";
}

inline std::string describe(const schema::default_value& d) {
    using kind = schema::default_value::kind;
    switch (d.type) {
    case kind::boolean: return d.integer ? "true" : "false";
    case kind::integer: return std::to_string(d.integer);
    case kind::text: return "'" + d.text + "'";
    case kind::expression: return "expr(" + d.text + ")";
    case kind::none: break;
    }
    return "none";
}

inline std::string describe(const schema::column& c) {
    std::ostringstream out;
    out << c.name << ' ' << to_string(c.type);
    if (c.max_length) out << '(' << c.max_length << ')';
    out << (c.nullable ? " NULL" : " NOT NULL");
    if (c.autoincrement) out << " autoincrement";
    out << " default=" << describe(c.server_default);
    if (!c.enum_values.empty()) out << " values=" << join(c.enum_values);
    if (!c.native_type.empty()) out << " native=" << c.native_type;
    return out.str();
}
inline std::string describe(const schema::primary_key& k) {
    return k.name + ' ' + join(k.columns);
}
inline std::string describe(const schema::unique_constraint& u) {
    return u.name + ' ' + join(u.columns);
}
inline std::string describe(const schema::index& ix) {
    return ix.name + ' ' + join(ix.columns) + (ix.unique ? " unique" : "") +
           (ix.where.empty() ? "" : " WHERE " + ix.where);
}
inline std::string describe(const schema::foreign_key& fk) {
    return fk.name + ' ' + join(fk.columns) + " -> " + fk.referenced_table +
           join(fk.referenced_columns) + " ON DELETE " +
           std::string{schema::to_string(fk.on_delete)} + " ON UPDATE " +
           std::string{schema::to_string(fk.on_update)};
}
inline std::string describe(const schema::check_constraint& ck) {
    return ck.name + " CHECK (" + ck.expression + ")";
}

// Named items (constraints) compared by name: missing, extra, or different.
template <class T>
void diff_named(std::ostream& out, const std::string& where, const std::vector<T>& got,
                const std::vector<T>& want) {
    for (const auto& w : want) {
        const T* g = nullptr;
        for (const auto& x : got)
            if (x.name == w.name) g = &x;
        if (!g)
            out << where << ": missing " << describe(w) << '\n';
        else if (!(*g == w))
            out << where << ": got " << describe(*g) << "\n"
                << std::string(where.size(), ' ') << "  want " << describe(w) << '\n';
    }
    for (const auto& g : got) {
        bool known = false;
        for (const auto& w : want) known = known || w.name == g.name;
        if (!known) out << where << ": unexpected " << describe(g) << '\n';
    }
}

/// Per table, per field: what `got` (introspected) has that `want` (models) does not; empty
/// when they are equal.
inline std::string schema_differences(const schema::database& got, const schema::database& want) {
    std::ostringstream out;
    for (const auto& w : want.tables) {
        const schema::table* g = got.find_table(w.name);
        if (!g) {
            out << "table " << w.name << ": missing\n";
            continue;
        }
        if (*g == w) continue;
        const std::string t = "table " + w.name;
        for (std::size_t i = 0; i < std::max(g->columns.size(), w.columns.size()); ++i) {
            const std::string got_c = i < g->columns.size() ? describe(g->columns[i]) : "(none)";
            const std::string want_c = i < w.columns.size() ? describe(w.columns[i]) : "(none)";
            if (got_c != want_c)
                out << t << " column " << i << ": got " << got_c << "\n    want " << want_c << '\n';
        }
        if (!(g->key == w.key))
            out << t << " primary key: got " << describe(g->key) << ", want " << describe(w.key)
                << '\n';
        diff_named(out, t + " unique", g->uniques, w.uniques);
        diff_named(out, t + " index", g->indexes, w.indexes);
        diff_named(out, t + " foreign key", g->foreign_keys, w.foreign_keys);
        diff_named(out, t + " check", g->checks, w.checks);
    }
    for (const auto& g : got.tables)
        if (!want.find_table(g.name)) out << "table " << g.name << ": unexpected\n";
    return out.str();
}

}  // namespace schema_text

using schema_text::schema_differences;

}  // namespace test
