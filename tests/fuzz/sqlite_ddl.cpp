// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.

// The tokenizer and DDL readers SQLite introspection runs on sqlite_schema.sql: CREATE TABLE
// and CREATE INDEX text, declared types and column defaults. Input comes from whatever made
// the database, so none of it may crash; the tokens must account for every byte of the text.

#include "fuzz_support.hpp"

#include <retort/migrate/introspect_sqlite.hpp>

namespace {

namespace ddl = retort::migrate::detail::sqlite_introspect;
using ddl::token;

// Tokens cover the text in order; what lies between them is whitespace and comments only;
// a token taken out of the text reads back as that same token.
void check_tokens(std::string_view sql, const std::vector<token>& tokens) {
    std::size_t last_end = 0;
    for (const token& t : tokens) {
        RETORT_FUZZ_CHECK(last_end <= t.begin && t.begin < t.end && t.end <= sql.size());
        RETORT_FUZZ_CHECK(ddl::tokenize(sql.substr(last_end, t.begin - last_end)).empty());
        const std::string_view spelled = sql.substr(t.begin, t.end - t.begin);
        if (t.type == token::kind::quoted || t.type == token::kind::string)
            RETORT_FUZZ_CHECK(t.value.size() < spelled.size());  // the quotes are gone
        else
            RETORT_FUZZ_CHECK(t.value == spelled);
        const auto alone = ddl::tokenize(spelled);
        RETORT_FUZZ_CHECK(alone.size() == 1 && alone[0].type == t.type &&
                          alone[0].value == t.value && alone[0].end == spelled.size());
        last_end = t.end;
    }
    RETORT_FUZZ_CHECK(ddl::tokenize(sql.substr(last_end)).empty());
}

void check_readers(std::string_view sql, const std::vector<token>& tokens) {
    (void)ddl::parse_create_table(sql);
    const std::string where = ddl::index_where(sql);
    RETORT_FUZZ_CHECK(where.empty() || (!ddl::is_space(where.front()) &&
                                        !ddl::is_space(where.back()) && where.back() != ';'));

    retort::schema::column column;
    ddl::set_type(column, sql);
    RETORT_FUZZ_CHECK(column.max_length == 0 || column.type == retort::logical_type::text);

    using kind = retort::schema::default_value::kind;
    for (auto type : {retort::logical_type::boolean, retort::logical_type::text}) {
        const auto value = ddl::parse_default(sql, type);
        if (value.type == kind::boolean)
            RETORT_FUZZ_CHECK(value.integer == 0 || value.integer == 1);
        if (tokens.empty()) RETORT_FUZZ_CHECK(value.type == kind::none);
    }
    if (!tokens.empty()) (void)ddl::enum_values(sql, tokens.front().value);
    (void)ddl::parse_action(sql);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view sql = retort_fuzz::as_text(data, size);
    const auto tokens = ddl::tokenize(sql);
    check_tokens(sql, tokens);
    check_readers(sql, tokens);
    return 0;
}
