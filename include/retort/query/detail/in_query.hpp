// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Each clause checks that the columns it names belong to the query's models, and that it comes
// where it may. The checks are functions of the query's types alone, not of the session type:
// under db.visit(...) a query is compiled once per backend, and its mistake is still reported
// once.

#include <retort/query/detail/type_list.hpp>
#include <retort/query/expr.hpp>

namespace retort::query::detail {

template <class Named, class InQuery>
constexpr void check_where() {
    static_assert(is_subset<Named, InQuery>,
                  "retort: the condition names a column of a model that is not in the query "
                  "(add it with join<Model>(...))");
}
template <class Named, class InQuery>
constexpr void check_statement_where() {  // UPDATE and DELETE: one table, no join
    static_assert(is_subset<Named, InQuery>,
                  "retort: the condition names a column of a model that is not in the query");
}
template <class Named, class InQuery>
constexpr void check_join_condition() {
    static_assert(is_subset<Named, InQuery>,
                  "retort: the join condition names a column of a model that is not in the query");
}
template <class Named, class InQuery>
constexpr void check_order_by() {
    static_assert(is_subset<Named, InQuery>,
                  "retort: order_by names a column of a model that is not in the query (add it "
                  "with join<Model>(...))");
}
template <class Named, class InQuery>
constexpr void check_group_by() {
    static_assert(is_subset<Named, InQuery>,
                  "retort: group_by names a column of a model that is not in the query (add it "
                  "with join<Model>(...))");
}
template <class Named, class InQuery>
constexpr void check_having() {
    static_assert(is_subset<Named, InQuery>,
                  "retort: having names a column of a model that is not in the query (add it "
                  "with join<Model>(...))");
}
template <class Named, class InQuery>
constexpr void check_select_list() {
    static_assert(is_subset<Named, InQuery>,
                  "retort: the select list names a column of a model that is not in the query "
                  "(add it with join<Model>(...))");
}

template <class Having>
constexpr void check_having_once() {
    static_assert(!is_condition_present<Having>, "retort: having() is given once");
}

template <bool after_columns>
constexpr void check_into_after_columns() {
    static_assert(after_columns, "retort: into<S>() follows select(columns...)");
}

}  // namespace retort::query::detail
