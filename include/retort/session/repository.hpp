// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// A generic repository over one model, on a session the caller owns: the service layer decides
// where a unit of work begins and ends, the repository only reads and writes.

#include <retort/session/session.hpp>

#include <cstdint>
#include <optional>
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
        return session_->template select<T>().order_by(key_order()).limit(p.limit).offset(p.offset).all();
    }
    /// Rows matching `filter`, in key order.
    template <query::expression E>
    std::vector<T> list(E filter, page p = {}) {
        return session_->template select<T>()
            .where(std::move(filter))
            .order_by(key_order())
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
    static auto key_order() {
        return asc(col<model<T>::template field<model<T>::primary_key[0]>::member>);
    }
    Session* session_;
};

}  // namespace retort
