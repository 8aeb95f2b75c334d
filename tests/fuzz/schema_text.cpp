// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.

// The schema snapshot text of revision files: any text parses or throws configuration_error,
// and what parsed is written back as text that parses to the same schema, and to that text.

#include "fuzz_support.hpp"

#include <retort/migrate/schema_text.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace retort::migrate;
    retort::schema::database db;
    try {
        db = schema_from_text(retort_fuzz::as_text(data, size));
    } catch (const retort::configuration_error&) {
        return 0;
    }
    const std::string text = to_text(db);
    const retort::schema::database again = schema_from_text(text);
    RETORT_FUZZ_CHECK(again == db);
    RETORT_FUZZ_CHECK(to_text(again) == text);
    return 0;
}
