// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// What a service does with its schema when it starts:
//  - ENABLE_AUTO_MIGRATION=true: `upgrade head` from the migrations directory;
//  - then, without introspecting, whether the database was last migrated to exactly the
//    service's models (the fingerprint in the version table's newest row).

#include <retort/migrate/autogenerate.hpp>
#include <retort/migrate/migrator.hpp>
#include <retort/migrate/models_hash.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace retort::migrate {

/// True when the newest applied revision recorded exactly these models' fingerprint. One
/// small query; no introspection.
template <model_type... Ts, class Backend>
bool database_matches_models(basic_session<Backend>& s) {
    const auto rows = read_applied(s);
    return !rows.empty() && rows.back().models_hash == models_hash_text<Ts...>();
}

/// The options a migrator for models Ts needs: their fingerprint, recorded at head, and their
/// naming convention.
template <model_type... Ts>
migrator_options options_for_models(const std::vector<revision>& history,
                                    migrator_options options = {}) {
    options.models_hash = models_hash_text<Ts...>();
    options.naming = schema::naming_of_database<Ts...>();
    options.models_match_head = !history.empty() && pending_model_changes<Ts...>(history).empty();
    return options;
}

struct startup_report {
    bool auto_migration = false;       // ENABLE_AUTO_MIGRATION was set
    std::vector<std::string> applied;  // revisions it applied
    bool matches_models = false;       // database_matches_models after that
};

inline bool auto_migration_enabled() {
    const char* v = std::getenv("ENABLE_AUTO_MIGRATION");
    if (!v) return false;
    const std::string s = v;
    return s == "true" || s == "1" || s == "yes" || s == "TRUE" || s == "True";
}

/// Runs `upgrade head` when ENABLE_AUTO_MIGRATION=true, then checks the fingerprint.
template <model_type... Ts, class Backend>
startup_report on_startup(basic_session<Backend>& s, const std::filesystem::path& migrations,
                          migrator_options options = {}) {
    startup_report report;
    report.auto_migration = auto_migration_enabled();
    if (report.auto_migration) {
        auto history = load_history(migrations);
        auto opts = options_for_models<Ts...>(history, std::move(options));
        migrator<Backend> m(s, std::move(history), std::move(opts));
        report.applied = m.upgrade("head");
    }
    report.matches_models = database_matches_models<Ts...>(s);
    return report;
}

/// A struct without RETORT_TABLE among Ts: one compile error that says so.
template <class... Ts, class Backend>
    requires(retort::detail::not_all_models<Ts...>)
retort::detail::not_a_model on_startup(basic_session<Backend>&, const std::filesystem::path&,
                                       migrator_options = {}) {
    return retort::detail::require_models<Ts...>();
}

}  // namespace retort::migrate
