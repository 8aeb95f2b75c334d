// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The parameter arrays PQprepare and PQexecPrepared take, built by the binder. The connection
// owns one set and clears it per execution, so after the first few statements binding
// fixed-size values allocates nothing: every vector keeps its capacity.
//
// Values are encoded into one byte buffer. It may move while it grows, so values are recorded
// as offsets, and finish() turns them into the pointers libpq reads.

#include <retort/error.hpp>

#include <libpq-fe.h>

#include <climits>
#include <cstddef>
#include <span>
#include <vector>

namespace retort::driver::postgres::detail {

class parameters {
public:
    void clear() noexcept {
        types_.clear();
        offsets_.clear();
        lengths_.clear();
        formats_.clear();
        bytes_.clear();
    }

    /// Adds a binary value of `size` bytes and returns where to write it; the pointer is valid
    /// until the next add.
    char* add(Oid type, std::size_t size) { return add(type, size, 1); }

    /// Adds a value in text form with no type (OID 0): the server gives it the type its place
    /// in the statement asks for (a column of type inet, a domain, an enum) and parses the text
    /// as a literal of that type.
    /// Text parameters end at a NUL (libpq ignores their length), so one is appended.
    char* add_untyped_text(std::size_t size) {
        char* out = add(0, size + 1, 0);
        out[size] = '\0';
        return out;
    }

    void add_null(Oid type) {
        types_.push_back(type);
        offsets_.push_back(null_offset);
        lengths_.push_back(0);
        formats_.push_back(1);
    }

    /// Points values() into the byte buffer; call once every value is added.
    void finish() {
        // A zero-length value still needs a non-null pointer: null means SQL NULL.
        static constexpr char empty[1] = {};
        const char* base = bytes_.empty() ? empty : bytes_.data();
        values_.resize(offsets_.size());
        for (std::size_t i = 0; i < offsets_.size(); ++i)
            values_[i] = offsets_[i] == null_offset ? nullptr : base + offsets_[i];
    }

    int count() const noexcept { return static_cast<int>(types_.size()); }
    std::span<const Oid> types() const noexcept { return types_; }
    const char* const* values() const noexcept { return values_.data(); }
    const int* lengths() const noexcept { return lengths_.data(); }
    const int* formats() const noexcept { return formats_.data(); }

private:
    static constexpr std::size_t null_offset = static_cast<std::size_t>(-1);

    // format: 1 binary, 0 text
    char* add(Oid type, std::size_t size, int format) {
        if (size > static_cast<std::size_t>(INT_MAX))
            throw programming_error(
                "retort: a parameter is larger than PostgreSQL accepts (2 GiB)");
        const std::size_t offset = bytes_.size();
        bytes_.resize(offset + size);
        types_.push_back(type);
        offsets_.push_back(offset);
        lengths_.push_back(static_cast<int>(size));
        formats_.push_back(format);
        return bytes_.data() + offset;
    }

    std::vector<Oid> types_;
    std::vector<std::size_t> offsets_;
    std::vector<int> lengths_;
    std::vector<const char*> values_;
    std::vector<int> formats_;
    std::vector<char> bytes_;
};

}  // namespace retort::driver::postgres::detail
