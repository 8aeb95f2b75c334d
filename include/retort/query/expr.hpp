// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Typed SQL expressions. `col<&User::email> == "a@b.c"` builds a value whose type records the
// shape of the SQL (so its text can be rendered once) and which holds the values to bind.
// Every node has render(ctx), bind(binder) and `models`, the models whose columns it names.

#include <retort/query/detail/type_list.hpp>
#include <retort/query/render.hpp>
#include <retort/query/values.hpp>
#include <retort/reflect/model.hpp>

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace retort {

namespace query {

struct expression_base {};

template <class E>
concept expression = std::is_base_of_v<expression_base, E>;

/// An expression that yields a value of `value_type` (a column, an aggregate).
template <class E>
concept value_expression = expression<E> && requires {
    typename E::value_type;
};

// ---- which values may meet which columns ---------------------------------------------------

enum class value_category { other, boolean, integer, floating, text, enumeration };

template <class T>
constexpr value_category category_of() {
    using U = std::remove_cvref_t<unwrap_optional_t<std::remove_cvref_t<T>>>;
    if constexpr (std::is_same_v<U, bool>)
        return value_category::boolean;
    else if constexpr (std::is_enum_v<U>)
        return value_category::enumeration;
    else if constexpr (std::is_integral_v<U>)
        return value_category::integer;
    else if constexpr (std::is_floating_point_v<U>)
        return value_category::floating;
    else if constexpr (std::is_convertible_v<const U&, std::string_view>)
        return value_category::text;
    else
        return value_category::other;
}

/// A value of type V may be compared with (or assigned to) a column holding C.
template <class C, class V>
constexpr bool compatible_value() {
    using CU = unwrap_optional_t<C>;
    using VU = std::remove_cvref_t<unwrap_optional_t<std::remove_cvref_t<V>>>;
    constexpr auto c = category_of<CU>(), v = category_of<VU>();
    if constexpr (c == value_category::enumeration || c == value_category::other)
        return std::is_same_v<CU, VU> ||
               (c == value_category::other && std::is_convertible_v<VU, CU>);
    else if constexpr (c == value_category::floating)
        return v == value_category::floating || v == value_category::integer;
    else
        return c == v;
}

/// How a value is held in an expression: as the column's type, except that text stays a
/// string_view when it came as one (a literal or a caller's view) to avoid a copy.
template <class C, class V>
using held_value_t =
    std::conditional_t<category_of<C>() == value_category::text &&
                           !std::is_same_v<std::remove_cvref_t<V>, std::string> &&
                           std::is_convertible_v<const std::remove_cvref_t<V>&, std::string_view>,
                       std::string_view, unwrap_optional_t<C>>;

// ---- leaves ----------------------------------------------------------------------------------

template <auto Member>
struct column_ref : expression_base {
    using model_type = typename retort::detail::member_traits<Member>::class_type;
    using value_type = typename retort::detail::member_traits<Member>::value_type;
    using models = detail::type_list<model_type>;
    static constexpr auto member = Member;
    static constexpr std::size_t index = model<model_type>::template index_of<Member>;
    static_assert(index < model<model_type>::size,
                  "retort: col<&T::field> names a field that T's RETORT_TABLE does not list");
    static constexpr std::string_view name = model<model_type>::template field<index>::name;
    static constexpr std::string_view postgres_type =
        model<model_type>::template field<index>::postgres_type;

    template <class Ctx>
    void render(Ctx& ctx) const {
        ctx.column(model<model_type>::table_name, name);
    }
    template <class B>
    void bind(B&) const {}
};

/// The PostgreSQL type a value compared with E is cast to: E's column's postgres_type, if any.
template <class E>
constexpr std::string_view postgres_type_of() {
    if constexpr (requires { E::postgres_type; })
        return E::postgres_type;
    else
        return {};
}

template <class T>
struct param : expression_base {
    using models = detail::type_list<>;
    T value;
    std::string_view postgres_type;  // of the column it is compared with; static storage
    template <class Ctx>
    void render(Ctx& ctx) const {
        ctx.placeholder();
    }
    template <class B>
    void bind(B& b) const {
        bind_for_column(b, postgres_type, value);
    }
};

// ---- operators ----------------------------------------------------------------------------

enum class op { eq, ne, lt, le, gt, ge, and_, or_, like };

constexpr std::string_view op_text(op o) {
    switch (o) {
    case op::eq: return " = ";
    case op::ne: return " <> ";
    case op::lt: return " < ";
    case op::le: return " <= ";
    case op::gt: return " > ";
    case op::ge: return " >= ";
    case op::and_: return " AND ";
    case op::or_: return " OR ";
    case op::like: return " LIKE ";
    }
    return {};
}

template <op Op, class L, class R>
struct binary : expression_base {
    using models = detail::concat_t<typename L::models, typename R::models>;
    L left;
    R right;
    template <class Ctx>
    void render(Ctx& ctx) const {
        ctx.text("(");
        left.render(ctx);
        ctx.text(op_text(Op));
        right.render(ctx);
        ctx.text(")");
    }
    template <class B>
    void bind(B& b) const {
        left.bind(b);
        right.bind(b);
    }
};

template <class E>
struct negation : expression_base {
    using models = typename E::models;
    E inner;
    template <class Ctx>
    void render(Ctx& ctx) const {
        ctx.text("(NOT ");
        inner.render(ctx);
        ctx.text(")");
    }
    template <class B>
    void bind(B& b) const {
        inner.bind(b);
    }
};

template <class E, bool IsNull>
struct null_check : expression_base {
    using models = typename E::models;
    E inner;
    template <class Ctx>
    void render(Ctx& ctx) const {
        ctx.text("(");
        inner.render(ctx);
        ctx.text(IsNull ? " IS NULL)" : " IS NOT NULL)");
    }
    template <class B>
    void bind(B& b) const {
        inner.bind(b);
    }
};

template <class E, class V>
struct between_expr : expression_base {
    using models = typename E::models;
    E inner;
    V low, high;
    template <class Ctx>
    void render(Ctx& ctx) const {
        ctx.text("(");
        inner.render(ctx);
        ctx.text(" BETWEEN ");
        ctx.placeholder();
        ctx.text(" AND ");
        ctx.placeholder();
        ctx.text(")");
    }
    template <class B>
    void bind(B& b) const {
        inner.bind(b);
        bind_for_column(b, postgres_type_of<E>(), low);
        bind_for_column(b, postgres_type_of<E>(), high);
    }
};

/// `col IN (...)` with the whole list bound as ONE parameter, so the SQL text does not depend
/// on the list's length: `= ANY($1)` on PostgreSQL, `IN (SELECT value FROM json_each(?))` on
/// SQLite.
template <class E, class List>
struct in_list : expression_base {
    using models = typename E::models;
    E inner;
    List values;
    template <class Ctx>
    void render(Ctx& ctx) const {
        ctx.text("(");
        inner.render(ctx);
        if constexpr (Ctx::dialect::numbered_placeholders) {
            ctx.text(" = ANY(");
            ctx.placeholder();
            ctx.text("))");
        } else {
            ctx.text(" IN (SELECT value FROM json_each(");
            ctx.placeholder();
            ctx.text(")))");
        }
    }
    template <class B>
    void bind(B& b) const {
        inner.bind(b);
        if constexpr (postgres_type_of<E>().empty()) {
            b.bind(values);
        } else {
            untyped_binder<B> u{b};
            u.bind(values);
        }
    }
};

/// No condition: renders nothing. The default WHERE / HAVING of a query.
struct no_condition : expression_base {
    using models = detail::type_list<>;
    template <class Ctx>
    void render(Ctx&) const {}
    template <class B>
    void bind(B&) const {}
};

template <class E>
inline constexpr bool is_condition_present = !std::is_same_v<E, no_condition>;

// ---- building -----------------------------------------------------------------------------

template <class E, class V>
auto make_param(V&& v) {
    using held = held_value_t<typename E::value_type, V>;
    return param<held>{{}, held(std::forward<V>(v)), postgres_type_of<E>()};
}

template <op Op, class L, class V>
auto compare(const L& left, V&& value) {
    if constexpr (value_expression<std::remove_cvref_t<V>>) {
        using R = std::remove_cvref_t<V>;
        static_assert(compatible_value<typename L::value_type, typename R::value_type>(),
                      "retort: comparing two columns of different types");
        return binary<Op, L, R>{{}, left, value};
    } else {
        static_assert(!optional_type<std::remove_cvref_t<V>>,
                      "retort: compare with a plain value, or test for NULL with is_null(); "
                      "= NULL is never true in SQL");
        static_assert(compatible_value<typename L::value_type, V>(),
                      "retort: comparing a column with a value of a different type");
        auto p = make_param<L>(std::forward<V>(value));
        return binary<Op, L, decltype(p)>{{}, left, std::move(p)};
    }
}

}  // namespace query

/// A column of a model, for queries: `retort::col<&User::email>`.
template <auto Member>
inline constexpr query::column_ref<Member> col{};

namespace query {

template <value_expression L, class V>
auto operator==(const L& l, V&& v) {
    return compare<op::eq>(l, std::forward<V>(v));
}
template <value_expression L, class V>
auto operator!=(const L& l, V&& v) {
    return compare<op::ne>(l, std::forward<V>(v));
}
template <value_expression L, class V>
auto operator<(const L& l, V&& v) {
    return compare<op::lt>(l, std::forward<V>(v));
}
template <value_expression L, class V>
auto operator<=(const L& l, V&& v) {
    return compare<op::le>(l, std::forward<V>(v));
}
template <value_expression L, class V>
auto operator>(const L& l, V&& v) {
    return compare<op::gt>(l, std::forward<V>(v));
}
template <value_expression L, class V>
auto operator>=(const L& l, V&& v) {
    return compare<op::ge>(l, std::forward<V>(v));
}

template <expression L, expression R>
binary<op::and_, L, R> operator&&(const L& l, const R& r) {
    return {{}, l, r};
}
template <expression L, expression R>
binary<op::or_, L, R> operator||(const L& l, const R& r) {
    return {{}, l, r};
}
template <expression E>
negation<E> operator!(const E& e) {
    return {{}, e};
}

}  // namespace query

/// `col IS NULL` / `col IS NOT NULL`.
template <query::value_expression E>
query::null_check<E, true> is_null(const E& e) {
    return {{}, e};
}
template <query::value_expression E>
query::null_check<E, false> is_not_null(const E& e) {
    return {{}, e};
}

/// `col LIKE pattern` (case-sensitive on PostgreSQL; ASCII case-insensitive on SQLite).
template <query::value_expression E, class V>
auto like(const E& e, V&& pattern) {
    static_assert(query::category_of<typename E::value_type>() == query::value_category::text,
                  "retort: LIKE applies to text columns only");
    return query::compare<query::op::like>(e, std::forward<V>(pattern));
}

/// `col BETWEEN low AND high`.
template <query::value_expression E, class Low, class High>
auto between(const E& e, const Low& low, const High& high) {
    static_assert(query::compatible_value<typename E::value_type, Low>() &&
                      query::compatible_value<typename E::value_type, High>(),
                  "retort: comparing a column with a value of a different type");
    using held =
        std::conditional_t<std::is_same_v<query::held_value_t<typename E::value_type, Low>,
                                          query::held_value_t<typename E::value_type, High>>,
                           query::held_value_t<typename E::value_type, Low>,
                           unwrap_optional_t<typename E::value_type>>;
    return query::between_expr<E, held>{{}, e, held(low), held(high)};
}

/// `col IN (values...)` for integer and text columns.
template <query::value_expression E, class V>
auto in(const E& e, const std::vector<V>& values) {
    static_assert(query::compatible_value<typename E::value_type, V>(),
                  "retort: comparing a column with a value of a different type");
    constexpr auto c = query::category_of<typename E::value_type>();
    static_assert(c == query::value_category::integer || c == query::value_category::text,
                  "retort: in() supports integer and text columns");
    if constexpr (c == query::value_category::integer) {
        std::vector<std::int64_t> list(values.begin(), values.end());
        return query::in_list<E, std::vector<std::int64_t>>{{}, e, std::move(list)};
    } else {
        std::vector<std::string> list(values.begin(), values.end());
        return query::in_list<E, std::vector<std::string>>{{}, e, std::move(list)};
    }
}

}  // namespace retort
