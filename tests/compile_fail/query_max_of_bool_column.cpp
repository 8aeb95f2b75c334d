// expect: min\(\) and max\(\) apply to numbers, text, enums, timestamps and dates
// MAX over a boolean column: PostgreSQL has no max(boolean).
#include <retort/query/aggregate.hpp>

#include <cstdint>

namespace cf {
struct user {
    std::int64_t id{};
    bool approved{};
};
RETORT_TABLE(user, "users", (id, retort::primary_key), (approved));
}  // namespace cf

auto newest = retort::max(retort::col<&cf::user::approved>);
