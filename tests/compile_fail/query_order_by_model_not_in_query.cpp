// expect: retort: order_by names a column of a model that is not in the query \(add it with join<Model>
// errors: 1
// order_by() on a column of a model the query does not join, inside db.visit: one error
// (not one per backend), with the hint the where() message gives.
#include <retort/retort.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct user {
    std::int64_t id{};
    std::string email;
};
RETORT_TABLE(user, "users", (id, retort::primary_key), (email));

struct post {
    std::int64_t id{};
    std::int64_t author_id{};
};
RETORT_TABLE(post, "posts", (id, retort::primary_key), (author_id, retort::references<&user::id>));
}  // namespace cf

void list(retort::engine& db) {
    db.visit([](auto& engine) {
        auto s = engine.session();
        [[maybe_unused]] auto users =
            s.template select<cf::user>().order_by(retort::col<&cf::post::id>).all();
    });
}
