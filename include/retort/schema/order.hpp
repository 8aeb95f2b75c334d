// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Foreign-key order: referenced tables come before the tables that reference them. A cycle is
// broken by naming the foreign keys that close it; they are created after all the tables.

#include <retort/schema/schema.hpp>

#include <map>
#include <string>
#include <vector>

namespace retort::schema {

struct creation_order {
    std::vector<const table*> tables;  // in creation order
    std::vector<std::pair<const table*, const foreign_key*>> deferred_foreign_keys;
};

/// Deterministic: among tables that are ready, the one listed first goes first.
inline creation_order order_by_dependencies(const database& db) {
    creation_order result;
    enum class mark { none, visiting, done };
    std::map<std::string, std::size_t, std::less<>> by_name;
    for (std::size_t i = 0; i < db.tables.size(); ++i) by_name[db.tables[i].name] = i;
    std::vector<mark> marks(db.tables.size(), mark::none);

    auto visit = [&](auto& self, std::size_t i) -> void {
        marks[i] = mark::visiting;
        const table& t = db.tables[i];
        for (const auto& fk : t.foreign_keys) {
            auto it = by_name.find(fk.referenced_table);
            if (it == by_name.end() || it->second == i) continue;  // external or self reference
            if (marks[it->second] == mark::visiting)
                result.deferred_foreign_keys.emplace_back(&t, &fk);  // closes a cycle
            else if (marks[it->second] == mark::none)
                self(self, it->second);
        }
        marks[i] = mark::done;
        result.tables.push_back(&t);
    };
    for (std::size_t i = 0; i < db.tables.size(); ++i)
        if (marks[i] == mark::none) visit(visit, i);
    return result;
}

}  // namespace retort::schema
