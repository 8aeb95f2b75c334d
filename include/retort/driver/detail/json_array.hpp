// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Arrays of strings and of integers as JSON array text, for databases without array types
// (SQLite). Written compactly (`["a","b\"c"]`, `[1,-2]`) with every character JSON requires
// escaped, so that SQLite's json functions read them; read back with any JSON whitespace and
// escape, \uXXXX surrogate pairs included. Strings are bytes: UTF-8 passes through untouched.

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort::driver::detail {

inline void append_json_string(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (const char c : text) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                const auto byte = static_cast<unsigned char>(c);
                out += "\\u00";
                out += hex[byte >> 4];
                out += hex[byte & 0xF];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

/// Replaces `out` with `values` as a JSON array of strings (reusing its capacity).
inline void write_json_array(std::string& out, const std::vector<std::string>& values) {
    out.assign(1, '[');
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i != 0) out += ',';
        append_json_string(out, values[i]);
    }
    out += ']';
}

/// Replaces `out` with `values` as a JSON array of integers (reusing its capacity).
inline void write_json_array(std::string& out, const std::vector<std::int64_t>& values) {
    out.assign(1, '[');
    char digits[24];
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i != 0) out += ',';
        const auto end = std::to_chars(digits, digits + sizeof digits, values[i]).ptr;
        out.append(digits, end);
    }
    out += ']';
}

/// A cursor over JSON text that reads just what arrays of strings or integers need.
class json_array_reader {
public:
    explicit json_array_reader(std::string_view text) noexcept : text_(text) {}

    // Reads `[`, then calls read_element(*this) for each element until `]`; true when the
    // whole text was one well-formed array.
    template <class ReadElement>
    bool read_array(ReadElement&& read_element) {
        if (!consume('[')) return false;
        if (!consume(']')) {
            do {
                if (!read_element(*this)) return false;
            } while (consume(','));
            if (!consume(']')) return false;
        }
        skip_whitespace();
        return pos_ == text_.size();
    }

    bool read_string(std::string& out) {
        if (!consume('"')) return false;
        out.clear();
        while (pos_ < text_.size()) {
            const char c = text_[pos_++];
            if (c == '"') return true;
            if (static_cast<unsigned char>(c) < 0x20)
                return false;  // raw control characters are not JSON
            if (c != '\\') {
                out += c;
                continue;
            }
            if (pos_ == text_.size()) return false;
            switch (text_[pos_++]) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u':
                if (!read_unicode_escape(out)) return false;
                break;
            default: return false;
            }
        }
        return false;  // unterminated
    }

    bool read_integer(std::int64_t& value) {
        skip_whitespace();
        const char* first = text_.data() + pos_;
        const char* last = text_.data() + text_.size();
        const auto [end, ec] = std::from_chars(first, last, value);
        if (ec != std::errc{} || (end != last && (*end == '.' || *end == 'e' || *end == 'E')))
            return false;
        pos_ += static_cast<std::size_t>(end - first);
        return true;
    }

private:
    void skip_whitespace() noexcept {
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                       text_[pos_] == '\n' || text_[pos_] == '\r'))
            ++pos_;
    }

    bool consume(char expected) noexcept {
        skip_whitespace();
        if (pos_ < text_.size() && text_[pos_] == expected) {
            ++pos_;
            return true;
        }
        return false;
    }

    bool read_hex4(std::uint32_t& value) noexcept {
        if (text_.size() - pos_ < 4) return false;
        value = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = text_[pos_++];
            std::uint32_t digit = 0;
            if (c >= '0' && c <= '9')
                digit = static_cast<std::uint32_t>(c - '0');
            else if (c >= 'a' && c <= 'f')
                digit = static_cast<std::uint32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                digit = static_cast<std::uint32_t>(c - 'A' + 10);
            else
                return false;
            value = value << 4 | digit;
        }
        return true;
    }

    // After `\u`: one code point, or a surrogate pair written as two escapes, as UTF-8.
    bool read_unicode_escape(std::string& out) {
        std::uint32_t code = 0;
        if (!read_hex4(code) || (code >= 0xDC00 && code <= 0xDFFF)) return false;
        if (code >= 0xD800 && code <= 0xDBFF) {
            std::uint32_t low = 0;
            if (text_.substr(pos_, 2) != "\\u") return false;
            pos_ += 2;
            if (!read_hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(out, code);
        return true;
    }

    static void append_utf8(std::string& out, std::uint32_t code) {
        const auto byte = [](std::uint32_t bits) { return static_cast<char>(bits); };
        if (code < 0x80) {
            out += byte(code);
        } else if (code < 0x800) {
            out += byte(0xC0 | code >> 6);
            out += byte(0x80 | (code & 0x3F));
        } else if (code < 0x10000) {
            out += byte(0xE0 | code >> 12);
            out += byte(0x80 | (code >> 6 & 0x3F));
            out += byte(0x80 | (code & 0x3F));
        } else {
            out += byte(0xF0 | code >> 18);
            out += byte(0x80 | (code >> 12 & 0x3F));
            out += byte(0x80 | (code >> 6 & 0x3F));
            out += byte(0x80 | (code & 0x3F));
        }
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

/// A JSON array of strings; nullopt when the text is anything else (NULL elements included).
inline std::optional<std::vector<std::string>> parse_json_string_array(std::string_view text) {
    std::vector<std::string> values;
    json_array_reader reader{text};
    const bool ok = reader.read_array(
        [&values](json_array_reader& r) { return r.read_string(values.emplace_back()); });
    if (!ok) return std::nullopt;
    return values;
}

/// A JSON array of integers that fit in 64 bits; nullopt when the text is anything else.
inline std::optional<std::vector<std::int64_t>> parse_json_int_array(std::string_view text) {
    std::vector<std::int64_t> values;
    json_array_reader reader{text};
    const bool ok = reader.read_array(
        [&values](json_array_reader& r) { return r.read_integer(values.emplace_back()); });
    if (!ok) return std::nullopt;
    return values;
}

}  // namespace retort::driver::detail
