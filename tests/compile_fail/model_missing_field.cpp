// expect: RETORT_TABLE must list every field of the struct
// A field left out of RETORT_TABLE.
#include <retort/reflect/model.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct user {
    std::int64_t id{};
    std::string email;
    std::string name;
};
RETORT_TABLE(user, "users", (id, retort::primary_key), (email));
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::user>::size;
