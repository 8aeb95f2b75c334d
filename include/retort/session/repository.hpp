// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// A generic repository over one model, on a session the caller owns: the service layer decides
// where a unit of work begins and ends, the repository only reads and writes.

#include <retort/session/session.hpp>

#include <cstdint>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

namespace retort {

/// A window of rows: LIMIT and OFFSET.
struct page {
    std::int64_t limit = 100;
    std::int64_t offset = 0;
};

template <model_type T, class Session>
class repository {
public:
    using key_type = query::key_t<T>;

    explicit repository(Session& session) : session_(&session) {}

    std::optional<T> get(const key_type& key) { return session_->template get<T>(key); }

    /// Rows in key order.
    std::vector<T> list(page p = {}) {
        return std::apply([&](auto... o) { return session_->template select<T>().order_by(o...); },
                          key_order())
            .limit(p.limit)
            .offset(p.offset)
            .all();
    }
    /// Rows matching `filter`, in key order.
    template <query::expression E>
    std::vector<T> list(E filter, page p = {}) {
        auto q = session_->template select<T>().where(std::move(filter));
        return std::apply([&](auto... o) { return q.order_by(o...); }, key_order())
            .limit(p.limit)
            .offset(p.offset)
            .all();
    }

    key_type add(T& obj) { return session_->insert(obj); }
    bool update(const T& obj) { return session_->update(obj); }
    bool remove(const T& obj) { return session_->remove(obj); }
    bool remove_by_key(const key_type& key) { return session_->template remove_by_key<T>(key); }

    std::int64_t count() { return session_->template select<T>().count(); }
    template <query::expression E>
    std::int64_t count(E filter) {
        return session_->template select<T>().where(std::move(filter)).count();
    }
    bool exists(const key_type& key) { return get(key).has_value(); }
    template <query::expression E>
    bool exists_where(E filter) {
        return session_->template select<T>().where(std::move(filter)).exists();
    }

    Session& session() { return *session_; }

private:
    /// Every key column, in key order, so pages over a composite key neither overlap nor skip.
    static auto key_order() {
        return key_order(std::make_index_sequence<model<T>::primary_key.size()>{});
    }
    template <std::size_t... K>
    static auto key_order(std::index_sequence<K...>) {
        return std::tuple{asc(col<model<T>::template field<model<T>::primary_key[K]>::member>)...};
    }
    Session* session_;
};

}  // namespace retort
