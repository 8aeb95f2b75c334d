// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.

// The raw-SQL placeholder rewriter: `?` becomes $1, $2, ... outside literals, quoted names,
// comments and dollar-quoted strings, `??` becomes `?`, and nothing else changes.

#include "fuzz_support.hpp"

#include <retort/session/detail/raw_sql.hpp>

#include <string>
#include <vector>

namespace {

using retort::detail::number_placeholders;
using retort_fuzz::count_of;

std::string without_placeholder_chars(std::string_view s) {
    std::string out;
    for (char c : s)
        if (c != '?' && c != '$' && !(c >= '0' && c <= '9')) out += c;
    return out;
}

std::string replaced(std::string_view s, char from, std::string_view to) {
    std::string out;
    for (char c : s) c == from ? out.append(to) : out.append(1, c);
    return out;
}

// The only changes are '?' -> "$n" and "??" -> "?": counting '$' gives the placeholders made,
// counting '?' then the pairs folded, and the length follows from both.
void check_bookkeeping(std::string_view sql, const std::string& out) {
    RETORT_FUZZ_CHECK(without_placeholder_chars(out) == without_placeholder_chars(sql));
    const std::size_t dollars_in = count_of(sql, '$'), dollars_out = count_of(out, '$');
    RETORT_FUZZ_CHECK(dollars_out >= dollars_in);
    const std::size_t made = dollars_out - dollars_in;
    const std::size_t marks_in = count_of(sql, '?'), marks_out = count_of(out, '?');
    RETORT_FUZZ_CHECK(marks_in >= marks_out + made);
    const std::size_t pairs = marks_in - marks_out - made;
    std::size_t digits = 0;
    for (std::size_t n = 1; n <= made; ++n) digits += std::to_string(n).size();
    RETORT_FUZZ_CHECK(out.size() + pairs == sql.size() + digits);
    if (marks_in == 0) RETORT_FUZZ_CHECK(out == sql);
    // Nothing that could open a quoted run or a comment: every '?' is a placeholder or half
    // of a "??" pair.
    if (sql.find_first_of("'\"-/$") == std::string_view::npos)
        RETORT_FUZZ_CHECK(2 * marks_out + made == marks_in);
}

// The input made into one string literal, quoted identifier, comment or dollar-quoted string
// of each kind: question marks inside stay as they are, the two outside are numbered.
void check_quoted_forms(std::string_view sql) {
    const std::string no_stars = replaced(sql, '*', " ");
    const std::vector<std::string> forms{
        "'" + replaced(sql, '\'', "''") + "'",
        "\"" + replaced(sql, '"', "\"\"") + "\"",
        "E'" + replaced(replaced(sql, '\\', "\\\\"), '\'', "\\'") + "'",
        "/*" + no_stars + " */",
        "/* /*" + no_stars + " */ ? */",  // nested: the inner */ does not end it
        "--" + replaced(sql, '\n', " ") + "\n",
        "$fz$" + replaced(sql, '$', " ") + "$fz$",
    };
    for (const auto& quoted : forms)
        RETORT_FUZZ_CHECK(number_placeholders(quoted + " ? " + quoted + " ?") ==
                          quoted + " $1 " + quoted + " $2");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view sql = retort_fuzz::as_text(data, size);
    check_bookkeeping(sql, number_placeholders(sql));
    check_quoted_forms(sql);
    return 0;
}
