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

/// A schema value in the form introspection on Backend gives, ready to compare.
template <class Backend>
schema::database comparable(schema::database db) {
    if constexpr (std::is_same_v<Backend, retort::sqlite>)
        return canonical(normalize_for_sqlite(std::move(db)));
    else
        return canonical(normalize_for_postgres(std::move(db)));
}

/// What would turn the live database into the models' schema (tables the models do not name
/// are reported as dropped).
template <model_type... Ts, class Backend>
std::vector<operation> diff_with_models(basic_session<Backend>& s) {
    return diff(comparable<Backend>(introspect(s)),
                comparable<Backend>(schema::database_of<Ts...>()));
}

}  // namespace retort::migrate
