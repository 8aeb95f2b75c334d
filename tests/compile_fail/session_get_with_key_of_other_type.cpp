// expect: the key's type does not match the model's primary key
// get<T>() with a double for an integer key.
#include <retort/session/session.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct user {
    std::int64_t id{};
    std::string email;
};
RETORT_TABLE(user, "users", (id, retort::primary_key), (email));
}  // namespace cf

void lookup(retort::basic_session<retort::sqlite>& s) {
    s.get<cf::user>(1.5);
}
