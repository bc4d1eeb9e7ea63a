#include "paging.h"

#include <cstdio>

#include "switchboard/text.h"
#include "webex_ids.h"

namespace sb::sandbox::spark {

std::optional<int> read_max(const Query& query, PageSize size) {
    const std::string text = query_value(query, "max");
    if (text.empty()) return size.fallback;
    if (text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos) {
        return std::nullopt;
    }
    const int value = std::stoi(text);
    if (value < 1 || value > size.limit) return std::nullopt;
    return value;
}

Reply bad_max(PageSize size) {
    return fail(400, "max must be a number from 1 to " + std::to_string(size.limit) + ".");
}

std::string encode_cursor(const Position& position) {
    return base64url_encode(position.key + '\n' + position.id);
}

std::optional<Position> decode_cursor(const std::string& cursor) {
    const auto decoded = base64url_decode(cursor);
    if (!decoded) return std::nullopt;
    const auto split = decoded->find('\n');
    if (split == std::string::npos) return std::nullopt;
    return Position{decoded->substr(0, split), decoded->substr(split + 1)};
}

std::string sequence_key(std::uint64_t seq) {
    char key[24];
    std::snprintf(key, sizeof key, "%020llu", static_cast<unsigned long long>(seq));
    return key;
}

std::string next_page_query(Query query, const Position& last, int max) {
    query["cursor"] = encode_cursor(last);
    query["max"] = std::to_string(max);
    std::string out;
    for (const auto& [name, value] : query) {
        if (value.empty()) continue;
        if (!out.empty()) out += '&';
        out += name + '=' + percent_encode(value);
    }
    return out;
}

std::string next_link(const std::string& base_url, const std::string& path,
                      const std::string& next_query) {
    return "<" + base_url + path + "?" + next_query + ">; rel=\"next\"";
}

}  // namespace sb::sandbox::spark
