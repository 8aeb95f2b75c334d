// expect: sum\(\) applies to numeric columns only
// SUM over a text column.
#include <retort/query/aggregate.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct user {
    std::int64_t id{};
    std::string email;
};
RETORT_TABLE(user, "users", (id, retort::primary_key), (email));
}  // namespace cf

auto total = retort::sum(retort::col<&cf::user::email>);
