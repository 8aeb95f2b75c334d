// expect: (listed_in_RETORT_TABLE = 2. long unsigned int fields_in_struct = 3. long unsigned int first_left_out = 1. first_left_out_type = std::__cxx11::basic_string<char>|check_field_count<2UL, 3UL, 1UL, std::basic_string<char>>)
// A field in the middle left out of RETORT_TABLE: the error's context gives the counts (2
// listed, 3 in the struct) and the first field left out (number 1, a std::string: email).
#include <retort/reflect/model.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct user {
    std::int64_t id{};
    std::string email;
    std::string name;
};
RETORT_TABLE(user, "users", (id, retort::primary_key), (name));
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::user>::size;
