// expect: compare with a plain value, or test for NULL with is_null\(\)
// Comparing a nullable column with an optional: "= NULL" would never be true.
#include <retort/query/expr.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace cf {
struct user {
    std::int64_t id{};
    std::optional<std::string> name;
};
RETORT_TABLE(user, "users", (id, retort::primary_key), (name));
}  // namespace cf

std::optional<std::string> wanted;
auto condition = retort::col<&cf::user::name> == wanted;
