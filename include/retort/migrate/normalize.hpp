// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Puts a schema value into canonical order, so that two descriptions of the same schema
// compare equal whatever order their tables and constraints were listed or read in. Columns
// keep their order (it is part of a table); constraint lists are sorted by name. A column's
// renamed_from hint is kept: the diff needs it. Dialect
// rules (what one backend cannot represent or spells differently) live beside each
// introspector: normalize_for_sqlite / normalize_for_postgres.

#include <retort/schema/schema.hpp>

#include <algorithm>

namespace retort::migrate {

namespace detail {
template <class T>
void sort_by_name(std::vector<T>& items) {
    std::sort(items.begin(), items.end(), [](const T& a, const T& b) { return a.name < b.name; });
}
}  // namespace detail

inline schema::table canonical(schema::table t) {
    detail::sort_by_name(t.uniques);
    detail::sort_by_name(t.indexes);
    detail::sort_by_name(t.foreign_keys);
    detail::sort_by_name(t.checks);
    return t;
}

inline schema::database canonical(schema::database db) {
    for (auto& t : db.tables) t = canonical(std::move(t));
    detail::sort_by_name(db.tables);
    return db;
}

}  // namespace retort::migrate
