// expect: retort: this type is not a model; declare it with RETORT_TABLE
// errors: 1
// insert() of a struct that has no RETORT_TABLE, inside db.visit: one error, not one per
// backend, and not "no matching function" with a page of candidates.
#include <retort/retort.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct comment {
    std::int64_t id{};
    std::string body;
};
}  // namespace cf

void save(retort::engine& db) {
    db.visit([](auto& engine) {
        auto s = engine.session();
        cf::comment c{};
        s.insert(c);
    });
}
