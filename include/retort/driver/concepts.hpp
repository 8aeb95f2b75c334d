// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The shape every driver has, as concepts: what the query layer may rely on, checked against
// retort::driver::sqlite and retort::driver::postgres by the driver tests.

#include <retort/driver/callbacks.hpp>
#include <retort/driver/log_hook.hpp>
#include <retort/schema/types.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace retort::driver {

/// Binds parameters 1, 2, 3... in call order, one overload per storage type.
template <class B>
concept parameter_binder = requires(B& b, const blob& data, const json& document,
                                    const std::vector<std::string>& texts,
                                    const std::vector<std::int64_t>& ints) {
    b.bind(true);
    b.bind(std::int16_t{});
    b.bind(std::int32_t{});
    b.bind(std::int64_t{});
    b.bind(float{});
    b.bind(double{});
    b.bind(std::string_view{});
    b.bind(data);
    b.bind(timestamp{});
    b.bind(local_timestamp{});
    b.bind(date{});
    b.bind(document);
    b.bind(texts);
    b.bind(ints);
    b.bind_null(logical_type::text);
    { b.count() } -> std::same_as<int>;
};

/// One result row: get<T> for every storage type T.
template <class R>
concept result_row = requires(const R& r, int column) {
    { r.size() } -> std::same_as<int>;
    { r.is_null(column) } -> std::same_as<bool>;
    { r.template get<std::int64_t>(column) } -> std::same_as<std::int64_t>;
    { r.template get<std::string>(column) } -> std::same_as<std::string>;
    { r.column_name(column) } -> std::same_as<std::string_view>;
};

/// A move-only connection with a statement cache.
template <class C>
concept database_connection =
    std::move_constructible<C> && !std::copy_constructible<C> &&
    std::is_nothrow_move_assignable_v<C> && parameter_binder<typename C::binder_type> &&
    result_row<typename C::row_type> &&
    requires(C & c, const C& const_c, std::string_view sql, const typename C::options_type& opts,
             log_hook hook, void* context) {
    C{opts};
    { c.execute(sql, no_parameters{}, discard_rows{}) } -> std::same_as<std::int64_t>;
    c.execute_script(sql);
    { const_c.server_version() } -> std::same_as<std::string>;
    { const_c.is_open() } -> std::same_as<bool>;
    { const_c.in_transaction() } -> std::same_as<bool>;
    { const_c.transaction_failed() } -> std::same_as<bool>;
    { const_c.cached_statements() } -> std::same_as<std::size_t>;
    c.clear_statement_cache();
    c.set_log_hook(hook, context);
    { c.native_handle() } -> std::same_as<typename C::native_handle_type>;
};

}  // namespace retort::driver
