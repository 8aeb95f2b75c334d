// expect: a foreign key's column and the column it references have different types
// A text column referencing an integer key.
#include <retort/reflect/model.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct user {
    std::int64_t id{};
};
RETORT_TABLE(user, "users", (id, retort::primary_key));

struct post {
    std::int64_t id{};
    std::string author_id;
};
RETORT_TABLE(post, "posts", (id, retort::primary_key), (author_id, retort::references<&user::id>));
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::post>::size;
