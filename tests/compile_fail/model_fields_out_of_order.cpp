// expect: RETORT_TABLE lists the struct's fields out of declaration order
// Two fields of different types listed in the wrong order.
#include <retort/reflect/model.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct user {
    std::int64_t id{};
    std::string email;
};
RETORT_TABLE(user, "users", (email), (id, retort::primary_key));
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::user>::size;
