// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// A bounds-checked cursor over one binary value from the server. Decoders throw decode_error
// with a short reason; row::get adds the column and rethrows it as a programming_error.

#include <retort/driver/postgres/detail/big_endian.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string_view>

namespace retort::driver::postgres::detail {

class decode_error : public std::exception {
public:
    explicit decode_error(const char* reason) noexcept : reason_(reason) {}
    const char* what() const noexcept override { return reason_; }

private:
    const char* reason_;
};

class binary_reader {
public:
    explicit binary_reader(std::string_view bytes) noexcept : bytes_(bytes) {}

    std::int16_t int16() { return static_cast<std::int16_t>(next<std::uint16_t>()); }
    std::uint16_t uint16() { return next<std::uint16_t>(); }
    std::int32_t int32() { return static_cast<std::int32_t>(next<std::uint32_t>()); }
    std::uint32_t uint32() { return next<std::uint32_t>(); }
    std::int64_t int64() { return static_cast<std::int64_t>(next<std::uint64_t>()); }
    std::uint64_t uint64() { return next<std::uint64_t>(); }

    std::string_view bytes(std::size_t size) {
        if (bytes_.size() < size) throw decode_error("the value is shorter than its type requires");
        const auto taken = bytes_.substr(0, size);
        bytes_.remove_prefix(size);
        return taken;
    }

    bool at_end() const noexcept { return bytes_.empty(); }

    /// For fixed-size values: what was read must be all there was.
    void expect_end() const {
        if (!bytes_.empty()) throw decode_error("the value is longer than its type allows");
    }

private:
    template <class U>
    U next() {
        return load_big_endian<U>(bytes(sizeof(U)).data());
    }

    std::string_view bytes_;
};

}  // namespace retort::driver::postgres::detail
