// expect: autoincrement needs an integer primary key that is not optional
// autoincrement on a std::string key.
#include <retort/reflect/model.hpp>

#include <string>

namespace cf {
struct token {
    std::string id;
    std::string owner;
};
RETORT_TABLE(token, "tokens", (id, retort::primary_key, retort::autoincrement), (owner));
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::token>::size;
