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

/// Deterministic: of the tables whose referenced tables are all placed, the one listed first
/// goes next. When none is ready (a cycle), the first unplaced table goes next and its foreign
/// keys to unplaced tables are deferred.
inline creation_order order_by_dependencies(const database& db) {
    creation_order result;
    const std::size_t n = db.tables.size();
    std::map<std::string, std::size_t, std::less<>> by_name;
    for (std::size_t i = 0; i < n; ++i) by_name.emplace(db.tables[i].name, i);
    // dependencies[i]: tables (other than i itself) that table i references
    std::vector<std::vector<std::size_t>> dependencies(n);
    for (std::size_t i = 0; i < n; ++i)
        for (const auto& fk : db.tables[i].foreign_keys)
            if (auto it = by_name.find(fk.referenced_table); it != by_name.end() && it->second != i)
                dependencies[i].push_back(it->second);

    std::vector<bool> placed(n, false);
    auto ready = [&](std::size_t i) {
        for (std::size_t d : dependencies[i])
            if (!placed[d]) return false;
        return true;
    };
    for (std::size_t count = 0; count < n; ++count) {
        std::size_t next = n;
        for (std::size_t i = 0; i < n && next == n; ++i)
            if (!placed[i] && ready(i)) next = i;
        if (next == n) {  // a cycle: take the first unplaced table, defer its open references
            for (std::size_t i = 0; i < n && next == n; ++i)
                if (!placed[i]) next = i;
            const table& t = db.tables[next];
            for (const auto& fk : t.foreign_keys)
                if (auto it = by_name.find(fk.referenced_table);
                    it != by_name.end() && it->second != next && !placed[it->second])
                    result.deferred_foreign_keys.emplace_back(&t, &fk);
        }
        placed[next] = true;
        result.tables.push_back(&db.tables[next]);
    }
    return result;
}

}  // namespace retort::schema
