#pragma once
// Decisions of the HTTP edge about a request before any handler sees it, as pure functions:
// where the head ends, whether its framing (Content-Length, Transfer-Encoding) is acceptable,
// and where a chunked body ends. The edge's connection loop (http_edge_server.h) calls these on
// the bytes it has buffered, so a request is handed to a worker only once it is whole, and a bad
// one is answered at once instead of after a read timeout.
#include <cstddef>
#include <string>
#include <string_view>

namespace sb::http_edge {

// Heads larger than this are refused (431); cpp-httplib's own limit is 8 KiB per line.
inline constexpr size_t kMaxHeadBytes = 16 * 1024;

// The offset just past the blank line ending the head in `buffered`, or npos while it is not
// there yet. `scanned` is how many bytes an earlier call already searched (they are not
// searched again), so a head that trickles in a byte at a time costs linear time.
size_t head_end(std::string_view buffered, size_t scanned = 0);

enum class Framing {
    none,     // no body
    length,   // Content-Length bytes follow the head
    chunked,  // Transfer-Encoding: chunked
};

struct HeadVerdict {
    int status = 0;      // 0: acceptable; otherwise answer this at once and close
    std::string reason;  // for the answer and the log, when status != 0
    Framing framing = Framing::none;
    size_t content_length = 0;
    bool expect_continue = false;  // "Expect: 100-continue" with a body to come
};

// Judges a complete head (request line, header lines, blank line) against the body cap:
// - Content-Length must be digits only and the same in every copy (400), at most
//   `max_body_bytes` (413, also for one too large to represent);
// - Transfer-Encoding other than exactly "chunked" is 400; together with Content-Length, 400;
// - POST, PUT and PATCH need one of the two (411); GET, HEAD, OPTIONS and the like carry none
//   (400 when they announce one, since cpp-httplib would read it as the next request).
HeadVerdict judge_head(std::string_view head, size_t max_body_bytes);

// The head without its Expect header lines: the edge answers "100 Continue" itself, so the
// library must not answer it a second time once the body is already read.
std::string without_expect(std::string_view head);

// Progress through a chunked body that arrives piece by piece: each call resumes where the
// last complete chunk ended.
struct ChunkedScan {
    enum class State { incomplete, complete, invalid, too_large };
    State state = State::incomplete;
    size_t offset = 0;   // of the next chunk's size line, from the start of the body
    size_t decoded = 0;  // data bytes in the chunks passed so far
};

// Advances `scan` over `body` (everything buffered after the head). When complete, scan.offset
// is just past the body's final CRLF. Chunk extensions are allowed; trailers are not (cpp-httplib
// 0.11.4 rejects them too); a size line over 1 KiB or more data than `max_body_bytes` ends it.
void scan_chunked(std::string_view body, size_t max_body_bytes, ChunkedScan& scan);

// A complete HTTP/1.1 answer that closes the connection: {"error": reason} with `status`.
std::string error_response(int status, std::string_view reason);

}  // namespace sb::http_edge
