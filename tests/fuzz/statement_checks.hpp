// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// What split_statements promises of its output, shared by the splitter's and the revision
// file's fuzz targets.

#include "fuzz_support.hpp"

#include <retort/migrate/sql_script.hpp>

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace retort_fuzz {

inline bool is_space(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

/// Each statement is a trimmed, non-empty piece of `sql` that does not start with a comment
/// (those before a statement are dropped); the pieces come in order and do not overlap.
inline void check_statements(std::string_view sql, const std::vector<std::string>& statements) {
    std::size_t from = 0;
    for (const auto& s : statements) {
        RETORT_FUZZ_CHECK(!s.empty());
        RETORT_FUZZ_CHECK(!is_space(s.front()) && !is_space(s.back()));
        RETORT_FUZZ_CHECK(!s.starts_with("--") && !s.starts_with("/*"));
        const auto at = sql.find(s, from);
        RETORT_FUZZ_CHECK(at != std::string_view::npos);
        from = at + s.size();
        // The words that name a statement in logs and errors: at most as many as asked for.
        RETORT_FUZZ_CHECK(retort::migrate::detail::sql_words(s, 3).size() <= 3);
    }
}

}  // namespace retort_fuzz
