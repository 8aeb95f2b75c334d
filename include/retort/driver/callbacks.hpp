// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Ready-made callables for connection::execute when a statement takes no parameters or its
// rows are not wanted.

namespace retort::driver {

/// A bind callable that binds nothing.
struct no_parameters {
    template <class Binder>
    constexpr void operator()(Binder&) const noexcept {}
};

/// An on_row callable that ignores every row.
struct discard_rows {
    template <class Row>
    constexpr void operator()(Row&) const noexcept {}
};

}  // namespace retort::driver
