// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The statements a session runs by primary key (get, insert, update, delete, upsert), rendered
// once per model and dialect into static strings; and the UPDATE ... SET ... WHERE and
// DELETE ... WHERE builders.

#include <retort/query/decode.hpp>
#include <retort/query/detail/in_query.hpp>
#include <retort/query/expr.hpp>

#include <cstdint>
#include <string>
#include <tuple>
#include <utility>

namespace retort::query {

template <model_type T>
constexpr bool is_key_field(std::size_t i) {
    for (std::size_t k : model<T>::primary_key)
        if (k == i) return true;
    return false;
}

/// Whether a session ever writes the field: a computed column is the database's alone.
template <model_type T>
constexpr bool is_written_field(std::size_t i) {
    bool computed = false;
    model<T>::for_each_field([&](auto f) {
        if (f.value == i) computed = model<T>::template field<f.value>::is_computed;
    });
    return !computed;
}

/// INSERT leaves out a database-generated key, and computed columns.
template <model_type T>
constexpr bool is_inserted_field(std::size_t i) {
    return is_written_field<T>(i) &&
           !(model<T>::has_generated_key && i == model<T>::primary_key[0]);
}

/// What UPDATE ... SET assigns: every written column but the key.
template <model_type T>
constexpr bool is_updated_field(std::size_t i) {
    return is_written_field<T>(i) && !is_key_field<T>(i);
}

template <model_type T>
constexpr std::size_t updated_field_count() {
    std::size_t n = 0;
    for (std::size_t i = 0; i < model<T>::size; ++i) n += is_updated_field<T>(i) ? 1 : 0;
    return n;
}

template <model_type T, class Ctx>
void render_key_condition(Ctx& ctx) {
    bool first = true;
    model<T>::for_each_key_field([&](auto i) {
        if (!first) ctx.text(" AND ");
        first = false;
        ctx.column(model<T>::table_name, model<T>::template field<i.value>::name);
        ctx.text(" = ");
        ctx.placeholder();
    });
}

template <model_type T, bool WithGeneratedKey = false, class Ctx>
void render_insert(Ctx& ctx) {
    ctx.qualify_columns = false;
    ctx.text("INSERT INTO ");
    ctx.identifier(model<T>::table_name);
    ctx.text(" (");
    bool first = true;
    constexpr auto inserted = [](std::size_t i) {
        return WithGeneratedKey ? is_written_field<T>(i) : is_inserted_field<T>(i);
    };
    model<T>::for_each_field([&](auto i) {
        if (!inserted(i.value)) return;
        if (!first) ctx.text(", ");
        first = false;
        ctx.identifier(model<T>::template field<i.value>::name);
    });
    ctx.text(") VALUES (");
    first = true;
    model<T>::for_each_field([&](auto i) {
        if (!inserted(i.value)) return;
        if (!first) ctx.text(", ");
        first = false;
        ctx.placeholder();
    });
    ctx.text(")");
}

/// INSERT, with RETURNING of the generated key where the dialect needs it to learn the key.
template <model_type T, class D>
const std::string& insert_sql() {
    static const std::string text = [] {
        render_context<D> ctx;
        render_insert<T>(ctx);
        if constexpr (model<T>::has_generated_key && D::numbered_placeholders) {
            ctx.text(" RETURNING ");
            ctx.identifier(model<T>::template field<model<T>::primary_key[0]>::name);
        }
        return std::move(ctx.sql);
    }();
    return text;
}

/// INSERT ... ON CONFLICT (key) DO UPDATE SET every other column (both dialects' syntax). The
/// key is always inserted, generated or not: the row is identified by it.
template <model_type T, class D>
const std::string& upsert_sql() {
    static const std::string text = [] {
        render_context<D> ctx;
        render_insert<T, true>(ctx);
        ctx.text(" ON CONFLICT (");
        bool first = true;
        model<T>::for_each_key_field([&](auto i) {
            if (!first) ctx.text(", ");
            first = false;
            ctx.identifier(model<T>::template field<i.value>::name);
        });
        ctx.text(") DO ");
        bool any = false;
        model<T>::for_each_field([&](auto i) {
            if (!is_updated_field<T>(i.value)) return;
            ctx.text(any ? ", " : "UPDATE SET ");
            any = true;
            ctx.identifier(model<T>::template field<i.value>::name);
            ctx.text(" = excluded.");
            ctx.identifier(model<T>::template field<i.value>::name);
        });
        if (!any) ctx.text("NOTHING");
        return std::move(ctx.sql);
    }();
    return text;
}

template <model_type T, class D>
const std::string& select_by_key_sql() {
    static const std::string text = [] {
        render_context<D> ctx;
        ctx.text("SELECT ");
        render_model_columns<T>(ctx);
        ctx.text(" FROM ");
        ctx.identifier(model<T>::table_name);
        ctx.text(" WHERE ");
        render_key_condition<T>(ctx);
        return std::move(ctx.sql);
    }();
    return text;
}

template <model_type T, class D>
const std::string& update_by_key_sql() {
    static const std::string text = [] {
        render_context<D> ctx;
        ctx.qualify_columns = false;
        ctx.text("UPDATE ");
        ctx.identifier(model<T>::table_name);
        bool any = false;
        model<T>::for_each_field([&](auto i) {
            if (!is_updated_field<T>(i.value)) return;
            ctx.text(any ? ", " : " SET ");
            any = true;
            ctx.identifier(model<T>::template field<i.value>::name);
            ctx.text(" = ");
            ctx.placeholder();
        });
        ctx.text(" WHERE ");
        render_key_condition<T>(ctx);
        return std::move(ctx.sql);
    }();
    return text;
}

template <model_type T, class D>
const std::string& delete_by_key_sql() {
    static const std::string text = [] {
        render_context<D> ctx;
        ctx.qualify_columns = false;
        ctx.text("DELETE FROM ");
        ctx.identifier(model<T>::table_name);
        ctx.text(" WHERE ");
        render_key_condition<T>(ctx);
        return std::move(ctx.sql);
    }();
    return text;
}

// ---- binding a whole model ---------------------------------------------------------------

template <model_type T, class B>
void bind_insert_values(B& b, const T& obj) {
    model<T>::for_each_field([&](auto i) {
        if constexpr (is_inserted_field<T>(i.value))
            bind_for_column(b, model<T>::template field<i.value>::postgres_type,
                            model<T>::template field<i.value>::get(obj));
    });
}

/// Every written column, the key included (an upsert).
template <model_type T, class B>
void bind_all_values(B& b, const T& obj) {
    model<T>::for_each_field([&](auto i) {
        if constexpr (is_written_field<T>(i.value))
            bind_for_column(b, model<T>::template field<i.value>::postgres_type,
                            model<T>::template field<i.value>::get(obj));
    });
}

template <model_type T, class B>
void bind_non_key_values(B& b, const T& obj) {
    model<T>::for_each_field([&](auto i) {
        if constexpr (is_updated_field<T>(i.value))
            bind_for_column(b, model<T>::template field<i.value>::postgres_type,
                            model<T>::template field<i.value>::get(obj));
    });
}

template <model_type T, class B>
void bind_key_values(B& b, const T& obj) {
    model<T>::for_each_key_field([&](auto i) {
        bind_for_column(b, model<T>::template field<i.value>::postgres_type,
                        model<T>::template field<i.value>::get(obj));
    });
}

/// The C++ type of a model's key: the field's type, or a tuple for a composite key.
template <model_type T>
struct key_of {
    template <std::size_t... K>
    static auto make(std::index_sequence<K...>)
        -> std::tuple<typename model<T>::template field<model<T>::primary_key[K]>::value_type...>;
    using tuple_type = decltype(make(std::make_index_sequence<model<T>::primary_key.size()>{}));
    using type = std::conditional_t<std::tuple_size_v<tuple_type> == 1,
                                    std::tuple_element_t<0, tuple_type>, tuple_type>;
};
template <model_type T>
using key_t = typename key_of<T>::type;

template <model_type T, class B, class Key>
void bind_key(B& b, const Key& key) {
    using M = model<T>;
    if constexpr (M::primary_key.size() == 1)
        bind_for_column(
            b, M::template field<M::primary_key[0]>::postgres_type,
            static_cast<const std::tuple_element_t<0, typename key_of<T>::tuple_type>&>(key));
    else
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            (bind_for_column(b, M::template field<M::primary_key[K]>::postgres_type,
                             std::get<K>(key)),
             ...);
        }
    (std::make_index_sequence<M::primary_key.size()>{});
}

// ---- UPDATE ... SET ... WHERE and DELETE ... WHERE ----------------------------------------

template <auto Member, class V>
struct assignment {
    using column = column_ref<Member>;
    V value;
};

namespace detail {
/// set()'s checks, a function of the model, column and value alone (reported once under
/// db.visit(...)).
template <class T, class C, class V>
constexpr void check_assignment() {
    static_assert(std::is_same_v<typename C::model_type, T>,
                  "retort: set() names a column of another model than the one updated");
    if constexpr (std::is_same_v<typename C::model_type, T>)
        static_assert(!model<T>::template field<C::index>::is_computed,
                      "retort: set() names a computed column, which the database computes: "
                      "it cannot be assigned");
    static_assert(compatible_value<typename C::value_type, V>() ||
                      (optional_type<typename C::value_type> &&
                       std::is_same_v<std::remove_cvref_t<V>, std::nullopt_t>),
                  "retort: assigning a value of a different type to a column");
}
}  // namespace detail

template <class Exec, model_type T, class Assignments, class Where>
class update_query {
public:
    update_query(Exec* exec, Assignments a = {}, Where w = {})
        : exec_(exec), assignments_(std::move(a)), where_(std::move(w)) {}

    /// SET column = value; call once per column.
    template <auto Member, class V>
    auto set(column_ref<Member>, V&& value) const {
        using C = column_ref<Member>;
        detail::check_assignment<T, C, V>();
        using held = std::conditional_t<std::is_same_v<std::remove_cvref_t<V>, std::nullopt_t>,
                                        typename C::value_type, typename C::value_type>;
        auto a = std::tuple_cat(
            assignments_, std::tuple<assignment<Member, held>>{{held(std::forward<V>(value))}});
        return update_query<Exec, T, decltype(a), Where>(exec_, std::move(a), where_);
    }

    template <expression E>
    auto where(E condition) const {
        detail::check_statement_where<typename E::models, detail::type_list<T>>();
        if constexpr (is_condition_present<Where>) {
            using W = binary<op::and_, Where, E>;
            return update_query<Exec, T, Assignments, W>(exec_, assignments_,
                                                         W{{}, where_, std::move(condition)});
        } else {
            return update_query<Exec, T, Assignments, E>(exec_, assignments_, std::move(condition));
        }
    }

    template <class Dialect>
    const std::string& sql() const {
        static_assert(std::tuple_size_v<Assignments> > 0,
                      "retort: an update needs at least one set()");
        static const std::string text = [&] {
            render_context<Dialect> ctx;
            ctx.text("UPDATE ");
            ctx.identifier(model<T>::table_name);
            ctx.text(" SET ");
            ctx.qualify_columns = false;
            std::apply(
                [&](const auto&... a) {
                    bool first = true;
                    ((ctx.text(first ? "" : ", "), render_assignment(ctx, a), first = false), ...);
                },
                assignments_);
            ctx.qualify_columns = true;
            if constexpr (is_condition_present<Where>) {
                ctx.text(" WHERE ");
                where_.render(ctx);
            }
            return std::move(ctx.sql);
        }();
        return text;
    }

    template <class B>
    void bind(B& b) const {
        std::apply(
            [&](const auto&... a) {
                (bind_for_column(b, std::remove_cvref_t<decltype(a)>::column::postgres_type,
                                 a.value),
                 ...);
            },
            assignments_);
        where_.bind(b);
    }

    /// Runs the update; returns the number of rows changed.
    std::int64_t execute() const { return exec_->execute_statement(*this); }

private:
    template <class Ctx, class A>
    static void render_assignment(Ctx& ctx, const A&) {
        ctx.identifier(A::column::name);
        ctx.text(" = ");
        ctx.placeholder();
    }

    Exec* exec_;
    Assignments assignments_;
    Where where_;
};

template <class Exec, model_type T, class Where>
class delete_query {
public:
    explicit delete_query(Exec* exec, Where w = {}) : exec_(exec), where_(std::move(w)) {}

    template <expression E>
    auto where(E condition) const {
        detail::check_statement_where<typename E::models, detail::type_list<T>>();
        if constexpr (is_condition_present<Where>) {
            using W = binary<op::and_, Where, E>;
            return delete_query<Exec, T, W>(exec_, W{{}, where_, std::move(condition)});
        } else {
            return delete_query<Exec, T, E>(exec_, std::move(condition));
        }
    }

    template <class Dialect>
    const std::string& sql() const {
        static const std::string text = [&] {
            render_context<Dialect> ctx;
            ctx.text("DELETE FROM ");
            ctx.identifier(model<T>::table_name);
            if constexpr (is_condition_present<Where>) {
                ctx.text(" WHERE ");
                where_.render(ctx);
            }
            return std::move(ctx.sql);
        }();
        return text;
    }

    template <class B>
    void bind(B& b) const {
        where_.bind(b);
    }

    /// Runs the delete; returns the number of rows removed.
    std::int64_t execute() const { return exec_->execute_statement(*this); }

private:
    Exec* exec_;
    Where where_;
};

}  // namespace retort::query
