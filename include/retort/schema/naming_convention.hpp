// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Naming conventions: the names a constraint or index gets when the model gives it none. A
// project picks one, once, to match the names its database already has (as SQLAlchemy's
// MetaData(naming_convention=...) does), with RETORT_NAMING in the models' namespace:
//
//   namespace app {
//   RETORT_NAMING(retort::naming::rails_names);
//   struct user { ... };  RETORT_TABLE(user, "users", ...);
//   }
//
// Each convention below reproduces its tool's own code, hashes included; the unit tests pin
// names each tool was seen to write. Names a model gives itself are never changed.

#include <retort/reflect/model.hpp>
#include <retort/schema/detail/digest.hpp>
#include <retort/schema/naming.hpp>
#include <retort/schema/schema.hpp>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace retort::schema {

using column_list = std::vector<std::string>;

/// How a convention names each kind of rule. Plain function pointers: a convention is a
/// constant, and a project can write its own.
struct naming_convention {
    std::string_view name;  // as `migrate` prints it: "retort", "postgres", "rails", "django"
    std::string (*primary_key)(std::string_view table);
    std::string (*unique)(std::string_view table, const column_list& columns);
    std::string (*index)(std::string_view table, const column_list& columns);
    std::string (*foreign_key)(std::string_view table, const column_list& columns,
                               std::string_view referenced_table,
                               const column_list& referenced_columns);
    // A CHECK left unnamed: a column's check<"expr"> (`column` is that column) or a
    // table_check (`column` empty), for `t` with all its columns and the CHECKs before it.
    std::string (*check)(const table& t, std::string_view column, std::string_view expression);
};

namespace detail {

inline std::string joined(const column_list& columns, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (i) out += separator;
        out += columns[i];
    }
    return out;
}

/// `s` cut to at most `bytes` bytes, never inside a UTF-8 character (pg_mbcliplen).
inline std::string_view clip_utf8(std::string_view s, std::size_t bytes) {
    if (s.size() <= bytes) return s;
    while (bytes > 0 && (static_cast<unsigned char>(s[bytes]) & 0xC0) == 0x80) --bytes;
    return s.substr(0, bytes);
}

/// PostgreSQL's makeObjectName: name1[_name2]_label within 63 bytes, cutting the longer of
/// name1 and name2 one byte at a time.
inline std::string postgres_object_name(std::string_view name1, std::string_view name2,
                                        std::string_view label) {
    const std::size_t overhead = (name2.empty() ? 0 : 1) + label.size() + 1;
    const std::size_t available = max_identifier_bytes - overhead;
    std::size_t n1 = name1.size(), n2 = name2.size();
    while (n1 + n2 > available) (n1 > n2 ? n1 : n2) -= 1;
    std::string out{clip_utf8(name1, n1)};
    if (!name2.empty()) (out += '_') += clip_utf8(name2, n2);
    return (out += '_') += label;
}

/// PostgreSQL's ChooseIndexNameAddition (and its foreign-key twin): the column names joined
/// by "_", no more added once the text reaches 64 bytes.
inline std::string postgres_column_addition(const column_list& columns) {
    std::string out;
    for (const auto& c : columns) {
        if (!out.empty()) out += '_';
        out += c.substr(0, max_identifier_bytes);
        if (out.size() >= max_identifier_bytes + 1) break;
    }
    return out;
}

/// Rails' "<prefix>_rails_" and the first 10 hex digits of the SHA-256 of `identifier`.
inline std::string rails_hashed(std::string_view prefix, const std::string& identifier) {
    return std::string{prefix} + "_rails_" + sha256_hex(identifier).substr(0, 10);
}

/// The first `n` characters (code points) of UTF-8 text, and its length in characters: Django
/// counts characters where PostgreSQL counts bytes.
inline std::string utf8_head(std::string_view s, std::size_t n) {
    std::size_t i = 0;
    for (std::size_t count = 0; i < s.size() && count < n; ++count)
        for (++i; i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80;) ++i;
    return std::string{s.substr(0, i)};
}
inline std::size_t utf8_length(std::string_view s) {
    std::size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

/// Django's BaseDatabaseSchemaEditor._create_index_name with PostgreSQL's limit of 63
/// (characters, for Django): <table>_<columns>_<md5 of table and columns, 8 hex digits><suffix>,
/// cut evenly when long; then cut to 63 bytes, as the server cuts a longer name.
inline std::string django_name(std::string_view table, const column_list& columns,
                               std::string_view suffix) {
    constexpr std::size_t limit = max_identifier_bytes;
    std::string digest_input{table};
    for (const auto& c : columns) digest_input += c;
    std::string hash_suffix = md5_hex(digest_input).substr(0, 8) + std::string{suffix};
    const std::string cols = joined(columns, "_");
    std::string name = std::string{table} + "_" + cols + "_" + hash_suffix;
    if (utf8_length(name) <= limit) return std::string{clip_utf8(name, limit)};
    if (utf8_length(hash_suffix) * 3 > limit) hash_suffix = utf8_head(hash_suffix, limit / 3);
    const std::size_t other = (limit - utf8_length(hash_suffix)) / 2 - 1;
    name = utf8_head(table, other) + "_" + utf8_head(cols, other) + "_" + hash_suffix;
    if (name[0] == '_' || (name[0] >= '0' && name[0] <= '9'))
        name = "D" + utf8_head(name, utf8_length(name) - 1);
    return std::string{clip_utf8(name, limit)};
}

/// SQLAlchemy's default MetaData naming_convention, {"ix": "ix_%(column_0_label)s"}:
/// ix_<table>_<first column>; past 63 characters, its first 55, "_" and the last 4 hex digits
/// of its MD5 (IdentifierPreparer.truncate_and_render_index_name).
inline std::string sqlalchemy_index(std::string_view table, const column_list& columns) {
    constexpr std::size_t limit = max_identifier_bytes;
    std::string name = "ix_" + std::string{table} + "_" + (columns.empty() ? "" : columns[0]);
    if (utf8_length(name) > limit)
        name = utf8_head(name, limit - 8) + "_" + md5_hex(name).substr(28);
    return std::string{clip_utf8(name, limit)};
}

inline std::string postgres_primary_key(std::string_view table) {
    return postgres_object_name(table, {}, "pkey");
}
inline std::string postgres_unique(std::string_view table, const column_list& columns) {
    return postgres_object_name(table, postgres_column_addition(columns), "key");
}
inline std::string postgres_index(std::string_view table, const column_list& columns) {
    return postgres_object_name(table, postgres_column_addition(columns), "idx");
}
inline std::string postgres_foreign_key(std::string_view table, const column_list& columns,
                                        std::string_view, const column_list&) {
    return postgres_object_name(table, postgres_column_addition(columns), "fkey");
}
/// The columns of `t` that `expression` names (bare names folded to lower case, as the
/// server folds them; quoted ones exact), each once, outside string literals.
inline std::vector<std::string> columns_named_in(const table& t, std::string_view expression) {
    std::vector<std::string> found;
    const auto note = [&](const std::string& name) {
        if (t.find_column(name) && std::find(found.begin(), found.end(), name) == found.end())
            found.push_back(name);
    };
    const auto word_char = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '$' || static_cast<unsigned char>(c) >= 0x80;
    };
    for (std::size_t i = 0; i < expression.size();) {
        const char c = expression[i];
        if (c == '\'' || c == '"') {
            std::string content;
            std::size_t j = i + 1;
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
            if (c == '"') note(content);
            i = j + 1;
        } else if (word_char(c) && !(c >= '0' && c <= '9')) {
            std::string word;
            for (; i < expression.size() && word_char(expression[i]); ++i)
                word += (expression[i] >= 'A' && expression[i] <= 'Z')
                            ? static_cast<char>(expression[i] - 'A' + 'a')
                            : expression[i];
            note(word);
        } else {
            for (++i; (c >= '0' && c <= '9') && i < expression.size() && word_char(expression[i]);)
                ++i;
        }
    }
    return found;
}

/// AddRelationNewConstraints: <table>_<column>_check when the expression names exactly one
/// column, else <table>_check; ChooseConstraintName's next tries (check1, check2, ...) while
/// the table has the name already.
inline std::string postgres_check(const table& t, std::string_view, std::string_view expression) {
    const auto columns = columns_named_in(t, expression);
    const std::string column = columns.size() == 1 ? columns[0] : std::string{};
    for (std::size_t pass = 0;; ++pass) {
        std::string name =
            postgres_object_name(t.name, column, pass ? "check" + std::to_string(pass) : "check");
        bool taken = false;
        for (const auto& c : t.checks) taken = taken || c.name == name;
        if (!taken) return name;
    }
}

inline std::string retort_unique(std::string_view table, const column_list& columns) {
    return unique_name(table, columns);
}
inline std::string retort_index(std::string_view table, const column_list& columns) {
    return index_name(table, columns);
}
inline std::string retort_foreign_key(std::string_view table, const column_list& columns,
                                      std::string_view referenced_table, const column_list&) {
    return foreign_key_name(table, columns, referenced_table);
}
inline std::string retort_check(const table& t, std::string_view column, std::string_view) {
    return column.empty() ? fit_identifier("ck_" + t.name + "_" + std::to_string(t.checks.size()))
                          : check_name(t.name, column);
}

// Rails 7.1 and later (index names over 62 bytes were an error before).
inline std::string rails_index(std::string_view table, const column_list& columns) {
    constexpr std::size_t limit = 62;  // max_index_name_size
    std::string name = "index_" + std::string{table} + "_on_" + joined(columns, "_and_");
    if (name.size() <= limit) return name;
    const std::string hashed = "_" + sha256_hex(name).substr(0, 10);
    const std::string short_name = "idx_on_" + joined(columns, "_");
    return std::string{clip_utf8(short_name, limit - hashed.size())} + hashed;
}
inline std::string rails_unique(std::string_view table, const column_list& columns) {
    return rails_hashed("uniq", std::string{table} + "_" + joined(columns, "_and_") + "_unique");
}
inline std::string rails_foreign_key(std::string_view table, const column_list& columns,
                                     std::string_view, const column_list&) {
    return rails_hashed("fk", std::string{table} + "_" + joined(columns, "_and_") + "_fk");
}
inline std::string rails_check(const table& t, std::string_view, std::string_view expression) {
    return rails_hashed("chk", t.name + "_" + std::string{expression} + "_chk");
}

// db_index=True on a field; index_together (Django 5.0 and before) added "_idx".
inline std::string django_index(std::string_view table, const column_list& columns) {
    return django_name(table, columns, columns.size() > 1 ? "_idx" : "");
}
// A field's unique=True is written inside CREATE TABLE, so the server names it; Django names
// only the constraints it adds afterwards (unique_together).
inline std::string django_unique(std::string_view table, const column_list& columns) {
    return columns.size() == 1 ? postgres_unique(table, columns)
                               : django_name(table, columns, "_uniq");
}
inline std::string django_foreign_key(std::string_view table, const column_list& columns,
                                      std::string_view referenced_table,
                                      const column_list& referenced_columns) {
    return django_name(table, columns,
                       "_fk_" + std::string{referenced_table} + "_" +
                           joined(referenced_columns, "_"));
}

}  // namespace detail

}  // namespace retort::schema

namespace retort::naming {

using schema::naming_convention;

/// retort's own (Alembic's recommended one): pk_users, uq_users_email, ix_users_email,
/// fk_jobs_user_id_users, ck_users_age.
inline constexpr naming_convention retort_names{"retort",
                                                schema::primary_key_name,
                                                schema::detail::retort_unique,
                                                schema::detail::retort_index,
                                                schema::detail::retort_foreign_key,
                                                schema::detail::retort_check};

/// What PostgreSQL names unnamed constraints and indexes: users_pkey, users_email_key,
/// users_email_idx, jobs_user_id_fkey, users_age_check.
inline constexpr naming_convention postgres_names{"postgres",
                                                  schema::detail::postgres_primary_key,
                                                  schema::detail::postgres_unique,
                                                  schema::detail::postgres_index,
                                                  schema::detail::postgres_foreign_key,
                                                  schema::detail::postgres_check};

/// SQLAlchemy and Alembic without a naming_convention of their own: what the server names
/// keys, uniques, foreign keys and checks (postgres_names), and SQLAlchemy's ix_<table>_<first
/// column> for an `index=True` column or an unnamed Index.
inline constexpr naming_convention sqlalchemy_names{"sqlalchemy",
                                                    schema::detail::postgres_primary_key,
                                                    schema::detail::postgres_unique,
                                                    schema::detail::sqlalchemy_index,
                                                    schema::detail::postgres_foreign_key,
                                                    schema::detail::postgres_check};

/// Ruby on Rails (7.1 and later) on PostgreSQL: users_pkey, index_users_on_email,
/// fk_rails_<hash>, uniq_rails_<hash>, chk_rails_<hash>.
inline constexpr naming_convention rails_names{"rails",
                                               schema::detail::postgres_primary_key,
                                               schema::detail::rails_unique,
                                               schema::detail::rails_index,
                                               schema::detail::rails_foreign_key,
                                               schema::detail::rails_check};

/// Django on PostgreSQL: users_pkey, users_email_key (a field's unique=True),
/// users_a_b_<hash>_uniq (unique_together), users_email_<hash> (db_index and foreign key
/// indexes), jobs_user_id_<hash>_fk_users_id.
inline constexpr naming_convention django_names{"django",
                                                schema::detail::postgres_primary_key,
                                                schema::detail::django_unique,
                                                schema::detail::django_index,
                                                schema::detail::django_foreign_key,
                                                schema::detail::postgres_check};

}  // namespace retort::naming

namespace retort {

/// The naming convention of model T: RETORT_NAMING of the nearest namespace around it, as
/// declared before its RETORT_TABLE; else retort's own.
template <class T>
constexpr const schema::naming_convention& naming_of() {
    using captured = decltype(retort_model_naming(detail::model_tag<T>{}));
    if constexpr (std::is_same_v<captured, detail::default_naming>)
        return naming::retort_names;
    else
        return retort_model_naming(detail::model_tag<T>{});
}

}  // namespace retort

// RETORT_NAMING(convention): at namespace scope, before the RETORT_TABLEs it applies to: the
// models of this namespace and of the namespaces inside it.
#define RETORT_NAMING(convention)                                                                  \
    template <class RetortModel>                                                                   \
    [[maybe_unused]] constexpr const ::retort::schema::naming_convention&                          \
    retort_naming_convention(::retort::detail::model_tag<RetortModel>, int) {                      \
        return convention;                                                                         \
    }                                                                                              \
    static_assert(true)
