// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

namespace retort::driver::detail {

// A static_assert(false) that only fires when the enclosing template is instantiated.
template <class>
inline constexpr bool always_false = false;

}  // namespace retort::driver::detail
