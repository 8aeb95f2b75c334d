// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The migration command line, built by a project from its own models:
//
//   #include "models.hpp"
//   #include <retort/cli.hpp>
//   int main(int argc, char** argv) { return retort::cli::main<User, Job>(argc, argv); }
//
// Every command is a library call (retort/migrate/...); this file only parses arguments and
// prints. Exit codes: 0 done; 1 `check`/`validate` found differences; 2 bad usage or
// configuration; 3 the database refused (a failed revision, a lock, a constraint).

#include <retort/migrate/autogenerate.hpp>
#include <retort/migrate/migrator.hpp>
#include <retort/migrate/models_hash.hpp>
#include <retort/migrate/schema_manager.hpp>
#include <retort/migrate/startup.hpp>
#include <retort/retort.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace retort::cli {

inline constexpr std::string_view usage = R"(usage: migrate [options] <command> [arguments]

commands:
  revision -m "message" [--autogenerate] [--destructive] [--concurrent-indexes]
                          write the next revision (planned from the models with
                          --autogenerate; otherwise empty, for hand-written SQL)
  upgrade [head|+N|<rev>] [--sql]    apply revisions (default: head)
  downgrade <-N|base|<rev>> [--sql]  undo revisions down to the target
  stamp <rev> [--force]   record <rev> as applied without running it; refuses unless the
                          database matches the revision (or --force)
  current                 the newest applied revision
  history                 every revision, marking the applied ones
  check                   exit 1 when the models differ from the newest revision
  initialize              create the models' missing tables
  validate [--json]       compare the database with the models; exit 1 on drift
  fix [--destructive] [--sql]
                          repair drift: additive repairs only, unless --destructive or
                          AUTO_SCHEMA_DESTRUCTIVE=true
  (validate and fix also take --ignore-names: a key, unique, foreign key or index the
   database has under another name than the models' is not a difference, and keeps it)

options:
  --url URL          the database (default: DATABASE_URL, else the SQLite file retort.db)
  --dir DIR          the migrations directory (default: RETORT_MIGRATIONS_DIR, else the
                     directory the tool was built with, else ./migrations)
  --ignore-table T   leave table T out, on both sides: neither compared, created, altered
                     nor dropped, whether the models declare it or not (validate, fix,
                     initialize, check, revision --autogenerate, and upgrade's note
                     that the models differ; repeatable). T is a glob
                     pattern: * stands for any run of characters, ? for one
  --only-table T     leave out every table that matches no --only-table pattern (the same
                     commands; repeatable)
  --models-only      leave out the tables the models do not name, instead of reporting them
                     as tables to drop (validate, fix, initialize): a shared database
  --quiet            no progress lines
)";

namespace detail {

// retort_add_migrate_tool(... MIGRATIONS dir) compiles the project's directory in.
#ifdef RETORT_DEFAULT_MIGRATIONS_DIR
inline constexpr const char* default_migrations_dir = RETORT_DEFAULT_MIGRATIONS_DIR;
#else
inline constexpr const char* default_migrations_dir = "migrations";
#endif

struct arguments {
    std::string command;
    std::vector<std::string> positional;
    std::string url, message;
    std::filesystem::path dir;
    std::vector<std::string> ignored, only;  // --ignore-table, --only-table
    bool models_only = false;                // --models-only
    bool autogenerate = false, destructive = false, concurrent = false, sql = false, force = false,
         json = false, quiet = false;
    std::vector<std::string> flags;  // the command's own options given, as written
    bool ignore_names = false;       // --ignore-names (validate, fix)
};

/// Each command's own options (besides --url, --dir and --quiet) and how many positional
/// arguments it takes: an option a command does not know is an error, never ignored.
inline void check_usage(const arguments& a) {
    struct spec {
        std::string_view command;
        std::vector<std::string_view> flags;
        std::size_t min_args, max_args;
    };
    static const std::vector<spec> specs{
        {"revision",
         {"-m", "--message", "--autogenerate", "--destructive", "--concurrent-indexes",
          "--ignore-table", "--only-table"},
         0,
         0},
        {"upgrade", {"--sql", "--ignore-table", "--only-table"}, 0, 1},
        {"downgrade", {"--sql"}, 1, 1},
        {"stamp", {"--force"}, 1, 1},
        {"current", {}, 0, 0},
        {"history", {}, 0, 0},
        {"check", {"--ignore-table", "--only-table"}, 0, 0},
        {"initialize", {"--ignore-table", "--only-table", "--models-only"}, 0, 0},
        {"validate", {"--json", "--ignore-table", "--only-table", "--models-only"}, 0, 0},
        {"fix",
         {"--destructive", "--sql", "--ignore-table", "--only-table", "--models-only"},
         0,
         0},
    };
    for (const auto& s : specs) {
        if (s.command != a.command) continue;
        for (const auto& f : a.flags)
            if (std::find(s.flags.begin(), s.flags.end(), f) == s.flags.end())
                throw configuration_error(a.command + " does not take " + f);
        if (a.command == "revision" && !a.autogenerate &&
            (a.destructive || a.concurrent || !a.ignored.empty() || !a.only.empty()))
            throw configuration_error("--destructive, --concurrent-indexes, --ignore-table and "
                                      "--only-table shape a revision planned from the models: "
                                      "add --autogenerate");
        if (a.positional.size() < s.min_args)
            throw configuration_error(a.command + " needs a target (see --help)");
        if (a.positional.size() > s.max_args)
            throw configuration_error(a.command + " takes " + std::to_string(s.max_args) +
                                      " argument(s), got " + std::to_string(a.positional.size()) +
                                      ": " + a.positional.back());
        return;
    }
    throw configuration_error("unknown command '" + a.command + "' (see --help)");
}

/// --ignore-names shapes the schema manager's comparison only: checked apart from the flags
/// above, so that their table stays as it is.
inline void check_ignore_names(const arguments& a) {
    if (a.ignore_names && a.command != "validate" && a.command != "fix")
        throw configuration_error(a.command + " does not take --ignore-names");
}

inline arguments parse(int argc, char** argv) {
    arguments a;
    const char* env_dir = std::getenv("RETORT_MIGRATIONS_DIR");
    a.dir = env_dir && *env_dir ? env_dir : default_migrations_dir;
    auto value = [&](int& i, std::string_view flag) -> std::string {
        if (i + 1 >= argc) throw configuration_error(std::string{flag} + " needs a value");
        return argv[++i];
    };
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const auto own = [&](bool& flag) {
            flag = true;
            a.flags.emplace_back(arg);
        };
        if (arg == "--url") {
            a.url = value(i, arg);
        } else if (arg == "--dir") {
            a.dir = value(i, arg);
        } else if (arg == "--quiet") {
            a.quiet = true;
        } else if (arg == "--ignore-table") {
            a.flags.emplace_back(arg);
            a.ignored.push_back(value(i, arg));
        } else if (arg == "--only-table") {
            a.flags.emplace_back(arg);
            a.only.push_back(value(i, arg));
        } else if (arg == "--models-only") {
            a.flags.emplace_back(arg);
            a.models_only = true;
        } else if (arg == "-m" || arg == "--message") {
            a.flags.emplace_back(arg);
            a.message = value(i, arg);
        } else if (arg == "--autogenerate") {
            own(a.autogenerate);
        } else if (arg == "--destructive") {
            own(a.destructive);
        } else if (arg == "--concurrent-indexes") {
            own(a.concurrent);
        } else if (arg == "--sql") {
            own(a.sql);
        } else if (arg == "--force") {
            own(a.force);
        } else if (arg == "--json") {
            own(a.json);
        } else if (arg == "--ignore-names") {
            a.ignore_names = true;
        } else if (arg == "-h" || arg == "--help") {
            a.command = "help";
        } else if (arg.size() > 1 && arg[0] == '-' && !(arg[1] >= '0' && arg[1] <= '9')) {
            throw configuration_error("unknown option " + std::string{arg});
        } else if (a.command.empty()) {
            a.command = arg;
        } else {
            a.positional.emplace_back(arg);
        }
    }
    return a;
}

inline std::string target_of(const arguments& a, std::string fallback) {
    return a.positional.empty() ? fallback : a.positional[0];
}

/// The tables the command covers, from --ignore-table, --only-table and --models-only.
inline migrate::table_filter filter_of(const arguments& a) {
    migrate::table_filter f;
    f.ignored = a.ignored;
    f.only = a.only;
    f.models_only = a.models_only;
    return f;
}

/// "not compared (--ignore-table): a, b" after a comparison's verdict (and likewise for
/// --only-table and --models-only), so that a clean result does not read as covering the
/// tables left out.
inline void print_ignored(const arguments& a) {
    const auto list = [](std::string_view what, const std::vector<std::string>& names) {
        if (names.empty()) return;
        std::cout << what;
        for (std::size_t i = 0; i < names.size(); ++i) std::cout << (i ? ", " : " ") << names[i];
        std::cout << "\n";
    };
    list("not compared (--ignore-table):", a.ignored);
    list("compared only (--only-table):", a.only);
    if (a.models_only) std::cout << "not compared: tables the models do not name (--models-only)\n";
}

/// A progress line is open (its statement has not finished): an error closes it first.
inline bool progress_line_open = false;

inline void print_progress(const migrate::progress& p) {
    progress_line_open = !p.finished;
    if (!p.finished) {
        std::string first_line{p.sql.substr(0, p.sql.find('\n'))};
        if (first_line.size() > 100) first_line = first_line.substr(0, 97) + "...";
        const std::string unit = p.revision.empty() ? "fix" : std::string{p.revision};
        std::fprintf(stderr, "  %s [%zu/%zu] %s", unit.c_str(), p.index, p.count,
                     first_line.c_str());
        std::fflush(stderr);
    } else {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(p.elapsed).count();
        std::fprintf(stderr, "  (%lld ms)\n", static_cast<long long>(ms));
    }
}

/// Each statement with its ';' (on a line of its own when the last line ends in a comment,
/// which would swallow it), so the output runs as it is.
/// One `-- text` line: a line break in `text` (a CHECK written over several lines) would end
/// the comment, and what follows it would be SQL.
inline std::string sql_comment(std::string_view text) {
    std::string out = "-- ";
    for (const char c : text) out += (c == '\n' || c == '\r') ? ' ' : c;
    return out + "\n";
}

inline void print_statements(const std::vector<std::string>& statements) {
    for (const auto& s : statements) {
        const std::size_t line = s.rfind('\n');
        const bool comment_last =
            s.find("--", line == std::string::npos ? 0 : line + 1) != std::string::npos;
        std::cout << s << (comment_last ? "\n;\n" : ";\n");
    }
}

template <class Backend, model_type... Ts>
int run_with_database(const arguments& a, basic_session<Backend>& s) {
    using namespace migrate;
    if (a.command == "initialize" || a.command == "validate" || a.command == "fix") {
        run_options ro;
        if (!a.quiet) ro.on_progress = print_progress;
        schema_manager<Backend, Ts...> manager(s, filter_of(a), ro);
        manager.ignore_names(a.ignore_names);
        if (a.command == "initialize") {
            for (const auto& t : manager.initialize()) std::cout << "created " << t << "\n";
            return 0;
        }
        if (a.command == "validate") {
            const auto report = manager.validate();
            std::cout << (a.json ? report.json() : report.text());
            if (!a.json) print_ignored(a);
            return report.exit_code();
        }
        const bool destructive = a.destructive || destructive_allowed_by_environment();
        // Like validate: 0 when the database matches the models (after the fix), 1 when a
        // difference is left; --sql says what the fix would leave, as SQL comments.
        if (a.sql) {
            print_statements(manager.fix_sql(destructive));
            const auto report = manager.validate();
            int left = 0;
            for (const auto& op : report.operations)
                if (const auto why = report.left_by_fix(op, destructive); !why.empty()) {
                    std::cout << sql_comment("left out (" + why + "): " + op.description);
                    ++left;
                }
            for (const auto& m : report.misfits) {
                std::cout << sql_comment("left out (rows to change or delete): " + m.text());
                ++left;
            }
            return left ? 1 : 0;
        }
        const auto applied = manager.fix(destructive);
        for (const auto& op : applied) std::cout << "fixed: " << op.description << "\n";
        const auto left = manager.validate();
        if (!left.clean()) std::cout << "left:\n" << left.text();
        return left.exit_code();
    }
    auto history = load_history(a.dir);
    migrator_options options = options_for_models<Ts...>(history);
    if (!a.quiet) options.on_progress = print_progress;
    migrator<Backend> m(s, history, options);
    if (a.command == "upgrade" || a.command == "downgrade") {
        const bool up = a.command == "upgrade";
        const std::string target = target_of(a, "head");
        if (a.sql) {
            print_statements(m.script(target, up ? direction::up : direction::down));
            return 0;
        }
        const auto done = up ? m.upgrade(target) : m.downgrade(target);
        for (const auto& id : done) std::cout << (up ? "applied " : "undone ") << id << "\n";
        if (done.empty())
            std::cout << "nothing to do; current: " << (m.current().empty() ? "base" : m.current())
                      << "\n";
        // The exit code stays 0: a deploy that only applies revisions goes on.
        if (up && history.empty())
            std::cout << "there are no revisions yet: `revision --autogenerate -m \"...\"` "
                         "writes the first one from the models\n";
        else if (up)
            if (const auto ahead = pending_model_changes<Ts...>(history, filter_of(a));
                !ahead.empty())
                std::cout << "the models differ from the newest revision (" << ahead.size()
                          << " change(s)): `revision --autogenerate -m \"...\"` writes the "
                             "next one\n";
        return 0;
    }
    if (a.command == "stamp") {
        const std::string target = target_of(a, "");
        m.stamp(target, a.force);
        std::cout << "stamped " << (m.current().empty() ? "base" : m.current()) << "\n";
        return 0;
    }
    if (a.command == "current") {
        const auto applied = m.applied();
        if (applied.empty()) {
            std::cout << "base (no revision applied)\n";
        } else {
            std::cout << applied.back().id << (applied.size() == history.size() ? " (head)" : "")
                      << "\n";
            if (applied.back().models_hash == models_hash_text<Ts...>())
                std::cout << "the database matches these models exactly\n";
        }
        return 0;
    }
    if (a.command == "history") {
        const auto applied = m.applied();
        for (std::size_t i = history.size(); i-- > 0;) {
            const auto& r = history[i];
            std::cout << (i < applied.size() ? "[x] " : "[ ] ") << r.id << "  " << r.message;
            if (i < applied.size())
                std::cout << "  (" << applied[i].how << " " << applied[i].applied_at << ")";
            std::cout << "\n";
        }
        return 0;
    }
    throw configuration_error("unknown command '" + a.command + "' (see --help)");
}

template <model_type... Ts>
int run(const arguments& a) {
    using namespace migrate;
    if (a.command == "help") {
        std::cout << usage;
        return 0;
    }
    if (a.command.empty()) {
        std::cerr << usage;
        return 2;
    }
    check_usage(a);
    check_ignore_names(a);
    if (a.command == "revision") {
        if (a.message.empty()) throw configuration_error("revision needs -m \"message\"");
        autogenerate_options o;
        o.allow_destructive = a.destructive;
        o.concurrent_indexes = a.concurrent;
        o.tables = filter_of(a);
        const std::optional<generated_revision> r =
            a.autogenerate ? autogenerate<Ts...>(a.dir, a.message, o)
                           : std::optional{empty_revision(a.dir, a.message)};
        if (!r) {
            std::cout << "no changes: the models match the newest revision\n";
            return 0;
        }
        std::cout << "wrote " << r->path.string() << "\n";
        for (const auto& line : describe(r->operations)) std::cout << "  " << line << "\n";
        return 0;
    }
    if (a.command == "check") {
        const auto ops = pending_model_changes<Ts...>(load_history(a.dir), filter_of(a));
        if (ops.empty()) {
            std::cout << "the models match the newest revision\n";
            print_ignored(a);
            return 0;
        }
        std::cout << "the models differ from the newest revision (" << ops.size()
                  << " change(s)); run `revision --autogenerate`:\n";
        for (const auto& line : describe(ops)) std::cout << "  " << line << "\n";
        return 1;
    }
    const std::string url = a.url.empty() ? database_url_from_env() : a.url;
    auto db = engine::from_url(url);
    if (!a.quiet) std::cerr << "migrate: database " << retort::detail::redact_url(url) << "\n";
    return db.visit([&](auto& e) {
        auto s = e.session();
        return run_with_database<typename std::decay_t<decltype(e)>::backend, Ts...>(a, s);
    });
}

}  // namespace detail

/// The `migrate` program for models Ts: parses argv, runs the command, prints errors. Exit
/// codes: 2 when the request is wrong (usage, configuration, a refused or edited revision), 3
/// when the database refused (an error that carries its SQLSTATE or SQLite code, a failed
/// revision, a lock, a connection).
template <model_type... Ts>
int main(int argc, char** argv) {
    const auto report = [](const std::exception& e) {
        if (detail::progress_line_open) std::cerr << "\n";
        detail::progress_line_open = false;
        std::cerr << "migrate: " << e.what() << "\n";
    };
    try {
        return detail::run<Ts...>(detail::parse(argc, argv));
    } catch (const migrate::migration_error& e) {
        report(e);
        return 3;
    } catch (const error& e) {
        report(e);
        const bool from_database = !e.sqlstate().empty() || e.sqlite_code() != 0 ||
                                   dynamic_cast<const operational_error*>(&e) != nullptr ||
                                   dynamic_cast<const integrity_error*>(&e) != nullptr;
        return from_database ? 3 : 2;
    } catch (const std::exception& e) {
        report(e);
        return 3;
    }
}

/// A struct without RETORT_TABLE among Ts: one compile error that says so.
template <class... Ts>
    requires(retort::detail::not_all_models<Ts...>)
int main(int, char**) {
    retort::detail::require_models<Ts...>();
    return 2;
}

}  // namespace retort::cli
