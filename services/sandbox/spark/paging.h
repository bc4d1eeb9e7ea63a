#pragma once
// Webex's paging, written once for every listing. `max` caps a page (absent: the listing's
// default); the rest is reached by following the `Link: <absolute url>; rel="next"` header, whose
// URL repeats the request's parameters with `max` and an opaque keyset `cursor`: the sort key and
// id of the last item shown, so the next page resumes strictly after it even when items were
// added or moved meanwhile.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "reply.h"

namespace sb::sandbox::spark {

struct PageSize {
    int fallback;  // when the query gives no `max`
    int limit;     // the largest `max` accepted
};
inline constexpr PageSize kListPageSize{100, 1000};
inline constexpr PageSize kMessagePageSize{50, 1000};

// `max`: absent or empty → the fallback; otherwise a whole number in [1, limit]; nothing for
// anything else.
std::optional<int> read_max(const Query& query, PageSize size);
// The 400 a bad `max` gets.
Reply bad_max(PageSize size);

// Where the last item shown sits in a listing's order.
struct Position {
    std::string key;  // the listing's sort key ("" when it sorts by id alone)
    std::string id;
};
std::string encode_cursor(const Position& position);
std::optional<Position> decode_cursor(const std::string& cursor);

// The next page's query string: the request's parameters with `cursor` and `max` set, empty
// values left out, values percent-encoded.
std::string next_page_query(Query query, const Position& last, int max);

// The Link header's value for the next page: `<base_url + path ? next_query>; rel="next"`.
std::string next_link(const std::string& base_url, const std::string& path,
                      const std::string& next_query);

// A creation sequence number as a sort key: zero-padded, so keys order as the numbers do.
std::string sequence_key(std::uint64_t seq);

enum class Order { ascending, descending };

// One page of `sorted` (already in (key, id) order per `order`) after the query's cursor: its
// items rendered into {"items": [...]}, with the next page's query when more remain. A cursor
// that does not decode is a 400.
template <class Item, class KeyOf, class Render>
Reply page_reply(const std::vector<const Item*>& sorted, const Query& query, int max, Order order,
                 KeyOf key_of, Render render) {
    size_t start = 0;
    const std::string cursor = query_value(query, "cursor");
    if (!cursor.empty()) {
        const auto last = decode_cursor(cursor);
        if (!last) return fail(400, "Invalid cursor.");
        const auto after = [&](const Item* item) {
            const std::string key = key_of(*item);
            const auto mine = std::tie(key, item->id);
            const auto theirs = std::tie(last->key, last->id);
            return order == Order::descending ? mine < theirs : mine > theirs;
        };
        start =
            static_cast<size_t>(std::find_if(sorted.begin(), sorted.end(), after) - sorted.begin());
    }
    const size_t end = std::min(sorted.size(), start + static_cast<size_t>(max));
    Reply reply;
    nlohmann::json items = nlohmann::json::array();
    for (size_t i = start; i < end; ++i) items.push_back(render(*sorted[i]));
    if (end < sorted.size() && end > start) {
        const Item& shown_last = *sorted[end - 1];
        reply.next_query = next_page_query(query, {key_of(shown_last), shown_last.id}, max);
    }
    reply.body = {{"items", items}};
    return reply;
}

}  // namespace sb::sandbox::spark
