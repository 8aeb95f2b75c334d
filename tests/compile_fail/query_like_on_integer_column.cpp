// expect: LIKE applies to text columns only
// LIKE on an integer column.
#include <retort/query/expr.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct user {
    std::int64_t id{};
    std::string email;
};
RETORT_TABLE(user, "users", (id, retort::primary_key), (email));
}  // namespace cf

auto condition = retort::like(retort::col<&cf::user::id>, "1%");
