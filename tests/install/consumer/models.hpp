// A model of the consumer project: what retort_add_migrate_tool() builds a migrate tool for.
#pragma once
#include <retort/retort.hpp>

#include <string>

namespace consumer {
struct note {
    std::int64_t id = 0;
    std::string text;
};
RETORT_TABLE(note, "notes", (id, retort::primary_key, retort::autoincrement), (text));
}  // namespace consumer
