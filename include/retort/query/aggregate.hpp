// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// count/sum/avg/min/max. Their results are cast so both dialects return the C++ type promised:
// SUM of integers is an int64, AVG a double; SUM/AVG/MIN/MAX are NULL (nullopt) on no rows.

#include <retort/query/expr.hpp>

#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>

namespace retort {
namespace query {

struct count_all_expr : expression_base {
    using value_type = std::int64_t;
    using models = detail::type_list<>;
    template <class Ctx>
    void render(Ctx& ctx) const {
        ctx.text("COUNT(*)");
    }
    template <class B>
    void bind(B&) const {}
};

enum class aggregate_fn { count, sum, avg, min, max };

template <class E>
using plain_value_t = unwrap_optional_t<typename E::value_type>;

template <aggregate_fn Fn, class E>
struct aggregate_result {
    using type = std::optional<plain_value_t<E>>;  // min, max
};
template <class E>
struct aggregate_result<aggregate_fn::count, E> {
    using type = std::int64_t;
};
template <class E>
struct aggregate_result<aggregate_fn::sum, E> {
    using type = std::optional<
        std::conditional_t<std::is_floating_point_v<plain_value_t<E>>, double, std::int64_t>>;
};
template <class E>
struct aggregate_result<aggregate_fn::avg, E> {
    using type = std::optional<double>;
};

template <aggregate_fn Fn, class E>
struct aggregate : expression_base {
    using value_type = typename aggregate_result<Fn, E>::type;
    using models = typename E::models;
    // MIN and MAX keep their column's type, and so its postgres_type.
    static constexpr std::string_view postgres_type =
        Fn == aggregate_fn::min || Fn == aggregate_fn::max ? postgres_type_of<E>()
                                                           : std::string_view{};
    E inner;

    template <class Ctx>
    void render(Ctx& ctx) const {
        using D = typename Ctx::dialect;
        switch (Fn) {
        case aggregate_fn::count: ctx.text("COUNT("); break;
        case aggregate_fn::min: ctx.text("MIN("); break;
        case aggregate_fn::max: ctx.text("MAX("); break;
        case aggregate_fn::sum:
        case aggregate_fn::avg:
            ctx.text(Fn == aggregate_fn::sum ? "CAST(SUM(" : "CAST(AVG(");
            break;
        }
        inner.render(ctx);
        if constexpr (Fn == aggregate_fn::sum) {
            ctx.text(") AS ");
            ctx.text(std::is_floating_point_v<plain_value_t<E>> ? D::float_cast_type()
                                                                : D::integer_cast_type());
            ctx.text(")");
        } else if constexpr (Fn == aggregate_fn::avg) {
            ctx.text(") AS ");
            ctx.text(D::float_cast_type());
            ctx.text(")");
        } else {
            ctx.text(")");
        }
    }
    template <class B>
    void bind(B& b) const {
        inner.bind(b);
    }
};

template <class E>
constexpr bool is_numeric() {
    constexpr auto c = category_of<typename E::value_type>();
    return c == value_category::integer || c == value_category::floating;
}

}  // namespace query

/// COUNT(*)
inline constexpr query::count_all_expr count() {
    return {};
}
/// COUNT(col): the rows where col is not NULL.
template <query::value_expression E>
query::aggregate<query::aggregate_fn::count, E> count(const E& e) {
    return {{}, e};
}
template <query::value_expression E>
query::aggregate<query::aggregate_fn::sum, E> sum(const E& e) {
    static_assert(query::is_numeric<E>(), "retort: sum() applies to numeric columns only");
    return {{}, e};
}
template <query::value_expression E>
query::aggregate<query::aggregate_fn::avg, E> avg(const E& e) {
    static_assert(query::is_numeric<E>(), "retort: avg() applies to numeric columns only");
    return {{}, e};
}
namespace query {
/// MIN/MAX need an ordering both dialects share: numbers, text, enums (as text), times, dates.
template <class E>
constexpr bool is_orderable() {
    constexpr auto t = logical_type_of<typename E::value_type>();
    return t != logical_type::boolean && t != logical_type::json && t != logical_type::blob &&
           t != logical_type::text_array && t != logical_type::int_array;
}
}  // namespace query

template <query::value_expression E>
query::aggregate<query::aggregate_fn::min, E> min(const E& e) {
    static_assert(query::is_orderable<E>(),
                  "retort: min() and max() apply to numbers, text, enums, timestamps and dates");
    return {{}, e};
}
template <query::value_expression E>
query::aggregate<query::aggregate_fn::max, E> max(const E& e) {
    static_assert(query::is_orderable<E>(),
                  "retort: min() and max() apply to numbers, text, enums, timestamps and dates");
    return {{}, e};
}

namespace query {
template <class E, bool Descending>
struct order_term {
    using models = typename E::models;
    E inner;
    template <class Ctx>
    void render(Ctx& ctx) const {
        inner.render(ctx);
        ctx.text(Descending ? " DESC" : " ASC");
    }
};
}  // namespace query

template <query::value_expression E>
query::order_term<E, false> asc(const E& e) {
    return {e};
}
template <query::value_expression E>
query::order_term<E, true> desc(const E& e) {
    return {e};
}

}  // namespace retort
