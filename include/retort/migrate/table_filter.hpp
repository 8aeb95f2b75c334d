// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Which tables a comparison covers. A table the filter leaves out (`--ignore-table T`) is taken
// out of both sides, the live database and the models (or the newest revision's snapshot): it
// is neither compared, nor created, nor altered, nor dropped, whether the models declare it or
// not. validate, fix, initialize, check and revision --autogenerate all apply the same filter.

#include <retort/schema/schema.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace retort::migrate {

struct table_filter {
    std::vector<std::string> ignored;  // exact table names

    /// False for a table the filter leaves out.
    bool covers(std::string_view table) const {
        return std::find(ignored.begin(), ignored.end(), table) == ignored.end();
    }

    /// `db` without the tables the filter leaves out.
    schema::database apply(schema::database db) const {
        std::erase_if(db.tables, [&](const schema::table& t) { return !covers(t.name); });
        return db;
    }

    /// This filter, also leaving out the old name of each left-out model table declared
    /// table_renamed_from<"old">: a rename is one table under two names, ignored as one.
    table_filter with_renames_of(const schema::database& models) const {
        table_filter out = *this;
        for (const auto& t : models.tables)
            if (!covers(t.name) && !t.renamed_from.empty() && covers(t.renamed_from))
                out.ignored.push_back(t.renamed_from);
        return out;
    }
};

/// `models`, except that each table `filter` leaves out is as `base` has it (or absent): what a
/// revision planned from `base` aims at, so that it neither touches those tables nor records
/// the models' version of them in its snapshot.
inline schema::database keep_left_out_as_in(const schema::database& base, schema::database models,
                                            const table_filter& filter) {
    const table_filter f = filter.with_renames_of(models);
    schema::database target = f.apply(std::move(models));
    for (const auto& t : base.tables)
        if (!f.covers(t.name)) target.tables.push_back(t);
    return target;
}

}  // namespace retort::migrate
