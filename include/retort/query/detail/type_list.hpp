// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

#include <type_traits>

namespace retort::query::detail {

template <class... Ts>
struct type_list {};

template <class... Ls>
struct concat;
template <>
struct concat<> {
    using type = type_list<>;
};
template <class... As>
struct concat<type_list<As...>> {
    using type = type_list<As...>;
};
template <class... As, class... Bs, class... Rest>
struct concat<type_list<As...>, type_list<Bs...>, Rest...> {
    using type = typename concat<type_list<As..., Bs...>, Rest...>::type;
};
template <class... Ls>
using concat_t = typename concat<Ls...>::type;

template <class T, class List>
inline constexpr bool contains = false;
template <class T, class... Ts>
inline constexpr bool contains<T, type_list<Ts...>> = (std::is_same_v<T, Ts> || ...);

template <class Sub, class Super>
inline constexpr bool is_subset = false;
template <class... Ts, class Super>
inline constexpr bool is_subset<type_list<Ts...>, Super> = (contains<Ts, Super> && ...);

}  // namespace retort::query::detail
