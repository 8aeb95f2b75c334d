// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// RETORT_FOR_EACH(M, ctx, a, b, c) expands to M(ctx, a) M(ctx, b) M(ctx, c), for up to 64
// arguments, using C++20 __VA_OPT__ recursion instead of a numbered table.

#define RETORT_PP_PARENS ()
#define RETORT_PP_EXPAND(...) RETORT_PP_EXPAND4(RETORT_PP_EXPAND4(RETORT_PP_EXPAND4(__VA_ARGS__)))
#define RETORT_PP_EXPAND4(...) RETORT_PP_EXPAND3(RETORT_PP_EXPAND3(RETORT_PP_EXPAND3(__VA_ARGS__)))
#define RETORT_PP_EXPAND3(...) RETORT_PP_EXPAND2(RETORT_PP_EXPAND2(RETORT_PP_EXPAND2(__VA_ARGS__)))
#define RETORT_PP_EXPAND2(...) RETORT_PP_EXPAND1(RETORT_PP_EXPAND1(RETORT_PP_EXPAND1(__VA_ARGS__)))
#define RETORT_PP_EXPAND1(...) __VA_ARGS__

#define RETORT_FOR_EACH(macro, ctx, ...)                                                           \
    __VA_OPT__(RETORT_PP_EXPAND(RETORT_PP_FOR_EACH_STEP(macro, ctx, __VA_ARGS__)))
#define RETORT_PP_FOR_EACH_STEP(macro, ctx, first, ...)                                            \
    macro(ctx, first) __VA_OPT__(RETORT_PP_FOR_EACH_AGAIN RETORT_PP_PARENS(macro, ctx, __VA_ARGS__))
#define RETORT_PP_FOR_EACH_AGAIN() RETORT_PP_FOR_EACH_STEP

#define RETORT_PP_UNPAREN(...) __VA_ARGS__
#define RETORT_PP_STRINGIZE(x) #x
