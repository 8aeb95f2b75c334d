// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Foreign keys of tables a schema manager leaves alone (ignored, or not modelled) that point
// into tables it repairs. A repair that drops what such a key needs (its table, a referenced
// column, the key or unique constraint on its columns) is refused by PostgreSQL, which names
// an object the plan never mentioned, and leaves a dangling reference on SQLite: the manager
// finds these before it runs anything.

#include <retort/migrate/diff.hpp>
#include <retort/schema/schema.hpp>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

namespace retort::migrate::detail {

struct outside_reference {
    std::string table;  // the table left alone, which holds the key
    schema::foreign_key key;
};

/// The foreign keys of the tables of `everything` that `covers` leaves out, into tables it
/// covers.
inline std::vector<outside_reference>
outside_references(const schema::database& everything,
                   const std::function<bool(const std::string&)>& covers) {
    std::vector<outside_reference> out;
    for (const auto& t : everything.tables) {
        if (covers(t.name)) continue;
        for (const auto& fk : t.foreign_keys)
            if (covers(fk.referenced_table)) out.push_back({t.name, fk});
    }
    return out;
}

inline bool same_column_set(std::vector<std::string> a, std::vector<std::string> b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    return a == b;
}

/// Whether `op` takes away something `ref` needs: its table, one of its columns, or the key,
/// unique constraint or unique index on exactly its columns.
inline bool breaks(const operation& op, const outside_reference& ref) {
    const schema::foreign_key& fk = ref.key;
    if (op.table != fk.referenced_table) return false;
    const schema::table* before = op.before ? &*op.before : nullptr;
    switch (op.kind) {
    case change::drop_table: return true;
    case change::drop_column:
        return std::find(fk.referenced_columns.begin(), fk.referenced_columns.end(), op.name) !=
               fk.referenced_columns.end();
    case change::alter_primary_key:
        return before && same_column_set(before->key.columns, fk.referenced_columns);
    case change::drop_unique:
        if (before)
            for (const auto& u : before->uniques)
                if (u.name == op.name) return same_column_set(u.columns, fk.referenced_columns);
        return false;
    case change::drop_index:
        if (before)
            for (const auto& i : before->indexes)
                if (i.name == op.name)
                    return i.unique && i.where.empty() &&
                           same_column_set(i.columns, fk.referenced_columns);
        return false;
    default: return false;
    }
}

/// "posts.fk_posts_user_id", the first outside key `op` breaks; empty when it breaks none.
inline std::string first_broken(const operation& op, const std::vector<outside_reference>& refs) {
    for (const auto& r : refs)
        if (breaks(op, r)) return r.table + "." + r.key.name;
    return {};
}

}  // namespace retort::migrate::detail
