// expect: comparing a column with a value of a different type
// A wall-time column (timestamp without time zone) compared with an instant: the zone that
// would relate them is nowhere in the query, so the comparison does not compile.
#include <retort/query/expr.hpp>

#include <cstdint>

namespace cf {
struct meeting {
    std::int64_t id{};
    retort::local_timestamp starts_at{};
};
RETORT_TABLE(meeting, "meetings", (id, retort::primary_key), (starts_at));
}  // namespace cf

auto condition = retort::col<&cf::meeting::starts_at> < retort::timestamp{};
