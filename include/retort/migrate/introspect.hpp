// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Introspection for either backend, and the comparison of a live database with models: both
// sides normalized for the backend and put in canonical order, then diffed.

#include <retort/migrate/diff.hpp>
#include <retort/migrate/introspect_postgres.hpp>
#include <retort/migrate/introspect_sqlite.hpp>
#include <retort/migrate/normalize.hpp>
#include <retort/schema/from_model.hpp>

#include <type_traits>
#include <vector>

namespace retort::migrate {

/// A live schema (from introspect) in the form it is compared in.
template <class Backend>
schema::database comparable(schema::database live) {
    if constexpr (std::is_same_v<Backend, retort::sqlite>)
        return canonical(normalize_for_sqlite(std::move(live)));
    else
        return canonical(normalize_for_postgres(std::move(live)));
}

/// A models' schema in the form it is compared with `live` (as introspected): as the
/// backend's DDL renders it, then normalized like a live one. On SQLite, a plain
/// max_length's optional length CHECK is taken from `live` (with_live_length_checks).
template <class Backend>
schema::database comparable_models(schema::database models, const schema::database& live) {
    if constexpr (std::is_same_v<Backend, retort::sqlite>)
        return comparable<Backend>(
            as_rendered_for_sqlite(with_live_length_checks(std::move(models), live)));
    else
        return comparable<Backend>(std::move(models));
}

/// What would turn the live database into the models' schema (tables the models do not name
/// are reported as dropped).
template <model_type... Ts, class Backend>
std::vector<operation> diff_with_models(basic_session<Backend>& s,
                                        const diff_options& options = {}) {
    schema::database live = introspect(s, schema::naming_of_database<Ts...>());
    auto models = comparable_models<Backend>(schema::database_of<Ts...>(), live);
    return diff(comparable<Backend>(std::move(live)), models, options);
}

}  // namespace retort::migrate
