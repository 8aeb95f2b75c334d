// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Masking secrets in DATABASE_URL text, for messages and logs. A URL that parsed is masked
// exactly (its password and secret query values); text that did not parse is masked
// generously, since nobody can tell where its password ends.

#include <retort/session/detail/url_text.hpp>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace retort::detail {

inline constexpr std::string_view url_mask = "***";

/// How one `key=value` item of a query is shown.
enum class query_item { shown, secret_value, hidden };

/// Classifies `item`, given whether a secret came before it (updated). After a secret, an item
/// without a key, or with a key that is not a known parameter, is hidden whole: it is most
/// likely the rest of the secret, cut at an unencoded '&'.
inline query_item classify_query_item(std::string_view item, bool& after_secret) {
    const auto eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0)
        return after_secret && !item.empty() ? query_item::hidden : query_item::shown;
    const std::string_view key = item.substr(0, eq);
    if (is_secret_key(key)) {
        after_secret = true;
        return query_item::secret_value;
    }
    if (after_secret && !is_known_parameter(key)) return query_item::hidden;
    after_secret = false;
    return query_item::shown;
}

/// Appends the query `q` (the text after '?') with secret values and hidden items masked.
inline void append_masked_query(std::string& out, std::string_view q) {
    bool after_secret = false;
    for (bool first = true;; first = false) {
        const auto amp = q.find('&');
        const std::string_view item = q.substr(0, amp);
        if (!first) out += '&';
        switch (classify_query_item(item, after_secret)) {
        case query_item::shown: out.append(item); break;
        case query_item::secret_value:
            out.append(item.substr(0, item.find('=') + 1));
            out += url_mask;
            break;
        case query_item::hidden: out += url_mask; break;
        }
        if (amp == std::string_view::npos) return;
        q.remove_prefix(amp + 1);
    }
}

/// The spans [first, last) of the query `q`, which starts at `offset` of the whole text, that
/// append_masked_query masks.
inline void secret_query_spans(std::string_view q, std::size_t offset,
                               std::vector<std::pair<std::size_t, std::size_t>>& spans) {
    bool after_secret = false;
    for (std::size_t start = 0; start <= q.size();) {
        const auto amp = std::min(q.find('&', start), q.size());
        const std::string_view item = q.substr(start, amp - start);
        switch (classify_query_item(item, after_secret)) {
        case query_item::shown: break;
        case query_item::secret_value:
            spans.emplace_back(offset + start + item.find('=') + 1, offset + amp);
            break;
        case query_item::hidden: spans.emplace_back(offset + start, offset + amp); break;
        }
        start = amp + 1;
    }
}

/// Masks text that did not parse as a URL, where nobody can tell where a password ends: text
/// without a scheme is not shown at all; otherwise the union of: everything between the first ':'
/// after the scheme and the last '@' (where a password would be, whatever it holds unencoded);
/// secret query values, reading the query from the first '?' and from the first '?' after the last
/// '@'; a '#' fragment after the last
/// '@'.
inline std::string mask_unparsed_url(std::string_view url) {
    const auto scheme = url.find("://");
    // Without a scheme this may be libpq's `key=value` form, or anything: never shown.
    if (scheme == std::string_view::npos || !is_scheme(url.substr(0, scheme)))
        return "(not shown: it does not start with a scheme such as postgresql://)";
    const std::size_t from = scheme + 3;
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    const auto at = url.rfind('@');
    const bool has_at = at != std::string_view::npos && at >= from;
    if (has_at)
        if (const auto colon = url.find(':', from); colon < at) spans.emplace_back(colon + 1, at);
    const std::size_t host_part = has_at ? at : from;
    const auto hash = url.find('#', host_part);
    const std::string_view before_hash = url.substr(0, hash);
    for (const std::size_t search_from : {from, host_part})
        if (const auto q = before_hash.find('?', search_from); q != std::string_view::npos)
            secret_query_spans(before_hash.substr(q + 1), q + 1, spans);
    if (hash != std::string_view::npos) spans.emplace_back(hash + 1, url.size());

    std::sort(spans.begin(), spans.end());
    std::string out;
    std::size_t done = 0;
    for (const auto& [first, last] : spans) {
        if (first >= done) {
            out.append(url.substr(done, first - done));
            out += url_mask;
        }
        done = std::max(done, last);  // overlapping spans are masked once
    }
    out.append(url.substr(std::min(done, url.size())));
    return out;
}

}  // namespace retort::detail
