// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// SQL text that lives as long as the program: a string literal, or a function-local static
// std::string such as the text the query layer renders once per query type. A connection caches
// the statement of such a text by the text's address (no hashing of the text) and never evicts
// it; raw SQL built at run time goes through the bounded cache instead. The type is public (the
// drivers' execute() takes it) but lives here with the caches it feeds.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace retort::driver {

class static_sql {
public:
    /// A string literal, or another array with static storage: consteval refuses a local one.
    template <std::size_t N>
    consteval explicit static_sql(const char (&literal)[N]) : text_(literal, N - 1) {
        if (literal[N - 1] != '\0') throw "retort: static_sql needs a NUL-terminated text";
    }
    /// A std::string that outlives every connection using it (a function-local static).
    explicit static_sql(const std::string& text) noexcept : text_(text) {}
    // A temporary's address would later hold other text, which would find this statement.
    explicit static_sql(std::string&&) = delete;

    std::string_view text() const noexcept { return text_; }
    /// NUL-terminated, as both sources are.
    const char* c_str() const noexcept { return text_.data(); }

    /// Identity, not content: the same storage (the size is compared too, as a cheap guard).
    friend bool operator==(static_sql a, static_sql b) noexcept {
        return a.text_.data() == b.text_.data() && a.text_.size() == b.text_.size();
    }

    /// Hashes the address only.
    struct address_hash {
        std::size_t operator()(static_sql sql) const noexcept {
            return std::hash<const void*>{}(sql.text_.data());
        }
    };

private:
    std::string_view text_;
};

}  // namespace retort::driver
