// expect: retort: this type is not a model; declare it with RETORT_TABLE
// errors: 1
// Every entry point that takes a model says so once for a struct without RETORT_TABLE, and
// what it returns can be held without a second error.
#include <retort/retort.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct comment {
    std::int64_t id{};
    std::string body;
};
}  // namespace cf

void use(retort::engine& db) {
    db.visit([](auto& engine) {
        engine.template create_all<cf::comment>();
        auto s = engine.session();
        s.template create_all<cf::comment>();
        cf::comment c{};
        const cf::comment constant{};
        s.insert(c);
        s.insert(cf::comment{});
        s.insert(constant);
        [[maybe_unused]] auto found = s.template get<cf::comment>(1);
        s.update(c);
        s.remove(c);
        s.template remove_by_key<cf::comment>(1);
        s.merge(c);
        s.add(c);
        [[maybe_unused]] auto query = s.template select<cf::comment>();
        [[maybe_unused]] auto counted = s.template select_from<cf::comment>(retort::count());
        s.template update<cf::comment>();
        s.template delete_from<cf::comment>();
        engine.template drop_all<cf::comment>();
    });
}
