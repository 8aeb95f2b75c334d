// expect: two fields of this model map to the same column name
// named<> gives a field the column name another field already has.
#include <retort/reflect/model.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct user {
    std::int64_t id{};
    std::string email;
    std::string backup_email;
};
RETORT_TABLE(user, "users", (id, retort::primary_key), (email),
             (backup_email, retort::named<"email">));
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::user>::size;
