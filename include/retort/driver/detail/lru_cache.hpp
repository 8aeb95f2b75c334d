// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// A map from text to a value that holds at most `capacity` entries and gives up the least
// recently used one first: the raw-SQL tier of a connection's statement cache. Entries live in
// list nodes, so a reference to a cached value stays valid while other entries come and go
// (SQLite keeps stepping a statement while its row callback runs other SQL).

#include <cstddef>
#include <functional>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace retort::driver::detail {

template <class Value>
class lru_cache {
public:
    explicit lru_cache(std::size_t capacity) : capacity_(capacity) {}

    std::size_t capacity() const noexcept { return capacity_; }
    std::size_t size() const noexcept { return entries_.size(); }
    bool full() const noexcept { return entries_.size() >= capacity_; }

    /// The value cached under `key`, which becomes the most recently used; nullptr if none.
    Value* find(std::string_view key) {
        const auto found = index_.find(key);
        if (found == index_.end()) return nullptr;
        entries_.splice(entries_.begin(), entries_, found->second);
        return &found->second->value;
    }

    /// Caches `value` under `key`, which is not cached yet, as the most recently used. Making
    /// room first (evict) is the caller's part: it knows which values may go.
    Value& insert(std::string key, Value value) {
        entries_.push_front(entry{std::move(key), std::move(value)});
        try {
            index_.emplace(entries_.front().key, entries_.begin());
        } catch (...) {
            entries_.pop_front();
            throw;
        }
        return entries_.front().value;
    }

    /// Removes the least recently used entry whose value `may_go` accepts and returns its
    /// value; nullopt when it accepts none.
    template <class Predicate>
    std::optional<Value> evict(Predicate may_go) {
        for (auto it = entries_.end(); it != entries_.begin();) {
            --it;
            if (may_go(std::as_const(it->value))) return remove(it);
        }
        return std::nullopt;
    }

    /// Removes the entry cached under `key` and returns its value; nullopt if none.
    std::optional<Value> erase(std::string_view key) {
        const auto found = index_.find(key);
        if (found == index_.end()) return std::nullopt;
        return remove(found->second);
    }

    /// Hands every value to `take` (least recently used first), then empties the cache.
    template <class Take>
    void drain(Take take) {
        for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) take(it->value);
        clear();
    }

    /// Removes the entries whose value `may_go` accepts.
    template <class Predicate>
    void erase_if(Predicate may_go) {
        for (auto it = entries_.begin(); it != entries_.end();) {
            const auto next = std::next(it);
            if (may_go(std::as_const(it->value))) remove(it);
            it = next;
        }
    }

    void clear() noexcept {
        index_.clear();
        entries_.clear();
    }

private:
    struct entry {
        std::string key;  // the index's views point into it: it never changes or moves
        Value value;
    };
    using position = typename std::list<entry>::iterator;

    Value remove(position it) {
        Value value = std::move(it->value);
        index_.erase(std::string_view{it->key});
        entries_.erase(it);
        return value;
    }

    std::size_t capacity_;
    std::list<entry> entries_;  // the most recently used first
    std::unordered_map<std::string_view, position> index_;
};

}  // namespace retort::driver::detail
