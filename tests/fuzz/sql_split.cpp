// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.

// The splitter of a revision's SQL into statements: the pieces are trimmed, in order, taken
// from the text, and a statement split again on its own is that one statement.

#include "statement_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view sql = retort_fuzz::as_text(data, size);
    const auto statements = retort::migrate::split_statements(sql);
    retort_fuzz::check_statements(sql, statements);
    RETORT_FUZZ_CHECK(statements.size() <= retort_fuzz::count_of(sql, ';') + 1);
    // Each statement starts in the splitter's initial state (after a ';', whitespace or a
    // comment), so on its own it splits into exactly itself.
    for (const auto& s : statements) {
        const auto again = retort::migrate::split_statements(s);
        RETORT_FUZZ_CHECK(again.size() == 1 && again[0] == s);
    }
    return 0;
}
