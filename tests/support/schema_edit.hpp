// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Editing schema values in unit tests: the shared models' schema, and a table or column of it
// found by name (a test fails when it is not there).

#include "models.hpp"

#include <retort/migrate/normalize.hpp>
#include <retort/schema/from_model.hpp>

#include <catch2/catch.hpp>

#include <string_view>

namespace test {

/// The shared models' schema, in canonical order.
inline retort::schema::database models() {
    return retort::migrate::canonical(
        retort::schema::database_of<app::user, app::job, app::lesson, app::llm_call_audit,
                                    app::email_delivery_log, app::all_types, app::membership>());
}

inline retort::schema::table& table(retort::schema::database& db, std::string_view name) {
    for (auto& t : db.tables)
        if (t.name == name) return t;
    FAIL("no table " << name);
    return db.tables.front();
}

inline retort::schema::column& column(retort::schema::table& t, std::string_view name) {
    for (auto& c : t.columns)
        if (c.name == name) return c;
    FAIL("no column " << name);
    return t.columns.front();
}

}  // namespace test
