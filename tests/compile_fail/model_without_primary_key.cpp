// expect: a model needs a primary key
// Neither a primary_key field nor a composite_key.
#include <retort/reflect/model.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct event {
    std::int64_t id{};
    std::string name;
};
RETORT_TABLE(event, "events", (id), (name));
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::event>::size;
