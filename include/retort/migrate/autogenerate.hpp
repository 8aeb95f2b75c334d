// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// `revision --autogenerate`: plans the models against the newest revision's snapshot and
// writes the next revision file, up and down, for both dialects. Planning against the
// snapshot, not a live database, makes the output depend on the models and the history alone
// (the same input gives a byte-identical file) and lets CI run `check` without a database.
// Operations that lose data are refused unless asked for. Tables the options' filter leaves
// out keep the shape the snapshot gives them (see table_filter.hpp).

#include <retort/migrate/native_types.hpp>
#include <retort/migrate/plan.hpp>
#include <retort/migrate/revision.hpp>
#include <retort/migrate/table_filter.hpp>
#include <retort/schema/from_model.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace retort::migrate {

struct autogenerate_options {
    bool allow_destructive = false;   // write drops and narrowing changes (--destructive)
    bool allow_empty = false;         // write a revision with no schema change (data only)
    bool concurrent_indexes = false;  // PostgreSQL: CREATE INDEX CONCURRENTLY on old tables
    table_filter tables;              // tables the revision leaves as they are (--ignore-table)
};

struct generated_revision {
    std::filesystem::path path;
    std::string id;
    std::vector<operation> operations;
    std::string text;
};

/// The snapshot the next revision is planned from: the newest revision's (empty at the base).
inline schema::database head_snapshot(const std::vector<revision>& history) {
    return history.empty() ? schema::database{} : history.back().snapshot;
}

/// The schema as a snapshot keeps it: canonical order, no renaming hints.
inline schema::database snapshot_of(schema::database db) {
    for (auto& t : db.tables) {
        t.renamed_from.clear();
        for (auto& c : t.columns) c.renamed_from.clear();
    }
    return canonical(std::move(db));
}

/// One line per operation: its risk, what it does, and whether PostgreSQL rewrites the table.
inline std::vector<std::string> describe(const std::vector<operation>& ops) {
    std::vector<std::string> lines;
    for (const auto& op : ops)
        lines.push_back(std::string{to_string(op.level)} + ": " + op.description +
                        (op.rewrites_table ? " (rewrites the table on PostgreSQL)" : ""));
    return lines;
}

/// The downgrade's target made runnable on tables with rows: a column the revision drops, NOT
/// NULL without a default, comes back nullable (NULL fills it: its values are gone), with a
/// note for the revision file saying so.
inline schema::database refillable(schema::database back_to, const schema::database& back_from,
                                   std::vector<std::string>& notes) {
    for (auto& t : back_to.tables) {
        // A table renamed by the upgrade is under its new name until the downgrade renames it.
        const schema::table* now =
            back_from.find_table(t.renamed_from.empty() ? t.name : t.renamed_from);
        if (!now) continue;  // made again, empty
        for (auto& c : t.columns) {
            const bool fills = c.nullable ||
                               c.server_default.type != schema::default_value::kind::none ||
                               c.autoincrement || !c.computed.empty();
            const bool in_key = std::find(t.key.columns.begin(), t.key.columns.end(), c.name) !=
                                t.key.columns.end();
            if (fills || in_key || now->find_column(c.name) || !c.renamed_from.empty()) continue;
            c.nullable = true;
            notes.push_back("downgrade: " + t.name + "." + c.name +
                            " comes back nullable and NULL in every row (the upgrade drops it; "
                            "its values are not restored)");
        }
    }
    return back_to;
}

namespace detail {

/// What the next revision starts from and goes to: the head's snapshot, and the models with
/// the tables `tables` leaves out as the head has them. Snapshots written before native type
/// spellings were canonical read as they are written now.
inline std::pair<schema::database, schema::database>
revision_ends(const std::vector<revision>& history, const schema::database& models,
              const table_filter& tables) {
    schema::database from = with_canonical_native_types(head_snapshot(history));
    schema::database to = with_canonical_native_types(keep_left_out_as_in(from, models, tables));
    return {std::move(from), std::move(to)};
}

}  // namespace detail

/// The revision that takes `history`'s head to `models`; nullopt when nothing changes (and
/// allow_empty is not set). Does not write anything.
inline std::optional<generated_revision> plan_revision(const std::vector<revision>& history,
                                                       const schema::database& models,
                                                       const std::string& message,
                                                       const autogenerate_options& options = {}) {
    const auto [from, target] = detail::revision_ends(history, models, options.tables);
    const std::vector<operation> ops = plan(from, target);
    if (ops.empty() && !options.allow_empty) return std::nullopt;
    if (has_destructive(ops) && !options.allow_destructive) {
        std::string list;
        for (const auto& op : ops)
            if (op.level == risk::destructive) list += "\n  " + op.description;
        throw programming_error("the new revision would lose data:" + list +
                                "\nwrite it anyway with --destructive, after checking that "
                                "no column was renamed (declare renamed_from<\"old\"> for that)");
    }
    revision_source src;
    src.id = next_revision_number(history) + "_" + slug_of(message);
    src.parent = history.empty() ? std::string{} : history.back().id;
    src.message = message.substr(0, message.find('\n'));
    src.notes = describe(ops);
    auto [back_from, back_to] = reversed(from, target);
    back_to = refillable(std::move(back_to), back_from, src.notes);
    plan_options po;
    po.concurrent_indexes = options.concurrent_indexes;
    // SQLite stores a native-typed column as its field's type: no change there to render.
    src.up = {{std::string{dialect::sqlite::name},
               render<dialect::sqlite>(without_native_types(from), without_native_types(target))},
              {std::string{dialect::postgres::name}, render<dialect::postgres>(from, target, po)}};
    src.down = {
        {std::string{dialect::sqlite::name},
         render<dialect::sqlite>(without_native_types(back_from), without_native_types(back_to))},
        {std::string{dialect::postgres::name}, render<dialect::postgres>(back_from, back_to)}};
    src.snapshot = snapshot_of(target);
    generated_revision out;
    out.id = src.id;
    out.operations = ops;
    out.text = format_revision(src);
    return out;
}

/// Writes `r` to `directory` as `<id>.sql` (never over an existing file) and sets its path.
inline void write_revision(const std::filesystem::path& directory, generated_revision& r) {
    std::filesystem::create_directories(directory);
    r.path = directory / (r.id + ".sql");
    if (std::filesystem::exists(r.path))
        throw configuration_error(r.path.string() + " exists already");
    std::ofstream file(r.path, std::ios::binary);
    file << r.text;
    if (!file.flush()) throw configuration_error("cannot write " + r.path.string());
}

/// An empty revision after the history's head, for hand-written SQL (a data migration).
inline generated_revision empty_revision(const std::filesystem::path& directory,
                                         const std::string& message) {
    const auto history = load_history(directory, true);
    autogenerate_options o;
    o.allow_empty = true;
    auto r = *plan_revision(history, head_snapshot(history), message, o);
    write_revision(directory, r);
    return r;
}

/// plan_revision for the models Ts, written to `directory` as `<id>.sql`.
template <model_type... Ts>
std::optional<generated_revision> autogenerate(const std::filesystem::path& directory,
                                               const std::string& message,
                                               const autogenerate_options& options = {}) {
    auto r = plan_revision(load_history(directory, true), schema::database_of<Ts...>(), message,
                           options);
    if (r) write_revision(directory, *r);
    return r;
}

/// The operations between the history's head and the models: empty when the models are
/// exactly what the revisions build (what `check` verifies), apart from the tables `tables`
/// leaves out.
template <model_type... Ts>
std::vector<operation> pending_model_changes(const std::vector<revision>& history,
                                             const table_filter& tables = {}) {
    const auto [from, to] = detail::revision_ends(history, schema::database_of<Ts...>(), tables);
    return plan(from, to);
}

}  // namespace retort::migrate
