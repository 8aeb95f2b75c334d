// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Reads a row (or part of one) straight into a model, field by field, through its member
// pointers; and renders a model's column list.

#include <retort/query/render.hpp>
#include <retort/query/values.hpp>
#include <retort/reflect/model.hpp>

#include <optional>
#include <tuple>

namespace retort::query {

template <model_type T, class Row>
void read_model(const Row& row, int offset, T& out) {
    model<T>::for_each_field([&](auto i) {
        using F = typename model<T>::template field<i.value>;
        read_value(row, offset + static_cast<int>(i.value), F::get(out));
    });
}

template <model_type T, class Row>
T read_model(const Row& row, int offset = 0) {
    T out{};
    read_model(row, offset, out);
    return out;
}

/// A left-joined model is absent when its first key column is NULL.
template <model_type T, class Row>
std::optional<T> read_optional_model(const Row& row, int offset) {
    if (row.is_null(offset + static_cast<int>(model<T>::primary_key[0]))) return std::nullopt;
    return read_model<T>(row, offset);
}

template <model_type T, class Ctx>
void render_model_columns(Ctx& ctx) {
    model<T>::for_each_field([&](auto i) {
        if (i.value) ctx.text(", ");
        ctx.column(model<T>::table_name, model<T>::template field<i.value>::name);
    });
}

}  // namespace retort::query
