// expect: a composite key is a std::tuple of the key columns' types, in key order
// get<T>() with a composite key's elements swapped.
#include <retort/session/session.hpp>

#include <cstdint>
#include <string>
#include <tuple>

namespace cf {
struct membership {
    std::int64_t user_id{};
    std::string team;
};
RETORT_TABLE(membership, "memberships", (user_id), (team));
RETORT_CONSTRAINTS(membership, retort::composite_key<&membership::user_id, &membership::team>);
}  // namespace cf

void lookup(retort::basic_session<retort::sqlite>& s) {
    s.get<cf::membership>(std::tuple{std::string{"core"}, std::int64_t{1}});
}
