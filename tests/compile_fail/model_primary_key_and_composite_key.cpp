// expect: a model has both primary_key fields and a composite_key
// A key declared twice: on a field and in RETORT_CONSTRAINTS.
#include <retort/reflect/model.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct membership {
    std::int64_t user_id{};
    std::string team;
};
RETORT_TABLE(membership, "memberships", (user_id, retort::primary_key), (team));
RETORT_CONSTRAINTS(membership, retort::composite_key<&membership::user_id, &membership::team>);
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::membership>::size;
