// The edge's decisions about a request's head and body framing, table-tested without sockets.
#include "switchboard/http_edge_framing.h"

#include <doctest/doctest.h>

#include <string>

using namespace sb::http_edge;

namespace {

std::string head(const std::string& request_line, const std::string& headers) {
    return request_line + "\r\nHost: x\r\n" + headers + "\r\n";
}

}  // namespace

TEST_CASE("head_end finds the blank line, also when the head arrives a byte at a time") {
    const std::string whole = "GET / HTTP/1.1\r\nHost: x\r\n\r\nBODY";
    CHECK(head_end(whole) == whole.size() - 4);
    CHECK(head_end("GET / HTTP/1.1\r\nHost: x\r\n") == std::string::npos);
    size_t scanned = 0;
    size_t found = std::string::npos;
    for (size_t n = 1; n <= whole.size() && found == std::string::npos; ++n) {
        found = head_end(std::string_view(whole).substr(0, n), scanned);
        scanned = n;
    }
    CHECK(found == whole.size() - 4);
}

TEST_CASE(
    "judge_head: framing that cannot be served is answered at once, with the fitting status") {
    struct Case {
        std::string request_line;
        std::string headers;
        int status;
        Framing framing;
        size_t length;
    };
    const size_t max = 1000;
    const Case cases[] = {
        {"GET /healthz HTTP/1.1", "", 0, Framing::none, 0},
        {"GET / HTTP/1.1", "Content-Length: 0\r\n", 0, Framing::none, 0},
        {"POST /api HTTP/1.1", "Content-Length: 12\r\n", 0, Framing::length, 12},
        {"POST /api HTTP/1.1", "content-length:  1000 \r\n", 0, Framing::length, 1000},
        {"POST /api HTTP/1.1", "Content-Length: 0\r\n", 0, Framing::none, 0},
        {"POST /api HTTP/1.1", "Transfer-Encoding: chunked\r\n", 0, Framing::chunked, 0},
        {"POST /api HTTP/1.1", "Transfer-Encoding: Chunked\r\n", 0, Framing::chunked, 0},
        {"DELETE /x HTTP/1.1", "", 0, Framing::none, 0},
        {"POST /api HTTP/1.1", "", 411, Framing::none, 0},
        {"PUT /api HTTP/1.1", "", 411, Framing::none, 0},
        {"POST /api HTTP/1.1", "Content-Length: -1\r\n", 400, Framing::none, 0},
        {"POST /api HTTP/1.1", "Content-Length: 12abc\r\n", 400, Framing::none, 0},
        {"POST /api HTTP/1.1", "Content-Length: %31%32\r\n", 400, Framing::none, 0},
        {"POST /api HTTP/1.1", "Content-Length:\r\n", 400, Framing::none, 0},
        {"POST /api HTTP/1.1", "Content-Length: 1001\r\n", 413, Framing::none, 0},
        {"POST /api HTTP/1.1", "Content-Length: 99999999999999999999999\r\n", 413, Framing::none,
         0},
        {"POST /api HTTP/1.1", "Content-Length: 5\r\nContent-Length: 6\r\n", 400, Framing::none, 0},
        {"POST /api HTTP/1.1", "Content-Length: 5\r\nContent-Length: 5\r\n", 0, Framing::length, 5},
        {"POST /api HTTP/1.1", "Transfer-Encoding: gzip\r\n", 400, Framing::none, 0},
        {"POST /api HTTP/1.1", "Transfer-Encoding: gzip, chunked\r\n", 400, Framing::none, 0},
        {"POST /api HTTP/1.1", "Transfer-Encoding: %63hunked\r\n", 400, Framing::none, 0},
        {"POST /api HTTP/1.1", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", 400,
         Framing::none, 0},
        {"POST /api HTTP/1.1", "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", 400,
         Framing::none, 0},
        {"GET / HTTP/1.1", "Content-Length: 5\r\n", 400, Framing::none, 0},
        {"GET / HTTP/1.1", "Transfer-Encoding: chunked\r\n", 400, Framing::none, 0},
    };
    for (const Case& c : cases) {
        CAPTURE(c.request_line);
        CAPTURE(c.headers);
        const HeadVerdict verdict = judge_head(head(c.request_line, c.headers), max);
        CHECK(verdict.status == c.status);
        if (c.status == 0) {
            CHECK(verdict.framing == c.framing);
            CHECK(verdict.content_length == c.length);
        } else {
            CHECK_FALSE(verdict.reason.empty());
        }
    }
}

TEST_CASE(
    "judge_head: Expect 100-continue is noted only when a body is to come, and can be dropped") {
    CHECK(judge_head(head("POST /a HTTP/1.1", "Content-Length: 3\r\nExpect: 100-continue\r\n"), 10)
              .expect_continue);
    CHECK_FALSE(
        judge_head(head("GET /a HTTP/1.1", "Expect: 100-continue\r\n"), 10).expect_continue);
    CHECK(without_expect("POST /a HTTP/1.1\r\nexpect: 100-continue\r\nContent-Length: 3\r\n\r\n") ==
          "POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\n");
}

TEST_CASE("scan_chunked: resumes across pieces and finds the end of the body") {
    const std::string body = "4\r\nWiki\r\n5;ext=1\r\npedia\r\n0\r\n\r\nNEXT";
    ChunkedScan scan;
    for (size_t n = 0; n <= body.size() && scan.state == ChunkedScan::State::incomplete; ++n) {
        scan_chunked(std::string_view(body).substr(0, n), 100, scan);
    }
    CHECK(scan.state == ChunkedScan::State::complete);
    CHECK(scan.offset == body.size() - 4);
    CHECK(scan.decoded == 9);
}

TEST_CASE("scan_chunked: malformed or oversized bodies are told apart") {
    struct Case {
        std::string body;
        ChunkedScan::State state;
    };
    using State = ChunkedScan::State;
    const Case cases[] = {
        {"4\r\nWiki\r\n0\r\n\r\n", State::complete},
        {"4\r\nWiki\r\n", State::incomplete},
        {"4\r\nWi", State::incomplete},
        {"zz\r\nWiki\r\n", State::invalid},
        {"\r\n", State::invalid},
        {"4\r\nWikiXX0\r\n\r\n", State::invalid},
        {"0\r\nTrailer: x\r\n\r\n", State::invalid},
        {std::string(2000, '1'), State::invalid},
        {"65\r\n", State::too_large},  // 101 bytes over a cap of 100
        {"ffffffffffff\r\n", State::too_large},
        {"40\r\n" + std::string(64, 'x') + "\r\n40\r\n", State::too_large},
    };
    for (const Case& c : cases) {
        CAPTURE(c.body.substr(0, 40));
        ChunkedScan scan;
        scan_chunked(c.body, 100, scan);
        CHECK(scan.state == c.state);
    }
}

TEST_CASE("error_response is a whole JSON answer that closes the connection") {
    const std::string answer = error_response(411, "a body needs Content-Length");
    CHECK(answer.rfind("HTTP/1.1 411 Length Required\r\n", 0) == 0);
    CHECK(answer.find("Connection: close\r\n") != std::string::npos);
    CHECK(answer.find("\r\n\r\n{\"error\":\"a body needs Content-Length\"}") != std::string::npos);
}
