// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Which rule of one schema is which rule of the other. Primary keys, uniques, foreign keys and
// indexes are identified by what they mean, not by their names: a name is a convention (retort's
// pk_/uq_/fk_/ix_, PostgreSQL's users_pkey and users_email_key, Rails' index_users_on_email and
// fk_rails_0123abcd), while what the database enforces is the meaning:
//  - a primary key or unique: its columns, in order;
//  - a foreign key: its columns, the referenced table and columns, and both actions;
//  - an index: its columns, whether it is unique, and its predicate.
// Two rules of the same meaning under different names are one rule renamed, which a database
// can do without touching or re-validating a row. The `from` side is read through the renames
// the target declares (renamed_from, table_renamed_from) first, because both backends carry a
// rule along when a column or table it names is renamed. CHECK constraints are not here: they
// are still matched by name (PostgreSQL rewrites their text).

#include <retort/schema/schema.hpp>

#include <cctype>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace retort::migrate::detail {

/// The renames a diff's target declares: how to read the `from` side's rules in its names.
struct declared_renames {
    std::map<std::string, std::string, std::less<>> tables;  // old name -> new name
    // new table name -> (old column name -> new column name)
    std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> columns;

    std::string table(const std::string& name) const {
        const auto it = tables.find(name);
        return it == tables.end() ? name : it->second;
    }
    std::string column(const std::string& table_now, const std::string& name) const {
        const auto t = columns.find(table_now);
        if (t == columns.end()) return name;
        const auto c = t->second.find(name);
        return c == t->second.end() ? name : c->second;
    }
};

/// `expression` with the identifier `from` (bare, compared without case, or double-quoted) made
/// `to`, outside string literals, type names (`::date`) and function names (`date(x)`): a
/// partial index's predicate, a CHECK or an index expression after a column rename, as both
/// backends rewrite it.
inline std::string rename_identifier(std::string_view expression, std::string_view from,
                                     std::string_view to) {
    const auto word_char = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
    };
    const auto same = [](std::string_view a, std::string_view b) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (std::tolower(static_cast<unsigned char>(a[i])) !=
                std::tolower(static_cast<unsigned char>(b[i])))
                return false;
        return true;
    };
    bool bare_ok = !to.empty() && !std::isdigit(static_cast<unsigned char>(to[0]));
    for (char c : to)
        bare_ok = bare_ok && word_char(c) && !std::isupper(static_cast<unsigned char>(c));
    std::string quoted_to = "\"";
    for (char c : to) quoted_to += c == '"' ? std::string{"\"\""} : std::string{c};
    quoted_to += '"';

    std::string out;
    for (std::size_t i = 0; i < expression.size();) {
        const char c = expression[i];
        if (c == '\'' || c == '"') {  // a string literal, or a quoted identifier
            std::size_t j = i + 1;
            std::string content;
            for (; j < expression.size(); ++j) {
                if (expression[j] != c) {
                    content += expression[j];
                } else if (j + 1 < expression.size() && expression[j + 1] == c) {
                    content += c;
                    ++j;
                } else {
                    break;
                }
            }
            const std::size_t end = j < expression.size() ? j + 1 : j;
            if (c == '"' && content == from)
                out += quoted_to;
            else
                out.append(expression.substr(i, end - i));
            i = end;
        } else if (word_char(c) && !std::isdigit(static_cast<unsigned char>(c))) {
            std::size_t j = i;
            while (j < expression.size() && word_char(expression[j])) ++j;
            const std::string_view word = expression.substr(i, j - i);
            // After `::` or CAST's `AS` a bare word is a type; before `(`, a function:
            // neither is the column.
            std::size_t before = i, after = j;
            while (before > 0 && std::isspace(static_cast<unsigned char>(expression[before - 1])))
                --before;
            while (after < expression.size() &&
                   std::isspace(static_cast<unsigned char>(expression[after])))
                ++after;
            std::size_t word_before = before;
            while (word_before > 0 && word_char(expression[word_before - 1])) --word_before;
            const bool type_or_function =
                (before >= 2 && expression.substr(before - 2, 2) == "::") ||
                (before - word_before == 2 && same(expression.substr(word_before, 2), "as")) ||
                (after < expression.size() && expression[after] == '(');
            out += same(word, from) && !type_or_function ? (bare_ok ? std::string{to} : quoted_to)
                                                         : std::string{word};
            i = j;
        } else if (std::isdigit(static_cast<unsigned char>(c))) {  // 1e5, 12abc: not a name
            std::size_t j = i;
            while (j < expression.size() && word_char(expression[j])) ++j;
            out.append(expression.substr(i, j - i));
            i = j;
        } else {
            out += c;
            ++i;
        }
    }
    return out;
}

/// `t` (a `from` table, under the name it has in the target) as the declared renames leave it:
/// its rules' columns renamed, its foreign keys pointing at renamed tables and columns, its
/// predicates, CHECKs and computed columns' expressions naming the new columns (both backends
/// rewrite them on a rename). Columns keep their names: those are the diff's business.
inline schema::table following(schema::table t, const declared_renames& renames) {
    const auto rename_all = [&](std::vector<std::string>& names, const std::string& table) {
        for (auto& n : names) n = renames.column(table, n);
    };
    rename_all(t.key.columns, t.name);
    for (auto& u : t.uniques) rename_all(u.columns, t.name);
    for (auto& i : t.indexes) {
        for (std::size_t k = 0; k < i.columns.size(); ++k)
            if (!i.is_expression(k)) i.columns[k] = renames.column(t.name, i.columns[k]);
        if (const auto c = renames.columns.find(t.name); c != renames.columns.end())
            for (const auto& [old_name, new_name] : c->second) {
                if (!i.where.empty()) i.where = rename_identifier(i.where, old_name, new_name);
                for (std::size_t k = 0; k < i.columns.size(); ++k)
                    if (i.is_expression(k))
                        i.columns[k] = rename_identifier(i.columns[k], old_name, new_name);
            }
    }
    if (const auto c = renames.columns.find(t.name); c != renames.columns.end())
        for (const auto& [old_name, new_name] : c->second) {
            for (auto& ck : t.checks)
                ck.expression = rename_identifier(ck.expression, old_name, new_name);
            for (auto& col : t.columns)
                if (!col.computed.empty())
                    col.computed = rename_identifier(col.computed, old_name, new_name);
        }
    for (auto& f : t.foreign_keys) {
        rename_all(f.columns, t.name);
        f.referenced_table = renames.table(f.referenced_table);
        rename_all(f.referenced_columns, f.referenced_table);
    }
    return t;
}

/// Equal in everything but the name.
template <class Rule>
bool same_meaning(const Rule& a, const Rule& b) {
    Rule renamed = a;
    renamed.name = b.name;
    return renamed == b;
}

/// Rules of one kind paired across two tables: each pair the same rule.
template <class Rule>
struct pairing {
    std::vector<std::pair<const Rule*, const Rule*>> renamed;  // (before, after), names differ
    std::vector<const Rule*> dropped, added;
};

/// Pairs `before` with `after`: a rule of the same name and meaning is kept; then each rule
/// left of `after` is the one rule left of `before` with its meaning, renamed. Several such
/// rules of `before` are interchangeable copies (the first by name is renamed, the others
/// dropped); on PostgreSQL predicates compare as the server prints them (spelled_by_server),
/// so equal ones mean the same. A rename whose new name is another rename's old one (a swap)
/// would collide mid-way: both are a drop and an add.
template <class Rule>
pairing<Rule> pair_rules(const std::vector<Rule>& before, const std::vector<Rule>& after) {
    std::vector<const Rule*> partner_of_before(before.size(), nullptr);
    std::vector<const Rule*> partner_of_after(after.size(), nullptr);
    for (std::size_t a = 0; a < after.size(); ++a)
        for (std::size_t b = 0; b < before.size(); ++b)
            if (!partner_of_before[b] && before[b].name == after[a].name &&
                same_meaning(before[b], after[a])) {
                partner_of_before[b] = &after[a];
                partner_of_after[a] = &before[b];
            }
    pairing<Rule> out;
    for (std::size_t a = 0; a < after.size(); ++a) {
        if (partner_of_after[a]) continue;
        std::vector<std::size_t> candidates;
        for (std::size_t b = 0; b < before.size(); ++b)
            if (!partner_of_before[b] && same_meaning(before[b], after[a])) candidates.push_back(b);
        if (candidates.empty()) continue;
        partner_of_before[candidates[0]] = &after[a];
        partner_of_after[a] = &before[candidates[0]];
        out.renamed.emplace_back(&before[candidates[0]], &after[a]);
    }
    // Swaps and chains: a new name still held by a rule that is renamed away.
    std::vector<bool> collides(out.renamed.size(), false);
    for (std::size_t p = 0; p < out.renamed.size(); ++p)
        for (std::size_t q = 0; q < out.renamed.size(); ++q)
            if (p != q && out.renamed[q].first->name == out.renamed[p].second->name)
                collides[p] = collides[q] = true;
    std::vector<std::pair<const Rule*, const Rule*>> safe;
    for (std::size_t p = 0; p < out.renamed.size(); ++p)
        if (!collides[p]) safe.push_back(out.renamed[p]);
    out.renamed = std::move(safe);
    for (std::size_t b = 0; b < before.size(); ++b) {
        bool paired = partner_of_before[b] && partner_of_before[b]->name == before[b].name;
        for (const auto& p : out.renamed) paired = paired || p.first == &before[b];
        if (!paired) out.dropped.push_back(&before[b]);
    }
    for (std::size_t a = 0; a < after.size(); ++a) {
        bool paired = partner_of_after[a] && partner_of_after[a]->name == after[a].name;
        for (const auto& p : out.renamed) paired = paired || p.second == &after[a];
        if (!paired) out.added.push_back(&after[a]);
    }
    return out;
}

}  // namespace retort::migrate::detail
