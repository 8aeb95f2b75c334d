// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The SELECT builder. Each clause returns a new query type, so the SQL text is a function of
// the type alone: it is rendered once per dialect and its prepared statement reused. Values
// (including LIMIT and OFFSET) are always bound. Terminal calls (all, first, one, count,
// exists, scalar) hand the query to its executor, a session.

#include <retort/error.hpp>
#include <retort/query/aggregate.hpp>
#include <retort/query/decode.hpp>
#include <retort/query/detail/in_query.hpp>
#include <retort/query/expr.hpp>

#include <boost/pfr/core.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace retort::query {

enum class join_kind { inner, left };

template <class Model, join_kind Kind, class On>
struct join_clause {
    using model_type = Model;
    static constexpr join_kind kind = Kind;
    On on;
};

/// SELECT every column of each listed model; rows come back as the model (or a tuple).
template <class... Models>
struct model_projection {};

/// SELECT chosen expressions; rows come back as a tuple of their value types, or as Into.
template <class Into, class... Exprs>
struct column_projection {
    std::tuple<Exprs...> exprs;
};

template <class P>
struct projection_models;
template <class... Ms>
struct projection_models<model_projection<Ms...>> {
    using type = detail::type_list<Ms...>;
};
template <class Into, class... Es>
struct projection_models<column_projection<Into, Es...>> {
    using type = detail::concat_t<typename Es::models...>;
};

struct shape {
    bool limit = false;
    bool offset = false;
    bool distinct = false;
};

template <class T>
struct joined_models;
template <class... J>
struct joined_models<std::tuple<J...>> {
    using type = detail::type_list<typename J::model_type...>;
};

template <class Model, class Joins>
inline constexpr bool is_left_joined = false;
template <class Model, class... J>
inline constexpr bool is_left_joined<Model, std::tuple<J...>> =
    ((std::is_same_v<Model, typename J::model_type> && J::kind == join_kind::left) || ...);

template <class Exec, class Projection, class From, class Joins, class Where, class GroupBy,
          class Having, class OrderBy, shape Shape>
class select_query {
public:
    using models = detail::concat_t<detail::type_list<From>, typename joined_models<Joins>::type>;

    /// Only FROM, joins and WHERE shape the rows: counting them needs no subquery.
    static constexpr bool is_plain_filter = !Shape.limit && !Shape.offset && !Shape.distinct &&
                                            std::tuple_size_v<GroupBy> == 0 &&
                                            !is_condition_present<Having>;

    select_query(Exec* exec, Projection p, Joins j = {}, Where w = {}, GroupBy g = {},
                 Having h = {}, OrderBy o = {}, std::int64_t limit = 0, std::int64_t offset = 0)
        : exec_(exec), projection_(std::move(p)), joins_(std::move(j)), where_(std::move(w)),
          group_(std::move(g)), having_(std::move(h)), order_(std::move(o)), limit_(limit),
          offset_(offset) {}

    // ---- clauses ------------------------------------------------------------------------

    template <expression E>
    auto where(E condition) const {
        detail::check_where<typename E::models, models>();
        if constexpr (is_condition_present<Where>) {
            using W = binary<op::and_, Where, E>;
            return rebuild<Projection, Joins, W, GroupBy, Having, OrderBy, Shape>(
                projection_, joins_, W{{}, where_, std::move(condition)}, group_, having_, order_);
        } else {
            return rebuild<Projection, Joins, E, GroupBy, Having, OrderBy, Shape>(
                projection_, joins_, std::move(condition), group_, having_, order_);
        }
    }

    template <model_type M, expression On>
    auto join(On on) const {
        return add_join<M, join_kind::inner>(std::move(on));
    }
    template <model_type M, expression On>
    auto left_join(On on) const {
        return add_join<M, join_kind::left>(std::move(on));
    }

    template <class... Terms>
    auto order_by(Terms... terms) const {
        (detail::check_order_by<typename Terms::models, models>(), ...);
        using O = decltype(std::tuple_cat(order_, std::tuple<Terms...>{terms...}));
        return rebuild<Projection, Joins, Where, GroupBy, Having, O, Shape>(
            projection_, joins_, where_, group_, having_,
            std::tuple_cat(order_, std::tuple<Terms...>{terms...}));
    }

    template <value_expression... Es>
    auto group_by(Es... es) const {
        (detail::check_group_by<typename Es::models, models>(), ...);
        using G = decltype(std::tuple_cat(group_, std::tuple<Es...>{es...}));
        return rebuild<Projection, Joins, Where, G, Having, OrderBy, Shape>(
            projection_, joins_, where_, std::tuple_cat(group_, std::tuple<Es...>{es...}), having_,
            order_);
    }

    template <expression E>
    auto having(E condition) const {
        detail::check_having<typename E::models, models>();
        detail::check_having_once<Having>();
        return rebuild<Projection, Joins, Where, GroupBy, E, OrderBy, Shape>(
            projection_, joins_, where_, group_, std::move(condition), order_);
    }

    auto limit(std::int64_t n) const {
        auto q = rebuild<Projection, Joins, Where, GroupBy, Having, OrderBy,
                         shape{true, Shape.offset, Shape.distinct}>(projection_, joins_, where_,
                                                                    group_, having_, order_);
        q.limit_ = n;
        q.offset_ = offset_;
        return q;
    }
    auto offset(std::int64_t n) const {
        auto q = rebuild<Projection, Joins, Where, GroupBy, Having, OrderBy,
                         shape{Shape.limit, true, Shape.distinct}>(projection_, joins_, where_,
                                                                   group_, having_, order_);
        q.limit_ = limit_;
        q.offset_ = n;
        return q;
    }
    auto distinct() const {
        auto q = rebuild<Projection, Joins, Where, GroupBy, Having, OrderBy,
                         shape{Shape.limit, Shape.offset, true}>(projection_, joins_, where_,
                                                                 group_, having_, order_);
        q.limit_ = limit_;
        q.offset_ = offset_;
        return q;
    }

    /// Rows of chosen columns come back as Into, an aggregate whose fields match them in order.
    template <class Into>
    auto into() const {
        detail::check_into_after_columns<is_column_projection>();
        return into_impl<Into>(projection_);
    }

    // ---- rendering and binding -----------------------------------------------------------

    template <class Dialect>
    const std::string& sql() const {
        static const std::string text = render<Dialect>();
        return text;
    }

    template <class Dialect>
    std::string render() const {
        detail::check_select_list<typename projection_models<Projection>::type, models>();
        render_context<Dialect> ctx;
        ctx.text(Shape.distinct ? "SELECT DISTINCT " : "SELECT ");
        render_projection(ctx, projection_);
        render_from(ctx);
        if constexpr (std::tuple_size_v<GroupBy> != 0) {
            ctx.text(" GROUP BY ");
            render_list(ctx, group_);
        }
        if constexpr (is_condition_present<Having>) {
            ctx.text(" HAVING ");
            having_.render(ctx);
        }
        if constexpr (std::tuple_size_v<OrderBy> != 0) {
            ctx.text(" ORDER BY ");
            render_list(ctx, order_);
        }
        if constexpr (Shape.limit) {
            ctx.text(" LIMIT ");
            ctx.placeholder();
        } else if constexpr (Shape.offset && Dialect::offset_needs_limit) {
            ctx.text(" LIMIT -1");  // SQLite accepts OFFSET only after a LIMIT; -1 is none
        }
        if constexpr (Shape.offset) {
            ctx.text(" OFFSET ");
            ctx.placeholder();
        }
        return std::move(ctx.sql);
    }

    /// FROM, joins and WHERE: shared with count() and exists().
    template <class Ctx>
    void render_from(Ctx& ctx) const {
        ctx.text(" FROM ");
        ctx.identifier(model<From>::table_name);
        std::apply([&](const auto&... j) { (render_join(ctx, j), ...); }, joins_);
        if constexpr (is_condition_present<Where>) {
            ctx.text(" WHERE ");
            where_.render(ctx);
        }
    }

    /// SELECT COUNT(*) over the rows all() would return: over FROM/joins/WHERE directly when
    /// only they shape the rows, else over the whole query as a subquery.
    template <class Dialect>
    std::string render_count() const {
        render_context<Dialect> ctx;
        if constexpr (is_plain_filter) {
            ctx.text("SELECT COUNT(*)");
            render_from(ctx);
        } else {
            ctx.text("SELECT COUNT(*) FROM (");
            ctx.text(render<Dialect>());
            ctx.text(") AS retort_counted");
        }
        return std::move(ctx.sql);
    }
    /// SELECT EXISTS (...) over the rows all() would return.
    template <class Dialect>
    std::string render_exists() const {
        render_context<Dialect> ctx;
        ctx.text("SELECT EXISTS (");
        if constexpr (is_plain_filter) {
            ctx.text("SELECT 1");
            render_from(ctx);
        } else {
            ctx.text(render<Dialect>());
        }
        ctx.text(")");
        return std::move(ctx.sql);
    }
    /// Binds the parameters of render_count() / render_exists().
    template <class B>
    void bind_wrapped(B& b) const {
        if constexpr (is_plain_filter)
            bind_from(b);
        else
            bind(b);
    }

    template <class B>
    void bind(B& b) const {
        bind_from(b);
        if constexpr (is_condition_present<Having>) having_.bind(b);
        if constexpr (Shape.limit) b.bind(limit_);
        if constexpr (Shape.offset) b.bind(offset_);
    }
    template <class B>
    void bind_from(B& b) const {
        std::apply([&](const auto&... j) { (j.on.bind(b), ...); }, joins_);
        where_.bind(b);
    }

    /// Decodes one result row into the query's row type.
    template <class Row>
    auto read_row(const Row& row) const {
        return read_projection(row, static_cast<Projection*>(nullptr));
    }

    // ---- terminals ----------------------------------------------------------------------

    auto all() const {
        using row_type = decltype(read_row(std::declval<const typename Exec::row_type&>()));
        std::vector<row_type> rows;
        exec_->run(*this, [&](const auto& row) { rows.push_back(read_row(row)); });
        return rows;
    }

    /// Calls f(row) for each row without collecting them.
    template <class F>
    std::int64_t for_each(F&& f) const {
        return exec_->run(*this, [&](const auto& row) { f(read_row(row)); });
    }

    auto first() const {
        auto rows = limit(1).all();
        using row_type = typename decltype(rows)::value_type;
        return rows.empty() ? std::optional<row_type>{}
                            : std::optional<row_type>{std::move(rows[0])};
    }

    /// Exactly one row, or programming_error.
    auto one() const {
        auto rows = limit(2).all();
        if (rows.size() != 1)
            throw programming_error("retort: one() expected exactly one row, got " +
                                    std::string(rows.empty() ? "none" : "more than one"));
        return std::move(rows[0]);
    }

    /// SELECT COUNT(*) over the same FROM / joins / WHERE.
    std::int64_t count() const { return exec_->count(*this); }
    /// SELECT EXISTS(SELECT 1 ...) over the same FROM / joins / WHERE.
    bool exists() const { return exec_->exists(*this); }

    /// The single value of a single-column, single-row query (an aggregate, say).
    auto scalar() const {
        static_assert(is_column_projection, "retort: scalar() follows select(expression)");
        auto row = one();
        return std::get<0>(row);
    }

private:
    template <class, class, class, class, class, class, class, class, shape>
    friend class select_query;

    static constexpr bool is_column_projection =
        !std::is_same_v<Projection, model_projection<>> && requires(Projection p) {
        p.exprs;
    };

    template <class P, class J, class W, class G, class H, class O, shape S>
    select_query<Exec, P, From, J, W, G, H, O, S> rebuild(P p, J j, W w, G g, H h, O o) const {
        return {exec_,        std::move(p), std::move(j), std::move(w), std::move(g),
                std::move(h), std::move(o), limit_,       offset_};
    }

    template <model_type M, join_kind Kind, class On>
    auto add_join(On on) const {
        using J = decltype(std::tuple_cat(joins_, std::tuple<join_clause<M, Kind, On>>{}));
        using joined = detail::concat_t<models, detail::type_list<M>>;
        detail::check_join_condition<typename On::models, joined>();
        return rebuild<Projection, J, Where, GroupBy, Having, OrderBy, Shape>(
            projection_,
            std::tuple_cat(joins_, std::tuple<join_clause<M, Kind, On>>{{std::move(on)}}), where_,
            group_, having_, order_);
    }

    template <class Into, class... Es>
    auto into_impl(const column_projection<void, Es...>& p) const {
        using values = std::tuple<typename Es::value_type...>;
        static_assert(boost::pfr::tuple_size_v<Into> == sizeof...(Es) &&
                          fits<Into, values>(std::index_sequence_for<Es...>{}),
                      "retort: the struct given to into<S>() does not fit the selected columns "
                      "(it needs one field per column, of the column's type, in order)");
        return rebuild<column_projection<Into, Es...>, Joins, Where, GroupBy, Having, OrderBy,
                       Shape>(column_projection<Into, Es...>{p.exprs}, joins_, where_, group_,
                              having_, order_);
    }

    template <class Into, class Values, std::size_t... I>
    static constexpr bool fits(std::index_sequence<I...>) {
        if constexpr (sizeof...(I) != boost::pfr::tuple_size_v<Into>)
            return false;
        else
            return (std::is_same_v<boost::pfr::tuple_element_t<I, Into>,
                                   std::tuple_element_t<I, Values>> &&
                    ...);
    }

    template <class Ctx, class J>
    static void render_join(Ctx& ctx, const J& j) {
        ctx.text(J::kind == join_kind::left ? " LEFT JOIN " : " INNER JOIN ");
        ctx.identifier(model<typename J::model_type>::table_name);
        ctx.text(" ON ");
        j.on.render(ctx);
    }

    template <class Ctx, class Tuple>
    static void render_list(Ctx& ctx, const Tuple& t) {
        std::apply(
            [&](const auto&... e) {
                bool first = true;
                ((ctx.text(first ? "" : ", "), e.render(ctx), first = false), ...);
            },
            t);
    }

    template <class Ctx, class... Ms>
    static void render_projection(Ctx& ctx, const model_projection<Ms...>&) {
        bool first = true;
        ((ctx.text(first ? "" : ", "), render_model_columns<Ms>(ctx), first = false), ...);
    }
    template <class Ctx, class Into, class... Es>
    static void render_projection(Ctx& ctx, const column_projection<Into, Es...>& p) {
        render_list(ctx, p.exprs);
    }

    template <class M, class Row>
    auto read_one_model(const Row& row, int offset) const {
        if constexpr (is_left_joined<M, Joins>)
            return read_optional_model<M>(row, offset);
        else
            return read_model<M>(row, offset);
    }

    template <class Row, class M>
    auto read_projection(const Row& row, model_projection<M>*) const {
        return read_model<M>(row, 0);
    }
    template <class Row, class M1, class M2, class... Ms>
    auto read_projection(const Row& row, model_projection<M1, M2, Ms...>*) const {
        constexpr int sizes[] = {static_cast<int>(model<M1>::size),
                                 static_cast<int>(model<M2>::size),
                                 static_cast<int>(model<Ms>::size)...};
        return read_models<M1, M2, Ms...>(row, sizes, std::index_sequence_for<M1, M2, Ms...>{});
    }
    template <class... Ms, class Row, std::size_t... I>
    auto read_models(const Row& row, const int* sizes, std::index_sequence<I...>) const {
        int offsets[sizeof...(I)]{};
        for (std::size_t k = 1; k < sizeof...(I); ++k) offsets[k] = offsets[k - 1] + sizes[k - 1];
        return std::tuple{read_one_model<Ms>(row, offsets[I])...};
    }
    template <class Row, class Into, class... Es>
    auto read_projection(const Row& row, column_projection<Into, Es...>*) const {
        return read_columns<Into, Es...>(row, std::index_sequence_for<Es...>{});
    }
    template <class Into, class... Es, class Row, std::size_t... I>
    auto read_columns(const Row& row, std::index_sequence<I...>) const {
        if constexpr (std::is_void_v<Into>)
            return std::tuple<typename Es::value_type...>{
                read_as<typename Es::value_type>(row, static_cast<int>(I))...};
        else
            return Into{read_as<typename Es::value_type>(row, static_cast<int>(I))...};
    }

    Exec* exec_;
    Projection projection_;
    Joins joins_;
    Where where_;
    GroupBy group_;
    Having having_;
    OrderBy order_;
    std::int64_t limit_;
    std::int64_t offset_;
};

template <class Exec, model_type... Ms>
auto select_models(Exec* exec) {
    using From = std::tuple_element_t<0, std::tuple<Ms...>>;
    return select_query<Exec, model_projection<Ms...>, From, std::tuple<>, no_condition,
                        std::tuple<>, no_condition, std::tuple<>, shape{}>(exec, {});
}

template <class E>
struct from_model_of {
    using type = void;
};
template <auto M>
struct from_model_of<column_ref<M>> {
    using type = typename column_ref<M>::model_type;
};
template <aggregate_fn Fn, class E>
struct from_model_of<aggregate<Fn, E>> : from_model_of<E> {};

template <class... Es>
struct first_model;
template <class E, class... Es>
struct first_model<E, Es...> {
    using type =
        std::conditional_t<std::is_void_v<typename from_model_of<E>::type>,
                           typename first_model<Es...>::type, typename from_model_of<E>::type>;
};
template <>
struct first_model<> {
    using type = void;
};

template <class From, class Exec, value_expression... Es>
auto select_columns(Exec* exec, Es... es) {
    static_assert(!std::is_void_v<From>,
                  "retort: select(...) needs at least one column to know its table; use "
                  "select_from<Model>(...)");
    return select_query<Exec, column_projection<void, Es...>, From, std::tuple<>, no_condition,
                        std::tuple<>, no_condition, std::tuple<>, shape{}>(exec, {{es...}});
}

}  // namespace retort::query
