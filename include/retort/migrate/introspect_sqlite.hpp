// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Reads the schema of a live SQLite database back into a schema value, and the rules that make
// a model's schema and the introspected one compare equal (normalize_for_sqlite).
//
// The PRAGMAs give columns, keys, indexes and foreign keys, but not constraint names, CHECKs,
// AUTOINCREMENT or partial-index predicates: those come from the CREATE statements SQLite keeps
// in sqlite_schema.sql, read with a small tokenizer so that quoted identifiers, comments and
// string literals holding commas or parentheses cannot confuse it.
//
// Declared types map back exactly for the names retort writes (dialect/sqlite.hpp), and for
// JSON and DATETIME as SQLAlchemy and Django write them. Any other type follows SQLite's
// affinity rules ("Determination Of Column Affinity"): INT -> int64; CHAR, CLOB or TEXT ->
// text; BLOB or no type -> blob; REAL, FLOA or DOUB -> float64; NUMERIC and DECIMAL(10,2),
// which store every number as INTEGER or REAL -> float64; anything else (NUMERIC affinity,
// such as UUID, which holds text that is no number) -> text. An unknown type never throws.
//
// A model and a live table are compared by what SQLite stores and enforces, so that a table
// SQLAlchemy, Django or a person made compares equal with the model a user writes for it
// (normalize_for_sqlite, as_rendered_for_sqlite; each rule's reason is beside it): integer
// widths and float widths are one storage class each; a sole INTEGER PRIMARY KEY is a
// generated rowid alias; CURRENT_TIMESTAMP is retort's `now`; DEFAULT '0' on an integer column
// is the integer 0; VARCHAR(N) alone is not a limit (SQLite stores any length), and a length
// CHECK is compared only as the check checked_max_length asks for.
//
// Not modelled, so not read: index column order (DESC) and collations, COLLATE and ON CONFLICT
// clauses, STRICT, WITHOUT ROWID and a generated column's STORED; a table whose DDL has one is
// never rebuilt by retort (parsed_table::undescribed). An expression in an index reads as its
// SQL as the DDL writes it. Virtual tables are skipped; their shadow
// tables are ordinary tables and are listed.

#include <retort/migrate/native_types.hpp>
#include <retort/migrate/normalize.hpp>
#include <retort/schema/naming.hpp>
#include <retort/schema/naming_convention.hpp>
#include <retort/schema/schema.hpp>
#include <retort/session/session.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace retort::migrate {

namespace detail::sqlite_introspect {

// ---- tokens --------------------------------------------------------------------------------

struct token {
    enum class kind : std::uint8_t { word, quoted, string, number, punct };
    kind type = kind::punct;
    std::string value;      // identifier or string literal without quotes; else the raw text
    std::size_t begin = 0;  // the token's span in the source, for "as written" text
    std::size_t end = 0;
};

inline char upper(char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

inline std::string to_upper(std::string_view s) {
    std::string out{s};
    for (auto& c : out) c = upper(c);
    return out;
}

/// SQL identifiers compare without regard to ASCII case.
inline bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (upper(a[i]) != upper(b[i])) return false;
    return true;
}

inline bool is_word_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$' || u >= 0x80;  // UTF-8 bytes: SQLite accepts them in names
}

inline bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/// Reads a quoted run closed by `close`, where a doubled `close` stands for one.
inline std::size_t read_quoted(std::string_view sql, std::size_t i, char close, std::string& out) {
    ++i;  // the opening quote
    while (i < sql.size()) {
        if (sql[i] == close) {
            if (close != ']' && i + 1 < sql.size() && sql[i + 1] == close) {
                out += close;
                i += 2;
                continue;
            }
            return i + 1;
        }
        out += sql[i++];
    }
    return i;  // unterminated: SQLite would not have stored it; take what is there
}

/// Splits SQL into tokens, dropping whitespace and both kinds of comment.
inline std::vector<token> tokenize(std::string_view sql) {
    std::vector<token> out;
    std::size_t i = 0;
    while (i < sql.size()) {
        const char c = sql[i];
        if (is_space(c)) {
            ++i;
            continue;
        }
        if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            while (i < sql.size() && sql[i] != '\n') ++i;
            continue;
        }
        if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
            const auto close = sql.find("*/", i + 2);
            i = close == std::string_view::npos ? sql.size() : close + 2;
            continue;
        }
        token t;
        t.begin = i;
        if (c == '"' || c == '`' || c == '[') {
            t.type = token::kind::quoted;
            i = read_quoted(sql, i, c == '[' ? ']' : c, t.value);
        } else if (c == '\'') {
            t.type = token::kind::string;
            i = read_quoted(sql, i, '\'', t.value);
        } else if ((c >= '0' && c <= '9') ||
                   (c == '.' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9')) {
            t.type = token::kind::number;
            while (i < sql.size()) {
                const char d = sql[i];
                const bool exponent_sign =
                    (d == '+' || d == '-') && i > t.begin &&
                    (sql[i - 1] == 'e' || sql[i - 1] == 'E') &&
                    !(sql.substr(t.begin, 2) == "0x" || sql.substr(t.begin, 2) == "0X");
                if (!(is_word_char(d) || d == '.' || exponent_sign)) break;
                ++i;
            }
            t.value = std::string{sql.substr(t.begin, i - t.begin)};
        } else if (is_word_char(c)) {
            t.type = token::kind::word;
            while (i < sql.size() && is_word_char(sql[i])) ++i;
            t.value = std::string{sql.substr(t.begin, i - t.begin)};
        } else {
            t.type = token::kind::punct;  // operators are single characters here: only ( ) , matter
            t.value = std::string(1, c);
            ++i;
        }
        t.end = i;
        out.push_back(std::move(t));
    }
    return out;
}

/// An unquoted word equal to `keyword`: a quoted "check" is a name, never a keyword.
inline bool is_keyword(const token& t, std::string_view keyword) {
    return t.type == token::kind::word && iequals(t.value, keyword);
}
inline bool is_punct(const token& t, char c) {
    return t.type == token::kind::punct && t.value.size() == 1 && t.value[0] == c;
}
inline bool is_name(const token& t) {
    return t.type == token::kind::word || t.type == token::kind::quoted ||
           t.type == token::kind::string;  // SQLite accepts 'name' where a name is expected
}

/// The index of the ')' closing the '(' at `open`, or toks.size() when unbalanced.
inline std::size_t matching_paren(const std::vector<token>& toks, std::size_t open) {
    int depth = 0;
    for (std::size_t i = open; i < toks.size(); ++i) {
        if (is_punct(toks[i], '(')) ++depth;
        if (is_punct(toks[i], ')') && --depth == 0) return i;
    }
    return toks.size();
}

inline std::string trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && (is_space(s.back()) || s.back() == ';')) s.remove_suffix(1);
    return std::string{s};
}

/// The source text strictly between tokens `open` and `close`, as written.
inline std::string text_between(std::string_view sql, const std::vector<token>& toks,
                                std::size_t open, std::size_t close) {
    if (close >= toks.size() || close <= open + 1) return {};
    return trim(sql.substr(toks[open].end, toks[close].begin - toks[open].end));
}

/// Names in "( a, b COLLATE x DESC, ... )" starting at the '(' at `open`: each item's first
/// token. Sets `autoincrement` when an item carries AUTOINCREMENT (SQLite accepts it there).
inline std::vector<std::string> name_list(const std::vector<token>& toks, std::size_t open,
                                          bool* autoincrement = nullptr) {
    std::vector<std::string> out;
    const std::size_t close = matching_paren(toks, open);
    bool at_item_start = true;
    int depth = 0;
    for (std::size_t i = open + 1; i < close; ++i) {
        if (is_punct(toks[i], '(')) ++depth;
        if (is_punct(toks[i], ')')) --depth;
        if (depth == 0 && is_punct(toks[i], ',')) {
            at_item_start = true;
            continue;
        }
        if (at_item_start && is_name(toks[i])) out.push_back(toks[i].value);
        if (autoincrement && is_keyword(toks[i], "AUTOINCREMENT")) *autoincrement = true;
        at_item_start = false;
    }
    return out;
}

inline bool same_names(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!iequals(a[i], b[i])) return false;
    return true;
}

// ---- CREATE TABLE ----------------------------------------------------------------------------

/// A constraint found in the DDL: its name (empty when unnamed) and what identifies it.
struct named_columns {
    std::string name;
    std::vector<std::string> columns;
    bool used = false;  // a name goes to one PRAGMA row only
};

struct parsed_table {
    named_columns key;
    bool key_seen = false;
    std::vector<std::string> autoincrement_columns;
    std::vector<named_columns> uniques;
    std::vector<named_columns> foreign_keys;
    std::vector<schema::check_constraint> checks;  // name empty when unnamed
    std::vector<std::string> check_columns;        // each CHECK's column; empty: a table CHECK
    bool without_rowid = false;                    // WITHOUT ROWID after the definitions
    bool column_key_desc = false;  // `c INTEGER PRIMARY KEY DESC`: not a rowid alias
    // Each generated column's expression, [GENERATED ALWAYS] AS (expr), as written.
    std::vector<std::pair<std::string, std::string>> computed_columns;
    // The first thing the DDL says that the schema value does not describe, which a rebuild
    // from it would drop: "COLLATE clause", "ON CONFLICT clause", "deferred foreign key",
    // "STRICT", "WITHOUT ROWID", "STORED generated column's storage". Empty when a rebuild
    // loses nothing of the table's own definition (index collations are not looked at).
    std::string undescribed;
    void found_undescribed(std::string_view what) {
        if (undescribed.empty()) undescribed = what;
    }
};

/// The items between the outer parentheses of CREATE TABLE, split at top-level commas.
inline std::vector<std::pair<std::size_t, std::size_t>> table_items(const std::vector<token>& t) {
    std::vector<std::pair<std::size_t, std::size_t>> items;
    std::size_t open = 0;
    while (open < t.size() && !is_punct(t[open], '(')) ++open;
    if (open == t.size()) return items;  // CREATE TABLE ... AS SELECT: no definitions
    const std::size_t close = matching_paren(t, open);
    std::size_t start = open + 1;
    int depth = 0;
    for (std::size_t i = open + 1; i < close; ++i) {
        if (is_punct(t[i], '(')) ++depth;
        if (is_punct(t[i], ')')) --depth;
        if (depth == 0 && is_punct(t[i], ',')) {
            items.emplace_back(start, i);
            start = i + 1;
        }
    }
    if (start < close) items.emplace_back(start, close);
    return items;
}

/// A CHECK at `at` (the CHECK keyword): its parenthesized expression, as written.
inline std::size_t read_check(std::string_view sql, const std::vector<token>& t, std::size_t at,
                              std::size_t end, std::string name, std::string column,
                              parsed_table& out) {
    if (at + 1 >= end || !is_punct(t[at + 1], '(')) return at + 1;
    const std::size_t close = matching_paren(t, at + 1);
    out.checks.push_back({std::move(name), text_between(sql, t, at + 1, close)});
    out.check_columns.push_back(std::move(column));
    return close + 1;
}

/// A table constraint: [CONSTRAINT name] PRIMARY KEY | UNIQUE | CHECK | FOREIGN KEY.
inline void read_table_constraint(std::string_view sql, const std::vector<token>& t, std::size_t i,
                                  std::size_t end, parsed_table& out) {
    std::string name;
    if (is_keyword(t[i], "CONSTRAINT") && i + 1 < end) {
        name = t[i + 1].value;
        i += 2;
    }
    if (i >= end) return;
    auto next_paren = [&](std::size_t from) {
        while (from < end && !is_punct(t[from], '(')) ++from;
        return from;
    };
    if (is_keyword(t[i], "PRIMARY") || is_keyword(t[i], "UNIQUE")) {
        const std::size_t open = next_paren(i);
        const std::size_t close = open < end ? matching_paren(t, open) : end;
        for (std::size_t k = open; k < end && k < close; ++k)
            if (is_keyword(t[k], "COLLATE")) out.found_undescribed("COLLATE clause");
    }
    if (is_keyword(t[i], "PRIMARY")) {
        const std::size_t open = next_paren(i);
        if (open == end) return;
        bool autoincrement = false;
        out.key = {name, name_list(t, open, &autoincrement)};
        out.key_seen = true;
        if (autoincrement && out.key.columns.size() == 1)
            out.autoincrement_columns.push_back(out.key.columns[0]);
    } else if (is_keyword(t[i], "UNIQUE")) {
        const std::size_t open = next_paren(i);
        if (open < end) out.uniques.push_back({name, name_list(t, open)});
    } else if (is_keyword(t[i], "CHECK")) {
        read_check(sql, t, i, end, name, {}, out);
    } else if (is_keyword(t[i], "FOREIGN")) {
        const std::size_t open = next_paren(i);
        if (open < end) out.foreign_keys.push_back({name, name_list(t, open)});
    }
}

/// The keywords that start a column constraint: a pending CONSTRAINT name applies to the next.
inline bool starts_column_constraint(const token& t) {
    for (std::string_view k : {"PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE",
                               "REFERENCES", "GENERATED", "AS"})
        if (is_keyword(t, k)) return true;
    return false;
}

/// A column definition: name, type, then column constraints in any order.
inline void read_column(std::string_view sql, const std::vector<token>& t, std::size_t i,
                        std::size_t end, parsed_table& out) {
    const std::string column = t[i].value;
    std::string pending_name;
    ++i;
    while (i < end) {
        if (is_keyword(t[i], "CONSTRAINT") && i + 1 < end) {
            pending_name = t[i + 1].value;
            i += 2;
            continue;
        }
        if (is_punct(t[i], '(')) {  // a type's (N), or [GENERATED ALWAYS] AS (expr)
            const std::size_t close = matching_paren(t, i);
            if (i > 0 && is_keyword(t[i - 1], "AS") && close < end) {
                out.computed_columns.emplace_back(column, trim(text_between(sql, t, i, close)));
                // Made again VIRTUAL (what ADD COLUMN accepts): a STORED one loses its storage.
                if (close + 1 < end && is_keyword(t[close + 1], "STORED"))
                    out.found_undescribed("STORED generated column's storage");
            }
            i = close + 1;
            continue;
        }
        if (!starts_column_constraint(t[i])) {
            ++i;
            continue;
        }
        std::string name = std::move(pending_name);
        pending_name.clear();
        if (is_keyword(t[i], "PRIMARY")) {
            out.key = {name, {column}};
            out.key_seen = true;
            ++i;
            // PRIMARY KEY [ASC|DESC] [ON CONFLICT x] [AUTOINCREMENT]: up to the next constraint.
            while (i < end && !starts_column_constraint(t[i]) && !is_keyword(t[i], "CONSTRAINT")) {
                if (is_keyword(t[i], "AUTOINCREMENT")) out.autoincrement_columns.push_back(column);
                if (is_keyword(t[i], "DESC")) out.column_key_desc = true;
                ++i;
            }
        } else if (is_keyword(t[i], "UNIQUE")) {
            out.uniques.push_back({name, {column}});
            ++i;
        } else if (is_keyword(t[i], "CHECK")) {
            i = read_check(sql, t, i, end, name, column, out);
        } else if (is_keyword(t[i], "REFERENCES")) {
            out.foreign_keys.push_back({name, {column}});
            ++i;
        } else if (is_keyword(t[i], "COLLATE")) {
            out.found_undescribed("COLLATE clause");
            i += 2;
        } else if (is_keyword(t[i], "DEFAULT") && !(i > 0 && is_keyword(t[i - 1], "SET"))) {
            // Skip the value so that nothing inside it reads as a constraint (ON DELETE SET
            // DEFAULT is an action, not a default).
            ++i;
            if (i < end && is_punct(t[i], '(')) {
                i = matching_paren(t, i) + 1;
            } else {
                if (i < end && (is_punct(t[i], '-') || is_punct(t[i], '+'))) ++i;
                ++i;
            }
        } else {
            ++i;
        }
    }
}

inline parsed_table parse_create_table(std::string_view sql) {
    parsed_table out;
    const auto toks = tokenize(sql);
    // Table options follow the definitions: WITHOUT ROWID, STRICT, comma-separated.
    std::size_t open = 0;
    while (open < toks.size() && !is_punct(toks[open], '(')) ++open;
    if (open < toks.size())
        for (std::size_t i = matching_paren(toks, open) + 1; i < toks.size(); ++i) {
            if (i + 1 < toks.size() && is_keyword(toks[i], "WITHOUT") &&
                is_keyword(toks[i + 1], "ROWID")) {
                out.without_rowid = true;
                out.found_undescribed("WITHOUT ROWID");
            }
            if (is_keyword(toks[i], "STRICT")) out.found_undescribed("STRICT");
        }
    for (const auto& [begin, end] : table_items(toks)) {
        if (begin >= end) continue;
        for (std::size_t i = begin; i < end; ++i) {
            if (i + 1 < end && is_keyword(toks[i], "ON") && is_keyword(toks[i + 1], "CONFLICT"))
                out.found_undescribed("ON CONFLICT clause");
            // A foreign key checked at COMMIT. Any other DEFERRABLE clause is checked at once,
            // like the key a rebuild writes.
            if (i + 2 < end && is_keyword(toks[i], "DEFERRABLE") &&
                !(i > begin && is_keyword(toks[i - 1], "NOT")) &&
                is_keyword(toks[i + 1], "INITIALLY") && is_keyword(toks[i + 2], "DEFERRED"))
                out.found_undescribed("deferred foreign key");
        }
        const token& first = toks[begin];
        if (is_keyword(first, "CONSTRAINT") || is_keyword(first, "PRIMARY") ||
            is_keyword(first, "UNIQUE") || is_keyword(first, "CHECK") ||
            is_keyword(first, "FOREIGN"))
            read_table_constraint(sql, toks, begin, end, out);
        else
            read_column(sql, toks, begin, end, out);
    }
    return out;
}

/// The predicate of CREATE INDEX ... WHERE expr, as written; empty for a full index.
inline std::string index_where(std::string_view sql) {
    const auto toks = tokenize(sql);
    std::size_t i = 0;
    while (i < toks.size() && !is_punct(toks[i], '(')) ++i;
    if (i == toks.size()) return {};
    for (i = matching_paren(toks, i) + 1; i < toks.size(); ++i)
        if (is_keyword(toks[i], "WHERE")) return trim(sql.substr(toks[i].end));
    return {};
}

/// The elements of CREATE INDEX ... (a, (expr), f(b)) as written, one outer pair of
/// parentheses taken off an element that is wholly inside one (retort writes `(expr)`), and
/// its ASC, DESC and COLLATE clauses left out.
inline std::vector<std::string> index_elements(std::string_view sql) {
    const auto toks = tokenize(sql);
    std::size_t i = 0;
    while (i < toks.size() && !is_punct(toks[i], '(')) ++i;
    std::vector<std::string> out;
    if (i == toks.size()) return out;
    const std::size_t close = matching_paren(toks, i);
    if (close >= toks.size()) return out;
    std::size_t first = i + 1;
    for (std::size_t k = first; k <= close; ++k) {
        if (is_punct(toks[k], '(')) {
            k = matching_paren(toks, k);
            if (k >= close) k = close - 1;
            continue;
        }
        if (k != close && !is_punct(toks[k], ',')) continue;
        if (first < k) {
            std::size_t a = first, b = k - 1;
            // An element's order and collation are not modelled (as for a plain column).
            for (;;) {
                if (b > a && (is_keyword(toks[b], "ASC") || is_keyword(toks[b], "DESC")))
                    --b;
                else if (b > a + 1 && is_keyword(toks[b - 1], "COLLATE"))
                    b -= 2;
                else
                    break;
            }
            if (is_punct(toks[a], '(') && matching_paren(toks, a) == b) ++a, --b;
            if (a <= b) out.push_back(trim(sql.substr(toks[a].begin, toks[b].end - toks[a].begin)));
        }
        first = k + 1;
    }
    return out;
}

/// `expression` with each quoted name of one of `t`'s columns that needs no quotes written
/// bare: SQLite's RENAME COLUMN rewrites `lower(email)` in a CHECK or an index as
/// `lower("mail")`, which means the same as the model's `lower(mail)`. Any other quoted word
/// (a keyword, a name needing quotes, SQLite's double-quoted string literal) keeps its quotes,
/// and a space keeps an unquoted name apart from a word beside it, so the text stays the same
/// SQL (it may be rendered into DDL).
inline std::string without_needless_quotes(std::string_view expression, const schema::table& t) {
    const auto plain = [&](std::string_view name) {
        if (name.empty() || (name[0] >= '0' && name[0] <= '9') || !t.find_column(name))
            return false;
        for (char c : name)
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_'))
                return false;
        return sqlite3_keyword_check(name.data(), static_cast<int>(name.size())) == 0;
    };
    std::string out;
    std::size_t copied = 0;
    for (const auto& tok : tokenize(expression)) {
        if (tok.type != token::kind::quoted || !plain(tok.value)) continue;
        out.append(expression.substr(copied, tok.begin - copied));
        if (!out.empty() && is_word_char(out.back())) out += ' ';
        out += tok.value;
        copied = tok.end;
        if (copied < expression.size() && is_word_char(expression[copied])) out += ' ';
    }
    out.append(expression.substr(copied));
    return out;
}

/// The name a DDL constraint with these columns gave, or empty; each is handed out once.
inline std::string take_name(std::vector<named_columns>& found,
                             const std::vector<std::string>& columns) {
    for (auto& f : found)
        if (!f.used && same_names(f.columns, columns)) {
            f.used = true;
            return f.name;
        }
    return {};
}

// ---- types and defaults ----------------------------------------------------------------------

/// DATETIME(6) (Rails) or TIMESTAMP(3) as DATETIME or TIMESTAMP: a precision changes neither
/// the affinity (NUMERIC) nor what is stored.
inline std::string without_time_precision(std::string t) {
    for (std::string_view base : {"DATETIME", "TIMESTAMP"}) {
        if (!t.starts_with(base)) continue;
        const auto toks = tokenize(std::string_view{t}.substr(base.size()));
        if (toks.size() == 3 && is_punct(toks[0], '(') && toks[1].type == token::kind::number &&
            is_punct(toks[2], ')'))
            return std::string{base};
    }
    return t;
}

inline void set_type(schema::column& c, std::string_view declared) {
    const std::string t = without_time_precision(to_upper(trim(declared)));
    using lt = logical_type;
    if (t == "BOOLEAN" || t == "BOOL")
        c.type = lt::boolean;
    else if (t == "SMALLINT")
        c.type = lt::int16;
    else if (t == "INTEGER")
        c.type = lt::int32;
    else if (t == "BIGINT")
        c.type = lt::int64;
    else if (t == "FLOAT")
        c.type = lt::float32;
    else if (t == "DOUBLE")
        c.type = lt::float64;
    else if (t == "TEXT")
        c.type = lt::text;
    else if (t == "BLOB" || t.empty())
        c.type = lt::blob;
    else if (t == "TIMESTAMP")
        c.type = lt::timestamp;
    else if (t == "DATETIME")  // retort's local_timestamp, and SQLAlchemy's DateTime
        c.type = lt::local_timestamp;
    else if (t == "DATE")
        c.type = lt::date;
    else if (t == "JSON_TEXT" || t == "JSON")  // JSON: what SQLAlchemy and Django write
        c.type = lt::json;
    else if (t == "TEXT_ARRAY")
        c.type = lt::text_array;
    else if (t == "BIGINT_ARRAY")
        c.type = lt::int_array;
    else if (t.starts_with("VARCHAR") || t.starts_with("NVARCHAR")) {
        c.type = lt::text;
        // VARCHAR(N) or NVARCHAR(N) (SQL Server's spelling, in Chinook), spaces allowed; a
        // malformed length reads as unbounded.
        const auto toks = tokenize(t);
        if (toks.size() == 4 && is_punct(toks[1], '(') && toks[2].type == token::kind::number &&
            is_punct(toks[3], ')')) {
            std::size_t n = 0;
            const auto& v = toks[2].value;
            if (std::from_chars(v.data(), v.data() + v.size(), n).ec == std::errc{})
                c.max_length = n;
        }
    }
    // SQLite's affinity rules, in its order, for every other declared type.
    else if (t.find("INT") != std::string::npos)
        c.type = lt::int64;
    else if (t.find("CHAR") != std::string::npos || t.find("CLOB") != std::string::npos ||
             t.find("TEXT") != std::string::npos)
        c.type = lt::text;
    else if (t.find("BLOB") != std::string::npos)
        c.type = lt::blob;
    else if (t.find("REAL") != std::string::npos || t.find("FLOA") != std::string::npos ||
             t.find("DOUB") != std::string::npos)
        c.type = lt::float64;
    // NUMERIC and DECIMAL(p,s) have NUMERIC affinity: every number in them is stored as an
    // INTEGER or an 8-byte REAL (scale and precision are not kept), which a double reads.
    else if (t.starts_with("NUMERIC") || t.starts_with("DECIMAL"))
        c.type = lt::float64;
    else
        c.type = lt::text;  // other NUMERIC-affinity names (UUID, ...): text that is no number
}

/// retort's SQLite rendering of server_default_now (dialect/ddl.hpp), parentheses stripped.
inline constexpr std::string_view sqlite_now = "strftime('%Y-%m-%d %H:%M:%f', 'now') || '000'";

inline schema::default_value parse_default(std::string_view text, logical_type type) {
    using kind = schema::default_value::kind;
    const auto toks = tokenize(text);
    if (toks.empty()) return {};
    const bool integral = type == logical_type::int16 || type == logical_type::int32 ||
                          type == logical_type::int64 || type == logical_type::boolean;
    if (toks.size() == 1 && toks[0].type == token::kind::string) {
        // DEFAULT '0' on an INTEGER (or BOOLEAN, NUMERIC affinity) column stores the integer
        // 0: affinity converts a well-formed integer text on the way in. SQLAlchemy writes
        // server_default="0" so.
        const std::string& v = toks[0].value;
        long long n = 0;
        const auto r = std::from_chars(v.data(), v.data() + v.size(), n);
        if (integral && !v.empty() && v[0] != '+' && r.ec == std::errc{} &&
            r.ptr == v.data() + v.size()) {
            if (type == logical_type::boolean && (n == 0 || n == 1)) return {kind::boolean, n, {}};
            if (type != logical_type::boolean) return {kind::integer, n, {}};
        }
        return {kind::text, 0, toks[0].value};
    }
    // An integer literal, signed or not.
    const bool signed_number =
        toks.size() == 2 && (is_punct(toks[0], '-') || is_punct(toks[0], '+'));
    if ((toks.size() == 1 || signed_number) && toks.back().type == token::kind::number) {
        const std::string digits = (is_punct(toks[0], '-') ? "-" : "") + toks.back().value;
        long long v = 0;
        const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), v);
        if (r.ec == std::errc{} && r.ptr == digits.data() + digits.size()) {
            if (type == logical_type::boolean && (v == 0 || v == 1)) return {kind::boolean, v, {}};
            return {kind::integer, v, {}};
        }
    }
    if (type == logical_type::boolean && toks.size() == 1 &&
        (is_keyword(toks[0], "TRUE") || is_keyword(toks[0], "FALSE")))
        return {kind::boolean, is_keyword(toks[0], "TRUE") ? 1 : 0, {}};
    std::string expr = trim(text);
    if (is_punct(toks.front(), '(') && matching_paren(toks, 0) == toks.size() - 1)
        expr = text_between(text, toks, 0, toks.size() - 1);
    return {kind::expression, 0, std::move(expr)};
}

/// `"col" IN ('a', 'b')` (any quoting, any case) -> {a, b}; nullopt for any other expression.
inline std::optional<std::vector<std::string>> enum_values(std::string_view expr,
                                                           std::string_view column) {
    const auto toks = tokenize(expr);
    if (toks.size() < 5 || !is_name(toks[0]) || toks[0].type == token::kind::string ||
        !iequals(toks[0].value, column) || !is_keyword(toks[1], "IN") || !is_punct(toks[2], '(') ||
        !is_punct(toks.back(), ')'))
        return std::nullopt;
    std::vector<std::string> values;
    for (std::size_t i = 3; i + 1 < toks.size(); i += 2) {
        if (toks[i].type != token::kind::string) return std::nullopt;
        values.push_back(toks[i].value);
        const bool last = i + 2 == toks.size();
        if (!last && !is_punct(toks[i + 1], ',')) return std::nullopt;
    }
    return values;
}

inline fk_action parse_action(std::string_view text) {
    const std::string a = to_upper(text);
    if (a == "RESTRICT") return fk_action::restrict;
    if (a == "CASCADE") return fk_action::cascade;
    if (a == "SET NULL") return fk_action::set_null;
    if (a == "SET DEFAULT") return fk_action::set_default;
    return fk_action::no_action;
}

// ---- the PRAGMAs -----------------------------------------------------------------------------
// Each names the schema 'main': a TEMP table of the same name would otherwise shadow it.

using session_type = basic_session<retort::sqlite>;

/// The primary key's columns, in key order, from pragma_table_xinfo's pk field.
inline std::vector<std::string> key_columns(session_type& s, const std::string& table) {
    auto rows = s.query<std::string, std::int64_t>(
        "SELECT name, pk FROM pragma_table_xinfo(?, 'main') WHERE pk > 0 ORDER BY pk", table);
    std::vector<std::string> out;
    for (auto& [name, pk] : rows) out.push_back(std::move(name));
    return out;
}

/// One table; rules its DDL leaves unnamed get the names `naming` gives them.
inline schema::table read_table(session_type& s, const std::string& name, const std::string& sql,
                                const schema::naming_convention& naming) {
    parsed_table ddl = parse_create_table(sql);
    schema::table t;
    t.name = name;

    // Columns. hidden = 1 marks a virtual table's hidden column, not part of the row; 2 and 3
    // a generated column (VIRTUAL, STORED), whose expression the DDL holds.
    auto cols = s.query<std::string, std::optional<std::string>, std::int64_t,
                        std::optional<std::string>, std::int64_t, std::int64_t>(
        "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?, 'main') "
        "ORDER BY cid",
        name);
    for (auto& [cname, type, notnull, dflt, pk, hidden] : cols) {
        if (hidden == 1) continue;
        schema::column c;
        c.name = cname;
        set_type(c, type.value_or(""));
        c.nullable = notnull == 0;
        for (const auto& a : ddl.autoincrement_columns) c.autoincrement |= iequals(a, cname);
        if (dflt) c.server_default = parse_default(*dflt, c.type);
        if (hidden == 2 || hidden == 3)
            for (const auto& [generated, expression] : ddl.computed_columns)
                if (iequals(generated, cname)) c.computed = expression;
        t.columns.push_back(std::move(c));
    }

    t.key.columns = key_columns(s, name);
    if (!t.key.columns.empty())
        t.key.name = ddl.key.name.empty() ? naming.primary_key(name) : ddl.key.name;

    // A sole key declared exactly INTEGER is an alias of the rowid (unless WITHOUT ROWID,
    // "ROWIDs and the INTEGER PRIMARY KEY"): a 64-bit value that SQLite generates when an
    // insert leaves it NULL, with or without AUTOINCREMENT, and that is never NULL, whatever
    // the DDL says. So it reads as a generated int64 key, as `autoincrement` declares one.
    // AUTOINCREMENT itself only stops the reuse of the largest deleted key: not compared.
    // Not in a WITHOUT ROWID table, nor for `INTEGER PRIMARY KEY DESC` on the column (a quirk
    // SQLite keeps for compatibility; the table constraint PRIMARY KEY (c DESC) is an alias).
    if (t.key.columns.size() == 1 && !ddl.without_rowid && !ddl.column_key_desc)
        for (const auto& [cname, type, notnull, dflt, pk, hidden] : cols)
            if (cname == t.key.columns[0] && iequals(trim(type.value_or("")), "INTEGER"))
                for (auto& c : t.columns)
                    if (c.name == cname) {
                        c.nullable = false;
                        c.autoincrement = true;
                        c.type = logical_type::int64;
                    }

    // Checks, in DDL order; an unnamed one named as a model's unnamed check<> (on a column)
    // or table_check (after the checks before it) would be.
    for (std::size_t n = 0; n < ddl.checks.size(); ++n) {
        auto ck = ddl.checks[n];
        if (ck.name.empty()) ck.name = naming.check(t, ddl.check_columns[n], ck.expression);
        t.checks.push_back(std::move(ck));
    }
    // A TEXT column constrained to a list by retort's enum CHECK is an enumeration.
    for (auto& c : t.columns) {
        if (c.type != logical_type::text || c.max_length) continue;
        const std::string ck_name = schema::check_name(name, c.name, "enum");
        for (const auto& ck : t.checks)
            if (ck.name == ck_name)
                if (auto values = enum_values(ck.expression, c.name)) {
                    c.type = logical_type::enumeration;
                    c.enum_values = std::move(*values);
                }
    }

    // Indexes: origin 'u' is a UNIQUE constraint, 'c' a CREATE INDEX, 'pk' the key's own.
    auto indexes = s.query<std::string, std::int64_t, std::string>(
        "SELECT name, \"unique\", origin FROM pragma_index_list(?, 'main') ORDER BY seq", name);
    for (auto& [iname, unique, origin] : indexes) {
        if (origin == "pk") continue;
        std::vector<std::string> columns;
        // An expression column has no name; it is kept as an empty name (not modelled).
        for (auto& [col] : s.query<std::optional<std::string>>(
                 "SELECT name FROM pragma_index_xinfo(?, 'main') WHERE key = 1 ORDER BY seqno",
                 iname))
            columns.push_back(col.value_or(""));
        if (origin == "u") {
            std::string uname = take_name(ddl.uniques, columns);
            if (uname.empty()) uname = naming.unique(name, columns);
            t.uniques.push_back({std::move(uname), std::move(columns)});
        } else {
            schema::index ix{iname, std::move(columns), unique != 0, {}};
            auto isql = s.query<std::optional<std::string>>(
                "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?", iname);
            if (!isql.empty() && std::get<0>(isql[0])) {
                ix.where = index_where(*std::get<0>(isql[0]));
                // An expression element reads as its SQL, as written in the DDL.
                const auto elements = index_elements(*std::get<0>(isql[0]));
                for (std::size_t k = 0; k < ix.columns.size(); ++k)
                    if (ix.columns[k].empty() && k < elements.size()) {
                        if (ix.expressions.empty()) ix.expressions.assign(ix.columns.size(), false);
                        ix.columns[k] = elements[k];
                        ix.expressions[k] = true;
                    }
            }
            t.indexes.push_back(std::move(ix));
        }
    }

    // Foreign keys: one row per column, grouped by id, in seq order.
    auto fks = s.query<std::int64_t, std::int64_t, std::string, std::string,
                       std::optional<std::string>, std::string, std::string>(
        "SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete "
        "FROM pragma_foreign_key_list(?, 'main') ORDER BY id, seq",
        name);
    for (std::size_t i = 0; i < fks.size();) {
        const auto id = std::get<0>(fks[i]);
        schema::foreign_key fk;
        fk.referenced_table = std::get<2>(fks[i]);
        fk.on_update = parse_action(std::get<5>(fks[i]));
        fk.on_delete = parse_action(std::get<6>(fks[i]));
        bool to_key = false;
        for (; i < fks.size() && std::get<0>(fks[i]) == id; ++i) {
            fk.columns.push_back(std::get<3>(fks[i]));
            if (std::get<4>(fks[i]))
                fk.referenced_columns.push_back(*std::get<4>(fks[i]));
            else
                to_key = true;
        }
        // "REFERENCES parent" without columns means the parent's primary key.
        if (to_key) fk.referenced_columns = key_columns(s, fk.referenced_table);
        t.foreign_keys.push_back(std::move(fk));
    }
    // The PRAGMA lists foreign keys last-declared first; the DDL's names come in declaration
    // order, so put the keys in that order before taking the names.
    std::reverse(t.foreign_keys.begin(), t.foreign_keys.end());
    for (auto& fk : t.foreign_keys) {
        fk.name = take_name(ddl.foreign_keys, fk.columns);
        if (fk.name.empty())
            fk.name =
                naming.foreign_key(name, fk.columns, fk.referenced_table, fk.referenced_columns);
    }
    return t;
}

inline bool has_check(const schema::table& t, std::string_view name) {
    return std::any_of(t.checks.begin(), t.checks.end(),
                       [&](const schema::check_constraint& k) { return k.name == name; });
}

}  // namespace detail::sqlite_introspect

/// The schema of every table in the main database, except SQLite's own (sqlite_%), virtual
/// tables, and retort_version (the migration runner's bookkeeping). SQLite keeps no name for
/// a constraint its DDL does not name: `naming` (the models' convention) gives it one.
inline schema::database introspect(basic_session<retort::sqlite>& s,
                                   const schema::naming_convention& naming = naming::retort_names) {
    schema::database db;
    auto tables = s.query<std::string, std::optional<std::string>>(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'retort_version' ORDER BY name");
    for (auto& [name, sql] : tables) {
        const std::string text = sql.value_or("");
        const auto toks = detail::sqlite_introspect::tokenize(text);
        // CREATE VIRTUAL TABLE: its columns belong to a module, not to a schema retort writes.
        if (toks.size() > 1 && detail::sqlite_introspect::is_keyword(toks[1], "VIRTUAL")) continue;
        db.tables.push_back(detail::sqlite_introspect::read_table(s, name, text, naming));
    }
    return db;
}

/// What makes a model's schema (schema::database_of) and introspect()'s compare equal after
/// canonical(). Apply it to both sides. Each rule removes a difference SQLite does not store.
inline schema::database normalize_for_sqlite(schema::database db) {
    using detail::sqlite_introspect::without_needless_quotes;
    for (auto& t : db.tables) {
        // RENAME COLUMN quotes the names it rewrites in a rule's expression.
        for (auto& k : t.checks) k.expression = without_needless_quotes(k.expression, t);
        for (auto& c : t.columns)
            if (!c.computed.empty()) c.computed = without_needless_quotes(c.computed, t);
        for (auto& ix : t.indexes) {
            ix.where = without_needless_quotes(ix.where, t);
            for (std::size_t i = 0; i < ix.columns.size(); ++i)
                if (ix.is_expression(i)) ix.columns[i] = without_needless_quotes(ix.columns[i], t);
        }
        for (auto& c : t.columns) {
            // AUTOINCREMENT needs exactly INTEGER PRIMARY KEY: every such key is 64-bit.
            if (c.autoincrement) c.type = logical_type::int64;
            // SQLite has one floating-point storage class, an 8-byte REAL, whatever the
            // declared type (FLOAT, REAL, DOUBLE): float and double columns store the same.
            if (c.type == logical_type::float32) c.type = logical_type::float64;
            // Likewise one integer class (INTEGER affinity, 1 to 8 bytes as the value needs):
            // SMALLINT, INTEGER and BIGINT columns store and accept the same values.
            if (c.type == logical_type::int16 || c.type == logical_type::int32)
                c.type = logical_type::int64;
            // A timestamp and a local_timestamp are both text here (SQLAlchemy declares
            // DATETIME for DateTime with and without timezone=True): the zone is the reader's
            // business, not the table's.
            if (c.type == logical_type::local_timestamp) c.type = logical_type::timestamp;
            // CURRENT_TIMESTAMP (what SQLAlchemy's func.now() and hand-written DDL use) and
            // retort's strftime spelling both default to the current UTC time as text; they
            // differ only in precision (seconds vs microseconds), which retort reads alike.
            if (c.server_default.type == schema::default_value::kind::expression &&
                (c.server_default.text == detail::sqlite_introspect::sqlite_now ||
                 detail::sqlite_introspect::iequals(c.server_default.text, "CURRENT_TIMESTAMP")))
                c.server_default.text = "CURRENT_TIMESTAMP";
        }
    }
    return db;
}

/// `live` (normalized) with the text of each of `model`'s CHECKs, predicates, index and
/// computed columns' expressions that differs from the live one of the same name only in needless
/// quotes (normalize_for_sqlite): a plan from it sees no change there, and keeps the models' text.
inline schema::table with_models_expressions(schema::table live, const schema::table& model) {
    using detail::sqlite_introspect::without_needless_quotes;
    const auto take = [&](std::string& text, const std::string& models_text) {
        if (text == without_needless_quotes(models_text, live)) text = models_text;
    };
    for (auto& k : live.checks)
        for (const auto& m : model.checks)
            if (m.name == k.name) take(k.expression, m.expression);
    for (auto& c : live.columns)
        if (const schema::column* m = model.find_column(c.name); m && !c.computed.empty())
            take(c.computed, m->computed);
    for (auto& ix : live.indexes)
        for (const auto& m : model.indexes) {
            if (m.name != ix.name) continue;
            take(ix.where, m.where);
            if (m.columns.size() == ix.columns.size())
                for (std::size_t i = 0; i < ix.columns.size(); ++i)
                    if (ix.is_expression(i) && m.is_expression(i))
                        take(ix.columns[i], m.columns[i]);
        }
    return live;
}

/// Each checked_max_length column's length CHECK as a check of its table, as retort's SQLite
/// DDL writes it (plain max_length<N> writes none, as SQLAlchemy and Django do not); every
/// column's length_checked cleared, so the DDL does not write it twice. The form in which
/// SQLite plans compare and render length checks.
inline schema::check_constraint length_check(std::string_view table, const schema::column& c) {
    return {schema::check_name(table, c.name, "length"),
            "length(" + schema::quote_identifier(c.name) + ") <= " + std::to_string(c.max_length)};
}

inline schema::database with_length_checks(schema::database db) {
    for (auto& t : db.tables)
        for (auto& c : t.columns) {
            if (c.max_length && c.length_checked) t.checks.push_back(length_check(t.name, c));
            c.length_checked = false;
        }
    return db;
}

/// The models, where a plain max_length<N> column's live table has the length CHECK retort
/// writes for checked_max_length<N> (as it did for every max_length before that option
/// existed), taken as checked: on SQLite that CHECK is optional for max_length, so it is
/// neither reported nor dropped by a rebuild. `live` as introspected (or neutral()).
inline schema::database with_live_length_checks(schema::database models,
                                                const schema::database& live) {
    for (auto& t : models.tables) {
        const schema::table* l = live.find_table(t.name);
        if (!l && !t.renamed_from.empty()) l = live.find_table(t.renamed_from);
        if (!l) continue;
        for (auto& c : t.columns) {
            if (!c.max_length || c.length_checked) continue;
            if (detail::sqlite_introspect::has_check(t, length_check(t.name, c).name)) continue;
            // Before a declared rename runs, its check has the old names.
            schema::column old = c;
            for (const auto& name : {c.name, c.renamed_from}) {
                if (name.empty()) continue;
                old.name = name;
                const schema::check_constraint want = length_check(l->name, old);
                for (const auto& k : l->checks)
                    if (k.name == want.name &&
                        detail::sqlite_introspect::without_needless_quotes(k.expression, *l) ==
                            detail::sqlite_introspect::without_needless_quotes(want.expression, *l))
                        c.length_checked = true;
            }
        }
    }
    return models;
}

/// A models' schema as retort's SQLite DDL writes it. Apply it to the models' side only, so
/// that a live table lacking what the DDL would add shows as drift: the length CHECKs
/// (with_length_checks), and a sole int32 key is INTEGER PRIMARY KEY, a generated rowid alias.
inline schema::database as_rendered_for_sqlite(schema::database db) {
    db = with_length_checks(without_native_types(std::move(db)));
    for (auto& t : db.tables)
        for (auto& c : t.columns)
            if (c.type == logical_type::int32 && t.key.columns.size() == 1 &&
                t.key.columns[0] == c.name)
                c.autoincrement = true;
    return db;
}

}  // namespace retort::migrate
