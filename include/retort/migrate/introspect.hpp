// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Introspection for either backend, and the comparison of a live database with models: both
// sides normalized for the backend and put in canonical order, then diffed.

#include <retort/migrate/detail/server_spelling.hpp>
#include <retort/migrate/diff.hpp>
#include <retort/migrate/introspect_postgres.hpp>
#include <retort/migrate/introspect_sqlite.hpp>
#include <retort/migrate/normalize.hpp>
#include <retort/schema/from_model.hpp>

#include <type_traits>
#include <vector>

namespace retort::migrate {

/// `models` with every CHECK expression and partial-index predicate as PostgreSQL prints it
/// back (it rewrites them), so that they compare with a live database's by meaning; one the
/// server cannot take yet (a type or function the database lacks) takes the text of `live`'s
/// rule of the same name, and so compares by name. Nothing is left in the database.
inline schema::database spelled_by_server(basic_session<retort::postgres>& s,
                                          schema::database models, const schema::database& live) {
    return detail::server_spelling::spell_models(s, std::move(models), live);
}

/// SQLite keeps a CHECK or a partial index's WHERE as it was written: nothing to spell.
inline schema::database spelled_by_server(basic_session<retort::sqlite>&, schema::database models,
                                          const schema::database&) {
    return models;
}

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
/// max_length's optional length CHECK is taken from `live` (with_live_length_checks). On
/// PostgreSQL, pass the models through spelled_by_server() first: CHECKs and predicates are
/// compared as the server prints them.
template <class Backend>
schema::database comparable_models(schema::database models, const schema::database& live) {
    if constexpr (std::is_same_v<Backend, retort::sqlite>)
        return comparable<Backend>(
            as_rendered_for_sqlite(with_live_length_checks(std::move(models), live)));
    else
        return comparable<Backend>(std::move(models));
}

/// What would turn the live database into the models' schema (tables the models do not name
/// are reported as dropped). Its descriptions name types in the database's words unless
/// `options.type_words` says otherwise.
template <model_type... Ts, class Backend>
std::vector<operation> diff_with_models(basic_session<Backend>& s, diff_options options = {}) {
    schema::database live = introspect(s, schema::naming_of_database<Ts...>());
    auto models =
        comparable_models<Backend>(spelled_by_server(s, schema::database_of<Ts...>(), live), live);
    if (!options.type_words) options.type_words = &type_words<typename Backend::dialect>;
    return diff(comparable<Backend>(std::move(live)), models, options);
}

}  // namespace retort::migrate
