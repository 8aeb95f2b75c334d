// expect: a postgres_type column's field holds text, a number, a bool, json
// A blob has no text form the server would parse as the column's type: refused, not guessed.
#include <retort/reflect/model.hpp>

#include <cstdint>

namespace cf {
struct file {
    std::int64_t id{};
    retort::blob data;
};
RETORT_TABLE(file, "files", (id, retort::primary_key), (data, retort::postgres_type<"bytea">));
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::file>::size;
