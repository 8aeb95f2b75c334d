// expect: a foreign key points at a struct that has no RETORT_TABLE
// The referenced struct is not a model.
#include <retort/reflect/model.hpp>

#include <cstdint>

namespace cf {
struct user {
    std::int64_t id{};
};  // no RETORT_TABLE

struct post {
    std::int64_t id{};
    std::int64_t author_id{};
};
RETORT_TABLE(post, "posts", (id, retort::primary_key), (author_id, retort::references<&user::id>));
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::post>::size;
