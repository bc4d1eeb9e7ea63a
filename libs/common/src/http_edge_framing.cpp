#include "switchboard/http_edge_framing.h"

#include <strings.h>

#include <nlohmann/json.hpp>

namespace sb::http_edge {
namespace {

constexpr size_t kMaxChunkSizeLine = 1024;

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool all_digits(std::string_view text) {
    if (text.empty()) return false;
    for (const char c : text) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

// Calls `visit(name, value)` for each header line of `head` (after the request line).
template <class Visit>
void for_each_header(std::string_view head, Visit visit) {
    size_t at = head.find("\r\n");
    while (at != std::string_view::npos) {
        at += 2;
        const size_t end = head.find("\r\n", at);
        if (end == std::string_view::npos || end == at) return;
        const std::string_view line = head.substr(at, end - at);
        const size_t colon = line.find(':');
        if (colon != std::string_view::npos) {
            visit(line.substr(0, colon), trim(line.substr(colon + 1)));
        }
        at = end;
    }
}

HeadVerdict refuse(int status, std::string reason) {
    HeadVerdict verdict;
    verdict.status = status;
    verdict.reason = std::move(reason);
    return verdict;
}

const char* status_text(int status) {
    switch (status) {
        case 400:
            return "Bad Request";
        case 408:
            return "Request Timeout";
        case 411:
            return "Length Required";
        case 413:
            return "Payload Too Large";
        case 431:
            return "Request Header Fields Too Large";
        case 501:
            return "Not Implemented";
        case 503:
            return "Service Unavailable";
        default:
            return "Error";
    }
}

}  // namespace

size_t head_end(std::string_view buffered, size_t scanned) {
    const size_t from = scanned >= 3 ? scanned - 3 : 0;
    const size_t found = buffered.find("\r\n\r\n", from);
    return found == std::string_view::npos ? std::string_view::npos : found + 4;
}

HeadVerdict judge_head(std::string_view head, size_t max_body_bytes) {
    const std::string_view method = head.substr(0, head.find(' '));
    bool has_length = false;
    std::string_view length_text;
    int encodings = 0;
    std::string_view encoding;
    bool expect_continue = false;
    bool conflicting_lengths = false;
    for_each_header(head, [&](std::string_view name, std::string_view value) {
        if (equals_ignoring_case(name, "Content-Length")) {
            if (has_length && value != length_text) conflicting_lengths = true;
            has_length = true;
            length_text = value;
        } else if (equals_ignoring_case(name, "Transfer-Encoding")) {
            ++encodings;
            encoding = value;
        } else if (equals_ignoring_case(name, "Expect")) {
            expect_continue = equals_ignoring_case(value, "100-continue");
        }
    });

    HeadVerdict verdict;
    if (encodings > 0) {
        // cpp-httplib URL-decodes header values: a '%' could smuggle "chunked" past this check.
        // RFC 9112 suggests 501 here; a 400 instead, because the fault is the client's and a
        // 5xx reads as the service failing (monitoring, the edge's promise of no 5xx from input).
        if (encodings > 1 || !equals_ignoring_case(encoding, "chunked")) {
            return refuse(400, "unsupported Transfer-Encoding (only chunked is)");
        }
        if (has_length) return refuse(400, "both Content-Length and Transfer-Encoding");
        verdict.framing = Framing::chunked;
    } else if (has_length) {
        if (conflicting_lengths) return refuse(400, "conflicting Content-Length headers");
        if (!all_digits(length_text)) return refuse(400, "Content-Length is not a number");
        const std::string_view significant =
            length_text.substr(std::min(length_text.find_first_not_of('0'), length_text.size()));
        if (significant.size() > 15) return refuse(413, "request body too large");
        const auto length = static_cast<size_t>(std::stoull(std::string(length_text)));
        if (length > max_body_bytes) return refuse(413, "request body too large");
        verdict.content_length = length;
        verdict.framing = length > 0 ? Framing::length : Framing::none;
    }

    const bool body_method = method == "POST" || method == "PUT" || method == "PATCH";
    const bool may_have_body = body_method || method == "DELETE" || method == "PRI";
    if (body_method && encodings == 0 && !has_length) {
        return refuse(411, "a body needs Content-Length or chunked Transfer-Encoding");
    }
    if (!may_have_body && verdict.framing != Framing::none) {
        return refuse(400, "this method carries no body");
    }
    verdict.expect_continue = expect_continue && verdict.framing != Framing::none;
    return verdict;
}

std::string without_expect(std::string_view head) {
    std::string kept;
    kept.reserve(head.size());
    size_t at = 0;
    while (at < head.size()) {
        size_t end = head.find("\r\n", at);
        end = end == std::string_view::npos ? head.size() : end + 2;
        const std::string_view line = head.substr(at, end - at);
        const size_t colon = line.find(':');
        const bool is_expect = at > 0 && colon != std::string_view::npos &&
                               equals_ignoring_case(line.substr(0, colon), "Expect");
        if (!is_expect) kept.append(line);
        at = end;
    }
    return kept;
}

void scan_chunked(std::string_view body, size_t max_body_bytes, ChunkedScan& scan) {
    using State = ChunkedScan::State;
    while (scan.state == State::incomplete) {
        const std::string_view rest = body.substr(scan.offset);
        const size_t line_end = rest.find("\r\n");
        if (line_end == std::string_view::npos) {
            if (rest.size() > kMaxChunkSizeLine) scan.state = State::invalid;
            return;
        }
        if (line_end > kMaxChunkSizeLine) {
            scan.state = State::invalid;
            return;
        }
        // The size in hex, then optional ";extension" (ignored).
        const std::string_view line = rest.substr(0, line_end);
        const std::string_view digits = trim(line.substr(0, line.find(';')));
        if (digits.empty() || digits.size() > 8 ||
            digits.find_first_not_of("0123456789abcdefABCDEF") != std::string_view::npos) {
            scan.state = digits.size() > 8 && digits.find_first_not_of("0123456789abcdefABCDEF") ==
                                                  std::string_view::npos
                             ? State::too_large
                             : State::invalid;
            return;
        }
        const size_t size = std::stoul(std::string(digits), nullptr, 16);
        if (scan.decoded + size > max_body_bytes) {
            scan.state = State::too_large;
            return;
        }
        const size_t data_at = line_end + 2;
        if (size == 0) {
            // The last chunk: no trailers, just the final CRLF.
            if (rest.size() < data_at + 2) return;
            if (rest.substr(data_at, 2) != "\r\n") {
                scan.state = State::invalid;
                return;
            }
            scan.offset += data_at + 2;
            scan.state = State::complete;
            return;
        }
        if (rest.size() < data_at + size + 2) return;
        if (rest.substr(data_at + size, 2) != "\r\n") {
            scan.state = State::invalid;
            return;
        }
        scan.decoded += size;
        scan.offset += data_at + size + 2;
    }
}

std::string error_response(int status, std::string_view reason) {
    const std::string body = nlohmann::json{{"error", std::string(reason)}}.dump();
    return "HTTP/1.1 " + std::to_string(status) + " " + status_text(status) +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
}

}  // namespace sb::http_edge
