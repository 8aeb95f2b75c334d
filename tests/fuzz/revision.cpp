// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.

// A revision file as the migrate tool reads it: header, per-dialect sections, and snapshot.
// Any text parses or throws configuration_error; what parsed is consistent with the text.

#include "statement_checks.hpp"

#include <retort/migrate/revision.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace retort::migrate;
    const std::string_view text = retort_fuzz::as_text(data, size);
    revision r;
    try {
        r = parse_revision(text, "fuzz.sql");
    } catch (const retort::configuration_error&) {
        return 0;
    }
    RETORT_FUZZ_CHECK(!r.id.empty());
    RETORT_FUZZ_CHECK(r.checksum == checksum_of(text) && r.checksum.size() == 16);
    // Header values are single lines; the spaces after "parent:" and "message:" are dropped.
    for (const std::string* value : {&r.id, &r.parent, &r.message})
        RETORT_FUZZ_CHECK(value->find('\n') == std::string::npos);
    RETORT_FUZZ_CHECK(!r.parent.starts_with(' ') && !r.message.starts_with(' '));
    for (const auto& [name, sql] : r.sections) {
        RETORT_FUZZ_CHECK(name.starts_with("up: ") || name.starts_with("down: "));
        const auto d = name.starts_with("up: ") ? direction::up : direction::down;
        const std::string dialect = name.substr(name.find(' ') + 1);
        RETORT_FUZZ_CHECK(revision::section_name(d, dialect) == name);
        retort_fuzz::check_statements(sql, r.statements(d, dialect));
    }
    // The snapshot comes back from its own text unchanged (formatting it is what a new
    // revision does with the last one's).
    RETORT_FUZZ_CHECK(schema_from_text(to_text(r.snapshot)) == r.snapshot);
    return 0;
}
