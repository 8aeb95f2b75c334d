// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// A bind callable that says how many values it binds. A driver that knows the statement's
// parameter count before binding (SQLite, once prepared) checks it there: otherwise the binder
// stops at the first value too many, and the error could not say how many were given.

#include <type_traits>

namespace retort::driver::detail {

template <class Bind>
struct counted_bind {
    int count;
    Bind bind;

    template <class Binder>
    void operator()(Binder& binder) const {
        bind(binder);
    }
};

template <class T>
inline constexpr bool is_counted = false;
template <class Bind>
inline constexpr bool is_counted<counted_bind<Bind>> = true;

/// True for a counted_bind, however it is referenced.
template <class T>
inline constexpr bool is_counted_bind = is_counted<std::remove_cvref_t<T>>;

}  // namespace retort::driver::detail
